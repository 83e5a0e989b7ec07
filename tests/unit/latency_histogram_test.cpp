// The one latency histogram: which bucket a value counts in, the cumulative counts that
// /metrics renders, and the quantiles the consumer logs.
#include "core/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

#include "core/invariant.hpp"
#include "test_seed.hpp"

using likvard::LatencyHistogram;

namespace {

constexpr double ms = 0.001;  // seconds

std::int64_t quantile_ms(const LatencyHistogram& histogram, double fraction) {
    return std::llround(histogram.quantile_seconds(fraction).value() / ms);
}

}  // namespace

TEST(LatencyHistogram, AValueCountsInTheFirstBucketWhoseBoundIsAtLeastIt) {
    LatencyHistogram histogram({0.001, 0.0025, 0.005});
    for (const double seconds : {0.0, 0.001, 0.0011, 0.0025, 0.004, 0.0051, 10.0}) histogram.observe(seconds);
    EXPECT_EQ(histogram.cumulative_count(0), 2u);  // 0 and the bound itself
    EXPECT_EQ(histogram.cumulative_count(1), 4u);
    EXPECT_EQ(histogram.cumulative_count(2), 5u);
    EXPECT_EQ(histogram.count(), 7u);  // two above the last bound
    EXPECT_DOUBLE_EQ(histogram.sum_seconds(), 0.0 + 0.001 + 0.0011 + 0.0025 + 0.004 + 0.0051 + 10.0);
}

TEST(LatencyHistogram, AnEmptyHistogramHasNoQuantile) {
    const LatencyHistogram histogram({0.1});
    EXPECT_EQ(histogram.count(), 0u);
    EXPECT_FALSE(histogram.quantile_seconds(0.5).has_value());
}

TEST(LatencyHistogram, QuantilesAreTheBoundOfTheRankedValuesBucket) {
    LatencyHistogram histogram = LatencyHistogram::log_linear();
    for (int value_ms = 1; value_ms <= 100; ++value_ms) histogram.observe(value_ms * ms);
    EXPECT_EQ(quantile_ms(histogram, 0.50), 50);
    EXPECT_EQ(quantile_ms(histogram, 0.99), 99);
    EXPECT_EQ(quantile_ms(histogram, 1.0), 100);
    EXPECT_EQ(quantile_ms(histogram, 0.0), 1);  // the first value, not an empty bucket
    histogram.observe(1500 * ms);               // 1,488..1,503 ms is one bucket
    EXPECT_EQ(quantile_ms(histogram, 1.0), 1503);
}

TEST(LatencyHistogram, AQuantileAboveTheLastBoundIsTheLastBound) {
    LatencyHistogram histogram({0.5, 1.0});
    histogram.observe(0.2);
    histogram.observe(30.0);
    EXPECT_DOUBLE_EQ(histogram.quantile_seconds(0.5).value(), 0.5);
    EXPECT_DOUBLE_EQ(histogram.quantile_seconds(0.99).value(), 1.0);
}

TEST(LatencyHistogram, TheLogLinearBoundsAreExactBelowASecondThenWithinOneSixtyFourth) {
    const LatencyHistogram histogram = LatencyHistogram::log_linear();
    const auto& bounds = histogram.upper_bounds_seconds();
    ASSERT_EQ(bounds.size(), 1024u + 22u * 64u);
    EXPECT_EQ(std::llround(bounds[1023] / ms), 1023);
    EXPECT_EQ(std::llround(bounds[1024] / ms), 1039);
    EXPECT_EQ(std::llround(bounds.back() / ms), (std::int64_t{1} << 32) - 1);
    const std::uint64_t seed = likvard::test::test_seed(1024);
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<std::int64_t> value_ms(0, (std::int64_t{1} << 32) - 1);
    for (int i = 0; i < 10'000; ++i) {
        LatencyHistogram one = LatencyHistogram::log_linear();
        const std::int64_t value = value_ms(random);
        one.observe(static_cast<double>(value) * ms);
        const std::int64_t bound = quantile_ms(one, 0.5);
        ASSERT_GE(bound, value) << likvard::test::replay_hint(seed);
        ASSERT_LE(bound - value, value / 64) << value << "; " << likvard::test::replay_hint(seed);
    }
}

TEST(LatencyHistogram, BoundsThatDoNotAscendAreADefect) {
    EXPECT_THROW(LatencyHistogram(std::vector<double>{}), likvard::InvariantViolation);
    EXPECT_THROW(LatencyHistogram({0.5, 0.1}), likvard::InvariantViolation);
    EXPECT_THROW(LatencyHistogram({0.5, 0.5}), likvard::InvariantViolation);
    const LatencyHistogram histogram({0.5});
    EXPECT_THROW((void)histogram.cumulative_count(1), likvard::InvariantViolation);
    EXPECT_THROW((void)histogram.quantile_seconds(1.5), likvard::InvariantViolation);
}
