// Kafka ingestion on real PostgreSQL and the embedded broker: every event appended once,
// redelivery appends nothing twice, every rejection reaches ledger.rejections and the
// dead-letter topic with its original bytes, a killed ingester resumes from the offsets
// in the ledger, broker faults lose nothing, an out-of-range offset is never skipped.
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "database.hpp"
#include "event_builder.hpp"
#include "ingest.hpp"
#include "run.hpp"

using namespace likvard;
using namespace likvard::test;
namespace ingest = likvard::ingest;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int wait_s_max = 240;
const std::vector<std::string> regions{"SE-Z", "SE-AC", "SE-AB", "SE-M"};

std::string in_region(std::string line, const std::string& region) {
    const std::string from = "\"region\":\"SE-Z\"";
    const auto at = line.find(from);
    if (at != std::string::npos) line.replace(at, from.size(), "\"region\":\"" + region + "\"");
    return line;
}

// The cast of every region, then `per_region` payments in each, interleaved.
std::vector<std::string> events(int per_region, int first_id = 10'000) {  // above the cast's ids
    std::vector<std::string> lines;
    for (const auto& region : regions)
        for (const auto& line : cast()) lines.push_back(in_region(line, region));
    for (int i = 0; i < per_region; ++i)
        for (const auto& region : regions)
            lines.push_back(in_region(payment(first_id + i, i % 2 ? "hc-lugnvik" : "hc-medinord", "10.00"), region));
    return lines;
}

void publish(const std::string& brokers, const std::vector<std::string>& lines, bool send_invalid = false) {
    std::vector<ingest::PublishLine> input;
    for (std::size_t i = 0; i < lines.size(); ++i) input.push_back({lines[i], "test:" + std::to_string(i + 1)});
    std::ostringstream problems;
    const auto report = ingest::publish({brokers, ingest::topics_default, send_invalid}, input, problems);
    ASSERT_EQ(report.failed, 0u) << problems.str();
    ASSERT_EQ(report.delivered, report.sent);
}

// The ingestion loop on a thread of the test, stopped like SIGTERM stops the executable.
class Ingester {
public:
    Ingester(const std::string& brokers, const std::string& url, const std::string& group = "likvard-ingest") {
        config_.brokers = brokers;
        config_.database_url = url;
        config_.group = group;
        config_.progress_interval_ms = 1'000;
        thread_ = std::thread([this] {
            try {
                totals_ = ingest::run(config_, stop_);
            } catch (...) {
                error_ = std::current_exception();
            }
            finished_ = true;
        });
    }
    ~Ingester() {
        if (thread_.joinable()) stop();
    }
    ingest::IngestTotals stop() {
        stop_ = true;
        thread_.join();
        if (error_) std::rethrow_exception(error_);
        return totals_;
    }
    bool finished() const { return finished_; }
    std::exception_ptr error() const { return error_; }

private:
    ingest::IngestConfig config_;
    ingest::StopFlag stop_{false};
    std::atomic<bool> finished_{false};
    ingest::IngestTotals totals_;
    std::exception_ptr error_;
    std::thread thread_;
};

struct Letter {
    std::string bytes;
    std::map<std::string, std::string> headers;
};

// Reads `expected` messages of the dead-letter topic from its beginning.
std::vector<Letter> read_dead_letters(const std::string& brokers, std::size_t expected) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), error, sizeof error);
    rd_kafka_conf_set(conf, "group.id", "test-dead-letter-reader", error, sizeof error);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", error, sizeof error);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, ingest::dead_letter_default.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    std::vector<Letter> letters;
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (letters.size() < expected && Clock::now() < deadline) {
        rd_kafka_message_t* message = rd_kafka_consumer_poll(rk, 200);
        if (message == nullptr) continue;
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            Letter letter{std::string(static_cast<const char*>(message->payload), message->len), {}};
            rd_kafka_headers_t* headers = nullptr;
            if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                const char* name = nullptr;
                const void* value = nullptr;
                std::size_t size = 0;
                for (std::size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                                        RD_KAFKA_RESP_ERR_NO_ERROR;
                     ++i)
                    letter.headers[name] = std::string(static_cast<const char*>(value), size);
            }
            letters.push_back(std::move(letter));
        }
        rd_kafka_message_destroy(message);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return letters;
}

class Ingest : public DatabaseTest {
protected:
    std::int64_t events_in_ledger() { return count("SELECT count(*) FROM ledger.events"); }

    // Waits until `condition` holds; fails the test after wait_s_max.
    template <typename Condition>
    void wait_for(Condition condition, const std::string& what) {
        const auto deadline = Clock::now() + std::chrono::seconds(wait_s_max);
        while (!condition()) {
            ASSERT_LT(Clock::now(), deadline) << "timed out waiting for " << what;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    void wait_for_events(std::int64_t expected) {
        wait_for([&] { return events_in_ledger() >= expected; }, std::to_string(expected) + " events");
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing more may arrive
        EXPECT_EQ(events_in_ledger(), expected);
    }
    void expect_verified() {
        const auto reports = verify(url, std::nullopt);
        EXPECT_EQ(reports.size(), regions.size());
        for (const auto& report : reports) EXPECT_TRUE(report.ok) << report.region << ": " << report.problem;
    }
    // Every stored next offset is the end of its partition: all read, nothing skipped.
    std::int64_t stored_offsets_total(const std::string& group = "likvard-ingest") {
        return count("SELECT coalesce(sum(offset_next), 0) FROM ledger.consumer_offsets WHERE consumer_group = '" +
                     group + "'");
    }
};

std::int64_t expected_events(int per_region) {
    return static_cast<std::int64_t>(regions.size() * (cast().size() + per_region));
}

}  // namespace

TEST_F(Ingest, EveryPublishedEventIsAppendedOnceAndVerifies) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    Ingester ingester(broker.bootstraps(), url);
    const auto lines = events(5'000);  // 20,056 events, published in two halves
    const std::vector<std::string> first(lines.begin(), lines.begin() + lines.size() / 2);
    const std::vector<std::string> second(lines.begin() + lines.size() / 2, lines.end());
    publish(broker.bootstraps(), first);
    wait_for_events(static_cast<std::int64_t>(first.size()));
    publish(broker.bootstraps(), second);
    wait_for_events(expected_events(5'000));
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.appended, lines.size());
    EXPECT_EQ(totals.duplicates, 0u);
    EXPECT_EQ(totals.rejected, 0u);
    EXPECT_EQ(stored_offsets_total(), static_cast<std::int64_t>(lines.size()));
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE kafka_topic = 'likvard.events'"),
              static_cast<std::int64_t>(lines.size()));
    expect_verified();
}

TEST_F(Ingest, RedeliveryFromOffsetZeroAppendsNothingTwice) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    const auto lines = events(500);
    publish(broker.bootstraps(), lines);
    {
        Ingester ingester(broker.bootstraps(), url);
        wait_for_events(expected_events(500));
        ingester.stop();
    }
    query("UPDATE ledger.consumer_offsets SET offset_next = 0");
    Ingester again(broker.bootstraps(), url);
    wait_for([&] { return stored_offsets_total() == static_cast<std::int64_t>(lines.size()); }, "offsets back at the end");
    const auto totals = again.stop();
    EXPECT_EQ(totals.appended, 0u);
    EXPECT_EQ(totals.duplicates, lines.size());
    EXPECT_EQ(events_in_ledger(), expected_events(500));
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
    expect_verified();
}

TEST_F(Ingest, EveryRejectionReachesTheLedgerAndTheDeadLetterTopicWithItsBytes) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    Ingester ingester(broker.bootstraps(), url);
    // Each bad file in a region of its own (same-length names keep too_large's sizes exact).
    std::vector<std::string> lines;
    std::size_t expected_rejections = 0;
    std::set<std::string> reasons;
    const std::vector<std::string> file_regions{"SE-A", "SE-B", "SE-C", "SE-D", "SE-E", "SE-F",
                                                "SE-G", "SE-H", "SE-I", "SE-K", "SE-N", "SE-O"};
    std::size_t file = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(LIKVARD_TEST_DATA) + "/check/bad")) {
        if (entry.path().extension() != ".ndjson") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) lines.push_back(in_region(line, file_regions.at(file)));
        std::ifstream expected(entry.path().string().substr(0, entry.path().string().size() - 7) + ".expected");
        for (std::string line; std::getline(expected, line);) expected_rejections += !line.empty();
        reasons.insert(entry.path().stem().string());
        ++file;
    }
    // Malformed bytes: truncated JSON, invalid UTF-8, NUL bytes, not an object, 900 KB.
    const std::vector<std::string> malformed{
        R"({"event_id":"00000000-0000-4000-8000-000000000001","type":"payment.ma)",
        std::string("{\"event_id\":\"\xff\xfe\",\"type\":\"payment.made\"}"),
        std::string("{\"event_id\":\"a\0b\"}", 18),
        std::string(64, '\0'),
        "[1,2,3]",
        std::string(900 * 1024, 'x'),
    };
    lines.insert(lines.end(), malformed.begin(), malformed.end());
    expected_rejections += malformed.size();
    publish(broker.bootstraps(), lines, true);

    wait_for([&] { return stored_offsets_total() == static_cast<std::int64_t>(lines.size()); }, "every message");
    EXPECT_FALSE(ingester.finished()) << "the ingester must stay up";
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.rejected, expected_rejections);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), static_cast<std::int64_t>(expected_rejections));
    EXPECT_EQ(count("SELECT count(DISTINCT reason) FROM ledger.rejections"), static_cast<std::int64_t>(reasons.size()));

    // The dead-letter topic holds the same (bytes, reason, source) as ledger.rejections.
    std::multiset<std::string> in_ledger;
    for (const auto& row : query("SELECT encode(raw, 'hex'), reason, kafka_partition, kafka_offset FROM "
                                 "ledger.rejections"))
        in_ledger.insert(row[0].as<std::string>() + " " + row[1].as<std::string>() + " " +
                         row[2].as<std::string>() + " " + row[3].as<std::string>());
    std::multiset<std::string> in_topic;
    for (const auto& letter : read_dead_letters(broker.bootstraps(), expected_rejections)) {
        EXPECT_EQ(letter.headers.count("likvard-message"), 1u);
        EXPECT_EQ(letter.headers.at("likvard-source-topic"), ingest::topics_default);
        in_topic.insert(to_hex(reinterpret_cast<const unsigned char*>(letter.bytes.data()), letter.bytes.size()) +
                        " " + letter.headers.at("likvard-reason") + " " +
                        letter.headers.at("likvard-source-partition") + " " +
                        letter.headers.at("likvard-source-offset"));
    }
    EXPECT_EQ(in_topic, in_ledger);
}

TEST_F(Ingest, AStoredOffsetOutOfKafkasRangeStopsTheIngesterLoudly) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 1);
    publish(broker.bootstraps(), events(10));
    query("INSERT INTO ledger.consumer_offsets (consumer_group, topic, partition, offset_next) "
          "VALUES ('likvard-ingest', 'likvard.events', 0, 1000000)");
    Ingester ingester(broker.bootstraps(), url);
    wait_for([&] { return ingester.finished(); }, "the ingester to stop");
    EXPECT_THROW(ingester.stop(), ingest::OffsetOutOfRange);
    EXPECT_EQ(events_in_ledger(), 0);
}

TEST_F(Ingest, FetchErrorsFromTheBrokerLoseAndDuplicateNothing) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    Ingester ingester(broker.bootstraps(), url);
    const auto lines = events(1'500);
    publish(broker.bootstraps(), std::vector<std::string>(lines.begin(), lines.begin() + 2'000));
    broker.fail_fetches(10);
    publish(broker.bootstraps(), std::vector<std::string>(lines.begin() + 2'000, lines.end()));
    wait_for_events(expected_events(1'500));
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.appended, lines.size());
    EXPECT_EQ(totals.duplicates, 0u);
    EXPECT_EQ(stored_offsets_total(), static_cast<std::int64_t>(lines.size()));
    expect_verified();
}

// The executable as a process, SIGKILLed at seeded random moments and restarted; the
// embedded broker lives in the test process. The last run ends with SIGTERM (exit 0).
TEST_F(Ingest, AnIngesterKilledAtRandomMomentsLeavesEveryEventExactlyOnce) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    const auto lines = events(3'000);
    const unsigned seed = static_cast<unsigned>(std::random_device{}());
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    const std::string log = ::testing::TempDir() + "likvard-ingest-" + std::to_string(getpid()) + ".log";
    auto start = [&] {
        const pid_t child = fork();
        if (child == 0) {
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            dup2(fd, STDERR_FILENO);
            dup2(fd, STDOUT_FILENO);
            execl(LIKVARD_INGEST_BIN, "likvard-ingest", "run", "--brokers", broker.bootstraps().c_str(),
                  "--database-url", url.c_str(), "--group", "killed", static_cast<char*>(nullptr));
            _exit(127);
        }
        return child;
    };
    // Each round publishes a quarter, waits until the child appends some of it, then kills
    // it a random moment later (often mid-batch, sometimes between batches).
    constexpr int kills = 3;
    const std::size_t chunk = lines.size() / (kills + 1);
    for (int round = 0; round < kills; ++round) {
        publish(broker.bootstraps(), std::vector<std::string>(lines.begin() + round * chunk,
                                                              lines.begin() + (round + 1) * chunk));
        const std::int64_t before = events_in_ledger();
        const pid_t child = start();
        wait_for([&] { return events_in_ledger() > before; }, "the child to append");
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 300)(random)));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
    }
    publish(broker.bootstraps(), std::vector<std::string>(lines.begin() + kills * chunk, lines.end()));
    const pid_t last = start();
    wait_for([&] { return stored_offsets_total("killed") == static_cast<std::int64_t>(lines.size()); },
             "every offset stored");
    kill(last, SIGTERM);
    int status = 0;
    waitpid(last, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(log);
    EXPECT_EQ(events_in_ledger(), expected_events(3'000));
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
    expect_verified();
}

// A second ingester joins the group mid-run, both share the partitions for a while, then
// the first leaves (two rebalances; unwritten messages of revoked partitions are dropped
// and read again from the stored offsets by the new owner): every event once, every
// chain verifies. The mock coordinator takes about one session timeout per rebalance.
TEST_F(Ingest, TwoIngestersInOneGroupShareThePartitionsAcrossRebalances) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    const auto lines = events(2'000);
    const std::size_t third = lines.size() / 3;
    auto first = std::make_unique<Ingester>(broker.bootstraps(), url);
    publish(broker.bootstraps(), std::vector<std::string>(lines.begin(), lines.begin() + third));
    wait_for([&] { return events_in_ledger() > 0; }, "the first ingester to append");
    Ingester second(broker.bootstraps(), url);
    std::this_thread::sleep_for(std::chrono::seconds(12));  // the group rebalances onto both
    publish(broker.bootstraps(), std::vector<std::string>(lines.begin() + third, lines.begin() + 2 * third));
    wait_for_events(static_cast<std::int64_t>(2 * third));
    const auto first_totals = first->stop();
    first.reset();
    publish(broker.bootstraps(), std::vector<std::string>(lines.begin() + 2 * third, lines.end()));
    wait_for_events(expected_events(2'000));
    const auto second_totals = second.stop();
    EXPECT_EQ(first_totals.appended + second_totals.appended, lines.size());
    // Which member gets which partition (and which partitions hold which regions) varies;
    // both wrote, and nothing was written twice.
    EXPECT_GE(first_totals.appended, third);
    EXPECT_GE(second_totals.appended, lines.size() - 2 * third);
    EXPECT_EQ(first_totals.duplicates + second_totals.duplicates, 0u);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
    EXPECT_EQ(stored_offsets_total(), static_cast<std::int64_t>(lines.size()));
    expect_verified();
}

// PostgreSQL failing under the ingester (its connections killed, then its INSERT right
// taken away for a while) pauses consumption and retries the same batch: nothing lost,
// nothing twice. The shared server keeps running; only this test's database is touched.
TEST_F(Ingest, ADatabaseThatFailsForAWhileIsRetriedWithoutLossOrDuplicates) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    const auto lines = events(1'500);
    Ingester ingester(broker.bootstraps(), url);
    publish(broker.bootstraps(), std::vector<std::string>(lines.begin(), lines.begin() + 1'000));
    wait_for([&] { return events_in_ledger() > 0; }, "the ingester to append");
    query("REVOKE INSERT ON ledger.events FROM likvard_app");
    query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
          "pg_backend_pid()");
    publish(broker.bootstraps(), std::vector<std::string>(lines.begin() + 1'000, lines.end()));
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const std::int64_t during = events_in_ledger();
    EXPECT_LT(during, static_cast<std::int64_t>(lines.size()));
    query("GRANT INSERT ON ledger.events TO likvard_app");
    wait_for_events(expected_events(1'500));
    const auto totals = ingester.stop();
    EXPECT_GT(totals.database_retries, 0u);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
    EXPECT_EQ(stored_offsets_total(), static_cast<std::int64_t>(lines.size()));
    expect_verified();
}
