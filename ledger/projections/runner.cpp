// The projection runner. One code path (range.cpp) projects a range of one region's seqs
// into the tables of a schema and their blocks: the incremental runner (range:
// checkpoint..committed head, into `projection`), the rebuild (1..head, into `projection`
// emptied in the same transaction) and the consistency check (1..checkpoint, into temporary
// tables that are rolled back). It connects as likvard_projector, which writes the rows of
// the tables that `likvard migrate` created and owns nothing.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <pqxx/pqxx>

#include "events/events.hpp"
#include "projections/detail/range.hpp"
#include "projections/layout.hpp"
#include "projections/projections.hpp"
#include "store/sql.hpp"

namespace likvard {
namespace {

constexpr const char* live_schema = projection_schema;
// The consistency check replays into temporary tables of the same names (rolled back).
constexpr const char* check_schema = "pg_temp";

// Where the schema `projection` stands: migrate creates it (as the owner) from a layout,
// the runner builds its rows from seq 1 (as likvard_projector, which owns nothing).
enum class LayoutState { missing, other_layout, not_built, built };

LayoutState layout_state(pqxx::work& tx) {
    if (tx.exec(std::string("SELECT to_regclass('") + live_schema + ".layout')")[0][0].is_null())
        return LayoutState::missing;
    const pqxx::result layout =
        tx.exec(std::string("SELECT sha256, built_at IS NOT NULL FROM ") + live_schema + ".layout");
    if (layout.empty()) return LayoutState::missing;
    if (layout[0][0].as<std::string>() != projection_layout_sha256()) return LayoutState::other_layout;
    return layout[0][1].as<bool>() ? LayoutState::built : LayoutState::not_built;
}

// What to do about a state the caller cannot work in, as the error says it.
std::string layout_problem(LayoutState state) {
    switch (state) {
        case LayoutState::missing:
            return "the projection schema is missing: run likvard migrate (as the owner), then likvard projections rebuild";
        case LayoutState::other_layout:
            return "the projections were created from another layout than this program's: run likvard migrate (as "
                   "the owner), then likvard projections rebuild";
        case LayoutState::not_built: return "the projections are not built yet: run likvard projections rebuild";
        case LayoutState::built: break;
    }
    return "";
}

// The runner's role must be allowed to write the projections: said at once rather than at
// the first row (e.g. when a runner is given likvard_app's URL). The schema must exist.
void require_writer(pqxx::work& tx) {
    const pqxx::row r =
        tx.exec1(std::string("SELECT current_user, has_table_privilege('") + live_schema + ".checkpoints', 'INSERT')");
    if (!r[1].as<bool>())
        throw std::runtime_error("connected as " + r[0].as<std::string>() +
                                 ", which may not write the projections: "
                                 "connect as " +
                                 sql::projector_role + " (docs/operating.md, \"Roles\")");
}

// The tables of the schema `projection` again, empty, as temporary tables of this transaction.
void create_check_tables(pqxx::work& tx) {
    for (const auto& table : projection_tables())
        tx.exec("CREATE TEMP TABLE " + table + " (LIKE " + live_schema + "." + table + " INCLUDING ALL)");
}

// The last seq after `after` up to which every seq is committed and visible (at most
// `limit` further), with its hash; {after, nullopt} when there is nothing new. A region's
// seqs are assigned under its writer lock, so they commit in order; a gap would mean a
// transaction not yet visible, and projecting stops before it.
std::pair<std::int64_t, std::optional<Hash>> committed_upto(pqxx::work& tx, const std::string& region,
                                                            std::int64_t after, std::int64_t limit) {
    const pqxx::result span = tx.exec_params(
        "SELECT max(seq), count(*) FROM (SELECT seq FROM ledger.events WHERE region = $1 AND seq > $2 "
        "ORDER BY seq LIMIT $3) s",
        region, after, limit);
    const std::int64_t count = span[0][1].as<std::int64_t>();
    if (count == 0) return {after, std::nullopt};
    std::int64_t upto = span[0][0].as<std::int64_t>();
    if (upto - after != count) {  // a gap: stop before it
        const pqxx::result seqs = tx.exec_params(
            "SELECT seq FROM ledger.events WHERE region = $1 AND seq > $2 ORDER BY seq LIMIT $3", region, after, limit);
        upto = after;
        for (const auto& row : seqs) {
            if (row[0].as<std::int64_t>() != upto + 1) break;
            ++upto;
        }
        if (upto == after) return {after, std::nullopt};
    }
    const pqxx::result hash =
        tx.exec_params("SELECT hash FROM ledger.events WHERE region = $1 AND seq = $2", region, upto);
    return {upto, sql::hash_from(hash[0][0])};
}

// Every table and the columns compared by the consistency check (not timestamps).
const std::vector<std::pair<std::string, std::string>> compared_tables{
    {"checkpoints", "region, seq, hash"},
    {"parties", "region, party_id, name, kind, side, registered_seq"},
    {"balances", "region, scheme, period, party, account_class, item, amount_ore, postings"},
    {"listings", "region, scheme, period, provider, listed, weighted_listed, seq"},
    {"event_counts", "region, scheme, period, type, events"},
    {"decision_refs", "region, scheme, period, decision_ref, events"},
    {"commitment_facts", "region, scheme, period, commitment, decision_ref, fte_scaled, fte_events, events"},
    {"cross_subsidies",
     "region, scheme, period, service, region_run_to_private_ore, private_to_region_run_ore, paid_region_run_ore, "
     "paid_private_ore, events"},
    {"shared_cost_events",
     "region, scheme, period, seq, service, paid_region_run_ore, paid_private_ore, paid_ore, "
     "benefit_region_run_ore, benefit_private_ore, invoice_period, reversal, decision_ref, allocation, estimate"},
    {"shared_cost_keys",
     "region, scheme, period, service, decision_ref, allocation, paid_ore, region_run_to_private_ore, "
     "private_to_region_run_ore, events"},
    {"block_balances", "region, level, block, scheme, period, party, account_class, item, amount_ore, postings"},
    {"block_listings", "region, level, block, scheme, period, provider, listed, weighted_listed, seq"},
    {"block_event_counts", "region, level, block, scheme, period, type, events"},
    {"block_decision_refs", "region, level, block, scheme, period, decision_ref, events"},
    {"block_commitment_facts",
     "region, level, block, scheme, period, commitment, decision_ref, fte_scaled, fte_events, events"},
    {"block_cross_subsidies",
     "region, level, block, scheme, period, service, region_run_to_private_ore, private_to_region_run_ore, "
     "paid_region_run_ore, paid_private_ore, events"},
};

// The seqs per block the projections were built with (layout.block_seqs): a catch-up and
// the consistency check go on with them, whatever this runner would build with.
std::int64_t built_block_seqs(pqxx::work& tx) {
    const pqxx::result r = tx.exec(std::string("SELECT block_seqs FROM ") + live_schema + ".layout");
    if (r.empty() || r[0][0].is_null())
        throw std::runtime_error("the projections were built without blocks: run likvard projections rebuild");
    return r[0][0].as<std::int64_t>();
}

}  // namespace

struct Projections::Impl {
    Impl(const std::string& url, std::int64_t block_seqs) : connection(url), block_seqs(block_seqs) {
        sql::warn_if_privileged(connection);
        pqxx::nontransaction tx(connection);
        tx.exec("SET jit = off");  // compiling expressions costs more than it saves on these scans
    }
    void lock(pqxx::work& tx) { tx.exec_params("SELECT pg_advisory_xact_lock($1)", projection_runner_lock_key); }
    std::int64_t project_next(const std::string& region, std::int64_t head, std::int64_t limit);

    pqxx::connection connection;
    std::int64_t block_seqs;  // what a rebuild builds with
};

Projections::Projections(const std::string& url, std::int64_t block_seqs) {
    if (block_seqs < 1) throw std::invalid_argument("block_seqs must be at least 1");
    impl_ = std::make_unique<Impl>(url, block_seqs);
}
Projections::~Projections() = default;

void Projections::ensure() {
    {
        pqxx::work tx(impl_->connection);
        impl_->lock(tx);
        const LayoutState state = layout_state(tx);
        if (state != LayoutState::built && state != LayoutState::not_built)
            throw std::runtime_error(layout_problem(state));
        require_writer(tx);
        if (state == LayoutState::built) return;
    }
    rebuild();
}

namespace {

// Each region's head as a pass starts: the pass projects up to it and no further, so that
// a pass ends (and a stop is seen) however fast events keep arriving.
std::map<std::string, std::int64_t> pass_heads(pqxx::connection& connection) {
    pqxx::work tx(connection);
    std::map<std::string, std::int64_t> heads;
    for (const auto& region : sql::regions(tx)) {
        const pqxx::result head =
            tx.exec_params("SELECT seq FROM ledger.events WHERE region = $1 ORDER BY seq DESC LIMIT 1", region);
        heads[region] = head.empty() ? 0 : head[0][0].as<std::int64_t>();
    }
    return heads;
}

}  // namespace

// One transaction: the region's committed events after its checkpoint, at most `limit` of
// them, with the checkpoint moved; the number of events projected (0: nothing to do).
std::int64_t Projections::Impl::project_next(const std::string& region, std::int64_t head, std::int64_t limit) {
    pqxx::work tx(connection);
    lock(tx);
    if (const LayoutState state = layout_state(tx); state != LayoutState::built)
        throw std::runtime_error(layout_problem(state));
    const pqxx::result checkpoint =
        tx.exec_params(std::string("SELECT seq FROM ") + live_schema + ".checkpoints WHERE region = $1", region);
    const std::int64_t after = checkpoint.empty() ? 0 : checkpoint[0][0].as<std::int64_t>();
    if (after >= head) return 0;
    const auto [upto, hash] = committed_upto(tx, region, after, std::min(limit, head - after));
    if (!hash) return 0;
    project_range(tx, live_schema, region, after, upto, *hash, built_block_seqs(tx));
    tx.commit();
    return upto - after;
}

CatchUpReport Projections::catch_up(std::int64_t max_events, const std::atomic<bool>* stop) {
    if (max_events < 1) throw std::invalid_argument("max_events must be at least 1");
    CatchUpReport report;
    const std::map<std::string, std::int64_t> heads = pass_heads(impl_->connection);
    for (bool progress = true; progress;) {  // the regions in turn, a transaction each
        progress = false;
        for (const auto& [region, head] : heads) {
            if (stop != nullptr && stop->load()) return report;
            const std::int64_t events = impl_->project_next(region, head, max_events);
            if (events == 0) continue;
            report.events += events;
            ++report.transactions;
            progress = true;
        }
    }
    return report;
}

// The tables that migrate created are emptied and filled again in one transaction (the
// projector may write their rows, never create or drop them): a reader's snapshot holds the
// old rows or the new ones, never a half, and never waits.
RebuildReport Projections::rebuild() {
    const auto started = std::chrono::steady_clock::now();
    RebuildReport report;
    pqxx::work tx(impl_->connection);
    impl_->lock(tx);
    if (const LayoutState state = layout_state(tx); state != LayoutState::built && state != LayoutState::not_built)
        throw std::runtime_error(layout_problem(state));
    require_writer(tx);
    tx.exec("SET LOCAL work_mem = '256MB'");
    for (const auto& table : projection_tables()) tx.exec(std::string("DELETE FROM ") + live_schema + "." + table);
    for (const auto& region : sql::regions(tx)) {
        const auto [upto, hash] = committed_upto(tx, region, 0, INT64_MAX);
        if (!hash) continue;
        project_range(tx, live_schema, region, 0, upto, *hash, impl_->block_seqs);
        report.events += upto;
    }
    tx.exec_params(std::string("UPDATE ") + live_schema + ".layout SET built_at = now(), block_seqs = $1",
                   impl_->block_seqs);
    tx.commit();
    report.milliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return report;
}

bool Projections::built() {
    pqxx::work tx(impl_->connection);
    return projections_built(tx);
}

std::vector<ProjectionPosition> Projections::positions() {
    pqxx::work tx(impl_->connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const bool exists = layout_state(tx) != LayoutState::missing;
    std::vector<ProjectionPosition> out;
    for (const auto& region : sql::regions(tx)) {
        ProjectionPosition position{region, 0, 0};
        const pqxx::result head =
            tx.exec_params("SELECT seq FROM ledger.events WHERE region = $1 ORDER BY seq DESC LIMIT 1", region);
        position.head_seq = head.empty() ? 0 : head[0][0].as<std::int64_t>();
        if (exists) {
            const pqxx::result checkpoint = tx.exec_params(
                std::string("SELECT seq FROM ") + live_schema + ".checkpoints WHERE region = $1", region);
            if (!checkpoint.empty()) position.projected_seq = checkpoint[0][0].as<std::int64_t>();
        }
        out.push_back(position);
    }
    return out;
}

std::vector<std::string> Projections::check_consistency() {
    std::vector<std::string> problems;
    pqxx::work tx(impl_->connection);
    impl_->lock(tx);  // no runner moves the checkpoints meanwhile
    if (const LayoutState state = layout_state(tx); state != LayoutState::built) return {layout_problem(state)};
    tx.exec("SET LOCAL work_mem = '256MB'");
    const std::int64_t block_seqs = built_block_seqs(tx);
    create_check_tables(tx);
    const pqxx::result checkpoints =
        tx.exec(std::string("SELECT region, seq, hash FROM ") + live_schema + ".checkpoints ORDER BY region");
    for (const auto& row : checkpoints) {
        const std::string region = row[0].as<std::string>();
        const std::int64_t seq = row[1].as<std::int64_t>();
        const pqxx::result stored =
            tx.exec_params("SELECT hash FROM ledger.events WHERE region = $1 AND seq = $2", region, seq);
        if (stored.empty() || sql::hash_from(stored[0][0]) != sql::hash_from(row[2])) {
            problems.push_back("checkpoints: " + region + " is at seq " + std::to_string(seq) +
                               " with a hash the ledger does not have there");
            continue;
        }
        project_range(tx, check_schema, region, 0, seq, sql::hash_from(row[2]), block_seqs);
    }
    for (const auto& [table, columns] : compared_tables) {
        const std::string live = std::string(live_schema) + "." + table;
        const std::string fresh = std::string(check_schema) + "." + table;
        const pqxx::result diff =
            tx.exec("SELECT (SELECT count(*) FROM (SELECT " + columns + " FROM " + live + " EXCEPT ALL SELECT " +
                    columns + " FROM " + fresh + ") a), (SELECT count(*) FROM (SELECT " + columns + " FROM " + fresh +
                    " EXCEPT ALL SELECT " + columns + " FROM " + live + ") b)");
        const auto extra = diff[0][0].as<std::int64_t>();
        const auto missing = diff[0][1].as<std::int64_t>();
        if (extra != 0 || missing != 0)
            problems.push_back("projection." + table + ": " + std::to_string(extra) + " rows not in a fresh replay, " +
                               std::to_string(missing) + " rows of the replay missing");
    }
    tx.abort();  // the scratch tables were never more than a check
    return problems;
}

}  // namespace likvard
