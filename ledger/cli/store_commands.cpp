// `likvard migrate`, `likvard append FILE`, `likvard verify`: the store from the shell.
#include <fstream>
#include <iostream>

#include "cli/detail/append_path.hpp"
#include "cli/detail/options.hpp"
#include "projections/projections.hpp"
#include "store/store.hpp"

namespace likvard::cli {
namespace {

constexpr const char* migrate_help = R"(Usage: likvard migrate [--database-url URL]

Connects as the owner of the ledger (the only command that should) and creates the
login roles likvard_app, likvard_projector and likvard_reader, or gives existing ones
exactly their attributes (LOGIN, no superuser, no CREATEDB, CREATEROLE, REPLICATION or
BYPASSRLS, member of no role; docs/operating.md, "Roles"). Then applies the numbered
migrations of schemas/sql that are not applied yet, each in its own transaction, and
creates the schema projection, empty, when it is missing or was created from another
layout (the projection runner then builds it). Idempotent. Refuses to continue if an applied
migration was changed afterwards (its checksum differs).
The database is --database-url or $LIKVARD_DATABASE_URL: the owner's URL
(ops/pg url --role owner).

Exit codes: 0 ok, 1 a migration failed or was changed, 2 usage error.
)";

constexpr const char* append_help = R"(Usage: likvard append [--batch N] [--database-url URL] FILE

Appends an NDJSON file of events (FILE '-' reads stdin) to the ledger through the same
path as Kafka and HTTP: each batch of N lines (default 5000) is checked against the
stored ledger and written in one transaction (events, postings, rejections), or not at
all. Rejected lines are kept in ledger.rejections with their bytes, file and line, and
printed as
  line N: <event_id or -> <reason_code>: <field>: <what is wrong>
A summary "appended A, duplicates D, rejected R" goes to stdout at the end. Progress
(events, rate, time left) goes to stderr when it is a terminal (LIKVARD_PROGRESS=always
or never decides instead).

The database is --database-url or $LIKVARD_DATABASE_URL, connected as likvard_app
(ops/pg url --role app), which may insert into the ledger and change nothing in it.

Exit codes: 0 every line appended or already there, 1 some line rejected (or the
database failed), 2 usage error.
)";

constexpr const char* verify_help = R"(Usage: likvard verify [--region R] [--as-of SEQ] [--database-url URL]

Recomputes every region's hash chain from genesis (SHA-256 of the previous hash and the
canonical event bytes), checks that seq has no gaps, that every event's canonical bytes
decode, that every stored column of the event (type, scheme, period, occurred_on, ...)
says what its canonical event says, that its postings are numbered 1..n and equal, column
by column, the postings the posting rules derive again, and that ledger.periods holds
exactly one row per period.closed event. Prints per region
  region <R>: ok, head seq <N> hash <hex>
or the first seq where something is wrong, e.g.
  region <R>: FAILED at seq <N>: events.period is 2024-02, the canonical event says 2024-01
Then, when every chain verifies, the projections are built and neither --region nor
--as-of is given, replays
every region up to its projection checkpoint into temporary tables (rolled back) and
compares every projection table with them:
  projections: consistent at their checkpoints (<R> seq <N>, ...)
or
  projections: INCONSISTENT: <table>: <what differs>
--skip-projections leaves that out.
ops/verify-chain.py checks the chain and the stored columns independently (Python
standard library).

The database is --database-url or $LIKVARD_DATABASE_URL; likvard_reader may read all
that verify reads.

Exit codes: 0 every region (and the projections) verify, 1 something failed, 2 usage error.
)";

int usage(const char* help, const std::string& problem) {
    std::cerr << problem << "\n\n" << help;
    return exit_usage;
}

// The lines of a file, counted beforehand for the progress; nullopt for stdin.
std::optional<std::int64_t> lines_in(const std::string& path) {
    if (path == "-") return std::nullopt;
    std::ifstream file(path, std::ios::binary);
    std::int64_t lines = 0;
    std::string line;
    while (std::getline(file, line))
        if (!line.empty()) ++lines;
    return lines;
}

}  // namespace

int migrate(const Args& args) {
    Options options(args, {"--database-url"}, {});
    if (options.help()) return std::cout << migrate_help, exit_ok;
    if (!options.positional().empty()) return usage(migrate_help, "unexpected argument " + options.positional()[0]);
    const MigrationReport report = likvard::migrate(database_url(options));
    for (const auto& name : report.applied) std::cout << "applied " << name << '\n';
    std::cout << report.applied.size() << " applied, " << report.already.size() << " already applied\n";
    if (report.projection_layout_created)
        std::cout << "created the projection tables (empty: likvard projections run builds them)\n";
    return exit_ok;
}

int append(const Args& args) {
    Options options(args, {"--database-url", "--batch"}, {});
    if (options.help()) return std::cout << append_help, exit_ok;
    if (options.positional().size() != 1) return usage(append_help, "FILE is required ('-' for stdin)");
    const std::int64_t batch_events = options.integer("--batch").value_or(append_batch_events_default);
    if (batch_events < 1 || batch_events > append_batch_events_max)
        return usage(append_help, "--batch must be between 1 and " + std::to_string(append_batch_events_max));
    const std::string path = options.positional()[0];
    std::ifstream file;
    if (path != "-" && (file.open(path, std::ios::binary), !file)) return usage(append_help, "cannot open " + path);
    std::istream& in = path == "-" ? std::cin : file;

    Store store(database_url(options));
    Progress progress("events", progress_wanted() ? lines_in(path) : std::nullopt);
    const auto print = [](const Incoming& input, const ItemResult& r) {
        std::cout << rejected_line(input.source.line, r) << '\n';
    };
    const AppendTotals totals = append_inputs(store, ndjson_lines(in, path), batch_events, progress, print);
    std::cout << "appended " << totals.appended << ", duplicates " << totals.duplicates << ", rejected "
              << totals.rejected << '\n';
    return totals.rejected == 0 ? exit_ok : exit_failure;
}

int verify(const Args& args) {
    Options options(args, {"--database-url", "--region", "--as-of"}, {"--skip-projections"});
    if (options.help()) return std::cout << verify_help, exit_ok;
    if (!options.positional().empty()) return usage(verify_help, "unexpected argument " + options.positional()[0]);
    const auto reports = likvard::verify(database_url(options), options.value("--region"), options.integer("--as-of"));
    if (reports.empty()) std::cout << "no events\n";
    bool all_ok = true;
    for (const auto& r : reports) {
        if (r.ok)
            std::cout << "region " << r.region << ": ok, head seq " << r.head_seq << " hash " << hash_hex(r.head_hash)
                      << '\n';
        else
            std::cout << "region " << r.region << ": FAILED at seq " << r.bad_seq << ": " << r.problem << '\n';
        all_ok = all_ok && r.ok;
    }
    if (!all_ok) return exit_failure;  // projections of a broken chain prove nothing
    if (options.flag("--skip-projections") || options.value("--region") || options.value("--as-of")) return exit_ok;
    Projections projections(database_url(options));
    if (!projections.built()) {
        std::cout << "projections: not built (likvard projections rebuild builds them)\n";
        return exit_ok;
    }
    const auto problems = projections.check_consistency();
    if (problems.empty()) {
        std::string at;
        for (const auto& p : projections.positions())
            at += (at.empty() ? "" : ", ") + p.region + " seq " + std::to_string(p.projected_seq);
        std::cout << "projections: consistent at their checkpoints (" << at << ")\n";
    }
    for (const auto& problem : problems) std::cout << "projections: INCONSISTENT: " << problem << '\n';
    return problems.empty() ? exit_ok : exit_failure;
}

}  // namespace likvard::cli
