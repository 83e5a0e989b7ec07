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

namespace likvard::http {

class Histogram {
public:
    explicit Histogram(std::vector<double> bounds_seconds);
    void observe(double seconds);
    // Lines for `name{labels,le=...}`, name_sum, name_count.
    void render(std::string& out, const std::string& name, const std::string& labels) const;

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;  // one per bound, plus +Inf
    double sum_ = 0;
    std::uint64_t count_ = 0;
};

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
