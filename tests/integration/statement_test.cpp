// The two statements on a small hand-computed scenario. Every expected figure below was
// worked out by hand from the events (the arithmetic is in the comments), not produced by
// the code under test.
#include "database.hpp"
#include "event_builder.hpp"
#include "scenario_events.hpp"
#include "projections/projections.hpp"
#include "run.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <unistd.h>

#include <boost/json.hpp>

using namespace likvard;
using namespace likvard::test;

namespace {

// Two months, 2023-01..02. Region-run: organisation egen-regi, providers hc-a, hc-b;
// private: hc-x; purchaser bestallare; central centrala; vendor leverantor.
std::vector<std::string> scenario() {
    std::vector<std::string> lines{
        party(1, "bestallare", "organisation", "purchaser"),
        party(2, "centrala", "organisation", "central"),
        party(3, "egen-regi", "organisation", "region_run"),
        party(4, "hc-a", "provider", "region_run", "health_centre"),
        party(5, "hc-b", "provider", "region_run", "cottage_hospital"),
        party(6, "hc-x", "provider", "private", "health_centre"),
        party(7, "leverantor", "vendor", "external"),
        listing(10, "hc-a", 1000, "1000", "2023-01"),
        listing(11, "hc-a", 1000, "1000", "2023-02"),
        listing(12, "hc-b", 500, "600", "2023-01"),
        listing(13, "hc-b", 500, "600", "2023-02"),
        listing(14, "hc-x", 800, "900", "2023-01"),
        listing(15, "hc-x", 800, "900", "2023-02"),
        pay(20, "hc-a", "capitation", "100000.00", "2023-01"),
        pay(21, "hc-b", "capitation", "50000.00", "2023-02"),
        pay(22, "hc-x", "capitation", "90000.00", "2023-01"),
        pay(23, "hc-b", "deficit_compensation", "10000.00", "2023-02"),
        event(24, "overhead.compensated",
              {{"payer_id", "bestallare"}, {"provider_id", "hc-x"}, {"category", "it"}, {"amount", "2000.00"}},
              "2023-01"),
        event(25, "internal_charge.booked",
              {{"charged_by", "centrala"}, {"party_id", "hc-a"}, {"category", "helpdesk"}, {"amount", "3000.00"}},
              "2023-02"),
        event(26, "shared_cost.incurred",
              {{"service", "e_frikort"},
               {"vendor_id", "leverantor"},
               {"amount", "1000.00"},
               {"paid_by", boost::json::array{boost::json::object{{"party_id", "egen-regi"}, {"share", "0.5"}},
                                              boost::json::object{{"party_id", "centrala"}, {"share", "0.5"}}}},
               {"allocation",
                boost::json::object{{"key", "equal"}, {"beneficiaries", boost::json::array{"hc-a", "hc-b", "hc-x"}}}}},
              "2023-01", {{"decision_ref", "RS/773/2021"}}),
        event(
            27, "commitment.cost_incurred",
            {{"commitment", "on_call_coordination"}, {"borne_by", "egen-regi"}, {"amount", "4500.00"}, {"fte", "0.2"}},
            "2023-01", {{"decision_ref", "RS/773/2021"}}),
        event(28, "appropriation.granted",
              {{"granted_by", "centrala"},
               {"party_id", "egen-regi"},
               {"purpose", "on_call_coordination"},
               {"amount", "1500.00"}},
              "2023-02"),
        event(29, "service.purchased",
              {{"seller_id", "hc-a"},
               {"buyer_id", "hc-x"},
               {"service", "omi"},
               {"quantity", 2},
               {"unit_price", "1100.00"},
               {"amount", "2200.00"}},
              "2023-02"),
        pay(30, "hc-a", "variable", "5000.00", "2023-01"),
        reversal(31, 30, "2023-02"),
    };
    return lines;
}

// Every statement test runs twice: once summing the ledger's postings, once reading the
// projections, which are built before the events arrive and then caught up four events per
// transaction (so the figures also prove that projecting in pieces adds up).
class Statements : public DatabaseTest, public ::testing::WithParamInterface<StatementSource> {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
        if (GetParam() == StatementSource::projections) Projections(projector_url).ensure();
        ASSERT_EQ(append_lines(scenario()), scenario().size());
        if (GetParam() == StatementSource::projections) {
            EXPECT_GT(catch_up().transactions, 1);
        }
    }
    CatchUpReport catch_up() { return Projections(projector_url).catch_up(4); }
    Document statement(const std::string& which, std::optional<std::int64_t> as_of) {
        StatementQuery query{which, "SE-Z", "primary_care", "2023-01", "2023-02", as_of, GetParam()};
        if (as_of) query.source = StatementSource::ledger;  // as-of is always read from the postings
        StatementResult result = make_statement(*store, query, "test");
        EXPECT_EQ(result.source_used, query.source);
        return std::move(result.document);
    }
    Document neutrality(std::optional<std::int64_t> as_of = std::nullopt) { return statement("neutrality", as_of); }
    Document commitments() { return statement("commitments", std::nullopt); }
    std::unique_ptr<Store> store;
};

std::string cell(const Document& d, const std::string& table, const std::string& key, const std::string& column) {
    for (const auto& t : d.tables) {
        if (t.name != table) continue;
        std::size_t col = 0;
        while (col < t.columns.size() && t.columns[col] != column) ++col;
        for (const auto& row : t.rows) {
            // rows are keyed by party_id (parties), side (subtotals), "total", or the first column
            const bool match =
                (row[0] == "party" && row[1] == key) || (row[0] == "subtotal" && row[3] == key) || row[0] == key;
            if (match) return row.at(col).value_or("(blank)");
        }
    }
    return "(missing)";
}

std::string summary(const Document& d, const std::string& key) {
    for (const auto& [k, v] : d.summary)
        if (k == key) return v;
    return "(missing)";
}

}  // namespace

TEST_P(Statements, NeutralityRowsAsComputedByHand) {
    const Document d = neutrality();
    // hc-a: capitation 100,000; variable 5,000 reversed in Feb = 0; internal 3,000;
    // benefit 1,000 / 3 = 333.33 + the left-over öre (lowest id) = 333.34; OMI sold 2,200.
    EXPECT_EQ(cell(d, "rows", "hc-a", "capitation"), "100000.00");
    EXPECT_EQ(cell(d, "rows", "hc-a", "variable"), "0.00");
    EXPECT_EQ(cell(d, "rows", "hc-a", "internal_charges"), "3000.00");
    EXPECT_EQ(cell(d, "rows", "hc-a", "benefit_in_kind"), "333.34");
    EXPECT_EQ(cell(d, "rows", "hc-a", "services_sold"), "2200.00");
    // net 100,000 + 333.34 + 2,200 - 3,000 = 99,533.34; weighted avg 1,000;
    // per capita 99,533.34 x 12 / 2 / 1,000 = 597.20004 -> 597.20
    EXPECT_EQ(cell(d, "rows", "hc-a", "net_resources"), "99533.34");
    EXPECT_EQ(cell(d, "rows", "hc-a", "listed_avg"), "1000.00");
    EXPECT_EQ(cell(d, "rows", "hc-a", "weighted_listed_avg"), "1000.0000");
    EXPECT_EQ(cell(d, "rows", "hc-a", "net_per_weighted_listed"), "597.20");
    // hc-b: 50,000 + deficit 10,000 + benefit 333.33 = 60,333.33; x 12 / 2 / 600 = 603.33333
    EXPECT_EQ(cell(d, "rows", "hc-b", "deficit_compensation"), "10000.00");
    EXPECT_EQ(cell(d, "rows", "hc-b", "net_per_weighted_listed"), "603.33");
    // egen-regi: appropriation 1,500 - shared cost paid 500 - commitment 4,500 = -3,500; no listing
    EXPECT_EQ(cell(d, "rows", "egen-regi", "shared_costs_paid"), "500.00");
    EXPECT_EQ(cell(d, "rows", "egen-regi", "commitment_costs"), "4500.00");
    EXPECT_EQ(cell(d, "rows", "egen-regi", "appropriations"), "1500.00");
    EXPECT_EQ(cell(d, "rows", "egen-regi", "net_resources"), "-3500.00");
    EXPECT_EQ(cell(d, "rows", "egen-regi", "net_per_weighted_listed"), "(blank)");
    // hc-x: 90,000 + overhead 2,000 + benefit 333.33 - OMI bought 2,200 = 90,133.33;
    // x 12 / 2 / 900 = 600.88887 -> 600.89
    EXPECT_EQ(cell(d, "rows", "hc-x", "overhead_compensation"), "2000.00");
    EXPECT_EQ(cell(d, "rows", "hc-x", "services_bought"), "2200.00");
    EXPECT_EQ(cell(d, "rows", "hc-x", "net_resources"), "90133.33");
    EXPECT_EQ(cell(d, "rows", "hc-x", "net_per_weighted_listed"), "600.89");
    // region-run subtotal: 99,533.34 + 60,333.33 - 3,500 = 156,366.67; weighted avg 1,600;
    // x 12 / 2 / 1,600 = 586.3750125 -> 586.38
    EXPECT_EQ(cell(d, "rows", "region_run", "net_resources"), "156366.67");
    EXPECT_EQ(cell(d, "rows", "region_run", "weighted_listed_avg"), "1600.0000");
    EXPECT_EQ(cell(d, "rows", "region_run", "net_per_weighted_listed"), "586.38");
    EXPECT_EQ(cell(d, "rows", "private", "net_per_weighted_listed"), "600.89");
    EXPECT_EQ(cell(d, "rows", "total", "net_resources"), "246500.00");
}

TEST_P(Statements, NeutralitySummaryAsComputedByHand) {
    const Document d = neutrality();
    // gap 586.38 - 600.89 = -14.51, -14.51 / 600.89 = -2.4147 % -> -2.41: favours private
    EXPECT_EQ(summary(d, "neutrality_gap"), "-14.51");
    EXPECT_EQ(summary(d, "neutrality_gap_percent_of_private"), "-2.41");
    EXPECT_EQ(summary(d, "neutrality_gap_favours"), "private");
    // without deficit compensation: 146,366.67 x 12 / 2 / 1,600 = 548.8750125 -> 548.88; gap -52.01
    EXPECT_EQ(summary(d, "net_per_weighted_listed_region_run_excluding_deficit_compensation"), "548.88");
    EXPECT_EQ(summary(d, "neutrality_gap_excluding_deficit_compensation"), "-52.01");
    // e-frikort: benefit_private 333.33 x paid_by_region_run 500 / 1,000 = 166.665 -> 166.67,
    // 166.67 / 500 = 33.334 % -> 33.33
    EXPECT_EQ(cell(d, "cross_subsidies", "e_frikort", "region_run_to_private"), "166.67");
    EXPECT_EQ(cell(d, "cross_subsidies", "e_frikort", "share_of_region_run_paid_percent"), "33.33");
    EXPECT_EQ(cell(d, "cross_subsidies", "e_frikort", "private_to_region_run"), "0.00");
    // overhead 2,000 x 12 / 2 / 900 = 13.333 -> 13.33; internal 3,000 x 12 / 2 / 1,600 = 11.25
    EXPECT_EQ(summary(d, "overhead_compensation_per_weighted_listed_private"), "13.33");
    EXPECT_EQ(summary(d, "internal_charges_per_weighted_listed_region_run"), "11.25");
    EXPECT_EQ(summary(d, "overhead_minus_internal_charges"), "2.08");
}

// Per weighted listed citizen and year: region-run x 12 / 2 / 1,600 = x 0.00375, private
// x 12 / 2 / 900 = x / 150, each rounded half away from zero to the öre.
TEST_P(Statements, TheGapBridgeSumsExactlyToTheGapAsComputedByHand) {
    const Document d = neutrality();
    // capitation 150,000 -> 562.50 against 90,000 -> 600.00
    EXPECT_EQ(summary(d, "gap_bridge_capitation"), "-37.50");
    EXPECT_EQ(summary(d, "gap_bridge_variable"), "0.00");
    EXPECT_EQ(summary(d, "gap_bridge_deficit_compensation"), "37.50");    // 10,000 -> 37.50
    EXPECT_EQ(summary(d, "gap_bridge_overhead_compensation"), "-13.33");  // 0 against 2,000 -> 13.33
    EXPECT_EQ(summary(d, "gap_bridge_internal_charges"), "-11.25");       // deducted: 3,000 -> 11.25
    EXPECT_EQ(summary(d, "gap_bridge_shared_costs_paid"), "-1.88");       // deducted: 500 -> 1.875
    EXPECT_EQ(summary(d, "gap_bridge_benefit_in_kind"), "0.28");          // 666.67 -> 2.50, 333.33 -> 2.22
    EXPECT_EQ(summary(d, "gap_bridge_commitment_costs"), "-16.88");       // deducted: 4,500 -> 16.875
    EXPECT_EQ(summary(d, "gap_bridge_appropriations"), "5.63");           // 1,500 -> 5.625
    EXPECT_EQ(summary(d, "gap_bridge_services_sold"), "8.25");            // 2,200 -> 8.25
    EXPECT_EQ(summary(d, "gap_bridge_services_bought"), "14.67");         // deducted: 0 against 2,200 -> 14.67
    // -37.50 + 37.50 - 13.33 - 11.25 - 1.88 + 0.28 - 16.88 + 5.63 + 8.25 + 14.67 = -14.51 = the gap
    EXPECT_EQ(summary(d, "gap_bridge_rounding"), "0.00");
    EXPECT_EQ(summary(d, "neutrality_gap"), "-14.51");
}

TEST_P(Statements, TheGapForTheAssignmentAsComputedByHand) {
    const Document d = neutrality();
    // region-run 156,366.67 - deficit 10,000 + internal charges 3,000 = 149,366.67 -> 560.1250125;
    // private 90,133.33 - overhead 2,000 = 88,133.33 -> 587.5555; gap 560.13 - 587.56 = -27.43,
    // -27.43 / 587.56 = -4.6685 % -> -4.67
    EXPECT_EQ(summary(d, "net_per_weighted_listed_region_run_assignment"), "560.13");
    EXPECT_EQ(summary(d, "net_per_weighted_listed_private_assignment"), "587.56");
    EXPECT_EQ(summary(d, "neutrality_gap_assignment"), "-27.43");
    EXPECT_EQ(summary(d, "neutrality_gap_percent_of_private_assignment"), "-4.67");
    EXPECT_EQ(summary(d, "neutrality_gap_favours_assignment"), "private");
}

TEST_P(Statements, CommitmentStatementAsComputedByHand) {
    const Document d = commitments();
    EXPECT_EQ(cell(d, "commitments", "on_call_coordination", "cost"), "4500.00");
    EXPECT_EQ(cell(d, "commitments", "on_call_coordination", "fte"), "0.2000");
    EXPECT_EQ(cell(d, "commitments", "on_call_coordination", "appropriated"), "1500.00");
    EXPECT_EQ(cell(d, "commitments", "on_call_coordination", "unfunded"), "3000.00");
    EXPECT_EQ(cell(d, "commitments", "on_call_coordination", "share_of_total_percent"), "100.00");
    EXPECT_EQ(cell(d, "commitments", "on_call_coordination", "cost_2023-01"), "4500.00");
    EXPECT_EQ(cell(d, "commitments", "on_call_coordination", "cost_2023-02"), "0.00");
    EXPECT_EQ(cell(d, "commitments", "on_call_coordination", "decision_refs"), "RS/773/2021");
    EXPECT_EQ(cell(d, "commitments", "st_director_of_studies", "cost"), "0.00");
    EXPECT_EQ(cell(d, "commitments", "total", "unfunded"), "3000.00");
    // e-frikort: paid 500, benefit region-run 333.34 + 333.33 = 666.67, private 333.33;
    // carried for others 500 - 666.67 - 0 = -166.67
    EXPECT_EQ(cell(d, "services", "e_frikort", "paid_by_region_run"), "500.00");
    EXPECT_EQ(cell(d, "services", "e_frikort", "benefit_region_run"), "666.67");
    EXPECT_EQ(cell(d, "services", "e_frikort", "benefit_private"), "333.33");
    EXPECT_EQ(cell(d, "services", "e_frikort", "carried_for_others"), "-166.67");
    // 3,000 - 166.67 = 2,833.33; x 12 / 2 / 1,600 = 10.6249875 -> 10.62
    EXPECT_EQ(summary(d, "total_unfunded"), "2833.33");
    EXPECT_EQ(summary(d, "total_unfunded_per_weighted_listed_region_run"), "10.62");
}

TEST_P(Statements, TheSamePositionGivesTheSameBytesAndHash) {
    const std::string first = render_json(neutrality());
    const std::string second = render_json(neutrality());
    EXPECT_EQ(first, second);
    const Document d = neutrality();
    EXPECT_EQ(d.provenance[5].first, "as_of_seq");
    EXPECT_EQ(d.provenance[5].second, std::to_string(store->head("SE-Z").seq));
    EXPECT_EQ(d.provenance[6].second, hash_hex(store->head("SE-Z").hash));
    // the content hash is the SHA-256 of the JSON body without it
    auto body = boost::json::parse(first).as_object();
    const std::string hash(body.at("content_hash").as_string());
    EXPECT_EQ(hash, d.content_hash);
    EXPECT_EQ(hash.size(), 64u);
}

TEST_P(Statements, AsOfBeforeTheReversalDiffersExactlyByIt) {
    const std::int64_t head = store->head("SE-Z").seq;
    const Document before = neutrality(head - 1);  // the reversal is the last event
    const Document now = neutrality();
    EXPECT_EQ(cell(before, "rows", "hc-a", "variable"), "5000.00");
    EXPECT_EQ(cell(now, "rows", "hc-a", "variable"), "0.00");
    EXPECT_EQ(cell(before, "rows", "hc-a", "net_resources"), "104533.34");
    EXPECT_EQ(cell(before, "rows", "hc-x", "net_resources"), cell(now, "rows", "hc-x", "net_resources"));
    EXPECT_NE(before.content_hash, now.content_hash);
    // appending more later does not change a statement as of an earlier position
    store->append({{pay(40, "hc-x", "capitation", "1.00", "2023-02"), Source{}}});
    if (GetParam() == StatementSource::projections) catch_up();
    EXPECT_EQ(render_json(neutrality(head - 1)), render_json(before));
}

namespace {

// hledger's balance report as account -> öre ("-100000.00 SEK" -> -10000000).
std::map<std::string, std::int64_t> hledger_balances(const std::string& journal, const std::string& begin,
                                                     const std::string& end) {
    const auto result = run("hledger -f " + journal + " bal -O csv --flat -N -b " + begin + " -e " + end);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::map<std::string, std::int64_t> out;
    std::istringstream lines(result.out);
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
        const auto comma = line.find("\",\"");
        const std::string account = line.substr(1, comma - 1);
        std::string amount = line.substr(comma + 3);
        amount = amount.substr(0, amount.find(' '));
        const bool negative = amount[0] == '-';
        if (negative) amount.erase(0, 1);
        const auto dot = amount.find('.');
        const std::int64_t ore = std::stoll(amount.substr(0, dot)) * 100 + std::stoll(amount.substr(dot + 1));
        out[account] = negative ? -ore : ore;
    }
    return out;
}

std::string sum_prefix(const std::map<std::string, std::int64_t>& balances, const std::string& prefix, int sign) {
    std::int64_t sum = 0;
    for (const auto& [account, ore] : balances)
        if (account.rfind(prefix, 0) == 0) sum += ore;
    return Money::from_ore(sign * sum).to_string();
}

}  // namespace

TEST_P(Statements, TheHledgerJournalBalancesToTheStatementFigures) {
    const std::string journal = ::testing::TempDir() + "likvard-" + std::to_string(getpid()) + ".journal";
    {
        std::ofstream out(journal);
        store->export_hledger("SE-Z", std::nullopt, out);
    }
    const auto balances = hledger_balances(journal, "2023-01-01", "2023-03-01");
    const Document d = neutrality();
    // The account chart of docs/statements.md: column = sign x balance of the party's accounts.
    const std::vector<std::tuple<std::string, std::string, int>> chart{
        {"capitation", "income:compensation.capitation", -1},
        {"variable", "income:compensation.variable", -1},
        {"deficit_compensation", "income:compensation.deficit_compensation", -1},
        {"overhead_compensation", "income:overhead.", -1},
        {"internal_charges", "expense:internal_charge.", 1},
        {"shared_costs_paid", "expense:shared_cost.", 1},
        {"benefit_in_kind", "benefit:", -1},
        {"commitment_costs", "expense:commitment.", 1},
        {"appropriations", "income:appropriation.", -1},
        {"services_sold", "income:service_sold.", -1},
        {"services_bought", "expense:service_bought.", 1},
    };
    for (const std::string party : {"egen-regi", "hc-a", "hc-b", "hc-x"})
        for (const auto& [column, account, sign] : chart)
            EXPECT_EQ(sum_prefix(balances, party + ":" + account, sign), cell(d, "rows", party, column))
                << party << " " << column;
    // Every transaction balances: the whole journal sums to zero.
    std::int64_t total = 0;
    for (const auto& [account, ore] : balances) total += ore;
    EXPECT_EQ(total, 0);
    std::remove(journal.c_str());
}

TEST_P(Statements, XlsxIsAWorkbookWithTheSameBytesForTheSamePosition) {
    const std::string first = render_xlsx(neutrality());
    EXPECT_EQ(first.substr(0, 4), std::string("PK\x03\x04", 4));
    EXPECT_EQ(first, render_xlsx(neutrality()));
    EXPECT_NE(first, render_xlsx(commitments()));
}

// ---- the XLSX read back: every figure a numeric cell holding the JSON's exact value ----

struct XlsxCell {
    bool number = false;  // a numeric cell (no t="s" / t="str")
    std::string value;    // <v>: the number, or the shared string's index
    int style = 0;        // s=: the cell's format
};

// The cells of one sheet by reference ("H2"), read from the workbook with unzip.
std::map<std::string, XlsxCell> sheet_cells(const std::string& xlsx_path, int sheet) {
    const auto xml = run("unzip -p " + xlsx_path + " xl/worksheets/sheet" + std::to_string(sheet) + ".xml");
    EXPECT_EQ(xml.exit_code, 0) << xml.err;
    std::map<std::string, XlsxCell> cells;
    const std::regex cell_form("<c r=\"([A-Z]+[0-9]+)\"([^>]*)>(?:<v>([^<]*)</v>)?</c>");
    for (std::sregex_iterator it(xml.out.begin(), xml.out.end(), cell_form), end; it != end; ++it) {
        const std::string attributes = (*it)[2];
        std::smatch style;
        XlsxCell cell{attributes.find(" t=") == std::string::npos, (*it)[3], 0};
        if (std::regex_search(attributes, style, std::regex("s=\"([0-9]+)\""))) cell.style = std::stoi(style[1]);
        cells[(*it)[1]] = cell;
    }
    return cells;
}

std::string cell_ref(std::size_t column, std::size_t row) {  // 0-based column, 1-based row
    std::string letters;
    for (std::size_t c = column + 1; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), char('A' + (c - 1) % 26));
    return letters + std::to_string(row);
}

bool is_json_figure(const std::string& text) { return std::regex_match(text, std::regex("-?[0-9]+(\\.[0-9]+)?")); }

// The JSON's figure in the cell: the same double ("33.33" percent is the double of 0.3333).
void expect_cell_holds(const XlsxCell& cell, const std::string& figure, bool percent, const std::string& where) {
    ASSERT_TRUE(cell.number) << where << ": '" << figure << "' is not a numeric cell";
    const double expected = std::strtod((figure + (percent ? "e-2" : "")).c_str(), nullptr);
    EXPECT_EQ(std::strtod(cell.value.c_str(), nullptr), expected) << where << ": " << cell.value << " for " << figure;
}

void expect_xlsx_figures_are_the_json(const Document& d, const std::string& path) {
    const boost::json::object json = boost::json::parse(render_json(d)).as_object();
    int sheet = 2;  // 1: provenance; then the tables in order; then the summary
    for (const Table& table : d.tables) {
        const auto cells = sheet_cells(path, sheet++);
        const auto& rows = json.at("tables").at(table.name).as_array();
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::size_t c = 0; c < table.columns.size(); ++c) {
                const auto& value = rows[r].at(table.columns[c]);
                const std::string where = table.name + " " + cell_ref(c, r + 2) + " " + table.columns[c];
                if (value.is_null()) {
                    EXPECT_FALSE(cells.contains(cell_ref(c, r + 2))) << where << ": a blank cell has a value";
                    continue;
                }
                const std::string text(value.as_string());
                const bool words = table.columns[c] == "party_id" || table.columns[c] == "name";
                if (words || !is_json_figure(text)) continue;
                const bool percent = table.columns[c].find("percent") != std::string::npos;
                expect_cell_holds(cells.at(cell_ref(c, r + 2)), text, percent, where);
            }
    }
    const auto summary = sheet_cells(path, sheet);
    std::size_t row = 2;
    for (const auto& [key, value] : d.summary) {
        const std::string text(json.at("summary").at(key).as_string());
        if (is_json_figure(text))
            expect_cell_holds(summary.at(cell_ref(1, row)), text, key.find("percent") != std::string::npos, key);
        ++row;
    }
}

TEST_P(Statements, XlsxFiguresAreNumericCellsWithTheJsonsExactValues) {
    const std::string path = std::filesystem::temp_directory_path() / ("likvard-xlsx-" + std::to_string(getpid()));
    for (const Document& d : {neutrality(), commitments()})
        for (const Language language : {Language::sv, Language::en}) {
            std::ofstream(path, std::ios::binary) << render_xlsx(d, language);
            expect_xlsx_figures_are_the_json(d, path);
            const auto styles = run("unzip -p " + path + " xl/styles.xml");
            EXPECT_NE(styles.out.find("formatCode=\"#,##0.00\""), std::string::npos) << styles.out;
            const auto rows = run("unzip -p " + path + " xl/worksheets/sheet2.xml").out;
            EXPECT_NE(rows.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"),
                      std::string::npos)
                << "the header row frozen: " << rows.substr(0, 600);
            EXPECT_NE(rows.find("<cols><col min=\"1\" max=\"1\" width=\""), std::string::npos) << rows.substr(0, 600);
        }
    std::filesystem::remove(path);
    const auto cross = neutrality();
    std::ofstream(path, std::ios::binary) << render_xlsx(cross, Language::sv);
    const auto styles = run("unzip -p " + path + " xl/styles.xml").out;
    EXPECT_NE(styles.find("formatCode=\"0.00%\""), std::string::npos) << "percentages as percentages: " << styles;
    std::filesystem::remove(path);
}

TEST_P(Statements, XlsxLabelsAreInTheChosenLanguage) {
    const std::string path = std::filesystem::temp_directory_path() / ("likvard-xlsx-" + std::to_string(getpid()));
    std::ofstream(path, std::ios::binary) << render_xlsx(neutrality(), Language::sv);
    const auto sv = run("unzip -p " + path + " xl/sharedStrings.xml xl/workbook.xml").out;
    for (const char* label : {"Kapitering (vårdpeng)", "Egen regi", "Privata utförare", "Region totalt",
                              "Korssubventioner", "name=\"Underlag\"", "name=\"Sammanfattning\""})
        EXPECT_NE(sv.find(label), std::string::npos) << label;
    EXPECT_EQ(sv.find(">capitation<"), std::string::npos) << "a key in the Swedish workbook";
    std::ofstream(path, std::ios::binary) << render_xlsx(neutrality(), Language::en);
    const auto en = run("unzip -p " + path + " xl/sharedStrings.xml xl/workbook.xml").out;
    for (const char* label : {"Capitation", "Region-run", "Private providers", "Region total", "name=\"Provenance\""})
        EXPECT_NE(en.find(label), std::string::npos) << label;
    std::filesystem::remove(path);
}

// Golden case: tests/data/statements/two-months/ holds this scenario's events and both
// statements in JSON and Markdown (Swedish and English), byte for byte, from either source. The hand-computed
// figures above check the numbers; these files show every change of a rendering as a diff.
// LIKVARD_UPDATE_GOLDEN=1 rewrites them (then review the difference before committing).
TEST_P(Statements, TheTwoMonthScenarioRendersAsItsGoldenFiles) {
    const std::string dir = std::string(LIKVARD_TEST_DATA) + "/statements/two-months/";
    const bool update = std::getenv("LIKVARD_UPDATE_GOLDEN") != nullptr && GetParam() == StatementSource::ledger;
    std::string events;
    for (const auto& l : scenario()) events += l + "\n";
    const std::vector<std::pair<std::string, std::string>> files{
        {"events.ndjson", events},
        {"neutrality.json", render_json(neutrality())},
        {"neutrality.sv.md", render_markdown(neutrality(), Language::sv)},
        {"neutrality.en.md", render_markdown(neutrality(), Language::en)},
        {"commitments.json", render_json(commitments())},
        {"commitments.sv.md", render_markdown(commitments(), Language::sv)},
        {"commitments.en.md", render_markdown(commitments(), Language::en)},
    };
    for (const auto& [name, text] : files) {
        if (update) std::ofstream(dir + name, std::ios::binary) << text;
        EXPECT_EQ(text, read_file(dir + name)) << dir + name << " differs (LIKVARD_UPDATE_GOLDEN=1 rewrites it)";
    }
}

// A typo in the region or scheme must not print a statement of zeros that looks real.
TEST_P(Statements, ARegionOrSchemeWithoutEventsIsAnErrorNamingWhatTheLedgerHas) {
    StatementQuery query{"neutrality", "SE-Q", "primary_care", "2023-01", "2023-02", std::nullopt, GetParam()};
    try {
        make_statement(*store, query, "test");
        ADD_FAILURE() << "a statement for a region without events";
    } catch (const LedgerScopeError& error) {
        EXPECT_EQ(std::string(error.what()), "the ledger has no events for region SE-Q; its regions: SE-Z");
    }
    query.region = "SE-Z";
    query.scheme = "foot_care";
    try {
        make_statement(*store, query, "test");
        ADD_FAILURE() << "a statement for a scheme without events";
    } catch (const LedgerScopeError& error) {
        EXPECT_EQ(std::string(error.what()),
                  "the ledger has no events for region SE-Z in scheme foot_care; the schemes of SE-Z: primary_care");
    }
    // months without events of a known region and scheme are a statement (of zeros), not an error
    query.scheme = "primary_care";
    query.from = query.to = "2024-06";
    EXPECT_NO_THROW(make_statement(*store, query, "test"));
}

TEST_P(Statements, TheCliExitsOneForARegionWithoutEventsAndNamesTheRegions) {
    if (GetParam() == StatementSource::projections) GTEST_SKIP() << "one source is enough for the exit code";
    const auto statement = run(std::string(LIKVARD_BIN) +
                               " statement neutrality --region SE-Q --scheme primary_care --from 2023-01 --to 2023-02"
                               " --database-url " +
                               shell_quote(url));
    EXPECT_EQ(statement.exit_code, 1);
    EXPECT_EQ(statement.out, "");
    EXPECT_NE(statement.err.find("no events for region SE-Q; its regions: SE-Z"), std::string::npos) << statement.err;
    const auto exported =
        run(std::string(LIKVARD_BIN) + " export hledger --region SE-Q --database-url " + shell_quote(url));
    EXPECT_EQ(exported.exit_code, 1);
    EXPECT_EQ(exported.out, "");
    EXPECT_NE(exported.err.find("its regions: SE-Z"), std::string::npos) << exported.err;
}

TEST_P(Statements, TheCliWritesSwedishByDefaultAndTheLanguageAsked) {
    if (GetParam() == StatementSource::projections) GTEST_SKIP() << "the options do not depend on the source";
    const std::string cli = std::string(LIKVARD_BIN) +
                            " statement neutrality --region SE-Z --scheme primary_care --from 2023-01 --to 2023-02"
                            " --database-url " +
                            shell_quote(url);
    const auto md = run(cli + " --format md");
    ASSERT_EQ(md.exit_code, 0) << md.err;
    EXPECT_EQ(md.out.find("# Konkurrensneutralitetsredovisning\n"), 0u) << md.out;
    EXPECT_EQ(md.out, run(cli + " --format md --lang sv").out);
    EXPECT_EQ(run(cli + " --format md --lang en").out.find("# Competitive-neutrality statement\n"), 0u);
    const std::string dir = std::filesystem::temp_directory_path() / ("likvard-csv-" + std::to_string(getpid()));
    ASSERT_EQ(run(cli + " --format csv --lang sv --out " + dir + "/sv").exit_code, 0);
    ASSERT_EQ(run(cli + " --format csv --out " + dir + "/machine").exit_code, 0);
    const std::string sv = read_file(dir + "/sv/neutrality-rows.csv");
    EXPECT_EQ(sv.find("Rad;Enhetens id;Namn;Driftform;"), 0u) << sv;
    EXPECT_NE(sv.find(";100000,00;"), std::string::npos) << "hc-a's capitation with a decimal comma: " << sv;
    const std::string machine = read_file(dir + "/machine/neutrality-rows.csv");
    EXPECT_EQ(machine.find("row;party_id;name;side;"), 0u) << machine;
    EXPECT_NE(machine.find(";100000.00;"), std::string::npos) << machine;
    std::filesystem::remove_all(dir);
    const auto unknown = run(cli + " --format md --lang fi");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("--lang 'fi' is not sv or en"), std::string::npos) << unknown.err;
    const auto json = run(cli + " --lang sv");
    EXPECT_EQ(json.exit_code, 2);
    EXPECT_NE(json.err.find("--lang applies to --format md, csv, xlsx, html or pdf"), std::string::npos) << json.err;
}

INSTANTIATE_TEST_SUITE_P(FromLedgerAndProjections, Statements,
                         ::testing::Values(StatementSource::ledger, StatementSource::projections),
                         [](const auto& info) {
                             return std::string(info.param == StatementSource::ledger ? "Ledger" : "Projections");
                         });
