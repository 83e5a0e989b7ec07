// A statement as a printable A4 report for a board: title, provenance, the summary in words,
// charts as inline SVG (net resources per weighted listed, the gap bridge as a waterfall),
// every table, the allocation keys with estimates marked, the decisions. No script, no
// network: the same document gives the same bytes, which Chromium prints (pdf.cpp).
#include <algorithm>
#include <sstream>

#include "statements/detail/human.hpp"

namespace likvard {
namespace {

using statement::Cell;
using statement::CellKind;
using statement::HumanTable;
using statement::label_or_key;

// A table wider than this is printed in parts that repeat each row's name, to fit A4.
constexpr std::size_t columns_per_part_max = 8;
// Chart geometry, in SVG user units (1 unit = 1 px at 96 dpi; the chart scales to the page width).
constexpr int chart_width_px = 680;
constexpr int chart_label_width_px = 330;
constexpr int chart_value_width_px = 90;
constexpr int chart_bar_height_px = 16;
constexpr int chart_row_height_px = 22;

constexpr std::string_view style = R"(@page { size: A4; margin: 14mm 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 8.5pt; color: #111; }
h1 { font-size: 15pt; margin: 0 0 4pt; } h2 { font-size: 11pt; margin: 14pt 0 4pt; break-after: avoid; }
table { border-collapse: collapse; margin: 0 0 6pt; break-inside: auto; } tr { break-inside: avoid; }
th, td { border: 0.5pt solid #999; padding: 1.5pt 3pt; vertical-align: top; }
th { background: #eee; font-weight: 600; text-align: left; } td.figure { text-align: right; white-space: nowrap; }
td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; }
tr.estimate td { background: #fff3c4; } p.note { color: #444; } p.words { font-size: 10pt; font-weight: 600; }
svg { width: 100%; height: auto; } svg text { font-size: 10px; } .region_run { fill: #2b6cb0; }
.private { fill: #dd6b20; } .neither { fill: #718096; } .up { fill: #2f855a; } .down { fill: #c53030; }
.sum { fill: #2d3748; } .axis { stroke: #333; stroke-width: 1; }
)";

NumberFormat format_of(Language language) { return language == Language::sv ? swedish_numbers : english_numbers; }

std::string escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '"')
            out += "&quot;";
        else
            out += c;
    }
    return out;
}

// A figure ("-1300000.05", "12", "0.5000") in hundredths, for a chart's geometry only: the
// text shown beside a bar is the figure itself.
std::int64_t hundredths_of(std::string_view figure) {
    const bool negative = !figure.empty() && figure.front() == '-';
    if (negative) figure.remove_prefix(1);
    std::int64_t whole = 0, cents = 0;
    int decimals = -1;
    for (char c : figure) {
        if (c == '.')
            decimals = 0;
        else if (decimals < 0)
            whole = whole * 10 + (c - '0');
        else if (decimals < 2)
            cents = cents * 10 + (c - '0'), ++decimals;
    }
    while (decimals < 2) cents *= 10, decimals = decimals < 0 ? 1 : decimals + 1;
    const std::int64_t value = whole * 100 + cents;
    return negative ? -value : value;
}

// ---- tables ----

// The name a row goes by in the parts of a wide table: its name (column `name_at`), else
// its leading words ("Delsumma Egen regi"); in a table without names, its first cell.
std::string row_name(const std::vector<Cell>& row, std::size_t name_at) {
    if (row.empty()) return "";
    if (name_at >= row.size()) return row.front().text;
    if (!row[name_at].text.empty()) return row[name_at].text;
    std::string out;
    for (std::size_t i = 0; i < row.size() && row[i].kind == CellKind::text; ++i)
        if (!row[i].text.empty()) out += (out.empty() ? "" : " ") + row[i].text;
    return out;
}

// A hash of the provenance (64 hex digits), set in a narrow type so it fits on one line.
bool is_hash(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void cell_html(std::ostringstream& out, const Cell& cell) {
    const char* kind = cell.kind != CellKind::text ? " class=\"figure\"" : is_hash(cell.text) ? " class=\"hash\"" : "";
    out << "<td" << kind << ">" << escaped(cell.text) << "</td>";
}

// One table as printed: its labelled cells, and per row whether it is an estimate.
struct PrintedTable {
    const HumanTable& human;
    std::vector<bool> estimates;
    std::size_t name_at = 0;  // the column of the row's name; its size when none
};

// Columns [first, last) of a table, each row led by its name when `named`.
void table_part(std::ostringstream& out, const PrintedTable& table, std::size_t first, std::size_t last, bool named) {
    const HumanTable& human = table.human;
    out << "<table><thead><tr>";
    if (named) out << "<th></th>";
    for (std::size_t i = first; i < last; ++i) out << "<th>" << escaped(human.headers[i]) << "</th>";
    out << "</tr></thead><tbody>\n";
    for (std::size_t r = 0; r < human.rows.size(); ++r) {
        const bool estimate = r < table.estimates.size() && table.estimates[r];
        out << (estimate ? "<tr class=\"estimate\">" : "<tr>");
        if (named) out << "<td>" << escaped(row_name(human.rows[r], table.name_at)) << "</td>";
        for (std::size_t i = first; i < last; ++i) cell_html(out, human.rows[r][i]);
        out << "</tr>\n";
    }
    out << "</tbody></table>\n";
}

// A table wider than the page is printed in parts of columns_per_part_max columns, each
// part after the first led by the row's name.
void table_html(std::ostringstream& out, const PrintedTable& table) {
    out << "<h2>" << escaped(table.human.title) << "</h2>\n";
    const std::size_t columns = table.human.headers.size();
    if (columns <= columns_per_part_max) return table_part(out, table, 0, columns, false);
    table_part(out, table, 0, columns_per_part_max, false);
    for (std::size_t first = columns_per_part_max; first < columns; first += columns_per_part_max - 1)
        table_part(out, table, first, std::min(columns, first + columns_per_part_max - 1), true);
}

std::size_t column_of(const Table& table, std::string_view name) {
    const auto it = std::find(table.columns.begin(), table.columns.end(), name);
    return static_cast<std::size_t>(it - table.columns.begin());
}

PrintedTable printed(const HumanTable& human, const Table& raw) {
    PrintedTable out{human, {}, column_of(raw, "name")};
    const std::size_t estimate = column_of(raw, "estimate");
    if (estimate < raw.columns.size())
        for (const auto& row : raw.rows) out.estimates.push_back(row[estimate] == "true");
    return out;
}

// ---- charts ----

struct Bar {
    std::string label;
    std::string figure;     // the statement's text, e.g. "-14.51"
    std::string css;        // region_run, private, neither, up, down, sum
    std::int64_t from = 0;  // hundredths: where the bar starts (a waterfall's running total)
};

// Bars from `from` to from + figure on one scale that holds zero and every bar's ends.
std::string bars_svg(const std::vector<Bar>& bars, const NumberFormat& format) {
    std::int64_t low = 0, high = 0;
    for (const Bar& bar : bars) {
        const std::int64_t to = bar.from + hundredths_of(bar.figure);
        low = std::min({low, bar.from, to}), high = std::max({high, bar.from, to});
    }
    const std::int64_t span = std::max<std::int64_t>(high - low, 1);
    const int plot_px = chart_width_px - chart_label_width_px - chart_value_width_px;
    const auto x_of = [&](std::int64_t v) { return chart_label_width_px + (v - low) * plot_px / span; };
    const int height = static_cast<int>(bars.size()) * chart_row_height_px + 4;
    std::ostringstream out;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << chart_width_px << " " << height << "\">\n";
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const Bar& bar = bars[i];
        const std::int64_t a = x_of(bar.from), b = x_of(bar.from + hundredths_of(bar.figure));
        const auto y = static_cast<int>(i) * chart_row_height_px + 2;
        out << "<text x=\"" << chart_label_width_px - 6 << "\" y=\"" << y + 12 << "\" text-anchor=\"end\">"
            << escaped(bar.label) << "</text><rect class=\"" << bar.css << "\" x=\"" << std::min(a, b) << "\" y=\"" << y
            << "\" width=\"" << std::max<std::int64_t>(std::abs(b - a), 1) << "\" height=\"" << chart_bar_height_px
            << "\"/><text x=\"" << chart_width_px - chart_value_width_px + 6 << "\" y=\"" << y + 12 << "\">"
            << escaped(format_figure(bar.figure, format).value_or(bar.figure)) << "</text>\n";
    }
    out << "<line class=\"axis\" x1=\"" << x_of(0) << "\" y1=\"0\" x2=\"" << x_of(0) << "\" y2=\"" << height
        << "\"/>\n</svg>\n";
    return out.str();
}

std::string side_label(const std::string& side, Language language) {
    return label_or_key("value." + (side.empty() ? std::string("neither") : side), language);
}

// Net resources per weighted listed and year of every provider, side and the region.
std::vector<Bar> per_weighted_listed_bars(const Table& rows, Language language) {
    const std::size_t row = column_of(rows, "row"), name = column_of(rows, "name"), side = column_of(rows, "side");
    const std::size_t figure = column_of(rows, "net_per_weighted_listed");
    std::vector<Bar> bars;
    for (const auto& cells : rows.rows) {
        if (!cells.at(figure)) continue;  // no weighted listing: no figure per listed
        const std::string code = cells.at(row).value_or(""), on = cells.at(side).value_or("");
        const std::string label = code == "party" ? cells.at(name).value_or("")
                                  : code == "subtotal"
                                      ? label_or_key("value.subtotal", language) + " " + side_label(on, language)
                                      : label_or_key("value.total", language);
        bars.push_back({label, *cells.at(figure), code == "total" ? "sum" : (on.empty() ? "neither" : on), 0});
    }
    return bars;
}

// The gap bridge as a waterfall: each column's part of the gap from the running total,
// the rounding, then the gap itself (they sum to it exactly: docs/statements.md).
std::vector<Bar> gap_bridge_bars(const Document& d, Language language) {
    constexpr std::string_view prefix = "gap_bridge_";
    std::vector<Bar> bars;
    std::int64_t running = 0;
    std::optional<Bar> rounding, gap;
    for (const auto& [key, figure] : d.summary) {
        if (key == "neutrality_gap") gap = Bar{label_or_key(key, language), figure, "sum", 0};
        if (!key.starts_with(prefix)) continue;
        const std::string column = key.substr(prefix.size());
        Bar bar{column == "rounding" ? label_or_key(key, language) : label_or_key(column, language), figure,
                hundredths_of(figure) < 0 ? "down" : "up", 0};
        if (column == "rounding") {
            rounding = bar;
            continue;
        }
        bar.from = running, running += hundredths_of(figure);
        bars.push_back(bar);
    }
    if (bars.empty() || !gap) return {};
    if (rounding) rounding->from = running, bars.push_back(*rounding);
    bars.push_back(*gap);
    return bars;
}

// What each special commitment cost, the total left out (its bar would dwarf the others).
std::vector<Bar> commitment_bars(const Table& commitments, Language language) {
    const std::size_t commitment = column_of(commitments, "commitment"), cost = column_of(commitments, "cost");
    std::vector<Bar> bars;
    for (const auto& cells : commitments.rows) {
        const std::string code = cells.at(commitment).value_or("");
        if (code == "total" || !cells.at(cost)) continue;
        const std::string label = label_of("value." + code, language).value_or(code);
        bars.push_back({label, *cells.at(cost), "region_run", 0});
    }
    return bars;
}

void chart_html(std::ostringstream& out, std::string_view title_key, const std::vector<Bar>& bars, Language language) {
    if (bars.empty()) return;
    out << "<h2>" << escaped(label_or_key(title_key, language)) << "</h2>\n" << bars_svg(bars, format_of(language));
}

void charts_html(std::ostringstream& out, const Document& d, Language language) {
    for (const Table& table : d.tables) {
        if (table.name == "rows")
            chart_html(out, "chart.net_per_weighted_listed", per_weighted_listed_bars(table, language), language);
        if (table.name == "commitments")
            chart_html(out, "chart.commitment_costs", commitment_bars(table, language), language);
    }
    if (d.statement == "neutrality") chart_html(out, "chart.gap_bridge", gap_bridge_bars(d, language), language);
}

// ---- the report ----

// The summary's sentences ("Privata utförare får 14,51 kr mer ..."), in the order it has
// them; each after the first led by the gap it states ("Neutralitetsgap utan ...: ").
void words_html(std::ostringstream& out, const HumanTable& summary, const Document& d, Language language) {
    constexpr std::string_view in_words = "neutrality_gap_in_words";
    bool first = true;
    for (std::size_t i = 0; i < d.summary.size() && i < summary.rows.size(); ++i) {
        const std::string& key = d.summary[i].first;
        if (!key.starts_with(in_words)) continue;
        const std::string gap = "neutrality_gap" + key.substr(in_words.size());
        out << "<p class=\"words\">" << (first ? "" : escaped(label_or_key(gap, language)) + ": ")
            << escaped(summary.rows[i][1].text) << "</p>\n";
        first = false;
    }
}

std::string with(std::string text, std::string_view placeholder, const std::string& value) {
    const auto at = text.find(placeholder);
    if (at != std::string::npos) text.replace(at, placeholder.size(), value);
    return text;
}

// The previous year in words, under the gap: what the gap was the same months one year
// earlier and how it changed; or that the ledger has no such months to compare with.
void previous_year_html(std::ostringstream& out, const Document& d, Language language) {
    for (const auto& [key, value] : d.summary)
        if (key == "previous_year_not_compared")
            out << "<p class=\"words\">" << escaped(label_or_key("value." + value, language)) << "</p>\n";
    const auto table =
        std::find_if(d.tables.begin(), d.tables.end(), [](const Table& t) { return t.name == "comparison_summary"; });
    if (table == d.tables.end()) return;
    const NumberFormat format = format_of(language);
    for (const auto& row : table->rows) {  // figure, current, previous, change, change_percent
        if (row.size() != 5 || row[0] != "neutrality_gap" || !row[2] || !row[3]) continue;
        const std::string percent =
            row[4] ? " (" + format_percent_figure(*row[4], format).value_or(*row[4]) + ")" : std::string();
        std::string text = label_or_key("sentence.previous_year_gap", language);
        text = with(text, "{previous}", format_figure(*row[2], format).value_or(*row[2]));
        text = with(text, "{change}", format_figure(*row[3], format).value_or(*row[3]));
        out << "<p class=\"words\">" << escaped(with(text, "{percent}", percent)) << "</p>\n";
    }
}

void decisions_html(std::ostringstream& out, const Document& d, Language language) {
    out << "<h2>" << escaped(label_or_key("table.decisions", language)) << "</h2>\n<ul>\n";
    for (const auto& ref : d.decision_refs) out << "<li>" << escaped(ref) << "</li>\n";
    if (d.decision_refs.empty()) out << "<li>" << escaped(label_or_key("note.no_decisions", language)) << "</li>\n";
    out << "</ul>\n";
}

void estimate_note_html(std::ostringstream& out, const PrintedTable& table, Language language) {
    if (std::find(table.estimates.begin(), table.estimates.end(), true) == table.estimates.end()) return;
    out << "<p class=\"note\">" << escaped(label_or_key("note.estimate", language)) << "</p>\n";
}

}  // namespace

std::string render_html(const Document& d, Language language) {
    const std::vector<Table> raw = csv_tables(d);
    const std::vector<HumanTable> tables = statement::human_tables(d, language, format_of(language));
    const std::string title = statement::title_of(d, language);
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"" << (language == Language::sv ? "sv" : "en")
        << "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << escaped(title) << "</title>\n<style>\n"
        << style << "</style>\n</head>\n<body>\n<h1>" << escaped(title) << "</h1>\n<p class=\"note\">"
        << escaped(label_or_key("note.units", language)) << "</p>\n";
    table_part(out, printed(tables.front(), raw.front()), 0, tables.front().headers.size(), false);
    words_html(out, tables.back(), d, language);
    previous_year_html(out, d, language);
    charts_html(out, d, language);
    for (std::size_t i = 1; i < tables.size(); ++i) {
        const PrintedTable table = printed(tables[i], raw[i]);
        table_html(out, table);
        estimate_note_html(out, table, language);
    }
    decisions_html(out, d, language);
    out << "</body>\n</html>\n";
    return out.str();
}

}  // namespace likvard
