// `likvard sample`: writes a synthetic, deterministic year of events for a sample region,
// for demonstrations, tests and load; every line passes `likvard check`.
#include <algorithm>
#include <fstream>
#include <iostream>

#include "cli/detail/commands.hpp"
#include "cli/detail/options.hpp"
#include "sample/sample.hpp"

namespace likvard::cli {
namespace {

constexpr const char* sample_help = R"(Usage: likvard sample --region SE-Z|SE-AC --year YYYY [--seed N] [--out PATH]

Writes a synthetic year of events for a sample region as NDJSON (one event per line),
in the order they happen, ready for 'likvard check' or 'likvard append'. The figures are
invented to look like the region's choice system; they are not real accounts.

  --region R   SE-Z  Region Jämtland Härjedalen: 21 region-run and 7 private health
                     centres, about 800 MSEK a year.
               SE-AC Region Västerbotten: 33 region-run units (7 cottage hospitals) and
                     5 private health centres, about 1.5 billion SEK a year.
  --year YYYY  the calendar year, 2000..2099 (periods YYYY-01..YYYY-12).
  --seed N     a non-negative integer (default 1). The same region, year and seed always
               give the same bytes; another seed gives other amounts and event ids.
  --out PATH   write to this file instead of standard output.

The year holds: the parties (purchaser, central budget, health-care director, the
region-run organisation, every health centre, three vendors); monthly listings;
capitation, variable, supplementary, sparsity and target payments; VAT and IT overhead
compensation to private providers; internal charges to region-run units; shared costs
(e-frikort, waiting-room TVs, the EHR acute module); the special commitments and an
appropriation; OMI visits bought between centres; one duplicated payment and its reversal.

Example:
  likvard sample --region SE-Z --year 2022 --seed 7 | likvard check -

Exit codes: 0 written, 1 the output could not be written, 2 usage error.
)";

SampleSpec parse_spec(const Options& options) {
    if (!options.positional().empty()) throw UsageError("unexpected argument '" + options.positional().front() + "'");
    SampleSpec spec;
    const auto region = options.value("--region");
    if (!region) throw UsageError("--region is required (SE-Z or SE-AC)");
    const auto known = sample_regions();
    if (std::find(known.begin(), known.end(), *region) == known.end())
        throw UsageError("--region must be SE-Z or SE-AC, got '" + *region + "'");
    spec.region = *region;
    const auto year = options.integer("--year");
    if (!year) throw UsageError("--year is required, e.g. --year 2022");
    if (*year < sample_year_min || *year > sample_year_max)
        throw UsageError("--year must be between " + std::to_string(sample_year_min) + " and " +
                         std::to_string(sample_year_max) + ", got " + std::to_string(*year));
    spec.year = static_cast<int>(*year);
    if (const auto seed = options.integer("--seed")) {
        if (*seed < 0) throw UsageError("--seed must be a non-negative integer, got " + std::to_string(*seed));
        spec.seed = static_cast<std::uint64_t>(*seed);
    }
    return spec;
}

}  // namespace

int sample(const Args& args) {
    const Options options(args, {"--region", "--year", "--seed", "--out"}, {});
    if (options.help()) {
        std::cout << sample_help;
        return exit_ok;
    }
    const SampleSpec spec = parse_spec(options);
    const auto out_path = options.value("--out");
    if (!out_path) {
        const std::size_t count = write_sample(spec, std::cout);
        std::cout.flush();
        if (!std::cout) {
            std::cerr << "likvard sample: could not write to standard output\n";
            return exit_failure;
        }
        std::cerr << "wrote " << count << " events for " << spec.region << " " << spec.year << " (seed " << spec.seed
                  << ")\n";
        return exit_ok;
    }
    std::ofstream file(*out_path, std::ios::binary | std::ios::trunc);
    if (!file) {
        std::cerr << "likvard sample: cannot write " << *out_path << "\n";
        return exit_failure;
    }
    const std::size_t count = write_sample(spec, file);
    file.close();
    if (!file) {
        std::cerr << "likvard sample: writing " << *out_path << " failed\n";
        return exit_failure;
    }
    std::cerr << "wrote " << count << " events for " << spec.region << " " << spec.year << " (seed " << spec.seed
              << ") to " << *out_path << "\n";
    return exit_ok;
}

}  // namespace likvard::cli
