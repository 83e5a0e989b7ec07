// The event producer behind `likvard-ingest publish`: NDJSON lines, validated, onto a topic.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "limits.hpp"

namespace likvard::ingest {

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

}  // namespace likvard::ingest
