// Counters and histograms in the Prometheus text format (version 0.0.4). The server and
// the handlers report here; GET /metrics renders them with the ledger's own gauges.
#include <cstdio>
#include <mutex>

#include "http/metrics.hpp"

namespace likvard::http {
namespace {

const std::vector<double> latency_bounds_seconds{0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

std::string number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

// Label values escaped as the text format asks (backslash, quote, newline).
std::string label(std::string_view value) {
    std::string out;
    for (const char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

// The method as a label: any other method a client sends is "other", so that no client can
// add label values (each a time series) without bound.
std::string method_label(const std::string& method) {
    if (method == "GET" || method == "HEAD" || method == "POST") return method;
    return "other";
}

}  // namespace

void render_histogram(std::string& out, const std::string& name, const std::string& labels,
                      const LatencyHistogram& histogram) {
    const std::string prefix = labels.empty() ? "" : labels + ",";
    const std::vector<double>& bounds = histogram.upper_bounds_seconds();
    for (std::size_t i = 0; i < bounds.size(); ++i)
        out += name + "_bucket{" + prefix + "le=\"" + number(bounds[i]) + "\"} " +
               std::to_string(histogram.cumulative_count(i)) + "\n";
    out += name + "_bucket{" + prefix + "le=\"+Inf\"} " + std::to_string(histogram.count()) + "\n";
    const std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out += name + "_sum" + braces + " " + number(histogram.sum_seconds()) + "\n";
    out += name + "_count" + braces + " " + std::to_string(histogram.count()) + "\n";
}

struct Probe::State {
    std::mutex mutex;
    std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests;
    std::map<std::string, LatencyHistogram> request_seconds;                            // by route
    std::map<std::pair<std::string, std::string>, LatencyHistogram> statement_seconds;  // statement, source
    std::map<std::pair<std::string, std::string>, std::uint64_t> ingested;              // outcome, reason
    std::uint64_t connections_refused = 0;
    std::int64_t connections_open = 0;
};

Probe::Probe() : state_(std::make_unique<State>()) {}
Probe::~Probe() = default;

void Probe::request(const std::string& route, const std::string& method, unsigned status, double seconds) {
    std::lock_guard lock(state_->mutex);
    ++state_->requests[{route, method_label(method), status}];
    state_->request_seconds.try_emplace(route, latency_bounds_seconds).first->second.observe(seconds);
}

void Probe::statement(const std::string& statement, const std::string& source, double seconds) {
    std::lock_guard lock(state_->mutex);
    state_->statement_seconds.try_emplace({statement, source}, latency_bounds_seconds).first->second.observe(seconds);
}

void Probe::ingest(std::string_view outcome, std::string_view reason) {
    std::lock_guard lock(state_->mutex);
    ++state_->ingested[{std::string(outcome), std::string(reason)}];
}

void Probe::connection_refused() {
    std::lock_guard lock(state_->mutex);
    ++state_->connections_refused;
}

void Probe::connections(std::int64_t open) {
    std::lock_guard lock(state_->mutex);
    state_->connections_open = open;
}

std::string Probe::render() const {
    std::lock_guard lock(state_->mutex);
    std::string out;
    out += "# HELP likvard_http_requests_total HTTP requests answered, by route pattern, method and status.\n";
    out += "# TYPE likvard_http_requests_total counter\n";
    for (const auto& [key, count] : state_->requests) {
        const auto& [route, method, status] = key;
        out += "likvard_http_requests_total{route=\"" + label(route) + "\",method=\"" + label(method) + "\",status=\"" +
               std::to_string(status) + "\"} " + std::to_string(count) + "\n";
    }
    out += "# HELP likvard_http_request_duration_seconds Time from the request read to the response handed over.\n";
    out += "# TYPE likvard_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : state_->request_seconds)
        render_histogram(out, "likvard_http_request_duration_seconds", "route=\"" + label(route) + "\"", histogram);
    out += "# HELP likvard_statement_duration_seconds Time to compute a statement (cache misses), by source.\n";
    out += "# TYPE likvard_statement_duration_seconds histogram\n";
    for (const auto& [key, histogram] : state_->statement_seconds)
        render_histogram(out, "likvard_statement_duration_seconds",
                         "statement=\"" + label(key.first) + "\",source=\"" + label(key.second) + "\"", histogram);
    out += "# HELP likvard_http_ingested_events_total Lines of POST /v1/events by outcome and rejection reason.\n";
    out += "# TYPE likvard_http_ingested_events_total counter\n";
    for (const auto& [key, count] : state_->ingested)
        out += "likvard_http_ingested_events_total{outcome=\"" + label(key.first) + "\",reason=\"" + label(key.second) +
               "\"} " + std::to_string(count) + "\n";
    out += "# HELP likvard_http_connections_open Open HTTP connections.\n# TYPE likvard_http_connections_open gauge\n";
    out += "likvard_http_connections_open " + std::to_string(state_->connections_open) + "\n";
    out += "# HELP likvard_http_connections_refused_total Connections refused at the connection limit.\n";
    out += "# TYPE likvard_http_connections_refused_total counter\n";
    out += "likvard_http_connections_refused_total " + std::to_string(state_->connections_refused) + "\n";
    return out;
}

}  // namespace likvard::http
