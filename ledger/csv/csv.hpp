// The spreadsheets finance staff keep (the listing register's monthly counts, the budget,
// the provider list) as events: a CSV table read exactly (separator, quotes, BOM, decimal
// comma), one event per row, ids derived from the content. Pure: no I/O, no database.
// The format is docs/spreadsheets.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/events.hpp"
#include "money/money.hpp"

namespace likvard::csv {

inline constexpr std::size_t file_bytes_max = 32 * 1024 * 1024;
inline constexpr std::size_t rows_max = 100'000;
inline constexpr std::size_t columns_max = 32;
inline constexpr std::size_t field_bytes_max = 1'000;
inline constexpr std::size_t problems_kept_max = 1'000;  // the rest are counted only

// One thing wrong, at a line of the file and (when it is one field) its column's header name.
struct Problem {
    std::int64_t line = 0;
    std::string column;  // empty: the whole row or file
    std::string message;
    std::string to_string() const;  // "line 4, column amount: ..." or "line 4: ..."
};

struct Row {
    std::int64_t line = 0;  // where the row starts (a quoted field may span lines)
    std::vector<std::string> fields;
    std::string text;  // the row as it stands in the file, without its line end
};

struct Table {
    char separator = ';';
    std::vector<std::string> header;  // as written, trimmed
    std::string header_text;
    std::vector<Row> rows;  // rows with every field empty are left out
};

struct TableRead {
    Table table;
    std::vector<Problem> problems;
};

// `separator`: ';' or ',', or nullopt to take the header row's (';' when it has one, else ',').
TableRead read_table(std::string_view bytes, std::optional<char> separator = std::nullopt);

// Spreadsheet numbers to the contract's form. Spaces (also no-break spaces) group thousands;
// one ',' or '.' is the decimal mark; both in one number is refused as ambiguous.
Parsed<std::string> amount_text(std::string_view cell);     // "1 300 000,50" -> "1300000.50"
Parsed<std::string> decimal_text(std::string_view cell);    // "9120,3315" -> "9120.3315"
Parsed<std::int64_t> integer_value(std::string_view cell);  // "8 412" -> 8412

// The columns of a type's sheet, in the order docs/spreadsheets.md lists them.
struct Column {
    std::string_view name;
    bool required;
};
const std::vector<Column>& columns_of(EventType type);
bool importable(EventType type);  // listing.recorded, budget.set, party.registered

struct ImportOptions {
    EventType type = EventType::budget_set;
    std::string region;
    std::optional<std::string> scheme;  // for rows without a scheme column
};

struct ImportedEvent {
    std::int64_t line = 0;
    std::string event_id;
    std::string json;  // the NDJSON line (canonical form)
};

struct Imported {
    std::vector<ImportedEvent> events;  // in row order; empty when there is a problem
    std::vector<Problem> problems;      // at most problems_kept_max, in line order
    std::size_t problems_total = 0;
};

// Every row to an event that passes the contract (`decoder`), or every problem of the file.
Imported import_table(const Table& table, const ImportOptions& options, Decoder& decoder);

// UUID version 5 (RFC 9562, SHA-1) of `name` in a namespace, lower case. The namespace of
// spreadsheet imports is itself uuid5(NAMESPACE_URL, "urn:likvard:import:spreadsheet").
inline constexpr std::string_view spreadsheet_namespace = "9d6f1213-53ce-5ecd-8e0d-3c1b5effb751";
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

}  // namespace likvard::csv
