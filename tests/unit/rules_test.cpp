// Rules that need the ledger's state: each reason code from parties to idempotency.
#include <gtest/gtest.h>

#include "ledger_fixture.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

class Rules : public ::testing::Test {
protected:
    void SetUp() override { ledger.register_cast(); }
    MemoryLedger ledger;
};

}  // namespace

TEST_F(Rules, UnknownParty) {
    const Outcome o = ledger.add(payment(1, "hc-nowhere"));
    EXPECT_EQ(o.reason, Reason::unknown_party);
    EXPECT_EQ(o.message, "/data/provider_id: party \"hc-nowhere\" is not registered in SE-Z");
}

TEST_F(Rules, RetiredPartyCannotReceive) {
    auto retire = envelope(2, "party.retired", boost::json::object{{"party_id", "hc-ostberg"}}, "2023-04");
    retire["occurred_on"] = "2023-04-30";
    ledger.accept(line(retire));
    const Outcome o = ledger.add(payment(3, "hc-ostberg"));
    EXPECT_EQ(o.reason, Reason::unknown_party);
    EXPECT_EQ(o.message, "/data/provider_id: party \"hc-ostberg\" was retired on 2023-04-30");
    EXPECT_EQ(ledger.add(line(retire)).redelivered, true);
    retire["event_id"] = uuid(4);
    EXPECT_EQ(ledger.add(line(retire)).reason, Reason::unknown_party);
}

TEST_F(Rules, WrongSide) {
    EXPECT_EQ(ledger.add(payment(1, "hc-medinord", "100.00", "2023-05", "hc-lugnvik")).reason, Reason::wrong_side);
    const Outcome overhead = ledger.add(line(envelope(2, "overhead.compensated",
                                                      boost::json::object{{"payer_id", "halsoval-bestallare"},
                                                                          {"provider_id", "hc-lugnvik"},
                                                                          {"category", "it"},
                                                                          {"amount", "10.00"}})));
    EXPECT_EQ(overhead.reason, Reason::wrong_side);
    EXPECT_EQ(overhead.message,
              "/data/provider_id: party \"hc-lugnvik\" is provider on side region_run, this field needs kind provider, "
              "side private");
    const Outcome charge = ledger.add(line(envelope(3, "internal_charge.booked",
                                                    boost::json::object{{"charged_by", "regionens-centrala"},
                                                                        {"party_id", "hc-medinord"},
                                                                        {"category", "helpdesk"},
                                                                        {"amount", "10.00"}})));
    EXPECT_EQ(charge.reason, Reason::wrong_side);
    const Outcome commitment = ledger.add(
        line(envelope(4, "commitment.cost_incurred",
                      boost::json::object{
                          {"commitment", "on_call_coordination"}, {"borne_by", "hc-medinord"}, {"amount", "10.00"}})));
    EXPECT_EQ(commitment.reason, Reason::wrong_side);
}

TEST_F(Rules, ReRegisteringAPartyIsADuplicateConflict) {
    const Outcome o = ledger.add(party(5, "hc-lugnvik", "provider", "private", "health_centre"));
    EXPECT_EQ(o.reason, Reason::duplicate_conflict);
}

TEST_F(Rules, AmountMismatchForServicePurchase) {
    auto service = [](int id, const char* amount) {
        return line(envelope(id, "service.purchased",
                             boost::json::object{{"seller_id", "hc-lugnvik"},
                                                 {"buyer_id", "hc-medinord"},
                                                 {"service", "omi"},
                                                 {"quantity", 3},
                                                 {"unit_price", "100.00"},
                                                 {"amount", amount}}));
    };
    const Outcome bad = ledger.add(service(1, "301.00"));
    EXPECT_EQ(bad.reason, Reason::amount_mismatch);
    EXPECT_EQ(bad.message, "/data/amount: \"301.00\" is not quantity 3 x unit_price \"100.00\"");
    ledger.accept(service(2, "300.00"));
}

TEST_F(Rules, SharesMustSumToOne) {
    auto cost = [](int id, const char* share_a, const char* share_b) {
        return line(envelope(
            id, "shared_cost.incurred",
            boost::json::object{
                {"service", "e_frikort"},
                {"vendor_id", "efrikort-leverantor"},
                {"amount", "41250.00"},
                {"paid_by",
                 boost::json::array{boost::json::object{{"party_id", "egen-regi-primarvard"}, {"share", share_a}},
                                    boost::json::object{{"party_id", "hs-direktor"}, {"share", share_b}}}},
                {"allocation", boost::json::object{{"key", "listed"}, {"beneficiaries", "all_providers"}}}}));
    };
    const Outcome o = ledger.add(cost(1, "0.5", "0.4"));
    EXPECT_EQ(o.reason, Reason::amount_mismatch);
    EXPECT_EQ(o.message, "/data/paid_by: the shares sum to 0.9, not 1");
    ledger.accept(cost(2, "0.5", "0.5"));
}

TEST_F(Rules, AllocationWithNothingToAllocateBy) {
    const Outcome o = ledger.add(line(envelope(
        1, "shared_cost.incurred",
        boost::json::object{
            {"service", "waiting_room_tv"},
            {"vendor_id", "cambio"},
            {"amount", "3000.00"},
            {"paid_by", boost::json::array{boost::json::object{{"party_id", "egen-regi-primarvard"}, {"share", "1"}}}},
            {"allocation",
             boost::json::object{{"key", "listed"}, {"beneficiaries", boost::json::array{"hc-fjallhalsan"}}}}})));
    EXPECT_EQ(o.reason, Reason::amount_mismatch);
    EXPECT_EQ(o.message, "/data/allocation: the listed key gives every beneficiary 0 in 2023-05");
}

TEST_F(Rules, Reversals) {
    ledger.accept(payment(1, "hc-lugnvik", "250.00"));
    const auto postings = ledger.accept(reversal(2, 1));
    EXPECT_EQ(amount_of(postings, "hc-lugnvik:income:compensation.capitation"), 25000);
    EXPECT_EQ(amount_of(postings, "halsoval-bestallare:expense:compensation.capitation"), -25000);

    const Outcome twice = ledger.add(reversal(3, 1));
    EXPECT_EQ(twice.reason, Reason::reversal_invalid);
    EXPECT_EQ(twice.message, "/data/reverses: event " + uuid(1) + " is already reversed");
    EXPECT_EQ(ledger.add(reversal(4, 2)).reason, Reason::reversal_invalid);      // a reversal
    EXPECT_EQ(ledger.add(reversal(5, 901)).reason, Reason::reversal_invalid);    // a party.registered
    EXPECT_EQ(ledger.add(reversal(6, 911)).reason, Reason::reversal_invalid);    // a listing
    EXPECT_EQ(ledger.add(reversal(7, 12345)).reason, Reason::reversal_invalid);  // unknown
}

TEST_F(Rules, ClosedPeriodsRejectEventsAtOrBeforeThem) {
    ledger.accept(line(envelope(1, "period.closed", boost::json::object{}, "2023-02")));
    const Outcome january = ledger.add(payment(2, "hc-lugnvik", "1.00", "2023-01"));
    EXPECT_EQ(january.reason, Reason::period_closed);
    EXPECT_EQ(ledger.add(payment(3, "hc-lugnvik", "1.00", "2023-02")).reason, Reason::period_closed);
    ledger.accept(payment(4, "hc-lugnvik", "1.00", "2023-03"));
}

TEST_F(Rules, IdempotencyRedeliveryAndConflict) {
    const std::string first = payment(1, "hc-lugnvik", "100.00");
    ledger.accept(first);
    EXPECT_TRUE(ledger.add(first).redelivered);
    const Outcome conflict = ledger.add(payment(1, "hc-lugnvik", "100.01"));
    EXPECT_EQ(conflict.reason, Reason::duplicate_conflict);
    EXPECT_EQ(conflict.message, "/event_id: " + uuid(1) + " is already in the ledger with other content");
}

TEST_F(Rules, ActiveProvidersExcludeRetiredBeforeThePeriod) {
    auto retire = envelope(2, "party.retired", boost::json::object{{"party_id", "hc-ostberg"}}, "2023-05");
    retire["occurred_on"] = "2023-05-01";
    ledger.accept(line(retire));
    const auto april = active_providers(ledger.state(), "primary_care", "2023-04");
    const auto may = active_providers(ledger.state(), "primary_care", "2023-05");
    EXPECT_EQ(april, (std::vector<std::string>{"hc-fjallhalsan", "hc-lugnvik", "hc-medinord", "hc-ostberg"}));
    EXPECT_EQ(may, (std::vector<std::string>{"hc-fjallhalsan", "hc-lugnvik", "hc-medinord"}));
}
