// Internal to statements/: a statement as a person reads it, shared by the Markdown, XLSX and
// spreadsheet-CSV renderers: the tables in CSV order (provenance, the statement's tables,
// summary), headers and codes as labels, each figure with its kind and its exact text.
#pragma once

#include <string>
#include <vector>

#include "statements/statements.hpp"
#include "statements/workbook.hpp"

namespace likvard::statement {

std::string label_or_key(std::string_view key, Language language);
std::string title_of(const Document& document, Language language);
std::vector<HumanTable> human_tables(const Document& document, Language language, const NumberFormat& format);

}  // namespace likvard::statement
