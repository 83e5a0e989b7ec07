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
#include <array>
#include <cstdlib>
#include <map>
#include <cstdio>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "database.hpp"
#include "dead_letter.hpp"
#include "embedded_broker.hpp"
#include "event_builder.hpp"
#include "ingest_loop.hpp"
#include "kafka.hpp"
#include "limits.hpp"
#include "publish.hpp"
#include "run.hpp"
#include "test_seed.hpp"

// The ingester decodes every event with valijson; under AddressSanitizer most of that time
// goes to the allocator's quarantine and malloc fill (page faults). A smaller quarantine
// keeps use-after-free detection for recent frees and makes the large runs here about a
// third faster. Children (likvard-ingest) get the same through ASAN_OPTIONS.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=32:max_malloc_fill_size=0"; }

using namespace likvard;
using namespace likvard::test;
namespace ingest = likvard::ingest;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int wait_s_max = 240;
constexpr std::size_t publish_chunk_lines = 8'000;  // < 5 MiB per partition even if regions share one
const std::vector<std::string> regions{"SE-Z", "SE-AC", "SE-AB", "SE-M"};

std::string in_region(std::string line, const std::string& region) {
    const std::string from = "\"region\":\"SE-Z\"";
    const auto at = line.find(from);
    if (at != std::string::npos) line.replace(at, from.size(), "\"region\":\"" + region + "\"");
    return line;
}

// A payment line for `id` made from a template line of `template_id` (building each line
// with Boost.JSON costs more than the ingester's work in the debug build).
std::string payment_like(const std::string& templ, int template_id, int id) {
    std::string line = templ;
    const std::string old_id = uuid(template_id);
    line.replace(line.find(old_id), old_id.size(), uuid(id));
    const std::string old_reference = "VER-" + std::to_string(template_id) + "\"";
    line.replace(line.find(old_reference), old_reference.size(), "VER-" + std::to_string(id) + "\"");
    return line;
}

// The cast of every region, then `per_region` payments in each, interleaved.
std::vector<std::string> events(int per_region, int first_id = 10'000) {  // above the cast's ids
    std::vector<std::string> lines;
    for (const auto& region : regions)
        for (const auto& line : cast()) lines.push_back(in_region(line, region));
    std::map<std::string, std::array<std::string, 2>> templates;
    for (const auto& region : regions)
        templates[region] = {in_region(payment(first_id, "hc-medinord", "10.00"), region),
                             in_region(payment(first_id, "hc-lugnvik", "10.00"), region)};
    for (int i = 0; i < per_region; ++i)
        for (const auto& region : regions)
            lines.push_back(payment_like(templates[region][i % 2], first_id, first_id + i));
    return lines;
}

// Ten million bytes and more: distinct payment events with random event ids (as a file of
// them, not one event) in a JSON array. A message set the embedded broker holds must stay
// under its 5 MiB a partition, or it is dropped as it is appended; lz4 stores this one in
// about 1.3 MB (the random ids do not compress). Seeded: the same bytes every run.
std::string ten_mb_message() {
    constexpr std::size_t ten_mb = 10'000'000;
    std::mt19937_64 random(20'261'125);
    const std::string templ = payment(10'000, "hc-medinord", "10.00");
    const std::string old_id = uuid(10'000);
    std::string message = "[";
    for (int id = 10'000; message.size() < ten_mb; ++id) {
        std::string event = payment_like(templ, 10'000, id);
        char random_id[40];
        std::snprintf(random_id, sizeof random_id, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(random()),
                      static_cast<unsigned>(random() & 0xffff), static_cast<unsigned>(random() & 0xfff),
                      static_cast<unsigned>(random() & 0xfff),
                      static_cast<unsigned long long>(random() & 0xffff'ffff'ffffULL));
        event.replace(event.find(uuid(id)), old_id.size(), random_id);
        message += (id == 10'000 ? "" : ",") + event;
    }
    return message + "]";
}

std::vector<std::string> slice(const std::vector<std::string>& lines, std::size_t from, std::size_t to) {
    return {lines.begin() + static_cast<std::ptrdiff_t>(std::min(from, lines.size())),
            lines.begin() + static_cast<std::ptrdiff_t>(std::min(to, lines.size()))};
}

// The region of a test line, by text (the key publish would give it).
std::string region_of(const std::string& line) {
    const std::string field = "\"region\":\"";
    const auto at = line.find(field);
    if (at == std::string::npos) return "";
    const auto start = at + field.size();
    return line.substr(start, line.find('"', start) - start);
}

// Produces lines as they are (keyed by region) with the idempotent producer and waits for
// every delivery report; no validation (publish() decodes each line, which the large runs
// here cannot afford in the debug build).
void publish_raw(const std::string& brokers, const std::vector<std::string>& lines) {
    namespace detail = ingest::detail;
    std::size_t failed = 0;
    rd_kafka_conf_t* conf = detail::make_conf(detail::idempotent_producer_options(brokers));
    rd_kafka_conf_set_opaque(conf, &failed);
    rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
        if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) ++*static_cast<std::size_t*>(opaque);
    });
    detail::Handle producer = detail::make_handle(RD_KAFKA_PRODUCER, conf);
    for (const auto& line : lines) {
        const std::string key = region_of(line);
        while (rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(ingest::topics_default.c_str()),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                 RD_KAFKA_V_VALUE(const_cast<char*>(line.data()), line.size()),
                                 RD_KAFKA_V_KEY(key.data(), key.size()),
                                 RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(producer.get(), 100);
        rd_kafka_poll(producer.get(), 0);
    }
    ASSERT_EQ(rd_kafka_flush(producer.get(), 120'000), RD_KAFKA_RESP_ERR_NO_ERROR);
    ASSERT_EQ(failed, 0u);
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
    Ingester(const std::string& brokers, const std::string& url, const std::string& group = "likvard-ingest",
             int dead_letter_retry_ms_max = ingest::dead_letter_retry_ms_max) {
        config_.brokers = brokers;
        config_.database_url = url;
        config_.group = group;
        config_.progress_interval_ms = 1'000;
        config_.dead_letter_retry_ms_max = dead_letter_retry_ms_max;
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
    // Room for the 10 MB letter whole, as the ingester fetches (its message_bytes_max).
    rd_kafka_conf_set(conf, "fetch.message.max.bytes", std::to_string(ingest::message_bytes_max + 1024 * 1024).c_str(),
                      error, sizeof error);
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
                for (std::size_t i = 0;
                     rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
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
        const auto reports = verify(reader_url, std::nullopt);
        EXPECT_EQ(reports.size(), regions.size());
        for (const auto& report : reports) EXPECT_TRUE(report.ok) << report.region << ": " << report.problem;
    }
    // Every stored next offset is the end of its partition: all read, nothing skipped.
    std::int64_t stored_offsets_total(const std::string& group = "likvard-ingest") {
        return count("SELECT coalesce(sum(offset_next), 0) FROM ledger.consumer_offsets WHERE consumer_group = '" +
                     group + "'");
    }
    // Publishes chunk by chunk, each once the ingester has committed all but the last chunk:
    // the embedded broker keeps only 5 MiB per partition, so large runs consume while producing.
    void publish_following(const std::string& brokers, const std::vector<std::string>& lines,
                           const std::string& group = "likvard-ingest") {
        for (std::size_t from = 0; from < lines.size(); from += publish_chunk_lines) {
            const auto committed_min =
                static_cast<std::int64_t>(from > publish_chunk_lines ? from - publish_chunk_lines : 0);
            wait_for([&] { return stored_offsets_total(group) >= committed_min; }, "the ingester to follow");
            publish_raw(brokers, slice(lines, from, from + publish_chunk_lines));
        }
    }
    // Each region's chain, recomputed by the auditor's script (Python and psql only): for the
    // large runs, where likvard::verify under AddressSanitizer would take minutes.
    void expect_chain_verified_by_script() {
        const auto result = run("python3 " + shell_quote(std::string(LIKVARD_SOURCE_DIR) + "/ops/verify-chain.py") +
                                " --url " + shell_quote(reader_url));
        EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
        for (const auto& region : regions)
            EXPECT_NE(result.out.find("region " + region + ": ok"), std::string::npos) << result.out;
    }
    // Every event once: per region, seq 1..n without gaps and n distinct event ids.
    void expect_each_event_once(std::int64_t expected) {
        EXPECT_EQ(events_in_ledger(), expected);
        EXPECT_EQ(count("SELECT count(DISTINCT (region, event_id)) FROM ledger.events"), expected);
        EXPECT_EQ(count("SELECT count(*) FROM (SELECT region FROM ledger.events GROUP BY region "
                        "HAVING max(seq) <> count(*) OR min(seq) <> 1) gaps"),
                  0);
    }
};

std::int64_t expected_events(int per_region) {
    return static_cast<std::int64_t>(regions.size() * (cast().size() + per_region));
}

}  // namespace

// 100,000 events through the embedded broker while the ingester runs: every one appended
// once, the counts agree, and likvard verify recomputes every chain and posting.
TEST_F(Ingest, EveryPublishedEventIsAppendedOnceAndVerifies) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    Ingester ingester(broker.bootstraps(), url);
    const auto lines = events(24'986);  // 100,000 events
    ASSERT_EQ(lines.size(), 100'000u);
    publish_following(broker.bootstraps(), lines);
    wait_for_events(expected_events(24'986));
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.appended, lines.size());
    EXPECT_EQ(totals.duplicates, 0u);
    EXPECT_EQ(totals.rejected, 0u);
    EXPECT_EQ(totals.publish_to_commit.count(), lines.size());
    EXPECT_EQ(stored_offsets_total(), static_cast<std::int64_t>(lines.size()));
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE kafka_topic = 'likvard.events'"),
              static_cast<std::int64_t>(lines.size()));
    expect_each_event_once(static_cast<std::int64_t>(lines.size()));
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
    query("DELETE FROM ledger.consumer_offsets");  // read again from the beginning (offsets never move back)
    Ingester again(broker.bootstraps(), url);
    wait_for([&] { return stored_offsets_total() == static_cast<std::int64_t>(lines.size()); },
             "offsets back at the end");
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
    // Malformed bytes: truncated JSON, invalid UTF-8, NUL bytes, not an object, 900 KB, 10 MB,
    // nesting 10,000 deep, and wrong types in every field of the envelope. The 10 MB message
    // is what a system sending a whole file as one message would send: a JSON array of
    // events. Producers compress with lz4, so the embedded broker stores it in about 1.3 MB,
    // under the 5 MiB it keeps of a partition (see ten_mb_message).
    const std::string ten_mb = ten_mb_message();
    const std::vector<std::string> malformed{
        R"({"event_id":"00000000-0000-4000-8000-000000000001","type":"payment.ma)",
        std::string("{\"event_id\":\"\xff\xfe\",\"type\":\"payment.made\"}"),
        std::string("{\"event_id\":\"a\0b\"}", 18),
        std::string(64, '\0'),
        "[1,2,3]",
        std::string(900 * 1024, 'x'),
        ten_mb,
        std::string(10'000, '[') + std::string(10'000, ']'),
        R"({"event_id":7,"type":["payment.made"],"schema_version":"1","region":{},"scheme":null,"period":202305,)"
        R"("occurred_on":true,"source":"raindance","data":[]})",
    };
    lines.insert(lines.end(), malformed.begin(), malformed.end());
    publish(broker.bootstraps(), lines, true);
    wait_for([&] { return stored_offsets_total() == static_cast<std::int64_t>(lines.size()); }, "every message");
    expected_rejections += malformed.size();
    EXPECT_FALSE(ingester.finished()) << "the ingester must stay up";
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections WHERE reason = 'too_large' AND length(raw) = " +
                    std::to_string(ten_mb.size())),
              1);
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.rejected, expected_rejections);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), static_cast<std::int64_t>(expected_rejections));
    EXPECT_EQ(count("SELECT count(DISTINCT reason) FROM ledger.rejections"), static_cast<std::int64_t>(reasons.size()));

    // The dead-letter topic holds the same (bytes, reason, source) as ledger.rejections.
    std::multiset<std::string> in_ledger;
    for (const auto& row : query("SELECT encode(raw, 'hex'), reason, kafka_partition, kafka_offset FROM "
                                 "ledger.rejections"))
        in_ledger.insert(row[0].as<std::string>() + " " + row[1].as<std::string>() + " " + row[2].as<std::string>() +
                         " " + row[3].as<std::string>());
    std::multiset<std::string> in_topic;
    for (const auto& letter : read_dead_letters(broker.bootstraps(), expected_rejections)) {
        EXPECT_EQ(letter.headers.count("likvard-message"), 1u);
        EXPECT_EQ(letter.headers.at("likvard-source-topic"), ingest::topics_default);
        in_topic.insert(to_hex(reinterpret_cast<const unsigned char*>(letter.bytes.data()), letter.bytes.size()) + " " +
                        letter.headers.at("likvard-reason") + " " + letter.headers.at("likvard-source-partition") +
                        " " + letter.headers.at("likvard-source-offset"));
    }
    EXPECT_EQ(in_topic, in_ledger);
}

// The largest message a producer may send: with the dead letter's five headers it no longer
// fits the dead-letter producer's message.max.bytes. Compressible, so that the embedded
// broker stores it in well under its 5 MiB a partition.
std::string largest_message() { return std::string(ingest::producer_message_bytes_max - 64, 'x'); }

// Dead letters refused for good: one too large for the dead-letter producer (refused
// before it is sent), one that the dead-letter topic's broker refuses as too large (a topic
// with a smaller max.message.bytes), one that it refuses as not authorised. The topics
// live on two brokers: the dead-letter topic on broker 2, whose Produce requests fail, the
// event topic on broker 1. Each letter is logged and counted, not retried, and ingestion
// goes on: the events published after it are appended; ledger.rejections holds the message.
enum class Refusal { too_large_to_send, too_large_for_the_topic, topic_not_authorised };

class DeadLetterRefused : public Ingest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(DeadLetterRefused, IsLoggedAndCountedAndIngestionGoesOn) {
    constexpr std::int32_t dead_letter_broker = 2;
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4, ingest::dead_letter_default, 2);
    for (std::int32_t partition = 0; partition < 4; ++partition)
        broker.set_leader(ingest::topics_default, partition, 1);
    broker.set_leader(ingest::dead_letter_default, 0, dead_letter_broker);
    const std::string bad =
        GetParam() == Refusal::too_large_to_send ? largest_message() : payment(20'000, "hc-nobody", "10.00");
    std::vector<std::string> first = cast();
    first.push_back(bad);
    publish_raw(broker.bootstraps(), first);
    if (GetParam() != Refusal::too_large_to_send)  // more than any retrying would use up
        broker.fail_produces(1'000,
                             GetParam() == Refusal::too_large_for_the_topic
                                 ? RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE
                                 : RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
                             dead_letter_broker);
    Ingester ingester(broker.bootstraps(), url);
    wait_for([&] { return count("SELECT count(*) FROM ledger.rejections") == 1; }, "the rejection");
    std::vector<std::string> after;
    for (int id = 20'001; id <= 20'010; ++id) after.push_back(payment(id, "hc-medinord", "10.00"));
    publish_raw(broker.bootstraps(), after);
    wait_for_events(static_cast<std::int64_t>(cast().size() + after.size()));
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.rejected, 1u);
    EXPECT_EQ(totals.dead_letter_failed, 1u);
    EXPECT_EQ(totals.dead_lettered, 0u);
    EXPECT_EQ(totals.dead_letter_retries, 0u);  // refused for good: not tried again
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections WHERE length(raw) = " + std::to_string(bad.size())), 1);
    EXPECT_EQ(stored_offsets_total(), static_cast<std::int64_t>(first.size() + after.size()));
}

INSTANTIATE_TEST_SUITE_P(Refusals, DeadLetterRefused,
                         ::testing::Values(Refusal::too_large_to_send, Refusal::too_large_for_the_topic,
                                           Refusal::topic_not_authorised),
                         [](const auto& info) {
                             switch (info.param) {
                                 case Refusal::too_large_to_send: return "TooLargeToSend";
                                 case Refusal::too_large_for_the_topic: return "TooLargeForTheTopic";
                                 case Refusal::topic_not_authorised: return "TopicNotAuthorised";
                             }
                             return "";
                         });

// The dead-letter topic has no leader (an election, its broker down) for longer than the
// bound: the letter is tried again for that long with the partitions paused, then counted
// as failed, and ingestion goes on. Once the topic has a leader again, letters are delivered.
TEST_F(Ingest, ADeadLetterFailingForAWhileIsTriedForItsBoundThenCountedAndIngestionGoesOn) {
    constexpr int bound_ms = 3'000;
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    std::vector<std::string> first = cast();
    first.push_back(payment(20'000, "hc-nobody", "10.00"));
    publish_raw(broker.bootstraps(), first);
    broker.set_topic_error(ingest::dead_letter_default, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE);
    Ingester ingester(broker.bootstraps(), url, "likvard-ingest", bound_ms);
    wait_for([&] { return count("SELECT count(*) FROM ledger.rejections") == 1; }, "the rejection");
    const auto rejected_at = Clock::now();
    publish_raw(broker.bootstraps(), {payment(20'001, "hc-medinord", "10.00")});
    wait_for([&] { return events_in_ledger() == static_cast<std::int64_t>(cast().size() + 1); }, "the next event");
    const auto waited = Clock::now() - rejected_at;
    EXPECT_GE(waited, std::chrono::milliseconds(bound_ms - 1'000)) << "tried again for its bound, not given up at once";
    EXPECT_LT(waited, std::chrono::milliseconds(bound_ms + 30'000));

    broker.set_topic_error(ingest::dead_letter_default, RD_KAFKA_RESP_ERR_NO_ERROR);
    publish_raw(broker.bootstraps(), {payment(20'002, "hc-nobody", "10.00")});
    wait_for([&] { return count("SELECT count(*) FROM ledger.rejections") == 2; }, "the second rejection");
    EXPECT_EQ(read_dead_letters(broker.bootstraps(), 1).size(), 1u);
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.rejected, 2u);
    EXPECT_EQ(totals.dead_letter_failed, 1u);
    EXPECT_EQ(totals.dead_lettered, 1u);
}

TEST(DeadLetterErrors, ThoseThatCannotPassAreForGoodTheOthersMayPass) {
    namespace detail = ingest::detail;
    for (const auto error :
         {RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE, RD_KAFKA_RESP_ERR_INVALID_MSG,
          RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
          RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
          RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR__FATAL})
        EXPECT_TRUE(detail::dead_letter_error_is_permanent(error)) << rd_kafka_err2name(error);
    for (const auto error :
         {RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT,
          RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
          RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT})
        EXPECT_FALSE(detail::dead_letter_error_is_permanent(error)) << rd_kafka_err2name(error);
}

// A producer that raised a fatal error (the idempotent producer can) refuses every letter
// for good: those letters are counted as refused, and the next ones go through a new
// producer instead of failing for ever.
TEST(DeadLetterProducer, AfterAFatalErrorTheLettersAreRefusedAndANewProducerTakesTheNext) {
    namespace detail = ingest::detail;
    ingest::EmbeddedBroker broker({ingest::topics_default}, 1);
    detail::DeadLetterProducer producer(broker.bootstraps(), ingest::dead_letter_default);
    auto letters = [] {
        return std::vector<detail::DeadLetter>{
            {"{}", "SE-Z", "malformed_json", "event: not an event", ingest::topics_default, 0, 7}};
    };
    ASSERT_EQ(rd_kafka_test_fatal_error(producer.handle(), RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "test"),
              RD_KAFKA_RESP_ERR_NO_ERROR);
    std::vector<detail::DeadLetter> first = letters();
    const detail::DeliveryReport refused = producer.deliver(first, 10'000);
    EXPECT_TRUE(first.empty()) << "a fatal error is not tried again";
    ASSERT_EQ(refused.refused.size(), 1u);
    EXPECT_EQ(refused.refused[0].error, RD_KAFKA_RESP_ERR__FATAL);
    EXPECT_EQ(refused.refused[0].source_offset, 7);
    std::vector<detail::DeadLetter> second = letters();
    const detail::DeliveryReport delivered = producer.deliver(second, 10'000);
    EXPECT_EQ(delivered.delivered, 1u);
    EXPECT_TRUE(second.empty());
    EXPECT_EQ(read_dead_letters(broker.bootstraps(), 1).size(), 1u);
}

// ops/kafka/create-topics.sh gives the topics the max.message.bytes of the code's constants,
// and the dead-letter topic room for any letter the dead-letter producer may send.
TEST(KafkaTopics, TheScriptSetsTheSizesTheIngesterIsBuiltFor) {
    const std::string script = read_file(std::string(LIKVARD_SOURCE_DIR) + "/ops/kafka/create-topics.sh");
    auto setting = [&](const std::string& name) -> std::size_t {
        const auto at = script.find("\n" + name + "=");
        if (at == std::string::npos) return 0;
        return std::stoull(script.substr(at + name.size() + 2));
    };
    EXPECT_EQ(setting("events_message_bytes_max"), ingest::events_topic_message_bytes_max) << script;
    EXPECT_EQ(setting("dead_letter_message_bytes_max"), ingest::dead_letter_topic_message_bytes_max) << script;
    EXPECT_GE(ingest::dead_letter_topic_message_bytes_max, ingest::producer_message_bytes_max);
}

// Ten megabytes that lz4 cannot shrink do not pass the embedded broker (it drops a message
// set over 5 MiB as stored; consumers/README.md, "The embedded broker's limits"). The
// ingester hands what it reads to the store's one append path, which `likvard append` also
// uses: there such a message is rejected as too_large with every byte kept.
TEST_F(Ingest, TenMegabytesOfRandomBytesAreRejectedWithEveryByteKept) {
    std::mt19937_64 random(20'261'126);
    std::string bytes(10'000'000, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    Store store(url);
    const AppendResult result = store.append({Incoming{bytes, Source{Source::Kind::file, "random.bin", 1}}});
    ASSERT_EQ(result.rejected, 1u);
    EXPECT_EQ(reason_code(result.items.at(0).rejection->reason), "too_large");
    const auto digest = sha256(bytes);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections WHERE reason = 'too_large' AND "
                    "encode(sha256(raw), 'hex') = '" +
                    to_hex(digest.data(), digest.size()) + "'"),
              1);
}

// Two writers of one partition: the new owner stores offset 30 first, then the member that
// lost the partition (it had not noticed yet) writes its batch of offsets 0..19. The
// stored offset stays 30 and nothing of the late batch is written; a batch that starts
// behind the stored offset and ends past it is refused as well (its first messages are
// written already); one that starts at or past it moves it on.
TEST_F(Ingest, AnOlderOffsetAfterANewerOneIsRefusedWithItsWholeBatch) {
    const std::vector<std::string> lines = events(4);  // the cast of every region, then payments
    auto batch = [&](std::int64_t from, std::int64_t to) {
        std::vector<Incoming> incoming;
        for (std::int64_t offset = from; offset < to; ++offset)
            incoming.push_back({lines.at(static_cast<std::size_t>(offset)),
                                Source{Source::Kind::kafka, ingest::topics_default, 0, 0, offset}});
        return incoming;
    };
    auto offset = [](std::int64_t first, std::int64_t next) {
        return std::vector<ConsumerOffset>{{"likvard-ingest", ingest::topics_default, 0, next, first}};
    };
    auto stored = [&] { return stored_offsets_total(); };
    Store new_owner(url);
    Store late_member(url);
    ASSERT_EQ(new_owner.append(batch(0, 30), offset(0, 30)).appended, 30u);
    const std::int64_t rows_before =
        count("SELECT count(*) FROM ledger.events") + count("SELECT count(*) FROM ledger.rejections");

    try {
        late_member.append(batch(0, 20), offset(0, 20));
        ADD_FAILURE() << "the older offset was written";
    } catch (const OffsetBehind& behind) {
        EXPECT_EQ(behind.offset_stored, 30);
        EXPECT_NE(std::string(behind.what()).find("likvard.events[0]"), std::string::npos) << behind.what();
    }
    EXPECT_EQ(stored(), 30);
    EXPECT_THROW(late_member.append(batch(20, 40), offset(20, 40)), OffsetBehind);  // 20..29 are written already
    EXPECT_EQ(stored(), 30);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events") + count("SELECT count(*) FROM ledger.rejections"),
              rows_before);
    // The late member's store still works: it appends from the stored offset on.
    EXPECT_EQ(late_member.append(batch(30, 40), offset(30, 40)).appended, 10u);
    EXPECT_EQ(stored(), 40);
    new_owner.append(batch(45, 50), offset(45, 50));  // after a gap (e.g. transaction markers)
    EXPECT_EQ(stored(), 50);

    // The database holds the line for every writer: no UPDATE moves an offset back.
    for (const char* role : {"likvard_app", "NONE"}) {
        pqxx::connection connection(url);
        pqxx::work tx(connection);
        tx.exec(std::string("SET ROLE ") + role);
        try {
            tx.exec("UPDATE ledger.consumer_offsets SET offset_next = 10");
            ADD_FAILURE() << "an offset moved back as " << role;
        } catch (const pqxx::sql_error& error) {
            EXPECT_NE(std::string(error.what()).find("may not move back from 50 to 10"), std::string::npos)
                << error.what();
        }
    }
    EXPECT_EQ(stored(), 50);
    expect_each_event_once(count("SELECT count(*) FROM ledger.events"));
}

// The ingester reads a partition from its beginning and, while its batch waits for a
// region lock, another writer (the partition's new owner) appends the first messages and
// stores their next offset. The ingester's batch is refused whole (it would have counted
// those messages as duplicates and written its offsets over the owner's); it reads on from
// the stored offset: every event once, nothing counted twice.
TEST_F(Ingest, AMemberBehindTheStoredOffsetIsRefusedAndReadsOnFromIt) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 1);
    const std::vector<std::string> lines = events(200);
    publish_raw(broker.bootstraps(), lines);
    const std::vector<std::string> owned = slice(lines, 0, cast().size());  // SE-Z's cast: offsets 0..13
    ASSERT_EQ(region_of(owned.back()), "SE-Z");
    ASSERT_NE(region_of(lines.at(owned.size())), "SE-Z");

    pqxx::connection holder(url);  // holds SE-AB's writer lock: the ingester's batch waits on it
    pqxx::work held(holder);
    held.exec("SELECT pg_advisory_xact_lock(hashtextextended('likvard.region:SE-AB', 0))");
    Ingester ingester(broker.bootstraps(), url);
    wait_for(
        [&] {
            return count(
                       "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
                       "(SELECT oid FROM pg_database WHERE datname = current_database())") > 0;
        },
        "the ingester's batch to wait for the region lock");
    std::vector<Incoming> incoming;
    for (std::size_t i = 0; i < owned.size(); ++i)
        incoming.push_back(
            {owned[i], Source{Source::Kind::kafka, ingest::topics_default, 0, 0, static_cast<std::int64_t>(i)}});
    const auto next = static_cast<std::int64_t>(owned.size());
    ASSERT_EQ(Store(url).append(incoming, {{"likvard-ingest", ingest::topics_default, 0, next, 0}}).appended,
              owned.size());
    held.commit();

    wait_for([&] { return stored_offsets_total() == static_cast<std::int64_t>(lines.size()); }, "every offset");
    const auto totals = ingester.stop();
    EXPECT_GE(totals.batches_behind, 1u);
    EXPECT_EQ(totals.duplicates, 0u);
    EXPECT_EQ(totals.appended, lines.size() - owned.size());
    expect_each_event_once(static_cast<std::int64_t>(lines.size()));
    expect_verified();
}

TEST_F(Ingest, AStoredOffsetOutOfKafkasRangeStopsTheIngesterLoudly) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 1);
    publish(broker.bootstraps(), events(10));
    query(
        "INSERT INTO ledger.consumer_offsets (consumer_group, topic, partition, offset_next) "
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

// The (only) broker goes down mid-run while events are being published, and comes back:
// producer and ingester reconnect; nothing lost, nothing twice.
TEST_F(Ingest, ABrokerDownAndUpAgainLosesAndDuplicatesNothing) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    Ingester ingester(broker.bootstraps(), url);
    const auto lines = events(1'500);
    const std::size_t half = lines.size() / 2;
    publish_raw(broker.bootstraps(), slice(lines, 0, half));
    wait_for([&] { return events_in_ledger() > 0; }, "the ingester to append");
    broker.set_broker_down(true);
    std::thread publisher([&] { publish_raw(broker.bootstraps(), slice(lines, half, lines.size())); });
    std::this_thread::sleep_for(std::chrono::seconds(3));
    broker.set_broker_down(false);
    publisher.join();
    wait_for_events(expected_events(1'500));
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.appended, lines.size());
    EXPECT_EQ(totals.duplicates, 0u);
    EXPECT_EQ(stored_offsets_total(), static_cast<std::int64_t>(lines.size()));
    expect_each_event_once(static_cast<std::int64_t>(lines.size()));
    expect_verified();
}

// Three brokers; mid-run every partition's leadership moves to another broker (the
// clients learn it from NOT_LEADER errors and new metadata): nothing lost, nothing twice.
TEST_F(Ingest, ALeaderChangeLosesAndDuplicatesNothing) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4, ingest::dead_letter_default, 3);
    Ingester ingester(broker.bootstraps(), url);
    const auto lines = events(1'500);
    const std::size_t half = lines.size() / 2;
    publish_raw(broker.bootstraps(), slice(lines, 0, half));
    wait_for([&] { return events_in_ledger() > 0; }, "the ingester to append");
    for (std::int32_t partition = 0; partition < 4; ++partition)
        broker.set_leader(ingest::topics_default, partition, 1 + (partition + 1) % 3);
    publish_raw(broker.bootstraps(), slice(lines, half, lines.size()));
    for (std::int32_t partition = 0; partition < 4; ++partition)
        broker.set_leader(ingest::topics_default, partition, 1 + (partition + 2) % 3);
    wait_for_events(expected_events(1'500));
    const auto totals = ingester.stop();
    EXPECT_EQ(totals.appended, lines.size());
    EXPECT_EQ(totals.duplicates, 0u);
    EXPECT_EQ(stored_offsets_total(), static_cast<std::int64_t>(lines.size()));
    expect_each_event_once(static_cast<std::int64_t>(lines.size()));
    expect_verified();
}

// The executable as a process, SIGKILLed at random moments of a run of 200,000 events and
// restarted each time; the embedded broker lives in the test process. Events are published
// in pieces that follow the child (the broker keeps only 5 MiB per partition, and after a
// kill everything from the stored offsets on must still be there). Each round picks a random
// number of committed events, kills the child once it has passed it, after a further random
// moment (mostly mid-batch), and starts a new one. The last run ends with SIGTERM (exit 0).
TEST_F(Ingest, AnIngesterKilledAtRandomMomentsLeavesEveryEventExactlyOnce) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    const auto lines = events(49'986);  // 200,000 events
    ASSERT_EQ(lines.size(), 200'000u);
    const std::uint64_t seed = test_seed(20'261'127);
    SCOPED_TRACE(replay_hint(seed));
    std::mt19937 random(static_cast<std::uint32_t>(seed));
    const std::string log = ::testing::TempDir() + "likvard-ingest-" + std::to_string(getpid()) + ".log";
    setenv("ASAN_OPTIONS", __asan_default_options(), 0);  // before fork: the child only execs
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
    constexpr std::size_t piece = 8'000;  // at most two pieces not yet committed: < 5 MiB per partition
    std::size_t published = 0;
    auto stored = [&] { return static_cast<std::size_t>(stored_offsets_total("killed")); };
    // Publishes while the child keeps up until `done` holds; fails after wait_s_max.
    auto follow_until = [&](auto done, const std::string& what) {
        const auto deadline = Clock::now() + std::chrono::seconds(wait_s_max);
        while (!done()) {
            ASSERT_LT(Clock::now(), deadline) << "timed out waiting for " << what << "\n" << read_file(log);
            if (published < lines.size() && published < stored() + piece) {
                publish_raw(broker.bootstraps(), slice(lines, published, published + piece));
                published = std::min(published + piece, lines.size());
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
    };
    constexpr int kills = 5;
    const std::size_t round = lines.size() / (kills + 1);
    pid_t child = start();
    for (int kill_number = 0; kill_number < kills; ++kill_number) {
        const std::size_t target = kill_number * round + std::uniform_int_distribution<std::size_t>(1, round)(random);
        follow_until([&] { return stored() >= target; }, "the child to pass " + std::to_string(target));
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 500)(random)));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended before it was killed: " << read_file(log);
        child = start();
    }
    follow_until([&] { return stored() == lines.size(); }, "every offset stored");
    kill(child, SIGTERM);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(log);
    expect_each_event_once(static_cast<std::int64_t>(lines.size()));
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
    expect_chain_verified_by_script();
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
    query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
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

// PostgreSQL stopped for 10 s mid-run and started again: the ingester pauses, retries the
// batch with back-off, reconnects and resumes; nothing lost, nothing twice. The server is
// a cluster of this test's own (ops/pg with LIKVARD_PG_DIR): the one the other tests share
// keeps running.
TEST(IngestOwnServer, PostgreSQLStoppedForTenSecondsIsWaitedForWithoutLossOrDuplicates) {
    const std::string dir = ::testing::TempDir() + "likvard-pg-ingest-" + std::to_string(getpid());
    const std::string pg =
        "LIKVARD_PG_DIR=" + shell_quote(dir) + " " + shell_quote(std::string(LIKVARD_SOURCE_DIR) + "/ops/pg");
    struct Destroy {
        std::string pg;
        ~Destroy() { run(pg + " destroy"); }
    } destroy{pg};
    const auto started = run(pg + " start");
    ASSERT_EQ(started.exit_code, 0) << started.err;
    const std::string owner_url = started.out.substr(0, started.out.find('\n'));
    migrate(owner_url);
    const std::string url = with_user(owner_url, "likvard_app");  // the ingester's role
    auto count = [&](const std::string& sql) {
        pqxx::connection connection(owner_url);
        pqxx::nontransaction tx(connection);
        return tx.exec1(sql)[0].as<std::int64_t>();
    };

    ingest::EmbeddedBroker broker({ingest::topics_default}, 4);
    const auto lines = events(1'500);
    const std::size_t half = lines.size() / 2;
    Ingester ingester(broker.bootstraps(), url);
    publish_raw(broker.bootstraps(), slice(lines, 0, half));
    const auto deadline = Clock::now() + std::chrono::seconds(wait_s_max);
    while (count("SELECT count(*) FROM ledger.events") == 0) {
        ASSERT_LT(Clock::now(), deadline) << "timed out waiting for the ingester to append";
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const auto stopped = run(pg + " stop");
    ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
    publish_raw(broker.bootstraps(), slice(lines, half, lines.size()));  // Kafka keeps taking events
    std::this_thread::sleep_for(std::chrono::seconds(10));
    EXPECT_FALSE(ingester.finished()) << "the ingester must wait, not stop";
    const auto restarted = run(pg + " start");
    ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
    ASSERT_EQ(restarted.out.substr(0, restarted.out.find('\n')), owner_url) << "the server came back on another port";
    const auto expected = static_cast<std::int64_t>(lines.size());
    while (count("SELECT coalesce(sum(offset_next), 0) FROM ledger.consumer_offsets") < expected) {
        ASSERT_LT(Clock::now(), deadline) << "timed out waiting for the ingester to resume";
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const auto totals = ingester.stop();
    EXPECT_GT(totals.database_retries, 0u);
    EXPECT_EQ(totals.appended, lines.size());
    EXPECT_EQ(totals.duplicates, 0u);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), expected);
    EXPECT_EQ(count("SELECT count(DISTINCT (region, event_id)) FROM ledger.events"), expected);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
    for (const auto& report : verify(with_user(owner_url, "likvard_reader"), std::nullopt))
        EXPECT_TRUE(report.ok) << report.region << ": " << report.problem;
}
