// Reading the slice of the ledger a statement needs, as of one sequence number, in one
// REPEATABLE READ snapshot. Postings are summed in PostgreSQL; only shared-cost postings
// keep their event (the cross-subsidies are attributed per event).
#include <sstream>

#include "store/store_impl.hpp"

namespace likvard {
namespace {

void read_parties(pqxx::work& tx, Decoder& decoder, LedgerSlice& slice) {
    const pqxx::result rows = tx.exec_params(
        "SELECT canonical FROM ledger.events WHERE region = $1 AND seq <= $2 AND type = 'party.registered' ORDER BY seq",
        slice.region, slice.as_of_seq);
    for (const auto& row : rows) {
        const DecodeResult decoded = decoder.decode(sql::from_bytea(row[0]));
        if (!decoded.event) throw std::runtime_error("a stored party.registered no longer decodes");
        const auto& p = std::get<PartyRegistered>(decoded.event->data);
        slice.parties[p.party_id] = SliceParty{p.party_id, p.name, p.kind, p.side};
    }
}

void read_listings(pqxx::work& tx, Decoder& decoder, LedgerSlice& slice) {
    const pqxx::result rows = tx.exec_params(
        "SELECT canonical FROM ledger.events WHERE region = $1 AND scheme = $2 AND seq <= $3 "
        "AND type = 'listing.recorded' AND period BETWEEN $4 AND $5 ORDER BY seq",
        slice.region, slice.scheme, slice.as_of_seq, slice.from, slice.to);
    for (const auto& row : rows) {  // in seq order: the last listing of a provider and month wins
        const DecodeResult decoded = decoder.decode(sql::from_bytea(row[0]));
        if (!decoded.event) throw std::runtime_error("a stored listing.recorded no longer decodes");
        const auto& l = std::get<ListingRecorded>(decoded.event->data);
        slice.listings[{decoded.event->period, l.provider_id}] = {l.listed, l.weighted_listed};
    }
}

void add_commitment_facts(Decoder& decoder, const std::string& canonical, SliceEvent& event, bool reversal) {
    const DecodeResult decoded = decoder.decode(canonical);
    if (!decoded.event) throw std::runtime_error("a stored commitment event no longer decodes");
    const auto* c = std::get_if<CommitmentCostIncurred>(&decoded.event->data);
    if (c == nullptr) return;
    event.commitment = c->commitment;
    event.fte = c->fte;
    event.reverses_commitment = reversal;
}

void read_events(pqxx::work& tx, Decoder& decoder, LedgerSlice& slice) {
    const pqxx::result counted = tx.exec_params(
        "SELECT count(*), array_to_string(array_agg(DISTINCT decision_ref ORDER BY decision_ref) "
        " FILTER (WHERE decision_ref IS NOT NULL), E'\\n') "
        "FROM ledger.events WHERE region = $1 AND scheme = $2 AND seq <= $3 AND period BETWEEN $4 AND $5",
        slice.region, slice.scheme, slice.as_of_seq, slice.from, slice.to);
    slice.events_counted = counted[0][0].as<std::int64_t>();
    if (!counted[0][1].is_null()) {
        std::istringstream refs(counted[0][1].as<std::string>());
        for (std::string ref; std::getline(refs, ref);) slice.decision_refs.push_back(ref);
    }
    // The canonical bytes only where the statement needs a field that postings lack (fte).
    const pqxx::result rows = tx.exec_params(
        "SELECT e.seq, e.type, e.period, e.decision_ref, "
        " CASE WHEN e.type = 'commitment.cost_incurred' THEN e.canonical END, t.canonical "
        "FROM ledger.events e LEFT JOIN ledger.events t ON e.type = 'entry.reversed' AND t.region = e.region "
        " AND t.event_id = e.reverses AND t.type = 'commitment.cost_incurred' "
        "WHERE e.region = $1 AND e.scheme = $2 AND e.seq <= $3 AND e.period BETWEEN $4 AND $5 "
        "AND (e.type = 'commitment.cost_incurred' OR t.seq IS NOT NULL) ORDER BY e.seq",
        slice.region, slice.scheme, slice.as_of_seq, slice.from, slice.to);
    for (const auto& row : rows) {
        SliceEvent event;
        event.seq = row[0].as<std::int64_t>();
        event.type = *type_from_name(row[1].as<std::string>());
        event.period = row[2].as<std::string>();
        if (!row[3].is_null()) event.decision_ref = row[3].as<std::string>();
        if (!row[4].is_null()) add_commitment_facts(decoder, sql::from_bytea(row[4]), event, false);
        if (!row[5].is_null()) add_commitment_facts(decoder, sql::from_bytea(row[5]), event, true);
        slice.commitment_events.push_back(std::move(event));
    }
}

void read_postings(pqxx::work& tx, LedgerSlice& slice) {
    const pqxx::result rows = tx.exec_params(
        "SELECT period, party, account_class, item, sum(amount) FROM ledger.postings "
        "WHERE region = $1 AND scheme = $2 AND seq <= $3 AND period BETWEEN $4 AND $5 "
        "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        slice.region, slice.scheme, slice.as_of_seq, slice.from, slice.to);
    for (const auto& row : rows)
        slice.postings.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                                  row[3].as<std::string>(), Money::from_ore(row[4].as<std::int64_t>())});
}

std::string ids_of_side(const LedgerSlice& slice, Side side) {
    std::vector<std::string> ids;
    for (const auto& [id, party] : slice.parties)
        if (party.side == side) ids.push_back(id);
    return sql::array_literal(ids);
}

// What each side paid and received of every shared-cost event, reduced per event to its
// cross-subsidies (statements/), summed per service.
void read_cross_subsidies(pqxx::work& tx, LedgerSlice& slice) {
    const pqxx::result rows = tx.exec_params(
        "SELECT seq, substr(item, 13), account_class = 'expense', "
        " CASE WHEN party = ANY($6::text[]) THEN 'region_run' WHEN party = ANY($7::text[]) THEN 'private' "
        " ELSE 'external' END, sum(amount) "
        "FROM ledger.postings WHERE region = $1 AND scheme = $2 AND seq <= $3 AND period BETWEEN $4 AND $5 "
        "AND account_class IN ('expense', 'benefit') AND item LIKE 'shared\\_cost.%' "
        "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        slice.region, slice.scheme, slice.as_of_seq, slice.from, slice.to, ids_of_side(slice, Side::region_run),
        ids_of_side(slice, Side::private_provider));
    std::vector<SharedCostPart> parts;
    auto flush = [&](const std::string& service) {
        if (const auto contribution = cross_subsidy_of_event(parts)) slice.cross_subsidies[service] += *contribution;
        parts.clear();
    };
    std::int64_t seq = 0;
    std::string service;
    for (const auto& row : rows) {
        if (row[0].as<std::int64_t>() != seq) {
            if (!parts.empty()) flush(service);
            seq = row[0].as<std::int64_t>();
            service = row[1].as<std::string>();
        }
        parts.push_back({row[2].as<bool>(), *side_from_name(row[3].as<std::string>()),
                         Money::from_ore(row[4].as<std::int64_t>())});
    }
    if (!parts.empty()) flush(service);
}

}  // namespace

LedgerSlice Store::read_slice(const std::string& region, const std::string& scheme, const std::string& from,
                              const std::string& to, std::optional<std::int64_t> as_of_seq) {
    pqxx::work tx(impl_->connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    // One aggregate over many postings: keep its grouping in memory.
    tx.exec("SET LOCAL work_mem = '128MB'");
    LedgerSlice slice;
    slice.region = region;
    slice.scheme = scheme;
    slice.from = from;
    slice.to = to;
    const Head head = read_head(tx, region, as_of_seq);
    slice.as_of_seq = head.seq;
    slice.as_of_hash = hash_hex(head.hash);
    read_parties(tx, impl_->decoder, slice);
    read_listings(tx, impl_->decoder, slice);
    read_events(tx, impl_->decoder, slice);
    read_postings(tx, slice);
    read_cross_subsidies(tx, slice);
    return slice;
}

}  // namespace likvard
