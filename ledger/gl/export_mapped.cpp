// One year of the ledger's postings in the region's own accounts (docs/reconciling.md,
// "Exporting in the region's accounts"): the reverse of the reconciliation's match. A
// posting is written on the first mapping row that stands for it and whose row, read back
// through the same mapping, is keyed on the posting again; every other posting of the
// event is summed onto the balancing account, so that each verification balances and the
// report shows where every posting went.
#include <map>
#include <set>
#include <stdexcept>

#include "core/invariant.hpp"
#include "gl/gl.hpp"
#include "gl/mapping.hpp"

namespace likvard::gl {
namespace {

constexpr const char* default_series = "L";

sie::Date date_of(const std::string& iso) {  // YYYY-MM-DD from the database: always well formed
    return {std::stoi(iso.substr(0, 4)), std::stoi(iso.substr(5, 2)), std::stoi(iso.substr(8, 2))};
}

sie::Month month_of(const std::string& period) {
    return {std::stoi(period.substr(0, 4)), std::stoi(period.substr(5, 2))};
}

std::string ledger_name(const LedgerPosting& posting) {
    return posting.party + ":" + posting.account.account_class + ":" + posting.account.item;
}

std::string objects_text(const std::vector<sie::ObjectRef>& objects) {
    std::string text = "{";
    for (const auto& ref : objects)
        text += (text.size() > 1 ? " " : "") + std::to_string(ref.dimension) + " \"" + ref.object + "\"";
    return text + "}";
}

using Event = std::vector<const LedgerPosting*>;  // the postings of one event, in line order

// A posting as a GL row: the mapping row it is written through, and the row.
struct Placed {
    const MappingRow* rule = nullptr;
    sie::TransRow row;
};

class Placer {
public:
    explicit Placer(const Through& through) : through_(through) {
        if (through.party_map == nullptr) return;
        for (const auto& entry : through.party_map->entries)  // the first object of a party in a dimension
            if (entry.object)
                objects_.try_emplace({entry.party.party_id, entry.object->dimension}, entry.object->object);
    }

    // The row a posting is written as in `series` (nullopt: any series a mapping row names),
    // or nullopt and why not.
    std::optional<Placed> place(const LedgerPosting& posting, const Event& event,
                                const std::optional<std::string>& series, std::string& why) const {
        why = "no mapping row stands for " + posting.account.account_class + ":" + posting.account.item + " of " +
              posting.party + " in " + posting.scheme;
        for (const auto& rule : through_.mapping.rows) {
            std::vector<sie::ObjectRef> objects;
            if (!fits(rule, posting, event, objects, why)) continue;
            const std::string in = rule.series.value_or(series.value_or(default_series));
            if (series && rule.series && *rule.series != *series) {
                why = "mapping line " + std::to_string(rule.line) + " wants series " + *rule.series +
                      ", and the event's verification is in series " + *series;
                continue;
            }
            Placed placed{&rule, row_of(posting, rule.account_low, std::move(objects))};
            if (reads_back(posting, in, placed, why)) return placed;
        }
        return std::nullopt;
    }

    static sie::TransRow row_of(const LedgerPosting& posting, const std::string& account,
                                std::vector<sie::ObjectRef> objects) {
        sie::TransRow row;
        row.account = account;
        row.objects = std::move(objects);
        row.amount = posting.amount;
        const sie::Date occurred = date_of(posting.occurred_on);
        // The month of a row is the accounting month, as in the export by the built-in chart.
        if (sie::Month{occurred.year, occurred.month} != month_of(posting.period))
            row.date = sie::Date{month_of(posting.period).year, month_of(posting.period).month, 1};
        return row;
    }

private:
    // The party of the event's other posting under a rule (the provider of the payer's cost).
    static std::optional<std::string> counterparty(const EventTemplate& event, Sign sign, const std::string& field,
                                                   const LedgerPosting& posting, const Event& postings) {
        const StoodFor other = stood_for(event, sign == Sign::debit ? Sign::credit : Sign::debit);
        if (other.party_field != field) return std::nullopt;
        for (const LedgerPosting* p : postings)
            if (p != &posting && p->account == other.account && p->scheme == posting.scheme) return p->party;
        return std::nullopt;
    }

    // The objects that parties of the rule take (dimension -> object), or false and why.
    bool party_objects(const MappingRow& rule, const LedgerPosting& posting, const Event& event,
                       std::map<int, std::string>& objects, std::string& why) const {
        const StoodFor stood = stood_for(*rule.event, *rule.sign);
        const std::string at = "mapping line " + std::to_string(rule.line);
        for (const auto& [field, ref] : rule.event->parties) {
            const auto party = field == stood.party_field
                                   ? std::optional(posting.party)
                                   : counterparty(*rule.event, *rule.sign, field, posting, event);
            if (!party) {
                if (ref.from_object())
                    return why = "the event has no " + field + " for " + at + "'s " + ref.to_string(), false;
                continue;
            }
            if (!ref.from_object()) {
                if (ref.party_id == *party) continue;
                return why = "the " + field + " is " + *party + ", and " + at + " names " + ref.party_id, false;
            }
            const auto object = objects_.find({*party, ref.dimension});
            if (object == objects_.end())
                return why = "the party map has no object of dimension " + std::to_string(ref.dimension) + " for " +
                             *party + " (" + at + " takes the " + field + " from it)",
                       false;
            if (const auto [it, inserted] = objects.emplace(ref.dimension, object->second);
                !inserted && it->second != object->second)
                return why = at + " takes two parties from dimension " + std::to_string(ref.dimension), false;
        }
        return true;
    }

    // Whether a rule stands for the posting, and the objects of its row.
    bool fits(const MappingRow& rule, const LedgerPosting& posting, const Event& event,
              std::vector<sie::ObjectRef>& out, std::string& why) const {
        if (!rule.event || rule.event->scheme != posting.scheme) return false;
        const StoodFor stood = stood_for(*rule.event, *rule.sign);
        if (stood.account != posting.account) return false;
        const PartyRef& own = rule.event->parties.at(stood.party_field);
        if (!own.from_object() && own.party_id != posting.party) return false;
        std::map<int, std::string> objects;
        if (!party_objects(rule, posting, event, objects, why)) return false;
        for (const auto& condition : rule.objects) {
            const auto it = objects.find(condition.dimension);
            const std::string dim = std::to_string(condition.dimension);
            if (it == objects.end() && !condition.object)
                return why = "mapping line " + std::to_string(rule.line) + " wants an object of dimension " + dim +
                             " that no party of the event gives",
                       false;
            if (it == objects.end())
                objects[condition.dimension] = *condition.object;
            else if (condition.object && *condition.object != it->second)
                return why = "mapping line " + std::to_string(rule.line) + " wants " + dim + "=" + *condition.object +
                             ", and the party's object is " + it->second,
                       false;
        }
        for (const auto& [dimension, object] : objects) out.push_back({dimension, object});
        return true;
    }

    // Whether the row, read through the mapping as reconcile sie reads it, is the posting's key.
    bool reads_back(const LedgerPosting& posting, const std::string& series, const Placed& placed,
                    std::string& why) const {
        sie::Verification verification;
        verification.series = series;
        const RowMatch match = match_row(through_.mapping, through_.party_map, verification, placed.row);
        const std::string row = placed.row.account + " " + objects_text(placed.row.objects);
        const std::string at = "the row " + row + " of mapping line " + std::to_string(placed.rule->line);
        if (match.outcome != RowMatch::Outcome::event && !match.opposite_sign)
            return why = at + " would not be read back: " + match.why, false;
        const StoodFor back = stood_for(*match.rule->event, *match.rule->sign);
        if (match.rule->event->scheme == posting.scheme && back.account == posting.account &&
            match.parties.at(back.party_field) == posting.party)
            return true;
        return why = at + " would be read back through mapping line " + std::to_string(match.rule->line) +
                     " as another account",
               false;
    }

    const Through& through_;
    std::map<std::pair<std::string, int>, std::string> objects_;  // (party, dimension) -> object
};

std::string dimension_name(int dimension) {
    if (dimension == 1) return "Kostnadsställe";  // the dimensions SIE reserves
    if (dimension == 2) return "Kostnadsbärare";
    if (dimension == 6) return "Projekt";
    return "Dimension " + std::to_string(dimension);
}

std::string account_type(const std::string& account_class) {
    if (account_class == "income" || account_class == "benefit") return "I";
    if (account_class == "expense") return "K";
    return "S";
}

class Exporter {
public:
    Exporter(const Through& through, const std::string& balancing)
        : through_(through), placer_(through), balancing_(balancing) {}

    void add_event(const Event& event) {
        const std::string series = series_of(event);
        sie::Verification verification;
        verification.series = series;
        verification.date = date_of(event.front()->occurred_on);
        verification.text = event.front()->type + " " + event.front()->event_id;
        Money placed_sum, balancing_sum;
        for (const LedgerPosting* posting : event) {
            std::string why;
            if (auto placed = placer_.place(*posting, event, series, why)) {
                placed_sum += posting->amount;
                note(*posting, placed->row.account, false, "");
                add_account(placed->row.account, posting->account);
                add_objects(placed->row.objects);
                verification.rows.push_back(std::move(placed->row));
                continue;
            }
            balancing_sum += posting->amount;
            note(*posting, balancing_, true, why);
        }
        LIKVARD_INVARIANT(placed_sum + balancing_sum == Money{}, "an event's postings do not balance");
        if (verification.rows.empty()) return;
        if (balancing_sum != Money{}) {
            sie::TransRow row = Placer::row_of(*event.front(), balancing_, {});
            row.amount = balancing_sum;
            document_accounts_.try_emplace(
                balancing_, std::pair{std::string("Likvärd: motkonto, utanför mappningen"), std::string()});
            verification.rows.push_back(std::move(row));
        }
        verification.number = std::to_string(++numbers_[series]);
        out_.document.verifications.push_back(std::move(verification));
    }

    MappedExport finish(sie::SieDocument document) {
        for (const auto& [number, name_type] : document_accounts_)
            document.accounts[number] = sie::Account{number, name_type.first, name_type.second, "", {}, 0};
        for (const auto& [dimension, name] : dimensions_)
            document.dimensions[dimension] = {dimension, name, std::nullopt, 0};
        for (const auto& [ref, name] : objects_) document.objects[ref] = {ref.dimension, ref.object, name, 0};
        std::map<std::string, Money> year_sums;
        std::map<std::pair<sie::Month, std::string>, Money> month_sums;
        for (auto& verification : out_.document.verifications)
            for (const auto& row : verification.rows) {
                const sie::Date date = verification.date_of(row);
                year_sums[row.account] += row.amount;
                month_sums[{sie::Month{date.year, date.month}, row.account}] += row.amount;
            }
        for (const auto& [account, sum] : year_sums) document.res.push_back({0, account, {}, sum, std::nullopt, 0});
        for (const auto& [key, sum] : month_sums)
            document.psaldo.push_back({0, key.first, key.second, {}, sum, std::nullopt, 0});
        document.verifications = std::move(out_.document.verifications);
        out_.document = std::move(document);
        for (auto& [key, line] : lines_) out_.lines.push_back(std::move(line));
        return std::move(out_);
    }

private:
    // The series of the event's verification: the first one a mapping row of its postings names.
    std::string series_of(const Event& event) const {
        for (const LedgerPosting* posting : event) {
            std::string why;
            if (const auto placed = placer_.place(*posting, event, std::nullopt, why); placed && placed->rule->series)
                return *placed->rule->series;
        }
        return default_series;
    }

    void note(const LedgerPosting& posting, const std::string& gl_account, bool balancing, const std::string& why) {
        ExportedLine& line = lines_[{ledger_name(posting), gl_account}];
        if (line.postings == 0) line = ExportedLine{ledger_name(posting), gl_account, balancing, 0, Money{}, why};
        ++line.postings;
        line.amount += posting.amount;
        (balancing ? out_.balancing_postings : out_.mapped_postings) += 1;
        (balancing ? out_.balancing_total : out_.mapped_total) += posting.amount;
    }

    void add_account(const std::string& number, const ChartAccount& account) {
        const std::string name = account.account_class + ":" + account.item;
        auto [it, inserted] =
            document_accounts_.try_emplace(number, std::pair{name, account_type(account.account_class)});
        if (!inserted && it->second.first != name && !it->second.first.ends_with(" m.fl."))
            it->second.first += " m.fl.";
    }

    void add_objects(const std::vector<sie::ObjectRef>& objects) {
        for (const auto& ref : objects) {
            dimensions_.try_emplace(ref.dimension, dimension_name(ref.dimension));
            const PartyEntry* entry =
                through_.party_map ? through_.party_map->of_object(ref.dimension, ref.object) : nullptr;
            objects_.try_emplace(ref, entry ? entry->party.name : ref.object);
        }
    }

    const Through& through_;
    Placer placer_;
    std::string balancing_;
    MappedExport out_;
    std::map<std::string, std::int64_t> numbers_;  // series -> the last number
    std::map<std::pair<std::string, std::string>, ExportedLine> lines_;
    std::map<std::string, std::pair<std::string, std::string>> document_accounts_;  // number -> name, #KTYP
    std::map<int, std::string> dimensions_;
    std::map<sie::ObjectRef, std::string> objects_;
};

}  // namespace

std::optional<std::string> balancing_account_problem(const Through& through, const std::string& account) {
    if (account.empty() || account.size() > account_digits_max ||
        account.find_first_not_of("0123456789") != std::string::npos)
        return "'" + account + "' is not an account number (digits, at most 10)";
    std::set<std::string> series{default_series};
    for (const auto& rule : through.mapping.rows)
        if (rule.series) series.insert(*rule.series);
    for (const auto& name : series)
        for (const std::int64_t ore : {1, -1}) {
            sie::Verification verification;
            verification.series = name;
            sie::TransRow row;
            row.account = account;
            row.amount = Money::from_ore(ore);
            const RowMatch match = match_row(through.mapping, through.party_map, verification, row);
            if (match.outcome == RowMatch::Outcome::ignored) continue;
            const std::string what = match.rule == nullptr
                                         ? "no mapping row matches it"
                                         : "mapping line " + std::to_string(match.rule->line) + " does not ignore a " +
                                               std::string(ore > 0 ? "debit" : "credit") + " on it";
            return account + " is not an account the mapping ignores (" + what + " in series " + name +
                   "): reconcile sie would list the balancing rows as unmatched; choose an account an ignore row "
                   "covers, e.g. in the balance sheet";
        }
    return std::nullopt;
}

MappedExport export_mapped(const LedgerExtract& extract, const ExportSpec& spec, const Through& through,
                           const std::string& balancing_account) {
    if (const auto problem = balancing_account_problem(through, balancing_account))
        throw std::invalid_argument(*problem);
    sie::SieDocument document;
    document.flagga = 0;
    document.sietyp = 4;
    document.format = "PC8";
    document.program = "Likvärd";
    document.program_version = spec.program_version;
    document.generated_on = spec.generated_on;
    document.fnamn = extract.region;
    document.rar = {{0, {spec.year, 1, 1}, {spec.year, 12, 31}, 0}};
    Exporter exporter(through, balancing_account);
    Event event;
    for (const auto& posting : extract.postings) {
        if (month_of(posting.period).year != spec.year) continue;
        if (!event.empty() && event.front()->seq != posting.seq) exporter.add_event(event), event.clear();
        event.push_back(&posting);
    }
    if (!event.empty()) exporter.add_event(event);
    return exporter.finish(std::move(document));
}

namespace {

std::string csv_field(const std::string& text) {
    if (text.find_first_of(";\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string export_report_csv(const MappedExport& exported) {
    std::string out = "ledger_account;gl_account;balancing;postings;amount;why\n";
    for (const auto& line : exported.lines)
        out += line.ledger_account + ";" + line.gl_account + ";" + (line.balancing ? "yes" : "no") + ";" +
               std::to_string(line.postings) + ";" + line.amount.to_string() + ";" + csv_field(line.why) + "\n";
    out +=
        "total;mapped;no;" + std::to_string(exported.mapped_postings) + ";" + exported.mapped_total.to_string() + ";\n";
    out += "total;balancing;yes;" + std::to_string(exported.balancing_postings) + ";" +
           exported.balancing_total.to_string() + ";\n";
    return out;
}

}  // namespace likvard::gl
