// The one latency histogram of the ledger: the HTTP server's request and statement times
// (rendered for Prometheus) and the consumer's publish-to-commit latency (logged as
// quantiles). Values in seconds, counted in buckets with fixed upper bounds: its memory is
// bounded whatever it is given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace likvard {

// The log-linear bounds: every millisecond below exact_ms_max, then log_linear_sub_buckets
// per power of two (each bound within 1/64 of the values below it) up to 2^32 ms.
inline constexpr std::int64_t log_linear_exact_ms_max = 1024;  // 2^10
inline constexpr std::size_t log_linear_sub_buckets = 64;
inline constexpr std::size_t log_linear_octaves = 22;

class LatencyHistogram {
public:
    // `upper_bounds_seconds` ascending and not empty; a value above the last bound is counted
    // in one more bucket (Prometheus's +Inf).
    explicit LatencyHistogram(std::vector<double> upper_bounds_seconds);
    // The log-linear bounds at millisecond precision (2,432 of them).
    static LatencyHistogram log_linear();

    // Counts the value in the first bucket whose bound is at least `seconds`.
    void observe(double seconds);
    std::uint64_t count() const { return count_; }
    double sum_seconds() const { return sum_seconds_; }
    const std::vector<double>& upper_bounds_seconds() const { return bounds_; }
    // How many values were at most upper_bounds_seconds()[bound].
    std::uint64_t cumulative_count(std::size_t bound) const;
    // The smallest bound at or below which `fraction` (0..1) of the values lie; nullopt when
    // empty. As Prometheus's histogram_quantile, a quantile among the values above the last
    // bound is the last bound.
    std::optional<double> quantile_seconds(double fraction) const;

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;  // one per bound, plus the values above the last
    double sum_seconds_ = 0;
    std::uint64_t count_ = 0;
};

}  // namespace likvard
