// Tertials and the previous-year comparison through the one way to a statement, on a
// two-year ledger worked out by hand (the arithmetic is in the comments): the tertial's own
// months beside the cumulative ones, the same months one year earlier at the same position,
// the same bytes from the ledger and the projections, and statements without the options
// that have no trace of them.
#include "database.hpp"
#include "projections/projections.hpp"
#include "run.hpp"
#include "sample/sample.hpp"
#include "scenario_events.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace likvard;
using namespace likvard::test;

namespace {

std::string registered(int id, const std::string& party_id, const std::string& kind, const std::string& side) {
    boost::json::object data{{"party_id", party_id}, {"name", "Party " + party_id}, {"kind", kind}, {"side", side}};
    if (kind == "provider") data["provider_type"] = "health_centre";
    return event(id, "party.registered", data, "2022-01");
}

std::string commitment(int id, const std::string& amount, const std::string& period) {
    return event(id, "commitment.cost_incurred",
                 {{"commitment", "on_call_coordination"}, {"borne_by", "egen-regi"}, {"amount", amount}}, period);
}

// Region-run: egen-regi (organisation), hc-a; private: hc-x. Listings in March and June of
// both years; capitation in March, June (hc-a) and July (hc-x); a commitment cost in May.
std::vector<std::string> two_years() {
    return {
        registered(1, "bestallare", "organisation", "purchaser"),
        registered(2, "egen-regi", "organisation", "region_run"),
        registered(3, "hc-a", "provider", "region_run"),
        registered(4, "hc-x", "provider", "private"),
        listing(10, "hc-a", 900, "900", "2022-03"),
        listing(11, "hc-a", 900, "900", "2022-06"),
        listing(12, "hc-x", 500, "500", "2022-03"),
        listing(13, "hc-x", 500, "500", "2022-06"),
        pay(14, "hc-a", "capitation", "90000.00", "2022-03"),
        pay(15, "hc-a", "capitation", "36000.00", "2022-06"),
        pay(16, "hc-x", "capitation", "40000.00", "2022-03"),
        pay(17, "hc-x", "capitation", "20000.00", "2022-07"),
        commitment(18, "2000.00", "2022-05"),
        listing(20, "hc-a", 1000, "1000", "2023-03"),
        listing(21, "hc-a", 1000, "1000", "2023-06"),
        listing(22, "hc-x", 500, "500", "2023-03"),
        listing(23, "hc-x", 500, "500", "2023-06"),
        pay(24, "hc-a", "capitation", "100000.00", "2023-03"),
        pay(25, "hc-a", "capitation", "50000.00", "2023-06"),
        pay(26, "hc-x", "capitation", "40000.00", "2023-03"),
        pay(27, "hc-x", "capitation", "30000.00", "2023-07"),
        commitment(28, "3000.00", "2023-05"),
    };
}

using Cells = std::vector<std::optional<std::string>>;

const Table* table_of(const Document& d, const std::string& name) {
    for (const auto& t : d.tables)
        if (t.name == name) return &t;
    return nullptr;
}

// The cell of `column` in the first row whose cells named in `match` have those values.
std::string cell(const Document& d, const std::string& table, const std::map<std::string, std::string>& match,
                 const std::string& column) {
    const Table* t = table_of(d, table);
    if (t == nullptr) return "(no table)";
    const auto at = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(t->columns.begin(), t->columns.end(), name) - t->columns.begin());
    };
    for (const Cells& row : t->rows) {
        bool all = true;
        for (const auto& [name, value] : match) all = all && at(name) < row.size() && row[at(name)] == value;
        if (all) return at(column) < row.size() ? row[at(column)].value_or("(blank)") : "(no column)";
    }
    return "(no row)";
}

// A comparison row's four cells: "current previous change change_percent", blanks as "-".
std::string compared(const Document& d, const std::string& table, std::map<std::string, std::string> match,
                     const std::string& column) {
    if (table != "comparison_summary" && table != "comparison_summary_tertial_months") match["column"] = column;
    std::string out;
    for (const char* part : {"current", "previous", "change", "change_percent"}) {
        const std::string value = cell(d, table, match, part);
        out += (out.empty() ? "" : " ") + (value == "(blank)" ? std::string("-") : value);
    }
    return out;
}

std::string provenance(const Document& d, const std::string& key) {
    for (const auto& [k, v] : d.provenance)
        if (k == key) return v;
    return "(missing)";
}

std::string summary(const Document& d, const std::string& key) {
    for (const auto& [k, v] : d.summary)
        if (k == key) return v;
    return "(missing)";
}

class StatementComparisons : public DatabaseTest, public ::testing::WithParamInterface<StatementSource> {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
        if (GetParam() == StatementSource::projections) Projections(projector_url).ensure();
        append(two_years());
    }
    void append(const std::vector<std::string>& lines) {
        ASSERT_EQ(append_lines(lines), lines.size());
        if (GetParam() == StatementSource::projections) Projections(projector_url).catch_up(4);
    }
    StatementQuery query(const std::string& which) const {
        StatementQuery q;
        q.statement = which;
        q.region = "SE-Z";
        q.scheme = "primary_care";
        q.source = GetParam();
        return q;
    }
    Document statement(StatementQuery q) { return make_statement(*store, q, "test").document; }
    Document t2(const std::string& which, bool compare) {
        StatementQuery q = query(which);
        q.tertial = "2023-T2";
        q.compare_previous_year = compare;
        return statement(q);
    }
    std::unique_ptr<Store> store;
};

}  // namespace

TEST_P(StatementComparisons, ATertialIsItsCumulativeMonthsWithItsOwnMonthsBeside) {
    const Document d = t2("neutrality", false);
    EXPECT_EQ(provenance(d, "from"), "2023-01");
    EXPECT_EQ(provenance(d, "to"), "2023-08");
    EXPECT_EQ(provenance(d, "months"), "8");
    EXPECT_EQ(provenance(d, "tertial"), "2023-T2");
    EXPECT_EQ(provenance(d, "tertial_months_from"), "2023-05");
    EXPECT_EQ(provenance(d, "tertial_months_to"), "2023-08");
    EXPECT_EQ(provenance(d, "events_counted"), "9");                 // 2023's nine events
    EXPECT_EQ(provenance(d, "tertial_months_events_counted"), "5");  // May's cost, June's three, July's payment
    // Cumulative: hc-a 150,000 x 12 / (1,000 + 1,000 weighted listed-months) = 900.00.
    EXPECT_EQ(cell(d, "rows", {{"party_id", "hc-a"}}, "capitation"), "150000.00");
    EXPECT_EQ(cell(d, "rows", {{"party_id", "hc-a"}}, "net_per_weighted_listed"), "900.00");
    // May-August: hc-a 50,000 x 12 / 1,000 = 600.00; hc-x 30,000 x 12 / 500 = 720.00; the
    // region-run side 50,000 - 3,000 = 47,000 x 12 / 1,000 = 564.00; gap 564.00 - 720.00 = -156.00.
    EXPECT_EQ(cell(d, "rows_tertial_months", {{"party_id", "hc-a"}}, "capitation"), "50000.00");
    EXPECT_EQ(cell(d, "rows_tertial_months", {{"party_id", "hc-a"}}, "net_per_weighted_listed"), "600.00");
    EXPECT_EQ(cell(d, "rows_tertial_months", {{"party_id", "hc-x"}}, "net_per_weighted_listed"), "720.00");
    EXPECT_EQ(cell(d, "rows_tertial_months", {{"row", "subtotal"}, {"side", "region_run"}}, "net_per_weighted_listed"),
              "564.00");
    EXPECT_EQ(cell(d, "summary_tertial_months", {{"figure", "neutrality_gap"}}, "value"), "-156.00");
    EXPECT_EQ(cell(d, "summary_tertial_months", {{"figure", "neutrality_gap_favours"}}, "value"), "private");
    // Cumulative gap: region-run 147,000 x 12 / 2,000 = 882.00, private 70,000 x 12 / 1,000 = 840.00.
    EXPECT_EQ(summary(d, "neutrality_gap"), "42.00");
    // The same as --from 2023-01 --to 2023-08 but for the parts a tertial adds.
    StatementQuery months = query("neutrality");
    months.from = "2023-01";
    months.to = "2023-08";
    const Document plain = statement(months);
    EXPECT_EQ(plain.tables.size() + 3, d.tables.size());  // rows and cross_subsidies of May-August, their summary
    EXPECT_EQ(provenance(plain, "tertial"), "(missing)");
    EXPECT_EQ(render_json(plain).find("tertial"), std::string::npos);
    // The own months' content hash is the statement of those months, asked for itself.
    months.from = "2023-05";
    EXPECT_EQ(provenance(d, "tertial_months_content_hash"), statement(months).content_hash);
}

TEST_P(StatementComparisons, TheCommitmentsOfATertialAndTheirMonthlySeries) {
    const Document d = t2("commitments", true);
    EXPECT_EQ(cell(d, "commitments", {{"commitment", "on_call_coordination"}}, "cost"), "3000.00");
    EXPECT_EQ(cell(d, "commitments_tertial_months", {{"commitment", "on_call_coordination"}}, "cost_2023-05"),
              "3000.00");
    // 3,000 against 2,000: +1,000, 50 % of 2,000; the monthly series by the same month a year earlier.
    EXPECT_EQ(compared(d, "comparison_commitments", {{"commitment", "on_call_coordination"}}, "cost"),
              "3000.00 2000.00 1000.00 50.00");
    EXPECT_EQ(compared(d, "comparison_commitments", {{"commitment", "on_call_coordination"}}, "cost_2023-05"),
              "3000.00 2000.00 1000.00 50.00");
    EXPECT_EQ(compared(d, "comparison_commitments", {{"commitment", "on_call_coordination"}}, "cost_2023-03"),
              "0.00 0.00 0.00 -");
    EXPECT_EQ(
        compared(d, "comparison_commitments_tertial_months", {{"commitment", "on_call_coordination"}}, "unfunded"),
        "3000.00 2000.00 1000.00 50.00");
    // fte is no money: not compared.
    EXPECT_EQ(compared(d, "comparison_commitments", {{"commitment", "on_call_coordination"}}, "fte"),
              "(no row) (no row) (no row) (no row)");
}

TEST_P(StatementComparisons, ThePreviousYearsFiguresAndTheirChangesAsComputedByHand) {
    const Document d = t2("neutrality", true);
    EXPECT_EQ(provenance(d, "compare"), "previous_year");
    EXPECT_EQ(provenance(d, "previous_year_from"), "2022-01");
    EXPECT_EQ(provenance(d, "previous_year_to"), "2022-08");
    EXPECT_EQ(provenance(d, "previous_year_events_counted"), "13");  // 2022's nine and the four parties
    const std::map<std::string, std::string> hc_a{{"row", "party"}, {"party_id", "hc-a"}};
    const std::map<std::string, std::string> hc_x{{"row", "party"}, {"party_id", "hc-x"}};
    const std::map<std::string, std::string> region_run{{"row", "subtotal"}, {"side", "region_run"}};
    // hc-a: 150,000 against 90,000 + 36,000 = 126,000: +24,000, 24,000 / 126,000 = 19.0476 % -> 19.05.
    EXPECT_EQ(compared(d, "comparison_rows", hc_a, "capitation"), "150000.00 126000.00 24000.00 19.05");
    // 126,000 x 12 / 1,800 = 840.00 -> 900.00: +60.00, 7.1429 % -> 7.14.
    EXPECT_EQ(compared(d, "comparison_rows", hc_a, "net_per_weighted_listed"), "900.00 840.00 60.00 7.14");
    // hc-x: 70,000 against 60,000: +16.667 % -> 16.67; 60,000 x 12 / 1,000 = 720.00 -> 840.00.
    EXPECT_EQ(compared(d, "comparison_rows", hc_x, "capitation"), "70000.00 60000.00 10000.00 16.67");
    EXPECT_EQ(compared(d, "comparison_rows", hc_x, "net_per_weighted_listed"), "840.00 720.00 120.00 16.67");
    // Nothing in either year: 0.00, and no percent of 0.
    EXPECT_EQ(compared(d, "comparison_rows", hc_a, "deficit_compensation"), "0.00 0.00 0.00 -");
    // Region-run: 147,000 against 126,000 - 2,000 = 124,000: +23,000, 18.548 % -> 18.55; per weighted
    // listed 124,000 x 12 / 1,800 = 826.666.. -> 826.67 against 882.00: +55.33, 6.6931 % -> 6.69.
    EXPECT_EQ(compared(d, "comparison_rows", region_run, "net_resources"), "147000.00 124000.00 23000.00 18.55");
    EXPECT_EQ(compared(d, "comparison_rows", region_run, "net_per_weighted_listed"), "882.00 826.67 55.33 6.69");
    EXPECT_EQ(compared(d, "comparison_rows", {{"party_id", "egen-regi"}}, "commitment_costs"),
              "3000.00 2000.00 1000.00 50.00");
    // egen-regi has no listing: no figure per listed in either year, so no comparison of one.
    EXPECT_EQ(cell(d, "comparison_rows", {{"party_id", "egen-regi"}, {"column", "net_per_weighted_listed"}}, "current"),
              "(no row)");
    // Listings are no money: not compared.
    EXPECT_EQ(cell(d, "comparison_rows", {{"column", "weighted_listed_avg"}}, "current"), "(no row)");
    // The gap: 42.00 against 826.67 - 720.00 = 106.67: -64.67, -60.6262 % -> -60.63.
    EXPECT_EQ(compared(d, "comparison_summary", {{"figure", "neutrality_gap"}}, ""), "42.00 106.67 -64.67 -60.63");
    EXPECT_EQ(cell(d, "comparison_summary", {{"figure", "neutrality_gap_favours"}}, "current"), "(no row)");
    // The tertial's own months: hc-a 50,000 x 12 / 1,000 = 600.00 against 36,000 x 12 / 900 = 480.00.
    EXPECT_EQ(compared(d, "comparison_rows_tertial_months", hc_a, "net_per_weighted_listed"),
              "600.00 480.00 120.00 25.00");
    // Gap of May-August 2022: region-run 34,000 x 12 / 900 = 453.33, private 20,000 x 12 / 500 = 480.00:
    // -26.67, against -156.00: -129.33, of -26.67: 484.9269 % -> 484.93.
    EXPECT_EQ(compared(d, "comparison_summary_tertial_months", {{"figure", "neutrality_gap"}}, ""),
              "-156.00 -26.67 -129.33 484.93");
    // The previous year is its own statement: the same months asked at the same position.
    StatementQuery earlier = query("neutrality");
    earlier.tertial = "2022-T2";
    EXPECT_EQ(provenance(d, "previous_year_content_hash"), statement(earlier).content_hash);
}

TEST_P(StatementComparisons, TheComparisonReadsTheSamePositionAsTheStatement) {
    const std::int64_t seq = std::stoll(provenance(t2("neutrality", false), "as_of_seq"));
    append({pay(40, "hc-x", "capitation", "1000.00", "2022-07")});  // a late booking of 2022
    StatementQuery q = query("neutrality");
    q.tertial = "2023-T2";
    q.compare_previous_year = true;
    q.source = StatementSource::ledger;
    q.as_of = seq;
    const Document then = statement(q);
    EXPECT_EQ(provenance(then, "as_of_seq"), std::to_string(seq));
    const std::map<std::string, std::string> hc_x{{"party_id", "hc-x"}};
    EXPECT_EQ(compared(then, "comparison_rows", hc_x, "capitation"), "70000.00 60000.00 10000.00 16.67");
    const Document now = t2("neutrality", true);
    EXPECT_EQ(compared(now, "comparison_rows", hc_x, "capitation"), "70000.00 61000.00 9000.00 14.75");
}

TEST_P(StatementComparisons, MonthsWithoutEventsAYearEarlierAreSaidNotShownAsZeros) {
    StatementQuery q = query("neutrality");
    q.tertial = "2022-T2";
    q.compare_previous_year = true;
    const Document d = statement(q);
    EXPECT_EQ(provenance(d, "previous_year_events_counted"), "0");
    EXPECT_EQ(summary(d, "previous_year_not_compared"), "no_events_in_previous_year");
    for (const auto& table : d.tables) EXPECT_FALSE(table.name.starts_with("comparison_")) << table.name;
    const std::string md = render_markdown(d, Language::sv);
    EXPECT_NE(md.find("Huvudboken har inga händelser för samma månader föregående år"), std::string::npos) << md;
}

TEST_P(StatementComparisons, EveryFormatShowsTheComparisonInSwedishAndEnglish) {
    const Document d = t2("neutrality", true);
    const std::string sv = render_markdown(d, Language::sv);
    EXPECT_NE(sv.find("## Tertial 2 (maj–augusti) – Nettoresurser per enhet"), std::string::npos) << sv;
    EXPECT_NE(sv.find("## Nettoresurser per enhet – Ackumulerat januari–augusti"), std::string::npos);
    EXPECT_NE(sv.find("## Jämfört med föregående år – Nettoresurser per enhet – Ackumulerat januari–augusti"),
              std::string::npos);
    EXPECT_NE(sv.find("| Föregående år | Förändring | Förändring, % |"), std::string::npos);
    // Swedish numbers, labels for the compared column: 150 000,00 against 126 000,00.
    EXPECT_NE(sv.find("| Kapitering (vårdpeng) | 150\u00A0000,00 | 126\u00A0000,00 | 24\u00A0000,00 | 19,05\u00A0% |"),
              std::string::npos);
    const std::string en = render_markdown(d, Language::en);
    EXPECT_NE(en.find("## Compared with the previous year – Net resources by unit – Cumulative January–August"),
              std::string::npos)
        << en;
    EXPECT_NE(en.find("| Capitation | 150,000.00 | 126,000.00 | 24,000.00 | 19.05% |"), std::string::npos);
    const std::string html = render_html(d, Language::sv);
    EXPECT_NE(html.find("<h2>Jämfört med föregående år – Sammanfattning"), std::string::npos);
    EXPECT_NE(html.find("<td class=\"figure\">-64,67</td>"), std::string::npos);
    EXPECT_NE(html.find("Samma månader föregående år var neutralitetsgapet 106,67 kr per viktad listad och år; "
                        "förändringen är -64,67 kr (-60,63\u00A0%)."),
              std::string::npos)
        << html;
    // One sheet per table, each named apart though the titles begin alike.
    EXPECT_FALSE(render_xlsx(d, Language::sv).empty());
    EXPECT_FALSE(render_xlsx(d, Language::en).empty());
    bool comparison_csv = false;
    for (const Table& table : csv_tables(d)) {
        const auto csv = render_csv(d, table.name, Language::sv);
        ASSERT_TRUE(csv.has_value()) << table.name;
        if (table.name == "comparison_rows")
            comparison_csv = csv->find(";150000,00;126000,00;24000,00;19,05") != std::string::npos;
    }
    EXPECT_TRUE(comparison_csv);
}

class StatementComparisonSources : public DatabaseTest {};

TEST_F(StatementComparisonSources, TheLedgerAndTheProjectionsGiveTheSameBytes) {
    Projections(projector_url).ensure();
    ASSERT_EQ(append_lines(two_years()), two_years().size());
    Projections(projector_url).catch_up(4);
    Store store(url);
    for (const std::string which : {"neutrality", "commitments"}) {
        std::vector<std::string> bytes;
        for (const StatementSource source :
             {StatementSource::ledger, StatementSource::projections, StatementSource::automatic}) {
            StatementQuery q;
            q.statement = which;
            q.region = "SE-Z";
            q.scheme = "primary_care";
            q.tertial = "2023-T2";
            q.compare_previous_year = true;
            q.source = source;
            const StatementResult result = make_statement(store, q, "test");
            if (source == StatementSource::projections) {
                EXPECT_EQ(result.source_used, StatementSource::projections);
            }
            bytes.push_back(render_json(result.document));
        }
        EXPECT_EQ(bytes[0], bytes[1]) << which;
        EXPECT_EQ(bytes[0], bytes[2]) << which;
    }
}

// The whole path on two sample years: the CLI's --tertial and --compare, each part the
// statement of its own months, and the usage errors that name the options.
class StatementComparisonCli : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        Store store(url);
        const auto lines = generate_sample_years({"SE-Z", 2021, 2022, 1});
        constexpr std::size_t batch_events = 500;
        for (std::size_t at = 0; at < lines.size(); at += batch_events) {
            std::vector<Incoming> batch;
            for (std::size_t i = at; i < std::min(lines.size(), at + batch_events); ++i)
                batch.push_back({lines[i], Source{}});
            ASSERT_EQ(store.append(batch).rejected, 0u);
        }
    }
    RunResult statement(const std::string& options) {
        return run(std::string(LIKVARD_BIN) + " statement neutrality --region SE-Z --scheme primary_care " + options +
                   " --database-url " + shell_quote(reader_url));
    }
};

std::string summary_of(const boost::json::value& statement, const std::string& key) {
    return std::string(statement.at("summary").at(key).as_string());
}

std::string comparison_of(const boost::json::value& statement, const std::string& figure, const std::string& part) {
    for (const auto& row : statement.at("tables").at("comparison_summary").as_array())
        if (row.at("figure").as_string() == figure) return std::string(row.at(part).as_string());
    return "(no row)";
}

TEST_F(StatementComparisonCli, ASampleYearsTertialAgainstThePreviousYear) {
    const RunResult t3 = statement("--tertial 2022-T3 --compare previous-year");
    ASSERT_EQ(t3.exit_code, 0) << t3.err;
    const auto compared = boost::json::parse(t3.out);
    const RunResult year = statement("--from 2022-01 --to 2022-12");
    const RunResult before = statement("--from 2021-01 --to 2021-12");
    ASSERT_EQ(year.exit_code, 0) << year.err;
    ASSERT_EQ(before.exit_code, 0) << before.err;
    const auto current = boost::json::parse(year.out), previous = boost::json::parse(before.out);
    // T3 is the whole year: its figures are the year's, the earlier ones 2021's.
    const std::string gap = summary_of(current, "neutrality_gap"), earlier = summary_of(previous, "neutrality_gap");
    EXPECT_EQ(comparison_of(compared, "neutrality_gap", "current"), gap);
    EXPECT_EQ(comparison_of(compared, "neutrality_gap", "previous"), earlier);
    const auto ore = [](const std::string& figure) { return std::llround(std::stod(figure) * 100); };
    EXPECT_EQ(std::llround(std::stod(comparison_of(compared, "neutrality_gap", "change")) * 100),
              ore(gap) - ore(earlier));
    // The earlier part is the statement of the same tertial one year earlier, asked for itself.
    const RunResult earlier_tertial = statement("--tertial 2021-T3");
    EXPECT_EQ(compared.at("provenance").at("previous_year_content_hash"),
              boost::json::parse(earlier_tertial.out).at("content_hash"));
    const RunResult own = statement("--from 2022-09 --to 2022-12");
    EXPECT_EQ(compared.at("provenance").at("tertial_months_content_hash"),
              boost::json::parse(own.out).at("content_hash"));
    // As of a moment: the comparison reads the same position.
    const RunResult moment = statement("--tertial 2022-T3 --compare previous-year --as-of-time 2999-01-01T00:00:00Z");
    ASSERT_EQ(moment.exit_code, 0) << moment.err;
    EXPECT_NE(moment.out.find(R"("as_of_time":"2999-01-01T00:00:00Z")"), std::string::npos);
    EXPECT_EQ(boost::json::parse(moment.out).at("tables"), compared.at("tables"));
    // Every format of it.
    for (const std::string format : {"md --lang en", "html", "md"}) {
        const RunResult rendered = statement("--tertial 2022-T3 --compare previous-year --format " + format);
        EXPECT_EQ(rendered.exit_code, 0) << format << ": " << rendered.err;
    }
}

TEST_F(StatementComparisonCli, BadValuesAreUsageErrorsNamingTheOption) {
    const auto usage = [&](const std::string& options, const std::string& message) {
        const RunResult result = statement(options);
        EXPECT_EQ(result.exit_code, 2) << options << ": " << result.err;
        EXPECT_NE(result.err.find(message), std::string::npos) << options << ": " << result.err;
    };
    usage("--tertial 2022-T2 --from 2022-01", "--tertial and --from/--to: give a tertial or the months, not both");
    usage("--tertial 2022-T2 --to 2022-08", "--tertial and --from/--to");
    usage("--tertial 2022-T4", "--tertial '2022-T4' is not a tertial YYYY-T1, YYYY-T2 or YYYY-T3");
    usage("--tertial T2", "--tertial 'T2' is not a tertial");
    usage("--from 2022-01 --to 2022-12 --compare last-year", "--compare 'last-year' is not previous-year");
    usage("--compare previous-year", "--from is required");
}

INSTANTIATE_TEST_SUITE_P(BothSources, StatementComparisons,
                         ::testing::Values(StatementSource::ledger, StatementSource::projections),
                         [](const auto& info) {
                             return info.param == StatementSource::ledger ? std::string("Ledger")
                                                                          : std::string("Projections");
                         });
