// Projections: read models in the PostgreSQL schema `projection`, maintained from the
// ledger by a runner with a checkpoint per region (written in the same transaction as the
// rows it covers), rebuilt from seq 1 into a fresh schema that is swapped in atomically,
// and read by the statements at the head. docs/reference/projections.md lists every column.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "statements/statements.hpp"

#include <pqxx/connection.hxx>

namespace likvard {

class Store;

// Where one region's projections stand against its ledger.
struct ProjectionPosition {
    std::string region;
    std::int64_t projected_seq = 0;  // the checkpoint: every event up to here is projected
    std::int64_t head_seq = 0;       // the ledger's head
};

struct CatchUpReport {
    std::int64_t events = 0;         // events projected by this call
    std::int64_t transactions = 0;   // transactions committed
};

struct RebuildReport {
    std::int64_t events = 0;         // events projected into the new schema
    std::int64_t milliseconds = 0;   // from start to the swap
};

// The projection runner. Owns one connection. Not thread-safe.
class Projections {
public:
    explicit Projections(const std::string& url);
    ~Projections();
    Projections(const Projections&) = delete;
    Projections& operator=(const Projections&) = delete;

    // Creates the schema `projection` when it is missing, or rebuilds it when it was built
    // from another layout (the layout's SHA-256 is kept in projection.layout).
    void ensure();
    // Projects, per region, the committed events after the checkpoint in transactions of
    // at most max_events events; stops at the first seq not yet committed. Idempotent.
    CatchUpReport catch_up(std::int64_t max_events = 100'000);
    // Builds every projection from seq 1 into a fresh schema, then swaps it in, in one
    // transaction, under the runner lock (readers see the old or the new, never a half).
    RebuildReport rebuild();
    std::vector<ProjectionPosition> positions();
    // Whether the schema `projection` exists (built by any layout).
    bool built();
    // Replays each region up to its checkpoint into a scratch schema and compares every
    // table with the live one; returns one line per difference (empty: consistent).
    std::vector<std::string> check_consistency();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// ---- statements, for the CLI and the HTTP API ----
enum class StatementSource {
    automatic,    // projections when they are at the head (and no as-of is asked), else the ledger
    projections,  // projections at their checkpoint; fails when they are missing
    ledger,       // postings, as of the seq asked (default: the head)
};

struct StatementQuery {
    std::string statement;  // "neutrality" or "commitments"
    std::string region;
    std::string scheme;
    std::string from;  // YYYY-MM
    std::string to;    // YYYY-MM
    std::optional<std::int64_t> as_of;
    StatementSource source = StatementSource::automatic;
};

struct StatementResult {
    Document document;
    StatementSource source_used = StatementSource::ledger;
};

// Throws std::invalid_argument naming the field for a bad query, LedgerScopeError when the
// ledger has no event of the region and scheme, std::runtime_error when the projections
// are asked for and missing.
StatementResult make_statement(Store& store, const StatementQuery& query, const std::string& generator);

// A statement query's problem, as "field: what is wrong" (field as in the HTTP API:
// statement, region, scheme, from, to, as_of), or nullopt when it can be answered.
std::optional<std::pair<std::string, std::string>> statement_query_problem(const StatementQuery& query);

// The slice the statements read, from the projections at their checkpoint, with the
// ledger's head seen in the same snapshot; nullopt when the schema `projection` is missing.
struct ProjectedSlice {
    LedgerSlice slice;  // as of the region's checkpoint
    std::int64_t ledger_head_seq = 0;
};
std::optional<ProjectedSlice> read_projected_slice(pqxx::connection& connection, const std::string& region,
                                                   const std::string& scheme, const std::string& from,
                                                   const std::string& to);

}  // namespace likvard
