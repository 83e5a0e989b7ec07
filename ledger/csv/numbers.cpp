// Numbers as a Swedish (or any) spreadsheet writes them, to the contract's exact strings:
// never through floating point. Spaces group thousands; the one ',' or '.' is the decimal
// mark; a number with both is refused, since "1.300,50" and "1,300.50" mean different things
// in different countries and a guess would book the wrong amount.
#include <algorithm>

#include "csv/csv.hpp"

namespace likvard::csv {
namespace {

constexpr std::size_t integer_digits_max = 18;  // below 2^63

// The cell without the spaces that group thousands (also U+00A0 and U+202F).
std::string without_group_spaces(std::string_view cell) {
    std::string out;
    for (std::size_t i = 0; i < cell.size(); ++i) {
        if (cell[i] == ' ' || cell[i] == '\t') continue;
        if (cell.substr(i, 2) == "\xC2\xA0") {
            ++i;
            continue;
        }
        if (cell.substr(i, 3) == "\xE2\x80\xAF") {
            i += 2;
            continue;
        }
        out += cell[i];
    }
    return out;
}

std::string quoted(std::string_view cell) { return "\"" + std::string(cell) + "\""; }

// Money's and Decimal4's errors quote the text they read ("\"1.505\" has more than two
// decimals"); say it of the cell as the sheet has it instead.
std::string of_cell(std::string_view cell, const std::string& error) {
    const auto after_quote = error.find("\" ", 1);
    return quoted(cell) + " " + (after_quote == std::string::npos ? error : error.substr(after_quote + 2));
}

// The number with '.' as its decimal mark, or why it cannot be read.
Parsed<std::string> with_decimal_point(std::string_view cell) {
    std::string text = without_group_spaces(cell);
    if (text.empty()) return {std::nullopt, "is empty"};
    const auto commas = std::count(text.begin(), text.end(), ',');
    const auto points = std::count(text.begin(), text.end(), '.');
    if (commas > 0 && points > 0)
        return {std::nullopt, quoted(cell) +
                                  " is ambiguous: write it with one decimal mark and no other, e.g. "
                                  "1300000,50 or 1 300 000,50 (only spaces group thousands)"};
    if (commas + points > 1)
        return {std::nullopt, quoted(cell) + " has more than one decimal mark (only spaces group thousands)"};
    std::replace(text.begin(), text.end(), ',', '.');
    return {std::move(text), {}};
}

}  // namespace

Parsed<std::string> amount_text(std::string_view cell) {
    auto text = with_decimal_point(cell);
    if (!text) return text;
    const auto money = Money::parse(*text);
    if (!money) return {std::nullopt, of_cell(cell, money.error)};
    return text;
}

Parsed<std::string> decimal_text(std::string_view cell) {
    auto text = with_decimal_point(cell);
    if (!text) return text;
    const auto decimal = Decimal4::parse(*text);
    if (!decimal) return {std::nullopt, of_cell(cell, decimal.error)};
    return text;
}

Parsed<std::int64_t> integer_value(std::string_view cell) {
    const std::string text = without_group_spaces(cell);
    if (text.empty()) return {std::nullopt, "is empty"};
    const bool negative = text[0] == '-';
    const std::string_view digits = std::string_view(text).substr(negative ? 1 : 0);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {std::nullopt, quoted(cell) + " is not a whole number"};
    if (digits.size() > integer_digits_max) return {std::nullopt, quoted(cell) + " is too large"};
    std::int64_t value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return {negative ? -value : value, {}};
}

}  // namespace likvard::csv
