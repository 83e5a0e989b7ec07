// The projection runner. One code path projects a range of one region's seqs into the
// tables of a schema: the incremental runner (range: checkpoint..committed head, into
// `projection`), the rebuild (1..head, into `projection` emptied in the same transaction)
// and the consistency check (1..checkpoint, into temporary tables that are rolled back).
// Set-based SQL where the postings suffice; decoded events where they do not (parties,
// listings, commitment fte); per-event arithmetic (cross-subsidies) in C++, shared with the
// statements. It connects as likvard_projector, which writes the rows of the tables that
// `likvard migrate` created and owns nothing.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <pqxx/pqxx>

#include "events/events.hpp"
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
    const pqxx::result layout = tx.exec(std::string("SELECT sha256, built_at IS NOT NULL FROM ") + live_schema + ".layout");
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
    const pqxx::row r = tx.exec1(std::string("SELECT current_user, has_table_privilege('") + live_schema +
                                 ".checkpoints', 'INSERT')");
    if (!r[1].as<bool>())
        throw std::runtime_error("connected as " + r[0].as<std::string>() + ", which may not write the projections: "
                                 "connect as " + sql::projector_role + " (docs/operating.md, \"Roles\")");
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

// Rows computed in C++ go through a temporary staging table and one upsert.
class Stage {
public:
    Stage(pqxx::work& tx, std::string name, const std::string& like_table, std::vector<std::string> columns)
        : tx_(tx), name_(std::move(name)), columns_(std::move(columns)) {
        tx_.exec("CREATE TEMP TABLE IF NOT EXISTS " + name_ + " (LIKE " + like_table + ") ON COMMIT DROP");
        tx_.exec("TRUNCATE " + name_);
    }
    sql::CopyLine& line() {
        line_.clear();
        return line_;
    }
    void add() { lines_.push_back(line_.str()); }
    // COPY the staged rows, then run `upsert` (which reads from the staging table).
    void flush(const std::string& upsert) {
        if (lines_.empty()) return;
        {
            sql::CopyWriter writer(tx_, name_, columns_);
            for (const auto& l : lines_) writer.write(l);
            writer.complete();
        }
        tx_.exec(upsert);
    }

private:
    pqxx::work& tx_;
    std::string name_;
    std::vector<std::string> columns_;
    sql::CopyLine line_;
    std::vector<std::string> lines_;
};

using MonthKey = std::tuple<std::string, std::string>;  // scheme, period

// Aggregates are read with plain SELECTs (PostgreSQL runs those with parallel workers; an
// INSERT ... SELECT it would not) and written back through a staging table and one upsert.
class RangeProjector {
public:
    RangeProjector(pqxx::work& tx, std::string schema) : tx_(tx), schema_(std::move(schema)) {}

    void project(const std::string& region, std::int64_t after, std::int64_t upto, const Hash& upto_hash) {
        decoded_events(region, after, upto);
        balances(region, after, upto);
        counts(region, after, upto);
        shared_costs(region, after, upto);
        tx_.exec_params("INSERT INTO " + t("checkpoints") +
                            " AS c (region, seq, hash) VALUES ($1, $2, $3) ON CONFLICT (region) DO UPDATE "
                            "SET seq = excluded.seq, hash = excluded.hash, updated_at = now()",
                        region, upto, pqxx::binarystring(upto_hash.data(), upto_hash.size()));
    }

private:
    std::string t(const std::string& table) const { return schema_ + "." + table; }

    // stored + excluded for an upsert, in numeric: past bigint an error naming the table
    // and the row (layout.sql, checked_sum). The function is the live schema's, which
    // `likvard migrate` created, also when the rows go to the consistency check's temporary
    // tables: pg_temp holds tables only.
    std::string checked_sum(const std::string& alias, const std::string& column, const std::string& table,
                            const std::string& row_key) const {
        // The function lives in the projection schema that migrate made, also when the
        // range goes to the consistency check's temporary tables.
        return column + " = " + live_schema + ".checked_sum(" + alias + "." + column + ", excluded." + column +
               ", 'projection." + table + "." + column + "', " + row_key + ")";
    }

    Event decode(const pqxx::field& canonical) {
        std::optional<Event> event = decode_stored(sql::from_bytea(canonical));
        if (!event) throw std::runtime_error("a stored event no longer decodes; run likvard verify");
        return std::move(*event);
    }

    // The facts the postings lack, from the events that carry them: parties, listings (the
    // highest seq wins), and the fte of commitment costs and of their reversals.
    void decoded_events(const std::string& region, std::int64_t after, std::int64_t upto) {
        std::map<std::string, std::pair<std::int64_t, PartyRegistered>> parties;
        std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::int64_t, ListingRecorded>> listings;
        struct Fact {
            std::int64_t fte = 0, fte_events = 0, events = 0;
        };
        std::map<std::tuple<std::string, std::string, std::string, std::string>, Fact> facts;
        auto add_fact = [&](const std::string& scheme, const std::string& period, const pqxx::field& decision_ref,
                            const CommitmentCostIncurred& c, bool reversal) {
            Fact& fact = facts[{scheme, period, c.commitment, decision_ref.is_null() ? "" : decision_ref.as<std::string>()}];
            ++fact.events;
            if (c.fte) {
                if (__builtin_add_overflow(fact.fte, (reversal ? -1 : 1) * c.fte->scaled(), &fact.fte))
                    throw std::overflow_error("the fte of commitment " + c.commitment + " in " + scheme + " " + period +
                                              " sums beyond what int64 holds");
                ++fact.fte_events;
            }
        };
        const pqxx::result rows = tx_.exec_params(
            "SELECT seq, type, scheme, period, decision_ref, reverses, "
            " CASE WHEN type <> 'entry.reversed' THEN canonical END FROM ledger.events "
            "WHERE region = $1 AND seq > $2 AND seq <= $3 AND type IN ('party.registered', 'listing.recorded', "
            " 'commitment.cost_incurred', 'entry.reversed') ORDER BY seq",
            region, after, upto);
        std::vector<pqxx::row> reversals;
        for (const auto& row : rows) {
            const std::string type = row[1].as<std::string>();
            if (type == "entry.reversed") {
                reversals.push_back(row);
                continue;
            }
            const Event event = decode(row[6]);
            if (const auto* p = std::get_if<PartyRegistered>(&event.data))
                parties.insert_or_assign(p->party_id, std::make_pair(row[0].as<std::int64_t>(), *p));
            else if (const auto* l = std::get_if<ListingRecorded>(&event.data))
                listings.insert_or_assign({row[2].as<std::string>(), row[3].as<std::string>(), l->provider_id},
                                          std::make_pair(row[0].as<std::int64_t>(), *l));
            else if (const auto* c = std::get_if<CommitmentCostIncurred>(&event.data))
                add_fact(row[2].as<std::string>(), row[3].as<std::string>(), row[4], *c, false);
        }
        if (!reversals.empty()) {  // which of the reversed events were commitment costs
            std::vector<std::string> ids;
            for (const auto& row : reversals) ids.push_back(row[5].as<std::string>());
            std::map<std::string, CommitmentCostIncurred> reversed;
            for (const auto& row : tx_.exec_params(
                     "SELECT event_id, canonical FROM ledger.events WHERE region = $1 AND event_id = ANY($2::uuid[]) "
                     "AND type = 'commitment.cost_incurred'",
                     region, sql::array_literal(ids))) {
                const Event event = decode(row[1]);
                reversed.emplace(row[0].as<std::string>(), std::get<CommitmentCostIncurred>(event.data));
            }
            for (const auto& row : reversals)
                if (const auto found = reversed.find(row[5].as<std::string>()); found != reversed.end())
                    add_fact(row[2].as<std::string>(), row[3].as<std::string>(), row[4], found->second, true);
        }

        Stage party_stage(tx_, "stage_parties", t("parties"), {"region", "party_id", "name", "kind", "side", "registered_seq"});
        for (const auto& [id, entry] : parties) {
            const auto& [seq, p] = entry;
            party_stage.line().text(region).text(p.party_id).text(p.name).text(kind_name(p.kind)).text(side_name(p.side))
                .number(seq);
            party_stage.add();
        }
        party_stage.flush("INSERT INTO " + t("parties") + " AS p SELECT * FROM stage_parties ON CONFLICT (region, party_id) "
                          "DO UPDATE SET name = excluded.name, kind = excluded.kind, side = excluded.side, "
                          "registered_seq = excluded.registered_seq WHERE excluded.registered_seq > p.registered_seq");

        Stage listing_stage(tx_, "stage_listings", t("listings"),
                            {"region", "scheme", "period", "provider", "listed", "weighted_listed", "seq"});
        for (const auto& [key, entry] : listings) {
            const auto& [scheme, period, provider] = key;
            listing_stage.line().text(region).text(scheme).text(period).text(provider).number(entry.second.listed)
                .text(entry.second.weighted_listed.to_string()).number(entry.first);
            listing_stage.add();
        }
        listing_stage.flush("INSERT INTO " + t("listings") + " AS l SELECT * FROM stage_listings "
                            "ON CONFLICT (region, scheme, period, provider) DO UPDATE SET listed = excluded.listed, "
                            "weighted_listed = excluded.weighted_listed, seq = excluded.seq WHERE excluded.seq > l.seq");

        Stage fact_stage(tx_, "stage_commitments", t("commitment_facts"),
                         {"region", "scheme", "period", "commitment", "decision_ref", "fte_scaled", "fte_events", "events"});
        for (const auto& [key, fact] : facts) {
            const auto& [scheme, period, commitment, decision_ref] = key;
            fact_stage.line().text(region).text(scheme).text(period).text(commitment).text(decision_ref).number(fact.fte)
                .number(fact.fte_events).number(fact.events);
            fact_stage.add();
        }
        fact_stage.flush("INSERT INTO " + t("commitment_facts") +
                         " AS f SELECT * FROM stage_commitments ON CONFLICT (region, scheme, period, commitment, "
                         "decision_ref) DO UPDATE SET " +
                         checked_sum("f", "fte_scaled", "commitment_facts",
                                     "'commitment ' || f.commitment || ' in ' || f.scheme || ' ' || f.period") +
                         ", fte_events = f.fte_events + excluded.fte_events, events = f.events + excluded.events");
    }

    void balances(const std::string& region, std::int64_t after, std::int64_t upto) {
        Stage stage(tx_, "stage_balances", t("balances"),
                    {"region", "scheme", "period", "party", "account_class", "item", "amount_ore", "postings"});
        // Grouped by the account alone (`<party>:<class>:<item>`; party ids and classes have no
        // ':'), which PostgreSQL hashes faster than its three parts; split here.
        for (const auto& row : tx_.exec_params(
                 "SELECT scheme, period, account, sum(amount), count(*) FROM ledger.postings "
                 "WHERE region = $1 AND seq > $2 AND seq <= $3 GROUP BY 1, 2, 3",
                 region, after, upto)) {
            const sql::AccountParts account = sql::split_account(row[2].c_str());
            const Money sum = sql::summed_money(row[3], [&] {
                return "the postings of party " + std::string(account.party) + " on account " + row[2].c_str() + " in " +
                       row[0].c_str() + " " + row[1].c_str();
            });
            stage.line().text(region).text(row[0].c_str()).text(row[1].c_str()).text(account.party)
                .text(account.account_class).text(account.item)
                .number(sum.ore()).number(row[4].as<std::int64_t>());
            stage.add();
        }
        stage.flush("INSERT INTO " + t("balances") + " AS b SELECT * FROM stage_balances "
                    "ON CONFLICT (region, scheme, period, party, account_class, item) DO UPDATE SET " +
                    checked_sum("b", "amount_ore", "balances",
                                "'party ' || b.party || ' on account ' || b.party || ':' || b.account_class || ':' || "
                                "b.item || ' in ' || b.scheme || ' ' || b.period") +
                    ", postings = b.postings + excluded.postings");
    }

    // Events per type and per decision reference, in one scan (two grouping sets). Budgets
    // are not events of the statements' sums: not counted (docs/contract.md, `budget.set`).
    void counts(const std::string& region, std::int64_t after, std::int64_t upto) {
        Stage count_stage(tx_, "stage_counts", t("event_counts"), {"region", "scheme", "period", "type", "events"});
        Stage ref_stage(tx_, "stage_refs", t("decision_refs"), {"region", "scheme", "period", "decision_ref", "events"});
        for (const auto& row : tx_.exec_params(
                 "SELECT scheme, period, type, decision_ref, count(*), GROUPING(type) FROM ledger.events "
                 "WHERE region = $1 AND seq > $2 AND seq <= $3 AND type <> 'budget.set' "
                 "GROUP BY GROUPING SETS ((scheme, period, type), (scheme, period, decision_ref))",
                 region, after, upto)) {
            const bool by_type = row[5].as<int>() == 0;
            if (!by_type && row[3].is_null()) continue;  // events without a decision reference
            Stage& stage = by_type ? count_stage : ref_stage;
            stage.line().text(region).text(row[0].c_str()).text(row[1].c_str()).text(row[by_type ? 2 : 3].c_str())
                .number(row[4].as<std::int64_t>());
            stage.add();
        }
        count_stage.flush("INSERT INTO " + t("event_counts") + " AS c SELECT * FROM stage_counts "
                          "ON CONFLICT (region, scheme, period, type) DO UPDATE SET events = c.events + excluded.events");
        ref_stage.flush("INSERT INTO " + t("decision_refs") + " AS d SELECT * FROM stage_refs "
                        "ON CONFLICT (region, scheme, period, decision_ref) DO UPDATE SET events = d.events + excluded.events");
    }

    // Per shared-cost event, what each side paid and received, reduced to its cross-subsidies
    // exactly as the statement attributes them (cross_subsidy_of_event), summed per month.
    void shared_costs(const std::string& region, std::int64_t after, std::int64_t upto) {
        struct Sums {
            CrossSubsidy subsidy;
            std::int64_t events = 0;
        };
        std::map<std::tuple<std::string, std::string, std::string>, Sums> subsidies;
        // The sides as the parties projected so far have them (this range's registrations included).
        std::vector<std::string> region_run, private_providers;
        for (const auto& row : tx_.exec_params("SELECT party_id, side FROM " + t("parties") + " WHERE region = $1", region)) {
            const std::string side = row[1].as<std::string>();
            if (side == side_name(Side::region_run)) region_run.push_back(row[0].as<std::string>());
            if (side == side_name(Side::private_provider)) private_providers.push_back(row[0].as<std::string>());
        }
        const pqxx::result rows = tx_.exec_params(
            sql::shared_cost_events_sql("seq, scheme, period", "region = $1 AND seq > $2 AND seq <= $3", 4, 5), region,
            after, upto, sql::array_literal(region_run), sql::array_literal(private_providers));
        for (const auto& row : rows) {
            if (const auto contribution = cross_subsidy_of_event(sql::shared_cost_parts(row, 4))) {
                Sums& sums = subsidies[{row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>()}];
                sums.subsidy += *contribution;
                ++sums.events;
            }
        }

        Stage stage(tx_, "stage_cross_subsidies", t("cross_subsidies"),
                    {"region", "scheme", "period", "service", "region_run_to_private_ore", "private_to_region_run_ore",
                     "paid_region_run_ore", "paid_private_ore", "events"});
        for (const auto& [key, sums] : subsidies) {
            const auto& [s, p, v] = key;
            const std::string what = "the shared costs of service " + v + " in " + s + " " + p;
            stage.line().text(region).text(s).text(p).text(v)
                .number(money_from_sum(sums.subsidy.region_run_to_private, what).ore())
                .number(money_from_sum(sums.subsidy.private_to_region_run, what).ore())
                .number(money_from_sum(sums.subsidy.paid_region_run, what).ore())
                .number(money_from_sum(sums.subsidy.paid_private, what).ore()).number(sums.events);
            stage.add();
        }
        const std::string row_key = "'service ' || c.service || ' in ' || c.scheme || ' ' || c.period";
        stage.flush("INSERT INTO " + t("cross_subsidies") +
                    " AS c SELECT * FROM stage_cross_subsidies ON CONFLICT (region, scheme, period, service) DO UPDATE SET " +
                    checked_sum("c", "region_run_to_private_ore", "cross_subsidies", row_key) + ", " +
                    checked_sum("c", "private_to_region_run_ore", "cross_subsidies", row_key) + ", " +
                    checked_sum("c", "paid_region_run_ore", "cross_subsidies", row_key) + ", " +
                    checked_sum("c", "paid_private_ore", "cross_subsidies", row_key) +
                    ", events = c.events + excluded.events");
    }

    pqxx::work& tx_;
    std::string schema_;
};

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
};

}  // namespace

struct Projections::Impl {
    explicit Impl(const std::string& url) : connection(url) {
        sql::warn_if_privileged(connection);
        pqxx::nontransaction tx(connection);
        tx.exec("SET jit = off");  // compiling expressions costs more than it saves on these scans
    }
    void lock(pqxx::work& tx) { tx.exec_params("SELECT pg_advisory_xact_lock($1)", projection_runner_lock_key); }
    std::int64_t project_next(const std::string& region, std::int64_t head, std::int64_t limit);

    pqxx::connection connection;
};

Projections::Projections(const std::string& url) : impl_(std::make_unique<Impl>(url)) {}
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
    RangeProjector(tx, live_schema).project(region, after, upto, *hash);
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
        RangeProjector(tx, live_schema).project(region, 0, upto, *hash);
        report.events += upto;
    }
    tx.exec(std::string("UPDATE ") + live_schema + ".layout SET built_at = now()");
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
        const pqxx::result head = tx.exec_params(
            "SELECT seq FROM ledger.events WHERE region = $1 ORDER BY seq DESC LIMIT 1", region);
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
        RangeProjector(tx, check_schema).project(region, 0, seq, sql::hash_from(row[2]));
    }
    for (const auto& [table, columns] : compared_tables) {
        const std::string live = std::string(live_schema) + "." + table;
        const std::string fresh = std::string(check_schema) + "." + table;
        const pqxx::result diff = tx.exec(
            "SELECT (SELECT count(*) FROM (SELECT " + columns + " FROM " + live + " EXCEPT ALL SELECT " + columns +
            " FROM " + fresh + ") a), (SELECT count(*) FROM (SELECT " + columns + " FROM " + fresh +
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
