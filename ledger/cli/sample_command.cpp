// `likvard sample`: writes a synthetic, deterministic year of events for a sample region,
// for demonstrations, tests and load; every line passes `likvard check`.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <tuple>
#include <utility>

#include "cli/detail/commands.hpp"
#include "cli/detail/options.hpp"
#include "sample/general_ledger.hpp"
#include "sample/sample.hpp"
#include "sie/sie.hpp"

namespace likvard::cli {
namespace {

constexpr const char* sample_help =
    R"(Usage: likvard sample --region SE-Z|SE-AC|SE-E --year YYYY [--seed N] [--format ndjson|sie] [--out PATH]
       likvard sample --region SE-Z|SE-AC|SE-E --years YYYY-YYYY [--seed N] [--out PATH]

Writes a synthetic year of events for a sample region as NDJSON (one event per line),
in the order they happen, ready for 'likvard check' or 'likvard append': every choice
system (scheme) of the region. The figures are invented to look like the region's
choice systems; they are not real accounts.

  --region R   SE-Z  Region Jämtland Härjedalen:
                       primary_care: 21 region-run and 7 private health centres,
                         about 800 MSEK;
                       dental_child_youth: the public dental service (10 clinics) and
                         25 private clinics, about 63 MSEK;
                       foot_care: 24 private providers, inside the primary-care budget
                         (no region-run side);
                       physiotherapy: 23 physiotherapists under LOF at the national
                         tariff, about 22 MSEK from a central budget of 21 MSEK (the
                         sources say 21 and 22).
               SE-AC Region Västerbotten:
                       primary_care: 33 region-run units (7 cottage hospitals) and 5
                         private health centres, about 1.5 billion SEK;
                       dental_child_youth: 31 public and 10 private clinics, about 117
                         MSEK with the public dental service's special assignments;
                       physiotherapy: 30 physiotherapists under LOF (invented).
               SE-E  Region Östergötland (invented as a whole):
                       primary_care: 10 region-run and 6 private health centres;
                       physiotherapy: 7 region-run and 9 private units, listing and
                         visits.
  --year YYYY  the calendar year, 2000..2099 (periods YYYY-01..YYYY-12).
  --years A-B  consecutive years A..B (at most 10) as one ledger: the parties registered
               once in A, lists drifting from year to year, every scheme's periods
               closed in January of the next year, and a December target payment of
               primary care found wrong after the close reversed and paid again in
               January of the next year. The events of A are those of --year A. NDJSON
               only.
  --seed N     a non-negative integer (default 1). The same region, year and seed always
               give the same bytes; another seed gives other amounts and event ids.
  --format F   ndjson (default): the events. sie: the same year as the region's finance
               system would export it, SIE 4E in CP437: invented Region-Bas style accounts,
               cost centres (dimension 1), projects (6) and counterparties (21), one
               verification per money event and ordinary bookings outside the choice
               system (salaries, rent). ledger/sample/gl/ holds the mapping and party map
               that import and reconcile it.
  --out PATH   write to this file instead of standard output.

Primary care's year holds: the parties (purchaser, central budget, health-care director,
the region-run organisation, every health centre, three vendors); monthly listings;
capitation, variable, supplementary, sparsity and target payments; VAT and IT overhead
compensation to private providers; internal charges to region-run units; shared costs
(e-frikort, waiting-room TVs, the EHR acute module); the special commitments and an
appropriation; OMI visits bought between centres; one duplicated payment and its reversal;
the year's budget, set in January and revised in July. The other schemes: their providers,
listings (dental care, SE-E's physiotherapy), capitation by age band, supplements, visits
at a price, the special assignments and a budget per side.

Examples:
  likvard sample --region SE-Z --year 2022 --seed 7 | likvard check -
  likvard sample --region SE-Z --years 2022-2024 | likvard append -
  likvard sample --region SE-Z --year 2022 --format sie --out SE-Z-2022.se

Exit codes: 0 written, 1 the output could not be written, 2 usage error.
)";

int checked_year(std::int64_t year, const std::string& option) {
    if (year < sample_year_min || year > sample_year_max)
        throw UsageError(option + " must be between " + std::to_string(sample_year_min) + " and " +
                         std::to_string(sample_year_max) + ", got " + std::to_string(year));
    return static_cast<int>(year);
}

// --years A-B: two four-digit years, A <= B, at most sample_years_max of them.
std::pair<int, int> parse_years(const std::string& text) {
    const auto dash = text.find('-');
    const auto digits = [](const std::string& part) {
        return part.size() == 4 && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (dash == std::string::npos || !digits(text.substr(0, dash)) || !digits(text.substr(dash + 1)))
        throw UsageError("--years must be two years as YYYY-YYYY, e.g. 2022-2024, got '" + text + "'");
    const int first = checked_year(std::stoi(text.substr(0, dash)), "--years");
    const int last = checked_year(std::stoi(text.substr(dash + 1)), "--years");
    if (last < first) throw UsageError("--years must not end before it begins, got '" + text + "'");
    if (last - first + 1 > sample_years_max)
        throw UsageError("--years may span at most " + std::to_string(sample_years_max) + " years, got '" + text + "'");
    return {first, last};
}

// One year (--year) or several (--years); first == last with several == false is --year.
struct Request {
    SampleYears years;
    bool several = false;
    SampleSpec one() const { return {years.region, years.first_year, years.seed}; }
};

Request parse_request(const Options& options) {
    if (!options.positional().empty()) throw UsageError("unexpected argument '" + options.positional().front() + "'");
    Request request;
    const auto region = options.value("--region");
    if (!region) throw UsageError("--region is required (SE-Z, SE-AC or SE-E)");
    const auto known = sample_regions();
    if (std::find(known.begin(), known.end(), *region) == known.end())
        throw UsageError("--region must be SE-Z, SE-AC or SE-E, got '" + *region + "'");
    request.years.region = *region;
    const auto year = options.integer("--year");
    const auto years = options.value("--years");
    if (year && years) throw UsageError("--year and --years exclude each other: give one");
    if (!year && !years) throw UsageError("--year is required, e.g. --year 2022 (or --years 2022-2024)");
    if (year) request.years.first_year = request.years.last_year = checked_year(*year, "--year");
    if (years) std::tie(request.years.first_year, request.years.last_year) = parse_years(*years);
    request.several = years.has_value();
    if (const auto seed = options.integer("--seed")) {
        if (*seed < 0) throw UsageError("--seed must be a non-negative integer, got " + std::to_string(*seed));
        request.years.seed = static_cast<std::uint64_t>(*seed);
    }
    return request;
}

// The bytes of the chosen format and what they hold, for the closing message.
struct Written {
    std::string bytes;
    std::string what;
};

Written render(const Request& request, const std::string& format) {
    if (format == "sie") {
        if (request.several) throw UsageError("--format sie writes one year: give --year, not --years");
        const sie::SieDocument document = sample_general_ledger(request.one());
        return {sie::write_sie4(document), std::to_string(document.verifications.size()) + " verifications"};
    }
    std::ostringstream out;
    const std::size_t count =
        request.several ? write_sample_years(request.years, out) : write_sample(request.one(), out);
    return {out.str(), std::to_string(count) + " events"};
}

std::string what_was_written(const Request& request, const Written& written) {
    const SampleYears& y = request.years;
    const std::string years = request.several ? std::to_string(y.first_year) + "-" + std::to_string(y.last_year)
                                              : std::to_string(y.first_year);
    return "wrote " + written.what + " for " + y.region + " " + years + " (seed " + std::to_string(y.seed) + ")";
}

}  // namespace

int sample(const Args& args) {
    const Options options(args, {"--region", "--year", "--years", "--seed", "--format", "--out"}, {});
    if (options.help()) {
        std::cout << sample_help;
        return exit_ok;
    }
    const Request request = parse_request(options);
    const std::string format = options.value("--format").value_or("ndjson");
    if (format != "ndjson" && format != "sie") throw UsageError("--format must be ndjson or sie, got '" + format + "'");
    const Written written = render(request, format);
    const auto out_path = options.value("--out");
    const std::string what = what_was_written(request, written);
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
