// Posting rules: every financial event type books balanced postings on the documented
// accounts; shared costs split the payers' shares and the benefit to the öre.
#include <gtest/gtest.h>

#include "ledger_fixture.hpp"

using namespace likvard;
using namespace likvard::test;
using Rows = std::vector<std::pair<std::string, std::int64_t>>;

namespace {

Rows rows(const std::vector<Posting>& postings) {
    Rows out;
    for (const auto& p : postings) out.emplace_back(p.account(), p.amount.ore());
    return out;
}

boost::json::object shared(const std::string& key, boost::json::value beneficiaries, const std::string& amount,
                           boost::json::array paid_by, boost::json::object weights = {}) {
    boost::json::object allocation{{"key", key}, {"beneficiaries", std::move(beneficiaries)}};
    if (!weights.empty()) allocation["weights"] = std::move(weights);
    return boost::json::object{{"service", "e_frikort"},
                               {"vendor_id", "efrikort-leverantor"},
                               {"amount", amount},
                               {"paid_by", std::move(paid_by)},
                               {"allocation", std::move(allocation)}};
}

boost::json::array half_and_half() {
    return {boost::json::object{{"party_id", "egen-regi-primarvard"}, {"share", "0.5"}},
            boost::json::object{{"party_id", "hs-direktor"}, {"share", "0.5"}}};
}

class Postings : public ::testing::Test {
protected:
    void SetUp() override { ledger.register_cast(); }
    std::vector<Posting> book(int id, const std::string& type, boost::json::object data) {
        auto postings = ledger.accept(line(envelope(id, type, std::move(data))));
        EXPECT_EQ(postings_sum(postings).ore(), 0);
        return postings;
    }
    MemoryLedger ledger;
};

}  // namespace

TEST_F(Postings, PaymentMade) {
    EXPECT_EQ(rows(book(1, "payment.made",
                        {{"payer_id", "halsoval-bestallare"},
                         {"provider_id", "hc-medinord"},
                         {"component", "variable"},
                         {"amount", "1874512.40"}})),
              (Rows{{"halsoval-bestallare:expense:compensation.variable", 187451240},
                    {"hc-medinord:income:compensation.variable", -187451240}}));
}

TEST_F(Postings, OverheadCompensated) {
    EXPECT_EQ(rows(book(1, "overhead.compensated",
                        {{"payer_id", "halsoval-bestallare"},
                         {"provider_id", "hc-medinord"},
                         {"category", "vat_compensation"},
                         {"amount", "600.00"}})),
              (Rows{{"halsoval-bestallare:expense:overhead.vat_compensation", 60000},
                    {"hc-medinord:income:overhead.vat_compensation", -60000}}));
}

TEST_F(Postings, InternalChargeBooked) {
    EXPECT_EQ(rows(book(1, "internal_charge.booked",
                        {{"charged_by", "regionens-centrala"},
                         {"party_id", "hc-lugnvik"},
                         {"category", "office_licences"},
                         {"amount", "12.50"}})),
              (Rows{{"hc-lugnvik:expense:internal_charge.office_licences", 1250},
                    {"regionens-centrala:income:internal_charge.office_licences", -1250}}));
}

TEST_F(Postings, CommitmentCostIncurred) {
    EXPECT_EQ(rows(book(1, "commitment.cost_incurred",
                        {{"commitment", "bt_director_of_studies"},
                         {"borne_by", "egen-regi-primarvard"},
                         {"amount", "16666.67"},
                         {"fte", "0.20"}})),
              (Rows{{"egen-regi-primarvard:expense:commitment.bt_director_of_studies", 1666667},
                    {"egen-regi-primarvard:settlement:commitment.bt_director_of_studies", -1666667}}));
}

TEST_F(Postings, AppropriationGrantedReplacesTheColonOfThePurpose) {
    EXPECT_EQ(rows(book(1, "appropriation.granted",
                        {{"granted_by", "regionens-centrala"},
                         {"party_id", "egen-regi-primarvard"},
                         {"purpose", "shared_cost:e_frikort"},
                         {"amount", "240000"}})),
              (Rows{{"regionens-centrala:expense:appropriation.shared_cost.e_frikort", 24000000},
                    {"egen-regi-primarvard:income:appropriation.shared_cost.e_frikort", -24000000}}));
}

TEST_F(Postings, ServicePurchased) {
    EXPECT_EQ(
        rows(book(1, "service.purchased",
                  {{"seller_id", "hc-lugnvik"},
                   {"buyer_id", "hc-medinord"},
                   {"service", "omi"},
                   {"quantity", 3},
                   {"unit_price", "1100.00"},
                   {"amount", "3300.00"}})),
        (Rows{{"hc-medinord:expense:service_bought.omi", 330000}, {"hc-lugnvik:income:service_sold.omi", -330000}}));
}

TEST_F(Postings, SharedCostEqualKeySplitsPayersAndBenefit) {
    // 100.01 SEK: payers 50.01 / 50.00 (tie to the lower id), benefit 25.01 / 25.00 x3 over four providers.
    const auto postings = book(1, "shared_cost.incurred", shared("equal", "all_providers", "100.01", half_and_half()));
    EXPECT_EQ(amount_of(postings, "egen-regi-primarvard:expense:shared_cost.e_frikort"), 5001);
    EXPECT_EQ(amount_of(postings, "hs-direktor:expense:shared_cost.e_frikort"), 5000);
    EXPECT_EQ(amount_of(postings, "efrikort-leverantor:income:sales.e_frikort"), -10001);
    EXPECT_EQ(amount_of(postings, "hc-fjallhalsan:benefit:shared_cost.e_frikort"), -2501);
    EXPECT_EQ(amount_of(postings, "hc-lugnvik:benefit:shared_cost.e_frikort"), -2500);
    EXPECT_EQ(amount_of(postings, "hc-medinord:benefit:shared_cost.e_frikort"), -2500);
    EXPECT_EQ(amount_of(postings, "hc-ostberg:benefit:shared_cost.e_frikort"), -2500);
    EXPECT_EQ(amount_of(postings, "hc-lugnvik:expense:in_kind.e_frikort"), 2500);
}

TEST_F(Postings, SharedCostListedKeyUsesThePeriodsListing) {
    // Listed 3000 / 1000 / 2000 / 0 -> 1000.00 SEK splits 500.00 / 166.67 / 333.33 / 0.
    const auto postings = book(1, "shared_cost.incurred",
                               shared("listed", "all_providers", "1000.00",
                                      {boost::json::object{{"party_id", "egen-regi-primarvard"}, {"share", "1"}}}));
    EXPECT_EQ(amount_of(postings, "hc-lugnvik:benefit:shared_cost.e_frikort"), -50000);
    EXPECT_EQ(amount_of(postings, "hc-ostberg:benefit:shared_cost.e_frikort"), -16667);
    EXPECT_EQ(amount_of(postings, "hc-medinord:benefit:shared_cost.e_frikort"), -33333);
    EXPECT_EQ(amount_of(postings, "hc-fjallhalsan:benefit:shared_cost.e_frikort"), 0);
}

TEST_F(Postings, SharedCostWeightedListedKey) {
    // Weighted 3300.5 / 1200 / 1800.25 of 6300.75 -> 100.00 SEK: 52.38 / 19.05 / 28.57 after rounding.
    const auto postings = book(1, "shared_cost.incurred",
                               shared("weighted_listed", boost::json::array{"hc-lugnvik", "hc-ostberg", "hc-medinord"},
                                      "100.00", half_and_half()));
    EXPECT_EQ(amount_of(postings, "hc-lugnvik:benefit:shared_cost.e_frikort"), -5238);
    EXPECT_EQ(amount_of(postings, "hc-ostberg:benefit:shared_cost.e_frikort"), -1905);
    EXPECT_EQ(amount_of(postings, "hc-medinord:benefit:shared_cost.e_frikort"), -2857);
}

TEST_F(Postings, SharedCostUsersAndFixedKeysUseTheWeights) {
    auto users = book(1, "shared_cost.incurred",
                      shared("users", boost::json::array{"hc-lugnvik", "hc-medinord"}, "1200.00",
                             {boost::json::object{{"party_id", "egen-regi-primarvard"}, {"share", "1"}}},
                             {{"hc-lugnvik", "100"}, {"hc-medinord", "35"}}));
    // 1200 x 100/135 = 888.888.. -> 888.89; 1200 x 35/135 = 311.111.. -> 311.11
    EXPECT_EQ(amount_of(users, "hc-lugnvik:benefit:shared_cost.e_frikort"), -88889);
    EXPECT_EQ(amount_of(users, "hc-medinord:benefit:shared_cost.e_frikort"), -31111);
    auto fixed = book(2, "shared_cost.incurred",
                      shared("fixed", "all_providers", "10.00",
                             {boost::json::object{{"party_id", "egen-regi-primarvard"}, {"share", "1"}}},
                             {{"hc-ostberg", "0.25"}, {"hc-fjallhalsan", "0.75"}}));
    EXPECT_EQ(amount_of(fixed, "hc-ostberg:benefit:shared_cost.e_frikort"), -250);
    EXPECT_EQ(amount_of(fixed, "hc-fjallhalsan:benefit:shared_cost.e_frikort"), -750);
    EXPECT_EQ(amount_of(fixed, "hc-lugnvik:benefit:shared_cost.e_frikort"), 0);
}

TEST_F(Postings, ReversalIsTheExactNegationInItsOwnPeriod) {
    const auto original = book(1, "shared_cost.incurred", shared("equal", "all_providers", "100.01", half_and_half()));
    auto reversal = envelope(2, "entry.reversed", {{"reverses", uuid(1)}, {"reason", "invoice credited"}}, "2023-06");
    const auto negated = ledger.accept(line(reversal));
    ASSERT_EQ(negated.size(), original.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
        EXPECT_EQ(negated[i].account(), original[i].account());
        EXPECT_EQ(negated[i].amount, -original[i].amount);
    }
}

TEST_F(Postings, NonFinancialEventsBookNothing) {
    EXPECT_TRUE(ledger
                    .accept(line(envelope(1, "listing.recorded",
                                          {{"provider_id", "hc-lugnvik"}, {"listed", 1}, {"weighted_listed", "1"}})))
                    .empty());
    EXPECT_TRUE(ledger.accept(line(envelope(2, "period.closed", boost::json::object{}, "2023-01"))).empty());
}
