// The import of a general ledger's booked rows as ledger events (ledger/gl/import.hpp):
// one event per mapped row, with an id that only the row's place in the books decides, so
// the same file imported twice is the same events.
#include "gl/import.hpp"

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "core/invariant.hpp"

namespace likvard::gl {
namespace {

namespace json = boost::json;

constexpr std::size_t uuid_bytes = 16;
constexpr std::size_t source_chars_max = 200;       // the envelope's source.system and .reference
constexpr std::size_t description_chars_max = 500;  // commitment.cost_incurred's description
constexpr std::uint8_t uuid_version_5 = 0x50;
constexpr std::uint8_t uuid_variant_rfc4122 = 0x80;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::array<unsigned char, uuid_bytes> uuid_bytes_of(std::string_view text) {
    std::array<unsigned char, uuid_bytes> out{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '-') continue;
        const int high = hex_value(text[i]);
        const int low = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        if (high < 0 || low < 0 || n == uuid_bytes) throw std::invalid_argument("not a UUID: " + std::string(text));
        out[n++] = static_cast<unsigned char>(high * 16 + low);
        ++i;
    }
    if (n != uuid_bytes) throw std::invalid_argument("not a UUID: " + std::string(text));
    return out;
}

// At most `chars` characters of UTF-8 text, never cutting a character in two.
std::string cut(const std::string& text, std::size_t chars) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (count++ == chars) return text.substr(0, i);
    }
    return text;
}

std::string objects_text(const std::vector<sie::ObjectRef>& objects) {
    std::string text = "{";
    for (const auto& ref : objects)
        text += (text.size() > 1 ? " " : "") + std::to_string(ref.dimension) + " \"" + ref.object + "\"";
    return text + "}";
}

// Where a row is: the verification, its place among the ones numbered alike, the row.
struct RowPlace {
    const sie::Verification* verification = nullptr;
    std::size_t occurrence = 1;
    std::size_t index = 1;  // 1-based among the verification's rows
    const sie::TransRow* row = nullptr;
    std::string text() const { return row->text.empty() ? verification->text : row->text; }
};

json::object envelope(const sie::SieDocument& document, const RowPlace& place, const std::string& region,
                      const std::string& scheme) {
    const sie::Date date = place.verification->date_of(*place.row);
    std::string where = place.verification->series + " " + place.verification->number;
    where = (where == " " ? "" : where) + "/" + std::to_string(place.index);
    const std::string text = place.text();
    json::object event;
    event["event_id"] = "";
    event["type"] = "";
    event["schema_version"] = 1;
    event["region"] = region;
    event["scheme"] = scheme;
    event["period"] = sie::Month{date.year, date.month}.iso();
    event["occurred_on"] = date.iso();
    event["source"] =
        json::object{{"system", cut(document.program.empty() ? "SIE" : document.program, source_chars_max)},
                     {"reference", cut(text.empty() ? where : where + " " + text, source_chars_max)}};
    return event;
}

// service.purchased: the row's quantity when it is a whole number dividing the amount. A
// credit row's quantity may carry the row's minus sign, as finance systems write a sale.
bool quantity_and_price(const sie::TransRow& row, Money amount, json::object& data, std::string& why) {
    std::int64_t quantity = 1;
    if (row.quantity) {
        const std::string& written = *row.quantity;
        const bool signed_like_row = row.amount.ore() < 0 && written.size() > 1 && written.front() == '-';
        const std::string q = signed_like_row ? written.substr(1) : written;
        const bool whole = !q.empty() && q.size() <= 9 && q.find_first_not_of("0123456789") == std::string::npos;
        quantity = whole ? std::stoll(q) : 0;
        if (quantity <= 0 || amount.ore() % quantity != 0) {
            why = "the quantity " + written + " is not a whole number of units that divides the amount";
            return false;
        }
    }
    data["quantity"] = quantity;
    data["unit_price"] = Money::from_ore(amount.ore() / quantity).to_string();
    return true;
}

bool event_data(const EventTemplate& rule, const RowMatch& match, const RowPlace& place, json::object& data,
                std::string& why) {
    const Money amount =
        Money::from_ore(place.row->amount.ore() < 0 ? -place.row->amount.ore() : place.row->amount.ore());
    for (const auto& [field, value] : rule.values)
        if (field != "allocation_key") data[field] = value;
    for (const auto& [field, party] : match.parties)
        if (field != "paid_by") data[field] = party;
    data["amount"] = amount.to_string();
    if (rule.type == EventType::shared_cost_incurred) {
        data["paid_by"] = json::array{json::object{{"party_id", match.parties.at("paid_by")}, {"share", "1"}}};
        data["allocation"] =
            json::object{{"key", rule.values.at("allocation_key")}, {"beneficiaries", "all_providers"}};
    }
    if (rule.type == EventType::commitment_cost_incurred && !place.text().empty())
        data["description"] = cut(place.text(), description_chars_max);
    if (rule.type == EventType::service_purchased) return quantity_and_price(*place.row, amount, data, why);
    return true;
}

json::object registration_data(const PartyRegistered& party) {
    json::object data{{"party_id", party.party_id},
                      {"name", party.name},
                      {"kind", std::string(kind_name(party.kind))},
                      {"side", std::string(side_name(party.side))}};
    if (party.provider_type) data["provider_type"] = *party.provider_type;
    if (party.area) data["area"] = *party.area;
    return data;
}

class Planner {
public:
    Planner(const sie::SieDocument& document, const Mapping& mapping, const PartyMap* party_map, const ImportSpec& spec)
        : document_(document), mapping_(mapping), party_map_(party_map), spec_(spec) {}

    ImportPlan run() {
        std::map<std::pair<std::string, std::string>, std::size_t> seen;  // (series, number) -> verifications
        for (const auto& verification : document_.verifications) {
            const std::size_t occurrence = ++seen[{verification.series, verification.number}];
            for (std::size_t i = 0; i < verification.rows.size(); ++i)
                if (verification.rows[i].booked()) place_row({&verification, occurrence, i + 1, &verification.rows[i]});
        }
        return std::move(plan_);
    }

private:
    void place_row(const RowPlace& place) {
        const sie::TransRow& row = *place.row;
        AccountTotals& totals = plan_.totals[row.account];
        ++totals.rows;
        totals.total += row.amount;
        const RowMatch match = match_row(mapping_, party_map_, *place.verification, row);
        std::string why = match.why;
        if (match.outcome == RowMatch::Outcome::ignored) {
            totals.ignored += row.amount;
            ++plan_.rows_ignored;
            return;
        }
        if (match.outcome == RowMatch::Outcome::event && add_event(*match.rule, match, place, why)) {
            totals.mapped += row.amount;
            ++plan_.rows_mapped;
            return;
        }
        totals.unmatched += row.amount;
        const sie::Verification& v = *place.verification;
        plan_.unmatched.push_back({row.line, v.series, v.number, v.date_of(row), row.account, objects_text(row.objects),
                                   row.amount, place.text(), why});
    }

    // The parties the event names that neither the ledger nor this import has registered.
    bool parties_to_register(const RowMatch& match, std::vector<const PartyEntry*>& out, std::string& why) const {
        for (const auto& [field, party] : match.parties) {
            if (spec_.ledger_parties.contains(party) || registered_.contains(party)) continue;
            const PartyEntry* entry = party_map_ ? party_map_->of_party(party) : nullptr;
            if (entry == nullptr) {
                why = "the " + field + " " + party + " is neither in the ledger nor in the party map";
                return false;
            }
            if (std::find(out.begin(), out.end(), entry) == out.end()) out.push_back(entry);
        }
        return true;
    }

    bool add_event(const MappingRow& rule, const RowMatch& match, const RowPlace& place, std::string& why) {
        json::object data;
        std::vector<const PartyEntry*> parties;
        if (!event_data(*rule.event, match, place, data, why) || !parties_to_register(match, parties, why))
            return false;
        json::object event = envelope(document_, place, spec_.region, rule.event->scheme);
        for (const PartyEntry* entry : parties) register_party(*entry, event);
        const std::string name = row_name(document_, *place.verification, place.occurrence, place.index);
        const std::string id = uuid_v5(import_namespace, name);
        event["event_id"] = id;
        event["type"] = std::string(type_name(rule.event->type));
        if (rule.event->decision_ref) event["decision_ref"] = *rule.event->decision_ref;
        event["data"] = std::move(data);
        plan_.events.push_back({place.row->line, id, std::string(type_name(rule.event->type)), json::serialize(event)});
        return true;
    }

    void register_party(const PartyEntry& entry, const json::object& first_use) {
        json::object event = first_use;
        const std::string id =
            uuid_v5(import_namespace, "party.registered|" + spec_.region + "|" + entry.party.party_id);
        event["event_id"] = id;
        event["type"] = "party.registered";
        event["data"] = registration_data(entry.party);
        registered_.insert(entry.party.party_id);
        ++plan_.parties_registered;
        plan_.events.push_back({0, id, "party.registered", json::serialize(event)});
    }

    const sie::SieDocument& document_;
    const Mapping& mapping_;
    const PartyMap* party_map_;
    const ImportSpec& spec_;
    std::set<std::string> registered_;
    ImportPlan plan_;
};

std::string csv_field(const std::string& text) {
    if (text.find_first_of(";\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
    const auto space = uuid_bytes_of(namespace_uuid);
    std::string input(reinterpret_cast<const char*>(space.data()), space.size());
    input.append(name);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const int ok = EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha1(), nullptr);
    LIKVARD_INVARIANT(ok == 1 && length >= uuid_bytes, "SHA-1 failed");
    digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | uuid_version_5);
    digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | uuid_variant_rfc4122);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < uuid_bytes; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0x0F];
    }
    return out;
}

std::string row_name(const sie::SieDocument& document, const sie::Verification& verification, std::size_t occurrence,
                     std::size_t row_index) {
    std::string year = std::to_string(verification.date.year);
    for (const auto& fiscal : document.rar)
        if (fiscal.start <= verification.date && verification.date <= fiscal.end) {
            year = fiscal.start.sie();
            break;
        }
    const std::string number = verification.number + (occurrence > 1 ? "~" + std::to_string(occurrence) : "");
    return document.orgnr + "|" + year + "|" + verification.series + "|" + number + "|" + std::to_string(row_index);
}

ImportPlan plan_import(const sie::SieDocument& document, const Mapping& mapping, const PartyMap* party_map,
                       const ImportSpec& spec) {
    return Planner(document, mapping, party_map, spec).run();
}

std::string unmatched_csv(const std::vector<UnmatchedRow>& rows) {
    std::string out = "line;series;number;date;account;objects;amount;text;why\n";
    for (const auto& r : rows)
        out += std::to_string(r.line) + ";" + csv_field(r.series) + ";" + csv_field(r.number) + ";" + r.date.iso() +
               ";" + r.account + ";" + csv_field(r.objects) + ";" + r.amount.to_string() + ";" + csv_field(r.text) +
               ";" + csv_field(r.why) + "\n";
    return out;
}

}  // namespace likvard::gl
