// A statement's slice as of any seq: the projections' blocks entirely at or below the seq
// (and at or below the checkpoint), summed in PostgreSQL, and the postings after them, read
// by the store as the ledger path reads them; merged here into the slice that the postings
// alone give (tests/integration/as_of_test.cpp checks every seq of a ledger).
#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include <pqxx/pqxx>

#include "projections/detail/blocks.hpp"
#include "store/connection.hpp"
#include "store/sql.hpp"

namespace likvard {
namespace {

// Where the blocks end for a statement as of `seq`: level-0 blocks 0 .. blocks - 1 cover the
// seqs 1 .. covered, read as the blocks of every level that hold them (blocks_below), and
// the postings after covered up to seq are the tail.
struct Coverage {
    std::int64_t seq = 0;  // the region's last seq at or before the one asked
    std::int64_t blocks = 0;
    std::int64_t covered = 0;
    std::string levels;  // blocks_below(blocks) as two SQL arrays: the levels and the blocks
    std::string indexes;
};

std::optional<Coverage> coverage(pqxx::work& tx, const std::string& region, std::optional<std::int64_t> as_of) {
    const pqxx::row r = tx.exec_params1(
        "SELECT (SELECT block_seqs FROM projection.layout), "
        " coalesce((SELECT seq FROM projection.checkpoints WHERE region = $1), 0), "
        " coalesce((SELECT seq FROM ledger.events WHERE region = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1), 0)",
        region, as_of.value_or(INT64_MAX));
    if (r[0].is_null()) return std::nullopt;
    const auto block_seqs = r[0].as<std::int64_t>();
    Coverage c;
    c.seq = r[2].as<std::int64_t>();
    c.blocks = std::min(c.seq, r[1].as<std::int64_t>()) / block_seqs;
    c.covered = c.blocks * block_seqs;
    std::vector<std::string> levels, indexes;
    for (const BlockAt& b : blocks_below(c.blocks)) {
        levels.push_back(std::to_string(b.level));
        indexes.push_back(std::to_string(b.block));
    }
    c.levels = sql::array_literal(levels);
    c.indexes = sql::array_literal(indexes);
    return c;
}

// Every read of a block table: the region and scheme, the blocks of blocks_below, the months.
constexpr const char* in_blocks =
    " WHERE region = $1 AND scheme = $2 AND (level, block) IN (SELECT * FROM unnest($3::smallint[], $4::bigint[])) "
    "AND period BETWEEN $5 AND $6 ";

void read_parties(pqxx::work& tx, LedgerSlice& slice, const Coverage& c) {
    for (const auto& row : tx.exec_params("SELECT party_id, name, kind, side FROM projection.parties "
                                          "WHERE region = $1 AND registered_seq <= $2",
                                          slice.region, c.covered)) {
        const std::string id = row[0].as<std::string>();
        slice.parties[id] = SliceParty{id, row[1].as<std::string>(), *kind_from_name(row[2].as<std::string>()),
                                       *side_from_name(row[3].as<std::string>())};
    }
}

pqxx::result in_range(pqxx::work& tx, const LedgerSlice& s, const Coverage& c, const std::string& select,
                      const std::string& table, const std::string& rest) {
    return tx.exec_params(select + " FROM projection." + table + in_blocks + rest, s.region, s.scheme, c.levels,
                          c.indexes, s.from, s.to);
}

void read_listings_and_counts(pqxx::work& tx, LedgerSlice& slice, const Coverage& c) {
    for (const auto& row : in_range(tx, slice, c,
                                    "SELECT DISTINCT ON (period, provider) period, provider, listed, "
                                    "weighted_listed",
                                    "block_listings", "ORDER BY period, provider, seq DESC")) {
        const auto weighted = Decimal4::parse(row[3].as<std::string>());
        if (!weighted.value)
            throw std::runtime_error("projection.block_listings holds a weighted_listed that does not parse");
        slice.listings[{row[0].as<std::string>(), row[1].as<std::string>()}] = {row[2].as<std::int64_t>(),
                                                                                *weighted.value};
    }
    slice.events_counted =
        in_range(tx, slice, c, "SELECT coalesce(sum(events), 0)", "block_event_counts", "")[0][0].as<std::int64_t>();
    for (const auto& row :
         in_range(tx, slice, c, "SELECT decision_ref", "block_decision_refs", "GROUP BY 1 ORDER BY 1"))
        slice.decision_refs.push_back(row[0].as<std::string>());
}

// One fact per commitment, month and decision reference stands for its events, as in the
// projections at the head (read.cpp).
void read_commitment_facts(pqxx::work& tx, LedgerSlice& slice, const Coverage& c) {
    for (const auto& row : in_range(tx, slice, c,
                                    "SELECT period, commitment, decision_ref, sum(fte_scaled), "
                                    "sum(fte_events)",
                                    "block_commitment_facts", "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")) {
        SliceEvent event;
        event.type = EventType::commitment_cost_incurred;
        event.period = row[0].as<std::string>();
        event.commitment = row[1].as<std::string>();
        if (const auto ref = row[2].as<std::string>(); !ref.empty()) event.decision_ref = ref;
        if (row[4].as<std::int64_t>() > 0) event.fte = Decimal4::from_scaled(row[3].as<std::int64_t>());
        slice.commitment_events.push_back(std::move(event));
    }
}

void read_balances(pqxx::work& tx, LedgerSlice& slice, const Coverage& c) {
    for (const auto& row : in_range(tx, slice, c, "SELECT period, party, account_class, item, sum(amount_ore)",
                                    "block_balances", "GROUP BY 1, 2, 3, 4")) {
        const Money sum = sql::summed_money(row[4], [&] {
            return "the postings of party " + row[1].as<std::string>() + " on account " + row[1].as<std::string>() +
                   ":" + row[2].as<std::string>() + ":" + row[3].as<std::string>() + " in " + row[0].as<std::string>();
        });
        slice.postings.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                                  row[3].as<std::string>(), sum});
    }
}

void read_cross_subsidies(pqxx::work& tx, LedgerSlice& slice, const Coverage& c) {
    for (const auto& row : in_range(tx, slice, c,
                                    "SELECT service, sum(region_run_to_private_ore), "
                                    "sum(private_to_region_run_ore), sum(paid_region_run_ore), sum(paid_private_ore)",
                                    "block_cross_subsidies", "GROUP BY 1")) {
        const std::string service = row[0].as<std::string>();
        const auto what = [&] {
            return "the shared costs of service " + service + " from " + slice.from + " to " + slice.to;
        };
        CrossSubsidy& s = slice.cross_subsidies[service];
        s.region_run_to_private = sql::summed_money(row[1], what).ore();
        s.private_to_region_run = sql::summed_money(row[2], what).ore();
        s.paid_region_run = sql::summed_money(row[3], what).ore();
        s.paid_private = sql::summed_money(row[4], what).ore();
    }
}

// The postings per month and account of both parts, summed, in the ledger path's order.
std::vector<SlicePosting> merged_postings(const LedgerSlice& base, const LedgerSlice& tail) {
    std::map<std::tuple<std::string, std::string, std::string, std::string>, __int128> sums;
    for (const auto* part : {&base, &tail})
        for (const auto& p : part->postings) sums[{p.period, p.party, p.account_class, p.item}] += p.amount.ore();
    std::vector<SlicePosting> out;
    for (const auto& [key, sum] : sums) {
        const auto& [period, party, account_class, item] = key;
        const std::string what = "the postings of party " + party + " on account " + party + ":" + account_class + ":" +
                                 item + " in " + period;
        out.push_back({period, party, account_class, item, money_from_sum(sum, what)});
    }
    return out;
}

// The decision references of both parts, once each, in PostgreSQL's order (its collation,
// as the ledger path sorts them).
std::vector<std::string> merged_refs(pqxx::connection& connection, const LedgerSlice& base, const LedgerSlice& tail) {
    const std::set<std::string> known(base.decision_refs.begin(), base.decision_refs.end());
    if (std::all_of(tail.decision_refs.begin(), tail.decision_refs.end(),
                    [&](const std::string& ref) { return known.count(ref) > 0; }))
        return base.decision_refs;
    if (base.decision_refs.empty()) return tail.decision_refs;
    std::vector<std::string> all = base.decision_refs;
    all.insert(all.end(), tail.decision_refs.begin(), tail.decision_refs.end());
    pqxx::nontransaction tx(connection);
    std::vector<std::string> out;
    for (const auto& row :
         tx.exec_params("SELECT r FROM unnest($1::text[]) r GROUP BY r ORDER BY r", sql::array_literal(all)))
        out.push_back(row[0].as<std::string>());
    return out;
}

// The tail holds the position (as_of_seq, as_of_hash) and the parties of both parts.
LedgerSlice merged(pqxx::connection& connection, const LedgerSlice& base, LedgerSlice tail) {
    LedgerSlice out = std::move(tail);
    for (const auto& [key, listing] : base.listings) out.listings.emplace(key, listing);  // the tail's are later
    out.events_counted += base.events_counted;
    out.decision_refs = merged_refs(connection, base, out);
    out.commitment_events.insert(out.commitment_events.begin(), base.commitment_events.begin(),
                                 base.commitment_events.end());
    out.postings = merged_postings(base, out);
    for (const auto& [service, subsidy] : base.cross_subsidies) out.cross_subsidies[service] += subsidy;
    return out;
}

}  // namespace

std::int64_t blocks_per_block(int level) {
    std::int64_t n = 1;
    for (int l = 0; l < level; ++l) n *= block_fanout;
    return n;
}

std::vector<BlockAt> blocks_below(std::int64_t count) {
    std::vector<BlockAt> out;
    std::int64_t from = 0;  // the level-0 blocks below `from` are held by the blocks in `out`
    for (int level = block_top_level; level >= 0; --level) {
        const std::int64_t span = blocks_per_block(level);
        for (; from + span <= count; from += span) out.push_back({level, from / span});
    }
    return out;
}

std::optional<LedgerSlice> read_slice_from_blocks(Store& store, const StatementQuery& q) {
    return read_slice_from_blocks(store, q, slice_parts_for(q.statement));
}

std::optional<LedgerSlice> read_slice_from_blocks(Store& store, const StatementQuery& q, SliceParts parts) {
    LedgerSlice base;
    base.region = q.region;
    base.scheme = q.scheme;
    base.from = q.from;
    base.to = q.to;
    Coverage c;
    {
        pqxx::work tx(store_connection(store));
        tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        if (!projections_built(tx)) return std::nullopt;
        const auto found = coverage(tx, q.region, q.as_of);
        if (!found) return std::nullopt;
        c = *found;
        read_parties(tx, base, c);
        read_listings_and_counts(tx, base, c);
        if (parts.commitment_events) read_commitment_facts(tx, base, c);
        read_balances(tx, base, c);
        if (parts.cross_subsidies) read_cross_subsidies(tx, base, c);
        if (parts.shared_cost_invoices) read_projected_invoices(tx, base, c.covered);
        tx.commit();
    }
    LedgerSlice tail = store.read_slice_after(q.region, q.scheme, q.from, q.to, c.covered, c.seq, base.parties, parts);
    // The invoices up to the blocks' end are the projection's, completed as of the position
    // (an estimated key's weights are the last listings up to it); the tail's, the postings'.
    if (!base.shared_cost_invoices.empty()) {
        base.as_of_seq = tail.as_of_seq;
        store.weigh_estimated_invoices(base);
        tail.shared_cost_invoices.insert(tail.shared_cost_invoices.begin(),
                                         std::make_move_iterator(base.shared_cost_invoices.begin()),
                                         std::make_move_iterator(base.shared_cost_invoices.end()));
    }
    return merged(store_connection(store), base, std::move(tail));
}

}  // namespace likvard
