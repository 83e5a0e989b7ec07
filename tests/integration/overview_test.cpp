// The region summary and the comparison of regions (docs/statements.md, "G. The region
// summary and the comparison of regions") on a small ledger of three regions and two
// schemes. Every expected figure was worked out by hand from the events below (the
// arithmetic is in the comments); the year is 2023, so a figure
// per weighted listed is amount × 12 / (Σ over the twelve months of the weighted listing).
#include "database.hpp"
#include "scenario_events.hpp"
#include "projections/projections.hpp"
#include "run.hpp"

#include <filesystem>

#include <boost/json.hpp>

using namespace likvard;
using namespace likvard::test;

namespace {

const std::string generator = "likvard 0.1.0";  // the CLI's, so that its bytes compare

boost::json::object in(const std::string& region, const std::string& scheme) {
    return {{"region", region}, {"scheme", scheme}};
}

std::string party_in(int id, const std::string& region, const std::string& scheme, const std::string& party_id,
                     const std::string& kind, const std::string& side) {
    boost::json::object data{{"party_id", party_id}, {"name", "Party " + party_id}, {"kind", kind}, {"side", side}};
    if (kind == "provider") data["provider_type"] = "health_centre";
    return event(id, "party.registered", data, "2023-01", in(region, scheme));
}

std::string listing_in(int id, const std::string& region, const std::string& scheme, const std::string& provider,
                       std::int64_t listed, const std::string& weighted) {
    return event(id, "listing.recorded", {{"provider_id", provider}, {"listed", listed}, {"weighted_listed", weighted}},
                 "2023-01", in(region, scheme));
}

std::string pay_in(int id, const std::string& region, const std::string& scheme, const std::string& provider,
                   const std::string& component, const std::string& amount) {
    return pay(id, provider, component, amount, "2023-01", in(region, scheme));
}

// SE-Z, primary care: region-run hc-a (listed 900, weighted 1,000 in January) and the
// organisation egen-regi, private hc-x (1,800, weighted 2,000).
//   region-run: capitation 100,000 + variable 6,000 - internal charges 2,000 - commitment
//   3,000 = 101,000 → ×12/1,000 = 1,212.00; private: capitation 180,000 + overhead 5,000 =
//   185,000 → ×12/2,000 = 1,110.00; gap 102.00 (9.19 % of 1,110.00).
// SE-Z, foot care: only the private fot-x (500, weighted 500): capitation 30,000 → 720.00.
std::vector<std::string> se_z() {
    const std::string pc = "primary_care", fc = "foot_care";
    return {
        party_in(1, "SE-Z", pc, "bestallare", "organisation", "purchaser"),
        party_in(2, "SE-Z", pc, "centrala", "organisation", "central"),
        party_in(3, "SE-Z", pc, "egen-regi", "organisation", "region_run"),
        party_in(4, "SE-Z", pc, "hc-a", "provider", "region_run"),
        party_in(5, "SE-Z", pc, "hc-x", "provider", "private"),
        party_in(6, "SE-Z", fc, "fot-x", "provider", "private"),
        listing_in(10, "SE-Z", pc, "hc-a", 900, "1000"),
        listing_in(11, "SE-Z", pc, "hc-x", 1800, "2000"),
        listing_in(12, "SE-Z", fc, "fot-x", 500, "500"),
        pay_in(20, "SE-Z", pc, "hc-a", "capitation", "100000.00"),
        pay_in(21, "SE-Z", pc, "hc-a", "variable", "6000.00"),
        pay_in(22, "SE-Z", pc, "hc-x", "capitation", "180000.00"),
        event(23, "overhead.compensated",
              {{"payer_id", "bestallare"}, {"provider_id", "hc-x"}, {"category", "it"}, {"amount", "5000.00"}},
              "2023-01", in("SE-Z", pc)),
        event(24, "internal_charge.booked",
              {{"charged_by", "centrala"}, {"party_id", "hc-a"}, {"category", "helpdesk"}, {"amount", "2000.00"}},
              "2023-01", in("SE-Z", pc)),
        event(
            25, "commitment.cost_incurred",
            {{"commitment", "on_call_coordination"}, {"borne_by", "egen-regi"}, {"amount", "3000.00"}, {"fte", "0.2"}},
            "2023-01", {{"region", "SE-Z"}, {"scheme", pc}, {"decision_ref", "RS/1/2023"}}),
        pay_in(26, "SE-Z", fc, "fot-x", "capitation", "30000.00"),
    };
}

// SE-AC, primary care: region-run hc-b (3,000, weighted 3,000) and egen-regi-ac, private hc-y
// (1,000, weighted 1,000). A shared cost of 1,200 paid by egen-regi-ac, split equally: 600 of
// benefit each to hc-b and hc-y.
//   region-run: 240,000 + deficit 15,000 - shared cost 1,200 + benefit 600 = 254,400 →
//   ×12/3,000 = 1,017.60; private: 100,000 + 600 = 100,600 → ×12/1,000 = 1,207.20;
//   gap -189.60 (-15.71 % of 1,207.20); carried for others 1,200 - 600 = 600 → 2.40.
std::vector<std::string> se_ac() {
    const std::string pc = "primary_care";
    return {
        party_in(1, "SE-AC", pc, "bestallare", "organisation", "purchaser"),
        party_in(2, "SE-AC", pc, "egen-regi-ac", "organisation", "region_run"),
        party_in(3, "SE-AC", pc, "hc-b", "provider", "region_run"),
        party_in(4, "SE-AC", pc, "hc-y", "provider", "private"),
        party_in(5, "SE-AC", pc, "leverantor", "vendor", "external"),
        listing_in(10, "SE-AC", pc, "hc-b", 3000, "3000"),
        listing_in(11, "SE-AC", pc, "hc-y", 1000, "1000"),
        pay_in(20, "SE-AC", pc, "hc-b", "capitation", "240000.00"),
        pay_in(21, "SE-AC", pc, "hc-y", "capitation", "100000.00"),
        pay_in(22, "SE-AC", pc, "hc-b", "deficit_compensation", "15000.00"),
        event(23, "shared_cost.incurred",
              {{"service", "e_frikort"},
               {"vendor_id", "leverantor"},
               {"amount", "1200.00"},
               {"paid_by", boost::json::array{boost::json::object{{"party_id", "egen-regi-ac"}, {"share", "1"}}}},
               {"allocation",
                boost::json::object{{"key", "equal"}, {"beneficiaries", boost::json::array{"hc-b", "hc-y"}}}}},
              "2023-01", {{"region", "SE-AC"}, {"scheme", pc}, {"decision_ref", "RS/2/2023"}}),
    };
}

// SE-M: foot care only.
std::vector<std::string> se_m() {
    return {
        party_in(1, "SE-M", "foot_care", "bestallare", "organisation", "purchaser"),
        party_in(2, "SE-M", "foot_care", "fot-m", "provider", "private"),
        listing_in(3, "SE-M", "foot_care", "fot-m", 100, "100"),
        pay_in(4, "SE-M", "foot_care", "fot-m", "capitation", "1000.00"),
    };
}

class Overview : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        for (const auto& lines : {se_z(), se_ac(), se_m()}) ASSERT_EQ(append_lines(lines), lines.size());
        store = std::make_unique<Store>(url);
    }
    Document summary_of(const std::string& region, std::optional<std::int64_t> as_of = std::nullopt,
                        StatementSource source = StatementSource::automatic) {
        SummaryQuery query;
        query.region = region;
        query.year = "2023";
        query.as_of = as_of;
        query.source = source;
        return make_region_summary(*store, query, generator).document;
    }
    // Builds the projections; `make` must then read them and give the bytes expected.
    template <class Make>
    void expect_projected_bytes(const std::string& expected, Make make) {
        Projections(projector_url).ensure();
        const StatementResult projected = make();
        EXPECT_EQ(projected.source_used, StatementSource::projections);
        EXPECT_EQ(render_json(projected.document), expected);
    }

    Document comparison_of(std::vector<std::string> regions = {}, std::map<std::string, std::int64_t> as_of = {}) {
        ComparisonQuery query;
        query.scheme = "primary_care";
        query.year = "2023";
        query.regions = std::move(regions);
        query.as_of = std::move(as_of);
        return make_comparison(*store, query, generator).document;
    }
    Document statement(const std::string& which, const std::string& region, const std::string& scheme,
                       std::optional<std::int64_t> as_of = std::nullopt) {
        StatementQuery query;
        query.statement = which;
        query.region = region;
        query.scheme = scheme;
        query.from = "2023-01";
        query.to = "2023-12";
        query.as_of = as_of;
        return make_statement(*store, query, generator).document;
    }
    std::string cli(const std::string& args) {
        return std::string(LIKVARD_BIN) + " statement " + args + " --database-url " + shell_quote(reader_url);
    }
    std::unique_ptr<Store> store;
};

const Table& table_of(const Document& d, const std::string& name) {
    for (const auto& table : d.tables)
        if (table.name == name) return table;
    throw std::runtime_error("no table " + name);
}

// The cell of the row whose first columns are `keys` ("primary_care"; "SE-Z", "private").
std::string cell(const Document& d, const std::string& table, const std::vector<std::string>& keys,
                 const std::string& column) {
    const Table& t = table_of(d, table);
    const auto col = std::find(t.columns.begin(), t.columns.end(), column);
    if (col == t.columns.end()) return "(no column " + column + ")";
    for (const auto& row : t.rows) {
        bool match = true;
        for (std::size_t i = 0; i < keys.size(); ++i) match = match && row[i] == keys[i];
        if (match) return row[static_cast<std::size_t>(col - t.columns.begin())].value_or("(blank)");
    }
    return "(no row)";
}

std::string summary_value(const Document& d, const std::string& key) {
    for (const auto& [k, v] : d.summary)
        if (k == key) return v;
    return "(missing)";
}

std::string provenance_value(const Document& d, const std::string& key) {
    for (const auto& [k, v] : d.provenance)
        if (k == key) return v;
    return "(missing)";
}

// The subtotal of a side in a neutrality statement.
std::string subtotal(const Document& neutrality, const std::string& side, const std::string& column) {
    const Table& t = table_of(neutrality, "rows");
    const auto col = std::find(t.columns.begin(), t.columns.end(), column);
    for (const auto& row : t.rows)
        if (row[0] == "subtotal" && row[3] == side)
            return row[static_cast<std::size_t>(col - t.columns.begin())].value_or("(blank)");
    return "(no row)";
}

}  // namespace

TEST_F(Overview, TheRegionSummaryAsComputedByHand) {
    const Document d = summary_of("SE-Z");
    EXPECT_EQ(d.statement, "summary");
    EXPECT_EQ(provenance_value(d, "region"), "SE-Z");
    EXPECT_EQ(provenance_value(d, "year"), "2023");
    EXPECT_EQ(provenance_value(d, "as_of_seq"), "16");  // SE-Z's 16 events
    EXPECT_EQ(provenance_value(d, "events_counted"), "16");
    EXPECT_EQ(d.decision_refs, std::vector<std::string>{"RS/1/2023"});
    ASSERT_EQ(table_of(d, "schemes").rows.size(), 2u);  // primary care and foot care, in that order
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "weighted_listed_avg_region_run"), "83.3333");  // 1,000 / 12
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "weighted_listed_avg_private"), "166.6667");    // 2,000 / 12
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "net_per_weighted_listed_region_run"), "1212.00");
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "net_per_weighted_listed_private"), "1110.00");
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "neutrality_gap"), "102.00");
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "neutrality_gap_percent_of_private"), "9.19");
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "neutrality_gap_favours"), "region_run");
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "neutrality_gap_not_computed"), "(blank)");
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "commitment_costs"), "3000.00");
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "total_unfunded"), "3000.00");
    // Foot care has no region-run side: no gap, and the reason says so.
    EXPECT_EQ(cell(d, "schemes", {"foot_care"}, "net_per_weighted_listed_private"), "720.00");  // 30,000 × 12 / 500
    EXPECT_EQ(cell(d, "schemes", {"foot_care"}, "net_per_weighted_listed_region_run"), "(blank)");
    EXPECT_EQ(cell(d, "schemes", {"foot_care"}, "neutrality_gap"), "(blank)");
    EXPECT_EQ(cell(d, "schemes", {"foot_care"}, "neutrality_gap_not_computed"), "no_region_run_side");
    EXPECT_EQ(cell(d, "schemes", {"foot_care"}, "commitment_costs"), "0.00");
    EXPECT_EQ(summary_value(d, "schemes"), "2");
    EXPECT_EQ(summary_value(d, "schemes_with_gap"), "1");
    EXPECT_EQ(summary_value(d, "neutrality_gap_largest_scheme"), "primary_care");
    EXPECT_EQ(summary_value(d, "neutrality_gap_largest"), "102.00");
    EXPECT_EQ(summary_value(d, "neutrality_gap_favours_largest"), "region_run");
    EXPECT_EQ(summary_value(d, "commitment_costs"), "3000.00");
    EXPECT_FALSE(d.content_hash.empty());
}

TEST_F(Overview, EachSchemeOfTheSummaryIsItsOwnStatementsToTheOere) {
    const Document d = summary_of("SE-Z");
    for (const std::string scheme : {"primary_care", "foot_care"}) {
        const Document n = statement("neutrality", "SE-Z", scheme);
        const Document c = statement("commitments", "SE-Z", scheme);
        EXPECT_EQ(cell(d, "schemes", {scheme}, "neutrality_content_hash"), n.content_hash) << scheme;
        EXPECT_EQ(cell(d, "schemes", {scheme}, "commitments_content_hash"), c.content_hash) << scheme;
        EXPECT_EQ(cell(d, "schemes", {scheme}, "net_per_weighted_listed_region_run"),
                  subtotal(n, "region_run", "net_per_weighted_listed"));
        EXPECT_EQ(cell(d, "schemes", {scheme}, "net_per_weighted_listed_private"),
                  subtotal(n, "private", "net_per_weighted_listed"));
        EXPECT_EQ(cell(d, "schemes", {scheme}, "total_unfunded"), summary_value(c, "total_unfunded"));
    }
    EXPECT_EQ(cell(d, "schemes", {"primary_care"}, "neutrality_gap"),
              summary_value(statement("neutrality", "SE-Z", "primary_care"), "neutrality_gap"));
}

TEST_F(Overview, TheSummaryIsTheSameBytesFromTheLedgerTheProjectionsAndAsOfTheHead) {
    const std::string from_ledger = render_json(summary_of("SE-Z", std::nullopt, StatementSource::ledger));
    expect_projected_bytes(from_ledger, [&] {
        SummaryQuery query;
        query.region = "SE-Z";
        query.year = "2023";
        return make_region_summary(*store, query, generator);
    });
    EXPECT_EQ(render_json(summary_of("SE-Z", 16)), from_ledger);
    // As of seq 9 (the listings, before any payment): one position for both schemes.
    const Document early = summary_of("SE-Z", 9);
    EXPECT_EQ(provenance_value(early, "as_of_seq"), "9");
    EXPECT_EQ(cell(early, "schemes", {"primary_care"}, "neutrality_content_hash"),
              statement("neutrality", "SE-Z", "primary_care", 9).content_hash);
    EXPECT_EQ(cell(early, "schemes", {"foot_care"}, "neutrality_content_hash"),
              statement("neutrality", "SE-Z", "foot_care", 9).content_hash);
}

TEST_F(Overview, TheComparisonAsComputedByHand) {
    const Document d = comparison_of();
    EXPECT_EQ(d.statement, "comparison");
    // Every region with primary care in 2023, in code order: SE-M has only foot care.
    EXPECT_EQ(provenance_value(d, "regions"), "SE-AC, SE-Z");
    EXPECT_EQ(cell(d, "regions", {"SE-AC"}, "as_of_seq"), "11");  // SE-AC's 11 events, its own chain
    EXPECT_EQ(cell(d, "regions", {"SE-Z"}, "as_of_seq"), "16");
    EXPECT_EQ(cell(d, "regions", {"SE-Z"}, "as_of_hash"),
              provenance_value(statement("neutrality", "SE-Z", "primary_care"), "as_of_hash"));
    // SE-Z, region-run: 900 / 12 = 75.00 listed, 1,000 / 12 weighted; per weighted listed ×12/1,000.
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "region_run"}, "listed_avg"), "75.00");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "region_run"}, "weighted_listed_avg"), "83.3333");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "region_run"}, "capitation_per_weighted_listed"), "1200.00");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "region_run"}, "variable_per_weighted_listed"), "72.00");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "region_run"}, "internal_charges_per_weighted_listed"), "24.00");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "region_run"}, "overhead_compensation_per_weighted_listed"), "0.00");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "region_run"}, "net_per_weighted_listed"), "1212.00");
    // SE-Z, private: ×12/2,000.
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "private"}, "listed_avg"), "150.00");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "private"}, "capitation_per_weighted_listed"), "1080.00");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "private"}, "overhead_compensation_per_weighted_listed"), "30.00");
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "private"}, "net_per_weighted_listed"), "1110.00");
    // SE-AC: ×12/3,000 for the region-run side, ×12/1,000 for the private side.
    EXPECT_EQ(cell(d, "sides", {"SE-AC", "region_run"}, "listed_avg"), "250.00");
    EXPECT_EQ(cell(d, "sides", {"SE-AC", "region_run"}, "capitation_per_weighted_listed"), "960.00");
    EXPECT_EQ(cell(d, "sides", {"SE-AC", "region_run"}, "deficit_compensation_per_weighted_listed"), "60.00");
    EXPECT_EQ(cell(d, "sides", {"SE-AC", "region_run"}, "net_per_weighted_listed"), "1017.60");
    EXPECT_EQ(cell(d, "sides", {"SE-AC", "private"}, "capitation_per_weighted_listed"), "1200.00");
    EXPECT_EQ(cell(d, "sides", {"SE-AC", "private"}, "net_per_weighted_listed"), "1207.20");
    // The gaps: SE-Z 1,212.00 - 1,110.00; without deficit, overhead and internal charges
    // (103,000 × 12 / 1,000 = 1,236.00 against 180,000 × 12 / 2,000 = 1,080.00) 156.00.
    EXPECT_EQ(cell(d, "gaps", {"SE-Z"}, "neutrality_gap"), "102.00");
    EXPECT_EQ(cell(d, "gaps", {"SE-Z"}, "neutrality_gap_assignment"), "156.00");
    EXPECT_EQ(cell(d, "gaps", {"SE-Z"}, "commitment_costs_per_weighted_listed_region_run"),
              "36.00");  // 3,000 × 12 / 1,000
    EXPECT_EQ(cell(d, "gaps", {"SE-Z"}, "carried_for_others"), "0.00");
    EXPECT_EQ(cell(d, "gaps", {"SE-Z"}, "total_unfunded_per_weighted_listed_region_run"), "36.00");
    // SE-AC: 1,017.60 - 1,207.20; without deficit 239,400 × 12 / 3,000 = 957.60 - 1,207.20.
    EXPECT_EQ(cell(d, "gaps", {"SE-AC"}, "neutrality_gap"), "-189.60");
    EXPECT_EQ(cell(d, "gaps", {"SE-AC"}, "neutrality_gap_percent_of_private"), "-15.71");
    EXPECT_EQ(cell(d, "gaps", {"SE-AC"}, "neutrality_gap_favours"), "private");
    EXPECT_EQ(cell(d, "gaps", {"SE-AC"}, "neutrality_gap_assignment"), "-249.60");
    EXPECT_EQ(cell(d, "gaps", {"SE-AC"}, "commitment_costs_per_weighted_listed_region_run"), "0.00");
    EXPECT_EQ(cell(d, "gaps", {"SE-AC"}, "carried_for_others"), "600.00");
    EXPECT_EQ(cell(d, "gaps", {"SE-AC"}, "carried_for_others_per_weighted_listed_region_run"), "2.40");
    EXPECT_EQ(summary_value(d, "regions_compared"), "2");
    EXPECT_EQ(summary_value(d, "regions_with_gap"), "2");
    EXPECT_EQ(summary_value(d, "neutrality_gap_largest_region"), "SE-AC");  // |-189.60| > 102.00
    EXPECT_EQ(summary_value(d, "neutrality_gap_largest"), "-189.60");
    EXPECT_EQ(d.decision_refs, (std::vector<std::string>{"RS/1/2023", "RS/2/2023"}));
}

TEST_F(Overview, EachRegionOfTheComparisonIsItsOwnStatementsAtItsOwnPosition) {
    // SE-Z as of seq 9 (the listings, no payments yet), SE-AC at its head.
    const Document d = comparison_of({"SE-Z", "SE-AC"}, {{"SE-Z", 9}});
    EXPECT_EQ(provenance_value(d, "regions"), "SE-Z, SE-AC");  // in the order asked
    EXPECT_EQ(cell(d, "regions", {"SE-Z"}, "as_of_seq"), "9");
    EXPECT_EQ(cell(d, "regions", {"SE-Z"}, "neutrality_content_hash"),
              statement("neutrality", "SE-Z", "primary_care", 9).content_hash);
    EXPECT_EQ(cell(d, "regions", {"SE-Z"}, "commitments_content_hash"),
              statement("commitments", "SE-Z", "primary_care", 9).content_hash);
    EXPECT_EQ(cell(d, "regions", {"SE-AC"}, "neutrality_content_hash"),
              statement("neutrality", "SE-AC", "primary_care").content_hash);
    EXPECT_EQ(cell(d, "sides", {"SE-Z", "region_run"}, "net_per_weighted_listed"), "0.00");
    EXPECT_EQ(cell(d, "gaps", {"SE-Z"}, "neutrality_gap"), "0.00");
    // From the projections at the head: the same bytes as the ledger's postings.
    const std::string from_ledger = render_json(comparison_of());
    expect_projected_bytes(from_ledger, [&] {
        ComparisonQuery query;
        query.scheme = "primary_care";
        query.year = "2023";
        return make_comparison(*store, query, generator);
    });
}

// More regions than the comparison's connections: each read on its own connection, each
// still its own statements at its own head, in code order (or the order asked), and the
// error of the first region asked that the ledger does not have.
TEST_F(Overview, ManyRegionsReadSideBySideAreEachItsOwnStatementsInTheOrderAsked) {
    const std::vector<std::string> copies{"SE-F", "SE-AB", "SE-E", "SE-BD", "SE-D", "SE-C"};
    for (const auto& region : copies) {
        std::vector<std::string> lines;
        for (std::string line : se_ac()) {
            for (auto at = line.find("\"SE-AC\""); at != std::string::npos; at = line.find("\"SE-AC\"", at))
                line.replace(at, 7, "\"" + region + "\"");
            lines.push_back(line);
        }
        ASSERT_EQ(append_lines(lines), lines.size()) << region;
    }
    const Document d = comparison_of();
    EXPECT_EQ(provenance_value(d, "regions"), "SE-AB, SE-AC, SE-BD, SE-C, SE-D, SE-E, SE-F, SE-Z");
    for (const std::string region : {"SE-AB", "SE-AC", "SE-BD", "SE-C", "SE-D", "SE-E", "SE-F", "SE-Z"}) {
        EXPECT_EQ(cell(d, "regions", {region}, "neutrality_content_hash"),
                  statement("neutrality", region, "primary_care").content_hash)
            << region;
        EXPECT_EQ(cell(d, "regions", {region}, "commitments_content_hash"),
                  statement("commitments", region, "primary_care").content_hash)
            << region;
        EXPECT_EQ(cell(d, "gaps", {region}, "neutrality_gap"), region == "SE-Z" ? "102.00" : "-189.60") << region;
    }
    const std::string from_ledger = render_json(d);
    expect_projected_bytes(from_ledger, [&] {
        ComparisonQuery query;
        query.scheme = "primary_care";
        query.year = "2023";
        return make_comparison(*store, query, generator);
    });
    const Document asked = comparison_of({"SE-F", "SE-Z", "SE-AB"});
    EXPECT_EQ(provenance_value(asked, "regions"), "SE-F, SE-Z, SE-AB");
    for (int round = 0; round < 5; ++round) {
        try {
            comparison_of({"SE-Z", "SE-AB", "SE-X", "SE-C", "SE-D", "SE-Y"});
            ADD_FAILURE() << "regions without events";
        } catch (const LedgerScopeError& error) {
            EXPECT_NE(std::string(error.what()).find("no events for region SE-X"), std::string::npos) << error.what();
        }
    }
}

TEST_F(Overview, WhatTheLedgerDoesNotHaveIsAnErrorNamingWhatItHas) {
    try {
        summary_of("SE-O");
        ADD_FAILURE() << "a region without events";
    } catch (const LedgerScopeError& error) {
        EXPECT_NE(std::string(error.what()).find("its regions: SE-AC, SE-M, SE-Z"), std::string::npos) << error.what();
    }
    SummaryQuery later;
    later.region = "SE-Z";
    later.year = "2024";
    try {
        make_region_summary(*store, later, generator);
        ADD_FAILURE() << "a year without events";
    } catch (const LedgerScopeError& error) {
        EXPECT_NE(std::string(error.what()).find("no events for region SE-Z in 2024"), std::string::npos)
            << error.what();
        EXPECT_NE(std::string(error.what()).find("foot_care (2023-01..2023-01), primary_care (2023-01..2023-01)"),
                  std::string::npos)
            << error.what();
    }
    try {
        comparison_of({"SE-Z", "SE-M"});
        ADD_FAILURE() << "a region without the scheme";
    } catch (const LedgerScopeError& error) {
        EXPECT_NE(std::string(error.what()).find("the schemes of SE-M: foot_care"), std::string::npos) << error.what();
    }
    try {
        comparison_of({"SE-Z", "SE-X"});
        ADD_FAILURE() << "an unknown region";
    } catch (const LedgerScopeError& error) {
        EXPECT_NE(std::string(error.what()).find("no events for region SE-X"), std::string::npos) << error.what();
    }
}

TEST_F(Overview, EveryKeyAndCodeHasASwedishAndAnEnglishLabel) {
    for (const Document& d : {summary_of("SE-Z"), comparison_of()}) {
        const auto expect = [](const std::string& key) {
            EXPECT_TRUE(label_of(key, Language::sv).has_value()) << "no Swedish label for " << key;
            EXPECT_TRUE(label_of(key, Language::en).has_value()) << "no English label for " << key;
        };
        expect("statement." + d.statement);
        for (const Table& table : csv_tables(d)) {
            expect("table." + table.name);
            for (const auto& column : table.columns) expect(column);
            for (const auto& row : table.rows)
                for (std::size_t i = 0; i < table.columns.size(); ++i)
                    if (row[i] && !row[i]->empty() &&
                        (table.columns[i] == "figure" ||
                         (table.columns[i] == "side" || table.columns[i].find("favours") != std::string::npos ||
                          table.columns[i] == "neutrality_gap_not_computed")))
                        expect(table.columns[i] == "figure" ? *row[i] : "value." + *row[i]);
        }
    }
    EXPECT_EQ(label_of("statement.summary", Language::sv), "Regionsammanställning");
    EXPECT_EQ(label_of("statement.comparison", Language::sv), "Jämförelse mellan regioner");
    EXPECT_EQ(label_of("capitation_per_weighted_listed", Language::en), "Capitation per weighted listed and year");
    const std::string md = render_markdown(summary_of("SE-Z"), Language::sv);
    EXPECT_NE(md.find("# Regionsammanställning"), std::string::npos);
    EXPECT_NE(md.find("Egen regi får 102,00 kr mer"), std::string::npos) << md;
    EXPECT_NE(md.find("| Primärvård |"), std::string::npos) << md;
}

TEST_F(Overview, TheCliWritesTheLibrarysBytesInEveryFormat) {
    const RunResult json = run(cli("summary --region SE-Z --year 2023"));
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_EQ(json.out, render_json(summary_of("SE-Z")));
    const RunResult md = run(cli("comparison --scheme primary_care --year 2023 --format md --lang en"));
    ASSERT_EQ(md.exit_code, 0) << md.err;
    EXPECT_EQ(md.out, render_markdown(comparison_of(), Language::en));
    const RunResult pairs = run(cli("comparison --scheme primary_care --year 2023 --as-of SE-Z=12,SE-AC=6"));
    ASSERT_EQ(pairs.exit_code, 0) << pairs.err;
    EXPECT_EQ(pairs.out, render_json(comparison_of({}, {{"SE-AC", 6}, {"SE-Z", 12}})));
    const std::string dir = std::filesystem::temp_directory_path() / ("likvard-overview-" + std::to_string(getpid()));
    const RunResult csv = run(cli("comparison --scheme primary_care --year 2023 --format csv --out " + dir));
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    for (const std::string table : {"provenance", "regions", "sides", "gaps", "summary"})
        EXPECT_TRUE(std::filesystem::exists(dir + "/comparison-" + table + ".csv")) << table;
    EXPECT_EQ(read_file(dir + "/comparison-sides.csv"), render_csv(table_of(comparison_of(), "sides")));
    const RunResult xlsx = run(cli("summary --region SE-Z --year 2023 --format xlsx --out " + dir + "/s.xlsx"));
    EXPECT_EQ(xlsx.exit_code, 0) << xlsx.err;
    EXPECT_EQ(read_file(dir + "/s.xlsx"), render_xlsx(summary_of("SE-Z")));
    const RunResult html = run(cli("summary --region SE-Z --year 2023 --format html"));
    EXPECT_EQ(html.out, render_html(summary_of("SE-Z")));
    std::filesystem::remove_all(dir);
}

TEST_F(Overview, UsageErrorsNameTheOption) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"summary --year 2023", "--region is required"},
        {"summary --region SE-Z", "--year is required"},
        {"summary --region SE-Z --year 23", "--year '23' is not a year YYYY"},
        {"summary --region se-z --year 2023", "--region 'se-z' is not an ISO 3166-2 region code"},
        {"summary --region SE-Z --year 2023 --as-of 3 --as-of-time 2024-01-01T00:00:00Z", "--as-of and --as-of-time"},
        {"summary --region SE-Z --year 2023 --format docx", "--format 'docx' is not json"},
        {"summary --region SE-Z --year 2023 --lang en", "--lang applies to --format md"},
        {"comparison --year 2023", "--scheme is required"},
        {"comparison --scheme dentistry --year 2023", "--scheme 'dentistry' is not a scheme"},
        {"comparison --scheme primary_care --year 2023 --regions SE-Z,x", "--regions 'x' is not an ISO 3166-2"},
        {"comparison --scheme primary_care --year 2023 --regions SE-Z,,SE-AC", "--regions 'SE-Z,,SE-AC' has an empty"},
        {"comparison --scheme primary_care --year 2023 --regions SE-Z,SE-Z", "--regions names a region twice"},
        {"comparison --scheme primary_care --year 2023 --as-of 12", "--as-of SEQ applies to one region"},
        {"comparison --scheme primary_care --year 2023 --regions SE-Z --as-of SE-AC=3", "--as-of SE-AC is not one of"},
        {"comparison --scheme primary_care --year 2023 --as-of SE-Z=x", "--as-of 'SE-Z=x' is not a sequence number"},
        {"comparison --scheme primary_care --year 2023 --as-of-time yesterday", "--as-of-time 'yesterday' is not"},
        {"comparison --scheme primary_care --year 2023 --source fast", "--source 'fast' is not auto"},
    };
    for (const auto& [args, message] : cases) {
        const RunResult result = run(cli(args));
        EXPECT_EQ(result.exit_code, 2) << args << ": " << result.err;
        EXPECT_NE(result.err.find(message), std::string::npos) << args << ": " << result.err;
    }
    const RunResult unknown = run(cli("comparison --scheme primary_care --year 2023 --regions SE-Z,SE-M"));
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.err.find("the schemes of SE-M: foot_care"), std::string::npos) << unknown.err;
}
