// Internal to statements/: a statement as a person reads it, shared by the Markdown, XLSX and
// spreadsheet-CSV renderers: the tables in CSV order (provenance, the statement's tables,
// summary), headers and codes as labels, each figure with its kind and its exact text.
#pragma once

#include <string>
#include <vector>

#include "statements/statements.hpp"

namespace likvard::statement {

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

std::string label_or_key(std::string_view key, Language language);
std::string title_of(const Document& document, Language language);
std::vector<HumanTable> human_tables(const Document& document, Language language, const NumberFormat& format);

}  // namespace likvard::statement
