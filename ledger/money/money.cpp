// Exact parsing, formatting and splitting of money and decimals. Integer arithmetic only.
#include "money/money.hpp"

#include "core/invariant.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace likvard {
namespace {

constexpr std::size_t money_integer_digits_max = 13;
constexpr std::size_t money_fraction_digits_max = 2;
constexpr std::size_t decimal_integer_digits_max = 12;
constexpr std::size_t decimal_fraction_digits_max = 4;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view text) {
    constexpr std::size_t shown_max = 40;
    std::string out = "\"";
    out.append(text.substr(0, shown_max));
    if (text.size() > shown_max) out += "...";
    out += '"';
    return out;
}

// Splits "I.F" into digit runs; an error names what is wrong. Sign handled by caller.
struct Digits {
    std::string_view integer;
    std::string_view fraction;
};

std::optional<std::string> split_digits(std::string_view text, std::size_t integer_max, std::size_t fraction_max,
                                        Digits& out) {
    const auto dot = text.find('.');
    out.integer = text.substr(0, dot);
    out.fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (out.integer.empty()) return "has no digits before the decimal point";
    if (dot != std::string_view::npos && out.fraction.empty()) return "has no digits after the decimal point";
    for (char c : out.integer)
        if (!is_digit(c)) return std::string("contains '") + c + "', not a plain decimal number";
    for (char c : out.fraction)
        if (!is_digit(c)) return std::string("contains '") + c + "', not a plain decimal number";
    if (out.fraction.size() > fraction_max)
        return "has more than " + std::string(fraction_max == 2 ? "two" : "four") + " decimals";
    if (out.integer.size() > integer_max)
        return "has more than " + std::to_string(integer_max) + " digits before the decimal point";
    return std::nullopt;
}

std::int64_t scaled_value(const Digits& d, std::int64_t scale, std::size_t fraction_max) {
    std::int64_t integer = 0;
    for (char c : d.integer) integer = integer * 10 + (c - '0');
    std::int64_t fraction = 0;
    for (char c : d.fraction) fraction = fraction * 10 + (c - '0');
    for (std::size_t i = d.fraction.size(); i < fraction_max; ++i) fraction *= 10;
    return integer * scale + fraction;
}

std::string format_scaled(std::int64_t value, std::int64_t scale, int decimals) {
    const bool negative = value < 0;
    // Work in unsigned so that the most negative value formats too.
    const std::uint64_t magnitude =
        negative ? std::uint64_t(0) - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    const auto uscale = static_cast<std::uint64_t>(scale);
    const std::string fraction = std::to_string(magnitude % uscale);
    std::string out;
    out.reserve(24);
    if (negative) out.push_back('-');
    out.append(std::to_string(magnitude / uscale));
    out.push_back('.');
    out.append(static_cast<std::size_t>(decimals) - fraction.size(), '0');
    out.append(fraction);
    return out;
}

std::string integer_text(__int128 value) {
    const bool negative = value < 0;
    unsigned __int128 magnitude =
        negative ? -static_cast<unsigned __int128>(value) : static_cast<unsigned __int128>(value);
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude != 0);
    return negative ? "-" + digits : digits;
}

// The digits of a figure and where its decimal point is; nullopt when it is not a figure.
struct FigureParts {
    bool negative = false;
    std::string_view integer;
    std::string_view fraction;  // empty: no decimals
};

std::optional<FigureParts> figure_parts(std::string_view text) {
    FigureParts parts;
    parts.negative = !text.empty() && text.front() == '-';
    if (parts.negative) text.remove_prefix(1);
    const auto dot = text.find('.');
    parts.integer = text.substr(0, dot);
    if (dot != std::string_view::npos) {
        parts.fraction = text.substr(dot + 1);
        if (parts.fraction.empty()) return std::nullopt;
    }
    if (parts.integer.empty()) return std::nullopt;
    if (!std::all_of(parts.integer.begin(), parts.integer.end(), is_digit)) return std::nullopt;
    if (!std::all_of(parts.fraction.begin(), parts.fraction.end(), is_digit)) return std::nullopt;
    return parts;
}

constexpr std::size_t digits_per_group = 3;

std::string grouped(std::string_view integer, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < integer.size(); ++i) {
        if (i > 0 && (integer.size() - i) % digits_per_group == 0) out.append(separator);
        out.push_back(integer[i]);
    }
    return out;
}

}  // namespace

std::optional<std::string> format_figure(std::string_view figure, const NumberFormat& format) {
    const auto parts = figure_parts(figure);
    if (!parts) return std::nullopt;
    std::string out = parts->negative ? "-" : "";
    out += grouped(parts->integer, format.thousands_separator);
    if (!parts->fraction.empty()) out.append(format.decimal_sign).append(parts->fraction);
    return out;
}

std::optional<std::string> format_percent_figure(std::string_view figure, const NumberFormat& format) {
    auto out = format_figure(figure, format);
    if (out) out->append(format.percent_sign);
    return out;
}

std::string format_money(Money amount, const NumberFormat& format) {
    const auto out = format_figure(amount.to_string(), format);
    LIKVARD_INVARIANT(out.has_value(), "Money::to_string gave " + amount.to_string());
    return *out;
}

Parsed<Money> Money::parse(std::string_view text) {
    if (text.empty()) return {std::nullopt, "is empty, expected an amount like \"123.40\""};
    const bool negative = text.front() == '-';
    Digits digits;
    if (auto error =
            split_digits(negative ? text.substr(1) : text, money_integer_digits_max, money_fraction_digits_max, digits))
        return {std::nullopt, quoted(text) + " " + *error};
    const std::int64_t ore = scaled_value(digits, ore_per_sek, money_fraction_digits_max);
    return {Money(negative ? -ore : ore), {}};
}

std::string Money::to_string() const { return format_scaled(ore_, ore_per_sek, 2); }

Money Money::operator+(Money other) const {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(ore_, other.ore_, &sum)) throw MoneyOverflow("money overflow in addition");
    return Money(sum);
}

Money Money::operator-(Money other) const {
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(ore_, other.ore_, &difference)) throw MoneyOverflow("money overflow in subtraction");
    return Money(difference);
}

Money money_from_sum(__int128 sum_ore, std::string_view what) {
    if (sum_ore >= std::numeric_limits<std::int64_t>::min() && sum_ore <= std::numeric_limits<std::int64_t>::max())
        return Money::from_ore(static_cast<std::int64_t>(sum_ore));
    throw MoneyOverflow(std::string(what) + " sums to " + integer_text(sum_ore) + " öre, beyond the ±" +
                        std::to_string(std::numeric_limits<std::int64_t>::max()) + " öre an amount can hold");
}

Money money_from_sum_text(std::string_view digits, std::string_view what) {
    const bool negative = !digits.empty() && digits.front() == '-';
    std::string_view magnitude = negative ? digits.substr(1) : digits;
    if (magnitude.empty() || !std::all_of(magnitude.begin(), magnitude.end(), is_digit))
        throw std::invalid_argument(std::string(what) + " is not an integer: '" + std::string(digits.substr(0, 40)) +
                                    "'");
    while (magnitude.size() > 1 && magnitude.front() == '0') magnitude.remove_prefix(1);
    constexpr std::size_t int64_digits_max = 19;
    if (magnitude.size() > int64_digits_max)
        throw MoneyOverflow(std::string(what) + " sums to " + std::string(digits) + " öre, beyond the ±" +
                            std::to_string(std::numeric_limits<std::int64_t>::max()) + " öre an amount can hold");
    __int128 value = 0;
    for (const char c : magnitude) value = value * 10 + (c - '0');
    return money_from_sum(negative ? -value : value, what);
}

Money Money::operator-() const { return Money() - *this; }

Parsed<Decimal4> Decimal4::parse(std::string_view text) {
    if (text.empty()) return {std::nullopt, "is empty, expected a decimal like \"0.5\""};
    Digits digits;
    if (auto error = split_digits(text, decimal_integer_digits_max, decimal_fraction_digits_max, digits))
        return {std::nullopt, quoted(text) + " " + *error};
    return {Decimal4(scaled_value(digits, scale, decimal_fraction_digits_max)), {}};
}

std::string Decimal4::to_string() const {
    std::string text = format_scaled(scaled_, scale, 4);
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
}

Decimal4 Decimal4::operator+(Decimal4 other) const {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(scaled_, other.scaled_, &sum)) throw std::overflow_error("decimal overflow");
    return Decimal4(sum);
}

std::int64_t divide_round_half_away(__int128 numerator, __int128 denominator) {
    if (denominator == 0) throw std::invalid_argument("division by zero");
    if (denominator < 0) {
        numerator = -numerator;
        denominator = -denominator;
    }
    const bool negative = numerator < 0;
    const __int128 magnitude = negative ? -numerator : numerator;
    // floor(m/d + 1/2) = floor((2m + d) / 2d): a remainder of exactly half rounds up.
    const __int128 rounded = (2 * magnitude + denominator) / (2 * denominator);
    const __int128 result = negative ? -rounded : rounded;
    if (result > INT64_MAX || result < INT64_MIN) throw std::overflow_error("rounded quotient overflows int64");
    return static_cast<std::int64_t>(result);
}

std::vector<Part> split_largest_remainder(Money total, const std::vector<Weight>& weights) {
    if (total.ore() < 0) throw std::invalid_argument("split of a negative amount");
    __int128 weight_sum = 0;
    for (const auto& w : weights) {
        if (w.weight < 0) throw std::invalid_argument("negative weight for " + w.party_id);
        weight_sum += w.weight;
    }
    if (weight_sum <= 0) throw std::invalid_argument("weights sum to zero");

    std::vector<Part> parts;
    std::vector<__int128> remainders;
    parts.reserve(weights.size());
    remainders.reserve(weights.size());
    std::int64_t assigned = 0;
    for (const auto& w : weights) {
        const __int128 scaled = static_cast<__int128>(total.ore()) * w.weight;
        const auto floor_part = static_cast<std::int64_t>(scaled / weight_sum);
        parts.push_back({w.party_id, Money::from_ore(floor_part)});
        remainders.push_back(scaled % weight_sum);
        assigned += floor_part;
    }
    const std::int64_t left_over = total.ore() - assigned;
    LIKVARD_INVARIANT(
        left_over >= 0 && left_over <= static_cast<std::int64_t>(weights.size()),
        "left over " + std::to_string(left_over) + " öre for " + std::to_string(weights.size()) + " parts");

    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
        return weights[a].party_id < weights[b].party_id;
    });
    for (std::int64_t i = 0; i < left_over; ++i) {
        Part& part = parts[order[static_cast<std::size_t>(i)]];
        part.amount = part.amount + Money::from_ore(1);
    }
    std::int64_t sum = 0;
    for (const auto& part : parts) sum += part.amount.ore();
    LIKVARD_INVARIANT(sum == total.ore(), "the parts sum to " + std::to_string(sum) + " öre, not " + total.to_string());
    return parts;
}

}  // namespace likvard
