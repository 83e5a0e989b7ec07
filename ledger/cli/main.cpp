// `likvard`: the ledger's command-line entry point. Dispatches to one subcommand.
#include <cstdio>
#include <exception>
#include <functional>
#include <map>

#include "cli/detail/commands.hpp"
#include "cli/detail/options.hpp"

namespace {

constexpr const char* usage_text = R"(likvard - the competitive-neutrality ledger for Swedish choice systems

Usage: likvard <command> [options]

Commands:
  check FILE      Check an NDJSON file of events against the event contract and the
                  ledger rules (parties, sides, sums, reversals, closed periods,
                  duplicates) without writing anything. FILE '-' reads stdin.
                  Prints one line per rejected event; --postings also prints the
                  postings each accepted event would book, as JSON lines.

  migrate         Create the ledger's tables and roles in PostgreSQL (idempotent).
  append FILE     Append an NDJSON file of events to the ledger; rejected lines are
                  kept with their reason.
  import csv --type listing.recorded|budget.set|party.registered --region R FILE.csv
                  The sheets finance staff keep (the listing register's counts, the
                  budget, the provider list) as events: NDJSON, or --append.
  import sie FILE --mapping MAP.csv --region R (--append | --out FILE)
                  Each month: the general ledger's SIE file into ledger events, through
                  the mapping file that says which rows are which events; rows it
                  cannot place are listed, never guessed. Importing again appends
                  nothing new.
  verify          Recompute the hash chain and check every stored column of every
                  region against the canonical events.
  rejections replay [--region R] [--reason CODES] [--since TIME] [--dry-run]
                  Send kept rejections through the append path again, oldest
                  first (e.g. events that arrived before their parties).
  sample --region SE-Z|SE-AC|SE-E --year YYYY|--years YYYY-YYYY [--seed N] [--format ndjson|sie] [--out PATH]
                  Write a synthetic, deterministic year (or years) of events for a
                  sample region (invented figures) as NDJSON, ready for check or
                  append, or as its finance system would export it (SIE 4E).
  statement neutrality|commitments --region R --scheme S --from YYYY-MM --to YYYY-MM
                  The competitive-neutrality or the special-commitment cost
                  statement, as of a ledger position, in JSON, Markdown, CSV or XLSX.
  statement summary --region R --year YYYY
                  The region's year over its schemes: per scheme net resources per
                  weighted listed of each side, the gap and the commitments.
  statement comparison --scheme S --year YYYY [--regions R1,R2,...]
                  One scheme's year over regions, per weighted listed citizen.
  explain neutrality|commitments <the statement's options> --row ROW --column NAME
                  The postings behind one figure of a statement, summing to it.
  export hledger --region R
                  The postings as an hledger journal for auditors.
  export sie --region R --year YYYY [--out FILE] [--mapping MAP.csv ...]
                  One year of the postings as an SIE 4E file for auditors' tools and
                  the finance system, account numbers from the built-in chart or, with
                  --mapping, the region's own accounts.
  reconcile sie FILE [--mapping MAP.csv] --region R --from YYYY-MM --to YYYY-MM
                  [--format md|csv|json]
                  Before a statement is published each month: compare the general
                  ledger's SIE file with the ledger and name every amount (scheme,
                  month, party, account) that differs.
  sie check FILE [--format text|json] [--encoding cp437|latin1|utf-8]
                  Read an SIE file from the finance system (types 1-4, 4E, 4I) and
                  tell what it holds (accounts, objects, verifications, the sums per
                  account) and what is wrong with it (unbalanced verifications,
                  malformed records, a checksum that does not match). Needs no
                  database.
  projections run|rebuild|status
                  The read models in the schema `projection` (dashboards, and the
                  statements at the head): keep them up to date, rebuild them.
  serve [--listen HOST:PORT] [--tokens FILE]
                  The HTTP API (statements, ledger reads, POST /v1/events, metrics)
                  with the projection runner; bearer tokens with roles, optional TLS.

The database is $LIKVARD_DATABASE_URL (or --database-url URL), connected as the role
the command needs (docs/operating.md, "Roles"): migrate as the owner, append as
likvard_app, verify, statement and export as likvard_reader (or likvard_app);
projections and the runner inside serve as likvard_projector
($LIKVARD_PROJECTOR_DATABASE_URL).

Run 'likvard <command> --help' for the options of one command. Long imports, appends,
reconciliations and exports show their progress on stderr when it is a terminal.

Exit codes: 0 ok, 1 the work failed (e.g. an event was rejected), 2 usage error.
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace likvard::cli;
    const std::map<std::string, std::function<int(const Args&)>> commands{
        {"check", check},         {"migrate", migrate},       {"append", append},
        {"verify", verify},       {"sample", sample},         {"statement", statement},
        {"explain", explain},     {"export", export_journal}, {"projections", projections},
        {"serve", serve},         {"rejections", rejections}, {"sie", sie},
        {"reconcile", reconcile}, {"import", import},
    };
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        std::fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? exit_usage : exit_ok;
    }
    const auto command = commands.find(argv[1]);
    if (command == commands.end()) {
        std::fprintf(stderr, "likvard: unknown command '%s'\n\n%s", argv[1], usage_text);
        return exit_usage;
    }
    try {
        return command->second(Args(argv + 2, argv + argc));
    } catch (const UsageError& error) {
        std::fprintf(stderr, "likvard %s: %s (see likvard %s --help)\n", argv[1], error.what(), argv[1]);
        return exit_usage;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "likvard %s: %s\n", argv[1], error.what());
        return exit_failure;
    }
}
