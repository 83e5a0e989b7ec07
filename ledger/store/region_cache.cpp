// Loading what the rules need from the stored ledger, a batch at a time.
#include "store/detail/region_cache.hpp"

#include "store/sql.hpp"

namespace likvard {

void refresh_region(pqxx::work& tx, Decoder& decoder, const std::string& region, std::int64_t head_seq,
                    CachedRegion& cached) {
    if (cached.loaded_through > head_seq) cached = CachedRegion{};  // never expected: start over
    if (cached.loaded_through == head_seq) return;
    const pqxx::result rows = tx.exec_params(
        "SELECT seq, canonical FROM ledger.events WHERE region = $1 AND seq > $2 AND seq <= $3 "
        "AND type IN ('party.registered', 'party.retired', 'listing.recorded', 'period.closed') ORDER BY seq",
        region, cached.loaded_through, head_seq);
    for (const auto& row : rows) {
        DecodeResult decoded = decoder.decode(sql::from_bytea(row[1]));
        if (!decoded.event)
            throw std::runtime_error("stored event " + region + " seq " + row[0].as<std::string>() +
                                     " no longer decodes: " + decoded.rejection->to_string());
        cached.state.apply(*decoded.event, {});
    }
    cached.state.events.clear();
    cached.loaded_through = head_seq;
}

std::vector<Posting> stored_postings(pqxx::work& tx, const std::string& region, std::int64_t seq) {
    std::vector<Posting> postings;
    const pqxx::result rows = tx.exec_params(
        "SELECT party, account_class, item, amount FROM ledger.postings WHERE region = $1 AND seq = $2 ORDER BY line",
        region, seq);
    for (const auto& row : rows)
        postings.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                            Money::from_ore(row[3].as<std::int64_t>())});
    return postings;
}

void load_known_events(pqxx::work& tx, const std::string& region, const std::vector<std::string>& event_ids,
                       const std::set<std::string>& reversal_targets, RegionState& state) {
    if (event_ids.empty()) return;
    const pqxx::result rows = tx.exec_params(
        "SELECT e.event_id::text, e.type, e.canonical, e.seq, e.scheme, "
        "EXISTS (SELECT 1 FROM ledger.events r WHERE r.region = e.region AND r.reverses = e.event_id) "
        "FROM ledger.events e WHERE e.region = $1 AND e.event_id = ANY($2::uuid[])",
        region, sql::array_literal(event_ids));
    for (const auto& row : rows) {
        KnownEvent known;
        const std::string event_id = row[0].as<std::string>();
        known.content_hash = sha256(sql::from_bytea(row[2]));
        known.type = *type_from_name(row[1].as<std::string>());
        known.scheme = row[4].as<std::string>();
        known.reversed = row[5].as<bool>();
        // Only a reversal needs the postings it negates.
        if (is_financial(known.type) && reversal_targets.contains(event_id))
            known.postings = stored_postings(tx, region, row[3].as<std::int64_t>());
        state.events[event_id] = std::move(known);
    }
}

}  // namespace likvard
