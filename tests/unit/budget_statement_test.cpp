// Budget against outcome on slices built by hand (docs/statements.md, "C. Budget against
// outcome"): per party, per side and in total, the deviation and its percent of the budget
// (blank at a zero budget), the commitments per commitment, labels for what a person reads,
// and nothing of it in a statement without budgets.
#include <gtest/gtest.h>

#include "statements/statements.hpp"

using namespace likvard;

namespace {

using Cells = std::vector<std::optional<std::string>>;

LedgerSlice two_providers() {
    LedgerSlice slice;
    slice.region = "SE-Z";
    slice.scheme = "primary_care";
    slice.from = "2023-05";
    slice.to = "2023-06";
    slice.parties["hc-medinord"] = {"hc-medinord", "Medinord", Kind::provider, Side::private_provider};
    slice.parties["hc-lugnvik"] = {"hc-lugnvik", "Lugnvik", Kind::provider, Side::region_run};
    slice.parties["egen-regi"] = {"egen-regi", "Egen regi", Kind::organisation, Side::region_run};
    slice.postings = {
        {"2023-05", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-100'000'00)},
        {"2023-06", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-110'000'00)},
        {"2023-05", "hc-lugnvik", "income", "compensation.capitation", Money::from_ore(-90'000'00)},
        {"2023-05", "egen-regi", "expense", "commitment.on_call_coordination", Money::from_ore(40'000'00)},
        {"2023-06", "egen-regi", "expense", "commitment.on_call_coordination", Money::from_ore(41'000'00)},
    };
    slice.listings[{"2023-05", "hc-medinord"}] = {1000, Decimal4::from_scaled(1200 * Decimal4::scale)};
    slice.listings[{"2023-05", "hc-lugnvik"}] = {900, Decimal4::from_scaled(1000 * Decimal4::scale)};
    return slice;
}

SliceBudget party_budget(const std::string& period, const std::string& party, const std::string& line,
                         std::int64_t ore) {
    return {period, party, std::nullopt, line, Money::from_ore(ore)};
}

SliceBudget side_budget(const std::string& period, Side side, const std::string& line, std::int64_t ore) {
    return {period, std::nullopt, side, line, Money::from_ore(ore)};
}

const Table* table_named(const Document& d, const std::string& name) {
    for (const auto& table : d.tables)
        if (table.name == name) return &table;
    return nullptr;
}

std::optional<std::string> provenance(const Document& d, const std::string& key) {
    for (const auto& [k, v] : d.provenance)
        if (k == key) return v;
    return std::nullopt;
}

TEST(BudgetStatement, PerPartyPerSideAndTotalWithDeviationAndItsPercent) {
    LedgerSlice slice = two_providers();
    slice.budgets = {party_budget("2023-05", "hc-medinord", "capitation", 100'000'00),
                     party_budget("2023-06", "hc-medinord", "capitation", 105'000'00),
                     side_budget("2023-05", Side::region_run, "capitation", 80'000'00),
                     side_budget("2023-06", Side::region_run, "capitation", 0)};
    const Document d = neutrality_statement(slice, "test");
    const Table* budget = table_named(d, "budget");
    ASSERT_NE(budget, nullptr);
    EXPECT_EQ(budget->columns, (std::vector<std::string>{"line", "row", "party_id", "side", "budget", "outcome",
                                                         "deviation", "deviation_percent"}));
    const std::vector<Cells> expected{
        {"capitation", "subtotal", "", "region_run", "80000.00", "90000.00", "10000.00", "12.50"},
        {"capitation", "party", "hc-medinord", "private", "205000.00", "210000.00", "5000.00", "2.44"},
        {"capitation", "subtotal", "", "private", "205000.00", "210000.00", "5000.00", "2.44"},
        {"capitation", "total", "", "", "285000.00", "300000.00", "15000.00", "5.26"},
    };
    EXPECT_EQ(budget->rows, expected);
    EXPECT_EQ(provenance(d, "budgets_counted"), "4");
}

TEST(BudgetStatement, AZeroBudgetLeavesThePercentBlankAndOneSideHasNoTotal) {
    LedgerSlice slice = two_providers();
    slice.budgets = {side_budget("2023-05", Side::private_provider, "deficit_compensation", 0)};
    const Document d = neutrality_statement(slice, "test");
    const Table* budget = table_named(d, "budget");
    ASSERT_NE(budget, nullptr);
    const std::vector<Cells> expected{
        {"deficit_compensation", "subtotal", "", "private", "0.00", "0.00", "0.00", std::nullopt}};
    EXPECT_EQ(budget->rows, expected);
}

TEST(BudgetStatement, BudgetsChangeNoOtherFigure) {
    const LedgerSlice without = two_providers();
    LedgerSlice with = without;
    with.budgets = {side_budget("2023-05", Side::region_run, "capitation", 1'00),
                    side_budget("2023-05", Side::region_run, "commitment:on_call_coordination", 1'00)};
    for (const auto& statement : {neutrality_statement, commitment_statement}) {
        const Document a = statement(without, "test");
        Document b = statement(with, "test");
        EXPECT_EQ(table_named(a, "budget"), nullptr);
        EXPECT_FALSE(provenance(a, "budgets_counted"));
        ASSERT_NE(table_named(b, "budget"), nullptr) << b.statement;
        EXPECT_EQ(provenance(b, "budgets_counted"), "1") << b.statement;
        std::erase_if(b.tables, [](const Table& t) { return t.name == "budget"; });
        std::erase_if(b.provenance, [](const auto& kv) { return kv.first == "budgets_counted"; });
        EXPECT_EQ(b.tables.size(), a.tables.size());
        for (std::size_t i = 0; i < a.tables.size(); ++i) EXPECT_EQ(b.tables[i].rows, a.tables[i].rows);
        EXPECT_EQ(b.summary, a.summary);
        EXPECT_EQ(b.provenance, a.provenance);
    }
}

TEST(BudgetStatement, CommitmentsPerCommitmentAndTheirTotal) {
    LedgerSlice slice = two_providers();
    slice.budgets = {side_budget("2023-05", Side::region_run, "commitment:on_call_coordination", 40'000'00),
                     side_budget("2023-06", Side::region_run, "commitment:on_call_coordination", 40'000'00),
                     side_budget("2023-06", Side::region_run, "commitment:other", 5'000'00)};
    const Document d = commitment_statement(slice, "test");
    const Table* budget = table_named(d, "budget");
    ASSERT_NE(budget, nullptr);
    const std::vector<Cells> expected{
        {"commitment:on_call_coordination", "80000.00", "81000.00", "1000.00", "1.25"},
        {"commitment:other", "5000.00", "0.00", "-5000.00", "-100.00"},
        {"total", "85000.00", "81000.00", "-4000.00", "-4.71"},
    };
    EXPECT_EQ(budget->rows, expected);
    EXPECT_EQ(provenance(d, "budgets_counted"), "3");
}

TEST(BudgetStatement, WhatAPersonReadsHasLabelsInBothLanguages) {
    LedgerSlice slice = two_providers();
    slice.budgets = {side_budget("2023-05", Side::region_run, "capitation", 80'000'00),
                     side_budget("2023-05", Side::region_run, "commitment:on_call_coordination", 40'000'00)};
    const std::string neutrality = render_markdown(neutrality_statement(slice, "test"), Language::sv);
    EXPECT_NE(neutrality.find("## Budget mot utfall"), std::string::npos) << neutrality;
    EXPECT_NE(neutrality.find("| Kapitering (vårdpeng) | Delsumma |"), std::string::npos) << neutrality;
    EXPECT_NE(neutrality.find("Antal budgetposter"), std::string::npos) << neutrality;
    const std::string commitments = render_markdown(commitment_statement(slice, "test"), Language::en);
    EXPECT_NE(commitments.find("| On-call coordination | 40,000.00 |"), std::string::npos) << commitments;
    EXPECT_NE(commitments.find("| Total special commitments |"), std::string::npos) << commitments;
    for (const char* key :
         {"line", "budget", "outcome", "deviation", "deviation_percent", "budgets_counted", "table.budget"}) {
        EXPECT_TRUE(label_of(key, Language::sv)) << key;
        EXPECT_TRUE(label_of(key, Language::en)) << key;
    }
}

}  // namespace
