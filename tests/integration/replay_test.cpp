// `likvard rejections replay`: events that arrived before their parties' registrations
// (a producer that did not key by region) come back through the one append path, in the
// order they were received, once; a dry run writes nothing.
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

std::vector<Incoming> from_kafka(const std::vector<std::string>& lines, std::int32_t partition) {
    std::vector<Incoming> batch;
    for (std::size_t i = 0; i < lines.size(); ++i)
        batch.push_back({lines[i], Source{Source::Kind::kafka, "likvard.events.primary_care", 0, partition,
                                          static_cast<std::int64_t>(100 + i)}});
    return batch;
}

class ReplayTest : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
        // partition 1 was read first: the payments and a reversal of one of them
        const AppendResult early =
            store->append(from_kafka({payment(10, "hc-lugnvik", "100.00"), payment(11, "hc-lugnvik", "200.00"),
                                      reversal(12, 10), payment(13, "hc-okand", "5.00"), "{not json"},
                                     1));
        ASSERT_EQ(early.rejected, 5u);
        // partition 0 then: the registrations
        const AppendResult parties =
            store->append(from_kafka({party(1, "halsoval-bestallare", "organisation", "purchaser"),
                                      party(2, "hc-lugnvik", "provider", "region_run", "health_centre")},
                                     0));
        ASSERT_EQ(parties.appended, 2u);
    }

    std::vector<ReplayedRejection> replay(ReplayFilter filter = {}) {
        std::vector<ReplayedRejection> seen;
        store->replay_rejections(filter, [&](const ReplayedRejection& r) { seen.push_back(r); });
        return seen;
    }

    std::unique_ptr<Store> store;
};

}  // namespace

TEST_F(ReplayTest, RejectedEventsComeBackInTheirOrderOnceTheirPartiesAreThere) {
    const auto seen = replay();
    ASSERT_EQ(seen.size(), 5u);
    EXPECT_EQ(seen[0].result.outcome, Outcome::appended);
    EXPECT_EQ(seen[0].result.seq, 3);  // after the two registrations, in the order received
    EXPECT_EQ(seen[1].result.seq, 4);
    EXPECT_EQ(seen[2].result.outcome, Outcome::appended);  // the reversal follows its event
    EXPECT_EQ(seen[2].result.seq, 5);
    EXPECT_EQ(seen[3].result.outcome, Outcome::rejected);  // hc-okand is still unknown
    EXPECT_EQ(seen[3].result.rejection->reason, Reason::unknown_party);
    EXPECT_EQ(seen[4].result.rejection->reason, Reason::malformed_json);  // every reason when none is named
    EXPECT_EQ(seen[0].original_reason, "unknown_party");

    // the replayed events keep the Kafka coordinates they first came with
    EXPECT_EQ(query("SELECT kafka_partition, kafka_offset FROM ledger.events WHERE seq = 3")[0][1].as<int>(), 100);
    // recorded, append-only, with the new rejection kept beside the old one
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejection_replays"), 5);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejection_replays WHERE outcome = 'appended'"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejection_replays WHERE outcome = 'rejected_again' "
                    "AND reason = 'unknown_party'"),
              1);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 7);
    EXPECT_THROW(query("UPDATE ledger.rejection_replays SET outcome = 'appended'"), pqxx::sql_error);

    // a second replay skips what was replayed and takes up only what was kept again
    const auto again = replay();
    ASSERT_EQ(again.size(), 2u);
    EXPECT_GT(again[0].rejection_id, seen[4].rejection_id);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 5);
}

TEST_F(ReplayTest, ADryRunSaysWhatWouldHappenAndWritesNothing) {
    ReplayFilter filter;
    filter.dry_run = true;
    const auto predicted = replay(filter);
    ASSERT_EQ(predicted.size(), 5u);
    EXPECT_EQ(predicted[0].result.outcome, Outcome::appended);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 5);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejection_replays"), 0);
    // and the store's view of the region was not left holding what was rolled back
    const auto real = replay();
    EXPECT_EQ(real[0].result.seq, 3);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 5);
}

TEST_F(ReplayTest, FiltersByRegionReasonAndTime) {
    ReplayFilter filter;
    filter.reasons = {Reason::malformed_json};
    EXPECT_EQ(replay(filter).size(), 1u);
    filter.reasons = {};
    filter.region = "SE-AC";
    EXPECT_EQ(replay(filter).size(), 0u);
    filter.region = std::nullopt;
    filter.since = "2999-01-01";
    EXPECT_EQ(replay(filter).size(), 0u);
    filter.region = "SE-Z";
    filter.since = "2000-01-01T00:00:00Z";
    EXPECT_EQ(replay(filter).size(), 4u);  // the malformed line names no region
}

TEST_F(ReplayTest, TheCliReportsEachRejectionAndExitsOneWhenSomeIsRejectedAgain) {
    const std::string cli = std::string(LIKVARD_BIN) + " rejections replay --database-url " + shell_quote(url);
    const auto dry = run(cli + " --dry-run");
    EXPECT_EQ(dry.exit_code, 1) << dry.err;
    EXPECT_NE(dry.out.find(uuid(10) + ": appended as SE-Z seq 3"), std::string::npos) << dry.out;
    // the default leaves out what the bytes alone decide (the malformed line)
    EXPECT_NE(dry.out.find("replayed 4: appended 3, duplicates 0, rejected again 1 (dry run: nothing was written)"),
              std::string::npos)
        << dry.out;
    const auto only_known = run(cli + " --reason unknown_party,reversal_invalid --since 2000-01-01");
    EXPECT_EQ(only_known.exit_code, 1);
    EXPECT_NE(only_known.out.find(uuid(13) + ": rejected again: unknown_party: /data/provider_id"), std::string::npos)
        << only_known.out;
    const auto nothing_left = run(cli + " --reason unknown_party,reversal_invalid");
    EXPECT_EQ(nothing_left.exit_code, 1);  // the payment to hc-okand, kept again, is tried again
    EXPECT_NE(nothing_left.out.find("replayed 1: appended 0"), std::string::npos) << nothing_left.out;

    EXPECT_EQ(run(cli + " --reason not_a_reason").exit_code, 2);
    EXPECT_EQ(run(cli + " --since yesterday").exit_code, 2);
    EXPECT_EQ(run(cli + " --region se-z").exit_code, 2);
    EXPECT_EQ(run(std::string(LIKVARD_BIN) + " rejections --database-url " + shell_quote(url)).exit_code, 2);
}
