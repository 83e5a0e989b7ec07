// The projection runner. One code path projects a range of one region's seqs into the
// tables of a schema: the incremental runner (range: checkpoint..committed head, into
// `projection`), the rebuild (1..head, into a fresh schema swapped in) and the consistency
// check (1..checkpoint, into a scratch schema that is rolled back). Set-based SQL where the
// postings suffice; decoded events where they do not (parties, listings, commitment fte);
// per-event arithmetic (cross-subsidies, allocations) in C++, shared with the statements.
#include <chrono>
#include <map>
#include <stdexcept>
#include <tuple>

#include <pqxx/pqxx>

#include "events/events.hpp"
#include "projections/layout.hpp"
#include "projections/projections.hpp"
#include "store/sql.hpp"

namespace likvard {
namespace {

constexpr std::int64_t runner_lock_key = 0x6c696b7670726f6a;  // "likvproj": one runner at a time
constexpr const char* live_schema = "projection";
constexpr const char* next_schema = "projection_next";
constexpr const char* retired_schema = "projection_retired";
constexpr const char* check_schema = "projection_check";
constexpr const char* projector_role = "likvard_projector";

std::string layout_text() {
    std::string text;
    for (const auto& [name, content] : embedded_projection_layout()) text += content;
    return text;
}

std::string layout_sha256() {
    const std::string text = layout_text();
    const auto digest = sha256(text);
    return to_hex(digest.data(), digest.size());
}

std::string layout_for(const std::string& schema) {
    std::string text = layout_text();
    const std::string placeholder = "{schema}";
    for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at))
        text.replace(at, placeholder.size(), schema), at += schema.size();
    return text;
}

bool schema_exists(pqxx::work& tx, const std::string& schema) {
    return !tx.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema).empty();
}

void create_layout(pqxx::work& tx, const std::string& schema) {
    tx.exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    tx.exec(layout_for(schema));
    tx.exec_params("INSERT INTO " + schema + ".layout (sha256) VALUES ($1)", layout_sha256());
}

std::vector<std::string> ledger_regions(pqxx::work& tx) {
    std::vector<std::string> out;
    const pqxx::result rows = tx.exec(
        "WITH RECURSIVE r(region) AS ("
        " (SELECT region FROM ledger.events ORDER BY region LIMIT 1)"
        " UNION ALL"
        " SELECT (SELECT region FROM ledger.events WHERE region > r.region ORDER BY region LIMIT 1) FROM r"
        " WHERE r.region IS NOT NULL) "
        "SELECT region FROM r WHERE region IS NOT NULL");
    for (const auto& row : rows) out.push_back(row[0].as<std::string>());
    return out;
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

class RangeProjector {
public:
    RangeProjector(pqxx::work& tx, Decoder& decoder, std::string schema)
        : tx_(tx), decoder_(decoder), schema_(std::move(schema)) {}

    void project(const std::string& region, std::int64_t after, std::int64_t upto, const Hash& upto_hash) {
        parties(region, after, upto);
        listings(region, after, upto);
        balances(region, after, upto);
        counts(region, after, upto);
        commitments(region, after, upto);
        shared_costs(region, after, upto);
        tx_.exec_params("INSERT INTO " + t("checkpoints") +
                            " AS c (region, seq, hash) VALUES ($1, $2, $3) ON CONFLICT (region) DO UPDATE "
                            "SET seq = excluded.seq, hash = excluded.hash, updated_at = now()",
                        region, upto,
                        pqxx::binarystring(upto_hash.data(), upto_hash.size()));
    }

private:
    std::string t(const std::string& table) const { return schema_ + "." + table; }

    Event decode(const pqxx::field& canonical) {
        DecodeResult decoded = decoder_.decode(sql::from_bytea(canonical));
        if (!decoded.event) throw std::runtime_error("a stored event no longer decodes; run likvard verify");
        return std::move(*decoded.event);
    }

    pqxx::result events_of_type(const std::string& region, std::int64_t after, std::int64_t upto,
                                const std::string& type) {
        return tx_.exec_params(
            "SELECT seq, scheme, period, canonical FROM ledger.events WHERE region = $1 AND seq > $2 AND seq <= $3 "
            "AND type = $4 ORDER BY seq",
            region, after, upto, type);
    }

    void parties(const std::string& region, std::int64_t after, std::int64_t upto) {
        std::map<std::string, std::pair<std::int64_t, PartyRegistered>> latest;
        for (const auto& row : events_of_type(region, after, upto, "party.registered")) {
            const Event event = decode(row[3]);
            const auto& p = std::get<PartyRegistered>(event.data);
            latest.insert_or_assign(p.party_id, std::make_pair(row[0].as<std::int64_t>(), p));
        }
        Stage stage(tx_, "stage_parties", t("parties"), {"region", "party_id", "name", "kind", "side", "registered_seq"});
        for (const auto& [id, entry] : latest) {
            const auto& [seq, p] = entry;
            stage.line().text(region).text(p.party_id).text(p.name).text(kind_name(p.kind)).text(side_name(p.side)).number(seq);
            stage.add();
        }
        stage.flush("INSERT INTO " + t("parties") + " AS p SELECT * FROM stage_parties ON CONFLICT (region, party_id) "
                    "DO UPDATE SET name = excluded.name, kind = excluded.kind, side = excluded.side, "
                    "registered_seq = excluded.registered_seq WHERE excluded.registered_seq > p.registered_seq");
        sides_.clear();
        for (const auto& row : tx_.exec_params("SELECT party_id, side FROM " + t("parties") + " WHERE region = $1", region))
            sides_[row[0].as<std::string>()] = *side_from_name(row[1].as<std::string>());
    }

    void listings(const std::string& region, std::int64_t after, std::int64_t upto) {
        std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::int64_t, ListingRecorded>> latest;
        for (const auto& row : events_of_type(region, after, upto, "listing.recorded")) {
            const Event event = decode(row[3]);
            const auto& l = std::get<ListingRecorded>(event.data);
            latest.insert_or_assign({row[1].as<std::string>(), row[2].as<std::string>(), l.provider_id},
                                    std::make_pair(row[0].as<std::int64_t>(), l));
        }
        Stage stage(tx_, "stage_listings", t("listings"),
                    {"region", "scheme", "period", "provider", "listed", "weighted_listed", "seq"});
        for (const auto& [key, entry] : latest) {
            const auto& [scheme, period, provider] = key;
            stage.line().text(region).text(scheme).text(period).text(provider).number(entry.second.listed)
                .text(entry.second.weighted_listed.to_string()).number(entry.first);
            stage.add();
        }
        stage.flush("INSERT INTO " + t("listings") + " AS l SELECT * FROM stage_listings "
                    "ON CONFLICT (region, scheme, period, provider) DO UPDATE SET listed = excluded.listed, "
                    "weighted_listed = excluded.weighted_listed, seq = excluded.seq WHERE excluded.seq > l.seq");
    }

    void balances(const std::string& region, std::int64_t after, std::int64_t upto) {
        tx_.exec_params(
            "INSERT INTO " + t("balances") +
                " AS b SELECT region, scheme, period, party, account_class, item, sum(amount), count(*) "
                "FROM ledger.postings WHERE region = $1 AND seq > $2 AND seq <= $3 GROUP BY 1, 2, 3, 4, 5, 6 "
                "ON CONFLICT (region, scheme, period, party, account_class, item) DO UPDATE "
                "SET amount_ore = b.amount_ore + excluded.amount_ore, postings = b.postings + excluded.postings",
            region, after, upto);
    }

    void counts(const std::string& region, std::int64_t after, std::int64_t upto) {
        tx_.exec_params("INSERT INTO " + t("event_counts") +
                            " AS c SELECT region, scheme, period, type, count(*) FROM ledger.events "
                            "WHERE region = $1 AND seq > $2 AND seq <= $3 GROUP BY 1, 2, 3, 4 "
                            "ON CONFLICT (region, scheme, period, type) DO UPDATE SET events = c.events + excluded.events",
                        region, after, upto);
        tx_.exec_params("INSERT INTO " + t("decision_refs") +
                            " AS d SELECT region, scheme, period, decision_ref, count(*) FROM ledger.events "
                            "WHERE region = $1 AND seq > $2 AND seq <= $3 AND decision_ref IS NOT NULL "
                            "GROUP BY 1, 2, 3, 4 ON CONFLICT (region, scheme, period, decision_ref) DO UPDATE "
                            "SET events = d.events + excluded.events",
                        region, after, upto);
    }

    // Commitment costs and reversals of commitment costs: the fte the postings lack.
    void commitments(const std::string& region, std::int64_t after, std::int64_t upto) {
        struct Fact {
            std::int64_t fte = 0, fte_events = 0, events = 0;
        };
        std::map<std::tuple<std::string, std::string, std::string, std::string>, Fact> facts;
        const pqxx::result rows = tx_.exec_params(
            "SELECT e.scheme, e.period, e.decision_ref, coalesce(t.canonical, e.canonical), t.seq IS NOT NULL "
            "FROM ledger.events e LEFT JOIN ledger.events t ON e.type = 'entry.reversed' AND t.region = e.region "
            " AND t.event_id = e.reverses AND t.type = 'commitment.cost_incurred' "
            "WHERE e.region = $1 AND e.seq > $2 AND e.seq <= $3 "
            "AND (e.type = 'commitment.cost_incurred' OR t.seq IS NOT NULL)",
            region, after, upto);
        for (const auto& row : rows) {
            const Event event = decode(row[3]);
            const auto& c = std::get<CommitmentCostIncurred>(event.data);
            Fact& fact = facts[{row[0].as<std::string>(), row[1].as<std::string>(), c.commitment,
                                row[2].is_null() ? std::string() : row[2].as<std::string>()}];
            ++fact.events;
            if (c.fte) {
                fact.fte += (row[4].as<bool>() ? -1 : 1) * c.fte->scaled();
                ++fact.fte_events;
            }
        }
        Stage stage(tx_, "stage_commitments", t("commitment_facts"),
                    {"region", "scheme", "period", "commitment", "decision_ref", "fte_scaled", "fte_events", "events"});
        for (const auto& [key, fact] : facts) {
            const auto& [scheme, period, commitment, decision_ref] = key;
            stage.line().text(region).text(scheme).text(period).text(commitment).text(decision_ref).number(fact.fte)
                .number(fact.fte_events).number(fact.events);
            stage.add();
        }
        stage.flush("INSERT INTO " + t("commitment_facts") +
                    " AS f SELECT * FROM stage_commitments ON CONFLICT (region, scheme, period, commitment, decision_ref) "
                    "DO UPDATE SET fte_scaled = f.fte_scaled + excluded.fte_scaled, "
                    "fte_events = f.fte_events + excluded.fte_events, events = f.events + excluded.events");
    }

    Side side_of(const std::string& party) const {
        const auto found = sides_.find(party);
        return found == sides_.end() ? Side::external : found->second;
    }

    // Per shared-cost event: its cross-subsidies (as the statement attributes them) and each
    // beneficiary's benefit split over the payers by what they paid.
    void shared_costs(const std::string& region, std::int64_t after, std::int64_t upto) {
        struct Sums {
            CrossSubsidy subsidy;
            std::int64_t events = 0;
        };
        std::map<std::tuple<std::string, std::string, std::string>, Sums> subsidies;
        std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, std::int64_t> allocations;
        const pqxx::result rows = tx_.exec_params(
            "SELECT seq, scheme, period, substr(item, 13), party, account_class = 'expense', sum(amount) "
            "FROM ledger.postings WHERE region = $1 AND seq > $2 AND seq <= $3 "
            "AND account_class IN ('expense', 'benefit') AND item LIKE 'shared\\_cost.%' "
            "GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 5, 6",
            region, after, upto);
        std::vector<SharedCostPart> parts;
        std::vector<std::pair<std::string, std::int64_t>> payers, beneficiaries;
        std::string scheme, period, service;
        auto flush = [&]() {
            if (const auto contribution = cross_subsidy_of_event(parts)) {
                Sums& sums = subsidies[{scheme, period, service}];
                sums.subsidy += *contribution;
                ++sums.events;
            }
            std::vector<Weight> weights;
            for (const auto& [payer, paid] : payers)
                if (paid != 0) weights.push_back({payer, paid < 0 ? -paid : paid});
            if (!weights.empty()) {
                for (const auto& [beneficiary, benefit] : beneficiaries) {
                    const std::int64_t sign = benefit < 0 ? -1 : 1;
                    for (const auto& part : split_largest_remainder(Money::from_ore(sign * benefit), weights))
                        allocations[{scheme, period, service, part.party_id, beneficiary}] += sign * part.amount.ore();
                }
            }
            parts.clear();
            payers.clear();
            beneficiaries.clear();
        };
        std::int64_t seq = 0;
        for (const auto& row : rows) {
            if (row[0].as<std::int64_t>() != seq) {
                if (seq != 0) flush();
                seq = row[0].as<std::int64_t>();
                scheme = row[1].as<std::string>();
                period = row[2].as<std::string>();
                service = row[3].as<std::string>();
            }
            const std::string party = row[4].as<std::string>();
            const bool paid = row[5].as<bool>();
            const std::int64_t amount = row[6].as<std::int64_t>();
            parts.push_back({paid, side_of(party), Money::from_ore(amount)});
            if (paid) payers.emplace_back(party, amount);
            else beneficiaries.emplace_back(party, -amount);  // benefit is booked as a credit
        }
        if (seq != 0) flush();

        Stage subsidy_stage(tx_, "stage_cross_subsidies", t("cross_subsidies"),
                            {"region", "scheme", "period", "service", "region_run_to_private_ore",
                             "private_to_region_run_ore", "paid_region_run_ore", "paid_private_ore", "events"});
        for (const auto& [key, sums] : subsidies) {
            const auto& [s, p, v] = key;
            subsidy_stage.line().text(region).text(s).text(p).text(v)
                .number(static_cast<std::int64_t>(sums.subsidy.region_run_to_private))
                .number(static_cast<std::int64_t>(sums.subsidy.private_to_region_run))
                .number(static_cast<std::int64_t>(sums.subsidy.paid_region_run))
                .number(static_cast<std::int64_t>(sums.subsidy.paid_private)).number(sums.events);
            subsidy_stage.add();
        }
        subsidy_stage.flush(
            "INSERT INTO " + t("cross_subsidies") +
            " AS c SELECT * FROM stage_cross_subsidies ON CONFLICT (region, scheme, period, service) DO UPDATE SET "
            "region_run_to_private_ore = c.region_run_to_private_ore + excluded.region_run_to_private_ore, "
            "private_to_region_run_ore = c.private_to_region_run_ore + excluded.private_to_region_run_ore, "
            "paid_region_run_ore = c.paid_region_run_ore + excluded.paid_region_run_ore, "
            "paid_private_ore = c.paid_private_ore + excluded.paid_private_ore, events = c.events + excluded.events");

        Stage allocation_stage(tx_, "stage_allocations", t("shared_cost_allocations"),
                               {"region", "scheme", "period", "service", "payer", "beneficiary", "amount_ore"});
        for (const auto& [key, amount] : allocations) {
            const auto& [s, p, v, payer, beneficiary] = key;
            allocation_stage.line().text(region).text(s).text(p).text(v).text(payer).text(beneficiary).number(amount);
            allocation_stage.add();
        }
        allocation_stage.flush(
            "INSERT INTO " + t("shared_cost_allocations") +
            " AS a SELECT * FROM stage_allocations ON CONFLICT (region, scheme, period, service, payer, beneficiary) "
            "DO UPDATE SET amount_ore = a.amount_ore + excluded.amount_ore");
    }

    pqxx::work& tx_;
    Decoder& decoder_;
    std::string schema_;
    std::map<std::string, Side> sides_;
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
    {"shared_cost_allocations", "region, scheme, period, service, payer, beneficiary, amount_ore"},
};

}  // namespace

struct Projections::Impl {
    explicit Impl(const std::string& url) : connection(url) {
        pqxx::nontransaction tx(connection);
        tx.exec(std::string("SET ROLE ") + projector_role);
    }
    void lock(pqxx::work& tx) { tx.exec_params("SELECT pg_advisory_xact_lock($1)", runner_lock_key); }

    pqxx::connection connection;
    Decoder decoder;
};

Projections::Projections(const std::string& url) : impl_(std::make_unique<Impl>(url)) {}
Projections::~Projections() = default;

void Projections::ensure() {
    {
        pqxx::work tx(impl_->connection);
        impl_->lock(tx);
        if (schema_exists(tx, live_schema)) {
            const pqxx::result built = tx.exec(std::string("SELECT sha256 FROM ") + live_schema + ".layout");
            if (!built.empty() && built[0][0].as<std::string>() == layout_sha256()) return;
        }
    }
    rebuild();
}

CatchUpReport Projections::catch_up(std::int64_t max_events) {
    if (max_events < 1) throw std::invalid_argument("max_events must be at least 1");
    CatchUpReport report;
    for (bool progress = true; progress;) {
        progress = false;
        std::vector<std::string> regions;
        {
            pqxx::work tx(impl_->connection);
            regions = ledger_regions(tx);
        }
        for (const auto& region : regions) {
            pqxx::work tx(impl_->connection);
            impl_->lock(tx);
            if (!schema_exists(tx, live_schema))
                throw std::runtime_error("the projection schema is missing: run likvard projections rebuild");
            const pqxx::result checkpoint = tx.exec_params(
                std::string("SELECT seq FROM ") + live_schema + ".checkpoints WHERE region = $1", region);
            const std::int64_t after = checkpoint.empty() ? 0 : checkpoint[0][0].as<std::int64_t>();
            const auto [upto, hash] = committed_upto(tx, region, after, max_events);
            if (!hash) continue;
            RangeProjector(tx, impl_->decoder, live_schema).project(region, after, upto, *hash);
            tx.commit();
            report.events += upto - after;
            ++report.transactions;
            progress = true;
        }
    }
    return report;
}

RebuildReport Projections::rebuild() {
    const auto started = std::chrono::steady_clock::now();
    RebuildReport report;
    pqxx::work tx(impl_->connection);
    impl_->lock(tx);
    tx.exec("SET LOCAL work_mem = '256MB'");
    create_layout(tx, next_schema);
    for (const auto& region : ledger_regions(tx)) {
        const auto [upto, hash] = committed_upto(tx, region, 0, INT64_MAX);
        if (!hash) continue;
        RangeProjector(tx, impl_->decoder, next_schema).project(region, 0, upto, *hash);
        report.events += upto;
    }
    if (schema_exists(tx, live_schema))
        tx.exec(std::string("ALTER SCHEMA ") + live_schema + " RENAME TO " + retired_schema);
    tx.exec(std::string("ALTER SCHEMA ") + next_schema + " RENAME TO " + live_schema);
    tx.exec(std::string("DROP SCHEMA IF EXISTS ") + retired_schema + " CASCADE");
    tx.commit();
    report.milliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return report;
}

bool Projections::built() {
    pqxx::work tx(impl_->connection);
    return schema_exists(tx, live_schema);
}

std::vector<ProjectionPosition> Projections::positions() {
    pqxx::work tx(impl_->connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const bool exists = schema_exists(tx, live_schema);
    std::vector<ProjectionPosition> out;
    for (const auto& region : ledger_regions(tx)) {
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
    if (!schema_exists(tx, live_schema)) return {"the projection schema is missing: run likvard projections rebuild"};
    const pqxx::result built = tx.exec(std::string("SELECT sha256 FROM ") + live_schema + ".layout");
    if (built.empty() || built[0][0].as<std::string>() != layout_sha256())
        return {"the projections were built by another layout: run likvard projections rebuild"};
    tx.exec("SET LOCAL work_mem = '256MB'");
    create_layout(tx, check_schema);
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
        RangeProjector(tx, impl_->decoder, check_schema).project(region, 0, seq, sql::hash_from(row[2]));
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
    tx.abort();  // the scratch schema was never more than a check
    return problems;
}

}  // namespace likvard
