// budget.set: decoding with the field each rule names, the party rules, no postings, and
// that a budget cannot be reversed (docs/contract.md, `budget.set`).
#include <gtest/gtest.h>

#include <functional>

#include "ledger_fixture.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

boost::json::object budget(int id, boost::json::object data) { return envelope(id, "budget.set", std::move(data)); }

boost::json::object party_budget(int id = 1, const std::string& party = "hc-lugnvik") {
    return budget(id, {{"party_id", party}, {"line", "capitation"}, {"amount", "1874512.40"}});
}

Rejection rejection_of(const std::string& bytes) {
    Decoder decoder;
    DecodeResult result = decoder.decode(bytes);
    EXPECT_FALSE(result.event.has_value()) << bytes;
    if (!result.rejection) return {Reason::too_large, "no rejection"};
    return *result.rejection;
}

struct BudgetCase {
    const char* name;
    std::function<void(boost::json::object&)> change;
    const char* message;
};

}  // namespace

TEST(BudgetDecode, APartyBudgetAndASideBudgetDecodeTyped) {
    Decoder decoder;
    const DecodeResult party = decoder.decode(line(party_budget()));
    ASSERT_TRUE(party.event.has_value()) << party.rejection->to_string();
    EXPECT_EQ(party.event->type, EventType::budget_set);
    const auto& p = std::get<BudgetSet>(party.event->data);
    EXPECT_EQ(p.party_id, "hc-lugnvik");
    EXPECT_FALSE(p.side.has_value());
    EXPECT_EQ(p.line, "capitation");
    EXPECT_EQ(p.amount.ore(), 187451240);

    const DecodeResult side =
        decoder.decode(line(budget(2, {{"side", "private"}, {"line", "commitment:other"}, {"amount", "0"}})));
    ASSERT_TRUE(side.event.has_value()) << side.rejection->to_string();
    const auto& s = std::get<BudgetSet>(side.event->data);
    EXPECT_FALSE(s.party_id.has_value());
    EXPECT_EQ(s.side, Side::private_provider);
    EXPECT_EQ(s.line, "commitment:other");
    EXPECT_EQ(s.amount.ore(), 0);
    EXPECT_EQ(side.event->canonical,
              R"({"data":{"amount":"0","line":"commitment:other","side":"private"},)"
              R"("event_id":"00000000-0000-4000-8000-000000000002","occurred_on":"2023-05-25","period":"2023-05",)"
              R"("region":"SE-Z","schema_version":1,"scheme":"primary_care",)"
              R"("source":{"reference":"VER-2","system":"raindance"},"type":"budget.set"})");
}

TEST(BudgetDecode, EachRuleIsASchemaViolationNamingItsField) {
    const std::vector<BudgetCase> cases{
        {"both party and side", [](auto& d) { d["side"] = "region_run"; },
         "/data/side: is not allowed beside party_id (a budget is for one party or one side)"},
        {"neither party nor side", [](auto& d) { d.erase("party_id"); },
         "/data/party_id: is required (or side, for a whole side)"},
        {"a side that is not a competitor",
         [](auto& d) {
             d.erase("party_id");
             d["side"] = "purchaser";
         },
         "/data/side: \"purchaser\" is not one of the allowed values (schemas/events/)"},
        {"a line that is no money column", [](auto& d) { d["line"] = "benefit_in_kind"; },
         "/data/line: \"benefit_in_kind\" is not a money column of the neutrality statement nor "
         "commitment:<commitment>"},
        {"a commitment that does not exist", [](auto& d) { d["line"] = "commitment:st_training"; },
         "/data/line: \"commitment:st_training\" is not a money column of the neutrality statement nor "
         "commitment:<commitment>"},
        {"a negative amount", [](auto& d) { d["amount"] = "-100.00"; },
         "/data/amount: \"-100.00\" must not be negative (a zero budget is a budget)"},
        {"a decimal comma", [](auto& d) { d["amount"] = "100,50"; }, nullptr},
        {"a missing line", [](auto& d) { d.erase("line"); }, "/data/line: is required"},
        {"an unknown field", [](auto& d) { d["note"] = "x"; }, "/data/note: is not a field of budget.set"},
    };
    for (const auto& c : cases) {
        auto event = party_budget();
        c.change(event["data"].as_object());
        const Rejection r = rejection_of(line(event));
        EXPECT_EQ(r.reason, Reason::schema_violation) << c.name << ": " << r.to_string();
        if (c.message != nullptr)
            EXPECT_EQ(r.message, c.message) << c.name;
        else
            EXPECT_EQ(r.message.substr(0, r.message.find(':')), "/data/amount") << c.name << ": " << r.message;
    }
}

TEST(BudgetRules, ThePartyMustBeAProviderOrOrganisationOfTheRegion) {
    MemoryLedger ledger;
    ledger.register_cast();
    const Outcome unknown = ledger.add(line(party_budget(1, "hc-nowhere")));
    EXPECT_EQ(unknown.reason, Reason::unknown_party);
    EXPECT_EQ(unknown.message, "/data/party_id: party \"hc-nowhere\" is not registered in SE-Z");
    const Outcome vendor = ledger.add(line(party_budget(2, "cambio")));
    EXPECT_EQ(vendor.reason, Reason::wrong_side);
    EXPECT_EQ(vendor.message,
              "/data/party_id: party \"cambio\" is vendor on side external, this field needs kind provider or "
              "organisation");
    EXPECT_TRUE(ledger.accept(line(party_budget(3, "egen-regi-primarvard"))).empty());
    EXPECT_TRUE(ledger.accept(line(party_budget(4, "hc-medinord"))).empty());
}

TEST(BudgetRules, ARetiredPartyGetsNoBudgetAfterItsRetirement) {
    MemoryLedger ledger;
    ledger.register_cast();
    auto retire = envelope(1, "party.retired", boost::json::object{{"party_id", "hc-ostberg"}}, "2023-04");
    retire["occurred_on"] = "2023-04-30";
    ledger.accept(line(retire));
    const Outcome o = ledger.add(line(party_budget(2, "hc-ostberg")));
    EXPECT_EQ(o.reason, Reason::unknown_party);
    EXPECT_EQ(o.message, "/data/party_id: party \"hc-ostberg\" was retired on 2023-04-30");
}

TEST(BudgetRules, ABudgetDerivesNoPostingsAndCannotBeReversed) {
    MemoryLedger ledger;
    ledger.register_cast();
    EXPECT_TRUE(ledger.accept(line(party_budget(1))).empty());
    EXPECT_TRUE(
        ledger.accept(line(budget(2, {{"side", "region_run"}, {"line", "internal_charges"}, {"amount", "310000.50"}})))
            .empty());
    const Outcome reversed = ledger.add(reversal(3, 1));
    EXPECT_EQ(reversed.reason, Reason::reversal_invalid);
    EXPECT_EQ(reversed.message,
              "/data/reverses: event " + uuid(1) + " is a budget.set, only financial events can be reversed");
    EXPECT_FALSE(is_financial(EventType::budget_set));
}

TEST(BudgetRules, ARevisedBudgetIsANewEventAndTheSameOneIsARedelivery) {
    MemoryLedger ledger;
    ledger.register_cast();
    ledger.accept(line(party_budget(1)));
    EXPECT_TRUE(ledger.add(line(party_budget(1))).redelivered);
    auto revised = party_budget(2);
    revised["data"].as_object()["amount"] = "1900000.00";
    EXPECT_FALSE(ledger.add(line(revised)).reason.has_value());
    auto conflicting = party_budget(1);
    conflicting["data"].as_object()["amount"] = "1.00";
    EXPECT_EQ(ledger.add(line(conflicting)).reason, Reason::duplicate_conflict);
}
