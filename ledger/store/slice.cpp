// Reading the slice of the ledger a statement needs, as of one sequence number, in one
// REPEATABLE READ snapshot. Postings are summed in PostgreSQL; only shared-cost postings
// keep their event (the cross-subsidies are attributed per event).
#include <algorithm>
#include <string_view>
#include <tuple>

#include "store/detail/store_impl.hpp"

namespace likvard {
namespace {

// Parties, listings and (if asked for) the commitment events, whose fte the postings lack:
// the region's events of those types after `after` up to as_of_seq, in seq order (a partial
// index holds where they are among the others).
void read_decoded_facts(pqxx::work& tx, LedgerSlice& slice, std::int64_t after, bool commitment_events) {
    auto decode = [&](const pqxx::field& canonical) {
        std::optional<Event> event = decode_stored(sql::from_bytea(canonical));
        if (!event) throw std::runtime_error("a stored event no longer decodes; run likvard verify");
        return std::move(*event);
    };
    auto in_range = [&](const pqxx::row& row) {
        const std::string period = row[3].as<std::string>();
        return row[2].as<std::string>() == slice.scheme && period >= slice.from && period <= slice.to;
    };
    const pqxx::result rows = tx.exec_params(
        "SELECT seq, type, scheme, period, decision_ref, reverses, "
        " CASE WHEN type <> 'entry.reversed' THEN canonical END FROM ledger.events "
        "WHERE region = $1 AND seq > $3 AND seq <= $2 AND type IN ('party.registered', 'listing.recorded'" +
            std::string(commitment_events ? ", 'commitment.cost_incurred', 'entry.reversed'" : "") + ") ORDER BY seq",
        slice.region, slice.as_of_seq, after);
    std::vector<pqxx::row> reversals;
    std::vector<std::string> reversed_ids;
    for (const auto& row : rows) {
        const std::string type = row[1].as<std::string>();
        if (type == "entry.reversed") {
            if (in_range(row)) {
                reversals.push_back(row);
                reversed_ids.push_back(row[5].as<std::string>());
            }
            continue;
        }
        if (type == "party.registered") {
            const Event event = decode(row[6]);
            const auto& p = std::get<PartyRegistered>(event.data);
            slice.parties[p.party_id] = SliceParty{p.party_id, p.name, p.kind, p.side};
            continue;
        }
        if (!in_range(row)) continue;
        const Event event = decode(row[6]);
        if (const auto* l = std::get_if<ListingRecorded>(&event.data)) {  // in seq order: the last one wins
            slice.listings[{event.period, l->provider_id}] = {l->listed, l->weighted_listed};
        } else if (const auto* c = std::get_if<CommitmentCostIncurred>(&event.data)) {
            SliceEvent e;
            e.seq = row[0].as<std::int64_t>();
            e.type = EventType::commitment_cost_incurred;
            e.period = event.period;
            e.decision_ref = event.decision_ref;
            e.commitment = c->commitment;
            e.fte = c->fte;
            slice.commitment_events.push_back(std::move(e));
        }
    }
    if (reversals.empty()) return;
    std::map<std::string, CommitmentCostIncurred> reversed;  // reversed events that were commitment costs
    for (const auto& row : tx.exec_params(
             "SELECT event_id, canonical FROM ledger.events WHERE region = $1 AND event_id = ANY($2::uuid[]) "
             "AND type = 'commitment.cost_incurred'",
             slice.region, sql::array_literal(reversed_ids))) {
        const Event event = decode(row[1]);
        reversed.emplace(row[0].as<std::string>(), std::get<CommitmentCostIncurred>(event.data));
    }
    for (const pqxx::row& row : reversals) {
        const auto found = reversed.find(row[5].as<std::string>());
        if (found == reversed.end()) continue;
        SliceEvent e;
        e.seq = row[0].as<std::int64_t>();
        e.type = EventType::entry_reversed;
        e.period = row[3].as<std::string>();
        if (!row[4].is_null()) e.decision_ref = row[4].as<std::string>();
        e.commitment = found->second.commitment;
        e.fte = found->second.fte;
        e.reverses_commitment = true;
        slice.commitment_events.push_back(std::move(e));
    }
    std::sort(slice.commitment_events.begin(), slice.commitment_events.end(),
              [](const SliceEvent& a, const SliceEvent& b) { return a.seq < b.seq; });
}

// Events counted and their distinct decision references, grouped by reference (which
// PostgreSQL aggregates in parallel; a DISTINCT aggregate it would not). Budgets are not
// events of the statements' sums (docs/contract.md, `budget.set`).
void read_counts(pqxx::work& tx, LedgerSlice& slice, std::int64_t after) {
    const pqxx::result counted = tx.exec_params(
        "SELECT decision_ref, count(*) FROM ledger.events "
        "WHERE region = $1 AND scheme = $2 AND seq > $6 AND seq <= $3 AND period BETWEEN $4 AND $5 "
        "AND type <> 'budget.set' "
        "GROUP BY decision_ref ORDER BY decision_ref",
        slice.region, slice.scheme, slice.as_of_seq, slice.from, slice.to, after);
    for (const auto& row : counted) {
        slice.events_counted += row[1].as<std::int64_t>();
        if (!row[0].is_null()) slice.decision_refs.push_back(row[0].as<std::string>());
    }
}

// Grouped by the account alone (`<party>:<class>:<item>`, party ids and classes have no
// ':'), which PostgreSQL hashes faster than its three parts; split here.
void read_postings(pqxx::work& tx, LedgerSlice& slice, std::int64_t after) {
    const pqxx::result rows = tx.exec_params(
        "SELECT period, account, sum(amount) FROM ledger.postings "
        "WHERE region = $1 AND scheme = $2 AND seq > $6 AND seq <= $3 AND period BETWEEN $4 AND $5 GROUP BY 1, 2",
        slice.region, slice.scheme, slice.as_of_seq, slice.from, slice.to, after);
    for (const auto& row : rows) {
        const sql::AccountParts account = sql::split_account(row[1].c_str());
        const Money sum = sql::summed_money(row[2], [&] {
            return "the postings of party " + std::string(account.party) + " on account " + row[1].c_str() + " in " +
                   row[0].c_str();
        });
        slice.postings.push_back({row[0].as<std::string>(), std::string(account.party),
                                  std::string(account.account_class), std::string(account.item), sum});
    }
    std::sort(slice.postings.begin(), slice.postings.end(), [](const SlicePosting& a, const SlicePosting& b) {
        return std::tie(a.period, a.party, a.account_class, a.item) <
               std::tie(b.period, b.party, b.account_class, b.item);
    });
}

std::string ids_of_side(const LedgerSlice& slice, Side side) {
    std::vector<std::string> ids;
    for (const auto& [id, party] : slice.parties)
        if (party.side == side) ids.push_back(id);
    return sql::array_literal(ids);
}

// What each side paid and received of every shared-cost event: reduced per event to its
// cross-subsidies (statements/), summed per service; and kept per event, as the invoices
// the allocation keys are completed from.
void read_shared_cost_events(pqxx::work& tx, LedgerSlice& slice, std::int64_t after, bool cross_subsidies,
                             bool invoices) {
    // The leader merges the workers' groups in seq order; scanning as well makes it the
    // bottleneck (measured: about 15 % slower with one worker, the same with two).
    tx.exec("SET LOCAL parallel_leader_participation = off");
    const pqxx::result rows = tx.exec_params(
        sql::shared_cost_events_sql(
            "seq", "region = $1 AND scheme = $2 AND seq > $8 AND seq <= $3 AND period BETWEEN $4 AND $5", 6, 7),
        slice.region, slice.scheme, slice.as_of_seq, slice.from, slice.to, ids_of_side(slice, Side::region_run),
        ids_of_side(slice, Side::private_provider), after);
    for (const auto& row : rows) {
        std::vector<SharedCostPart> parts = sql::shared_cost_parts(row, 2);
        if (cross_subsidies)
            if (const auto contribution = cross_subsidy_of_event(parts))
                slice.cross_subsidies[row[1].as<std::string>()] += *contribution;
        if (invoices) {
            SharedCostInvoice invoice;
            invoice.seq = row[0].as<std::int64_t>();
            invoice.service = row[1].as<std::string>();
            invoice.parts = std::move(parts);
            slice.shared_cost_invoices.push_back(std::move(invoice));
        }
    }
}

SharedCostIncurred decoded_shared_cost(const pqxx::field& canonical) {
    const std::optional<Event> event = decode_stored(sql::from_bytea(canonical));
    if (!event || !std::holds_alternative<SharedCostIncurred>(event->data))
        throw std::runtime_error("a stored shared-cost event no longer decodes; run likvard verify");
    return std::get<SharedCostIncurred>(event->data);
}

void set_invoice(SharedCostInvoice& invoice, const pqxx::row& row) {  // period, decision_ref, canonical
    invoice.invoice_period = row[1].as<std::string>();
    if (!row[2].is_null()) invoice.decision_ref = row[2].as<std::string>();
    invoice.allocation = decoded_shared_cost(row[3]).allocation;
}

// The invoices' periods, decision references and allocation keys: from the events
// themselves, and for reversals from the events they reverse.
void read_invoice_keys(pqxx::work& tx, LedgerSlice& slice) {
    std::vector<std::string> seqs;
    std::map<std::int64_t, SharedCostInvoice*> by_seq;
    for (auto& invoice : slice.shared_cost_invoices) {
        seqs.push_back(std::to_string(invoice.seq));
        by_seq[invoice.seq] = &invoice;
    }
    std::map<std::string, SharedCostInvoice*> by_reversed_id;
    for (const auto& row : tx.exec_params("SELECT seq, period, decision_ref, "
                                          " CASE WHEN type <> 'entry.reversed' THEN canonical END, reverses "
                                          "FROM ledger.events WHERE region = $1 AND seq = ANY($2::bigint[])",
                                          slice.region, sql::array_literal(seqs))) {
        SharedCostInvoice& invoice = *by_seq.at(row[0].as<std::int64_t>());
        if (row[4].is_null()) {
            set_invoice(invoice, row);
        } else {
            invoice.reversal = true;
            by_reversed_id[row[4].as<std::string>()] = &invoice;
        }
    }
    if (by_reversed_id.empty()) return;
    std::vector<std::string> ids;
    for (const auto& [id, invoice] : by_reversed_id) ids.push_back(id);
    for (const auto& row : tx.exec_params("SELECT event_id, period, decision_ref, canonical FROM ledger.events "
                                          "WHERE region = $1 AND event_id = ANY($2::uuid[])",
                                          slice.region, sql::array_literal(ids)))
        set_invoice(*by_reversed_id.at(row[0].as<std::string>()), row);
}

// For the invoices whose key is an estimate: every provider's weighted listing in the
// invoice's month (the last recorded up to the slice's position), which may lie outside
// the range for a reversal.
void read_estimate_weights(pqxx::work& tx, LedgerSlice& slice) {
    std::set<std::string> periods;
    for (const auto& invoice : slice.shared_cost_invoices)
        if (invoice.allocation.estimate) periods.insert(invoice.invoice_period);
    if (periods.empty()) return;
    std::map<std::string, std::map<std::string, std::int64_t>> weighted;  // period -> provider -> 1/10,000
    for (const auto& row : tx.exec_params(
             "SELECT canonical FROM ledger.events WHERE region = $1 AND type = 'listing.recorded' AND seq <= $2 "
             "AND scheme = $3 AND period = ANY($4::text[]) ORDER BY seq",
             slice.region, slice.as_of_seq, slice.scheme,
             sql::array_literal(std::vector<std::string>(periods.begin(), periods.end())))) {
        const std::optional<Event> event = decode_stored(sql::from_bytea(row[0]));
        if (!event || !std::holds_alternative<ListingRecorded>(event->data))
            throw std::runtime_error("a stored listing no longer decodes; run likvard verify");
        const auto& listing = std::get<ListingRecorded>(event->data);
        weighted[event->period][listing.provider_id] = listing.weighted_listed.scaled();  // the last one wins
    }
    for (auto& invoice : slice.shared_cost_invoices) {
        if (!invoice.allocation.estimate) continue;
        for (const auto& [provider, weight] : weighted[invoice.invoice_period])
            invoice.weighted_listed.push_back({provider, weight});
    }
}

void complete_invoices(pqxx::work& tx, LedgerSlice& slice) {
    if (slice.shared_cost_invoices.empty()) return;
    read_invoice_keys(tx, slice);
    read_estimate_weights(tx, slice);
}

// The slice's part of the events after `after` up to the seq asked (default: the head), in
// one snapshot; `slice` holds the parties registered up to `after`.
void read_range(pqxx::work& tx, LedgerSlice& slice, std::int64_t after, std::optional<std::int64_t> as_of_seq,
                SliceParts parts) {
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    // One aggregate over many postings: keep its grouping in memory. Compiling the
    // expressions (JIT) costs more than it saves on scans this size.
    tx.exec("SET LOCAL work_mem = '128MB'");
    tx.exec("SET LOCAL jit = off");
    const Head head = read_head(tx, slice.region, as_of_seq);
    slice.as_of_seq = head.seq;
    slice.as_of_hash = hash_hex(head.hash);
    read_decoded_facts(tx, slice, after, parts.commitment_events);
    read_counts(tx, slice, after);
    read_postings(tx, slice, after);
    if (parts.cross_subsidies || parts.shared_cost_invoices)
        read_shared_cost_events(tx, slice, after, parts.cross_subsidies, parts.shared_cost_invoices);
    if (parts.shared_cost_invoices) complete_invoices(tx, slice);
}

LedgerSlice empty_slice(const std::string& region, const std::string& scheme, const std::string& from,
                        const std::string& to) {
    LedgerSlice slice;
    slice.region = region;
    slice.scheme = scheme;
    slice.from = from;
    slice.to = to;
    return slice;
}

}  // namespace

LedgerSlice Store::read_slice(const std::string& region, const std::string& scheme, const std::string& from,
                              const std::string& to, std::optional<std::int64_t> as_of_seq, SliceParts parts) {
    pqxx::work tx(impl_->connection);
    LedgerSlice slice = empty_slice(region, scheme, from, to);
    read_range(tx, slice, 0, as_of_seq, parts);
    return slice;
}

LedgerSlice Store::read_slice_after(const std::string& region, const std::string& scheme, const std::string& from,
                                    const std::string& to, std::int64_t after_seq, std::int64_t as_of_seq,
                                    std::map<std::string, SliceParty> parties, SliceParts parts) {
    if (after_seq < 0 || as_of_seq < after_seq)
        throw std::invalid_argument("read_slice_after: seqs " + std::to_string(after_seq) + ".." +
                                    std::to_string(as_of_seq) + " are not a range");
    pqxx::work tx(impl_->connection);
    LedgerSlice slice = empty_slice(region, scheme, from, to);
    slice.parties = std::move(parties);
    read_range(tx, slice, after_seq, as_of_seq, parts);
    if (slice.as_of_seq < as_of_seq)
        throw std::invalid_argument("read_slice_after: seq " + std::to_string(as_of_seq) + " is past the head of " +
                                    region + " (" + std::to_string(slice.as_of_seq) + ")");
    return slice;
}

void Store::weigh_estimated_invoices(LedgerSlice& slice) {
    if (std::none_of(slice.shared_cost_invoices.begin(), slice.shared_cost_invoices.end(),
                     [](const SharedCostInvoice& invoice) { return invoice.allocation.estimate; }))
        return;
    pqxx::work tx(impl_->connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    read_estimate_weights(tx, slice);
}

}  // namespace likvard
