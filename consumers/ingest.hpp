// Kafka ingestion: the consumer loop that appends poll batches through the store's one
// append path with the consumer offsets in the same transaction, the dead-letter
// producer, the event producer (`publish`) and the embedded broker (librdkafka mock).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace likvard::ingest {

// ---- limits (units in the names) ----
inline constexpr std::size_t batch_messages_max = 5'000;
inline constexpr std::size_t batch_bytes_max = 16 * 1024 * 1024;
inline constexpr int batch_wait_ms_max = 50;
inline constexpr int retry_backoff_ms_min = 100;
inline constexpr int retry_backoff_ms_max = 5'000;
inline constexpr int progress_interval_ms = 5'000;
inline constexpr int delivery_timeout_ms = 30'000;
inline constexpr int flush_wait_ms_max = 60'000;
inline constexpr int events_partitions_default = 4;
inline constexpr int dead_letter_partitions_default = 1;

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
};

struct IngestTotals {
    std::uint64_t consumed = 0;
    std::uint64_t appended = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t rejected = 0;
    std::uint64_t dead_lettered = 0;
    std::uint64_t batches = 0;
    std::uint64_t database_retries = 0;
    std::uint64_t dead_letter_retries = 0;
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
    // Makes the next `count` Fetch requests fail with a retriable error (fault tests).
    void fail_fetches(std::size_t count);
    void set_broker_down(bool down);

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

// Validates each line with the Decoder (the invalid ones are printed to `problems` with
// their origin), produces the valid ones with key = region, waits for every delivery report.
PublishReport publish(const PublishConfig& config, const std::vector<PublishLine>& lines, std::ostream& problems);

// The partition key of an event: its region (a region's events stay in order on one
// partition, which the ledger's rules need: registrations before payments, reversals
// after the reversed event, period closings). Empty when the region cannot be read.
std::string message_key(std::string_view bytes);

// ---- logging ----
// spdlog to stderr, plain text or JSON lines.
void setup_logging(bool json);

}  // namespace likvard::ingest
