// D. Tertials and the previous-year comparison: a statement beside the statement of its
// tertial's own months, and beside the same months one year earlier, each computed as its own
// statement at the same ledger position. Figures are compared as the statements print them.
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "statements/detail/document.hpp"

namespace likvard {
namespace {

constexpr std::string_view tertial_suffix = "_tertial_months";
constexpr std::string_view comparison_prefix = "comparison_";
constexpr std::string_view monthly_prefix = "cost_";
constexpr __int128 percent_scale = 10'000;  // percent with two decimals, of a whole of 1

using Cells = std::vector<std::optional<std::string>>;

std::string provenance_value(const Document& d, std::string_view key) {
    for (const auto& [name, value] : d.provenance)
        if (name == key) return value;
    return "";
}

// The columns that name a row, in the order the tables have them.
const std::vector<std::string> identity_columns{"row", "party_id", "side", "service", "commitment", "line", "figure"};
// Columns of neither money nor per-capita figures: names, codes, listings and full-time equivalents.
const std::set<std::string, std::less<>> not_compared{"row",  "party_id", "name",       "side",
                                                      "kind", "service",  "commitment", "decision_refs",
                                                      "line", "figure",   "listed_avg", "weighted_listed_avg",
                                                      "fte"};

// A money or per-capita figure as the statements print them: "-1300000.05".
bool is_money_figure(std::string_view text) {
    if (text.starts_with('-')) text.remove_prefix(1);
    const auto point = text.find('.');
    if (point == 0 || point == std::string_view::npos || text.size() - point != 3) return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

__int128 ore_of(std::string_view text) {
    const bool negative = text.starts_with('-');
    __int128 ore = 0;
    for (const char c : text)
        if (c >= '0' && c <= '9') ore = ore * 10 + (c - '0');
    return negative ? -ore : ore;
}

std::optional<std::string> present(const std::optional<std::string>& cell) {
    if (!cell || cell->empty()) return std::nullopt;
    return cell;
}

// The monthly series' column one year earlier ("cost_2022-03" -> "cost_2021-03"); others stay.
std::string previous_column(const std::string& column) {
    if (!column.starts_with(monthly_prefix) || column.size() != monthly_prefix.size() + 7) return column;
    return std::string(monthly_prefix) + month_year_earlier(column.substr(monthly_prefix.size()));
}

// A row that one year has and the other has not: a sum is 0.00 there, a per-capita figure blank.
std::optional<std::string> absent(const std::string& column) {
    if (column.find("per_weighted_listed") != std::string::npos || column == "value") return std::nullopt;
    return "0.00";
}

std::optional<std::size_t> index_of(const Table& table, const std::string& column) {
    const auto it = std::find(table.columns.begin(), table.columns.end(), column);
    if (it == table.columns.end()) return std::nullopt;
    return static_cast<std::size_t>(it - table.columns.begin());
}

// One table's rows by the cells that name them.
struct Rows {
    std::vector<std::vector<std::string>> keys;  // in order: the current year's, then the earlier one's
    std::map<std::vector<std::string>, std::pair<const Cells*, const Cells*>> cells;  // current, previous
};

std::vector<std::string> key_of(const Table& table, const Cells& row) {
    std::vector<std::string> key;
    for (const auto& column : identity_columns)
        if (const auto at = index_of(table, column)) key.push_back(row[*at].value_or(""));
    return key;
}

Rows rows_of(const Table& current, const Table* previous) {
    Rows out;
    for (const Cells& row : current.rows) {
        auto key = key_of(current, row);
        if (out.cells.try_emplace(key, &row, nullptr).second) out.keys.push_back(std::move(key));
    }
    if (previous == nullptr) return out;
    for (const Cells& row : previous->rows) {
        auto key = key_of(*previous, row);
        auto [it, inserted] = out.cells.try_emplace(key, nullptr, &row);
        it->second.second = &row;
        if (inserted) out.keys.push_back(std::move(key));
    }
    return out;
}

std::optional<std::string> cell_at(const Table* table, const Cells* row, const std::string& column) {
    if (row == nullptr) return absent(column);
    const auto at = index_of(*table, column);
    return at ? present((*row)[*at]) : std::nullopt;
}

// current, previous, change = current − previous, change_percent of the previous figure
// (blank where it is 0); nullopt when the pair is no pair of figures (text, or blank in both).
std::optional<Cells> compared(const std::optional<std::string>& current, const std::optional<std::string>& previous) {
    if (!current && !previous) return std::nullopt;
    if ((current && !is_money_figure(*current)) || (previous && !is_money_figure(*previous))) return std::nullopt;
    Cells out{current, previous, std::nullopt, std::nullopt};
    if (!current || !previous) return out;
    const __int128 now = ore_of(*current), before = ore_of(*previous);
    out[2] = format_scaled(now - before, 2);
    if (before != 0) out[3] = format_scaled(divide_round_half_away((now - before) * percent_scale, before), 2);
    return out;
}

// comparison_<table>: per row (named as in the table) and compared column, the two years.
Table comparison_table(const Table& current, const Table* previous) {
    const bool key_value = current.columns == std::vector<std::string>{"figure", "value"};
    Table out{std::string(comparison_prefix) + current.name, {}, {}};
    for (const auto& column : identity_columns)
        if (index_of(current, column)) out.columns.push_back(column);
    if (!key_value) out.columns.emplace_back("column");
    for (const char* column : {"current", "previous", "change", "change_percent"}) out.columns.emplace_back(column);
    const Rows rows = rows_of(current, previous);
    for (const auto& key : rows.keys) {
        const auto [now, before] = rows.cells.at(key);
        for (const auto& column : current.columns) {
            if (not_compared.contains(column) || column.find("percent") != std::string::npos) continue;
            if (key_value && key.front().find("percent") != std::string::npos) continue;
            const auto pair =
                compared(cell_at(&current, now, column), cell_at(previous, before, previous_column(column)));
            if (!pair) continue;
            Cells row(key.begin(), key.end());
            if (!key_value) row.emplace_back(column);
            row.insert(row.end(), pair->begin(), pair->end());
            out.rows.push_back(std::move(row));
        }
    }
    return out;
}

Table summary_table(const std::string& name, const std::vector<std::pair<std::string, std::string>>& summary) {
    Table out{name, {"figure", "value"}, {}};
    for (const auto& [key, value] : summary) out.rows.push_back({key, value});
    return out;
}

const Table* table_named(const Document& d, const std::string& name) {
    const auto it = std::find_if(d.tables.begin(), d.tables.end(), [&](const Table& t) { return t.name == name; });
    return it == d.tables.end() ? nullptr : &*it;
}

}  // namespace

std::optional<Tertial> tertial_of(std::string_view text) {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (text.size() != 7 || text.substr(4, 2) != "-T" || !std::all_of(text.begin(), text.begin() + 4, digit))
        return std::nullopt;
    if (text[6] < '1' || text[6] > '3') return std::nullopt;
    Tertial t;
    t.code = std::string(text);
    t.number = text[6] - '0';
    const std::string year(text.substr(0, 4));
    static constexpr std::array<const char*, 4> last{"", "04", "08", "12"};
    static constexpr std::array<const char*, 4> first{"", "01", "05", "09"};
    t.from = year + "-01";
    t.to = year + "-" + last[t.number];
    t.own_from = year + "-" + first[t.number];
    t.own_to = t.to;
    return t;
}

std::string month_year_earlier(const std::string& month) {
    std::string year = std::to_string(std::stoi(month.substr(0, 4)) - 1);
    if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
    return year + month.substr(4);
}

std::string tertial_year_earlier(const std::string& tertial) { return month_year_earlier(tertial); }

void add_tertial_months(Document& document, const Tertial& tertial, const Document& own) {
    document.provenance.emplace_back("tertial", tertial.code);
    document.provenance.emplace_back("tertial_months_from", tertial.own_from);
    document.provenance.emplace_back("tertial_months_to", tertial.own_to);
    document.provenance.emplace_back("tertial_months_events_counted", provenance_value(own, "events_counted"));
    document.provenance.emplace_back("tertial_months_content_hash", own.content_hash);
    for (const Table& table : own.tables) {
        if (table.name == "allocation_keys") continue;  // the keys are the cumulative statement's
        Table copy = table;
        copy.name += tertial_suffix;
        document.tables.push_back(std::move(copy));
    }
    document.tables.push_back(summary_table("summary" + std::string(tertial_suffix), own.summary));
    finish_document(document);
}

void add_previous_year(Document& document, const Document& previous) {
    const std::string events = provenance_value(previous, "events_counted");
    document.provenance.emplace_back("compare", "previous_year");
    document.provenance.emplace_back("previous_year_from", provenance_value(previous, "from"));
    document.provenance.emplace_back("previous_year_to", provenance_value(previous, "to"));
    document.provenance.emplace_back("previous_year_events_counted", events);
    document.provenance.emplace_back("previous_year_content_hash", previous.content_hash);
    if (events == "0") {  // nothing to compare with: said, never shown as zeros
        document.summary.emplace_back("previous_year_not_compared", "no_events_in_previous_year");
        finish_document(document);
        return;
    }
    std::vector<Table> comparisons;
    for (const Table& table : document.tables)
        if (table.name != "allocation_keys")
            comparisons.push_back(comparison_table(table, table_named(previous, table.name)));
    const Table previous_summary = summary_table("summary", previous.summary);
    comparisons.push_back(comparison_table(summary_table("summary", document.summary), &previous_summary));
    for (Table& table : comparisons) document.tables.push_back(std::move(table));
    finish_document(document);
}

}  // namespace likvard
