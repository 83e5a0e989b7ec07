// `likvard statement neutrality|commitments`: the two statements from the ledger, as of a
// sequence number, in JSON (canonical, with its content hash), Markdown or CSV files.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "cli/detail/options.hpp"
#include "cli/detail/progress.hpp"
#include "projections/projections.hpp"
#include "store/store.hpp"

namespace likvard::cli {
namespace {

constexpr const char* generator_version = "likvard 0.1.0";

constexpr const char* statement_help = R"(Usage: likvard statement neutrality|commitments --region R --scheme S
                         (--from YYYY-MM --to YYYY-MM | --tertial YYYY-T1|T2|T3)
                         [--compare previous-year]
                         [--as-of SEQ | --as-of-time TIMESTAMP]
                         [--format json|md|csv|xlsx|html|pdf] [--lang sv|en] [--out PATH]
                         [--source auto|projections|ledger] [--database-url URL]

neutrality   the competitive-neutrality statement: per provider and side the
             compensation received and the costs carried, net resources per weighted
             listed citizen and year, the gap between region-run and private providers
             (also without deficit compensation), cross-subsidies through shared costs,
             overhead compensation against internal charges.
commitments  the special-commitment cost statement: what the region-run side carries
             for the region as principal, against appropriations, and the shared
             services it pays for others.

Both start with their provenance: region, scheme, months, as_of_seq and as_of_hash (the
ledger position; compare with 'likvard verify'), events counted, decision references,
and content_hash, the SHA-256 of the canonical JSON body. The same position gives the
same bytes. --as-of SEQ computes the statement from the ledger as it was at SEQ.
--as-of-time TIMESTAMP (RFC 3339: 2024-03-01T12:00:00Z, 2024-03-01T12:00:00.250Z or
2024-03-01T13:00:00+01:00) computes it as the ledger stood at that moment: up to the last
seq before the first event recorded after it; the provenance names as_of_time (in UTC)
beside as_of_seq. A moment before the region's first event is an error.

Where the ledger holds budgets for the months, a table budget sets each budgeted line
against its outcome (the last budget per key as of that position).

--tertial YYYY-T1|T2|T3 is --from YYYY-01 --to YYYY-04, YYYY-08 or YYYY-12: cumulative, as the
interim reports and the annual report are; beside the cumulative figures the statement
shows the tertial's own months (T1 January-April, T2 May-August, T3 September-December),
as tables <table>_tertial_months, computed as their own statement at the same position.
Not with --from or --to.

--compare previous-year sets every money and per-capita figure against the same months one
year earlier (with --tertial, the same tertial), computed as its own statement at the same
position (--as-of, --as-of-time and --source alike): tables comparison_<table> with the
current and previous figure, the change in SEK and in percent of the previous figure
(blank where it is 0). Where the ledger has no events in the earlier months, the summary
says so instead of showing zeros.

--source auto (default) reads the projections when they stand at the region's head and
no --as-of is given, else their blocks below the seq and the postings after them (at most
one block of events), else the postings of the ledger; projections reads them at their
checkpoint (whatever it is); ledger always sums every posting up to the seq (the long
way, for an auditor). All give the same bytes for the same position. Which one answered
is said on stderr.

Formats: json (default; canonical), md (Markdown), csv (one ';'-separated file per
table, plus provenance and summary files; needs --out DIRECTORY), xlsx (one sheet per
table plus provenance and summary sheets, figures as numbers; needs --out FILE), pdf (a
printable A4 report for a board: the summary in words, charts of net resources per
weighted listed and of the gap bridge, every table, estimated allocation keys marked, the
decisions referred to; printed by headless Chromium, $LIKVARD_CHROMIUM names another
program; needs --out FILE), html (the same report as one HTML file, which prints as the
PDF does). Money is SEK with two decimals; per-capita figures are rounded half away from
zero to the öre.

--lang sv (default for md, xlsx, html and pdf) or en: the titles, headings, labels and summary
sentences in Swedish or English, figures grouped by thousands (1 300 000,00 or
1,300,000.00). For csv, --lang gives files for a spreadsheet: labels as headers, no
grouping, and with sv a decimal comma, which Swedish Excel reads as numbers; without
--lang the CSV is the machine form: keys as headers, '.' decimals, as scripts read it.
JSON has no language: its keys are the contract.

A region, or a region and scheme, of which the ledger has no event is an error that names
the regions (or the region's schemes) the ledger has: a typo never passes for zeros.

The database is --database-url or $LIKVARD_DATABASE_URL; likvard_reader (ops/pg url
--role reader) may read all that a statement reads.

Exit codes: 0 written, 1 the database failed, the ledger has no events for the region
and scheme, or the PDF could not be printed, 2 usage error.
)";

void check_value(const std::string& option, const std::string& value, const std::regex& form, const std::string& what) {
    if (!std::regex_match(value, form)) throw UsageError(option + " '" + value + "' is not " + what);
}

std::string required(const Options& options, const std::string& name) {
    auto value = options.value(name);
    if (!value) throw UsageError(name + " is required");
    return *value;
}

std::string source_said(StatementSource source) {
    if (source == StatementSource::projections) return "projections";
    if (source == StatementSource::blocks) return "projections' blocks and the postings after them";
    return "ledger's postings";
}

// What to write: the format and, for the human formats, the language (--lang).
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

// The board's report printed by Chromium; a failure to print is the work failing (exit 1).
std::string pdf_of(const Document& d, Language language) {
    PdfResult printed = print_pdf(render_html(d, language), pdf_printer_from_environment());
    if (!printed.pdf) throw std::runtime_error(printed.error);
    return std::move(*printed.pdf);
}

std::string rendered(const Document& d, const Output& output) {
    if (output.format == "json") return render_json(d);
    if (output.format == "xlsx") return render_xlsx(d, *output.language);
    if (output.format == "html") return render_html(d, *output.language);
    if (output.format == "pdf") return pdf_of(d, *output.language);
    return render_markdown(d, *output.language);
}

void write_csv(const Document& d, const std::optional<Language>& language, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    for (const auto& table : csv_tables(d)) {
        const auto path = dir / (d.statement + "-" + table.name + ".csv");
        std::ofstream(path, std::ios::binary) << (language ? *render_csv(d, table.name, *language) : render_csv(table));
        std::cerr << "wrote " << path.string() << "\n";
    }
}

// --from and --to, or --tertial for both (and --compare): one way to name the months.
void read_months(const Options& options, StatementQuery& query) {
    query.tertial = options.value("--tertial");
    if (query.tertial && (options.value("--from") || options.value("--to")))
        throw UsageError("--tertial and --from/--to: give a tertial or the months, not both");
    if (!query.tertial) {
        query.from = required(options, "--from");
        query.to = required(options, "--to");
    }
    if (const auto compare = options.value("--compare")) {
        if (*compare != "previous-year") throw UsageError("--compare '" + *compare + "' is not previous-year");
        query.compare_previous_year = true;
    }
}

}  // namespace

int statement(const Args& args) {
    if (!args.empty() && (args[0] == "summary" || args[0] == "comparison")) return statement_overview(args);
    Options options(args,
                    {"--region", "--scheme", "--from", "--to", "--tertial", "--compare", "--as-of", "--as-of-time",
                     "--format", "--lang", "--out", "--source", "--database-url"},
                    {});
    if (options.help()) return std::cout << statement_help, exit_ok;
    if (options.positional().size() != 1) throw UsageError("say which statement: neutrality or commitments");
    const std::string kind = options.positional()[0];
    if (kind != "neutrality" && kind != "commitments") throw UsageError("unknown statement '" + kind + "'");
    StatementQuery query;
    query.statement = kind;
    query.region = required(options, "--region");
    query.scheme = required(options, "--scheme");
    read_months(options, query);
    query.as_of = options.integer("--as-of");
    query.as_of_time = options.value("--as-of-time");
    if (query.as_of && query.as_of_time) throw UsageError("--as-of and --as-of-time: give one of them, not both");
    const std::string source = options.value("--source").value_or("auto");
    if (source == "projections")
        query.source = StatementSource::projections;
    else if (source == "ledger")
        query.source = StatementSource::ledger;
    else if (source != "auto")
        throw UsageError("--source '" + source + "' is not auto, projections or ledger");
    if (auto problem = statement_query_problem(query)) {
        std::replace(problem->first.begin(), problem->first.end(), '_', '-');
        throw UsageError("--" + problem->first + " " + problem->second);
    }
    const Output output = read_output(options);
    const std::string& format = output.format;

    Store store(database_url(options));
    const auto started = std::chrono::steady_clock::now();
    const StatementResult result = make_statement(store, query, generator_version);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    const Document& document = result.document;
    std::cerr << "statement from the " << source_said(result.source_used) << " computed in " << elapsed << " ms\n";
    if (format == "csv") return write_csv(document, output.language, *options.value("--out")), exit_ok;
    const std::string text = rendered(document, output);
    if (const auto out = options.value("--out")) {
        std::ofstream(*out, std::ios::binary) << text;
        std::cerr << "wrote " << *out << "\n";
    } else {
        std::cout << text;
    }
    return exit_ok;
}

constexpr const char* export_help =
    R"(Usage: likvard export hledger --region R [--as-of SEQ] [--out PATH] [--database-url URL]

Writes the region's postings as an hledger (and ledger-cli) journal: one transaction per
event in seq order, dated on the first day of its accounting period, accounts as in the
account chart (<party>:<class>:<item>), amounts in SEK with two decimals, and the event
id, seq, business date and decision reference as tags. An auditor can then use hledger:
  hledger -f export.journal bal -b 2022-01-01 -e 2023-01-01 hc-lugnvik

The database is --database-url or $LIKVARD_DATABASE_URL; likvard_reader may read it all.

Exit codes: 0 written, 1 the database failed or the ledger has no events for the region
(the message names the regions it has), 2 usage error.
)";

int export_journal(const Args& args) {
    if (!args.empty() && args[0] == "sie") return export_sie(args);
    Options options(args, {"--region", "--as-of", "--out", "--database-url"}, {});
    if (options.help()) return std::cout << export_help, exit_ok;
    if (options.positional().size() != 1 || options.positional()[0] != "hledger")
        throw UsageError("the export format is hledger or sie: likvard export hledger|sie --region R");
    const std::string region = required(options, "--region");
    check_value("--region", region, std::regex("[A-Z]{2}-[A-Z0-9]{1,3}"), "an ISO 3166-2 region code like SE-Z");
    const auto as_of = options.integer("--as-of");
    Store store(database_url(options));
    store.require_scope(region);
    Progress progress("events", std::nullopt);
    const auto on_progress = [&](std::int64_t done, std::int64_t total) {
        progress.set_total(total);
        progress.advance(done - progress.done());
    };
    if (const auto out = options.value("--out")) {
        std::ofstream file(*out, std::ios::binary);
        const std::int64_t seq = store.export_hledger(region, as_of, file, on_progress);
        progress.finish();
        std::cerr << "wrote " << *out << " (" << region << " up to seq " << seq << ")\n";
    } else {
        store.export_hledger(region, as_of, std::cout, on_progress);
    }
    return exit_ok;
}

}  // namespace likvard::cli
