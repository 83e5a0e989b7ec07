// The embedded broker (librdkafka's mock cluster) for a single machine, trials and tests,
// and the file that tells other processes its address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "limits.hpp"

namespace likvard::ingest {

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

}  // namespace likvard::ingest
