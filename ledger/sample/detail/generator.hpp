// What the sample's generators share (sample.cpp for primary care, schemes.cpp for the other
// choice systems): the seeded random streams, the largest-remainder splitter on whole numbers,
// the text of amounts, decimals, months and event ids, and a line of the year with its day.
// Internal to ledger/sample.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "money/money.hpp"
#include "sample/sample.hpp"

namespace likvard::sample_detail {

inline constexpr int months_per_year = 12;
inline constexpr int rng_draws_max = 64;  // rejection sampling gives up (and takes the modulo) after this

inline void require(bool condition, const char* what) {
    if (!condition) throw std::logic_error(std::string("sample generator: ") + what);
}

inline std::uint32_t fnv1a(std::string_view text) {
    std::uint32_t hash = 2166136261u;
    for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    return hash;
}

class Rng {
public:
    Rng(const SampleSpec& spec, std::uint32_t stream) {
        std::seed_seq seeds{static_cast<std::uint32_t>(spec.seed), static_cast<std::uint32_t>(spec.seed >> 32),
                            fnv1a(spec.region), static_cast<std::uint32_t>(spec.year), stream};
        engine_.seed(seeds);
    }
    std::uint64_t next() { return engine_(); }
    // Uniform in [lo, hi] (lo <= hi, a small range).
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        const auto range = static_cast<std::uint64_t>(hi - lo) + 1;
        const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
        const std::uint64_t limit = max - max % range;
        std::uint64_t draw = engine_();
        for (int tries = 1; draw >= limit && tries < rng_draws_max; ++tries) draw = engine_();
        return lo + static_cast<std::int64_t>(draw % range);
    }

private:
    std::mt19937_64 engine_;
};

inline std::string uuid_v4(Rng& rng) {
    const std::uint64_t hi = (rng.next() & 0xFFFF'FFFF'FFFF'0FFFull) | 0x0000'0000'0000'4000ull;
    const std::uint64_t lo = (rng.next() & 0x3FFF'FFFF'FFFF'FFFFull) | 0x8000'0000'0000'0000ull;
    char text[64];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                  static_cast<unsigned long long>((hi >> 16) & 0xFFFF), static_cast<unsigned long long>(hi & 0xFFFF),
                  static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFF'FFFF'FFFFull));
    return text;
}

// Splits a whole (öre, or a count of people or visits) by integer weights with the ledger's
// largest-remainder splitter; the parts come back in weight order and sum exactly to it.
inline std::vector<std::int64_t> split(std::int64_t total, const std::vector<std::int64_t>& weights) {
    std::vector<Weight> named;
    named.reserve(weights.size());
    char key[64];
    for (std::size_t i = 0; i < weights.size(); ++i) {
        std::snprintf(key, sizeof key, "%06zu", i);  // ties go to the lower index
        named.push_back({key, weights[i]});
    }
    std::vector<std::int64_t> parts;
    std::int64_t sum = 0;
    for (const auto& part : split_largest_remainder(Money::from_ore(total), named)) {
        parts.push_back(part.amount.ore());
        sum += part.amount.ore();
    }
    require(sum == total, "a split does not sum to its whole");
    return parts;
}

inline std::vector<std::int64_t> split_even(std::int64_t total, std::size_t count) {
    return split(total, std::vector<std::int64_t>(count, 1));
}

inline std::string money(std::int64_t ore) { return Money::from_ore(ore).to_string(); }

inline std::int64_t sek(std::int64_t whole) { return whole * Money::ore_per_sek; }

inline std::string decimal4(std::int64_t scaled) {
    char text[64];
    std::snprintf(text, sizeof text, "%lld.%04lld", static_cast<long long>(scaled / Decimal4::scale),
                  static_cast<long long>(scaled % Decimal4::scale));
    return text;
}

inline int days_in_month(int year, int month) {
    constexpr std::array<int, months_per_year> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[static_cast<std::size_t>(month - 1)];
}

inline std::string period_of(int year, int month) {
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d", year, month);
    return text;
}

// One event of the month being generated, with the day it happens on: the month's lines are
// ordered by day (stably) before they join the year.
struct Line {
    int day = 1;
    std::string json;
};

}  // namespace likvard::sample_detail
