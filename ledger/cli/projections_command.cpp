// `likvard projections run|rebuild|status`: the read models of the schema `projection`.
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli/detail/options.hpp"
#include "projections/projections.hpp"

namespace likvard::cli {
namespace {

constexpr const char* projections_help =
    R"(Usage: likvard projections run [--once] [--interval-ms N] [--batch N] [--database-url URL]
       likvard projections rebuild [--block-seqs N] [--database-url URL]
       likvard projections status [--database-url URL]

The projections are read models in the PostgreSQL schema `projection`
(docs/reference/projections.md documents every table and view): balances per party,
account and month, listings, event counts, decision references, commitment facts,
cross-subsidies and shared-cost allocations, with views for dashboards. They are derived
from the ledger and can always be rebuilt from it.

run      builds the projections if no runner has built them yet, then projects
         every committed event after each region's checkpoint, in transactions of at
         most --batch events (default 20000) that also move the checkpoint, up to
         the heads seen as the pass starts; passes follow each other while there is
         work, else every --interval-ms (default 1000), until SIGTERM or SIGINT,
         which end the run after the transaction in progress (exit 0; the first
         build is one transaction). --once stops after one pass, with every region
         at the head it had when the pass began.
         Idempotent: a restart goes on from the checkpoints.
rebuild  empties every projection table and projects every region from seq 1 into
         it, in one transaction: readers see the old projections or the new, never a half.
         --block-seqs N: the seqs per block of the sums that statements as of a seq
         start from (default 8192; docs/scaling.md, "Block size"); runs after it go on
         with the size the projections were built with.
status   prints per region the projections' checkpoint against the ledger's head.

'likvard verify' checks that the projections at their checkpoints equal a fresh replay.

The database is --database-url or $LIKVARD_PROJECTOR_DATABASE_URL (never
$LIKVARD_DATABASE_URL, another role's), connected as likvard_projector, which writes the
rows of the projection tables and owns nothing (docs/operating.md, "Roles").
'likvard migrate' (as the owner) creates the tables, and creates them again when this
program's layout is not theirs: until then run and rebuild stop with an error that says
so.

Exit codes: 0 ok, 1 the database failed, 2 usage error.
)";

static_assert(catch_up_batch_events_default == 20'000, "projections_help names the default --batch");
static_assert(block_seqs_default == 8'192, "projections_help names the default --block-seqs");

std::atomic<bool> stop_requested{false};

void request_stop(int) { stop_requested = true; }

void print_positions(Projections& projections) {
    for (const auto& p : projections.positions())
        std::cout << "region " << p.region << ": projected to seq " << p.projected_seq << " of " << p.head_seq
                  << (p.projected_seq == p.head_seq ? " (at the head)" : "") << '\n';
}

}  // namespace

int projections(const Args& args) {
    Options options(args, {"--database-url", "--interval-ms", "--batch", "--block-seqs"}, {"--once"});
    if (options.help()) return std::cout << projections_help, exit_ok;
    if (options.positional().size() != 1) throw UsageError("say what to do: run, rebuild or status");
    const std::string action = options.positional()[0];
    const std::int64_t interval_ms = options.integer("--interval-ms").value_or(1000);
    const std::int64_t batch = options.integer("--batch").value_or(catch_up_batch_events_default);
    if (interval_ms < 1) throw UsageError("--interval-ms must be at least 1");
    const std::int64_t block_seqs = options.integer("--block-seqs").value_or(block_seqs_default);
    if (batch < 1) throw UsageError("--batch must be at least 1");
    if (block_seqs < 1) throw UsageError("--block-seqs must be at least 1");
    if (options.integer("--block-seqs") && action != "rebuild")
        throw UsageError("--block-seqs is for rebuild: run and status go on with the size the projections have");
    Projections projections(projector_database_url(options, "--database-url"), block_seqs);
    if (action == "status") {
        if (!projections.built()) std::cout << "the projections are not built yet: likvard projections rebuild\n";
        print_positions(projections);
        return exit_ok;
    }
    if (action == "rebuild") {
        const RebuildReport report = projections.rebuild();
        std::cerr << "rebuilt the projections from " << report.events << " events in " << report.milliseconds
                  << " ms\n";
        print_positions(projections);
        return exit_ok;
    }
    if (action != "run") throw UsageError("unknown action '" + action + "': run, rebuild or status");
    // Before the first build: a stop that arrives while it runs ends the run after it, as
    // after any other transaction, and never kills the process in the middle.
    std::signal(SIGTERM, request_stop);
    std::signal(SIGINT, request_stop);
    if (!projections.built()) std::cerr << "building the projections from every region's events\n";
    projections.ensure();
    while (!stop_requested) {
        // A pass goes to the heads seen as it starts and looks at the flag before each
        // transaction: a stop waits for one transaction of at most --batch events.
        const CatchUpReport report = projections.catch_up(batch, &stop_requested);
        if (report.events > 0)
            std::cerr << "projected " << report.events << " events in " << report.transactions << " transactions\n";
        if (options.flag("--once")) break;
        if (report.events > 0) continue;  // more may have arrived meanwhile: another pass at once
        for (std::int64_t waited = 0; waited < interval_ms && !stop_requested; waited += 50)
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min<std::int64_t>(50, interval_ms - waited)));
    }
    print_positions(projections);
    return exit_ok;
}

}  // namespace likvard::cli
