// Money and exact decimals for the ledger: amounts are an int64 count of öre and
// never pass through floating point; shares and weights are scaled integers (4 decimals).
// The largest-remainder splitter divides an amount by weights so the parts sum exactly.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace likvard {

// A parse result: the value, or a sentence saying what is wrong with the text.
template <typename T>
struct Parsed {
    std::optional<T> value;
    std::string error;  // empty when value is set

    explicit operator bool() const { return value.has_value(); }
    const T& operator*() const { return *value; }
    const T* operator->() const { return &*value; }
};

// A sum of amounts beyond what int64 öre can hold. The ledger never wraps: the sums of
// statements and projections throw this, naming what was summed (the party and account).
struct MoneyOverflow : std::overflow_error {
    using std::overflow_error::overflow_error;
};

// An amount of Swedish kronor held as öre (1 SEK = 100 öre).
class Money {
public:
    static constexpr std::int64_t ore_per_sek = 100;
    // The contract allows at most 13 integer digits: |amount| < 10^13 SEK.
    static constexpr std::int64_t ore_abs_max = 9'999'999'999'999'99;

    constexpr Money() = default;
    static constexpr Money from_ore(std::int64_t ore) { return Money(ore); }

    // Exact parse of "-?[0-9]{1,13}(\.[0-9]{1,2})?". No exponent, no whitespace, no '+'.
    static Parsed<Money> parse(std::string_view text);

    constexpr std::int64_t ore() const { return ore_; }
    // "123.40", "-0.05": always two decimals, '.' separator.
    std::string to_string() const;

    // Checked arithmetic: throws MoneyOverflow on int64 overflow.
    Money operator+(Money other) const;
    Money operator-(Money other) const;
    Money operator-() const;
    Money& operator+=(Money other) { return *this = *this + other; }
    Money& operator-=(Money other) { return *this = *this - other; }

    constexpr auto operator<=>(const Money&) const = default;

private:
    constexpr explicit Money(std::int64_t ore) : ore_(ore) {}
    std::int64_t ore_ = 0;
};

// A non-negative decimal with at most four decimals (shares, weights, weighted listings,
// FTE), held as units of 1/10,000.
class Decimal4 {
public:
    static constexpr std::int64_t scale = 10'000;

    constexpr Decimal4() = default;
    static constexpr Decimal4 from_scaled(std::int64_t scaled) { return Decimal4(scaled); }
    static constexpr Decimal4 one() { return Decimal4(scale); }

    // Exact parse of "[0-9]{1,12}(\.[0-9]{1,4})?".
    static Parsed<Decimal4> parse(std::string_view text);

    constexpr std::int64_t scaled() const { return scaled_; }
    // Shortest exact form with at least one decimal trimmed: "0.5", "12", "3.1416".
    std::string to_string() const;

    Decimal4 operator+(Decimal4 other) const;  // checked
    constexpr auto operator<=>(const Decimal4&) const = default;

private:
    constexpr explicit Decimal4(std::int64_t scaled) : scaled_(scaled) {}
    std::int64_t scaled_ = 0;
};

// How a person reads a figure (docs/statements.md, "Numbers"). Swedish groups the thousands
// with a NO-BREAK SPACE (U+00A0, so a figure never breaks across lines, and the digit grouping
// symbol of the Swedish locale, so Swedish Excel reads a pasted figure as a number) and writes
// a decimal comma: "1 300 000,00"; English "1,300,000.00". A negative figure starts with
// the hyphen-minus "-", which every spreadsheet reads as a minus sign.
struct NumberFormat {
    std::string_view thousands_separator;  // between groups of three digits; "" = none
    std::string_view decimal_sign;
    std::string_view percent_sign;  // after a percentage
};
inline constexpr NumberFormat swedish_numbers{"\u00A0", ",", "\u00A0%"};
inline constexpr NumberFormat english_numbers{",", ".", "%"};
// For CSV files a spreadsheet opens: no grouping, the language's decimal sign, no % sign.
inline constexpr NumberFormat swedish_csv_numbers{"", ",", ""};
inline constexpr NumberFormat english_csv_numbers{"", ".", ""};

// `figure` as statements write it (-?[0-9]+(\.[0-9]+)?: "-1300000.00", "12", "0.5000") in
// `format`, every digit kept; nullopt when the text is not such a figure.
std::optional<std::string> format_figure(std::string_view figure, const NumberFormat& format);
// A percentage figure ("12.30" for 12.3 %) in `format`, with its percent sign.
std::optional<std::string> format_percent_figure(std::string_view figure, const NumberFormat& format);
// The amount in SEK with two decimals in `format`: "-1 300 000,05".
std::string format_money(Money amount, const NumberFormat& format);

// `sum_ore` as Money, else MoneyOverflow: "<what> sums to <sum> öre, beyond the ±9223372036854775807
// öre an amount can hold". `what` names the party and account.
Money money_from_sum(__int128 sum_ore, std::string_view what);
// The same for an integer in decimal text (PostgreSQL's numeric sum of a bigint column);
// std::invalid_argument when it is not an integer.
Money money_from_sum_text(std::string_view digits, std::string_view what);

// One weight of a split, named by the party it belongs to (ties go to the lower id).
struct Weight {
    std::string party_id;
    std::int64_t weight = 0;  // any non-negative integer scale (e.g. Decimal4::scaled())
};

struct Part {
    std::string party_id;
    Money amount;
};

// Splits `total` (>= 0) in proportion to the weights with the largest-remainder method:
// every part is the exact share rounded down, and the öre left over go one each to the
// largest remainders, ties by ascending party id. The parts always sum exactly to
// `total`, each within one öre of its exact share. Weights must be >= 0 with a positive
// sum (std::invalid_argument otherwise). Parts come back in the order of `weights`.
std::vector<Part> split_largest_remainder(Money total, const std::vector<Weight>& weights);

// round(numerator / denominator) half away from zero, exact; denominator != 0.
std::int64_t divide_round_half_away(__int128 numerator, __int128 denominator);

}  // namespace likvard
