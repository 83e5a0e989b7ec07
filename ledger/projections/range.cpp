// One range of one region's seqs, projected into the tables of a schema and, summed per
// block of seqs, into its block_* tables. Set-based SQL where the postings suffice
// (balances, counts, decision references), grouped by block; decoded events where they do
// not (parties, listings, commitment fte); per-event arithmetic (cross-subsidies) in C++,
// shared with the statements. The range's rows are the sums of its blocks' rows, added up
// here, so both kinds of table come from one scan.
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "events/events.hpp"
#include "projections/detail/blocks.hpp"
#include "projections/detail/range.hpp"
#include "projections/layout.hpp"
#include "store/sql.hpp"

namespace likvard {
namespace {

constexpr const char* live_schema = projection_schema;

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
    const std::string& name() const { return name_; }

private:
    pqxx::work& tx_;
    std::string name_;
    std::vector<std::string> columns_;
    sql::CopyLine line_;
    std::vector<std::string> lines_;
};

using Key = std::vector<std::string>;                 // a row's key columns after region (and level and block)
using Values = std::vector<__int128>;                 // its summed columns
using BlockKey = std::tuple<int, std::int64_t, Key>;  // level, block, key

// The blocks of every level that hold level-0 block `block` (detail/blocks.hpp).
template <typename F>
void for_each_level(std::int64_t block, F&& f) {
    for (int level = 0; level <= block_top_level; ++level) f(level, block / blocks_per_block(level));
}

// One table's sums over the range, and per block of every level.
struct Sums {
    std::map<Key, Values> range;
    std::map<BlockKey, Values> blocks;

    void add(std::int64_t block, const Key& key, const Values& values) {
        add_to(range[key], values);
        for_each_level(block, [&](int level, std::int64_t at) { add_to(blocks[{level, at, key}], values); });
    }

private:
    static void add_to(Values& into, const Values& values) {
        if (into.empty()) into.assign(values.size(), 0);
        for (std::size_t i = 0; i < values.size(); ++i) into[i] += values[i];
    }
};

// A table of sums, as its upsert adds a range to it: the key columns after region, the
// summed columns, the first `checked` of which are added through checked_sum (layout.sql),
// and how an error names a row (`row_key`, SQL on the stored row `x`; `what`, in C++).
struct SumTable {
    std::string name;
    std::vector<std::string> keys;
    std::vector<std::string> sums;
    std::size_t checked = 0;
    bool money = false;  // the checked columns are öre
    std::string row_key;
    std::function<std::string(const Key&)> what;
};

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

std::vector<std::string> with_block(std::vector<std::string> columns) {
    columns.insert(columns.begin() + 1, {"level", "block"});
    return columns;
}

// A range's (or a block's) sum as the column holds it: past int64 an error naming the row.
std::int64_t fitted(const SumTable& table, const Key& key, std::size_t column, __int128 sum) {
    if (table.money && column < table.checked) return money_from_sum(sum, table.what(key)).ore();
    if (sum < std::numeric_limits<std::int64_t>::min() || sum > std::numeric_limits<std::int64_t>::max())
        throw std::overflow_error(table.what(key) + " sums beyond what int64 holds");
    return static_cast<std::int64_t>(sum);
}

// stored + excluded in the upsert, the checked columns in numeric: past bigint an error
// naming the table and the row. The function is the live schema's, which `likvard migrate`
// created, also when the rows go to the consistency check's temporary tables.
std::string upsert_sql(const std::string& target, const std::string& table, const Stage& stage,
                       const std::vector<std::string>& conflict, const SumTable& sums) {
    std::string sql = "INSERT INTO " + target + " AS x SELECT * FROM " + stage.name() + " ON CONFLICT (" +
                      joined(conflict) + ") DO UPDATE SET ";
    for (std::size_t i = 0; i < sums.sums.size(); ++i) {
        const std::string& c = sums.sums[i];
        sql += (i == 0 ? "" : ", ") + c + " = ";
        sql += i < sums.checked ? std::string(live_schema) + ".checked_sum(x." + c + ", excluded." + c +
                                      ", 'projection." + table + "." + c + "', " + sums.row_key + ")"
                                : "x." + c + " + excluded." + c;
    }
    return sql;
}

void stage_row(Stage& stage, const SumTable& table, const std::string& region, const BlockAt* block, const Key& key,
               const Values& values) {
    sql::CopyLine& line = stage.line().text(region);
    if (block != nullptr) line.number(block->level).number(block->block);
    for (const auto& part : key) line.text(part);
    for (std::size_t i = 0; i < values.size(); ++i) line.number(fitted(table, key, i, values[i]));
    stage.add();
}

// The range's rows into schema.<table>, added to the stored ones of the same key (the
// columns `conflict`, or the expressions of the table's unique index).
void write_range_sums(pqxx::work& tx, const std::string& schema, const std::string& region, const SumTable& table,
                      const std::map<Key, Values>& sums, const std::vector<std::string>& conflict) {
    std::vector<std::string> columns{"region"};
    columns.insert(columns.end(), table.keys.begin(), table.keys.end());
    columns.insert(columns.end(), table.sums.begin(), table.sums.end());
    Stage range(tx, "stage_" + table.name, schema + "." + table.name, columns);
    for (const auto& [key, values] : sums) stage_row(range, table, region, nullptr, key, values);
    range.flush(upsert_sql(schema + "." + table.name, table.name, range, conflict, table));
}

// The blocks' rows into schema.block_<table>, the range's into schema.<table>.
void write_sums(pqxx::work& tx, const std::string& schema, const std::string& region, const SumTable& table,
                const Sums& sums) {
    std::vector<std::string> columns{"region"};
    columns.insert(columns.end(), table.keys.begin(), table.keys.end());
    std::vector<std::string> conflict = columns;
    columns.insert(columns.end(), table.sums.begin(), table.sums.end());
    Stage blocks(tx, "stage_block_" + table.name, schema + ".block_" + table.name, with_block(columns));
    for (const auto& [block_key, values] : sums.blocks) {
        const auto& [level, block, key] = block_key;
        const BlockAt at{level, block};
        stage_row(blocks, table, region, &at, key, values);
    }
    blocks.flush(
        upsert_sql(schema + ".block_" + table.name, "block_" + table.name, blocks, with_block(conflict), table));
    write_range_sums(tx, schema, region, table, sums.range, conflict);
}

const SumTable balances_table{
    "balances",
    {"scheme", "period", "party", "account_class", "item"},
    {"amount_ore", "postings"},
    1,
    true,
    "'party ' || x.party || ' on account ' || x.party || ':' || x.account_class || ':' || x.item || ' in ' || "
    "x.scheme || ' ' || x.period",
    [](const Key& k) {
        return "the postings of party " + k[2] + " on account " + k[2] + ":" + k[3] + ":" + k[4] + " in " + k[0] + " " +
               k[1];
    }};
const SumTable event_counts_table{
    "event_counts", {"scheme", "period", "type"}, {"events"}, 0, false, "", [](const Key& k) {
        return "the events of type " + k[2] + " in " + k[0] + " " + k[1];
    }};
const SumTable decision_refs_table{
    "decision_refs", {"scheme", "period", "decision_ref"}, {"events"}, 0, false, "", [](const Key& k) {
        return "the events naming " + k[2] + " in " + k[0] + " " + k[1];
    }};
const SumTable commitment_facts_table{
    "commitment_facts",
    {"scheme", "period", "commitment", "decision_ref"},
    {"fte_scaled", "fte_events", "events"},
    1,
    false,
    "'commitment ' || x.commitment || ' in ' || x.scheme || ' ' || x.period",
    [](const Key& k) { return "the fte of commitment " + k[2] + " in " + k[0] + " " + k[1]; }};
const SumTable cross_subsidies_table{
    "cross_subsidies",
    {"scheme", "period", "service"},
    {"region_run_to_private_ore", "private_to_region_run_ore", "paid_region_run_ore", "paid_private_ore", "events"},
    4,
    true,
    "'service ' || x.service || ' in ' || x.scheme || ' ' || x.period",
    [](const Key& k) { return "the shared costs of service " + k[2] + " in " + k[0] + " " + k[1]; }};

// Kept for the range only: a statement as of an earlier seq reads shared_cost_events.
const SumTable shared_cost_keys_table{
    "shared_cost_keys",
    {"scheme", "period", "service", "decision_ref", "allocation"},
    {"paid_ore", "region_run_to_private_ore", "private_to_region_run_ore", "events"},
    3,
    true,
    "'allocation key of service ' || x.service || ' in ' || x.scheme || ' ' || x.period",
    [](const Key& k) { return "the allocation key of service " + k[2] + " in " + k[0] + " " + k[1]; }};
const std::vector<std::string> shared_cost_keys_conflict{"region",  "scheme",       "period",
                                                         "service", "decision_ref", "md5(allocation)"};

// The last listing per scheme, month and provider, over the range and per block (in seq
// order: the highest seq wins).
struct Listings {
    using Entry = std::pair<std::int64_t, ListingRecorded>;
    std::map<Key, Entry> range;
    std::map<BlockKey, Entry> blocks;
};

void stage_listing(Stage& stage, const std::string& region, const BlockAt* block, const Key& key,
                   const Listings::Entry& entry) {
    sql::CopyLine& line = stage.line().text(region);
    if (block != nullptr) line.number(block->level).number(block->block);
    line.text(key[0]).text(key[1]).text(key[2]).number(entry.second.listed);
    line.text(entry.second.weighted_listed.to_string()).number(entry.first);
    stage.add();
}

void write_listings(pqxx::work& tx, const std::string& schema, const std::string& region, const Listings& listings) {
    const std::vector<std::string> columns{"region", "scheme",          "period", "provider",
                                           "listed", "weighted_listed", "seq"};
    const std::string update =
        ") DO UPDATE SET listed = excluded.listed, weighted_listed = excluded.weighted_listed, "
        "seq = excluded.seq WHERE excluded.seq > x.seq";
    Stage blocks(tx, "stage_block_listings", schema + ".block_listings", with_block(columns));
    for (const auto& [block_key, entry] : listings.blocks) {
        const auto& [level, block, key] = block_key;
        const BlockAt at{level, block};
        stage_listing(blocks, region, &at, key, entry);
    }
    blocks.flush("INSERT INTO " + schema +
                 ".block_listings AS x SELECT * FROM stage_block_listings "
                 "ON CONFLICT (region, level, block, scheme, period, provider" +
                 update);
    Stage range(tx, "stage_listings", schema + ".listings", columns);
    for (const auto& [key, entry] : listings.range) stage_listing(range, region, nullptr, key, entry);
    range.flush("INSERT INTO " + schema +
                ".listings AS x SELECT * FROM stage_listings "
                "ON CONFLICT (region, scheme, period, provider" +
                update);
}

// The facts the postings lack, from the events that carry them: parties, listings and the
// fte of commitment costs and of their reversals.
struct DecodedFacts {
    std::map<std::string, std::pair<std::int64_t, PartyRegistered>> parties;
    Listings listings;
    Sums commitments;  // fte_scaled, fte_events, events
};

Event decode(const pqxx::field& canonical) {
    std::optional<Event> event = decode_stored(sql::from_bytea(canonical));
    if (!event) throw std::runtime_error("a stored event no longer decodes; run likvard verify");
    return std::move(*event);
}

void add_commitment(DecodedFacts& facts, std::int64_t block, const pqxx::row& row, const CommitmentCostIncurred& c,
                    bool reversal) {
    const std::string ref = row[4].is_null() ? "" : row[4].as<std::string>();
    const __int128 fte = c.fte ? (reversal ? -1 : 1) * static_cast<__int128>(c.fte->scaled()) : 0;
    facts.commitments.add(block, {row[2].as<std::string>(), row[3].as<std::string>(), c.commitment, ref},
                          {fte, c.fte ? 1 : 0, 1});
}

class RangeProjector {
public:
    RangeProjector(pqxx::work& tx, std::string schema, std::int64_t block_seqs)
        : tx_(tx), schema_(std::move(schema)), block_seqs_(block_seqs) {}

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
    std::int64_t block_of(std::int64_t seq) const { return (seq - 1) / block_seqs_; }

    void decoded_events(const std::string& region, std::int64_t after, std::int64_t upto) {
        DecodedFacts facts;
        const pqxx::result rows = tx_.exec_params(
            "SELECT seq, type, scheme, period, decision_ref, reverses, "
            " CASE WHEN type <> 'entry.reversed' THEN canonical END FROM ledger.events "
            "WHERE region = $1 AND seq > $2 AND seq <= $3 AND type IN ('party.registered', 'listing.recorded', "
            " 'commitment.cost_incurred', 'entry.reversed') ORDER BY seq",
            region, after, upto);
        std::vector<pqxx::row> reversals;
        for (const auto& row : rows) {
            if (row[1].as<std::string>() == "entry.reversed") {
                reversals.push_back(row);
                continue;
            }
            const std::int64_t seq = row[0].as<std::int64_t>();
            const Event event = decode(row[6]);
            if (const auto* p = std::get_if<PartyRegistered>(&event.data))
                facts.parties.insert_or_assign(p->party_id, std::make_pair(seq, *p));
            else if (const auto* l = std::get_if<ListingRecorded>(&event.data)) {
                const Key key{row[2].as<std::string>(), row[3].as<std::string>(), l->provider_id};
                facts.listings.range.insert_or_assign(key, std::make_pair(seq, *l));
                for_each_level(block_of(seq), [&](int level, std::int64_t at) {
                    facts.listings.blocks.insert_or_assign({level, at, key}, std::make_pair(seq, *l));
                });
            } else if (const auto* c = std::get_if<CommitmentCostIncurred>(&event.data))
                add_commitment(facts, block_of(seq), row, *c, false);
        }
        reversed_commitments(region, reversals, facts);
        write_parties(region, facts);
        write_listings(tx_, schema_, region, facts.listings);
        write_sums(tx_, schema_, region, commitment_facts_table, facts.commitments);
    }

    // Which of the reversed events were commitment costs: their fte counts negatively.
    void reversed_commitments(const std::string& region, const std::vector<pqxx::row>& reversals, DecodedFacts& facts) {
        if (reversals.empty()) return;
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
                add_commitment(facts, block_of(row[0].as<std::int64_t>()), row, found->second, true);
    }

    void write_parties(const std::string& region, const DecodedFacts& facts) {
        Stage stage(tx_, "stage_parties", t("parties"),
                    {"region", "party_id", "name", "kind", "side", "registered_seq"});
        for (const auto& [id, entry] : facts.parties) {
            const auto& [seq, p] = entry;
            stage.line()
                .text(region)
                .text(p.party_id)
                .text(p.name)
                .text(kind_name(p.kind))
                .text(side_name(p.side))
                .number(seq);
            stage.add();
        }
        stage.flush("INSERT INTO " + t("parties") +
                    " AS p SELECT * FROM stage_parties ON CONFLICT (region, party_id) "
                    "DO UPDATE SET name = excluded.name, kind = excluded.kind, side = excluded.side, "
                    "registered_seq = excluded.registered_seq WHERE excluded.registered_seq > p.registered_seq");
    }

    // Grouped by block and the account alone (`<party>:<class>:<item>`; party ids and
    // classes have no ':'), which PostgreSQL hashes faster than its three parts; split here.
    void balances(const std::string& region, std::int64_t after, std::int64_t upto) {
        Sums sums;
        for (const auto& row : tx_.exec_params(
                 "SELECT (seq - 1) / $4, scheme, period, account, sum(amount), count(*) FROM ledger.postings "
                 "WHERE region = $1 AND seq > $2 AND seq <= $3 GROUP BY 1, 2, 3, 4",
                 region, after, upto, block_seqs_)) {
            const sql::AccountParts account = sql::split_account(row[3].c_str());
            const Money sum = sql::summed_money(row[4], [&] {
                return "the postings of party " + std::string(account.party) + " on account " + row[3].c_str() +
                       " in " + row[1].c_str() + " " + row[2].c_str();
            });
            sums.add(row[0].as<std::int64_t>(),
                     {row[1].c_str(), row[2].c_str(), std::string(account.party), std::string(account.account_class),
                      std::string(account.item)},
                     {sum.ore(), row[5].as<std::int64_t>()});
        }
        write_sums(tx_, schema_, region, balances_table, sums);
    }

    // Events per type and per decision reference, in one scan (two grouping sets).
    void counts(const std::string& region, std::int64_t after, std::int64_t upto) {
        Sums by_type, by_ref;
        for (const auto& row : tx_.exec_params(
                 "SELECT block, scheme, period, type, decision_ref, count(*), GROUPING(type) FROM "
                 "(SELECT (seq - 1) / $4 AS block, scheme, period, type, decision_ref FROM ledger.events "
                 " WHERE region = $1 AND seq > $2 AND seq <= $3 AND type <> 'budget.set') e "
                 "GROUP BY GROUPING SETS ((block, scheme, period, type), (block, scheme, period, decision_ref))",
                 region, after, upto, block_seqs_)) {
            const bool type = row[6].as<int>() == 0;
            if (!type && row[4].is_null()) continue;  // events without a decision reference
            (type ? by_type : by_ref)
                .add(row[0].as<std::int64_t>(), {row[1].c_str(), row[2].c_str(), row[type ? 3 : 4].c_str()},
                     {row[5].as<std::int64_t>()});
        }
        write_sums(tx_, schema_, region, event_counts_table, by_type);
        write_sums(tx_, schema_, region, decision_refs_table, by_ref);
    }

    // The sides as the parties projected so far have them (this range's registrations included).
    std::pair<std::vector<std::string>, std::vector<std::string>> sides(const std::string& region) {
        std::vector<std::string> region_run, private_providers;
        for (const auto& row :
             tx_.exec_params("SELECT party_id, side FROM " + t("parties") + " WHERE region = $1", region)) {
            const std::string side = row[1].as<std::string>();
            if (side == side_name(Side::region_run)) region_run.push_back(row[0].as<std::string>());
            if (side == side_name(Side::private_provider)) private_providers.push_back(row[0].as<std::string>());
        }
        return {region_run, private_providers};
    }

    // Per shared-cost event, what each side paid and received: kept per seq (the statements'
    // allocation keys list each invoice), and reduced to its cross-subsidies exactly as the
    // statement attributes them (cross_subsidy_of_event), summed per month.
    void shared_costs(const std::string& region, std::int64_t after, std::int64_t upto) {
        const auto [region_run, private_providers] = sides(region);
        const std::string per_event =
            sql::shared_cost_events_sql("seq, scheme, period", "region = $1 AND seq > $2 AND seq <= $3", 4, 5);
        const std::string columns =
            "seq, scheme, period, service, paid_region_run_ore, paid_private_ore, paid_ore, benefit_region_run_ore, "
            "benefit_private_ore";
        // With each its invoice's facts: its own, or those of the event a reversal reverses.
        const pqxx::result rows = tx_.exec_params(
            "WITH kept AS (INSERT INTO " + t("shared_cost_events") + " (" + columns +
                ", region, invoice_period, reversal, decision_ref, allocation, estimate) SELECT e.*, $1, i.period, "
                "v.reverses IS NOT NULL, i.decision_ref, a.allocation::text, "
                "coalesce(a.allocation ->> 'estimate' = 'true', false) FROM (" +
                per_event +
                ") e JOIN ledger.events v ON v.region = $1 AND v.seq = e.seq JOIN ledger.events i ON i.region = $1 "
                "AND i.event_id = coalesce(v.reverses, v.event_id) "
                "CROSS JOIN LATERAL (SELECT convert_from(i.canonical, 'UTF8')::json -> 'data' -> 'allocation' "
                "AS allocation) a RETURNING " +
                columns + ", decision_ref, allocation, estimate) SELECT * FROM kept",
            region, after, upto, sql::array_literal(region_run), sql::array_literal(private_providers));
        Sums sums;
        std::map<Key, Values> keys;
        for (const auto& row : rows) {
            const auto parts = sql::shared_cost_parts(row, 4);
            const auto s = cross_subsidy_of_event(parts);
            if (!row[11].as<bool>()) {  // a key that is not an estimate: summed per month and key
                Values& sum = keys[{row[1].c_str(), row[2].c_str(), row[3].c_str(),
                                    row[9].is_null() ? "" : row[9].c_str(), row[10].c_str()}];
                if (sum.empty()) sum.assign(4, 0);
                sum[0] += row[6].as<std::int64_t>();
                if (s) sum[1] += s->region_run_to_private, sum[2] += s->private_to_region_run;
                sum[3] += 1;
            }
            if (!s) continue;
            sums.add(block_of(row[0].as<std::int64_t>()), {row[1].c_str(), row[2].c_str(), row[3].c_str()},
                     {s->region_run_to_private, s->private_to_region_run, s->paid_region_run, s->paid_private, 1});
        }
        write_sums(tx_, schema_, region, cross_subsidies_table, sums);
        write_range_sums(tx_, schema_, region, shared_cost_keys_table, keys, shared_cost_keys_conflict);
    }

    pqxx::work& tx_;
    std::string schema_;
    std::int64_t block_seqs_;
};

}  // namespace

void project_range(pqxx::work& tx, const std::string& schema, const std::string& region, std::int64_t after,
                   std::int64_t upto, const Hash& upto_hash, std::int64_t block_seqs) {
    if (block_seqs < 1) throw std::invalid_argument("block_seqs must be at least 1");
    RangeProjector(tx, schema, block_seqs).project(region, after, upto, upto_hash);
}

}  // namespace likvard
