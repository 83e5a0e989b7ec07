// The limits of Kafka ingestion (units in the names) and the default topic and group names,
// shared by the consumer loop, the producers, the embedded broker and the watermark client.
#pragma once

#include <cstddef>
#include <string>

namespace likvard::ingest {

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
// Under the embedded broker's 5 MiB a partition.
inline constexpr int producer_batch_bytes_max = 1024 * 1024;
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
static_assert(events_topic_message_bytes_max <= message_bytes_max,
              "the ingester fetches every event topic message whole");

// A dead letter that fails for a reason that may pass (broker down, timeout) is tried again,
// with the partitions paused, for at most this long after its batch's first attempt; then
// it counts as failed, like one refused for good (too large, unknown topic, not authorised).
// Either way its rejection is in ledger.rejections, committed with the batch, and
// consumption goes on: one message never stops ingestion.
inline constexpr int dead_letter_retry_ms_max = 60'000;

inline const std::string topics_default = "likvard.events";
inline const std::string group_default = "likvard-ingest";
inline const std::string dead_letter_default = "likvard.dead-letter";

}  // namespace likvard::ingest
