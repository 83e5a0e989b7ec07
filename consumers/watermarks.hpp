// The brokers' watermarks: the broker's side of the ingest lag that `likvard serve` reports.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace likvard::ingest {

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
    bool reachable = false;                       // the brokers answered the metadata request
    std::vector<PartitionWatermarks> partitions;  // those whose watermarks were read
    std::string error;                            // why not reachable, or the first partition that could not be read
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

}  // namespace likvard::ingest
