// One sheet row to one event: the columns are the event's fields (docs/spreadsheets.md),
// numbers are read as the sheet writes them, the event id comes from the content, and the
// event must pass the contract before anything is imported. A sheet with a problem imports
// nothing: every problem is reported, naming its line and column.
#include <algorithm>
#include <map>

#include <boost/json.hpp>

#include "csv/csv.hpp"
#include "events/canonical.hpp"

namespace likvard::csv {

namespace json = boost::json;

namespace {

constexpr std::string_view default_source_system = "spreadsheet";

const std::vector<Column> envelope_columns{{"period", true},         {"scheme", false},
                                           {"occurred_on", false},   {"decision_ref", false},
                                           {"source_system", false}, {"source_reference", false}};

std::vector<Column> with_envelope(std::vector<Column> columns) {
    columns.insert(columns.end(), envelope_columns.begin(), envelope_columns.end());
    return columns;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string names_of(const std::vector<Column>& columns) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ", ") + std::string(c.name);
    return out;
}

using ColumnIndex = std::map<std::string, std::size_t, std::less<>>;

ColumnIndex index_header(const Table& table, EventType type, std::int64_t line, std::vector<Problem>& problems) {
    const auto& columns = columns_of(type);
    ColumnIndex index;
    for (std::size_t i = 0; i < table.header.size(); ++i) {
        const std::string name = lower(table.header[i]);
        const bool known = std::any_of(columns.begin(), columns.end(), [&](const Column& c) { return c.name == name; });
        if (name.empty())
            problems.push_back({line, "", "column " + std::to_string(i + 1) + " has no name"});
        else if (!known)
            problems.push_back({line, table.header[i],
                                "is not a column of a " + std::string(type_name(type)) + " sheet (the columns are " +
                                    names_of(columns) + ")"});
        else if (!index.emplace(name, i).second)
            problems.push_back({line, table.header[i], "is named twice"});
    }
    for (const auto& c : columns)
        if (c.required && !index.contains(c.name))
            problems.push_back(
                {line, std::string(c.name), "is missing (a " + std::string(type_name(type)) + " sheet needs it)"});
    return index;
}

// The cells of one row by column name, and the problems found in them.
class RowCells {
public:
    RowCells(const Row& row, const ColumnIndex& index, std::vector<Problem>& problems)
        : row_(row), index_(index), problems_(problems) {}

    std::optional<std::string> cell(std::string_view name) const {
        const auto found = index_.find(name);
        if (found == index_.end() || row_.fields[found->second].empty()) return std::nullopt;
        return row_.fields[found->second];
    }
    void problem(std::string_view name, std::string message) {
        problems_.push_back({row_.line, std::string(name), std::move(message)});
    }
    void put(json::object& out, std::string_view name) const {
        if (auto value = cell(name)) out[name] = *value;
    }
    void put_amount(json::object& out, std::string_view name) { put_parsed(out, name, amount_text); }
    void put_decimal(json::object& out, std::string_view name) { put_parsed(out, name, decimal_text); }
    void put_integer(json::object& out, std::string_view name) { put_parsed(out, name, integer_value); }
    std::int64_t line() const { return row_.line; }

private:
    template <typename Parse>
    void put_parsed(json::object& out, std::string_view name, Parse parse) {
        const auto value = cell(name);
        if (!value) return;  // a missing required field is the contract's to name
        const auto parsed = parse(*value);
        if (parsed)
            out[name] = *parsed;
        else
            problem(name, parsed.error);
    }

    const Row& row_;
    const ColumnIndex& index_;
    std::vector<Problem>& problems_;
};

json::object data_of(EventType type, RowCells& cells) {
    json::object data;
    if (type == EventType::listing_recorded) {
        cells.put(data, "provider_id");
        cells.put_integer(data, "listed");
        cells.put_decimal(data, "weighted_listed");
    } else if (type == EventType::budget_set) {
        for (std::string_view name : {"party_id", "side", "line"}) cells.put(data, name);
        cells.put_amount(data, "amount");
    } else {
        for (std::string_view name : {"party_id", "name", "kind", "side", "provider_type", "area"})
            cells.put(data, name);
    }
    return data;
}

// Without a source_reference column: the row's key in words, never its position in the file,
// so that the same fact imported from another sheet is the same event.
std::string default_reference(EventType type, const json::object& data, const std::string& period) {
    const auto text = [&](std::string_view name) {
        const auto* value = data.if_contains(name);
        return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string("-");
    };
    if (type == EventType::party_registered) return "party " + text("party_id");
    if (type == EventType::listing_recorded) return "listing " + period + " " + text("provider_id");
    const std::string who = data.contains("party_id") ? text("party_id") : text("side");
    return "budget " + period + " " + who + " " + text("line");
}

// YYYY-MM with a month 01..12: the period the default occurred_on is made of.
bool is_month(std::string_view text) {
    const auto digits = [&](std::size_t from, std::size_t to) {
        return std::all_of(text.begin() + from, text.begin() + to, [](char c) { return c >= '0' && c <= '9'; });
    };
    return text.size() == 7 && text[4] == '-' && digits(0, 4) && digits(5, 7) && text.substr(5) >= "01" &&
           text.substr(5) <= "12";
}

json::object envelope_of(EventType type, const ImportOptions& options, RowCells& cells, json::object data) {
    const std::optional<std::string> scheme = cells.cell("scheme") ? cells.cell("scheme") : options.scheme;
    if (!scheme) cells.problem("scheme", "is empty and no --scheme was given");
    const std::string period = cells.cell("period").value_or("");
    if (!period.empty() && !is_month(period)) cells.problem("period", "\"" + period + "\" is not a month YYYY-MM");
    json::object event{{"type", type_name(type)},  {"schema_version", 1},
                       {"region", options.region}, {"scheme", scheme.value_or("")},
                       {"period", period},         {"occurred_on", cells.cell("occurred_on").value_or(period + "-01")}};
    const std::string reference = cells.cell("source_reference").value_or(default_reference(type, data, period));
    event["source"] = json::object{{"system", cells.cell("source_system").value_or(std::string(default_source_system))},
                                   {"reference", reference}};
    cells.put(event, "decision_ref");
    event["data"] = std::move(data);
    return event;
}

// A party is registered once: its id is of the party alone. A listing or a budget is a
// measurement or a plan whose last value wins: its id is of its whole content, so that the
// same row is the same event and a revised one a new event.
std::string event_id_of(EventType type, const std::string& region, const json::object& event) {
    std::string name = region + "\n" + std::string(type_name(type)) + "\n";
    if (type == EventType::party_registered) {
        const auto* party = event.at("data").as_object().if_contains("party_id");
        name += party != nullptr && party->is_string() ? std::string(party->get_string()) : std::string();
    } else {
        name += canonical_json(event);
    }
    return uuid_v5(spreadsheet_namespace, name);
}

// "/data/amount" -> "amount", "/source/system" -> "source_system", "/period" -> "period".
std::string column_of_pointer(std::string_view pointer) {
    if (pointer.starts_with("/data/"))
        pointer.remove_prefix(6);
    else if (pointer.starts_with("/source/"))
        return "source_" + std::string(pointer.substr(8));
    else if (pointer.starts_with("/"))
        pointer.remove_prefix(1);
    else
        return "";
    return std::string(pointer.substr(0, pointer.find('/')));
}

void contract_problem(const Rejection& rejection, std::int64_t line, std::vector<Problem>& problems) {
    const auto colon = rejection.message.find(": ");
    const std::string pointer = rejection.message.substr(0, colon);
    const std::string what = colon == std::string::npos ? rejection.message : rejection.message.substr(colon + 2);
    const std::string reason(reason_code(rejection.reason));
    problems.push_back({line, column_of_pointer(pointer), what + " (" + reason + ")"});
}

std::optional<ImportedEvent> import_row(const Row& row, const ColumnIndex& index, const ImportOptions& options,
                                        Decoder& decoder, std::vector<Problem>& problems) {
    const std::size_t problems_before = problems.size();
    RowCells cells(row, index, problems);
    json::object event = envelope_of(options.type, options, cells, data_of(options.type, cells));
    if (problems.size() > problems_before) return std::nullopt;
    const std::string event_id = event_id_of(options.type, options.region, event);
    event["event_id"] = event_id;
    std::string line = canonical_json(event);
    const DecodeResult decoded = decoder.decode(line);
    if (decoded.rejection) {
        contract_problem(*decoded.rejection, row.line, problems);
        return std::nullopt;
    }
    return ImportedEvent{row.line, event_id, std::move(line)};
}

}  // namespace

const std::vector<Column>& columns_of(EventType type) {
    static const std::vector<Column> listing =
        with_envelope({{"provider_id", true}, {"listed", true}, {"weighted_listed", true}});
    static const std::vector<Column> budget =
        with_envelope({{"party_id", false}, {"side", false}, {"line", true}, {"amount", true}});
    static const std::vector<Column> party = with_envelope({{"party_id", true},
                                                            {"name", true},
                                                            {"kind", true},
                                                            {"side", true},
                                                            {"provider_type", false},
                                                            {"area", false}});
    static const std::vector<Column> none;
    if (type == EventType::listing_recorded) return listing;
    if (type == EventType::budget_set) return budget;
    if (type == EventType::party_registered) return party;
    return none;
}

bool importable(EventType type) { return !columns_of(type).empty(); }

Imported import_table(const Table& table, const ImportOptions& options, Decoder& decoder) {
    Imported out;
    std::vector<Problem> problems;
    const ColumnIndex index = index_header(table, options.type, 1, problems);
    if (problems.empty())
        for (const Row& row : table.rows)
            if (auto event = import_row(row, index, options, decoder, problems))
                out.events.push_back(std::move(*event));
    out.problems_total = problems.size();
    if (problems.size() > problems_kept_max) problems.resize(problems_kept_max);
    out.problems = std::move(problems);
    if (out.problems_total > 0) out.events.clear();
    return out;
}

}  // namespace likvard::csv
