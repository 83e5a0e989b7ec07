// The mapping file and the party map (docs/reconciling.md): what they accept, every error
// with its line and column, and how a GL row is matched (first match wins, the sign rule).
#include <gtest/gtest.h>

#include <string>

#include "gl/mapping.hpp"

namespace likvard::gl {
namespace {

const std::string header =
    "account;objects;series;sign;type;scheme;component;category;commitment;purpose;service;allocation_key;"
    "payer_id;provider_id;charged_by;party_id;borne_by;granted_by;paid_by;vendor_id;buyer_id;seller_id;comment\n";

// A row of the header above: the first six columns and then name=value pairs of the rest.
std::string row(const std::string& first_six, const std::map<std::string, std::string>& rest = {}) {
    const std::vector<std::string> tail{"component",      "category",   "commitment",  "purpose",    "service",
                                        "allocation_key", "payer_id",   "provider_id", "charged_by", "party_id",
                                        "borne_by",       "granted_by", "paid_by",     "vendor_id",  "buyer_id",
                                        "seller_id",      "comment"};
    std::string out = first_six;
    for (const auto& column : tail) out += ";" + (rest.contains(column) ? rest.at(column) : "");
    return out + "\n";
}

const std::string capitation =
    row("4511;1=*;;debit;payment.made;primary_care",
        {{"component", "capitation"}, {"payer_id", "halsoval-bestallare"}, {"provider_id", "object:1"}});

Mapping parsed(const std::string& text) {
    auto result = parse_mapping(text);
    for (const auto& e : result.errors) ADD_FAILURE() << e.to_string();
    return result.value.value_or(Mapping{});
}

TEST(Mapping, ReadsTheRowsOfTheDocumentedExample) {
    const Mapping mapping = parsed(
        "\xEF\xBB\xBF" + header + capitation + "\n" + row("3511;1=*;;credit;ignore;") +
        row("4610-4619;1=2150 2=P7;A;debit;commitment.cost_incurred;primary_care",
            {{"commitment", "on_call_coordination"}, {"borne_by", "hc-are"}, {"comment", "\"Jour; samordning\""}}) +
        row("5000-5999;;;;ignore;"));
    ASSERT_EQ(mapping.rows.size(), 4u);
    const MappingRow& first = mapping.rows[0];
    EXPECT_EQ(first.line, 2u);
    EXPECT_EQ(first.account_text(), "4511");
    ASSERT_EQ(first.objects.size(), 1u);
    EXPECT_EQ(first.objects[0].dimension, 1);
    EXPECT_FALSE(first.objects[0].object.has_value());
    ASSERT_TRUE(first.event.has_value());
    EXPECT_EQ(first.event->type, EventType::payment_made);
    EXPECT_EQ(first.event->values.at("component"), "capitation");
    EXPECT_EQ(first.event->parties.at("provider_id").dimension, 1);
    EXPECT_EQ(first.event->parties.at("payer_id").party_id, "halsoval-bestallare");
    EXPECT_EQ(mapping.rows[1].line, 4u);  // the blank line is skipped, the numbering is the file's
    EXPECT_FALSE(mapping.rows[1].event.has_value());
    EXPECT_EQ(mapping.rows[2].account_text(), "4610-4619");
    EXPECT_EQ(mapping.rows[2].series, "A");
    EXPECT_EQ(mapping.rows[2].objects[1].object, "P7");
    EXPECT_FALSE(mapping.rows[3].sign.has_value());
    EXPECT_TRUE(mapping.uses_objects());
}

TEST(Mapping, ColumnsInAnyOrderAndOnlyTheNeededOnes) {
    const Mapping mapping = parsed(
        "type;account;sign;scheme;borne_by;commitment\r\n"
        "commitment.cost_incurred;4611;debet;primary_care;hc-are;other\r\n"
        "ignore;1910;;;;\r\n");
    ASSERT_EQ(mapping.rows.size(), 2u);
    EXPECT_EQ(mapping.rows[0].sign, Sign::debit);  // the Swedish word too
    EXPECT_EQ(mapping.rows[0].event->parties.at("borne_by").party_id, "hc-are");
    EXPECT_FALSE(mapping.uses_objects());
}

struct BadCase {
    std::string name;
    std::string text;
    std::size_t line;
    std::size_t column;
    std::string column_name;
    std::string message_part;
};

class BadMapping : public testing::TestWithParam<BadCase> {};

TEST_P(BadMapping, IsRefusedNamingLineAndColumn) {
    const BadCase& c = GetParam();
    const auto result = parse_mapping(c.text);
    EXPECT_FALSE(result.value.has_value());
    ASSERT_FALSE(result.errors.empty());
    const MappingError& e = result.errors.front();
    EXPECT_EQ(e.line, c.line) << e.to_string();
    EXPECT_EQ(e.column, c.column) << e.to_string();
    EXPECT_EQ(e.column_name, c.column_name) << e.to_string();
    EXPECT_NE(e.message.find(c.message_part), std::string::npos) << e.to_string();
}

const std::string short_header = "account;objects;series;sign;type;scheme;component;payer_id;provider_id\n";
std::string short_row(const std::string& text) { return short_header + text + "\n"; }

INSTANTIATE_TEST_SUITE_P(
    Errors, BadMapping,
    testing::Values(
        BadCase{"empty", "", 0, 0, "", "empty"},
        BadCase{"unknown_column", "account;type;konto\n4511;ignore;x\n", 1, 3, "konto", "unknown column"},
        BadCase{"column_twice", "account;type;account\n", 1, 3, "account", "twice"},
        BadCase{"no_type_column", "account;sign\n4511;debit\n", 1, 0, "", "no column 'type'"},
        BadCase{"no_rows", "account;type\n", 0, 0, "", "no rows"},
        BadCase{"unclosed_quote", "account;type\n4511;\"ignore\n", 2, 2, "type", "not closed"},
        BadCase{"text_after_quote", "account;type\n\"4511\"x;ignore\n", 2, 1, "account", "after the closing quote"},
        BadCase{"stray_quote", "account;type\n45\"11;ignore\n", 2, 1, "account", "quote inside"},
        BadCase{"invalid_utf8", "account;type\n4511;ign\xF6re\n", 2, 2, "type", "UTF-8"},
        BadCase{"extra_value", "account;type\n4511;ignore;x\n", 2, 3, "", "header does not name"},
        BadCase{"no_account", "account;type\n;ignore\n", 2, 1, "account", "required"},
        BadCase{"bad_account", "account;type\n45x1;ignore\n", 2, 1, "account", "not an account"},
        BadCase{"long_account", "account;type\n12345678901;ignore\n", 2, 1, "account", "not an account"},
        BadCase{"backwards_range", "account;type\n4519-4510;ignore\n", 2, 1, "account", "ends before"},
        BadCase{"bad_objects", "account;objects;type\n4511;1:2150;ignore\n", 2, 2, "objects", "dimension=object"},
        BadCase{"object_dimension_zero", "account;objects;type\n4511;0=2150;ignore\n", 2, 2, "objects",
                "dimension=object"},
        BadCase{"empty_object", "account;objects;type\n4511;1=;ignore\n", 2, 2, "objects", "dimension=object"},
        BadCase{"dimension_twice", "account;objects;type\n4511;1=2 1=3;ignore\n", 2, 2, "objects", "twice"},
        BadCase{"no_type", "account;type\n4511;\n", 2, 2, "type", "required"},
        BadCase{"unknown_type", "account;type\n4511;payment\n", 2, 2, "type", "not a type a GL row can be"},
        BadCase{"multi_row_type", "account;type\n4511;entry.reversed\n", 2, 2, "type", "not a type a GL row can be"},
        BadCase{"bad_sign", "account;sign;type\n4511;plus;ignore\n", 2, 2, "sign", "not debit or credit"},
        BadCase{"ignore_with_scheme", "account;type;scheme\n4511;ignore;primary_care\n", 2, 3, "scheme",
                "leave the column empty"},
        BadCase{"event_without_sign",
                short_row("4511;;;;payment.made;primary_care;capitation;halsoval-bestallare;hc-are"), 2, 4, "sign",
                "debit or credit"},
        BadCase{"no_scheme", short_row("4511;;;debit;payment.made;;capitation;halsoval-bestallare;hc-are"), 2, 6,
                "scheme", "needs the scheme"},
        BadCase{"bad_scheme", short_row("4511;;;debit;payment.made;vardval;capitation;halsoval-bestallare;hc-are"), 2,
                6, "scheme", "not a scheme"},
        BadCase{"no_component", short_row("4511;;;debit;payment.made;primary_care;;halsoval-bestallare;hc-are"), 2, 7,
                "component", "needs component"},
        BadCase{"bad_component",
                short_row("4511;;;debit;payment.made;primary_care;vardpeng;halsoval-bestallare;hc-are"), 2, 7,
                "component", "not a component"},
        BadCase{"no_payer", short_row("4511;;;debit;payment.made;primary_care;capitation;;hc-are"), 2, 8, "payer_id",
                "needs payer_id"},
        BadCase{"bad_party", short_row("4511;;;debit;payment.made;primary_care;capitation;Hälsoval;hc-are"), 2, 8,
                "payer_id", "not a party id"},
        BadCase{"bad_object_party",
                short_row("4511;;;debit;payment.made;primary_care;capitation;halsoval-bestallare;object:x"), 2, 9,
                "provider_id", "object:<dimension>"},
        BadCase{"column_the_type_lacks",
                "account;sign;type;scheme;borne_by;commitment;payer_id\n"
                "4611;debit;commitment.cost_incurred;primary_care;hc-are;other;halsoval-bestallare\n",
                2, 7, "payer_id", "commitment.cost_incurred has no payer_id"},
        BadCase{"users_key",
                "account;sign;type;scheme;service;allocation_key;paid_by;vendor_id\n"
                "4631;debit;shared_cost.incurred;primary_care;e_frikort;users;egen-regi;efrikort-ab\n",
                2, 6, "allocation_key", "not a allocation_key"},
        BadCase{"bad_service_code",
                "account;sign;type;scheme;service;buyer_id;seller_id\n"
                "4640;debit;service.purchased;primary_care;OMI besök;hc-a;hc-b\n",
                2, 5, "service", "not a service code"},
        BadCase{"long_decision_ref",
                "account;sign;type;scheme;borne_by;commitment;decision_ref\n"
                "4611;debit;commitment.cost_incurred;primary_care;hc-are;other;" +
                    std::string(101, 'x') + "\n",
                2, 7, "decision_ref", "longer than 100"}),
    [](const testing::TestParamInfo<BadCase>& info) { return info.param.name; });

TEST(Mapping, ReportsEveryErrorNotOnlyTheFirst) {
    const auto result = parse_mapping("account;sign;type\n45x1;debit;ignore\n4511;plus;ignore\n4512;;nothing\n");
    ASSERT_EQ(result.errors.size(), 3u);
    EXPECT_EQ(result.errors[0].line, 2u);
    EXPECT_EQ(result.errors[1].line, 3u);
    EXPECT_EQ(result.errors[2].line, 4u);
    EXPECT_EQ(result.errors[1].to_string(), "line 3, column 2 (sign): 'plus' is not debit or credit");
}

TEST(Mapping, ANeedForAPartyMapIsAnError) {
    const Mapping mapping = parsed(header + capitation);
    const auto errors = check_against(mapping, nullptr);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 2u);
    EXPECT_NE(errors[0].message.find("--party-map"), std::string::npos);
    const PartyMap empty;
    EXPECT_TRUE(check_against(mapping, &empty).empty());
}

TEST(Mapping, TheAccountEachSignStandsFor) {
    const Mapping mapping = parsed(
        "account;sign;type;scheme;borne_by;commitment;purpose;granted_by;party_id\n"
        "4611;debit;commitment.cost_incurred;primary_care;hc-are;on_call_coordination;;;\n"
        "4690;debit;appropriation.granted;primary_care;;;shared_cost:e_frikort;hs-direktor;hc-are\n");
    const StoodFor debit = stood_for(*mapping.rows[0].event, Sign::debit);
    EXPECT_EQ(debit.party_field, "borne_by");
    EXPECT_EQ(debit.account, (ChartAccount{"expense", "commitment.on_call_coordination"}));
    EXPECT_EQ(stood_for(*mapping.rows[0].event, Sign::credit).account,
              (ChartAccount{"settlement", "commitment.on_call_coordination"}));
    const StoodFor credit = stood_for(*mapping.rows[1].event, Sign::credit);
    EXPECT_EQ(credit.party_field, "party_id");
    EXPECT_EQ(credit.account, (ChartAccount{"income", "appropriation.shared_cost.e_frikort"}));
}

// ---- the party map -----------------------------------------------------------------------

const std::string party_header = "dimension;object;party_id;name;kind;side;provider_type;area\n";

TEST(PartyMap, ReadsObjectsAndPartiesWithoutObject) {
    const auto result = parse_party_map(party_header +
                                        "1;2150;hc-are;Hälsocentralen Åre;provider;region_run;health_centre;Åre\n"
                                        "1;2151;hc-are;Hälsocentralen Åre;provider;region_run;health_centre;Åre\n"
                                        ";;halsoval-bestallare;Hälsovalsenheten;organisation;purchaser;;\n");
    for (const auto& e : result.errors) ADD_FAILURE() << e.to_string();
    ASSERT_TRUE(result.value);
    const PartyMap& map = *result.value;
    ASSERT_NE(map.of_object(1, "2151"), nullptr);
    EXPECT_EQ(map.of_object(1, "2151")->party.party_id, "hc-are");
    EXPECT_EQ(map.of_object(1, "2151")->party.area, "Åre");
    EXPECT_EQ(map.of_object(2, "2150"), nullptr);
    ASSERT_NE(map.of_party("halsoval-bestallare"), nullptr);
    EXPECT_EQ(map.of_party("halsoval-bestallare")->party.side, likvard::Side::purchaser);
    EXPECT_FALSE(map.of_party("halsoval-bestallare")->object.has_value());
}

class BadPartyMap : public testing::TestWithParam<BadCase> {};

TEST_P(BadPartyMap, IsRefusedNamingLineAndColumn) {
    const BadCase& c = GetParam();
    const auto result = parse_party_map(c.text);
    EXPECT_FALSE(result.value.has_value());
    ASSERT_FALSE(result.errors.empty());
    const MappingError& e = result.errors.front();
    EXPECT_EQ(e.line, c.line) << e.to_string();
    EXPECT_EQ(e.column, c.column) << e.to_string();
    EXPECT_EQ(e.column_name, c.column_name) << e.to_string();
    EXPECT_NE(e.message.find(c.message_part), std::string::npos) << e.to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BadPartyMap,
    testing::Values(
        BadCase{"no_side_column", "party_id;name;kind\n", 1, 0, "", "no column 'side'"},
        BadCase{"unknown_column", party_header.substr(0, party_header.size() - 1) + ";typ\n", 1, 9, "typ", "unknown"},
        BadCase{"object_without_dimension", party_header + ";2150;hc-are;HC Åre;provider;region_run;health_centre;\n",
                2, 1, "dimension", "needs its dimension"},
        BadCase{"dimension_without_object", party_header + "1;;hc-are;HC Åre;provider;region_run;health_centre;\n", 2,
                2, "object", "needs the object"},
        BadCase{"bad_dimension", party_header + "x;2150;hc-are;HC Åre;provider;region_run;health_centre;\n", 2, 1,
                "dimension", "not a dimension"},
        BadCase{"bad_party_id", party_header + "1;2150;HC Åre;HC Åre;provider;region_run;health_centre;\n", 2, 3,
                "party_id", "not a party id"},
        BadCase{"no_name", party_header + "1;2150;hc-are;;provider;region_run;health_centre;\n", 2, 4, "name",
                "required"},
        BadCase{"long_name",
                party_header + "1;2150;hc-are;" + std::string(201, 'x') + ";provider;region_run;health_centre;\n", 2, 4,
                "name", "200"},
        BadCase{"bad_kind", party_header + "1;2150;hc-are;HC Åre;vardcentral;region_run;health_centre;\n", 2, 5, "kind",
                "not a kind"},
        BadCase{"bad_side", party_header + "1;2150;hc-are;HC Åre;provider;egen_regi;health_centre;\n", 2, 6, "side",
                "not a side"},
        BadCase{"provider_on_wrong_side", party_header + "1;2150;hc-are;HC Åre;provider;central;health_centre;\n", 2, 6,
                "side", "region_run or private"},
        BadCase{"provider_without_type", party_header + "1;2150;hc-are;HC Åre;provider;region_run;;\n", 2, 7,
                "provider_type", "needs its provider_type"},
        BadCase{"bad_provider_type", party_header + "1;2150;hc-are;HC Åre;provider;region_run;vc;\n", 2, 7,
                "provider_type", "not a provider_type"},
        BadCase{"type_of_non_provider", party_header + ";;hsd;HS-direktör;organisation;central;health_centre;\n", 2, 7,
                "provider_type", "only a provider"},
        BadCase{"long_area",
                party_header + "1;2150;hc-are;HC Åre;provider;region_run;health_centre;" + std::string(101, 'a') + "\n",
                2, 8, "area", "longer than 100"},
        BadCase{"object_twice",
                party_header + "1;2150;hc-are;HC Åre;provider;region_run;health_centre;\n" +
                    "1;2150;hc-bye;HC By;provider;private;health_centre;\n",
                3, 2, "object", "already on line 2"},
        BadCase{"party_differs",
                party_header + "1;2150;hc-are;HC Åre;provider;region_run;health_centre;\n" +
                    "1;2151;hc-are;HC Åre;provider;private;health_centre;\n",
                3, 3, "party_id", "another name"}),
    [](const testing::TestParamInfo<BadCase>& info) { return info.param.name; });

// ---- matching ----------------------------------------------------------------------------

sie::TransRow gl_row(const std::string& account, std::vector<sie::ObjectRef> objects, std::int64_t ore) {
    sie::TransRow row;
    row.account = account;
    row.objects = std::move(objects);
    row.amount = Money::from_ore(ore);
    return row;
}

PartyMap party_map() {
    return *parse_party_map(party_header + "1;2150;hc-are;HC Åre;provider;region_run;health_centre;\n").value;
}

TEST(MatchRow, TheFirstMatchingRowWins) {
    const Mapping mapping = parsed("account;objects;series;type\n4511;1=2150;;ignore\n4500-4599;;B;ignore\n");
    sie::Verification a;
    a.series = "A";
    sie::Verification b;
    b.series = "B";
    const PartyMap map = party_map();
    EXPECT_EQ(match_row(mapping, &map, a, gl_row("4511", {{1, "2150"}}, 100)).rule->line, 2u);
    EXPECT_EQ(match_row(mapping, &map, b, gl_row("4511", {{1, "2150"}}, 100)).rule->line, 2u);
    EXPECT_EQ(match_row(mapping, &map, b, gl_row("4511", {{1, "9999"}}, 100)).rule->line, 3u);
    EXPECT_EQ(match_row(mapping, &map, b, gl_row("45999", {}, 100)).outcome, RowMatch::Outcome::unmatched);
    const RowMatch none = match_row(mapping, &map, a, gl_row("4511", {{1, "9999"}}, 100));
    EXPECT_EQ(none.outcome, RowMatch::Outcome::unmatched);
    EXPECT_EQ(none.why, "no mapping row matches");
    EXPECT_EQ(none.why_sv, "ingen mappningsrad matchar");
}

TEST(MatchRow, ASignThatDoesNotFitIsNeverGuessed) {
    const Mapping mapping = parsed(header + capitation + row("4500-4599;;;;ignore;"));
    const PartyMap map = party_map();
    const sie::Verification v;
    const RowMatch debit = match_row(mapping, &map, v, gl_row("4511", {{1, "2150"}}, 125000));
    ASSERT_EQ(debit.outcome, RowMatch::Outcome::event);
    EXPECT_EQ(debit.parties.at("provider_id"), "hc-are");
    EXPECT_EQ(debit.parties.at("payer_id"), "halsoval-bestallare");
    // A credit on the compensation account does not fall through to the ignore row below it.
    const RowMatch credit = match_row(mapping, &map, v, gl_row("4511", {{1, "2150"}}, -125000));
    EXPECT_EQ(credit.outcome, RowMatch::Outcome::unmatched);
    EXPECT_EQ(credit.rule->line, 2u);
    EXPECT_EQ(credit.why, "a credit, but mapping line 2 wants a debit");
    EXPECT_EQ(credit.why_sv, "en kredit, men mappningsrad 2 vill ha en debet");
    EXPECT_TRUE(credit.opposite_sign) << "a correction of the account, for a reconciliation";
    EXPECT_EQ(credit.parties.at("provider_id"), "hc-are");
    EXPECT_FALSE(debit.opposite_sign);
    EXPECT_EQ(match_row(mapping, &map, v, gl_row("4520", {}, -5)).outcome, RowMatch::Outcome::ignored);
    EXPECT_FALSE(match_row(mapping, &map, v, gl_row("4511", {{1, "9999"}}, -5)).opposite_sign)
        << "a party that cannot be found is no correction either";
}

// A credit on a compensation account corrects it: a reconciliation sums it, signed, on the
// key the mapping row stands for, where the ledger's entry.reversed books the negation.
TEST(Reconcile, ACorrectionMeetsTheLedgersReversalOnTheSameKey) {
    const Mapping mapping = parsed(header + capitation + row("2440;;;;ignore;"));
    const PartyMap map = party_map();
    sie::SieDocument gl;
    for (const auto& [month, ore] : std::vector<std::pair<int, std::int64_t>>{{5, 125000}, {6, -125000}}) {
        sie::Verification v;
        v.series = month == 5 ? "A" : "K";
        v.number = "1";
        v.date = {2023, month, 10};
        v.rows = {gl_row("4511", {{1, "2150"}}, ore), gl_row("2440", {}, -ore)};
        gl.verifications.push_back(v);
    }
    LedgerExtract ledger;
    ledger.region = "SE-Z";
    const ChartAccount expense{"expense", "compensation.capitation"};
    ledger.postings = {{1, 1, "e-1", "payment.made", "primary_care", "2023-05", "2023-05-10", "halsoval-bestallare",
                        expense, Money::from_ore(125000)},
                       {2, 1, "e-2", "entry.reversed", "primary_care", "2023-06", "2023-06-10", "halsoval-bestallare",
                        expense, Money::from_ore(-125000)}};
    const Through through{mapping, &map};
    const Reconciliation agreed = reconcile(gl, ledger, "2023-05", "2023-06", &through);
    EXPECT_TRUE(agreed.agrees()) << agreed.unkeyed.size() << " unkeyed, " << agreed.differences.size() << " differ";
    ledger.postings.pop_back();  // the ledger without the reversal: June differs by the correction
    const Reconciliation differs = reconcile(gl, ledger, "2023-05", "2023-06", &through);
    ASSERT_EQ(differs.differences.size(), 1u);
    EXPECT_EQ(differs.differences[0].key.month, "2023-06");
    EXPECT_EQ(differs.differences[0].difference(), Money::from_ore(-125000));
    ASSERT_EQ(differs.differences[0].gl_unpaired.size(), 1u) << "the correction is the row the ledger lacks";
    EXPECT_EQ(differs.differences[0].gl_unpaired[0].source, "K 1 (line 0)");
    EXPECT_EQ(differs.differences[0].gl_unpaired[0].amount, Money::from_ore(-125000));
    EXPECT_TRUE(differs.differences[0].ledger_unpaired.empty());
}

// Within a key that differs, equal amounts pair up: one changed payment among many leaves
// exactly its GL row and its event unpaired.
TEST(Reconcile, TheRowsOfAKeyThatDifferPairUpByAmountExceptTheChangedOne) {
    const Mapping mapping = parsed(header + capitation + row("2440;;;;ignore;"));
    const PartyMap map = party_map();
    sie::SieDocument gl;
    LedgerExtract ledger;
    const ChartAccount expense{"expense", "compensation.capitation"};
    for (int n = 1; n <= 3; ++n) {
        sie::Verification v;
        v.series = "A";
        v.number = std::to_string(n);
        v.date = {2023, 5, 25};
        const std::int64_t ore = 100000 * n + (n == 2 ? 500 : 0);  // A 2 was booked 5.00 SEK too high
        v.rows = {gl_row("4511", {{1, "2150"}}, ore), gl_row("2440", {}, -ore)};
        v.rows[0].line = static_cast<std::size_t>(10 * n);
        gl.verifications.push_back(v);
        ledger.postings.push_back({n, 1, "e-" + std::to_string(n), "payment.made", "primary_care", "2023-05",
                                   "2023-05-25", "halsoval-bestallare", expense, Money::from_ore(100000 * n)});
    }
    const Through through{mapping, &map};
    const Reconciliation r = reconcile(gl, ledger, "2023-05", "2023-05", &through);
    ASSERT_EQ(r.differences.size(), 1u);
    const Difference& d = r.differences[0];
    ASSERT_EQ(d.gl_unpaired.size(), 1u);
    EXPECT_EQ(d.gl_unpaired[0].source, "A 2 (line 20)");
    ASSERT_EQ(d.ledger_unpaired.size(), 1u);
    EXPECT_EQ(d.ledger_unpaired[0].source, "e-2");
    EXPECT_EQ(d.ledger_unpaired[0].amount, Money::from_ore(200000));
    EXPECT_NE(render_markdown(r, "SE-Z", Language::en).find("| A 2 (line 20): 2,005.00 | e-2: 2,000.00 |"),
              std::string::npos)
        << render_markdown(r, "SE-Z", Language::en);
}

TEST(MatchRow, APartyFromAnObjectMustBeInThePartyMap) {
    const Mapping mapping = parsed(header + capitation);
    const PartyMap map = party_map();
    const sie::Verification v;
    const RowMatch unknown = match_row(mapping, &map, v, gl_row("4511", {{1, "2199"}}, 100));
    EXPECT_EQ(unknown.outcome, RowMatch::Outcome::unmatched);
    EXPECT_EQ(unknown.why, "object 1=2199 is not in the party map (mapping line 2 takes provider_id from it)");
    EXPECT_EQ(unknown.why_sv, "objekt 1=2199 finns inte i partskartan (mappningsrad 2 tar provider_id därifrån)");
    const RowMatch zero = match_row(mapping, &map, v, gl_row("4511", {{1, "2150"}}, 0));
    EXPECT_EQ(zero.why, "a zero amount is no event (mapping line 2)");
    EXPECT_EQ(zero.why_sv, "ett nollbelopp är ingen händelse (mappningsrad 2)");
    const Mapping any = parsed(
        "account;sign;type;scheme;component;payer_id;provider_id\n"
        "4511;debit;payment.made;primary_care;capitation;halsoval-bestallare;object:1\n");
    const RowMatch no_object = match_row(any, &map, v, gl_row("4511", {{2, "2150"}}, 100));
    EXPECT_EQ(no_object.why, "no object in dimension 1 (mapping line 2 takes provider_id from it)");
    EXPECT_EQ(no_object.why_sv, "inget objekt i dimension 1 (mappningsrad 2 tar provider_id därifrån)");
}

}  // namespace
}  // namespace likvard::gl
