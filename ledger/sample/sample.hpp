// Synthetic sample years for the sample regions: a deterministic stream of NDJSON events
// (docs/contract.md, version 1) that passes the contract and the ledger rules. Same spec, same
// bytes: every random choice comes from std::mt19937_64 seeded by the spec, and every
// amount is computed in öre with integers.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace likvard {

inline constexpr int sample_year_min = 2000;
inline constexpr int sample_year_max = 2099;

struct SampleSpec {
    std::string region;      // ISO 3166-2 code: one of sample_regions()
    int year = 2022;         // sample_year_min..sample_year_max
    std::uint64_t seed = 1;  // any value; the same seed gives the same bytes
};

// The region codes the generator knows, ascending ("SE-AC", "SE-E", "SE-Z").
std::vector<std::string> sample_regions();

// One event per element, in chronological order, without a trailing newline.
// Throws std::invalid_argument for an unknown region or a year out of range.
std::vector<std::string> generate_sample(const SampleSpec& spec);

// Writes generate_sample(spec) as NDJSON (one line per event); returns the number of events.
std::size_t write_sample(const SampleSpec& spec, std::ostream& out);

inline constexpr int sample_years_max = 10;  // years in one stream

// Consecutive years of one region as one ledger's stream: the parties registered in the first
// year only, each provider's list drifting from one year to the next, every year's periods
// closed in January of the next, and a December payment found wrong after the close reversed
// and paid again in the next year's January. Year Y's events come from the seeds of
// (seed, region, Y), and the stream begins with exactly generate_sample of the first year.
struct SampleYears {
    std::string region;
    int first_year = 2022;
    int last_year = 2022;  // first_year..first_year + sample_years_max - 1
    std::uint64_t seed = 1;
};

// Throws std::invalid_argument for an unknown region, a year out of range, or years that end
// before they begin or are more than sample_years_max.
std::vector<std::string> generate_sample_years(const SampleYears& years);
std::size_t write_sample_years(const SampleYears& years, std::ostream& out);

}  // namespace likvard
