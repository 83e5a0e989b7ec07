// The statements' arithmetic and renderers on slices built by hand: sums that pass what
// int64 öre hold fail naming the party and account, CSV fields that a spreadsheet
// would take as formulas are written as text while figures stay figures, what a person
// reads has a label in Swedish and English, and an estimated allocation key is recomputed
// by weighted listing, or left blank without listings.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <regex>
#include <set>

#include "core/invariant.hpp"

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
        {"2023-05", "egen-regi-primarvard", "expense", "commitment.on_call_coordination",
         Money::from_ore(near_limit_ore)},
        {"2023-06", "egen-regi-primarvard", "expense", "commitment.on_call_coordination",
         Money::from_ore(near_limit_ore)},
    });
    const std::string message = message_of([&] { commitment_statement(slice, "test"); });
    EXPECT_NE(message.find("account egen-regi-primarvard:expense:commitment.on_call_coordination"), std::string::npos)
        << message;
    const std::string neutrality = message_of([&] { neutrality_statement(slice, "test"); });
    EXPECT_NE(neutrality.find("account egen-regi-primarvard:expense:commitment.on_call_coordination"),
              std::string::npos)
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
    const Table table{"t",
                      {"name", "amount"},
                      {
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

// ---- what a person reads ----

constexpr const char* nbsp = "\u00A0";

std::string with_nbsp(const std::string& text) {
    std::string out;
    for (char c : text) out += c == ' ' ? std::string(nbsp) : std::string(1, c);
    return out;
}

LedgerSlice year_of_one_private_provider() {
    LedgerSlice slice = slice_of({
        {"2023-05", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-130000000)},
        {"2023-05", "egen-regi-primarvard", "income", "compensation.capitation", Money::from_ore(-50000000)},
        {"2023-05", "egen-regi-primarvard", "expense", "commitment.on_call_coordination", Money::from_ore(4500000)},
    });
    // One month of two listed: the averages are half of these.
    slice.listings[{"2023-05", "hc-medinord"}] = {1000, Decimal4::from_scaled(1200 * Decimal4::scale)};
    slice.listings[{"2023-05", "egen-regi-primarvard"}] = {500, Decimal4::from_scaled(600 * Decimal4::scale)};
    slice.parties["hc-formula"] = {"hc-formula", "=HYPERLINK(1)", Kind::provider, Side::private_provider};
    return slice;
}

TEST(StatementLabels, EveryLabelHasSwedishAndEnglishAndNoneIsAKey) {
    const std::regex snake_case("[a-z0-9]+(_[a-z0-9]+)+");
    std::set<std::string_view> keys;
    for (const Label& label : statement_labels()) EXPECT_TRUE(keys.insert(label.key).second) << "twice: " << label.key;
    for (const Label& label : statement_labels()) {
        EXPECT_FALSE(label.sv.empty()) << label.key;
        EXPECT_FALSE(label.en.empty()) << label.key;
        EXPECT_FALSE(keys.contains(label.sv)) << label.key << ": the Swedish label is a key";
        EXPECT_FALSE(std::regex_match(std::string(label.sv), snake_case)) << label.key << ": " << label.sv;
        EXPECT_FALSE(std::regex_match(std::string(label.en), snake_case)) << label.key << ": " << label.en;
    }
}

// Every key and code a statement shows has a label, so nothing reaches a reader as a key.
void expect_labelled(const Document& d) {
    const auto expect = [](const std::string& key) {
        EXPECT_TRUE(label_of(key, Language::sv).has_value()) << "no Swedish label for " << key;
        EXPECT_TRUE(label_of(key, Language::en).has_value()) << "no English label for " << key;
    };
    expect("statement." + d.statement);
    for (const Table& table : csv_tables(d)) {
        expect("table." + table.name);
        for (const auto& column : table.columns) expect(column);
        for (const auto& row : table.rows)
            for (std::size_t i = 0; i < table.columns.size(); ++i) {
                const std::string& column = table.columns[i];
                if (!row[i] || row[i]->empty()) continue;
                if (column == "figure") expect(*row[i]);
                if (column == "row" || column == "side" || column == "kind" || column == "commitment")
                    expect("value." + *row[i]);
            }
    }
}

// A comparison's row names a column or a summary figure by its key: each has a label.
void expect_labelled_code(const std::vector<std::optional<std::string>>& row, const Table& table) {
    for (std::size_t i = 0; i < table.columns.size(); ++i)
        if ((table.columns[i] == "column" || table.columns[i] == "figure") && row[i]) {
            EXPECT_TRUE(label_of(*row[i], Language::sv).has_value()) << table.name << ": " << *row[i];
            EXPECT_TRUE(label_of(*row[i], Language::en).has_value()) << table.name << ": " << *row[i];
        }
}

TEST(StatementLabels, EveryKeyAndCodeOfBothStatementsHasALabel) {
    expect_labelled(neutrality_statement(year_of_one_private_provider(), "test"));
    expect_labelled(commitment_statement(year_of_one_private_provider(), "test"));
    EXPECT_EQ(label_of("cost_2023-05", Language::sv), "Kostnad 2023-05");
    EXPECT_EQ(label_of("cost_2023-05", Language::en), "Cost 2023-05");
    EXPECT_FALSE(label_of("no_such_key", Language::sv).has_value());
    EXPECT_EQ(language_of("sv"), Language::sv);
    EXPECT_EQ(language_of("en"), Language::en);
    EXPECT_FALSE(language_of("SV").has_value());
    EXPECT_FALSE(language_of("").has_value());
}

TEST(StatementLabels, TheTertialAndComparisonPartsHaveLabelsToo) {
    LedgerSlice slice = year_of_one_private_provider();
    slice.events_counted = 3;  // the earlier year has events, so its figures are compared
    for (const auto make : {&neutrality_statement, &commitment_statement}) {
        Document d = make(slice, "test");
        add_tertial_months(d, *tertial_of("2023-T2"), make(slice, "test"));
        add_previous_year(d, make(slice, "test"));
        expect_labelled(d);
        std::size_t tertial_tables = 0, comparison_rows = 0;
        for (const Table& table : d.tables) {
            if (table.name.ends_with("_tertial_months")) ++tertial_tables;
            if (table.name.starts_with("comparison_"))
                for (const auto& row : table.rows) {
                    expect_labelled_code(row, table);
                    ++comparison_rows;
                }
        }
        // The parts whose labels are checked are there: without them the loops check nothing.
        EXPECT_GT(tertial_tables, 0u) << d.statement;
        EXPECT_GT(comparison_rows, 0u) << d.statement;
        EXPECT_TRUE(label_of("table.comparison_summary", Language::sv).has_value());
    }
}

// D. Tertials: the cumulative months from January and the tertial's own four.
TEST(StatementTertials, ATertialIsItsMonthsFromJanuaryAndItsOwnFour) {
    const auto t1 = tertial_of("2023-T1"), t2 = tertial_of("2023-T2"), t3 = tertial_of("2023-T3");
    ASSERT_TRUE(t1 && t2 && t3);
    EXPECT_EQ(t1->from + " " + t1->to + " " + t1->own_from + " " + t1->own_to, "2023-01 2023-04 2023-01 2023-04");
    EXPECT_EQ(t2->from + " " + t2->to + " " + t2->own_from + " " + t2->own_to, "2023-01 2023-08 2023-05 2023-08");
    EXPECT_EQ(t3->from + " " + t3->to + " " + t3->own_from + " " + t3->own_to, "2023-01 2023-12 2023-09 2023-12");
    for (const char* bad : {"2023-T0", "2023-T4", "2023-t2", "23-T2", "2023T2", "2023-T22", "", "abcd-T1"})
        EXPECT_FALSE(tertial_of(bad).has_value()) << bad;
    EXPECT_EQ(month_year_earlier("2023-05"), "2022-05");
    EXPECT_EQ(tertial_year_earlier("2000-T3"), "1999-T3");
}

// D. The comparison's arithmetic on tables made by hand: the change and its percent of the
// previous figure, rounded half away from zero; blank where the previous figure is 0; a row
// of one year only counts 0.00 in the other.
TEST(StatementComparison, ChangesAndPercentsRoundHalfAwayFromZero) {
    Document current, previous;
    current.statement = previous.statement = "commitments";
    previous.provenance = {{"from", "2022-01"}, {"to", "2022-02"}, {"events_counted", "3"}};
    const std::vector<std::string> columns{"service", "paid_by_region_run", "fte"};
    current.tables = {Table{"services", columns, {{"a", "8.01", "1.0"}, {"b", "7.99", "1.0"}, {"c", "5.00", "1.0"}}}};
    previous.tables = {
        Table{"services",
              columns,
              {{"a", "8.00", "1.0"}, {"b", "8.00", "1.0"}, {"c", "0.00", "1.0"}, {"d", "-4.00", "1.0"}}}};
    current.summary = {{"total_unfunded", "-1.00"}, {"neutrality_gap_favours", "private"}};
    previous.summary = {{"total_unfunded", "-3.00"}, {"neutrality_gap_favours", "private"}};
    add_previous_year(current, previous);
    const Table& services = current.tables.at(1);
    ASSERT_EQ(services.name, "comparison_services");
    EXPECT_EQ(services.columns,
              (std::vector<std::string>{"service", "column", "current", "previous", "change", "change_percent"}));
    using Row = std::vector<std::optional<std::string>>;
    ASSERT_EQ(services.rows.size(), 4u);  // fte is not money
    // 0.01 / 8.00 = 0.125 % -> 0.13; -0.01 / 8.00 -> -0.13; of 0.00: blank; d only earlier.
    EXPECT_EQ(services.rows[0], (Row{"a", "paid_by_region_run", "8.01", "8.00", "0.01", "0.13"}));
    EXPECT_EQ(services.rows[1], (Row{"b", "paid_by_region_run", "7.99", "8.00", "-0.01", "-0.13"}));
    EXPECT_EQ(services.rows[2], (Row{"c", "paid_by_region_run", "5.00", "0.00", "5.00", std::nullopt}));
    EXPECT_EQ(services.rows[3], (Row{"d", "paid_by_region_run", "0.00", "-4.00", "4.00", "-100.00"}));
    const Table& summary = current.tables.at(2);
    ASSERT_EQ(summary.name, "comparison_summary");
    // -1.00 against -3.00: +2.00, of -3.00: -66.666.. % -> -66.67; the codes are not compared.
    ASSERT_EQ(summary.rows.size(), 1u);
    EXPECT_EQ(summary.rows[0], (Row{"total_unfunded", "-1.00", "-3.00", "2.00", "-66.67"}));
    EXPECT_EQ(current.provenance.back(), (std::pair<std::string, std::string>{"previous_year_content_hash", ""}));
    EXPECT_FALSE(current.content_hash.empty());
}

TEST(StatementLabels, TheGapInWordsSaysWhichSideTheMoneyFavours) {
    EXPECT_EQ(gap_in_words("-1314.51", Language::sv, swedish_numbers),
              "Privata utförare får " + with_nbsp("1 314,51") +
                  " kr mer i nettoresurser per viktad listad och år än egen regi.");
    EXPECT_EQ(gap_in_words("1314.51", Language::en, english_numbers),
              "Region-run providers receive 1,314.51 SEK more net resources per weighted listed citizen and year "
              "than private providers.");
    EXPECT_EQ(gap_in_words("0.00", Language::sv, swedish_numbers),
              "Egen regi och privata utförare får lika mycket i nettoresurser per viktad listad och år.");
}

// Foot care: private providers paid per treatment, no region-run side at all.
LedgerSlice foot_care_of_two_private_providers() {
    LedgerSlice slice;
    slice.region = "SE-Z";
    slice.scheme = "foot_care";
    slice.from = "2023-05";
    slice.to = "2023-05";
    slice.parties["fv-fotvard-ost"] = {"fv-fotvard-ost", "Fotvård Öst", Kind::provider, Side::private_provider};
    slice.parties["fv-fotkliniken"] = {"fv-fotkliniken", "Fotkliniken", Kind::provider, Side::private_provider};
    slice.parties["egen-regi-primarvard"] = {"egen-regi-primarvard", "Egen regi", Kind::organisation, Side::region_run};
    slice.postings = {
        {"2023-05", "fv-fotvard-ost", "income", "compensation.visit", Money::from_ore(-4'250'000)},
        {"2023-05", "fv-fotkliniken", "income", "compensation.visit", Money::from_ore(-1'980'000)},
    };
    return slice;
}

TEST(StatementNoRegionRunSide, TheSummarySaysWhyThereIsNoGapInsteadOfShowingZeros) {
    const Document d = neutrality_statement(foot_care_of_two_private_providers(), "test");
    std::map<std::string, std::string> summary(d.summary.begin(), d.summary.end());
    EXPECT_EQ(summary["neutrality_gap_not_computed"], "no_region_run_side");
    for (const char* key : {"neutrality_gap", "net_per_weighted_listed_region_run", "gap_bridge_capitation",
                            "neutrality_gap_in_words_assignment"})
        EXPECT_FALSE(summary.contains(key)) << key;
    expect_labelled(d);
    const std::string sv = render_markdown(d, Language::sv);
    EXPECT_NE(sv.find("| Neutralitetsgap beräknas inte | Valfrihetssystemet har inga utförare i egen regi"),
              std::string::npos)
        << sv;
    const std::string en = render_markdown(d, Language::en);
    EXPECT_NE(en.find("| Neutrality gap not computed | The choice system has no region-run providers"),
              std::string::npos)
        << en;
    EXPECT_NE(render_json(d).find("\"neutrality_gap_not_computed\""), std::string::npos);
}

TEST(StatementNoRegionRunSide, ASchemeWithBothSidesStillHasItsGap) {
    const Document d = neutrality_statement(year_of_one_private_provider(), "test");
    std::map<std::string, std::string> summary(d.summary.begin(), d.summary.end());
    EXPECT_FALSE(summary.contains("neutrality_gap_not_computed"));
    EXPECT_TRUE(summary.contains("neutrality_gap"));
}

// A provider of the region with neither money nor listed citizens in the months (one of
// another choice system, or one not yet started) is no row of the statement: hc-formula.
TEST(StatementRows, AProviderWithNothingInTheMonthsIsNoRow) {
    const Document d = neutrality_statement(year_of_one_private_provider(), "test");
    const Table& rows = d.tables.front();
    ASSERT_EQ(rows.name, "rows");
    std::vector<std::string> parties;
    for (const auto& row : rows.rows)
        if (row[0] == "party") parties.push_back(row[1].value_or(""));
    EXPECT_EQ(parties, (std::vector<std::string>{"egen-regi-primarvard", "hc-medinord"}));
}

TEST(StatementCsv, TheSwedishSpreadsheetCsvHasLabelsAndADecimalComma) {
    LedgerSlice slice = year_of_one_private_provider();
    slice.listings[{"2023-05", "hc-formula"}] = {2, Decimal4::from_scaled(2 * Decimal4::scale)};  // listed: a row
    const Document d = neutrality_statement(slice, "test");
    const std::string sv = render_csv(d, "rows", Language::sv).value();
    EXPECT_EQ(sv.substr(0, sv.find('\n')).find("Rad;Enhetens id;Namn;Driftform;Typ;Listade (snitt)"), 0u) << sv;
    EXPECT_NE(sv.find(";Kapitering (vårdpeng);"), std::string::npos) << sv;
    EXPECT_NE(sv.find("Enhet;hc-medinord;Medinord;Privata utförare;Utförare;500,00;600,0000;1300000,00;"),
              std::string::npos)
        << sv;
    EXPECT_NE(sv.find(";\"'=HYPERLINK(1)\";"), std::string::npos) << "a formula-like name stays text: " << sv;
    EXPECT_NE(sv.find("Region totalt;"), std::string::npos) << sv;
    const std::string en = render_csv(d, "rows", Language::en).value();
    EXPECT_NE(en.find("Unit;hc-medinord;Medinord;Private providers;Provider;500.00;600.0000;1300000.00;"),
              std::string::npos)
        << en;
    const std::string machine = render_csv(d.tables.at(0));
    EXPECT_EQ(machine.find("row;party_id;name;side;kind;listed_avg;weighted_listed_avg;capitation;"), 0u) << machine;
    EXPECT_NE(machine.find("party;hc-medinord;Medinord;private;provider;500.00;600.0000;1300000.00;"),
              std::string::npos)
        << machine;
    const std::string summary = render_csv(d, "summary", Language::sv).value();
    EXPECT_NE(summary.find("Uppgift;Värde\n"), std::string::npos) << summary;
    EXPECT_NE(summary.find("\nGapet gynnar;Privata utförare\n"), std::string::npos) << summary;
    EXPECT_NE(summary.find("\nNeutralitetsgap i ord;Privata utförare får "), std::string::npos) << summary;
    EXPECT_FALSE(render_csv(d, "no_such_table", Language::sv).has_value());
}

TEST(StatementMarkdown, SwedishGroupsThousandsAndEnglishUsesCommas) {
    const Document d = neutrality_statement(year_of_one_private_provider(), "test");
    const std::string sv = render_markdown(d, Language::sv);
    EXPECT_EQ(sv.find("# Konkurrensneutralitetsredovisning\n"), 0u) << sv;
    EXPECT_NE(sv.find("| " + with_nbsp("1 300 000,00") + " |"), std::string::npos) << sv;
    EXPECT_NE(sv.find("| Vårdval | Primärvård |"), std::string::npos) << sv;
    EXPECT_EQ(sv.find("capitation"), std::string::npos) << "a key in the Swedish statement: " << sv;
    EXPECT_EQ(render_markdown(d), sv) << "Swedish is the default";
    const std::string en = render_markdown(d, Language::en);
    EXPECT_EQ(en.find("# Competitive-neutrality statement\n"), 0u) << en;
    EXPECT_NE(en.find("| 1,300,000.00 |"), std::string::npos) << en;
}

TEST(StatementXlsx, AFigureWithoutAnExactDoubleIsAnInvariantViolation) {
    constexpr std::int64_t beyond_doubles = (std::int64_t{1} << 53) + 1;  // öre: no double holds it exactly
    const LedgerSlice slice = slice_of({
        {"2023-05", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-beyond_doubles)},
    });
    const Document d = neutrality_statement(slice, "test");
    EXPECT_THROW(render_xlsx(d), InvariantViolation);
    EXPECT_NE(render_markdown(d).find(with_nbsp("90 071 992 547 409,93")), std::string::npos) << "the text is exact";
    const LedgerSlice below = slice_of({
        {"2023-05", "hc-medinord", "income", "compensation.capitation", Money::from_ore(-(beyond_doubles - 2))},
    });
    EXPECT_FALSE(render_xlsx(neutrality_statement(below, "test")).empty());
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
    EXPECT_EQ(row[5], "2");       // events
    EXPECT_EQ(row[8], "120.00");  // booked, both invoices
    EXPECT_EQ(row[10], std::nullopt);
    EXPECT_EQ(row[11], std::nullopt);
}

// The projections read the invoices of a measured key summed per service, key and decision:
// the table lists them as it lists the invoices one by one, and the booked cross-subsidy is
// each invoice's rounded on its own and then summed, never the sum's rounded.
TEST(StatementAllocationKeys, SummedInvoicesOfAMeasuredKeyListAsTheInvoicesOneByOne) {
    const auto measured = [](std::int64_t seq, std::int64_t paid_private, const std::string& decision) {
        SharedCostInvoice invoice = estimated_invoice({});
        invoice.seq = seq;
        invoice.allocation.estimate = false;
        invoice.decision_ref = decision;
        // 1.00 paid: 0.01 by the private side; 0.50 of benefit each side. Region-run to
        // private 0.50 x 0.99 = 0.495 -> 0.50 per invoice; the reverse 0.50 x 0.01 = 0.005 -> 0.01.
        invoice.parts = {{true, Side::region_run, Money::from_ore(100 - paid_private)},
                         {true, Side::private_provider, Money::from_ore(paid_private)},
                         {true, Side::external, Money::from_ore(0)},
                         {false, Side::region_run, Money::from_ore(-50)},
                         {false, Side::private_provider, Money::from_ore(-50)}};
        return invoice;
    };
    LedgerSlice one_by_one = slice_of({});
    for (std::int64_t seq = 1; seq <= 3; ++seq) one_by_one.shared_cost_invoices.push_back(measured(seq, 1, "RS/1"));
    one_by_one.shared_cost_invoices.push_back(measured(4, 1, "RS/2"));
    const auto row = allocation_row(neutrality_statement(one_by_one, "test"));
    ASSERT_EQ(row.size(), 12u);
    EXPECT_EQ(row[5], "4");
    EXPECT_EQ(row[6], "RS/1, RS/2");
    EXPECT_EQ(row[7], "4.00");
    EXPECT_EQ(row[8], "2.00");  // 4 x 0.50; the sum's 2.00 x 3.96 / 4.00 would be 1.98
    EXPECT_EQ(row[9], "0.04");  // 4 x 0.01; the sum's 2.00 x 0.04 / 4.00 would be 0.02

    LedgerSlice summed = slice_of({});
    for (const char* decision : {"RS/1", "RS/2"}) {
        SharedCostInvoice sum = measured(0, 1, decision);
        sum.parts.clear();
        const std::int64_t events = std::string_view(decision) == "RS/1" ? 3 : 1;
        sum.summed = SharedCostInvoice::Summed{events, 100 * events, {}};
        for (std::int64_t i = 0; i < events; ++i)
            sum.summed->booked += *cross_subsidy_of_event(measured(0, 1, "").parts);
        summed.shared_cost_invoices.push_back(std::move(sum));
    }
    EXPECT_EQ(allocation_row(neutrality_statement(summed, "test")), row);
}
