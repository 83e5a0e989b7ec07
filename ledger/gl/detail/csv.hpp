// The CSV files finance staff keep in a spreadsheet (the mapping, the party map): ';'
// separated, UTF-8 with or without a byte order mark, a header row, quoted fields with ""
// escapes, blank lines ignored. Internal to ledger/gl.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace likvard::gl::detail {

inline constexpr std::size_t csv_bytes_max = 4 * 1024 * 1024;  // 4 MiB, far more than any mapping
inline constexpr std::size_t csv_fields_per_record_max = 64;
inline constexpr std::size_t csv_records_max = 20'000;

struct CsvRecord {
    std::size_t line = 0;  // 1-based line the record starts on
    std::vector<std::string> fields;
};

// Something wrong in the bytes themselves: the line and the 1-based field (0: the whole line).
struct CsvError {
    std::size_t line = 0;
    std::size_t column = 0;
    std::string message;
};

struct CsvTable {
    std::vector<std::string> header;  // the first non-blank record, trimmed
    std::size_t header_line = 0;
    std::vector<CsvRecord> records;  // the records after it, blank ones left out
    std::vector<CsvError> errors;
};

// Reads the whole text; never throws for any input (std::bad_alloc aside).
CsvTable read_csv(std::string_view text);

// The text without spaces and tabs at either end.
std::string trimmed(std::string_view text);

}  // namespace likvard::gl::detail
