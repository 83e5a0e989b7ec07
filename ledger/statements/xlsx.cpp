// The XLSX rendering: a provenance sheet, one sheet per table, a summary sheet. Figures
// are written as the same text the other formats show (exact; no floating point), and the
// creation date is fixed so the same statement gives the same file. Every cell is a string
// cell (worksheet_write_string; nothing here writes a formula), so free text that begins
// like a formula (=, +, -, @) is shown as the text it is.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <xlsxwriter.h>

#include "statements/statements.hpp"

namespace likvard {
namespace {

constexpr std::size_t sheet_name_chars_max = 31;  // Excel's limit

void write_rows(lxw_worksheet* sheet, const std::vector<std::string>& columns,
                const std::vector<std::vector<std::optional<std::string>>>& rows, lxw_format* bold) {
    for (std::size_t c = 0; c < columns.size(); ++c)
        worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), columns[c].c_str(), bold);
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t c = 0; c < rows[r].size(); ++c)
            if (rows[r][c])
                worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                                       rows[r][c]->c_str(), nullptr);
}

std::vector<std::vector<std::optional<std::string>>> pairs(const std::vector<std::pair<std::string, std::string>>& kv) {
    std::vector<std::vector<std::optional<std::string>>> rows;
    for (const auto& [key, value] : kv) rows.push_back({key, value});
    return rows;
}

std::string read_and_remove(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::remove(path.c_str());
    return bytes.str();
}

}  // namespace

std::string render_xlsx(const Document& d) {
    char path[] = "/tmp/likvard-statement-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for the XLSX statement");
    close(fd);
    lxw_workbook* workbook = workbook_new(path);
    if (workbook == nullptr) throw std::runtime_error("cannot start the XLSX workbook");
    lxw_doc_properties properties{};
    std::string title = d.statement + " statement";
    properties.title = title.data();
    properties.created = 946684800;  // fixed (2000-01-01): the same statement, the same bytes
    workbook_set_properties(workbook, &properties);
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);

    auto provenance = d.provenance;
    std::string refs;
    for (const auto& ref : d.decision_refs) refs += (refs.empty() ? "" : ", ") + ref;
    provenance.emplace_back("decision_refs", refs);
    provenance.emplace_back("content_hash", d.content_hash);
    write_rows(workbook_add_worksheet(workbook, "provenance"), {"figure", "value"}, pairs(provenance), bold);
    for (const auto& table : d.tables)
        write_rows(workbook_add_worksheet(workbook, table.name.substr(0, sheet_name_chars_max).c_str()), table.columns,
                   table.rows, bold);
    write_rows(workbook_add_worksheet(workbook, "summary"), {"figure", "value"}, pairs(d.summary), bold);
    if (workbook_close(workbook) != LXW_NO_ERROR) {
        std::remove(path);
        throw std::runtime_error("cannot write the XLSX statement");
    }
    return read_and_remove(path);
}

}  // namespace likvard
