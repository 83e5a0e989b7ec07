// A statement as a person reads it: the same figures as the JSON, each with its kind (text,
// figure, percentage) and shown in the language's number format, under labels instead of keys.
#include <map>
#include <set>

#include "statements/detail/human.hpp"

namespace likvard::statement {
namespace {

// Columns of words, never figures, whatever their text (a party named "2023" stays a name).
const std::set<std::string, std::less<>> text_columns{"row",
                                                      "party_id",
                                                      "name",
                                                      "side",
                                                      "kind",
                                                      "service",
                                                      "commitment",
                                                      "decision_refs",
                                                      "figure",
                                                      "basis",
                                                      "line",
                                                      "region",
                                                      "as_of_hash",
                                                      "neutrality_content_hash",
                                                      "commitments_content_hash",
                                                      "neutrality_gap_largest_region"};
// Columns (and summary figures) whose cells hold a code that has a label ("region_run").
const std::set<std::string, std::less<>> code_columns{"row",
                                                      "line",
                                                      "side",
                                                      "kind",
                                                      "service",
                                                      "commitment",
                                                      "scheme",
                                                      "key",
                                                      "beneficiaries",
                                                      "estimate",
                                                      "neutrality_gap_favours",
                                                      "neutrality_gap_favours_excluding_deficit_compensation",
                                                      "neutrality_gap_favours_assignment",
                                                      "neutrality_gap_not_computed",
                                                      "previous_year_not_compared",
                                                      "compare",
                                                      "column",
                                                      "neutrality_gap_favours_largest",
                                                      "neutrality_gap_largest_scheme"};

bool is_percent(std::string_view column) { return column.find("percent") != std::string_view::npos; }

std::string code_label(std::string_view column, const std::string& code, Language language);

// A budget's line: a money column ("capitation") by the column's label, a commitment
// ("commitment:on_call_coordination", "total") by the commitment's.
std::string line_label(const std::string& code, Language language) {
    constexpr std::string_view commitment = "commitment:";
    if (code.starts_with(commitment)) return code_label("commitment", code.substr(commitment.size()), language);
    if (auto label = label_of(code, language); label && code != "total") return *label;
    return code_label("commitment", code, language);
}

// A code's label for its column ("value.commitment.total") before the general one ("value.total").
std::string code_label(std::string_view column, const std::string& code, Language language) {
    if (column == "line") return line_label(code, language);
    if (column == "column" || column == "figure") return label_of(code, language).value_or(code);  // a comparison's
    if (auto label = label_of("value." + std::string(column) + "." + code, language)) return *label;
    return label_of("value." + code, language).value_or(code);
}

Cell cell_of(std::string_view column, const std::string& text, Language language, const NumberFormat& format,
             bool keys = false) {
    if (code_columns.contains(column) || (keys && column == "figure"))
        return {CellKind::text, code_label(column, text, language), ""};
    if (text_columns.contains(column)) return {CellKind::text, text, ""};
    if (is_percent(column))
        if (auto shown = format_percent_figure(text, format)) return {CellKind::percent, *shown, text};
    if (auto shown = format_figure(text, format)) return {CellKind::figure, *shown, text};
    return {CellKind::text, text, ""};
}

constexpr std::string_view tertial_suffix = "_tertial_months";
constexpr std::string_view comparison_prefix = "comparison_";

// A table's title; with a tertial (number 1-3, else 0) the tertial's own months are named
// ("Tertial 2 (maj–augusti)") and the other tables say they are cumulative.
std::string table_title(const std::string& name, int tertial, Language language) {
    if (name.starts_with(comparison_prefix))
        return label_or_key("table.comparison", language) + " – " +
               table_title(name.substr(comparison_prefix.size()), tertial, language);
    if (tertial == 0 || name == "provenance") return label_or_key("table." + name, language);
    const std::string number = std::to_string(tertial);
    if (name.ends_with(tertial_suffix))
        return label_or_key("tertial.T" + number, language) + " – " +
               label_or_key("table." + name.substr(0, name.size() - tertial_suffix.size()), language);
    return label_or_key("table." + name, language) + " – " + label_or_key("cumulative.T" + number, language);
}

int tertial_of_document(const Document& d) {
    for (const auto& [key, value] : d.provenance)
        if (key == "tertial") return tertial_of(value) ? tertial_of(value)->number : 0;
    return 0;
}

HumanTable table_of(const Table& table, int tertial, Language language, const NumberFormat& format) {
    HumanTable out{table.name, table_title(table.name, tertial, language), {}, {}};
    const bool keys = table.name.starts_with(comparison_prefix);  // its figures are named by their keys
    for (const auto& column : table.columns) out.headers.push_back(label_or_key(column, language));
    for (const auto& row : table.rows) {
        std::vector<Cell> cells;
        for (std::size_t i = 0; i < row.size(); ++i)
            cells.push_back(row[i] ? cell_of(table.columns[i], *row[i], language, format, keys) : Cell{});
        out.rows.push_back(std::move(cells));
    }
    return out;
}

// Provenance and summary: one figure per row, its key in the first column.
HumanTable key_value_table(const std::string& name, const std::vector<std::pair<std::string, std::string>>& pairs,
                           int tertial, Language language, const NumberFormat& format) {
    HumanTable out{name,
                   table_title(name, tertial, language),
                   {label_or_key("figure", language), label_or_key("value", language)},
                   {}};
    const std::map<std::string, std::string> figures(pairs.begin(), pairs.end());
    constexpr std::string_view in_words = "neutrality_gap_in_words";
    for (const auto& [key, value] : pairs) {
        Cell cell = name == "provenance" && key != "scheme" && key != "compare" ? Cell{CellKind::text, value, ""}
                                                                                : cell_of(key, value, language, format);
        if (key.starts_with(in_words)) {  // the sentence in the language, from the gap it states
            const auto gap = figures.find("neutrality_gap" + key.substr(in_words.size()));
            if (gap != figures.end() && !gap->second.empty()) cell.text = gap_in_words(gap->second, language, format);
        }
        out.rows.push_back({Cell{CellKind::text, label_or_key(key, language), ""}, std::move(cell)});
    }
    return out;
}

}  // namespace

std::string label_or_key(std::string_view key, Language language) {
    return label_of(key, language).value_or(std::string(key));
}

std::string title_of(const Document& document, Language language) {
    return label_or_key("statement." + document.statement, language);
}

std::vector<HumanTable> human_tables(const Document& document, Language language, const NumberFormat& format) {
    const std::vector<Table> tables = csv_tables(document);
    const int tertial = tertial_of_document(document);
    std::vector<HumanTable> out;
    for (const Table& table : tables) {
        const bool key_value = &table == &tables.front() || &table == &tables.back() ||
                               table.name == std::string("summary").append(tertial_suffix);
        if (!key_value) {
            out.push_back(table_of(table, tertial, language, format));
            continue;
        }
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const auto& row : table.rows) pairs.emplace_back(row[0].value_or(""), row[1].value_or(""));
        out.push_back(key_value_table(table.name, pairs, tertial, language, format));
    }
    return out;
}

}  // namespace likvard::statement
