// The XLSX rendering: a provenance sheet, one sheet per table, a summary sheet, labelled in
// the chosen language. Figures are numeric cells with a number format (thousands grouped, as
// many decimals as the statement gives; percentages as percentage cells), whose value is the
// double nearest to the statement's exact figure: for |scaled| < 2^53 that double gives the
// figure back exactly, which is checked for every cell. Text is written as string cells
// (nothing here writes a formula), so free text that begins like one (=, +, -, @) stays text.
// The header row is frozen, the columns are as wide as their text, and the creation date is
// fixed so the same statement gives the same file.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/invariant.hpp"
#include "statements/detail/human.hpp"
#include "statements/workbook.hpp"

namespace likvard {
namespace {

using statement::Cell;
using statement::CellKind;
using statement::HumanTable;

constexpr std::size_t sheet_name_chars_max = 31;             // Excel's limit
constexpr std::int64_t exact_double_scaled_max = 1LL << 53;  // every integer below is a double
constexpr double column_width_chars_min = 8;
constexpr double column_width_chars_max = 50;
constexpr std::size_t header_width_chars_max = 24;  // a longer header wraps instead of widening its column
constexpr double column_padding_chars = 2;
constexpr double header_line_points = 15;

struct Formats {
    lxw_workbook* workbook;
    lxw_format* header;
    std::map<std::pair<CellKind, std::size_t>, lxw_format*> numbers;  // (kind, decimals)

    lxw_format* number(CellKind kind, std::size_t decimals) {
        auto& format = numbers[{kind, decimals}];
        if (format != nullptr) return format;
        // "#,##0.00": Excel shows it with the reader's own separators ("1 300 000,00" in Swedish).
        const std::string fraction = decimals == 0 ? "" : "." + std::string(decimals, '0');
        const std::string code = kind == CellKind::percent ? "0" + fraction + "%" : "#,##0" + fraction;
        format = workbook_add_format(workbook);
        format_set_num_format(format, code.c_str());
        return format;
    }
};

// The figure's value and its decimals: "-14.51" is -1451 hundredths; a percentage is a
// hundredth of its figure ("33.33" % is 0.3333).
std::pair<double, std::size_t> value_of(const Cell& cell) {
    const auto dot = cell.figure.find('.');
    const std::size_t decimals = dot == std::string::npos ? 0 : cell.figure.size() - dot - 1;
    std::string digits = cell.figure;
    if (dot != std::string::npos) digits.erase(dot, 1);
    constexpr std::size_t digits_max = 16;  // 2^53 has 16 digits; more cannot pass the check below
    const bool short_enough = digits.size() - (digits.front() == '-' ? 1 : 0) <= digits_max;
    const std::int64_t scaled = short_enough ? std::stoll(digits) : exact_double_scaled_max;
    LIKVARD_INVARIANT(scaled > -exact_double_scaled_max && scaled < exact_double_scaled_max,
                      "the figure " + cell.figure + " has no exact double for an XLSX cell");
    const std::size_t divisor_decimals = decimals + (cell.kind == CellKind::percent ? 2 : 0);
    double divisor = 1;
    for (std::size_t i = 0; i < divisor_decimals; ++i) divisor *= 10;  // exact: 10^k for k <= 22
    // Both are exact doubles, so the quotient is the double nearest to the exact figure.
    return {static_cast<double>(scaled) / divisor, decimals};
}

std::size_t chars_of(const std::string& utf8) {  // code points, as a reader counts them
    return static_cast<std::size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void write_cell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column, const Cell& cell, Formats& formats) {
    if (cell.text.empty()) return;
    if (cell.kind == CellKind::text) {
        worksheet_write_string(sheet, row, column, cell.text.c_str(), nullptr);
        return;
    }
    const auto [value, decimals] = value_of(cell);
    worksheet_write_number(sheet, row, column, value, formats.number(cell.kind, decimals));
}

// Each column as wide as its widest cell and its header (up to a limit: a long header wraps).
void size_columns(lxw_worksheet* sheet, const HumanTable& table, Formats& formats) {
    std::size_t header_lines = 1;
    for (std::size_t c = 0; c < table.headers.size(); ++c) {
        const std::size_t header = chars_of(table.headers[c]);
        std::size_t widest = std::min(header, header_width_chars_max);
        for (const auto& row : table.rows) widest = std::max(widest, chars_of(row[c].text));
        const double width = std::clamp(static_cast<double>(widest) + column_padding_chars, column_width_chars_min,
                                        column_width_chars_max);
        worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width, nullptr);
        const auto room = static_cast<std::size_t>(width - column_padding_chars);
        header_lines = std::max(header_lines, (header + room - 1) / room);
    }
    worksheet_set_row(sheet, 0, header_line_points * static_cast<double>(header_lines), formats.header);
}

// The title cut to at most `chars_max` characters; a cut never splits one.
std::string cut_to(const std::string& title, std::size_t chars_max) {
    std::string name;
    for (std::size_t i = 0, chars = 0; i < title.size(); ++i) {
        const bool starts_char = (static_cast<unsigned char>(title[i]) & 0xC0) != 0x80;
        if (starts_char && ++chars > chars_max) break;
        name += title[i];
    }
    return name;
}

// Excel counts a sheet name's characters, and two sheets may not share a name: long titles
// that begin alike (a comparison's) are cut shorter and numbered.
std::string sheet_name(const std::string& title, std::set<std::string>& used) {
    std::string name = cut_to(title, sheet_name_chars_max);
    for (int n = 2; !used.insert(name).second; ++n) {
        const std::string number = " (" + std::to_string(n) + ")";
        name = cut_to(title, sheet_name_chars_max - number.size()) + number;
    }
    return name;
}

void write_sheet(lxw_workbook* workbook, const HumanTable& table, Formats& formats, std::set<std::string>& used) {
    const std::string name = sheet_name(table.title, used);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
    if (sheet == nullptr) throw std::runtime_error("cannot add the XLSX sheet '" + name + "'");
    for (std::size_t c = 0; c < table.headers.size(); ++c)
        worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.headers[c].c_str(), formats.header);
    for (std::size_t r = 0; r < table.rows.size(); ++r)
        for (std::size_t c = 0; c < table.rows[r].size(); ++c)
            write_cell(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), table.rows[r][c], formats);
    size_columns(sheet, table, formats);
    worksheet_freeze_panes(sheet, 1, 0);  // the header row stays in view
}

std::string read_and_remove(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::remove(path.c_str());
    return bytes.str();
}

}  // namespace

std::string render_workbook(const std::string& title, const std::vector<HumanTable>& tables) {
    char path[] = "/tmp/likvard-statement-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for the XLSX workbook");
    close(fd);
    lxw_workbook* workbook = workbook_new(path);
    if (workbook == nullptr) throw std::runtime_error("cannot start the XLSX workbook");
    lxw_doc_properties properties{};
    std::string title_text = title;
    properties.title = title_text.data();
    properties.created = 946684800;  // fixed (2000-01-01): the same content, the same bytes
    workbook_set_properties(workbook, &properties);
    Formats formats{workbook, workbook_add_format(workbook), {}};
    format_set_bold(formats.header);
    format_set_text_wrap(formats.header);
    format_set_align(formats.header, LXW_ALIGN_VERTICAL_TOP);
    try {
        std::set<std::string> used;
        for (const auto& table : tables) write_sheet(workbook, table, formats, used);
    } catch (...) {
        workbook_close(workbook);
        std::remove(path);
        throw;
    }
    if (workbook_close(workbook) != LXW_NO_ERROR) {
        std::remove(path);
        throw std::runtime_error("cannot write the XLSX workbook");
    }
    return read_and_remove(path);
}

std::string render_xlsx(const Document& d, Language language) {
    const NumberFormat& shown = language == Language::sv ? swedish_numbers : english_numbers;  // for the widths
    return render_workbook(statement::title_of(d, language), statement::human_tables(d, language, shown));
}

}  // namespace likvard
