// The mapping file (docs/reconciling.md, "The mapping file"): one mapping row per line,
// read column by column; every error is kept with its line and column, and a file with an
// error gives no mapping at all.
#include "gl/mapping.hpp"

#include <algorithm>

#include "gl/detail/shapes.hpp"
#include "gl/detail/table.hpp"

namespace likvard::gl {
namespace {

using detail::RowReader;

constexpr std::size_t decision_ref_chars_max = 100;
constexpr std::size_t detail_chars_max = 100;
constexpr std::size_t service_chars_max = 63;
const std::vector<std::string_view> schemes{"primary_care", "dental_child_youth", "foot_care", "physiotherapy"};

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Account numbers compare as numbers: 4510 <= 4511, and 45100 is past 4519.
bool account_less(std::string_view a, std::string_view b) {
    const auto strip = [](std::string_view s) { return s.substr(std::min(s.find_first_not_of('0'), s.size())); };
    a = strip(a);
    b = strip(b);
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

std::string one_of(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
    return out;
}

void read_account(RowReader& in, MappingRow& row) {
    const std::string text = in.get("account");
    const auto dash = text.find('-');
    row.account_low = text.substr(0, dash);
    row.account_high = dash == std::string::npos ? row.account_low : text.substr(dash + 1);
    const auto valid = [](const std::string& s) { return all_digits(s) && s.size() <= account_digits_max; };
    if (text.empty()) return in.fail("account", "an account (4511) or a range of accounts (4510-4519) is required");
    if (!valid(row.account_low) || !valid(row.account_high))
        return in.fail("account", "'" + text + "' is not an account (4511) or a range of accounts (4510-4519)");
    if (account_less(row.account_high, row.account_low))
        in.fail("account", "the range '" + text + "' ends before it starts");
}

void read_objects(RowReader& in, MappingRow& row) {
    const std::string text = in.get("objects");
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find(' ', pos), text.size());
        const std::string pair = text.substr(pos, end - pos);
        pos = end + 1;
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        const auto dimension = detail::dimension_number(pair.substr(0, std::min(equals, pair.size())));
        if (equals == std::string::npos || !dimension || equals + 1 == pair.size())
            return in.fail("objects", "'" + pair + "' is not dimension=object (1=2150, or 1=* for any object)");
        const std::string object = pair.substr(equals + 1);
        for (const auto& c : row.objects)
            if (c.dimension == *dimension) return in.fail("objects", "dimension " + pair.substr(0, equals) + " twice");
        row.objects.push_back({*dimension, object == "*" ? std::nullopt : std::optional(object)});
    }
}

void read_sign(RowReader& in, MappingRow& row) {
    const std::string text = in.get("sign");
    if (text == "debit" || text == "debet")
        row.sign = Sign::debit;
    else if (text == "credit" || text == "kredit")
        row.sign = Sign::credit;
    else if (!text.empty())
        in.fail("sign", "'" + text + "' is not debit or credit");
    else if (row.event)
        in.fail("sign", "an event row says which sign the GL row must have: debit or credit");
}

std::optional<PartyRef> party_ref(RowReader& in, std::string_view column, const std::string& text) {
    if (text.starts_with("object:")) {
        if (const auto dimension = detail::dimension_number(text.substr(7))) return PartyRef{"", *dimension};
        in.fail(column, "'" + text + "' is not object:<dimension>, e.g. object:1");
        return std::nullopt;
    }
    if (detail::is_party_id(text)) return PartyRef{text, 0};
    in.fail(column, "'" + text + "' is not a party id (a-z, 0-9 and '-', 2-63 characters) or object:<dimension>");
    return std::nullopt;
}

void read_value(RowReader& in, const detail::ValueField& field, EventTemplate& event) {
    const std::string text = in.get(field.name);
    const std::string type(type_name(event.type));
    if (text.empty()) {
        if (field.required) in.fail(field.name, type + " needs " + std::string(field.name));
        return;
    }
    const bool listed = std::find(field.allowed.begin(), field.allowed.end(), text) != field.allowed.end();
    if (!field.allowed.empty() && !listed)
        return in.fail(field.name, "'" + text + "' is not a " + std::string(field.name) + " of " + type + " (" +
                                       one_of(field.allowed) + ")");
    const bool code = field.name != "service" || event.type != EventType::service_purchased ||
                      (text.size() <= service_chars_max && text[0] >= 'a' && text[0] <= 'z' &&
                       std::all_of(text.begin(), text.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                       }));
    if (!code) return in.fail(field.name, "'" + text + "' is not a service code (a-z, 0-9 and '_', e.g. omi)");
    if (text.size() > detail_chars_max) return in.fail(field.name, "longer than 100 characters");
    event.values[std::string(field.name)] = text;
}

void read_parties(RowReader& in, const detail::TypeShape& shape, EventTemplate& event) {
    for (const auto column : {shape.debit_party, shape.credit_party}) {
        const std::string text = in.get(column);
        if (text.empty()) {
            in.fail(column, std::string(type_name(event.type)) + " needs " + std::string(column) +
                                " (a party id, or object:<dimension>)");
            continue;
        }
        if (auto party = party_ref(in, column, text)) event.parties[std::string(column)] = *party;
    }
}

// Every column the type does not use must be empty: a value there is a mistake.
void check_unused(RowReader& in, const detail::TypeShape* shape, const std::string& what) {
    for (const auto column : detail::mapping_columns()) {
        if (column == "account" || column == "objects" || column == "series" || column == "sign" || column == "type" ||
            column == "comment" || in.get(column).empty())
            continue;
        if (shape != nullptr) {
            const bool value = std::any_of(shape->values.begin(), shape->values.end(),
                                           [&](const auto& f) { return f.name == column; });
            if (value || column == shape->debit_party || column == shape->credit_party || column == "scheme" ||
                column == "decision_ref")
                continue;
        }
        in.fail(column, what + " has no " + std::string(column) + ": leave the column empty");
    }
}

std::optional<EventTemplate> read_event(RowReader& in, EventType type) {
    const detail::TypeShape* shape = detail::shape_of(type);
    EventTemplate event{type, in.get("scheme"), std::nullopt, {}, {}};
    if (event.scheme.empty())
        in.fail("scheme", "an event row needs the scheme (" + one_of(schemes) + ")");
    else if (std::find(schemes.begin(), schemes.end(), event.scheme) == schemes.end())
        in.fail("scheme", "'" + event.scheme + "' is not a scheme (" + one_of(schemes) + ")");
    if (const std::string ref = in.get("decision_ref"); !ref.empty()) {
        if (ref.size() > decision_ref_chars_max) in.fail("decision_ref", "longer than 100 characters");
        event.decision_ref = ref;
    }
    for (const auto& field : shape->values) read_value(in, field, event);
    read_parties(in, *shape, event);
    check_unused(in, shape, std::string(type_name(type)));
    return event;
}

std::vector<std::string_view> row_types() {
    std::vector<std::string_view> names{"ignore"};
    for (const auto& shape : detail::shapes()) names.push_back(type_name(shape.type));
    return names;
}

std::optional<MappingRow> read_row(RowReader& in) {
    MappingRow row;
    row.line = in.line();
    read_account(in, row);
    read_objects(in, row);
    if (const std::string series = in.get("series"); !series.empty()) row.series = series;
    const std::string type = in.get("type");
    const auto event_type = type_from_name(type);
    if (type == "ignore")
        check_unused(in, nullptr, "an ignore row");
    else if (event_type && detail::shape_of(*event_type) != nullptr)
        row.event = read_event(in, *event_type);
    else if (type.empty())
        in.fail("type", "the type is required: ignore, or " + one_of(row_types()));
    else
        in.fail("type", "'" + type + "' is not a type a GL row can be (" + one_of(row_types()) + ")");
    read_sign(in, row);
    in.check_extra_fields();
    if (!in.ok()) return std::nullopt;
    return row;
}

std::optional<std::string> object_of(const sie::TransRow& row, int dimension) {
    for (const auto& ref : row.objects)
        if (ref.dimension == dimension) return ref.object;
    return std::nullopt;
}

}  // namespace

std::string MappingError::to_string() const {
    std::string where;
    if (line > 0) where = "line " + std::to_string(line);
    if (column > 0)
        where += ", column " + std::to_string(column) + (column_name.empty() ? "" : " (" + column_name + ")");
    return where.empty() ? message : where + ": " + message;
}

std::string_view sign_name(Sign sign) { return sign == Sign::debit ? "debit" : "credit"; }

std::string PartyRef::to_string() const { return from_object() ? "object:" + std::to_string(dimension) : party_id; }

bool MappingRow::matches(const sie::Verification& verification, const sie::TransRow& row) const {
    if (!all_digits(row.account) || row.account.size() > account_digits_max) return false;
    if (account_less(row.account, account_low) || account_less(account_high, row.account)) return false;
    if (series && verification.series != *series) return false;
    return std::all_of(objects.begin(), objects.end(), [&](const ObjectCondition& c) {
        const auto object = object_of(row, c.dimension);
        return object && (!c.object || *object == *c.object);
    });
}

std::string MappingRow::account_text() const {
    return account_low == account_high ? account_low : account_low + "-" + account_high;
}

bool Mapping::uses_objects() const {
    return std::any_of(rows.begin(), rows.end(), [](const MappingRow& row) {
        return row.event && std::any_of(row.event->parties.begin(), row.event->parties.end(),
                                        [](const auto& p) { return p.second.from_object(); });
    });
}

Parse<Mapping> parse_mapping(std::string_view text) {
    Parse<Mapping> out;
    const detail::CsvTable table = detail::read_csv(text);
    detail::add_csv_errors(table, out.errors);
    if (!out.errors.empty()) return out;
    const auto columns = detail::Columns::of(table, detail::mapping_columns(), {"account", "type"}, out.errors);
    if (!columns) return out;
    Mapping mapping;
    for (const auto& record : table.records) {
        RowReader in(record, *columns, out.errors);
        if (auto row = read_row(in)) mapping.rows.push_back(std::move(*row));
    }
    if (mapping.rows.empty() && out.errors.empty())
        out.errors.push_back({0, 0, "", "the mapping has a header but no rows"});
    if (out.errors.empty()) out.value = std::move(mapping);
    return out;
}

StoodFor stood_for(const EventTemplate& event, Sign sign) {
    const detail::TypeShape& shape = *detail::shape_of(event.type);
    std::string item = event.values.at(std::string(shape.item_field));
    std::replace(item.begin(), item.end(), ':', '.');  // as the posting rules name it
    if (sign == Sign::debit)
        return {std::string(shape.debit_party), {"expense", std::string(shape.debit_family) + "." + item}};
    return {std::string(shape.credit_party),
            {std::string(shape.credit_class), std::string(shape.credit_family) + "." + item}};
}

std::vector<MappingError> check_against(const Mapping& mapping, const PartyMap* party_map) {
    std::vector<MappingError> errors;
    if (party_map != nullptr) return errors;
    for (const auto& row : mapping.rows)
        for (const auto& [field, party] : row.event ? row.event->parties : std::map<std::string, PartyRef>{})
            if (party.from_object())
                errors.push_back({row.line, 0, field,
                                  "the " + field + " is " + party.to_string() +
                                      ", which needs a party map (--party-map) to say which party each object is"});
    return errors;
}

namespace {

std::string at_sv(const MappingRow& rule) { return "mappningsrad " + std::to_string(rule.line); }

std::string sign_sv(Sign sign) { return sign == Sign::credit ? "kredit" : "debet"; }

// The parties of a rule's event for one row, or why one cannot be found.
bool resolve_parties(const MappingRow& rule, const PartyMap* party_map, const sie::TransRow& row, RowMatch& out) {
    const std::string at = "mapping line " + std::to_string(rule.line);
    for (const auto& [field, party] : rule.event->parties) {
        if (!party.from_object()) {
            out.parties[field] = party.party_id;
            continue;
        }
        const auto object = object_of(row, party.dimension);
        const std::string dim = std::to_string(party.dimension);
        if (!object) {
            out.why = "no object in dimension " + dim + " (" + at + " takes " + field + " from it)";
            out.why_sv = "inget objekt i dimension " + dim + " (" + at_sv(rule) + " tar " + field + " därifrån)";
            return false;
        }
        const PartyEntry* entry = party_map ? party_map->of_object(party.dimension, *object) : nullptr;
        if (entry == nullptr) {
            out.why =
                "object " + dim + "=" + *object + " is not in the party map (" + at + " takes " + field + " from it)";
            out.why_sv = "objekt " + dim + "=" + *object + " finns inte i partskartan (" + at_sv(rule) + " tar " +
                         field + " därifrån)";
            return false;
        }
        out.parties[field] = entry->party.party_id;
    }
    return true;
}

}  // namespace

RowMatch match_row(const Mapping& mapping, const PartyMap* party_map, const sie::Verification& verification,
                   const sie::TransRow& row) {
    RowMatch out;
    const auto rule = std::find_if(mapping.rows.begin(), mapping.rows.end(),
                                   [&](const MappingRow& r) { return r.matches(verification, row); });
    if (rule == mapping.rows.end()) {
        out.why = "no mapping row matches";
        out.why_sv = "ingen mappningsrad matchar";
        return out;
    }
    out.rule = &*rule;
    const Sign sign = row.amount.ore() < 0 ? Sign::credit : Sign::debit;
    const std::string at = "mapping line " + std::to_string(rule->line);
    if (rule->sign && *rule->sign != sign) {
        // Never an event; but a correction of the account the rule stands for, which a
        // reconciliation sums on the same key, once its parties are known.
        if (rule->event && row.amount.ore() != 0 && resolve_parties(*rule, party_map, row, out))
            out.opposite_sign = true;
        out.why =
            "a " + std::string(sign_name(sign)) + ", but " + at + " wants a " + std::string(sign_name(*rule->sign));
        out.why_sv = "en " + sign_sv(sign) + ", men " + at_sv(*rule) + " vill ha en " + sign_sv(*rule->sign);
        return out;
    }
    if (!rule->event) return out.outcome = RowMatch::Outcome::ignored, out;
    if (row.amount.ore() == 0) {
        out.why = "a zero amount is no event (" + at + ")";
        out.why_sv = "ett nollbelopp är ingen händelse (" + at_sv(*rule) + ")";
        return out;
    }
    if (!resolve_parties(*rule, party_map, row, out)) return out;
    out.outcome = RowMatch::Outcome::event;
    return out;
}

}  // namespace likvard::gl
