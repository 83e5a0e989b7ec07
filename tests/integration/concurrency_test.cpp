// One writer per region: concurrent writers never fork the chain or leave a seq gap, a
// second writer waits for the first, and a writer killed mid-batch leaves nothing partial.
#include <csignal>
#include <fstream>
#include <random>
#include <thread>

#include "database.hpp"
#include "event_builder.hpp"
#include "test_seed.hpp"
#include "run.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

class Concurrency : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        ASSERT_EQ(append_lines(cast()), cast().size());
    }

    // A file of `count` valid payments with ids from `first_id`.
    std::string payments_file(int first_id, int count) {
        const std::string path = ::testing::TempDir() + "likvard-payments-" + std::to_string(getpid()) + "-" +
                                 std::to_string(first_id) + ".ndjson";
        std::ofstream out(path);
        for (int i = 0; i < count; ++i)
            out << payment(first_id + i, i % 2 ? "hc-lugnvik" : "hc-medinord", "10.00") << '\n';
        return path;
    }

    void expect_gap_free_chain(std::int64_t events) {
        EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE region = 'SE-Z'"), events);
        EXPECT_EQ(count("SELECT max(seq) FROM ledger.events WHERE region = 'SE-Z'"), events);
        EXPECT_EQ(count("SELECT count(DISTINCT prev_hash) FROM ledger.events WHERE region = 'SE-Z'"), events);
        const auto reports = verify(reader_url, std::string("SE-Z"));
        EXPECT_TRUE(reports[0].ok) << reports[0].problem << " at " << reports[0].bad_seq;
    }
};

}  // namespace

TEST_F(Concurrency, TwoWritersOnOneRegionKeepOneGapFreeChain) {
    constexpr int batches = 20;
    constexpr int batch_events = 50;
    auto writer = [&](int first_id) {
        Store store(url);
        for (int b = 0; b < batches; ++b) {
            std::vector<Incoming> batch;
            for (int i = 0; i < batch_events; ++i)
                batch.push_back({payment(first_id + b * batch_events + i, "hc-lugnvik", "1.00"), Source{}});
            store.append(batch);
        }
    };
    std::thread a(writer, 100'000);
    std::thread b(writer, 200'000);
    a.join();
    b.join();
    const std::int64_t expected = static_cast<std::int64_t>(cast().size()) + 2 * batches * batch_events;
    EXPECT_EQ(count("SELECT count(DISTINCT hash) FROM ledger.events"), expected);  // no fork: one hash a seq
    expect_gap_free_chain(expected);
}

TEST_F(Concurrency, ASecondWriterWaitsForTheRegionLock) {
    const std::string file = payments_file(1000, 10);
    pqxx::connection holder(url);
    pqxx::work lock(holder);
    lock.exec("SELECT pg_advisory_xact_lock(hashtextextended('likvard.region:SE-Z', 0))");
    const std::string done = file + ".done";
    std::thread writer([&] {
        run(std::string(LIKVARD_BIN) + " append --database-url " + shell_quote(url) + " " + file + " && touch " + done);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_FALSE(std::ifstream(done).good()) << "the writer did not wait for the lock";
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), static_cast<std::int64_t>(cast().size()));
    lock.commit();  // the first writer finishes
    writer.join();
    EXPECT_TRUE(std::ifstream(done).good());
    expect_gap_free_chain(static_cast<std::int64_t>(cast().size()) + 10);
}

TEST_F(Concurrency, AWriterKilledMidBatchLeavesWholeBatchesOnly) {
    constexpr int events = 24'000;
    constexpr int batch_events = 3'000;
    const std::string file = payments_file(10'000, events);
    const std::uint64_t seed = test_seed(20'261'201);
    SCOPED_TRACE(replay_hint(seed));
    std::mt19937 random(static_cast<std::uint32_t>(seed));
    for (int attempt = 0; attempt < 3; ++attempt) {
        const pid_t child = fork();
        if (child == 0) {
            execl(LIKVARD_BIN, "likvard", "append", "--batch", std::to_string(batch_events).c_str(), "--database-url",
                  url.c_str(), file.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200 + random() % 1500));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        const std::int64_t appended =
            count("SELECT count(*) FROM ledger.events") - static_cast<std::int64_t>(cast().size());
        EXPECT_EQ(appended % batch_events, 0) << "seed " << seed << ": a partial batch of " << appended % batch_events;
        EXPECT_EQ(count("SELECT count(*) FROM ledger.postings"), 2 * appended) << "seed " << seed;
    }
    // Restarting the same file completes it exactly once.
    const auto rerun = run(std::string(LIKVARD_BIN) + " append --database-url " + shell_quote(url) + " " + file);
    EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
    expect_gap_free_chain(static_cast<std::int64_t>(cast().size()) + events);
}
