// Named columns over the spreadsheet CSV reader (ledger/gl/detail/table.hpp).
#include "gl/detail/table.hpp"

#include <algorithm>

namespace likvard::gl::detail {
namespace {

constexpr int dimension_max = 9999;
constexpr std::size_t party_id_chars_max = 63;

std::string list(const std::vector<std::string_view>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

}  // namespace

std::optional<Columns> Columns::of(const CsvTable& table, const std::vector<std::string_view>& known,
                                   const std::vector<std::string_view>& required, std::vector<MappingError>& errors) {
    const std::size_t errors_before = errors.size();
    if (table.header_line == 0) {
        errors.push_back({0, 0, "", "the file is empty: it needs a header row (" + list(required) + ", ...)"});
        return std::nullopt;
    }
    Columns columns;
    for (std::size_t i = 0; i < table.header.size(); ++i) {
        const std::string& name = table.header[i];
        columns.names_.push_back(name);
        if (std::find(known.begin(), known.end(), name) == known.end())
            errors.push_back({table.header_line, i + 1, name,
                              "unknown column '" + name + "' (the columns are " + list(known) + ")"});
        else if (!columns.index_.emplace(name, i).second)
            errors.push_back({table.header_line, i + 1, name, "the column '" + name + "' is in the header twice"});
    }
    for (const auto& name : required)
        if (!columns.index_.contains(name))
            errors.push_back({table.header_line, 0, "", "the header has no column '" + std::string(name) + "'"});
    if (errors.size() != errors_before) return std::nullopt;
    return columns;
}

std::optional<std::size_t> Columns::index(std::string_view name) const {
    const auto found = index_.find(name);
    if (found == index_.end()) return std::nullopt;
    return found->second;
}

std::string RowReader::get(std::string_view name) const {
    const auto i = columns_.index(name);
    if (!i || *i >= record_.fields.size()) return {};
    return record_.fields[*i];
}

void RowReader::fail(std::string_view name, std::string message) {
    const auto i = columns_.index(name);
    errors_.push_back({record_.line, i ? *i + 1 : 0, i ? std::string(name) : "", std::move(message)});
}

void RowReader::check_extra_fields() {
    for (std::size_t i = columns_.size(); i < record_.fields.size(); ++i)
        if (!record_.fields[i].empty())
            errors_.push_back({record_.line, i + 1, "", "a value in a column the header does not name"});
}

void add_csv_errors(const CsvTable& table, std::vector<MappingError>& errors) {
    for (const auto& error : table.errors) {
        std::string name;
        if (error.column > 0 && error.column <= table.header.size() && error.line > table.header_line)
            name = table.header[error.column - 1];
        errors.push_back({error.line, error.column, name, error.message});
    }
}

bool is_party_id(std::string_view text) {
    if (text.size() < 2 || text.size() > party_id_chars_max) return false;
    const auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!lower_or_digit(text[0])) return false;
    return std::all_of(text.begin() + 1, text.end(), [&](char c) { return lower_or_digit(c) || c == '-'; });
}

std::optional<int> dimension_number(std::string_view text) {
    if (text.empty() || text.size() > 4 || text[0] == '0') return std::nullopt;
    int n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    if (n > dimension_max) return std::nullopt;
    return n;
}

}  // namespace likvard::gl::detail
