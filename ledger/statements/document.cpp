// Provenance, the canonical JSON body and its hash, and the renderers (JSON, Markdown,
// CSV). Every format shows the same figures: Markdown and the spreadsheet CSV in the
// language's number format, the JSON and the machine CSV as the statement computed them.
#include <cctype>
#include <set>
#include <sstream>
#include <string_view>
#include <stdexcept>

#include <boost/json.hpp>

#include "events/canonical.hpp"
#include "statements/detail/document.hpp"
#include "statements/detail/human.hpp"

namespace likvard {
namespace {

boost::json::value cell_value(const std::optional<std::string>& cell) {
    return cell ? boost::json::value(*cell) : boost::json::value(nullptr);
}

boost::json::object body(const Document& d) {
    boost::json::object provenance;
    for (const auto& [key, value] : d.provenance) provenance[key] = value;
    boost::json::array refs;
    for (const auto& ref : d.decision_refs) refs.emplace_back(ref);
    provenance["decision_refs"] = std::move(refs);
    boost::json::object tables;
    for (const auto& table : d.tables) {
        boost::json::array rows;
        for (const auto& row : table.rows) {
            boost::json::object object;
            for (std::size_t i = 0; i < table.columns.size(); ++i) object[table.columns[i]] = cell_value(row[i]);
            rows.emplace_back(std::move(object));
        }
        tables[table.name] = std::move(rows);
    }
    boost::json::object summary;
    for (const auto& [key, value] : d.summary) summary[key] = value;
    return {{"statement", d.statement},
            {"provenance", std::move(provenance)},
            {"tables", std::move(tables)},
            {"summary", std::move(summary)}};
}

std::string markdown_cell(const std::optional<std::string>& cell) {
    std::string out;
    for (char c : cell.value_or("")) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

}  // namespace

SliceParts slice_parts_for(const std::string& statement) {
    if (statement == "neutrality")
        return {.commitment_events = false, .cross_subsidies = true, .shared_cost_invoices = true};
    if (statement == "commitments")
        return {.commitment_events = true, .cross_subsidies = false, .shared_cost_invoices = true};
    throw std::invalid_argument("statement: '" + statement + "' is not neutrality or commitments");
}

std::vector<std::string> months_between(const std::string& from, const std::string& to) {
    std::vector<std::string> months;
    int year = std::stoi(from.substr(0, 4));
    int month = std::stoi(from.substr(5, 2));
    const int to_year = std::stoi(to.substr(0, 4));
    const int to_month = std::stoi(to.substr(5, 2));
    while (year < to_year || (year == to_year && month <= to_month)) {
        char text[8];
        std::snprintf(text, sizeof text, "%04d-%02d", year, month);
        months.emplace_back(text);
        if (++month == 13) month = 1, ++year;
    }
    return months;
}

std::string format_scaled(__int128 value, int decimals) {
    const bool negative = value < 0;
    unsigned __int128 magnitude = negative ? static_cast<unsigned __int128>(-(value + 1)) + 1 : value;
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude > 0);
    if (static_cast<int>(digits.size()) <= decimals) digits.insert(0, decimals + 1 - digits.size(), '0');
    if (decimals > 0) digits.insert(digits.size() - decimals, 1, '.');
    return negative ? "-" + digits : digits;
}

Document start_document(const std::string& statement, const LedgerSlice& slice, const std::string& generator) {
    Document d;
    d.statement = statement;
    d.decision_refs = slice.decision_refs;
    d.provenance = {{"region", slice.region},
                    {"scheme", slice.scheme},
                    {"from", slice.from},
                    {"to", slice.to},
                    {"months", std::to_string(months_between(slice.from, slice.to).size())},
                    {"as_of_seq", std::to_string(slice.as_of_seq)},
                    {"as_of_hash", slice.as_of_hash},
                    {"events_counted", std::to_string(slice.events_counted)},
                    {"generator", generator}};
    if (slice.as_of_time) d.provenance.insert(d.provenance.begin() + 7, {"as_of_time", *slice.as_of_time});
    return d;
}

void finish_document(Document& d) {
    const std::string canonical = canonical_json(body(d));
    const auto digest = sha256(canonical);
    d.content_hash = to_hex(digest.data(), digest.size());
}

std::string render_json(const Document& d) {
    boost::json::object object = body(d);
    object["content_hash"] = d.content_hash;
    return canonical_json(object) + "\n";
}

namespace {

// A figure as the statements write it ("-64.38", "12", "0.5000"): a spreadsheet reads it as
// a number, whatever its sign.
bool is_figure(const std::string& text) {
    std::size_t i = text.empty() || text[0] != '-' ? 0 : 1;
    const std::size_t digits_start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == digits_start) return false;
    if (i == text.size()) return true;
    if (text[i] != '.' || i + 1 == text.size()) return false;
    for (++i; i < text.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    return true;
}

// One CSV field. Text that a spreadsheet would take as a formula (it begins with =, +, -,
// @, tab or CR: party names and references are free text) gets a ' in front, inside a
// quoted field, as OWASP advises for CSV injection; figures stay as they are.
std::string csv_field(const std::string& text) {
    const bool formula_like =
        !text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos && !is_figure(text);
    if (!formula_like && text.find_first_of(";\"\n\r") == std::string::npos) return text;
    std::string quoted = formula_like ? "\"'" : "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace

std::string render_csv(const Table& table) {
    const auto field = csv_field;
    std::ostringstream out;
    for (std::size_t i = 0; i < table.columns.size(); ++i) out << (i ? ";" : "") << field(table.columns[i]);
    out << "\n";
    for (const auto& row : table.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) out << (i ? ";" : "") << field(row[i].value_or(""));
        out << "\n";
    }
    return out.str();
}

namespace {

using statement::CellKind;
using statement::HumanTable;

// A column without text (figures and blanks) is right-aligned, as a reader of figures expects.
bool figures_only(const HumanTable& table, std::size_t column) {
    for (const auto& row : table.rows)
        if (!row[column].text.empty() && row[column].kind == CellKind::text) return false;
    return true;
}

void markdown_table(std::ostringstream& out, const HumanTable& table) {
    out << "|";
    for (const auto& header : table.headers) out << (header.empty() ? "" : " " + markdown_cell(header)) << " |";
    out << "\n|";
    for (std::size_t i = 0; i < table.headers.size(); ++i) out << (figures_only(table, i) ? "---:|" : "---|");
    out << "\n";
    for (const auto& row : table.rows) {
        out << "|";
        for (const auto& cell : row) out << ' ' << markdown_cell(cell.text) << " |";
        out << "\n";
    }
}

}  // namespace

std::string render_markdown(const Document& d, Language language) {
    const NumberFormat& format = language == Language::sv ? swedish_numbers : english_numbers;
    std::vector<HumanTable> tables = statement::human_tables(d, language, format);
    std::ostringstream out;
    out << "# " << statement::title_of(d, language) << "\n\n"
        << statement::label_or_key("note.units", language) << "\n\n";
    HumanTable& provenance = tables.front();  // under the title, the table named in its header
    provenance.headers = {provenance.title, ""};
    markdown_table(out, provenance);
    for (std::size_t i = 1; i < tables.size(); ++i) {
        out << "\n## " << tables[i].title << "\n\n";
        markdown_table(out, tables[i]);
    }
    return out.str();
}

namespace {

Table key_value_table(const std::string& name, const std::vector<std::pair<std::string, std::string>>& pairs) {
    Table table{name, {"figure", "value"}, {}};
    for (const auto& [key, value] : pairs) table.rows.push_back({key, value});
    return table;
}

}  // namespace

std::vector<Table> csv_tables(const Document& d) {
    auto provenance = d.provenance;
    std::string refs;
    for (const auto& ref : d.decision_refs) refs += (refs.empty() ? "" : ", ") + ref;
    provenance.emplace_back("decision_refs", refs);
    provenance.emplace_back("content_hash", d.content_hash);
    std::vector<Table> tables{key_value_table("provenance", provenance)};
    tables.insert(tables.end(), d.tables.begin(), d.tables.end());
    tables.push_back(key_value_table("summary", d.summary));
    return tables;
}

std::optional<std::string> render_csv(const Document& d, const std::string& name, Language language) {
    const NumberFormat& format = language == Language::sv ? swedish_csv_numbers : english_csv_numbers;
    for (const auto& table : statement::human_tables(d, language, format)) {
        if (table.name != name) continue;
        std::ostringstream out;
        for (std::size_t i = 0; i < table.headers.size(); ++i) out << (i ? ";" : "") << csv_field(table.headers[i]);
        out << "\n";
        for (const auto& row : table.rows) {
            for (std::size_t i = 0; i < row.size(); ++i)  // a figure is digits, '-' and its decimal sign: as it is
                out << (i ? ";" : "") << (row[i].kind == CellKind::text ? csv_field(row[i].text) : row[i].text);
            out << "\n";
        }
        return out.str();
    }
    return std::nullopt;
}

}  // namespace likvard
