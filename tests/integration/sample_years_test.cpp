// Three sample years of one region into one ledger on real PostgreSQL: every event is
// appended (the parties are registered once), the chain verifies, the closed years refuse a
// late event and the next year's statement is made from the same ledger.
#include "database.hpp"
#include "event_builder.hpp"

#include "projections/projections.hpp"
#include "sample/sample.hpp"

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
