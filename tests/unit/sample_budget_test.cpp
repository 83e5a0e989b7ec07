// The sample year's budget of primary care (budget.set): every month's budget set on 1 January, per side,
// per private provider and per commitment, and the region-run side's capitation revised on
// 1 July for July to December, so that the last budget per key wins in the statements.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "rules/rules.hpp"
#include "sample/sample.hpp"

namespace likvard {
namespace {

constexpr std::size_t months = 12;
constexpr std::size_t private_providers_se_z = 7;
// Per month: capitation and variable for both sides, deficit compensation of the region-run
// side, overhead compensation per private provider, the four commitments.
constexpr std::size_t budgets_per_month = 2 + 2 + 1 + private_providers_se_z + 4;
constexpr std::size_t revised_months = 6;  // July to December

using Key = std::tuple<std::string, std::string, std::string>;  // period, party or side, line

struct Budgets {
    std::map<Key, std::vector<std::string>> occurred_on;  // per key, in order
    std::map<Key, std::vector<std::int64_t>> amounts;
    std::size_t events = 0;
};

Budgets budgets_of(const SampleSpec& spec) {
    Budgets out;
    Decoder decoder;
    for (const auto& line : generate_sample(spec)) {
        const DecodeResult decoded = decoder.decode(line);
        if (!decoded.event || decoded.event->scheme != "primary_care") continue;
        const auto* budget = std::get_if<BudgetSet>(&decoded.event->data);
        if (budget == nullptr) continue;
        ++out.events;
        const std::string who = budget->party_id.value_or(std::string(side_name(*budget->side)));
        const Key key{decoded.event->period, who, budget->line};
        out.occurred_on[key].push_back(decoded.event->occurred_on);
        out.amounts[key].push_back(budget->amount.ore());
    }
    return out;
}

TEST(SampleBudget, EveryMonthIsBudgetedInJanuaryAndTheCapitationRevisedInJuly) {
    const Budgets b = budgets_of({"SE-Z", 2022, 20'220});
    EXPECT_EQ(b.events, months * budgets_per_month + revised_months);
    EXPECT_EQ(b.occurred_on.size(), months * budgets_per_month);
    std::size_t revised = 0;
    for (const auto& [key, dates] : b.occurred_on) {
        EXPECT_EQ(dates.front(), "2022-01-01") << std::get<0>(key) << " " << std::get<2>(key);
        if (dates.size() == 1) continue;
        ++revised;
        EXPECT_EQ(dates, (std::vector<std::string>{"2022-01-01", "2022-07-01"}));
        EXPECT_EQ(std::get<1>(key), "region_run");
        EXPECT_EQ(std::get<2>(key), "capitation");
        EXPECT_GE(std::get<0>(key), "2022-07");
        const auto& amounts = b.amounts.at(key);
        EXPECT_GT(amounts.back(), amounts.front());  // revised up
    }
    EXPECT_EQ(revised, revised_months);
}

TEST(SampleBudget, TheBudgetIsPlausiblyNearTheYearsPayments) {
    const Budgets b = budgets_of({"SE-Z", 2022, 20'220});
    std::map<std::string, std::int64_t> by_line;  // the last budget per key, summed
    for (const auto& [key, amounts] : b.amounts) by_line[std::get<2>(key)] += amounts.back();
    constexpr std::int64_t msek_ore = 1'000'000 * Money::ore_per_sek;
    EXPECT_GE(by_line.at("capitation"), 655 * msek_ore);  // the model's 655 MSEK, revised up a little
    EXPECT_LE(by_line.at("capitation"), 660 * msek_ore);
    EXPECT_EQ(by_line.at("variable"), 52 * msek_ore);
    EXPECT_EQ(by_line.at("deficit_compensation"), 0);
    EXPECT_EQ(by_line.at("commitment:on_call_coordination"), 427'500 * Money::ore_per_sek);  // 95 % of 450,000
}

}  // namespace
}  // namespace likvard
