// `likvard import sie`: the general ledger's SIE file into ledger events through the mapping
// and the party map (docs/reconciling.md), appended through the one append path or written
// as NDJSON; and `likvard import`, which dispatches to `import sie` and `import csv`.
#include <fstream>
#include <iostream>

#include "cli/detail/gl_options.hpp"
#include "gl/import.hpp"
#include "store/reads.hpp"
#include "store/store.hpp"

namespace likvard::cli {
namespace {

constexpr std::size_t append_batch_events = 5'000;
constexpr std::size_t problems_shown_max = 50;

constexpr const char* import_help = R"(Usage: likvard import sie|csv ...

Reads events into the ledger from the files finance staff have: 'likvard import sie' the
general ledger's SIE file through a mapping, 'likvard import csv' a spreadsheet of one
event type. 'likvard import sie --help' tells more.
)";

constexpr const char* import_sie_help =
    R"(Usage: likvard import sie FILE --mapping MAP.csv --region R [--party-map PARTIES.csv]
                          (--append | --out FILE) [--unmatched FILE]
                          [--encoding cp437|latin1|utf-8] [--database-url URL]

Turns the region's general ledger (an SIE 4E or 4I file from the finance system) into
ledger events, through the mapping file that says which rows are which events and the
party map that says which party each cost-centre object is (docs/reconciling.md).
Every booked row (#TRANS, #RTRANS) is compared with the mapping's rows from the top: the
first that matches (account, objects, series) decides. Its sign must be the one the
mapping row asks (debit or credit), or the row is not imported. A row the mapping makes
an event of becomes one event whose event_id is a UUID (version 5) of the file's
organisation number, fiscal year, series, verification number and row: importing the same
file again appends nothing new. A row no mapping row matches, or whose sign does not fit,
is listed (line, account, objects, amount, why) and nothing is guessed. Parties the ledger
lacks are registered from the party map before the first event that names them.

--mapping MAP.csv        the mapping file (required); one with an error imports nothing
--party-map PARTIES.csv  the party map; needed when the mapping takes a party from an object
--region R               the region of the events, e.g. SE-Z
--append                 append the events to the ledger through the one append path
--out FILE               write the events as NDJSON (for likvard append or
                         likvard-ingest publish) instead; with --database-url the parties
                         the ledger has are left out, without it every party is registered
--unmatched FILE         also write the unmatched rows to FILE (CSV, ';')
--encoding E             read the SIE file as cp437, latin1 or utf-8, whatever #FORMAT says

A file that 'likvard sie check' finds a problem in (an unbalanced verification, a checksum
that does not match) is refused, its problems listed, and nothing is imported. At the end,
per account: rows, the file's total = mapped + ignored + unmatched.

The database is --database-url or $LIKVARD_DATABASE_URL, as likvard_app.

Exit codes: 0 every row mapped or ignored and every event appended (or already there),
1 a row unmatched, an event rejected, a bad mapping or party map, or a refused file,
2 usage error (also a file that cannot be read).
)";

struct Inputs {
    std::string path;
    std::string region;
    MappingFiles files;
    sie::SieDocument document;
};

// The SIE file, or nullopt after saying why: a file that cannot be read is a usage error (2),
// one with problems is refused (1).
std::optional<sie::SieDocument> read_gl(const Options& options, const std::string& path, int& code) {
    sie::ReadOptions read_options;
    if (const auto name = options.value("--encoding")) {
        read_options.encoding = sie::encoding_from_name(*name);
        if (!read_options.encoding) throw UsageError("--encoding '" + *name + "' is not cp437, latin1 or utf-8");
    }
    sie::FileRead read = sie::read_sie_file(path, read_options);
    if (read.error) {
        std::cerr << "likvard import sie: " << *read.error << "\n";
        return code = exit_usage, std::nullopt;
    }
    if (read.result.ok()) return std::move(read.result.document);
    std::size_t shown = 0;
    for (const auto& p : read.result.problems)
        if (shown++ < problems_shown_max)
            std::cerr << path << ": line " << p.line << ": " << (p.record.empty() ? "" : p.record + ": ") << p.message
                      << "\n";
    std::cerr << path << " has " << read.result.problems_total
              << " problems; refused, nothing imported (likvard sie check lists them all)\n";
    return code = exit_failure, std::nullopt;
}

std::set<std::string> ledger_parties(Store& store, const std::string& region) {
    std::set<std::string> parties;
    for (const auto& row : parties_as_of(store, region, std::nullopt).parties)
        if (const auto event = decode_stored(row.canonical))
            parties.insert(std::get<PartyRegistered>(event->data).party_id);
    return parties;
}

void print_unmatched(const gl::ImportPlan& plan, const Options& options) {
    for (const auto& r : plan.unmatched)
        std::cout << "line " << r.line << ": unmatched " << r.account << " " << r.objects << " " << r.amount.to_string()
                  << " (" << r.series << " " << r.number << " " << r.date.iso() << "): " << r.why << "\n";
    if (const auto path = options.value("--unmatched")) {
        std::ofstream file(*path, std::ios::binary);
        file << gl::unmatched_csv(plan.unmatched);
        if (!file) throw std::runtime_error("cannot write " + *path);
    }
}

void print_totals(const gl::ImportPlan& plan) {
    std::cout << "account;rows;total;mapped;ignored;unmatched\n";
    for (const auto& [account, t] : plan.totals)
        std::cout << account << ";" << t.rows << ";" << t.total.to_string() << ";" << t.mapped.to_string() << ";"
                  << t.ignored.to_string() << ";" << t.unmatched.to_string() << "\n";
    std::cout << "rows: " << plan.rows_mapped << " mapped, " << plan.rows_ignored << " ignored, "
              << plan.unmatched.size() << " unmatched; " << plan.events.size() << " events (" << plan.parties_registered
              << " party.registered)\n";
}

std::size_t append_events(Store& store, const gl::ImportPlan& plan, const std::string& path) {
    Decoder decoder;
    AppendResult totals;
    for (std::size_t start = 0; start < plan.events.size(); start += append_batch_events) {
        std::vector<Incoming> batch;
        for (std::size_t i = start; i < std::min(plan.events.size(), start + append_batch_events); ++i)
            batch.push_back({plan.events[i].json,
                             Source{Source::Kind::file, path, static_cast<std::int64_t>(plan.events[i].line)}});
        const AppendResult result = store.append_decoded(batch, decode_batch(batch, decoder));
        for (std::size_t i = 0; i < batch.size(); ++i)
            if (result.items[i].outcome == Outcome::rejected)
                std::cout << "line " << batch[i].source.line << ": " << result.items[i].event_id << " "
                          << result.items[i].rejection->to_string() << "\n";
        totals.appended += result.appended;
        totals.duplicates += result.duplicates;
        totals.rejected += result.rejected;
    }
    std::cout << "appended " << totals.appended << ", duplicates " << totals.duplicates << ", rejected "
              << totals.rejected << "\n";
    return totals.rejected;
}

void write_ndjson(const gl::ImportPlan& plan, const std::string& out) {
    std::ofstream file(out, std::ios::binary);
    for (const auto& event : plan.events) file << event.json << "\n";
    if (!file) throw std::runtime_error("cannot write " + out);
    std::cout << "wrote " << plan.events.size() << " events to " << out << "\n";
}

}  // namespace

int import_sie(const Args& args) {
    const Options options(
        args, {"--mapping", "--party-map", "--region", "--out", "--unmatched", "--encoding", "--database-url"},
        {"--append"});
    if (options.help()) return std::cout << import_sie_help, exit_ok;
    if (options.positional().size() != 2) throw UsageError("say which file: likvard import sie FILE");
    if (options.flag("--append") == options.value("--out").has_value())
        throw UsageError("say where the events go: --append, or --out FILE");
    const std::string path = options.positional()[1];
    const std::string region = region_option(options);
    const auto files = read_mapping_files(options);
    int code = exit_failure;
    const auto document = files ? read_gl(options, path, code) : std::nullopt;
    if (!files || !document) return std::cerr << "nothing imported\n", code;
    std::optional<Store> store;
    if (options.flag("--append") || options.value("--database-url")) store.emplace(database_url(options));
    const gl::ImportSpec spec{region, store ? ledger_parties(*store, region) : std::set<std::string>{}};
    const gl::ImportPlan plan = gl::plan_import(*document, files->mapping, files->party_map_or_null(), spec);
    print_unmatched(plan, options);
    std::size_t rejected = 0;
    if (options.flag("--append"))
        rejected = append_events(*store, plan, path);
    else
        write_ndjson(plan, *options.value("--out"));
    print_totals(plan);
    return plan.unmatched.empty() && rejected == 0 ? exit_ok : exit_failure;
}

int import(const Args& args) {
    if (args.empty()) return std::cerr << import_help, exit_usage;
    if (args[0] == "--help" || args[0] == "-h") return std::cout << import_help, exit_ok;
    if (args[0] == "sie") return import_sie(args);
    if (args[0] == "csv") return import_csv(Args(args.begin() + 1, args.end()));
    throw UsageError("likvard import " + args[0] + " is not a kind of import (sie or csv)");
}

}  // namespace likvard::cli
