// The statements' arithmetic and renderers on slices built by hand: sums that pass what
// int64 öre hold fail naming the party and account, and CSV fields that a spreadsheet
// would take as formulas are written as text while figures stay figures; an estimated
// allocation key is recomputed by weighted listing, or left blank without listings.
#include <gtest/gtest.h>

#include <limits>

#include "statements/statements.hpp"

using namespace likvard;

namespace {

constexpr std::int64_t near_limit_ore = 5'000'000'000'000'000'000;  // two of them pass int64

LedgerSlice slice_of(std::vector<SlicePosting> postings) {
    LedgerSlice slice;
    slice.region = "SE-Z";
    slice.scheme = "primary_care";
    slice.from = "2023-05";
    slice.to = "2023-06";
    slice.parties["hc-medinord"] = {"hc-medinord", "Medinord", Kind::provider, Side::private_provider};
    slice.parties["egen-regi-primarvard"] = {"egen-regi-primarvard", "Egen regi", Kind::organisation, Side::region_run};
    slice.postings = std::move(postings);
    return slice;
}

std::string message_of(const std::function<void()>& compute) {
    try {
        compute();
    } catch (const MoneyOverflow& error) {
        return error.what();
    }
    return "(no MoneyOverflow)";
}

TEST(StatementSums, TwoPaymentsNearTheLimitFailNamingThePartyAndAccount) {
    const LedgerSlice slice = slice_of({
        {"2023-05", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-near_limit_ore)},
        {"2023-06", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-near_limit_ore)},
    });
    const std::string message = message_of([&] { neutrality_statement(slice, "test"); });
    EXPECT_NE(message.find("party hc-medinord"), std::string::npos) << message;
    EXPECT_NE(message.find("account hc-medinord:income:compensation.capitation"), std::string::npos) << message;
    EXPECT_NE(message.find("-10000000000000000000"), std::string::npos) << message;
}

TEST(StatementSums, CommitmentCostsNearTheLimitFailNamingThePartyAndAccount) {
    const LedgerSlice slice = slice_of({
        {"2023-05", "egen-regi-primarvard", "expense", "commitment.on_call_coordination", Money::from_ore(near_limit_ore)},
        {"2023-06", "egen-regi-primarvard", "expense", "commitment.on_call_coordination", Money::from_ore(near_limit_ore)},
    });
    const std::string message = message_of([&] { commitment_statement(slice, "test"); });
    EXPECT_NE(message.find("account egen-regi-primarvard:expense:commitment.on_call_coordination"), std::string::npos)
        << message;
    const std::string neutrality = message_of([&] { neutrality_statement(slice, "test"); });
    EXPECT_NE(neutrality.find("account egen-regi-primarvard:expense:commitment.on_call_coordination"), std::string::npos)
        << neutrality;
}

TEST(StatementSums, SumsWithinTheLimitAreExact) {
    constexpr std::int64_t half = std::numeric_limits<std::int64_t>::max() / 2;  // two of them fit
    const LedgerSlice slice = slice_of({
        {"2023-05", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-half)},
        {"2023-06", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-half)},
    });
    const Document d = neutrality_statement(slice, "test");
    const std::string csv = render_csv(d.tables.at(0));
    EXPECT_NE(csv.find(";92233720368547758.06;"), std::string::npos) << csv;  // 2 x 4611686018427387903 öre
}

TEST(StatementCsv, FormulaLikeTextGetsAQuoteAndFiguresStayNumbers) {
    const Table table{"t", {"name", "amount"}, {
        {std::string("=1+2"), std::string("-64.38")},
        {std::string("+46 70"), std::string("-12")},
        {std::string("-Vård"), std::string("0.5000")},
        {std::string("@SUM(A1)"), std::string("1874512.40")},
        {std::string("\tTab"), std::string("-")},
        {std::string("\rReturn"), std::string("-1+1")},
        {std::string("=\"quoted\""), std::nullopt},
        {std::string("Vårdcentralen; Norr"), std::string("-.5")},
    }};
    EXPECT_EQ(render_csv(table),
              "name;amount\n"
              "\"'=1+2\";-64.38\n"
              "\"'+46 70\";-12\n"
              "\"'-Vård\";0.5000\n"
              "\"'@SUM(A1)\";1874512.40\n"
              "\"'\tTab\";\"'-\"\n"
              "\"'\rReturn\";\"'-1+1\"\n"
              "\"'=\"\"quoted\"\"\";\n"
              "\"Vårdcentralen; Norr\";\"'-.5\"\n");
}

}  // namespace

namespace {

std::vector<std::optional<std::string>> allocation_row(const Document& d) {
    for (const auto& table : d.tables)
        if (table.name == "allocation_keys" && table.rows.size() == 1) return table.rows[0];
    return {};
}

// An invoice of 100.00 paid by the region-run organisation, booked 60.00 to hc-medinord.
SharedCostInvoice estimated_invoice(std::vector<Weight> weighted_listed) {
    SharedCostInvoice invoice;
    invoice.seq = 7;
    invoice.service = "e_frikort";
    invoice.invoice_period = "2023-05";
    invoice.allocation.key = "listed";
    invoice.allocation.all_providers = true;
    invoice.allocation.estimate = true;
    invoice.parts = {{true, Side::region_run, Money::from_ore(10'000)},
                     {true, Side::private_provider, Money::from_ore(0)},
                     {true, Side::external, Money::from_ore(0)},
                     {false, Side::region_run, Money::from_ore(-4'000)},
                     {false, Side::private_provider, Money::from_ore(-6'000)}};
    invoice.weighted_listed = std::move(weighted_listed);
    return invoice;
}

}  // namespace

TEST(StatementAllocationKeys, AnEstimateIsRecomputedByWeightedListingWithTheSplittersRounding) {
    LedgerSlice slice = slice_of({});
    slice.parties["hc-a"] = {"hc-a", "A", Kind::provider, Side::region_run};
    slice.parties["hc-b"] = {"hc-b", "B", Kind::provider, Side::region_run};
    // 100.00 over weights 1, 1, 1: 33.33 each and the left-over öre to the lowest id (hc-a):
    // hc-medinord 33.33, all paid by the region-run side.
    slice.shared_cost_invoices.push_back(estimated_invoice({{"hc-a", 1}, {"hc-b", 1}, {"hc-medinord", 1}}));
    const auto row = allocation_row(neutrality_statement(slice, "test"));
    ASSERT_EQ(row.size(), 12u);
    EXPECT_EQ(row[8], "60.00");   // booked
    EXPECT_EQ(row[10], "33.33");  // by weighted listing
    EXPECT_EQ(row[11], "0.00");
}

TEST(StatementAllocationKeys, AnEstimateWithoutListingsInItsMonthLeavesTheRecomputationBlank) {
    LedgerSlice slice = slice_of({});
    slice.shared_cost_invoices.push_back(estimated_invoice({}));
    slice.shared_cost_invoices.push_back(estimated_invoice({{"hc-medinord", 0}}));
    const Document d = commitment_statement(slice, "test");
    const auto row = allocation_row(d);
    ASSERT_EQ(row.size(), 12u);
    EXPECT_EQ(row[5], "2");        // events
    EXPECT_EQ(row[8], "120.00");   // booked, both invoices
    EXPECT_EQ(row[10], std::nullopt);
    EXPECT_EQ(row[11], std::nullopt);
}
