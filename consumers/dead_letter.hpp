// Internal: the dead-letter producer. Rejected messages go to the dead-letter topic with
// their original bytes and headers naming the reason and where they came from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafka.hpp"

namespace likvard::ingest::detail {

struct DeadLetter {
    std::string bytes;  // the original message, byte for byte
    std::string key;
    std::string reason;   // reason code
    std::string message;  // "<field>: <what is wrong>"
    std::string source_topic;
    std::int32_t source_partition = 0;
    std::int64_t source_offset = 0;
};

// A letter the brokers or the client will never take as it is: retrying cannot help.
struct RefusedLetter {
    std::string source_topic;
    std::int32_t source_partition = 0;
    std::int64_t source_offset = 0;
    rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR;
};

struct DeliveryReport {
    std::size_t delivered = 0;
    std::vector<RefusedLetter> refused;
};

// Whether a produce or delivery error is for good (too large, unknown topic or partition,
// not authorised, an invalid message, a producer that raised a fatal error). librdkafka
// retries the others itself until message.timeout.ms; they are retried again here, up to
// a bound in time.
bool dead_letter_error_is_permanent(rd_kafka_resp_err_t error);

// The likvard-message header carries at most this much of the rejection's message (cut at
// a character boundary), so that the headers stay far below message_overhead_bytes_max.
inline constexpr std::size_t dead_letter_message_header_bytes_max = 1024;

class DeadLetterProducer {
public:
    DeadLetterProducer(const std::string& brokers, std::string topic);

    // Produces every letter (idempotent, acks=all) and waits at most `wait_ms` for their
    // delivery reports (what is still unreported then is purged). On return `letters` holds
    // only those that failed for a reason that may pass (to be tried again); the report
    // counts the delivered ones and names those refused for good.
    DeliveryReport deliver(std::vector<DeadLetter>& letters, int wait_ms);

    // The producer handle, for fault tests (rd_kafka_test_fatal_error).
    rd_kafka_t* handle() { return producer_.get(); }

private:
    Handle make_producer() const;
    void renew_if_fatal();

    std::string brokers_;
    std::string topic_;
    Handle producer_;
};

}  // namespace likvard::ingest::detail
