// `likvard export sie` and `likvard reconcile sie`: the ledger and the region's general
// ledger (its finance system) through SIE 4E files, numbered by the built-in chart.
#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/detail/gl_options.hpp"
#include "cli/detail/progress.hpp"
#include "gl/gl.hpp"
#include "store/store.hpp"

namespace likvard::cli {
namespace {

constexpr const char* program_version = "0.1.0";
constexpr int export_year_min = 2000;
constexpr int export_year_max = 2099;

constexpr const char* export_sie_help =
    R"(Usage: likvard export sie --region R --year YYYY [--out FILE] [--database-url URL]
                         [--mapping MAP.csv [--party-map PARTIES.csv] --balancing-account ACCOUNT
                          [--report FILE]]

Writes one year of the region's postings as an SIE 4E file (CP437, CRLF, with #KSUMMA)
for the auditors' tools and the finance system: #FLAGGA, #PROGRAM, #FORMAT PC8, #GEN,
#SIETYP 4, #FNAMN (the region), #RAR 0 (the calendar year), a #KONTO for every account
used, #DIM 1 "Part" with every party of the region as an #OBJEKT and #DIM 20 "Vårdval"
with the schemes, one #VER per financial event whose period lies in the year (series L,
numbered 1, 2, ... in ledger order; dated on the event's business date, occurred_on; the
text names the type and the event id), its postings as #TRANS rows with the objects
{1 "<party>" 20 "<scheme>"}, #RES per account for the year and #PSALDO per account and
month.

Account numbers come from the built-in chart (ledger/sie/README.md, "The built-in
chart"): class digit (2 settlement, 3 income, 4 expense, 5 benefit), item family digit,
two digits for the item; e.g. 4101 expense:compensation.capitation. A row whose business
date lies outside its accounting month is dated on the first day of that month, so the
months of the file are the ledger's. 'likvard reconcile sie' reads the file back.

With --mapping, the file is in the region's own accounts, to load into the finance system
(Raindance, Unit4, Visma) or to give an auditor: each posting that a row of the mapping
stands for (the reverse of what import and reconcile read: the row whose type, item,
scheme and parties fit the event and the posting's side of it; the first such row wins)
is written on that row's account (the first of a range) with the objects the row names:
each party's object from --party-map (the first object of the party in that dimension),
the row's fixed objects, and the row's series as the verification's series. A row is
only written when reading it back through the mapping keys it on the same posting.
Postings no mapping row stands for (a private provider's income is in its own books, not
the region's) are not given an account of their own: per verification they are summed
onto --balancing-account ACCOUNT, which the mapping must ignore (an ignore row, e.g. in
the balance sheet), so that every #VER balances and 'likvard reconcile sie' of the file
through the same mapping agrees. The report (stderr, or --report FILE) lists, per
ledger account, what was exported on which GL account and what was summed onto the
balancing account and why, with the totals of both: nothing is left out unseen.
#KONTO names the ledger account a GL account stands for, #DIM and #OBJEKT the objects
used (an object's name from the party map).

The database is --database-url or $LIKVARD_DATABASE_URL, as likvard_reader.

Exit codes: 0 written, 1 the database failed, the region has no events or the mapping or
party map has an error (each named by line and column; nothing is written), 2 usage error.
)";

constexpr const char* reconcile_help = R"(Usage: likvard reconcile sie FILE --region R --from YYYY-MM --to YYYY-MM
                           [--mapping MAP.csv [--party-map PARTIES.csv]]
                           [--format md|csv|xlsx|json] [--lang sv|en] [--out FILE]
                           [--database-url URL]

Run this every month before a statement is published: it compares the region's general
ledger (an SIE 4E file exported from the finance system) with the ledger the statement is
computed from, and names every amount that is not the same in both.

Both sides are summed on the same keys: scheme, month, party, account class and item.
The general ledger's rows (#TRANS, booked) dated in the months give the key through the
built-in chart: the account number is the class and item, the object of dimension 1 the
party, the object of dimension 20 the scheme (what 'likvard export sie' writes, so the
ledger's own export reconciles). The ledger's postings of the same accounting months are
summed on the same keys. The report lists every key where the two differ: the GL amount,
the ledger amount, the difference, the GL rows and events left when equal amounts of the
two sides are paired (where one verification was changed: that row and its event), and
every verification (series, number, line) and event id behind each side; then GL rows
that cannot be keyed (an account outside the chart, a missing object), then the totals.
How the events reached the ledger does not matter.

With --mapping, the region's own accounts are keyed through the mapping file instead
(docs/reconciling.md): the first mapping row that matches a GL row decides; an event row
gives the key of the ledger account it stands for (a debit row its first party's expense,
a credit row its second party's income), an ignore row leaves the GL row out; a row of
the other sign is summed on the same key (a correction, as the ledger's reversal is); a
row no mapping row matches cannot be keyed. The ledger's postings
are compared on the accounts the mapping's rows stand for; the others (a private
provider's income, which is in its own books) are counted in the totals.
--party-map PARTIES.csv says which party each object is, for mapping rows that take a
party from an object. A mapping or party map with an error reconciles nothing.

--format md    (default) a report to read
--format csv   one line per key that differs, then a total line: without --lang the
               machine form (',', keys as headers, '.' decimals); with --lang for a
               spreadsheet (';', labels as headers, amounts without grouping with the
               language's decimal sign: a comma in Swedish)
--format xlsx  a workbook (needs --out): totals, the keys that differ, the rows not keyed;
               amounts as numbers
--format json  one object: agrees, keys, differences, unkeyed, totals (keys, no language)
--lang sv|en   the language of md, xlsx and csv: Swedish (the default: Avstämning mot
               huvudboken, Belopp i huvudboken, Differens, 1 300 000,00) or English
               (1,300,000.00); not with --format json
--out FILE     write the report to FILE instead of stdout

The database is --database-url or $LIKVARD_DATABASE_URL, as likvard_reader.

Exit codes: 0 everything agrees, 1 something differs (or a GL row cannot be keyed, or the
file has problems: see 'likvard sie check FILE'), 2 usage error (also a file that cannot
be read).
)";

sie::Date today() {
    const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const std::chrono::year_month_day date(days);
    return {static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
            static_cast<int>(static_cast<unsigned>(date.day()))};
}

std::size_t gl_rows(const sie::SieDocument& document) {
    std::size_t rows = 0;
    for (const auto& verification : document.verifications) rows += verification.rows.size();
    return rows;
}

// --mapping's options without --mapping, or --mapping without --balancing-account.
void check_mapping_options(const Options& options) {
    const bool mapping = options.value("--mapping").has_value();
    for (const char* name : {"--party-map", "--balancing-account", "--report"})
        if (options.value(name) && !mapping) throw UsageError(std::string(name) + " needs --mapping");
    if (mapping && !options.value("--balancing-account"))
        throw UsageError(
            "--balancing-account ACCOUNT is required with --mapping: the account the postings no "
            "mapping row stands for are summed onto, per verification");
}

int export_sie_mapped(const Options& options, const std::string& region, int year) {
    const std::optional<MappingFiles> files = read_mapping_files(options);
    if (!files) return std::cerr << "nothing exported\n", exit_failure;
    const gl::Through through{files->mapping, files->party_map_or_null()};
    const std::string balancing = *options.value("--balancing-account");
    if (const auto problem = gl::balancing_account_problem(through, balancing))
        throw UsageError("--balancing-account " + *problem);
    Store store(database_url(options));
    store.require_scope(region);
    const std::string y = std::to_string(year);
    const gl::LedgerExtract extract = gl::read_ledger_postings(store, region, y + "-01", y + "-12");
    const gl::MappedExport exported = gl::export_mapped(extract, {year, today(), program_version}, through, balancing);
    write_output(options, sie::write_sie4(exported.document));
    const std::string report = gl::export_report_csv(exported);
    if (const auto path = options.value("--report")) {
        std::ofstream file(*path, std::ios::binary);
        file << report;
        if (!file) throw std::runtime_error("cannot write " + *path);
    } else {
        std::cerr << report;
    }
    std::cerr << "exported " << region << " " << y << " through " << *options.value("--mapping") << ": "
              << exported.document.verifications.size() << " verifications, " << gl_rows(exported.document) << " rows, "
              << exported.document.accounts.size() << " accounts; " << exported.mapped_postings
              << " postings on mapped accounts (" << exported.mapped_total.to_string() << "), "
              << exported.balancing_postings << " summed onto " << balancing << " ("
              << exported.balancing_total.to_string() << ")"
              << (options.value("--out") ? " to " + *options.value("--out") : "") << "\n";
    return exit_ok;
}

}  // namespace

int export_sie(const Args& args) {
    const Options options(args,
                          {"--region", "--year", "--out", "--database-url", "--mapping", "--party-map",
                           "--balancing-account", "--report"},
                          {});
    if (options.help()) return std::cout << export_sie_help, exit_ok;
    if (options.positional().size() != 1) throw UsageError("unexpected argument " + options.positional()[1]);
    const std::string region = region_option(options);
    const auto year = options.integer("--year");
    if (!year) throw UsageError("--year is required");
    if (*year < export_year_min || *year > export_year_max)
        throw UsageError("--year must be between " + std::to_string(export_year_min) + " and " +
                         std::to_string(export_year_max));
    check_mapping_options(options);
    if (options.value("--mapping")) return export_sie_mapped(options, region, static_cast<int>(*year));
    Store store(database_url(options));
    store.require_scope(region);
    const std::string y = std::to_string(*year);
    Progress progress("postings", std::nullopt);  // by stage: the work is two reads and a write
    const gl::LedgerExtract extract = gl::read_ledger_postings(store, region, y + "-01", y + "-12");
    progress.set_total(static_cast<std::int64_t>(extract.postings.size()));
    const sie::SieDocument document = gl::export_document(extract, {static_cast<int>(*year), today(), program_version});
    write_output(options, sie::write_sie4(document));
    progress.advance(static_cast<std::int64_t>(extract.postings.size()));
    progress.finish();
    const std::size_t rows = gl_rows(document);
    std::cerr << "exported " << region << " " << y << ": " << document.verifications.size() << " verifications, "
              << rows << " rows, " << document.accounts.size() << " accounts"
              << (options.value("--out") ? " to " + *options.value("--out") : "") << "\n";
    return exit_ok;
}

int reconcile(const Args& args) {
    const Options options(
        args,
        {"--region", "--from", "--to", "--format", "--lang", "--out", "--mapping", "--party-map", "--database-url"},
        {});
    if (options.help()) return std::cout << reconcile_help, exit_ok;
    if (options.positional().empty() || options.positional()[0] != "sie")
        throw UsageError("say what to reconcile: likvard reconcile sie FILE");
    if (options.positional().size() != 2) throw UsageError("say which file: likvard reconcile sie FILE");
    const std::string region = region_option(options);
    const std::string from = month_option(options, "--from");
    const std::string to = month_option(options, "--to");
    if (from > to) throw UsageError("--from " + from + " is after --to " + to);
    const std::string format = options.value("--format").value_or("md");
    if (format != "md" && format != "csv" && format != "xlsx" && format != "json")
        throw UsageError("--format '" + format + "' is not md, csv, xlsx or json");
    if (format == "xlsx" && !options.value("--out")) throw UsageError("--format xlsx needs --out FILE");
    const auto lang = options.value("--lang");
    const std::optional<Language> language = language_of(lang.value_or("sv"));
    if (!language) throw UsageError("--lang '" + *lang + "' is not sv or en");
    if (lang && format == "json") throw UsageError("--lang has no meaning for --format json, which speaks in keys");
    const std::string& path = options.positional()[1];
    if (options.value("--party-map") && !options.value("--mapping")) throw UsageError("--party-map needs --mapping");
    std::optional<MappingFiles> files;
    if (options.value("--mapping") && !(files = read_mapping_files(options)))
        return std::cerr << "nothing reconciled\n", exit_failure;
    const sie::FileRead read = sie::read_sie_file(path);
    if (read.error) {
        std::cerr << "likvard reconcile: " << *read.error << "\n";
        return exit_usage;
    }
    if (!read.result.ok())
        std::cerr << path << " has " << read.result.problems_total << " problems (likvard sie check " << path
                  << " lists them); reconciling what it says\n";
    Progress progress("rows", std::nullopt);  // by stage: the GL's rows, then the ledger's postings
    progress.advance(static_cast<std::int64_t>(gl_rows(read.result.document)));
    Store store(database_url(options));
    store.require_scope(region);
    const gl::LedgerExtract ledger = gl::read_ledger_postings(store, region, from, to);
    progress.advance(static_cast<std::int64_t>(ledger.postings.size()));
    const std::optional<gl::Through> through =
        files ? std::optional<gl::Through>(gl::Through{files->mapping, files->party_map_or_null()}) : std::nullopt;
    const gl::Reconciliation result =
        gl::reconcile(read.result.document, ledger, from, to, through ? &*through : nullptr);
    progress.finish();
    write_output(options, format == "md"     ? gl::render_markdown(result, region, *language)
                          : format == "csv"  ? (lang ? gl::render_csv(result, *language) : gl::render_csv(result))
                          : format == "xlsx" ? gl::render_xlsx(result, region, *language)
                                             : gl::render_json(result, region));
    std::cerr << (result.agrees() ? "everything agrees"
                                  : std::to_string(result.differences.size()) + " keys differ, " +
                                        std::to_string(result.unkeyed.size()) + " rows unkeyed")
              << "\n";
    return result.agrees() && read.result.ok() ? exit_ok : exit_failure;
}

}  // namespace likvard::cli
