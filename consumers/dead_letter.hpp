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

class DeadLetterProducer {
public:
    DeadLetterProducer(const std::string& brokers, std::string topic);

    // Produces every letter (idempotent, acks=all) and waits for their delivery reports.
    // On return `letters` holds only those that were not delivered.
    void deliver(std::vector<DeadLetter>& letters);

private:
    std::string topic_;
    Handle producer_;
};

}  // namespace likvard::ingest::detail
