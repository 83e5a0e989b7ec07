// Three sample years of one region into one ledger on real PostgreSQL: every event is
// appended (the parties are registered once), the chain verifies, the closed years refuse a
// late event and the next year's statement is made from the same ledger.
#include "database.hpp"
#include "event_builder.hpp"

#include "projections/projections.hpp"
#include "sample/sample.hpp"

#include <algorithm>
#include <map>

using namespace likvard;
using namespace likvard::test;

namespace {

constexpr std::size_t batch_events = 500;

class SampleYearsStore : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
    }

    AppendResult append_all(const std::vector<std::string>& lines) {
        AppendResult total;
        for (std::size_t at = 0; at < lines.size(); at += batch_events) {
            std::vector<Incoming> batch;
            for (std::size_t i = at; i < std::min(lines.size(), at + batch_events); ++i)
                batch.push_back({lines[i], Source{}});
            const AppendResult part = store->append(batch);
            total.appended += part.appended;
            total.duplicates += part.duplicates;
            total.rejected += part.rejected;
            for (const auto& item : part.items)
                if (item.outcome == Outcome::rejected && total.items.empty()) total.items.push_back(item);
        }
        return total;
    }

    std::unique_ptr<Store> store;
};

std::string first_rejection(const AppendResult& result) {
    if (result.items.empty() || !result.items.front().rejection) return "";
    return result.items.front().event_id + ": " + result.items.front().rejection->to_string();
}

}  // namespace

TEST_F(SampleYearsStore, ThreeYearsOfJamtlandAppendIntoOneLedgerAndVerify) {
    const auto lines = generate_sample_years({"SE-Z", 2022, 2024, 1});
    const AppendResult result = append_all(lines);
    EXPECT_EQ(result.rejected, 0u) << first_rejection(result);
    EXPECT_EQ(result.appended, lines.size());
    const auto verified = verify(url, std::string("SE-Z"));
    ASSERT_EQ(verified.size(), 1u);
    EXPECT_TRUE(verified.front().ok) << verified.front().problem;
    EXPECT_EQ(verified.front().head_seq, static_cast<std::int64_t>(lines.size()));
    // Loading the stream again appends nothing: every event is a harmless redelivery.
    const AppendResult again = append_all(lines);
    EXPECT_EQ(again.duplicates, lines.size());
    EXPECT_EQ(again.appended, 0u);
}

TEST_F(SampleYearsStore, TheClosedYearsRefuseALateEventAndTheLastYearHasItsStatement) {
    ASSERT_EQ(append_all(generate_sample_years({"SE-Z", 2022, 2024, 1})).rejected, 0u);
    boost::json::object data{{"provider_id", "hc-lugnvik"}, {"listed", 100}, {"weighted_listed", "94.0000"}};
    auto late = envelope(900'001, "listing.recorded", data, "2023-12");
    const AppendResult result = store->append({{line(late), Source{}}});
    ASSERT_EQ(result.rejected, 1u);
    EXPECT_EQ(result.items.front().rejection->reason, Reason::period_closed);
    StatementQuery query{"neutrality", "SE-Z",       "primary_care",         "2024-01",
                         "2024-12",    std::nullopt, StatementSource::ledger};
    const StatementResult statement = make_statement(*store, query, "test");
    EXPECT_FALSE(statement.document.tables.empty());
    EXPECT_NE(render_json(statement.document).find("2024-12"), std::string::npos);
}

namespace {

std::string summary_value(const Document& d, const std::string& key) {
    for (const auto& [name, value] : d.summary)
        if (name == key) return value;
    return "<none>";
}

// The cell of `column` in the first row of table `table` whose first cell is `first`.
std::string cell(const Document& d, const std::string& table, const std::string& first, const std::string& column) {
    for (const auto& t : d.tables) {
        if (t.name != table) continue;
        const auto at = std::find(t.columns.begin(), t.columns.end(), column);
        if (at == t.columns.end()) return "<no column>";
        for (const auto& row : t.rows)
            if (row.front() == first) return row[static_cast<std::size_t>(at - t.columns.begin())].value_or("");
    }
    return "<none>";
}

}  // namespace

TEST_F(SampleYearsStore, TheYearsHoldEverySchemeEachClosedThroughTheLastDecember) {
    ASSERT_EQ(append_all(generate_sample_years({"SE-Z", 2022, 2024, 1})).rejected, 0u);
    const auto rows = query(
        "SELECT scheme, count(*) FILTER (WHERE type = 'period.closed'), max(period) FILTER (WHERE type = "
        "'period.closed') FROM ledger.events WHERE region = 'SE-Z' GROUP BY scheme ORDER BY scheme");
    ASSERT_EQ(rows.size(), 4u);
    const char* schemes[] = {"dental_child_youth", "foot_care", "physiotherapy", "primary_care"};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i][0].as<std::string>(), schemes[i]);
        EXPECT_EQ(rows[i][1].as<std::int64_t>(), 36) << schemes[i];
        EXPECT_EQ(rows[i][2].as<std::string>(), "2024-12") << schemes[i];
    }
    // Parties are registered once: one party.registered per party of the region.
    EXPECT_EQ(
        count("SELECT count(*) FROM ledger.events WHERE type = 'party.registered'"),
        count("SELECT count(DISTINCT convert_from(canonical, 'UTF8')::jsonb #>> '{data,party_id}') FROM ledger.events "
              "WHERE type = 'party.registered'"));
}

// Both statements of every scheme of every sample region, from one ledger of the three
// regions' year 2022: they compute, foot care and LOF physiotherapy say why they have no
// gap, SE-E's physiotherapy has both sides, primary care's gap is the documented one.
TEST_F(SampleYearsStore, BothStatementsOfEverySchemeOfEveryRegionCompute) {
    for (const auto& region : sample_regions()) ASSERT_EQ(append_all(generate_sample({region, 2022, 1})).rejected, 0u);
    const std::map<std::string, std::vector<std::string>> schemes{
        {"SE-AC", {"primary_care", "dental_child_youth", "physiotherapy"}},
        {"SE-E", {"primary_care", "physiotherapy"}},
        {"SE-Z", {"primary_care", "dental_child_youth", "foot_care", "physiotherapy"}}};
    std::map<std::string, Document> made;
    for (const auto& [region, list] : schemes)
        for (const auto& scheme : list)
            for (const std::string which : {"neutrality", "commitments"}) {
                const StatementQuery q{
                    which, region, scheme, "2022-01", "2022-12", std::nullopt, StatementSource::ledger};
                const StatementResult result = make_statement(*store, q, "test");
                EXPECT_FALSE(result.document.tables.empty()) << region << " " << scheme << " " << which;
                made.emplace(region + " " + scheme + " " + which, result.document);
            }
    EXPECT_EQ(summary_value(made.at("SE-Z primary_care neutrality"), "neutrality_gap"), "-475.16");
    for (const auto* key :
         {"SE-Z foot_care neutrality", "SE-Z physiotherapy neutrality", "SE-AC physiotherapy neutrality"}) {
        EXPECT_EQ(summary_value(made.at(key), "neutrality_gap_not_computed"), "no_region_run_side") << key;
        EXPECT_EQ(summary_value(made.at(key), "neutrality_gap"), "<none>") << key;
    }
    const Document& physio = made.at("SE-E physiotherapy neutrality");
    EXPECT_NE(summary_value(physio, "net_per_weighted_listed_region_run"), "");
    EXPECT_NE(summary_value(physio, "net_per_weighted_listed_private"), "");
    EXPECT_NE(summary_value(physio, "neutrality_gap"), "<none>");
    // Capitation 120 SEK per listed on both sides: 250,000 and 220,000 listed.
    EXPECT_EQ(cell(physio, "rows", "subtotal", "capitation"), "30000000.00");
    EXPECT_EQ(cell(physio, "rows", "total", "capitation"), "56400000.00");
    // The public dental service's special assignments in SE-AC: 14.18 MSEK cost, 14.0 paid.
    const Document& dental = made.at("SE-AC dental_child_youth commitments");
    EXPECT_EQ(cell(dental, "commitments", "other", "cost"), "14180000.00");
    EXPECT_EQ(cell(dental, "commitments", "other", "appropriated"), "14000000.00");
    EXPECT_EQ(cell(dental, "commitments", "other", "unfunded"), "180000.00");
    EXPECT_EQ(cell(made.at("SE-Z dental_child_youth neutrality"), "rows", "total", "capitation"), "59400000.00");
}
