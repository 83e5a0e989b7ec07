// An XLSX workbook of tables as a person reads them: one sheet per table (named by its
// title), the header row frozen, columns as wide as their text, figures as numeric cells
// whose value is the exact figure (xlsx.cpp). The statements use it, and so does the
// reconciliation report of the general ledger.
#pragma once

#include <string>
#include <vector>

namespace likvard {
namespace statement {

enum class CellKind { text, figure, percent };

struct Cell {
    CellKind kind = CellKind::text;
    std::string text;    // as shown: a label, a name, the figure in the number format; "" = blank
    std::string figure;  // figure and percent: the statement's own text, e.g. "-14.51" (33.33 for 33.33 %)
};

struct HumanTable {
    std::string name;   // the table's key: "provenance", "rows", ..., "summary"
    std::string title;  // its label
    std::vector<std::string> headers;
    std::vector<std::vector<Cell>> rows;
};

}  // namespace statement

// The workbook's bytes; the same tables give the same bytes (a fixed creation date).
std::string render_workbook(const std::string& title, const std::vector<statement::HumanTable>& tables);

}  // namespace likvard
