// `likvard sample`: writes a synthetic, deterministic year of events for a sample region,
// for demonstrations, tests and load; every line passes `likvard check`.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/detail/commands.hpp"
#include "cli/detail/options.hpp"
#include "sample/general_ledger.hpp"
#include "sample/sample.hpp"
#include "sie/sie.hpp"

namespace likvard::cli {
namespace {

constexpr const char* sample_help =
    R"(Usage: likvard sample --region SE-Z|SE-AC --year YYYY [--seed N] [--format ndjson|sie] [--out PATH]

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
  --format F   ndjson (default): the events. sie: the same year as the region's finance
               system would export it, SIE 4E in CP437: invented Region-Bas style accounts,
               cost centres (dimension 1), projects (6) and counterparties (21), one
               verification per money event and ordinary bookings outside the choice
               system (salaries, rent). ledger/sample/gl/ holds the mapping and party map
               that import and reconcile it.
  --out PATH   write to this file instead of standard output.

The year holds: the parties (purchaser, central budget, health-care director, the
region-run organisation, every health centre, three vendors); monthly listings;
capitation, variable, supplementary, sparsity and target payments; VAT and IT overhead
compensation to private providers; internal charges to region-run units; shared costs
(e-frikort, waiting-room TVs, the EHR acute module); the special commitments and an
appropriation; OMI visits bought between centres; one duplicated payment and its reversal;
the year's budget, set in January and revised in July.

Examples:
  likvard sample --region SE-Z --year 2022 --seed 7 | likvard check -
  likvard sample --region SE-Z --year 2022 --format sie --out SE-Z-2022.se

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

// The bytes of the chosen format and what they hold, for the closing message.
struct Written {
    std::string bytes;
    std::string what;
};

Written render(const SampleSpec& spec, const std::string& format) {
    if (format == "sie") {
        const sie::SieDocument document = sample_general_ledger(spec);
        return {sie::write_sie4(document), std::to_string(document.verifications.size()) + " verifications"};
    }
    std::ostringstream out;
    const std::size_t count = write_sample(spec, out);
    return {out.str(), std::to_string(count) + " events"};
}

}  // namespace

int sample(const Args& args) {
    const Options options(args, {"--region", "--year", "--seed", "--format", "--out"}, {});
    if (options.help()) {
        std::cout << sample_help;
        return exit_ok;
    }
    const SampleSpec spec = parse_spec(options);
    const std::string format = options.value("--format").value_or("ndjson");
    if (format != "ndjson" && format != "sie") throw UsageError("--format must be ndjson or sie, got '" + format + "'");
    const Written written = render(spec, format);
    const auto out_path = options.value("--out");
    const std::string what = "wrote " + written.what + " for " + spec.region + " " + std::to_string(spec.year) +
                             " (seed " + std::to_string(spec.seed) + ")";
    if (!out_path) {
        std::cout << written.bytes;
        std::cout.flush();
        if (!std::cout) {
            std::cerr << "likvard sample: could not write to standard output\n";
            return exit_failure;
        }
        std::cerr << what << "\n";
        return exit_ok;
    }
    std::ofstream file(*out_path, std::ios::binary | std::ios::trunc);
    if (!file) {
        std::cerr << "likvard sample: cannot write " << *out_path << "\n";
        return exit_failure;
    }
    file << written.bytes;
    file.close();
    if (!file) {
        std::cerr << "likvard sample: writing " << *out_path << " failed\n";
        return exit_failure;
    }
    std::cerr << what << " to " << *out_path << "\n";
    return exit_ok;
}

}  // namespace likvard::cli
