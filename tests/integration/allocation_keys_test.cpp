// The allocation keys of both statements on a small scenario whose figures were worked out
// by hand (in the comments): an estimated key beside the cross-subsidy it would give by
// weighted listing, a measured key without one, and a reversal in a later month.
#include "database.hpp"
#include "event_builder.hpp"
#include "projections/projections.hpp"

#include <boost/json.hpp>

using namespace likvard;
using namespace likvard::test;

namespace {

std::string shared_cost(int id, const std::string& service, const std::string& amount, boost::json::array paid_by,
                        boost::json::object allocation, const std::string& decision_ref) {
    auto e = envelope(id, "shared_cost.incurred",
                      boost::json::object{{"service", service},
                                          {"vendor_id", "leverantor"},
                                          {"amount", amount},
                                          {"paid_by", std::move(paid_by)},
                                          {"allocation", std::move(allocation)}},
                      "2023-03");
    e["decision_ref"] = decision_ref;
    return line(e);
}

boost::json::object payer(const std::string& party_id, const std::string& share) {
    return {{"party_id", party_id}, {"share", share}};
}

// 2023-03: region-run hc-a (weighted 1,200), private hc-x (600) and hc-y (200).
// e_frikort 1,000.00, paid by egen-regi alone, key equal over all providers, an estimate.
// waiting_room_tv 300.00, paid half by egen-regi and half by hc-x, key listed over hc-a
// and hc-x (1,000 listed each), measured. 2023-04: the e_frikort invoice is reversed.
std::vector<std::string> scenario() {
    return {
        party(1, "egen-regi", "organisation", "region_run"),
        party(2, "hc-a", "provider", "region_run", "health_centre"),
        party(3, "hc-x", "provider", "private", "health_centre"),
        party(4, "hc-y", "provider", "private", "health_centre"),
        party(5, "leverantor", "vendor", "external"),
        listing(10, "hc-a", 1000, "1200", "2023-03"),
        listing(11, "hc-x", 1000, "600", "2023-03"),
        listing(12, "hc-y", 500, "200", "2023-03"),
        shared_cost(20, "e_frikort", "1000.00", {payer("egen-regi", "1")},
                    {{"key", "equal"},
                     {"beneficiaries", "all_providers"},
                     {"basis", "lika delar enligt överenskommelse"},
                     {"estimate", true}},
                    "RS/773/2021"),
        shared_cost(
            21, "waiting_room_tv", "300.00", {payer("egen-regi", "0.5"), payer("hc-x", "0.5")},
            {{"key", "listed"}, {"beneficiaries", boost::json::array{"hc-a", "hc-x"}}, {"basis", "antal listade"}},
            "HSN/12/2023"),
        reversal(30, 20, "2023-04"),
    };
}

class AllocationKeys : public DatabaseTest, public ::testing::WithParamInterface<StatementSource> {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
        if (GetParam() == StatementSource::projections) Projections(projector_url).ensure();
        ASSERT_EQ(append_lines(scenario()), scenario().size());
        if (GetParam() == StatementSource::projections) Projections(projector_url).catch_up();
    }
    Table keys(const std::string& statement, const std::string& from, const std::string& to) {
        const StatementQuery query{statement, "SE-Z", "primary_care", from, to, std::nullopt, GetParam()};
        const StatementResult result = make_statement(*store, query, "test");
        EXPECT_EQ(result.source_used, GetParam());
        for (const auto& table : result.document.tables)
            if (table.name == "allocation_keys") return table;
        ADD_FAILURE() << "no allocation_keys table in the " << statement << " statement";
        return {};
    }
    std::unique_ptr<Store> store;
};

using Row = std::vector<std::optional<std::string>>;

}  // namespace

TEST_P(AllocationKeys, AnEstimatedKeyShowsTheCrossSubsidyByWeightedListingBesideTheBookedOne) {
    const Table table = keys("neutrality", "2023-03", "2023-03");
    ASSERT_EQ(table.columns.size(), 12u);
    EXPECT_EQ(table.columns[10], "region_run_to_private_by_weighted_listed");
    ASSERT_EQ(table.rows.size(), 2u);
    // Booked: 1,000 / 3 = 333.33 each, the öre left to the lowest id (hc-a 333.34); the
    // private side receives 666.66, all of it paid by the region-run side: 666.66 x 1,000 /
    // 1,000 = 666.66. By weighted listing: 1,000 x 600 / 2,000 + 1,000 x 200 / 2,000 = 400.00.
    EXPECT_EQ(table.rows[0], (Row{"e_frikort", "equal", "all_providers", "lika delar enligt överenskommelse", "true",
                                  "1", "RS/773/2021", "1000.00", "666.66", "0.00", "400.00", "0.00"}));
    // 150.00 each; region-run to private 150 x 150 / 300 = 75.00, and the reverse 150 x 150 /
    // 300 = 75.00. A measured key: no recomputation.
    EXPECT_EQ(table.rows[1], (Row{"waiting_room_tv", "listed", "hc-a, hc-x", "antal listade", "false", "1",
                                  "HSN/12/2023", "300.00", "75.00", "75.00", std::nullopt, std::nullopt}));
}

TEST_P(AllocationKeys, BothStatementsListTheSameKeys) {
    const Table neutrality = keys("neutrality", "2023-03", "2023-04");
    const Table commitments = keys("commitments", "2023-03", "2023-04");
    EXPECT_EQ(neutrality.columns, commitments.columns);
    EXPECT_EQ(neutrality.rows, commitments.rows);
    // The invoice and its reversal: two events that sum to nothing, booked and recomputed.
    ASSERT_EQ(neutrality.rows.size(), 2u);
    EXPECT_EQ(neutrality.rows[0], (Row{"e_frikort", "equal", "all_providers", "lika delar enligt överenskommelse",
                                       "true", "2", "RS/773/2021", "0.00", "0.00", "0.00", "0.00", "0.00"}));
}

// The reversal is booked in April, the invoice's benefit was split by the March listing:
// the recomputation reads the listing of the invoice's month, outside the range.
TEST_P(AllocationKeys, AReversalAloneInItsMonthIsRecomputedWithTheListingOfTheInvoicesMonth) {
    const Table table = keys("neutrality", "2023-04", "2023-04");
    ASSERT_EQ(table.rows.size(), 1u);
    EXPECT_EQ(table.rows[0], (Row{"e_frikort", "equal", "all_providers", "lika delar enligt överenskommelse", "true",
                                  "1", "RS/773/2021", "-1000.00", "-666.66", "0.00", "-400.00", "0.00"}));
}

TEST_P(AllocationKeys, MonthsWithoutSharedCostsHaveNoKeys) {
    EXPECT_TRUE(keys("neutrality", "2023-01", "2023-02").rows.empty());
}

INSTANTIATE_TEST_SUITE_P(FromLedgerAndProjections, AllocationKeys,
                         ::testing::Values(StatementSource::ledger, StatementSource::projections),
                         [](const auto& info) {
                             return std::string(info.param == StatementSource::ledger ? "Ledger" : "Projections");
                         });

// A key naming many beneficiaries is longer than a PostgreSQL index entry may be (about
// 2,700 bytes): the projections keep it whole and sum its invoices all the same.
TEST_P(AllocationKeys, AKeyNamingManyBeneficiariesIsListedWhole) {
    std::vector<std::string> more;
    boost::json::array beneficiaries{"hc-a", "hc-x"};
    for (int i = 0; i < 150; ++i) {
        const std::string id = "hc-vardcentral-med-ett-langt-namn-" + std::to_string(100 + i);
        more.push_back(party(100 + i, id, "provider", i % 2 == 0 ? "region_run" : "private", "health_centre"));
        beneficiaries.emplace_back(id);
    }
    const boost::json::object key{{"key", "equal"}, {"beneficiaries", beneficiaries}};
    ASSERT_GT(boost::json::serialize(key).size(), 6'000u);
    for (int i = 0; i < 2; ++i)
        more.push_back(shared_cost(300 + i, "acute_module", "152.00", {payer("egen-regi", "1")}, key, "RS/9/2023"));
    ASSERT_EQ(append_lines(more), more.size());
    if (GetParam() == StatementSource::projections) Projections(projector_url).catch_up();
    const Table table = keys("neutrality", "2023-03", "2023-03");
    ASSERT_EQ(table.rows.size(), 3u);
    const Row& row = table.rows[0];
    EXPECT_EQ(row[0], "acute_module");
    ASSERT_TRUE(row[2].has_value());
    EXPECT_TRUE(row[2]->starts_with("hc-a, hc-x, hc-vardcentral-med-ett-langt-namn-100, "));
    EXPECT_TRUE(row[2]->ends_with(", hc-vardcentral-med-ett-langt-namn-249"));
    EXPECT_EQ(row[5], "2");
    EXPECT_EQ(row[6], "RS/9/2023");
    EXPECT_EQ(row[7], "304.00");
}
