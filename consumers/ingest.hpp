// Kafka ingestion: the consumer loop that appends poll batches through the store's one
// append path with the consumer offsets in the same transaction, the dead-letter
// producer, the event producer (`publish`) and the embedded broker (librdkafka mock).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace likvard::ingest {

// ---- limits (units in the names) ----
inline constexpr std::size_t batch_messages_max = 10'000;
inline constexpr std::size_t batch_bytes_max = 16 * 1024 * 1024;
inline constexpr int batch_wait_ms_max = 50;
inline constexpr int retry_backoff_ms_min = 100;
inline constexpr int retry_backoff_ms_max = 5'000;
inline constexpr int progress_interval_ms = 5'000;
inline constexpr int delivery_timeout_ms = 30'000;
inline constexpr int flush_wait_ms_max = 60'000;
inline constexpr int events_partitions_default = 4;
inline constexpr int producer_linger_ms = 20;
inline constexpr int producer_batch_messages_max = 10'000;
inline constexpr int producer_batch_bytes_max = 1024 * 1024;  // under the embedded broker's 5 MiB a partition
// The largest Kafka message a producer sends and a consumer fetches (the ledger itself
// rejects anything over 64 KiB as too_large; larger messages must still arrive to be
// rejected and dead-lettered, not stall a partition).
inline constexpr std::size_t message_bytes_max = 16 * 1024 * 1024;
// Room beside a message's value for its key, headers and record framing: a producer sends
// up to message_bytes_max + this (librdkafka's message.max.bytes).
inline constexpr std::size_t message_overhead_bytes_max = 64 * 1024;
inline constexpr std::size_t producer_message_bytes_max = message_bytes_max + message_overhead_bytes_max;
inline constexpr int dead_letter_partitions_default = 1;

// The topics' max.message.bytes that ops/kafka/create-topics.sh sets (a test reads the
// script and compares). A dead letter is an event topic's message, bytes for bytes, plus
// five headers, compressed anew by the dead-letter producer (the original producer may have
// compressed better, or not at all): the dead-letter topic takes whatever the dead-letter
// producer may send, so a letter is never refused for its size there.
inline constexpr std::size_t events_topic_message_bytes_max = 1024 * 1024;
inline constexpr std::size_t dead_letter_topic_message_bytes_max = producer_message_bytes_max;
static_assert(events_topic_message_bytes_max + message_overhead_bytes_max <= dead_letter_topic_message_bytes_max,
              "a dead letter (an event topic's message plus headers) must fit the dead-letter topic");
static_assert(events_topic_message_bytes_max <= message_bytes_max, "the ingester fetches every event topic message whole");

// A dead letter that fails for a reason that may pass (broker down, timeout) is tried again,
// with the partitions paused, for at most this long after its batch's first attempt; then
// it counts as failed, like one refused for good (too large, unknown topic, not authorised).
// Either way its rejection is in ledger.rejections, committed with the batch, and
// consumption goes on: one message never stops ingestion.
inline constexpr int dead_letter_retry_ms_max = 60'000;

inline const std::string topics_default = "likvard.events";
inline const std::string group_default = "likvard-ingest";
inline const std::string dead_letter_default = "likvard.dead-letter";

// Set by a signal handler (or a test): finish the current batch, commit, close, return.
using StopFlag = std::atomic<bool>;

struct IngestConfig {
    std::string brokers;
    std::vector<std::string> topics{topics_default};
    std::string group = group_default;
    std::string dead_letter_topic = dead_letter_default;
    std::string database_url;
    int progress_interval_ms = ingest::progress_interval_ms;
    int dead_letter_retry_ms_max = ingest::dead_letter_retry_ms_max;
};

// Publish-to-commit latency of each message: from its Kafka timestamp (the producer's
// CreateTime) to the moment the transaction that wrote it committed, in ms. Log-linear
// buckets (exact below 1,024 ms, then within 1/64 of the value): memory is bounded.
class LatencyHistogram {
public:
    void add(std::int64_t latency_ms);
    // The smallest bucket bound below which `fraction` of the values lie; -1 when empty.
    std::int64_t percentile_ms(double fraction) const;
    std::uint64_t count() const { return count_; }

private:
    static constexpr int exact_ms_max = 1024;  // 2^10
    static constexpr int sub_buckets = 64;     // per power of two above exact_ms_max
    static constexpr int octaves = 22;         // up to 2^32 ms
    static std::size_t bucket_of(std::int64_t latency_ms);
    static std::int64_t upper_bound_ms(std::size_t bucket);
    std::array<std::uint64_t, exact_ms_max + octaves * sub_buckets> counts_{};
    std::uint64_t count_ = 0;
};

struct IngestTotals {
    std::uint64_t consumed = 0;
    std::uint64_t appended = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t rejected = 0;
    std::uint64_t dead_lettered = 0;
    std::uint64_t dead_letter_failed = 0;  // refused for good, or not delivered in dead_letter_retry_ms_max
    std::uint64_t batches = 0;
    std::uint64_t batches_behind = 0;  // refused: another writer had stored a later offset (OffsetBehind)
    std::uint64_t database_retries = 0;
    std::uint64_t dead_letter_retries = 0;
    LatencyHistogram publish_to_commit;  // messages with a Kafka timestamp
};

// Thrown when a partition's stored offset is out of Kafka's range: never skipped silently.
struct OffsetOutOfRange : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Consumes until `stop`; throws OffsetOutOfRange or on a fatal Kafka error. Database
// errors are retried with back-off (partitions paused) and never end the loop.
IngestTotals run(const IngestConfig& config, const StopFlag& stop);

// ---- the embedded broker (single machine, trials, tests) ----
class EmbeddedBroker {
public:
    // One mock broker; creates `topics` with `partitions` each and the dead-letter topic.
    EmbeddedBroker(const std::vector<std::string>& topics, int partitions,
                   const std::string& dead_letter_topic = dead_letter_default);
    ~EmbeddedBroker();
    EmbeddedBroker(const EmbeddedBroker&) = delete;
    EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

    const std::string& bootstraps() const { return bootstraps_; }
    // Several brokers (ids 1..brokers) let tests move partition leaders and stop brokers.
    EmbeddedBroker(const std::vector<std::string>& topics, int partitions, const std::string& dead_letter_topic,
                   int brokers);

    // Makes the next `count` Fetch requests fail with a retriable error (fault tests).
    void fail_fetches(std::size_t count);
    // Makes the next `count` Produce requests to broker `broker_id` fail with `kafka_error`
    // (an rd_kafka_resp_err_t, e.g. 10 message too large, 29 topic not authorised; fault tests).
    void fail_produces(std::size_t count, int kafka_error, std::int32_t broker_id);
    // Answers every request about `topic` with `kafka_error` (0 clears it; fault tests).
    void set_topic_error(const std::string& topic, int kafka_error);
    void set_broker_down(bool down, std::int32_t broker_id = 1);
    // Moves a partition's leadership to `broker_id` (clients learn it from the next
    // request's NOT_LEADER error and a metadata refresh).
    void set_leader(const std::string& topic, std::int32_t partition, std::int32_t broker_id);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string bootstraps_;
};

// Writes/reads the broker address file `<state_dir>/kafka.bootstrap`.
void write_bootstrap_file(const std::string& state_dir, const std::string& bootstraps);
std::optional<std::string> read_bootstrap_file(const std::string& state_dir);

// ---- publish ----
struct PublishLine {
    std::string bytes;
    std::string origin;  // "FILE:LINE" for messages
};

struct PublishConfig {
    std::string brokers;
    std::string topic = topics_default;
    bool send_invalid = false;
};

struct PublishReport {
    std::uint64_t lines = 0;
    std::uint64_t invalid = 0;    // failed decoding (reported; sent only with send_invalid)
    std::uint64_t sent = 0;       // handed to the producer
    std::uint64_t delivered = 0;  // acknowledged by the brokers (acks=all)
    std::uint64_t failed = 0;     // not delivered
};

// Gives the next line to publish; false at the end. Lines are read as they are sent, so a
// large file or an endless stdin needs no more memory than the producer's bounded queue.
using LineSource = std::function<bool(PublishLine& line)>;

// Validates each line with the Decoder (the invalid ones are printed to `problems` with
// their origin), produces the valid ones with key = region, waits for every delivery report.
PublishReport publish(const PublishConfig& config, const LineSource& next_line, std::ostream& problems);
PublishReport publish(const PublishConfig& config, const std::vector<PublishLine>& lines, std::ostream& problems);

// The partition key of an event: its region (a region's events stay in order on one
// partition, which the ledger's rules need: registrations before payments, reversals
// after the reversed event, period closings). Empty when the region cannot be read.
std::string message_key(std::string_view bytes);

// ---- the brokers' watermarks (the ingest lag `likvard serve` reports) ----
inline constexpr int watermark_timeout_ms = 2'000;  // per metadata or watermark request
inline constexpr std::size_t watermark_partitions_max = 4'096;
inline constexpr std::size_t watermark_topics_max = 64;

struct PartitionWatermarks {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t low = 0;   // the first offset the broker still has
    std::int64_t high = 0;  // the offset the next message will get (the high watermark)
};

struct WatermarkReading {
    bool reachable = false;  // the brokers answered the metadata request
    std::vector<PartitionWatermarks> partitions;  // those whose watermarks were read
    std::string error;  // why not reachable, or the first partition that could not be read
    std::chrono::system_clock::time_point read_at;
};

// Reads the low and high watermark of every partition of some topics, with a timeout on
// every request (metadata first: an unreachable cluster costs one timeout, not one per
// partition). Blocks; run it off any request path.
class WatermarkClient {
public:
    explicit WatermarkClient(const std::string& brokers, int timeout_ms = watermark_timeout_ms);
    ~WatermarkClient();
    WatermarkClient(const WatermarkClient&) = delete;
    WatermarkClient& operator=(const WatermarkClient&) = delete;
    WatermarkReading read(const std::vector<std::string>& topics);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Reads the watermarks every `interval` on a thread of its own and hands each reading to
// `report`; `topics` is asked before every reading. Stopping (the destructor) waits for a
// reading in progress at most `stop_wait`, then leaves that thread to end alone: librdkafka
// 2.0 may overrun a watermark timeout when a partition leader is down. Neither callback is
// called after the destructor returns.
class WatermarkMonitor {
public:
    using Topics = std::function<std::vector<std::string>()>;
    using Report = std::function<void(const WatermarkReading&)>;
    WatermarkMonitor(std::string brokers, Topics topics, Report report, std::chrono::milliseconds interval,
                     std::chrono::milliseconds stop_wait = std::chrono::milliseconds(3 * watermark_timeout_ms));
    ~WatermarkMonitor();
    WatermarkMonitor(const WatermarkMonitor&) = delete;
    WatermarkMonitor& operator=(const WatermarkMonitor&) = delete;

private:
    struct State;
    std::shared_ptr<State> state_;
};

// ---- logging ----
// spdlog to stderr, plain text or JSON lines.
void setup_logging(bool json);

}  // namespace likvard::ingest
