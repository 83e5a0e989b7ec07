// Money and Decimal4: exact parsing of the contract's strings, formatting, checked arithmetic.
#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "money/money.hpp"

using likvard::Decimal4;
using likvard::Money;
using likvard::money_from_sum;
using likvard::money_from_sum_text;
using likvard::MoneyOverflow;

TEST(Money, ParsesWholeAndDecimalAmountsExactly) {
    EXPECT_EQ(Money::parse("1300000")->ore(), 130000000);
    EXPECT_EQ(Money::parse("1300000.5")->ore(), 130000050);
    EXPECT_EQ(Money::parse("-240000.00")->ore(), -24000000);
    EXPECT_EQ(Money::parse("0.01")->ore(), 1);
    EXPECT_EQ(Money::parse("1874512.40")->ore(), 187451240);
    EXPECT_EQ(Money::parse("9999999999999.99")->ore(), 999999999999999);
    EXPECT_EQ(Money::parse("-9999999999999.99")->ore(), -999999999999999);
}

TEST(Money, RejectsWhatTheContractForbids) {
    const char* bad[] = {"",
                         "12.345",
                         "1e5",
                         "1E5",
                         " 1",
                         "1 ",
                         "+1",
                         "1.",
                         ".5",
                         "-",
                         "1,50",
                         "0x10",
                         "12a",
                         "--1",
                         "1.2.3",
                         "NaN",
                         "inf",
                         "１",
                         "10000000000000",
                         "99999999999999.99"};
    for (const char* text : bad) EXPECT_FALSE(Money::parse(text)) << text;
}

TEST(Money, ErrorsSayWhatIsWrong) {
    EXPECT_EQ(Money::parse("12.345").error, "\"12.345\" has more than two decimals");
    EXPECT_EQ(Money::parse("1e5").error, "\"1e5\" contains 'e', not a plain decimal number");
    EXPECT_EQ(Money::parse("10000000000000").error,
              "\"10000000000000\" has more than 13 digits before the decimal point");
}

TEST(Money, FormatsWithTwoDecimals) {
    EXPECT_EQ(Money::from_ore(12340).to_string(), "123.40");
    EXPECT_EQ(Money::from_ore(-5).to_string(), "-0.05");
    EXPECT_EQ(Money::from_ore(0).to_string(), "0.00");
    EXPECT_EQ(Money::from_ore(std::numeric_limits<std::int64_t>::min()).to_string(), "-92233720368547758.08");
    for (const char* text : {"123.40", "-0.05", "1874512.40", "9999999999999.99"})
        EXPECT_EQ(Money::parse(text)->to_string(), text);
}

TEST(Money, ArithmeticIsCheckedForOverflow) {
    const Money max = Money::from_ore(std::numeric_limits<std::int64_t>::max());
    const Money min = Money::from_ore(std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ((Money::from_ore(150) + Money::from_ore(-50)).ore(), 100);
    EXPECT_EQ((Money::from_ore(150) - Money::from_ore(200)).ore(), -50);
    EXPECT_EQ((-Money::from_ore(7)).ore(), -7);
    EXPECT_THROW(max + Money::from_ore(1), MoneyOverflow);
    EXPECT_THROW(min - Money::from_ore(1), MoneyOverflow);
    EXPECT_THROW(-min, MoneyOverflow);
}

TEST(Money, SumsPastInt64FailNamingWhatWasSummed) {
    const __int128 max = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(money_from_sum(max, "x").ore(), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(money_from_sum(-max - 1, "x").ore(), std::numeric_limits<std::int64_t>::min());
    try {
        money_from_sum(max + 1, "the postings of party hc-a on account hc-a:income:compensation.capitation");
        ADD_FAILURE() << "no MoneyOverflow";
    } catch (const MoneyOverflow& error) {
        EXPECT_EQ(std::string(error.what()),
                  "the postings of party hc-a on account hc-a:income:compensation.capitation sums to "
                  "9223372036854775808 öre, beyond the ±9223372036854775807 öre an amount can hold");
    }
    EXPECT_THROW(money_from_sum(-max - 2, "x"), MoneyOverflow);
    EXPECT_EQ(money_from_sum_text("-9223372036854775808", "x").ore(), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(money_from_sum_text("00000000000000000000012", "x").ore(), 12);
    EXPECT_THROW(money_from_sum_text("9223372036854775808", "x"), MoneyOverflow);
    EXPECT_THROW(money_from_sum_text("-10000000000000000000", "x"), MoneyOverflow);
    EXPECT_THROW(money_from_sum_text("123456789012345678901234567890", "x"), MoneyOverflow);
    EXPECT_THROW(money_from_sum_text("12.5", "x"), std::invalid_argument);
    EXPECT_THROW(money_from_sum_text("", "x"), std::invalid_argument);
}

TEST(Decimal4, ParsesAndFormatsExactly) {
    EXPECT_EQ(Decimal4::parse("0.5")->scaled(), 5000);
    EXPECT_EQ(Decimal4::parse("1")->scaled(), 10000);
    EXPECT_EQ(Decimal4::parse("3.1416")->scaled(), 31416);
    EXPECT_EQ(Decimal4::parse("999999999999.9999")->scaled(), 9999999999999999);
    EXPECT_EQ(Decimal4::parse("0.5000")->to_string(), "0.5");
    EXPECT_EQ(Decimal4::parse("12")->to_string(), "12");
    EXPECT_EQ(Decimal4::parse("0")->to_string(), "0");
    for (const char* text : {"0.12345", "-1", "1e2", "", ".5", "1.", "1000000000000"})
        EXPECT_FALSE(Decimal4::parse(text)) << text;
    EXPECT_EQ(Decimal4::parse("0.12345").error, "\"0.12345\" has more than four decimals");
}

TEST(RoundHalfAway, RoundsHalvesAwayFromZero) {
    using likvard::divide_round_half_away;
    EXPECT_EQ(divide_round_half_away(5, 2), 3);
    EXPECT_EQ(divide_round_half_away(-5, 2), -3);
    EXPECT_EQ(divide_round_half_away(4, 3), 1);
    EXPECT_EQ(divide_round_half_away(5, 3), 2);
    EXPECT_EQ(divide_round_half_away(-4, 3), -1);
    EXPECT_EQ(divide_round_half_away(1, -2), -1);
    EXPECT_EQ(divide_round_half_away(7, 7), 1);
    EXPECT_THROW(divide_round_half_away(1, 0), std::invalid_argument);
}

// ---- figures as a person reads them (docs/statements.md, "Numbers") ----

using likvard::english_csv_numbers;
using likvard::english_numbers;
using likvard::format_figure;
using likvard::format_money;
using likvard::format_percent_figure;
using likvard::swedish_csv_numbers;
using likvard::swedish_numbers;

namespace {

constexpr const char* nbsp = "\u00A0";  // the Swedish thousands separator

std::string sv(const std::string& text) {  // "1 300 000,00" with a no-break space for each ' '
    std::string out;
    for (char c : text) out += c == ' ' ? std::string(nbsp) : std::string(1, c);
    return out;
}

}  // namespace

TEST(HumanNumbers, SwedishGroupsThousandsWithANoBreakSpaceAndWritesADecimalComma) {
    EXPECT_EQ(format_money(Money::from_ore(130000000), swedish_numbers), sv("1 300 000,00"));
    EXPECT_EQ(format_money(Money::from_ore(130000000), english_numbers), "1,300,000.00");
    EXPECT_EQ(format_money(Money::from_ore(-130000005), swedish_numbers), sv("-1 300 000,05"));
    EXPECT_EQ(format_money(Money::from_ore(-130000005), english_numbers), "-1,300,000.05");
    EXPECT_EQ(format_money(Money::from_ore(99999), swedish_numbers), "999,99");
    EXPECT_EQ(format_money(Money::from_ore(100000), swedish_numbers), sv("1 000,00"));
    EXPECT_EQ(format_money(Money::from_ore(100000), english_numbers), "1,000.00");
}

TEST(HumanNumbers, ZeroAndOreOnly) {
    EXPECT_EQ(format_money(Money::from_ore(0), swedish_numbers), "0,00");
    EXPECT_EQ(format_money(Money::from_ore(0), english_numbers), "0.00");
    EXPECT_EQ(format_money(Money::from_ore(5), swedish_numbers), "0,05");
    EXPECT_EQ(format_money(Money::from_ore(-5), english_numbers), "-0.05");
    EXPECT_EQ(format_money(Money::from_ore(-99), swedish_numbers), "-0,99");
}

TEST(HumanNumbers, GroupsEveryDigitNearTheInt64Limits) {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();  // 92233720368547758.07 SEK
    constexpr auto min = std::numeric_limits<std::int64_t>::min();
    EXPECT_EQ(format_money(Money::from_ore(max), swedish_numbers), sv("92 233 720 368 547 758,07"));
    EXPECT_EQ(format_money(Money::from_ore(min), swedish_numbers), sv("-92 233 720 368 547 758,08"));
    EXPECT_EQ(format_money(Money::from_ore(max), english_numbers), "92,233,720,368,547,758.07");
    EXPECT_EQ(format_money(Money::from_ore(min), english_numbers), "-92,233,720,368,547,758.08");
    EXPECT_EQ(format_money(Money::from_ore(min + 1), english_numbers), "-92,233,720,368,547,758.07");
}

TEST(HumanNumbers, FiguresKeepTheirDecimalsAndCsvHasNoGrouping) {
    EXPECT_EQ(format_figure("1600.0000", swedish_numbers), sv("1 600,0000"));
    EXPECT_EQ(format_figure("123456", english_numbers), "123,456");
    EXPECT_EQ(format_figure("-123456", swedish_numbers), sv("-123 456"));
    EXPECT_EQ(format_figure("-1300000.00", swedish_csv_numbers), "-1300000,00");
    EXPECT_EQ(format_figure("-1300000.00", english_csv_numbers), "-1300000.00");
    EXPECT_EQ(format_figure("100000000000000000000000.5", english_numbers), "100,000,000,000,000,000,000,000.5");
}

TEST(HumanNumbers, PercentagesCarryTheLanguagesPercentSign) {
    EXPECT_EQ(format_percent_figure("12.30", swedish_numbers), sv("12,30 %"));
    EXPECT_EQ(format_percent_figure("12.30", english_numbers), "12.30%");
    EXPECT_EQ(format_percent_figure("-2.41", swedish_numbers), sv("-2,41 %"));
    EXPECT_EQ(format_percent_figure("1234.5", english_numbers), "1,234.5%");
    EXPECT_EQ(format_percent_figure("33.33", swedish_csv_numbers), "33,33");
}

TEST(HumanNumbers, TextThatIsNotAFigureIsNone) {
    for (const char* text : {"", "-", ".5", "5.", "1,5", "1.2.3", "+1", "1e5", " 1", "12 %", "--1", "abc"})
        EXPECT_FALSE(format_figure(text, swedish_numbers).has_value()) << "'" << text << "'";
}
