// The latency histogram: a bucket per upper bound, found by binary search.
#include "core/latency_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/invariant.hpp"

namespace likvard {
namespace {

inline constexpr double ms_per_second = 1000.0;

// The largest millisecond value of a log-linear bucket above the exact ones.
std::int64_t log_linear_bound_ms(std::size_t octave, std::size_t sub) {
    return static_cast<std::int64_t>(((log_linear_sub_buckets + sub + 1) << (octave + 4)) - 1);
}

}  // namespace

LatencyHistogram::LatencyHistogram(std::vector<double> upper_bounds_seconds)
    : bounds_(std::move(upper_bounds_seconds)), counts_(bounds_.size() + 1, 0) {
    LIKVARD_INVARIANT(!bounds_.empty(), "a histogram needs a bound");
    LIKVARD_INVARIANT(std::is_sorted(bounds_.begin(), bounds_.end()) &&
                          std::adjacent_find(bounds_.begin(), bounds_.end()) == bounds_.end(),
                      "bounds must ascend");
}

LatencyHistogram LatencyHistogram::log_linear() {
    static const std::vector<double> bounds = [] {
        std::vector<double> out;
        for (std::int64_t ms = 0; ms < log_linear_exact_ms_max; ++ms)
            out.push_back(static_cast<double>(ms) / ms_per_second);
        for (std::size_t octave = 0; octave < log_linear_octaves; ++octave)
            for (std::size_t sub = 0; sub < log_linear_sub_buckets; ++sub)
                out.push_back(static_cast<double>(log_linear_bound_ms(octave, sub)) / ms_per_second);
        return out;
    }();
    return LatencyHistogram(bounds);
}

void LatencyHistogram::observe(double seconds) {
    const auto bound = std::lower_bound(bounds_.begin(), bounds_.end(), seconds);
    ++counts_[static_cast<std::size_t>(bound - bounds_.begin())];
    sum_seconds_ += seconds;
    ++count_;
}

std::uint64_t LatencyHistogram::cumulative_count(std::size_t bound) const {
    LIKVARD_INVARIANT(bound < bounds_.size(),
                      "bound " + std::to_string(bound) + " of " + std::to_string(bounds_.size()));
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bound; ++i) cumulative += counts_[i];
    return cumulative;
}

std::optional<double> LatencyHistogram::quantile_seconds(double fraction) const {
    LIKVARD_INVARIANT(fraction >= 0 && fraction <= 1, "fraction " + std::to_string(fraction));
    if (count_ == 0) return std::nullopt;
    const auto rank =
        std::max<std::uint64_t>(static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_))), 1);
    std::uint64_t seen = 0;
    for (std::size_t bucket = 0; bucket < bounds_.size(); ++bucket) {
        seen += counts_[bucket];
        if (seen >= rank) return bounds_[bucket];
    }
    return bounds_.back();
}

}  // namespace likvard
