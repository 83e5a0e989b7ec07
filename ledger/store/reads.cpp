// The named reads (store/reads.hpp): the SQL the HTTP API's ledger reads run.
#include "store/reads.hpp"

#include <algorithm>
#include <limits>

#include <pqxx/pqxx>

#include "store/connection.hpp"
#include "store/sql.hpp"

namespace likvard {
namespace {

using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// libpqxx 6 passes a null const char* as SQL NULL.
const char* or_null(const std::optional<std::string>& value) { return value ? value->c_str() : nullptr; }

std::optional<std::string> text_or_none(const pqxx::field& field) {
    if (field.is_null()) return std::nullopt;
    return std::string(field.c_str());
}

Hash hash_of(const pqxx::field& field) {
    const pqxx::binarystring bytes(field);
    Hash out{};
    std::copy_n(bytes.str().begin(), std::min(out.size(), bytes.size()), out.begin());
    return out;
}

std::int64_t position(Snapshot& tx, const std::string& region, std::optional<std::int64_t> as_of) {
    const auto row = sql::prepared(tx, "likvard_position",
                                   "SELECT coalesce(max(seq), 0) FROM ledger.events WHERE region = $1", region)
                         .at(0);
    const std::int64_t head = row[0].as<std::int64_t>();
    return as_of ? std::min(*as_of, head) : head;
}

PostingRow posting_of(const pqxx::row& row) {
    return {row["seq"].as<std::int64_t>(), row["line"].as<std::int64_t>(),
            row["event_id"].c_str(),       row["scheme"].c_str(),
            row["period"].c_str(),         row["account"].c_str(),
            row["party"].c_str(),          row["account_class"].c_str(),
            row["item"].c_str(),           row["amount"].as<std::int64_t>()};
}

constexpr const char* posting_columns =
    "SELECT seq, line, event_id, scheme, period, account, party, account_class, item, amount FROM ledger.postings ";

}  // namespace

PartiesAsOf parties_as_of(Store& store, const std::string& region, std::optional<std::int64_t> as_of) {
    Snapshot tx(store_connection(store));
    PartiesAsOf out;
    out.as_of_seq = position(tx, region, as_of);
    const auto rows = tx.exec_params(
        "SELECT e.seq, e.canonical, (SELECT min(r.seq) FROM ledger.events r WHERE r.region = e.region "
        "AND r.type = 'party.retired' AND r.seq <= $2 AND convert_from(r.canonical, 'UTF8')::jsonb #>> '{data,party_id}' "
        "= convert_from(e.canonical, 'UTF8')::jsonb #>> '{data,party_id}') "
        "FROM ledger.events e WHERE e.region = $1 AND e.type = 'party.registered' AND e.seq <= $2 ORDER BY e.seq",
        region, out.as_of_seq);
    for (const auto& row : rows)
        out.parties.push_back({pqxx::binarystring(row[1]).str(), row[0].as<std::int64_t>(),
                               row[2].is_null() ? std::nullopt : std::optional(row[2].as<std::int64_t>())});
    return out;
}

ListingsAsOf listings_as_of(Store& store, const std::string& region, const ListingFilter& filter,
                            std::optional<std::int64_t> as_of) {
    Snapshot tx(store_connection(store));
    ListingsAsOf out;
    out.as_of_seq = position(tx, region, as_of);
    // The last listing recorded per scheme, month and provider (the statements' rule).
    const auto rows = tx.exec_params(
        "SELECT DISTINCT ON (scheme, period, d->>'provider_id') scheme, period, d->>'provider_id', d->>'listed', "
        "d->>'weighted_listed', seq FROM (SELECT scheme, period, seq, convert_from(canonical, 'UTF8')::jsonb->'data' AS d "
        "FROM ledger.events WHERE region = $1 AND type = 'listing.recorded' AND seq <= $2 "
        "AND ($3::text IS NULL OR scheme = $3) AND ($4::text IS NULL OR period >= $4) AND ($5::text IS NULL OR period <= $5)) l "
        "ORDER BY scheme, period, d->>'provider_id', seq DESC",
        region, out.as_of_seq, or_null(filter.scheme), or_null(filter.from), or_null(filter.to));
    for (const auto& row : rows)
        out.listings.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str(),
                                row[5].as<std::int64_t>()});
    return out;
}

BudgetsAsOf budgets(Store& store, const std::string& region, const std::string& scheme, const std::string& from,
                    const std::string& to, std::int64_t as_of_seq) {
    Snapshot tx(store_connection(store));
    tx.exec("SET LOCAL plan_cache_mode = force_generic_plan");  // sql::prepared, on a partitioned table
    BudgetsAsOf out;
    out.as_of_seq = as_of_seq;
    // The last budget per key; a key names a party or a side, never both (NULLs are equal here).
    const auto rows = sql::prepared(
        tx, "likvard_budgets",
        "SELECT DISTINCT ON (period, d->>'party_id', d->>'side', d->>'line') period, d->>'party_id', d->>'side', "
        "d->>'line', d->>'amount', seq, event_id::text FROM (SELECT period, seq, event_id, "
        "convert_from(canonical, 'UTF8')::jsonb->'data' AS d FROM ledger.events WHERE region = $1 AND scheme = $2 "
        "AND type = 'budget.set' AND seq <= $3 AND period BETWEEN $4 AND $5) b "
        "ORDER BY period, d->>'party_id', d->>'side', d->>'line', seq DESC",
        region, scheme, out.as_of_seq, from, to);
    for (const auto& row : rows) {
        const auto amount = Money::parse(row[4].c_str());
        if (!amount.value) throw std::runtime_error("a stored budget.set amount does not parse; run likvard verify");
        out.budgets.push_back({row[0].c_str(), text_or_none(row[1]), text_or_none(row[2]), row[3].c_str(),
                               *amount.value, row[5].as<std::int64_t>(), row[6].c_str()});
    }
    return out;
}

PostingsPage postings_page(Store& store, const std::string& region, const PostingsAsk& ask) {
    Snapshot tx(store_connection(store));
    PostingsPage out;
    out.as_of_seq = position(tx, region, ask.as_of);
    const auto rows = tx.exec_params(
        std::string(posting_columns) +
            "WHERE region = $1 AND seq <= $2 AND (seq, line) > ($3, $4) AND ($5::text IS NULL OR party = $5) "
            "AND ($6::text IS NULL OR period >= $6) AND ($7::text IS NULL OR period <= $7) ORDER BY seq, line LIMIT $8",
        region, out.as_of_seq, ask.after_seq, ask.after_line, or_null(ask.party), or_null(ask.from), or_null(ask.to),
        ask.limit);
    for (const auto& row : rows) out.postings.push_back(posting_of(row));
    return out;
}

std::optional<StoredEvent> event_by_id(Store& store, const std::string& region, const std::string& event_id) {
    Snapshot tx(store_connection(store));
    const auto rows = tx.exec_params(
        "SELECT seq, type, canonical, prev_hash, hash, to_json(recorded_at) #>> '{}' FROM ledger.events "
        "WHERE region = $1 AND event_id = $2",
        region, event_id);
    if (rows.empty()) return std::nullopt;
    const auto& row = rows[0];
    StoredEvent out{row[0].as<std::int64_t>(),
                    row[1].c_str(),
                    pqxx::binarystring(row[2]).str(),
                    row[5].c_str(),
                    hash_of(row[3]),
                    hash_of(row[4]),
                    {}};
    for (const auto& p :
         tx.exec_params(std::string(posting_columns) + "WHERE region = $1 AND seq = $2 ORDER BY line", region, out.seq))
        out.postings.push_back(posting_of(p));
    return out;
}

std::vector<RejectionRow> rejections_page(Store& store, const RejectionsAsk& ask) {
    Snapshot tx(store_connection(store));
    pqxx::result rows;
    try {
        rows = tx.exec_params(
            "SELECT id, to_json(received_at) #>> '{}' AS received_at, region, event_id, reason, message, source_kind, "
            "source_file, source_line, kafka_topic, kafka_partition, kafka_offset, http_peer, octet_length(raw) AS raw_bytes "
            "FROM ledger.rejections "
            "WHERE ($1::text IS NULL OR region = $1) AND id > $2 "
            "AND ($3::timestamptz IS NULL OR received_at >= $3::timestamptz) ORDER BY id LIMIT $4",
            or_null(ask.region), ask.after_id, or_null(ask.since), ask.limit);
    } catch (const pqxx::data_exception& error) {
        throw InvalidTime(error.what());
    }
    std::vector<RejectionRow> out;
    for (const auto& row : rows)
        out.push_back({row["id"].as<std::int64_t>(), row["received_at"].c_str(), row["reason"].c_str(),
                       row["message"].c_str(), row["source_kind"].c_str(), text_or_none(row["region"]),
                       text_or_none(row["event_id"]), text_or_none(row["source_file"]),
                       text_or_none(row["source_line"]), text_or_none(row["kafka_topic"]),
                       text_or_none(row["kafka_partition"]), text_or_none(row["kafka_offset"]),
                       text_or_none(row["http_peer"]), row["raw_bytes"].as<std::int64_t>()});
    return out;
}

std::optional<std::string> rejection_raw(Store& store, std::int64_t id) {
    Snapshot tx(store_connection(store));
    const auto rows = tx.exec_params("SELECT raw FROM ledger.rejections WHERE id = $1", id);
    if (rows.empty()) return std::nullopt;
    return pqxx::binarystring(rows[0][0]).str();
}

std::int64_t head_position(Store& store, const std::string& region, std::optional<std::int64_t> as_of) {
    // One round trip outside a transaction block: the hot path of a cached statement.
    pqxx::nontransaction tx(store_connection(store));
    const auto row = tx.exec_params1("SELECT coalesce(max(seq), 0) FROM ledger.events WHERE region = $1 AND seq <= $2",
                                     region, as_of.value_or(std::numeric_limits<std::int64_t>::max()));
    return row[0].as<std::int64_t>();
}

HeadAtTime head_at_time(Store& store, const std::string& region, const std::string& time) {
    pqxx::work tx(store_connection(store));
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    pqxx::row row;
    try {
        row = tx.exec_params1(
            "SELECT to_json($2::timestamptz AT TIME ZONE 'UTC') #>> '{}', "
            " (SELECT min(seq) FROM ledger.events WHERE region = $1 AND recorded_at > $2::timestamptz), "
            " (SELECT seq FROM ledger.events WHERE region = $1 ORDER BY seq DESC LIMIT 1), "
            " (SELECT to_json(recorded_at AT TIME ZONE 'UTC') #>> '{}' FROM ledger.events WHERE region = $1 "
            "  ORDER BY seq LIMIT 1)",
            region, time);
    } catch (const pqxx::data_exception& error) {
        throw InvalidTime(error.what());
    }
    HeadAtTime out;
    out.time_utc = row[0].as<std::string>() + "Z";
    if (row[3].is_null()) return out;
    out.first_recorded_at = row[3].as<std::string>() + "Z";
    out.seq = row[1].is_null() ? row[2].as<std::int64_t>() : row[1].as<std::int64_t>() - 1;
    return out;
}

std::vector<OffsetRow> stored_offsets(Store& store) {
    pqxx::read_transaction tx(store_connection(store));
    std::vector<OffsetRow> out;
    for (const auto& row :
         tx.exec("SELECT consumer_group, topic, partition, offset_next, "
                 "extract(epoch FROM now() - updated_at) FROM ledger.consumer_offsets ORDER BY 1, 2, 3"))
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int32_t>(),
                       row[3].as<std::int64_t>(), row[4].as<std::string>()});
    return out;
}

std::vector<RejectionCount> rejection_counts(Store& store) {
    pqxx::read_transaction tx(store_connection(store));
    std::vector<RejectionCount> out;
    for (const auto& row :
         tx.exec("SELECT reason, source_kind, count(*) FROM ledger.rejections GROUP BY 1, 2 ORDER BY 1, 2"))
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>()});
    return out;
}

std::vector<std::string> ingested_topics(Store& store, int topics_max) {
    pqxx::read_transaction tx(store_connection(store));
    std::vector<std::string> topics;
    for (const auto& row :
         tx.exec_params("SELECT DISTINCT topic FROM ledger.consumer_offsets ORDER BY 1 LIMIT $1", topics_max))
        topics.push_back(row[0].as<std::string>());
    return topics;
}

void ping(Store& store) {
    pqxx::nontransaction tx(store_connection(store));
    tx.exec("SELECT 1");
}

}  // namespace likvard
