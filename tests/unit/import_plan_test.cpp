// The pure part of `likvard import sie`: the event ids (UUID version 5 of the row's place in
// the books, docs/reconciling.md), and what one SIE document makes through a mapping.
#include <gtest/gtest.h>

#include <set>

#include "gl/import.hpp"

namespace likvard::gl {
namespace {

TEST(ImportIds, Uuid5IsRfc4122s) {
    // RFC 4122's DNS namespace and Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
    EXPECT_EQ(uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    // The documented namespace and name of a row (uuid.uuid5(UUID("b17adfd4-..."), name)).
    EXPECT_EQ(uuid_v5(import_namespace, "232100-0214|20230101|A|1|1"), "def6c59c-26af-5822-b52c-4655c9e24e48");
    EXPECT_THROW(uuid_v5("not-a-uuid", "x"), std::invalid_argument);
}

sie::SieDocument document() {
    sie::SieDocument d;
    d.program = "Raindance";
    d.orgnr = "232100-0214";
    d.rar = {{0, {2023, 7, 1}, {2024, 6, 30}, 0}};
    for (const std::string number : {"7", "7", "8"}) {
        sie::Verification v;
        v.series = "A";
        v.number = number;
        v.date = {2023, 9, 4};
        v.text = "Vårdpeng";
        for (const std::int64_t ore : {100, -100}) {
            sie::TransRow row;
            row.account = ore > 0 ? "4511" : "2440";
            row.amount = Money::from_ore(ore);
            v.rows.push_back(row);
        }
        d.verifications.push_back(v);
    }
    return d;
}

TEST(ImportIds, TheNameIsTheRowsPlaceInTheBooks) {
    const sie::SieDocument d = document();
    EXPECT_EQ(row_name(d, d.verifications[0], 1, 2), "232100-0214|20230701|A|7|2");  // the #RAR year it lies in
    EXPECT_EQ(row_name(d, d.verifications[1], 2, 1), "232100-0214|20230701|A|7~2|1");
    sie::Verification outside = d.verifications[0];
    outside.date = {2025, 1, 2};
    EXPECT_EQ(row_name(d, outside, 1, 1), "232100-0214|2025|A|7|1");  // no #RAR holds it: the calendar year
}

const char* mapping_text =
    "account;sign;type;scheme;component;payer_id;provider_id\n"
    "4511;debit;payment.made;primary_care;capitation;bestallare;hc-a\n"
    "2440;;ignore;;;;\n";

TEST(ImportPlan, TheSameDocumentGivesTheSameEventsAndEveryRowItsOwnId) {
    const Mapping mapping = *parse_mapping(mapping_text).value;
    const ImportSpec spec{"SE-Z", {"bestallare", "hc-a"}};
    const ImportPlan plan = plan_import(document(), mapping, nullptr, spec);
    ASSERT_EQ(plan.events.size(), 3u);
    std::set<std::string> ids;
    for (const auto& e : plan.events) ids.insert(e.event_id);
    EXPECT_EQ(ids.size(), 3u) << "verifications numbered alike still give different ids";
    const ImportPlan again = plan_import(document(), mapping, nullptr, spec);
    for (std::size_t i = 0; i < plan.events.size(); ++i) EXPECT_EQ(plan.events[i].json, again.events[i].json);
    EXPECT_EQ(plan.events[0].event_id, uuid_v5(import_namespace, "232100-0214|20230701|A|7|1"));
    EXPECT_NE(plan.events[0].json.find("\"occurred_on\":\"2023-09-04\""), std::string::npos);
    EXPECT_NE(plan.events[0].json.find("\"period\":\"2023-09\""), std::string::npos);
    EXPECT_NE(plan.events[0].json.find("\"reference\":\"A 7/1 Vårdpeng\""), std::string::npos) << plan.events[0].json;
    EXPECT_NE(plan.events[0].json.find("\"amount\":\"1.00\""), std::string::npos);
    EXPECT_EQ(plan.totals.at("2440").ignored, Money::from_ore(-300));
}

TEST(ImportPlan, APartyNeitherInTheLedgerNorInThePartyMapLeavesTheRowUnmatched) {
    const Mapping mapping = *parse_mapping(mapping_text).value;
    const ImportPlan plan = plan_import(document(), mapping, nullptr, ImportSpec{"SE-Z", {"bestallare"}});
    EXPECT_TRUE(plan.events.empty());
    ASSERT_EQ(plan.unmatched.size(), 3u);
    EXPECT_EQ(plan.unmatched[0].why, "the provider_id hc-a is neither in the ledger nor in the party map");
    EXPECT_EQ(plan.totals.at("4511").unmatched, Money::from_ore(300));
}

TEST(ImportPlan, AServiceTakesItsQuantityFromTheRow) {
    const Mapping mapping = *parse_mapping(
                                 "account;sign;type;scheme;service;buyer_id;seller_id\n"
                                 "4511;debit;service.purchased;primary_care;omi;bestallare;hc-a\n2440;;ignore;;;;\n")
                                 .value;
    sie::SieDocument d = document();
    d.verifications[0].rows[0].quantity = "4";
    d.verifications[1].rows[0].quantity = "3";  // 1.00 SEK is not 3 whole units
    const ImportPlan plan = plan_import(d, mapping, nullptr, ImportSpec{"SE-Z", {"bestallare", "hc-a"}});
    ASSERT_EQ(plan.events.size(), 2u);
    EXPECT_NE(plan.events[0].json.find("\"quantity\":4,\"unit_price\":\"0.25\""), std::string::npos)
        << plan.events[0].json;
    EXPECT_NE(plan.events[1].json.find("\"quantity\":1,\"unit_price\":\"1.00\""), std::string::npos);
    ASSERT_EQ(plan.unmatched.size(), 1u);
    EXPECT_EQ(plan.unmatched[0].why, "the quantity 3 is not a whole number of units that divides the amount");
}

TEST(ImportPlan, ACreditRowsQuantityMayCarryItsMinusSign) {
    const Mapping mapping = *parse_mapping(
                                 "account;sign;type;scheme;service;buyer_id;seller_id\n"
                                 "2440;credit;service.purchased;primary_care;omi;bestallare;hc-a\n4511;;ignore;;;;\n")
                                 .value;
    sie::SieDocument d = document();
    d.verifications[0].rows[1].quantity = "-4";  // a sale of 4 units, written as finance systems write it
    d.verifications[1].rows[1].quantity = "4";
    d.verifications[2].rows[0].quantity = "-4";  // on the ignored debit row: not read
    const ImportPlan plan = plan_import(d, mapping, nullptr, ImportSpec{"SE-Z", {"bestallare", "hc-a"}});
    ASSERT_EQ(plan.events.size(), 3u);
    EXPECT_NE(plan.events[0].json.find("\"quantity\":4,\"unit_price\":\"0.25\""), std::string::npos)
        << plan.events[0].json;
    EXPECT_NE(plan.events[1].json.find("\"quantity\":4,\"unit_price\":\"0.25\""), std::string::npos);
    sie::SieDocument wrong = document();
    wrong.verifications[0].rows[0].quantity = "-4";  // a minus on a debit row is no quantity
    const Mapping service = *parse_mapping(
                                 "account;sign;type;scheme;service;buyer_id;seller_id\n"
                                 "4511;debit;service.purchased;primary_care;omi;bestallare;hc-a\n2440;;ignore;;;;\n")
                                 .value;
    const ImportPlan refused = plan_import(wrong, service, nullptr, ImportSpec{"SE-Z", {"bestallare", "hc-a"}});
    ASSERT_EQ(refused.unmatched.size(), 1u);
    EXPECT_EQ(refused.unmatched[0].why, "the quantity -4 is not a whole number of units that divides the amount");
}

}  // namespace
}  // namespace likvard::gl
