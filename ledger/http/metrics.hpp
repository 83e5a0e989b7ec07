// Metrics in the Prometheus text format: the latency histograms and the probe's counters.
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

#include "core/latency_histogram.hpp"

namespace likvard::http {

// Lines for `name{labels,le=...}`, name_sum, name_count.
void render_histogram(std::string& out, const std::string& name, const std::string& labels,
                      const LatencyHistogram& histogram);

// Counters and histograms of the server and the API, behind one mutex; /metrics renders them.
class Probe {
public:
    // `method` is counted as GET, HEAD, POST or other (a client must not add label values).
    void request(const std::string& route, const std::string& method, unsigned status, double seconds);
    void statement(const std::string& statement, const std::string& source, double seconds);
    void ingest(std::string_view outcome, std::string_view reason);  // POST /v1/events, per line
    void connection_refused();
    void connections(std::int64_t open);
    std::string render() const;

    Probe();
    ~Probe();
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace likvard::http
