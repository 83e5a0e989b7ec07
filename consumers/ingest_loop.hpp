// The consumer loop: appends poll batches through the store's one append path with the
// consumer offsets in the same transaction, and dead-letters what the ledger rejects.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/latency_histogram.hpp"
#include "limits.hpp"

namespace likvard::ingest {

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
    // Publish-to-commit latency of each message with a Kafka timestamp: from its timestamp
    // (the producer's CreateTime) to the moment the transaction that wrote it committed.
    LatencyHistogram publish_to_commit = LatencyHistogram::log_linear();
};

// Thrown when a partition's stored offset is out of Kafka's range: never skipped silently.
struct OffsetOutOfRange : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Consumes until `stop`; throws OffsetOutOfRange or on a fatal Kafka error. Database
// errors are retried with back-off (partitions paused) and never end the loop.
IngestTotals run(const IngestConfig& config, const StopFlag& stop);

}  // namespace likvard::ingest
