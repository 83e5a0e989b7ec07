// `likvard statement summary|comparison`: a region's year over its schemes, and one scheme's
// year over regions, made of the neutrality and commitment statements, in every format.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/detail/options.hpp"
#include "projections/projections.hpp"
#include "store/store.hpp"

namespace likvard::cli {
namespace {

constexpr const char* generator_version = "likvard 0.1.0";

constexpr const char* summary_help = R"(Usage: likvard statement summary --region R --year YYYY
                         [--as-of SEQ | --as-of-time TIMESTAMP]
                         [--format json|md|csv|xlsx|html|pdf] [--lang sv|en] [--out PATH]
                         [--source auto|projections|ledger] [--database-url URL]

The region summary: one row per scheme the region has events of in the year (January to
December): the weighted listed and the net resources per weighted listed citizen and year
of each side, the neutrality gap (or why there is none: no_region_run_side or
no_private_side), the special commitments' cost and the total unfunded. Each row is the
neutrality and commitment statements of that scheme and year, to the öre, and names their
content hashes. Every scheme is read at one position of the region's chain: the head,
--as-of SEQ or --as-of-time TIMESTAMP (as for 'likvard statement neutrality'); the
provenance names as_of_seq and as_of_hash, and content_hash seals the JSON body.

--format, --lang, --out and --source as for 'likvard statement neutrality' (csv needs
--out DIRECTORY: files summary-provenance.csv, summary-schemes.csv, summary-summary.csv).

A region of which the ledger has no event, or none in the year, is an error that names what
the ledger has.

Exit codes: 0 written, 1 the database failed or the ledger has no events for the region in
the year, 2 usage error.
)";

constexpr const char* comparison_help =
    R"(Usage: likvard statement comparison --scheme S --year YYYY [--regions R1,R2,...]
                         [--as-of SEQ | --as-of REGION=SEQ,... | --as-of-time TIMESTAMP]
                         [--format json|md|csv|xlsx|html|pdf] [--lang sv|en] [--out PATH]
                         [--source auto|projections|ledger] [--database-url URL]

The comparison of regions for one scheme and year (January to December): per region and
side the listed and weighted listed, and per weighted listed citizen and year each
compensation component, overhead compensation, internal charges and net resources; per
region the neutrality gap, the special commitments per weighted listed of the region-run
side and the shared costs carried for others. Per weighted listed, regions of different
size compare. Each region's figures are its neutrality and commitment statements, to the
öre.

--regions: the regions compared, in that order (default: every region with events of the
scheme in the year, in code order). Each region has its own chain: the table regions names
each one's as_of_seq, as_of_hash and its statements' content hashes. By default each is
read at its head. --as-of SEQ applies to one region (with --regions naming exactly one);
for several, --as-of REGION=SEQ,... names a seq per region (the others at their head;
without --regions, the regions named). --as-of-time TIMESTAMP is one moment for every
region: each at the last seq of its chain before the first event recorded after it.

--format, --lang, --out and --source as for 'likvard statement neutrality' (csv needs
--out DIRECTORY: files comparison-provenance.csv, comparison-regions.csv,
comparison-sides.csv, comparison-gaps.csv, comparison-summary.csv).

A region named that the ledger has no events of in the scheme and year is an error that
names what the ledger has of it.

Exit codes: 0 written, 1 the database failed or the ledger has no events to compare,
2 usage error.
)";

struct Output {
    std::string format = "json";
    std::optional<Language> language;  // none: json, and the machine CSV
};

Output read_output(const Options& options) {
    Output output;
    output.format = options.value("--format").value_or("json");
    const std::string& format = output.format;
    const bool human = format == "md" || format == "xlsx" || format == "html" || format == "pdf";
    if (format != "json" && format != "csv" && !human)
        throw UsageError("--format '" + format + "' is not json, md, csv, xlsx, html or pdf");
    if (format == "csv" && !options.value("--out")) throw UsageError("--format csv needs --out DIRECTORY");
    if ((format == "xlsx" || format == "pdf") && !options.value("--out"))
        throw UsageError("--format " + format + " needs --out FILE");
    if (const auto lang = options.value("--lang")) {
        output.language = language_of(*lang);
        if (!output.language) throw UsageError("--lang '" + *lang + "' is not sv or en");
        if (format == "json")
            throw UsageError("--lang applies to --format md, csv, xlsx, html or pdf; JSON has no language");
    } else if (human) {
        output.language = Language::sv;
    }
    return output;
}

StatementSource read_source(const Options& options) {
    const std::string source = options.value("--source").value_or("auto");
    if (source == "projections") return StatementSource::projections;
    if (source == "ledger") return StatementSource::ledger;
    if (source != "auto") throw UsageError("--source '" + source + "' is not auto, projections or ledger");
    return StatementSource::automatic;
}

std::string required(const Options& options, const std::string& name) {
    auto value = options.value(name);
    if (!value) throw UsageError(name + " is required");
    return *value;
}

// A query's problem ("as_of_time", "...") as the option it names.
[[noreturn]] void usage_problem(std::pair<std::string, std::string> problem) {
    std::replace(problem.first.begin(), problem.first.end(), '_', '-');
    throw UsageError("--" + problem.first + " " + problem.second);
}

std::vector<std::string> split(const std::string& text, const std::string& option) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        out.push_back(text.substr(start, comma - start));
        if (out.back().empty()) throw UsageError(option + " '" + text + "' has an empty item");
        if (comma == std::string::npos) return out;
        start = comma + 1;
    }
}

std::int64_t seq_of(const std::string& text, const std::string& what) {
    const bool digits = !text.empty() && text.size() <= 18 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) throw UsageError("--as-of '" + what + "' is not a sequence number");
    return std::stoll(text);
}

// --as-of SEQ (one region) or REGION=SEQ,...
std::map<std::string, std::int64_t> read_as_of(const std::string& text, const std::vector<std::string>& regions) {
    std::map<std::string, std::int64_t> out;
    if (text.find('=') == std::string::npos) {
        if (regions.size() != 1)
            throw UsageError(
                "--as-of SEQ applies to one region (--regions R); for several give REGION=SEQ pairs: "
                "--as-of SE-Z=120,SE-AC=88");
        out[regions.front()] = seq_of(text, text);
        return out;
    }
    for (const auto& pair : split(text, "--as-of")) {
        const std::size_t equals = pair.find('=');
        if (equals == std::string::npos) throw UsageError("--as-of '" + pair + "' is not REGION=SEQ");
        const std::string region = pair.substr(0, equals);
        if (!out.emplace(region, seq_of(pair.substr(equals + 1), pair)).second)
            throw UsageError("--as-of names " + region + " twice");
    }
    return out;
}

void write_csv(const Document& d, const std::optional<Language>& language, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    for (const auto& table : csv_tables(d)) {
        const auto path = dir / (d.statement + "-" + table.name + ".csv");
        std::ofstream(path, std::ios::binary) << (language ? *render_csv(d, table.name, *language) : render_csv(table));
        std::cerr << "wrote " << path.string() << "\n";
    }
}

std::string rendered(const Document& d, const Output& output) {
    if (output.format == "json") return render_json(d);
    if (output.format == "xlsx") return render_xlsx(d, *output.language);
    if (output.format == "html") return render_html(d, *output.language);
    if (output.format == "md") return render_markdown(d, *output.language);
    PdfResult printed = print_pdf(render_html(d, *output.language), pdf_printer_from_environment());
    if (!printed.pdf) throw std::runtime_error(printed.error);
    return std::move(*printed.pdf);
}

std::string source_said(StatementSource source) {
    if (source == StatementSource::projections) return "projections";
    if (source == StatementSource::blocks) return "projections' blocks and the postings after them";
    return "ledger's postings";
}

// Computes, says on stderr where from and how long it took, and writes.
template <typename Make>
int write(const Options& options, const Output& output, Make make) {
    Store store(database_url(options));
    const auto started = std::chrono::steady_clock::now();
    const StatementResult result = make(store);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    std::cerr << result.document.statement << " from the " << source_said(result.source_used) << " computed in "
              << elapsed << " ms\n";
    if (output.format == "csv") return write_csv(result.document, output.language, *options.value("--out")), exit_ok;
    const std::string text = rendered(result.document, output);
    if (const auto out = options.value("--out")) {
        std::ofstream(*out, std::ios::binary) << text;
        std::cerr << "wrote " << *out << "\n";
    } else {
        std::cout << text;
    }
    return exit_ok;
}

int summary(const Args& args) {
    Options options(
        args,
        {"--region", "--year", "--as-of", "--as-of-time", "--format", "--lang", "--out", "--source", "--database-url"},
        {});
    if (options.help()) return std::cout << summary_help, exit_ok;
    if (options.positional().size() != 1) throw UsageError("likvard statement summary takes no other argument");
    SummaryQuery query;
    query.region = required(options, "--region");
    query.year = required(options, "--year");
    query.as_of = options.integer("--as-of");
    query.as_of_time = options.value("--as-of-time");
    if (query.as_of && query.as_of_time) throw UsageError("--as-of and --as-of-time: give one of them, not both");
    query.source = read_source(options);
    if (auto problem = summary_query_problem(query)) usage_problem(*problem);
    const Output output = read_output(options);
    return write(options, output, [&](Store& store) { return make_region_summary(store, query, generator_version); });
}

int comparison(const Args& args) {
    Options options(args,
                    {"--scheme", "--year", "--regions", "--as-of", "--as-of-time", "--format", "--lang", "--out",
                     "--source", "--database-url"},
                    {});
    if (options.help()) return std::cout << comparison_help, exit_ok;
    if (options.positional().size() != 1) throw UsageError("likvard statement comparison takes no other argument");
    ComparisonQuery query;
    query.scheme = required(options, "--scheme");
    query.year = required(options, "--year");
    if (const auto regions = options.value("--regions")) query.regions = split(*regions, "--regions");
    if (const auto as_of = options.value("--as-of")) query.as_of = read_as_of(*as_of, query.regions);
    query.as_of_time = options.value("--as-of-time");
    if (!query.as_of.empty() && query.as_of_time)
        throw UsageError("--as-of and --as-of-time: give one of them, not both");
    query.source = read_source(options);
    if (auto problem = comparison_query_problem(query)) usage_problem(*problem);
    const Output output = read_output(options);
    return write(options, output, [&](Store& store) { return make_comparison(store, query, generator_version); });
}

}  // namespace

int statement_overview(const Args& args) {
    if (!args.empty() && args[0] == "summary") return summary(args);
    return comparison(args);
}

}  // namespace likvard::cli
