// Projections: read models in the PostgreSQL schema `projection`, maintained from the
// ledger by a runner with a checkpoint per region (written in the same transaction as the
// rows it covers), rebuilt from seq 1 in one transaction that empties and refills them,
// and read by the statements at the head. docs/reference/projections.md lists every column.
#pragma once

#include <atomic>
#include <map>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "statements/explain.hpp"
#include "statements/statements.hpp"

#include <pqxx/connection.hxx>
#include <pqxx/transaction_base.hxx>

namespace likvard {

class Store;

// Where one region's projections stand against its ledger.
struct ProjectionPosition {
    std::string region;
    std::int64_t projected_seq = 0;  // the checkpoint: every event up to here is projected
    std::int64_t head_seq = 0;       // the ledger's head
};

struct CatchUpReport {
    std::int64_t events = 0;        // events projected by this call
    std::int64_t transactions = 0;  // transactions committed
};

struct RebuildReport {
    std::int64_t events = 0;        // events projected into the emptied tables
    std::int64_t milliseconds = 0;  // from start to the swap
};

// Events per projection transaction unless told otherwise (`projections run --batch`): a
// stop waits for one such transaction, a fraction of a second.
inline constexpr std::int64_t catch_up_batch_events_default = 20'000;

// Seqs per block of the block_* tables (ledger/projections/README.md, "Blocks"): a statement
// as of a seq reads the blocks below it (a few of each level) and at most this many events'
// postings after them.
// Smaller blocks make more rows to sum, larger ones a longer tail of postings; at this size
// a statement as of a random seq of 1,000,000 events took 34-104 ms (docs/performance.md).
inline constexpr std::int64_t block_seqs_default = 8'192;

// The projection runner. Owns one connection, as likvard_projector to write
// (docs/operating.md, "Roles"; the reads work as likvard_reader too); warns on stderr when the role is a
// superuser or the owner. The tables are created by `likvard migrate`, never here. Not
// thread-safe.
class Projections {
public:
    // `block_seqs`: the seqs per block that a rebuild builds with (a catch-up goes on with
    // the size the projections were built with).
    explicit Projections(const std::string& url, std::int64_t block_seqs = block_seqs_default);
    ~Projections();
    Projections(const Projections&) = delete;
    Projections& operator=(const Projections&) = delete;

    // Builds the projections (a rebuild) when `likvard migrate` created them and no runner
    // has built them yet; throws, saying to run likvard migrate, when the schema is missing or
    // was created from another layout than this program's (projection.layout keeps its SHA-256).
    void ensure();
    // One pass: projects, per region, the committed events after the checkpoint up to the
    // region's head as the pass starts (never those appended meanwhile: a pass ends however
    // fast events arrive), in transactions of at most max_events events, the regions in
    // turn; stops at the first seq not yet committed. Before each transaction it looks at
    // `stop` and returns when it is set, so a stop waits for one transaction at most.
    // Idempotent. Throws when the projections are not built.
    CatchUpReport catch_up(std::int64_t max_events = catch_up_batch_events_default,
                           const std::atomic<bool>* stop = nullptr);
    // Empties every projection table and projects every region from seq 1 into it, in one
    // transaction under the runner lock (readers see the old or the new, never a half).
    RebuildReport rebuild();
    std::vector<ProjectionPosition> positions();
    // Whether the projections were built (by any layout).
    bool built();
    // Replays each region up to its checkpoint into temporary tables and compares every
    // table with the live one; returns one line per difference (empty: consistent).
    std::vector<std::string> check_consistency();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// ---- statements, for the CLI and the HTTP API ----
enum class StatementSource {
    automatic,    // projections when they are at the head (and no as-of is asked), else blocks, else the ledger
    projections,  // projections at their checkpoint; fails when they are missing
    ledger,       // postings, as of the seq asked (default: the head)
    blocks,       // (answered, never asked) the projections' blocks below the seq and the postings after them
};

struct StatementQuery {
    std::string statement;  // "neutrality" or "commitments"
    std::string region;
    std::string scheme;
    std::string from;  // YYYY-MM
    std::string to;    // YYYY-MM
    std::optional<std::int64_t> as_of;
    StatementSource source = StatementSource::automatic;
    // RFC 3339 (2024-03-01T12:00:00Z, with milliseconds or an offset): the head as it stood
    // then, the last seq before the first event recorded after it. Not with as_of.
    std::optional<std::string> as_of_time = std::nullopt;
    // A tertial "2022-T2" instead of from and to (which stay empty): its cumulative months,
    // with the statement of its own months beside them (docs/statements.md, D).
    std::optional<std::string> tertial = std::nullopt;
    // The same statement for the same months one year earlier, at the same position, beside it.
    bool compare_previous_year = false;
};

struct StatementResult {
    Document document;
    StatementSource source_used = StatementSource::ledger;
};

// Throws std::invalid_argument naming the field for a bad query, LedgerScopeError when the
// ledger has no event of the region and scheme, std::runtime_error when the projections
// are asked for and missing, AsOfTimeError when as_of_time is before the region's first event
// (or PostgreSQL cannot read it as a time).
struct AsOfTimeError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

StatementResult make_statement(Store& store, const StatementQuery& query, const std::string& generator);

// The slice make_statement computes its statement from, read the same way (the time asked
// resolved, the projections at the head, else their blocks, else the ledger; the budgets),
// with `parts`; with require_events false a region and scheme without events in the months
// give an empty slice instead of a LedgerScopeError.
struct StatementSlice {
    LedgerSlice slice;
    StatementSource source_used = StatementSource::ledger;
};
StatementSlice read_statement_slice(Store& store, const StatementQuery& query, SliceParts parts,
                                    bool require_events = true);

// ---- G. the region summary and the comparison of regions (docs/statements.md) ----
struct SummaryQuery {
    std::string region;
    std::string year;  // YYYY: January to December
    std::optional<std::int64_t> as_of;
    std::optional<std::string> as_of_time = std::nullopt;
    StatementSource source = StatementSource::automatic;
};
struct ComparisonQuery {
    std::string scheme;
    std::string year;
    std::vector<std::string> regions;                // empty: every region with events of the scheme in the year
    std::map<std::string, std::int64_t> as_of = {};  // per region (each has its own chain); the others at the head
    std::optional<std::string> as_of_time = std::nullopt;  // the same moment for every region
    StatementSource source = StatementSource::automatic;
};
// A query's problem as "field: what is wrong" (region, scheme, year, regions, as_of, as_of_time).
std::optional<std::pair<std::string, std::string>> summary_query_problem(const SummaryQuery& query);
std::optional<std::pair<std::string, std::string>> comparison_query_problem(const ComparisonQuery& query);
// Every scheme the region has events of in the year, each with the neutrality and commitment
// statements' own code, all at one position of the region's chain. Throws as make_statement
// does (LedgerScopeError naming what the ledger has when there is nothing to summarise).
// source_used: the slowest source that answered a scheme (ledger, blocks, projections).
StatementResult make_region_summary(Store& store, const SummaryQuery& query, const std::string& generator);
// Each region at its own position (the head, the seq asked, or the moment asked).
StatementResult make_comparison(Store& store, const ComparisonQuery& query, const std::string& generator);

// A statement query's problem, as "field: what is wrong" (field as in the HTTP API:
// statement, region, scheme, from, to, tertial, as_of, as_of_time), or nullopt when it can be answered.
std::optional<std::pair<std::string, std::string>> statement_query_problem(const StatementQuery& query);

// ---- the drill-down of one figure (docs/auditing.md), for the CLI and the HTTP API ----
struct FigureQuery {
    StatementQuery statement;  // its source is not read: the drill-down sums the ledger's postings
    std::string row, column;
};
// A row or column the statement does not have (field "row" or "column").
struct UnknownFigure : std::invalid_argument {
    UnknownFigure(std::string field_name, const std::string& message)
        : std::invalid_argument(field_name + ": " + message), field(std::move(field_name)) {}
    std::string field;
};
// Throws as make_statement does, and UnknownFigure. The postings' sum is the figure exactly.
Explanation explain_statement_figure(Store& store, const FigureQuery& query, const std::string& generator);

// Whether a runner has built the projections (by any layout): until then the tables that
// `likvard migrate` created hold nothing to read. In the caller's transaction.
bool projections_built(pqxx::transaction_base& tx);

// The slice the statements read, from the projections at their checkpoint, with the
// ledger's head seen in the same snapshot; nullopt when the projections are not built.
struct ProjectedSlice {
    LedgerSlice slice;  // as of the region's checkpoint
    std::int64_t ledger_head_seq = 0;
};
std::optional<ProjectedSlice> read_projected_slice(pqxx::connection& connection, const std::string& region,
                                                   const std::string& scheme, const std::string& from,
                                                   const std::string& to);

// The slice as of `as_of` (default: the head) from the projections' blocks entirely at or
// below it (and at or below the checkpoint) and the postings after them: byte for byte the
// statement of the postings alone. nullopt when the projections are not built.
std::optional<LedgerSlice> read_slice_from_blocks(Store& store, const StatementQuery& query);

}  // namespace likvard
