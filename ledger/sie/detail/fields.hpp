// Parsers of SIE field values (dates, periods, integers, account numbers, object lists,
// quantities). Each returns the value or a sentence saying what is wrong with the text,
// to be put after the field's name. Internal to ledger/sie.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "money/money.hpp"
#include "sie/detail/tokens.hpp"
#include "sie/sie.hpp"

namespace likvard::sie::detail {

inline constexpr std::size_t account_digits_max = 16;
inline constexpr std::size_t quantity_chars_max = 32;
inline constexpr int dimension_max = 999'999'999;

Parsed<Date> parse_date(std::string_view text);    // ÅÅÅÅMMDD, a real date
Parsed<Month> parse_month(std::string_view text);  // ÅÅÅÅMM
Parsed<int> parse_int(std::string_view text, int min, int max);
Parsed<std::string> parse_account(std::string_view text);   // digits only
Parsed<std::string> parse_quantity(std::string_view text);  // -?digits(.digits)?
Parsed<std::vector<ObjectRef>> parse_objects(const Field& field);
// A #KSUMMA value: the unsigned CRC, or the same 32 bits written as a signed number.
Parsed<std::uint32_t> parse_checksum(std::string_view text);

std::string quoted_for_message(std::string_view text);

}  // namespace likvard::sie::detail
