// Field values of SIE records, checked exactly: no locale, no floating point.
#include "sie/detail/fields.hpp"

#include <charconv>
#include <cstdio>

namespace likvard::sie::detail {
namespace {

constexpr std::size_t shown_chars_max = 40;

bool all_digits(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

int digits_value(std::string_view text) {
    int value = 0;
    for (char c : text) value = value * 10 + (c - '0');
    return value;
}

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : days[month - 1];
}

}  // namespace

std::string quoted_for_message(std::string_view text) {
    std::string out = "\"";
    out.append(text.substr(0, shown_chars_max));
    if (text.size() > shown_chars_max) out += "...";
    return out + "\"";
}

Parsed<Date> parse_date(std::string_view text) {
    if (text.size() != 8 || !all_digits(text))
        return {std::nullopt, quoted_for_message(text) + " is not a date like 20210131"};
    const Date date{digits_value(text.substr(0, 4)), digits_value(text.substr(4, 2)), digits_value(text.substr(6, 2))};
    if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 ||
        date.day > days_in_month(date.year, date.month))
        return {std::nullopt, quoted_for_message(text) + " is not a day of the calendar"};
    return {date, {}};
}

Parsed<Month> parse_month(std::string_view text) {
    if (text.size() != 6 || !all_digits(text))
        return {std::nullopt, quoted_for_message(text) + " is not a month like 202101"};
    const Month month{digits_value(text.substr(0, 4)), digits_value(text.substr(4, 2))};
    if (month.year < 1 || month.month < 1 || month.month > 12)
        return {std::nullopt, quoted_for_message(text) + " is not a month of the calendar"};
    return {month, {}};
}

Parsed<int> parse_int(std::string_view text, int min, int max) {
    int value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, error] = std::from_chars(text.data(), end, value);
    const bool number = !text.empty() && error == std::errc() && ptr == end;
    if (number && value >= min && value <= max) return {value, {}};
    return {std::nullopt, quoted_for_message(text) + (number ? " is out of range (" : " is not a whole number (") +
                              std::to_string(min) + " to " + std::to_string(max) + ")"};
}

Parsed<std::string> parse_account(std::string_view text) {
    if (!all_digits(text)) return {std::nullopt, quoted_for_message(text) + " is not an account number (digits only)"};
    if (text.size() > account_digits_max)
        return {std::nullopt,
                quoted_for_message(text) + " has more than " + std::to_string(account_digits_max) + " digits"};
    return {std::string(text), {}};
}

Parsed<std::string> parse_quantity(std::string_view text) {
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
    const auto dot = digits.find('.');
    const bool fraction_ok = dot == std::string_view::npos || all_digits(digits.substr(dot + 1));
    if (text.size() <= quantity_chars_max && all_digits(digits.substr(0, dot)) && fraction_ok)
        return {std::string(text), {}};
    return {std::nullopt, quoted_for_message(text) + " is not a quantity like 12 or -3.5"};
}

Parsed<std::vector<ObjectRef>> parse_objects(const Field& field) {
    if (!field.is_list)
        return {std::nullopt, quoted_for_message(field.text) + " is not an object list like {1 \"Nord\"}"};
    if (field.items.size() % 2 != 0)
        return {std::nullopt, "{...} has a dimension without its object (they come in pairs)"};
    std::vector<ObjectRef> objects;
    for (std::size_t i = 0; i < field.items.size(); i += 2) {
        const auto dimension = parse_int(field.items[i], 0, dimension_max);
        if (!dimension) return {std::nullopt, "dimension " + dimension.error};
        if (field.items[i + 1].empty()) return {std::nullopt, "object of dimension " + field.items[i] + " is empty"};
        objects.push_back({*dimension, field.items[i + 1]});
    }
    return {objects, {}};
}

Parsed<std::uint32_t> parse_checksum(std::string_view text) {
    long long value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, error] = std::from_chars(text.data(), end, value);
    constexpr long long signed_min = -2'147'483'648LL;
    constexpr long long unsigned_max = 4'294'967'295LL;
    if (text.empty() || error != std::errc() || ptr != end || value < signed_min || value > unsigned_max)
        return {std::nullopt, quoted_for_message(text) + " is not a CRC-32 value (a whole number of 32 bits)"};
    return {static_cast<std::uint32_t>(value < 0 ? value + unsigned_max + 1 : value), {}};
}

}  // namespace likvard::sie::detail

namespace likvard::sie {

std::string Date::iso() const {
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    return text;
}

std::string Date::sie() const {
    char text[40];
    std::snprintf(text, sizeof text, "%04d%02d%02d", year, month, day);
    return text;
}

std::string Month::iso() const {
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d", year, month);
    return text;
}

std::string Month::sie() const {
    char text[40];
    std::snprintf(text, sizeof text, "%04d%02d", year, month);
    return text;
}

}  // namespace likvard::sie
