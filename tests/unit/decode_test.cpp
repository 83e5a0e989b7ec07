// Decoding: the checks that need no ledger state, each reason code with the field it names.
#include <gtest/gtest.h>

#include <functional>

#include "event_builder.hpp"
#include "events/events.hpp"

using namespace likvard;
using likvard::test::envelope;
using likvard::test::line;

namespace {

boost::json::object payment(int id = 1) {
    return envelope(id, "payment.made",
                    boost::json::object{{"payer_id", "halsoval-bestallare"},
                                        {"provider_id", "hc-lugnvik"},
                                        {"component", "capitation"},
                                        {"amount", "1874512.40"}});
}

Rejection rejection_of(const std::string& bytes) {
    Decoder decoder;
    DecodeResult result = decoder.decode(bytes);
    EXPECT_FALSE(result.event.has_value()) << bytes;
    if (!result.rejection) return {Reason::too_large, "no rejection"};
    return *result.rejection;
}

}  // namespace

TEST(Decode, AcceptsAValidPaymentAndTypesItsFields) {
    Decoder decoder;
    const DecodeResult result = decoder.decode(line(payment()));
    ASSERT_TRUE(result.event.has_value()) << result.rejection->to_string();
    const Event& event = *result.event;
    EXPECT_EQ(event.type, EventType::payment_made);
    EXPECT_EQ(event.period, "2023-05");
    const auto& data = std::get<PaymentMade>(event.data);
    EXPECT_EQ(data.amount.ore(), 187451240);
    EXPECT_EQ(data.component, "capitation");
}

TEST(Decode, TheCanonicalFormSortsKeysAndDropsWhitespace) {
    Decoder decoder;
    const std::string spaced = R"({ "type" : "party.retired", "event_id":"00000000-0000-4000-8000-00000000000A",
        "schema_version":1,"region":"SE-Z","scheme":"primary_care","period":"2023-05","occurred_on":"2023-05-01",
        "source":{"system":"s","reference":"r\u00e5\n"},"data":{"party_id":"hc-x"}})";
    const DecodeResult result = decoder.decode(spaced);
    ASSERT_TRUE(result.event.has_value());
    EXPECT_EQ(result.event->canonical,
              "{\"data\":{\"party_id\":\"hc-x\"},\"event_id\":\"00000000-0000-4000-8000-00000000000A\","
              "\"occurred_on\":\"2023-05-01\",\"period\":\"2023-05\",\"region\":\"SE-Z\",\"schema_version\":1,"
              "\"scheme\":\"primary_care\",\"source\":{\"reference\":\"r\xc3\xa5\\n\",\"system\":\"s\"},"
              "\"type\":\"party.retired\"}");
    EXPECT_EQ(result.event->event_id, "00000000-0000-4000-8000-00000000000a");
}

TEST(Decode, TooLarge) {
    auto event = payment();
    event["source"].as_object()["reference"] = std::string(70000, 'x');
    const Rejection r = rejection_of(line(event));
    EXPECT_EQ(r.reason, Reason::too_large);
}

TEST(Decode, MalformedJson) {
    for (const std::string& bytes :
         {std::string("{\"event_id\":"), std::string("not json"), std::string("{\"a\":\"\xff\"}"),
          std::string("{\"a\":1}\0x", 9), std::string(10000, '[') + std::string(10000, ']')}) {
        EXPECT_EQ(rejection_of(bytes).reason, Reason::malformed_json) << bytes.substr(0, 40);
    }
}

// The contract: unique member names in every object; never "the last one wins".
TEST(Decode, ARepeatedMemberNameIsMalformedJsonNamingTheMember) {
    const std::string payment_line = line(payment());
    const auto amount_at = payment_line.find("\"amount\":");
    ASSERT_NE(amount_at, std::string::npos);
    const std::string twice =
        payment_line.substr(0, amount_at) + "\"amount\":\"1.00\"," + payment_line.substr(amount_at);
    const Rejection r = rejection_of(twice);
    EXPECT_EQ(r.reason, Reason::malformed_json);
    EXPECT_EQ(r.message, "/data/amount: the member name occurs twice in one object (names must be unique, I-JSON)");

    // inside an array element, and with the characters a JSON Pointer escapes
    const Rejection nested = rejection_of(R"({"a":[{"x":1},{"y/~":1,"y/~":2}]})");
    EXPECT_EQ(nested.reason, Reason::malformed_json);
    EXPECT_EQ(nested.message.substr(0, nested.message.find(':')), "/a/1/y~1~0");
    // the same name in two different objects is fine
    EXPECT_NE(rejection_of(R"({"a":{"k":1},"b":{"k":1}})").reason, Reason::malformed_json);
}

TEST(Decode, UnknownType) {
    auto event = payment();
    event["type"] = "payment.refunded";
    const Rejection r = rejection_of(line(event));
    EXPECT_EQ(r.reason, Reason::unknown_type);
    EXPECT_EQ(r.message, "/type: \"payment.refunded\" is not an event type of contract version 1");
}

TEST(Decode, UnsupportedSchemaVersion) {
    auto event = payment();
    event["schema_version"] = 2;
    EXPECT_EQ(rejection_of(line(event)).reason, Reason::unsupported_schema_version);
}

TEST(Decode, SchemaViolationNamesTheField) {
    auto event = payment();
    event["data"].as_object()["amount"] = "12.345";
    const Rejection r = rejection_of(line(event));
    EXPECT_EQ(r.reason, Reason::schema_violation);
    EXPECT_EQ(r.to_string(), "schema_violation: /data/amount: \"12.345\" has more than two decimals");
}

struct SchemaCase {
    const char* name;
    std::function<void(boost::json::object&)> change;
    const char* pointer;
};

TEST(Decode, SchemaViolationsTable) {
    const std::vector<SchemaCase> cases{
        {"missing field", [](auto& e) { e["data"].as_object().erase("provider_id"); }, "/data/provider_id"},
        {"extra top-level field", [](auto& e) { e["extra"] = 1; }, "/extra"},
        {"extra data field", [](auto& e) { e["data"].as_object()["note"] = "x"; }, "/data/note"},
        {"bad period", [](auto& e) { e["period"] = "2023-13"; }, "/period"},
        {"bad event id", [](auto& e) { e["event_id"] = "not-a-uuid"; }, "/event_id"},
        {"bad component", [](auto& e) { e["data"].as_object()["component"] = "bonus"; }, "/data/component"},
        {"amount as number", [](auto& e) { e["data"].as_object()["amount"] = 12; }, "/data/amount"},
        {"zero amount", [](auto& e) { e["data"].as_object()["amount"] = "0.00"; }, "/data/amount"},
        {"negative amount", [](auto& e) { e["data"].as_object()["amount"] = "-5.00"; }, "/data/amount"},
        {"bad calendar date", [](auto& e) { e["occurred_on"] = "2023-02-30"; }, "/occurred_on"},
        {"year zero", [](auto& e) { e["occurred_on"] = "0000-06-15"; }, "/occurred_on"},
        {"upper-case party id", [](auto& e) { e["data"].as_object()["payer_id"] = "Halsoval"; }, "/data/payer_id"},
        {"missing source", [](auto& e) { e.erase("source"); }, "/source"},
        {"schema version as string", [](auto& e) { e["schema_version"] = "1"; }, "/schema_version"},
    };
    for (const auto& c : cases) {
        auto event = payment();
        c.change(event);
        const Rejection r = rejection_of(line(event));
        EXPECT_EQ(r.reason, Reason::schema_violation) << c.name << ": " << r.to_string();
        EXPECT_EQ(r.message.substr(0, r.message.find(':')), c.pointer) << c.name << ": " << r.to_string();
    }
}

TEST(Decode, NonObjectIsASchemaViolationAtTheRoot) {
    const Rejection r = rejection_of("[1,2]");
    EXPECT_EQ(r.reason, Reason::schema_violation);
    EXPECT_EQ(r.message, "(root): an event is a JSON object, got an array");
}

TEST(Decode, ProviderTypeOnlyForProviders) {
    boost::json::object data{{"party_id", "egen-regi"},
                             {"name", "Egen regi"},
                             {"kind", "organisation"},
                             {"side", "region_run"},
                             {"provider_type", "health_centre"}};
    EXPECT_EQ(rejection_of(line(envelope(5, "party.registered", data))).reason, Reason::schema_violation);
    data.erase("provider_type");
    data["kind"] = "provider";
    EXPECT_EQ(rejection_of(line(envelope(5, "party.registered", data))).reason, Reason::schema_violation);
}

TEST(Decode, WeightsMustNameTheBeneficiaries) {
    boost::json::object data{
        {"service", "acute_module"},
        {"vendor_id", "cambio"},
        {"amount", "1200.00"},
        {"paid_by", boost::json::array{boost::json::object{{"party_id", "egen-regi"}, {"share", "1"}}}},
        {"allocation", boost::json::object{{"key", "users"},
                                           {"beneficiaries", boost::json::array{"hc-a", "hc-b"}},
                                           {"weights", boost::json::object{{"hc-a", "3"}, {"hc-c", "1"}}}}}};
    const Rejection r = rejection_of(line(envelope(6, "shared_cost.incurred", data)));
    EXPECT_EQ(r.reason, Reason::schema_violation);
    EXPECT_EQ(r.message, "/data/allocation/weights/hc-c: is not one of the beneficiaries");
}

TEST(Decode, ReasonCodesRoundTrip) {
    for (Reason reason : all_reasons()) EXPECT_EQ(reason_from_code(reason_code(reason)), reason);
    EXPECT_FALSE(reason_from_code("no_such_reason").has_value());
    for (EventType type : all_event_types()) EXPECT_EQ(type_from_name(type_name(type)), type);
}

TEST(Decode, AStoredEventReadsBackAsTheValidatedOneWithoutTheSchemas) {
    Decoder decoder;
    const DecodeResult validated = decoder.decode(line(payment()));
    ASSERT_TRUE(validated.event.has_value());
    const std::optional<Event> stored = decode_stored(validated.event->canonical);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->canonical, validated.event->canonical);
    EXPECT_EQ(stored->event_id, validated.event->event_id);
    EXPECT_EQ(std::get<PaymentMade>(stored->data).amount.ore(), 187451240);
}

TEST(Decode, StoredBytesThatMakeNoEventAreRefusedNotGuessed) {
    Decoder decoder;
    const std::string canonical = decoder.decode(line(payment())).event->canonical;
    EXPECT_FALSE(decode_stored(canonical.substr(0, canonical.size() / 2)).has_value());  // truncated
    EXPECT_FALSE(decode_stored("[1, 2]").has_value());
    EXPECT_FALSE(decode_stored(R"({"type": "payment.teleported"})").has_value());
    boost::json::object no_amount = payment();
    no_amount["data"].as_object().erase("amount");
    EXPECT_FALSE(decode_stored(boost::json::serialize(no_amount)).has_value());
    boost::json::object amount_a_number = payment();
    amount_a_number["data"].as_object()["amount"] = 12;
    EXPECT_FALSE(decode_stored(boost::json::serialize(amount_a_number)).has_value());
}

TEST(Decode, StoredBytesWithAnAmountThatIsNoAmountAreRefused) {
    boost::json::object bad_amount = payment();
    bad_amount["data"].as_object()["amount"] = "twelve";
    EXPECT_FALSE(decode_stored(boost::json::serialize(bad_amount)).has_value());
}

// PostgreSQL text cannot hold U+0000: an event with it anywhere would fail its batch's
// COPY on every retry (its source reference is a column, its names go to projections).
TEST(Decode, TheCharacterU0000AnywhereIsASchemaViolationAtItsField) {
    struct Case {
        const char* name;
        std::function<void(boost::json::object&)> change;
        const char* pointer;
    };
    const std::vector<Case> cases{
        {"source reference", [](auto& e) { e["source"].as_object()["reference"] = std::string("F-1\0x", 5); },
         "/source/reference"},
        {"decision reference", [](auto& e) { e["decision_ref"] = std::string("RS/1\0", 5); }, "/decision_ref"},
        {"source system", [](auto& e) { e["source"].as_object()["system"] = std::string("erp\0", 4); },
         "/source/system"},
    };
    for (const auto& c : cases) {
        auto event = payment();
        c.change(event);
        const Rejection r = rejection_of(line(event));
        EXPECT_EQ(r.reason, Reason::schema_violation) << c.name << ": " << r.to_string();
        EXPECT_EQ(r.message, std::string(c.pointer) +
                                 ": contains the character U+0000 (\\u0000), which the ledger cannot store as text")
            << c.name;
    }
    // A party's name goes only into the canonical bytes and the projections: refused too.
    auto party = envelope(2, "party.registered",
                          boost::json::object{{"party_id", "hc-x"},
                                              {"name", std::string("Vård\0central", 13)},
                                              {"kind", "organisation"},
                                              {"side", "purchaser"}});
    const Rejection r = rejection_of(line(party));
    EXPECT_EQ(r.message.substr(0, r.message.find(':')), "/data/name") << r.to_string();
}

TEST(Decode, RejectionsQuoteWhatArrivedAsStorableText) {
    // An id with U+0000 and a type cut inside a two-byte character: the id and the message
    // name them in valid UTF-8 without U+0000.
    Decoder decoder;
    const DecodeResult with_nul = decoder.decode(R"({"event_id":"a\u0000b","type":"no\u0000such"})");
    ASSERT_TRUE(with_nul.rejection.has_value());
    EXPECT_EQ(with_nul.event_id, "a\\u0000b");
    EXPECT_EQ(with_nul.rejection->message, "/type: \"no\\u0000such\" is not an event type of contract version 1");

    const std::string long_type = "a" + [] {
        std::string s;
        for (int i = 0; i < 100; ++i) s += "ö";
        return s;
    }();
    const DecodeResult cut = decoder.decode("{\"event_id\":\"" + long_type + "\",\"type\":\"" + long_type + "\"}");
    ASSERT_TRUE(cut.rejection.has_value());
    EXPECT_EQ(cut.event_id, long_type.substr(0, 63) + "...");  // 'a' and 31 whole characters
    EXPECT_EQ(cut.rejection->message,
              "/type: \"" + long_type.substr(0, 79) + "...\" is not an event type of contract version 1");
}

TEST(StorableText, ValidUtf8PassesAndTheRestIsEscaped) {
    EXPECT_EQ(storable_text("Hälsoval 𝄞 \\ \t\n"), "Hälsoval 𝄞 \\ \t\n");
    EXPECT_EQ(storable_text(std::string("a\0b", 3)), "a\\u0000b");
    EXPECT_EQ(storable_text("\xc3"), "\\xc3");  // a character cut in two
    EXPECT_EQ(storable_text("x\xff"
                            "y"),
              "x\\xffy");                                                  // never valid
    EXPECT_EQ(storable_text("\xc0\xaf"), "\\xc0\\xaf");                    // an overlong '/'
    EXPECT_EQ(storable_text("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a UTF-16 surrogate
    EXPECT_EQ(storable_text("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
    EXPECT_EQ(storable_text(""), "");
}

namespace {

boost::json::object shared_cost_with(boost::json::object allocation) {
    boost::json::object data{
        {"service", "e_frikort"},
        {"vendor_id", "efrikort-leverantor"},
        {"amount", "41250.00"},
        {"paid_by", boost::json::array{boost::json::object{{"party_id", "egen-regi"}, {"share", "1"}}}},
        {"allocation", std::move(allocation)}};
    return envelope(7, "shared_cost.incurred", data);
}

}  // namespace

TEST(Decode, AnAllocationKeyCarriesItsBasisAndWhetherItIsAnEstimate) {
    Decoder decoder;
    const std::string basis = "delat 50/50 enligt överenskommelse, utan exakt underlag";
    const DecodeResult result = decoder.decode(line(shared_cost_with(
        {{"key", "equal"}, {"beneficiaries", "all_providers"}, {"basis", basis}, {"estimate", true}})));
    ASSERT_TRUE(result.event.has_value()) << result.rejection->to_string();
    const auto& allocation = std::get<SharedCostIncurred>(result.event->data).allocation;
    EXPECT_EQ(allocation.basis, basis);
    EXPECT_TRUE(allocation.estimate);
    EXPECT_NE(result.event->canonical.find("\"basis\":\"" + basis + "\",\"beneficiaries\""), std::string::npos);
    const std::optional<Event> stored = decode_stored(result.event->canonical);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(std::get<SharedCostIncurred>(stored->data).allocation.basis, basis);
    EXPECT_TRUE(std::get<SharedCostIncurred>(stored->data).allocation.estimate);
}

TEST(Decode, AnAllocationWithoutBasisOrEstimateKeepsItsCanonicalBytes) {
    Decoder decoder;
    const DecodeResult result =
        decoder.decode(line(shared_cost_with({{"key", "listed"}, {"beneficiaries", "all_providers"}})));
    ASSERT_TRUE(result.event.has_value()) << result.rejection->to_string();
    const auto& allocation = std::get<SharedCostIncurred>(result.event->data).allocation;
    EXPECT_FALSE(allocation.basis.has_value());
    EXPECT_FALSE(allocation.estimate);
    EXPECT_NE(result.event->canonical.find("\"allocation\":{\"beneficiaries\":\"all_providers\",\"key\":\"listed\"}"),
              std::string::npos);
    const DecodeResult told_false = decoder.decode(
        line(shared_cost_with({{"key", "listed"}, {"beneficiaries", "all_providers"}, {"estimate", false}})));
    ASSERT_TRUE(told_false.event.has_value());
    EXPECT_FALSE(std::get<SharedCostIncurred>(told_false.event->data).allocation.estimate);
}

TEST(Decode, ABasisOfWrongLengthOrAnEstimateThatIsNotABooleanIsRefusedNamingTheField) {
    struct Case {
        boost::json::object allocation;
        std::string message;
    };
    const std::vector<Case> cases{
        {{{"key", "equal"}, {"beneficiaries", "all_providers"}, {"basis", ""}},
         "/data/allocation/basis: \"\" is shorter than 1 characters"},
        {{{"key", "equal"}, {"beneficiaries", "all_providers"}, {"basis", std::string(501, 'x')}},
         "/data/allocation/basis: \"" + std::string(59, 'x') + "... is longer than 500 characters"},
        {{{"key", "equal"}, {"beneficiaries", "all_providers"}, {"estimate", "true"}},
         "/data/allocation/estimate: \"true\" has the wrong type (string)"},
        {{{"key", "equal"}, {"beneficiaries", "all_providers"}, {"estimate", 1}},
         "/data/allocation/estimate: 1 has the wrong type (int64)"},
    };
    for (const auto& c : cases) {
        const Rejection r = rejection_of(line(shared_cost_with(c.allocation)));
        EXPECT_EQ(r.reason, Reason::schema_violation);
        EXPECT_EQ(r.message, c.message);
    }
    // 500 characters (not bytes: å is two) is the longest basis.
    Decoder decoder;
    std::string longest;
    for (int i = 0; i < 500; ++i) longest += "å";
    EXPECT_TRUE(
        decoder
            .decode(line(shared_cost_with({{"key", "equal"}, {"beneficiaries", "all_providers"}, {"basis", longest}})))
            .event.has_value());
}
