// The Likvärd API: every route of `likvard serve`.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace likvard::http {

struct ApiConfig {
    std::string database_url;
    std::size_t database_connections = 8;            // pooled PostgreSQL connections for the handlers
    std::chrono::milliseconds database_wait{5'000};  // for a free connection, else 503
    // /readyz: projections at most this many seqs behind the head (when a runner reports).
    std::int64_t ready_lag_max_events = 1'000;
    bool projections_expected = false;  // /readyz waits for the runner's first report
    std::string generator = "likvard 0.1.0";
    // A statement without as_of is as of the region's head seen at most this long ago (0:
    // asked every time); POST /v1/events through this server refreshes it at once.
    std::chrono::milliseconds head_cache{50};
    // `likvard serve --brokers`: /metrics and /ingestion report the brokers' side of the
    // ingest lag from the readings given to Api::report_broker; a reading older than
    // broker_stale_after (its monitor is stuck) counts as the brokers being unreachable.
    bool broker_configured = false;
    std::chrono::milliseconds broker_stale_after{30'000};
};

// Where the projection runner stands, per region (reported by `likvard serve`'s runner).
struct ProjectionLag {
    std::string region;
    std::int64_t projected_seq = 0;
    std::int64_t head_seq = 0;
};

// The brokers' side of the ingest lag: each partition's watermarks as last read by the
// monitor that `likvard serve` runs (consumers/ has the Kafka client; this library has none).
struct BrokerPartition {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t low_watermark = 0;   // the first offset the broker still has
    std::int64_t high_watermark = 0;  // the offset of the next message produced
};
struct BrokerReading {
    bool reachable = false;
    std::chrono::system_clock::time_point read_at;
    std::vector<BrokerPartition> partitions;
    std::string error;  // why it was not reachable, or a partition that could not be read
};

class Api {
public:
    Api(ApiConfig config, std::shared_ptr<Probe> probe);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    Router router() const;  // the route table: the server's and the OpenAPI test's
    // The runner's latest positions; /readyz and /metrics read them. Until the first
    // report, /readyz does not look at projections.
    void report_projections(std::vector<ProjectionLag> positions);
    void report_projection_error(const std::string& message);
    // The monitor's latest reading of the brokers (never waits for Kafka on a request).
    void report_broker(BrokerReading reading);
    // The topics the ledger holds offsets for (ledger.consumer_offsets); empty when the
    // database does not answer.
    std::vector<std::string> ingested_topics() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace likvard::http
