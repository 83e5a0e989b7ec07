// A CSV table with named columns as the mapping and the party map read it: the header row
// checked against the columns a file may have, and one reader per row that fetches a value
// by column name and records errors with the row's line and the column's number and name.
// Internal to ledger/gl.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gl/detail/csv.hpp"
#include "gl/mapping.hpp"

namespace likvard::gl::detail {

class Columns {
public:
    // nullopt (with errors) when the header repeats or lacks a column or names an unknown one.
    static std::optional<Columns> of(const CsvTable& table, const std::vector<std::string_view>& known,
                                     const std::vector<std::string_view>& required, std::vector<MappingError>& errors);

    std::optional<std::size_t> index(std::string_view name) const;
    std::size_t size() const { return names_.size(); }
    const std::string& name(std::size_t i) const { return names_[i]; }

private:
    std::vector<std::string> names_;
    std::map<std::string, std::size_t, std::less<>> index_;
};

class RowReader {
public:
    RowReader(const CsvRecord& record, const Columns& columns, std::vector<MappingError>& errors)
        : record_(record), columns_(columns), errors_(errors), errors_before_(errors.size()) {}

    std::size_t line() const { return record_.line; }
    std::string get(std::string_view name) const;  // "" when the column is absent or empty
    void fail(std::string_view name, std::string message);
    bool ok() const { return errors_.size() == errors_before_; }
    // An error for every value past the header's columns.
    void check_extra_fields();

private:
    const CsvRecord& record_;
    const Columns& columns_;
    std::vector<MappingError>& errors_;
    std::size_t errors_before_;
};

// The errors of the CSV layer as MappingErrors.
void add_csv_errors(const CsvTable& table, std::vector<MappingError>& errors);

bool is_party_id(std::string_view text);                     // ^[a-z0-9][a-z0-9-]{1,62}$
std::optional<int> dimension_number(std::string_view text);  // a positive integer <= 9999

}  // namespace likvard::gl::detail
