// The statements' slice read from the projections at their checkpoint: the same values the
// ledger path (store/slice.cpp) reads from postings as of that seq, so that both paths
// render byte-identical statements (tests/integration/projection_test.cpp).
#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <string_view>
#include <tuple>
#include <vector>

#include <pqxx/pqxx>

#include "projections/detail/blocks.hpp"
#include "projections/projections.hpp"
#include "store/sql.hpp"

namespace likvard {

bool projections_built(pqxx::transaction_base& tx) {
    if (tx.exec("SELECT to_regclass('projection.layout')")[0][0].is_null()) return false;
    return !tx.exec("SELECT 1 FROM projection.layout WHERE built_at IS NOT NULL").empty();
}

namespace {

// Allocation keys as stored (the object data.allocation of the invoice's canonical bytes),
// each distinct text decoded once: most invoices of a service share one.
class Allocations {
public:
    // The stored text's entry: the text itself (kept while this lives) and its key.
    const std::pair<const std::string, Allocation>& of(const pqxx::field& field, const std::string& table) {
        const std::string_view text(field.c_str(), field.size());
        auto known = decoded_.find(text);
        if (known != decoded_.end()) return *known;
        auto allocation = decode_stored_allocation(text);
        if (!allocation)
            throw std::runtime_error("projection." + table + " holds an allocation that does not decode: " +
                                     std::string(text.substr(0, 200)) + "; run likvard verify");
        return *decoded_.emplace(std::string(text), std::move(*allocation)).first;
    }

private:
    std::map<std::string, Allocation, std::less<>> decoded_;
};

std::optional<std::string> decision_of(const pqxx::field& field) {
    if (field.is_null() || field.size() == 0) return std::nullopt;
    return field.as<std::string>();
}

constexpr const char* invoice_columns =
    "SELECT seq, service, paid_region_run_ore, paid_private_ore, paid_ore, benefit_region_run_ore, "
    "benefit_private_ore, invoice_period, reversal, decision_ref, allocation FROM projection.shared_cost_events "
    "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 ";

// One invoice of the columns above.
SharedCostInvoice invoice_of(const pqxx::row& row, std::vector<SharedCostPart> parts, const Allocation& allocation) {
    SharedCostInvoice invoice;
    invoice.seq = row[0].as<std::int64_t>();
    invoice.service = row[1].as<std::string>();
    invoice.parts = std::move(parts);
    invoice.invoice_period = row[7].as<std::string>();
    invoice.reversal = row[8].as<bool>();
    invoice.decision_ref = decision_of(row[9]);
    invoice.allocation = allocation;
    return invoice;
}

// Invoices of a key that is not an estimate, summed per service, decision reference and
// allocation key (as the table allocation_keys sums them).
class Summed {
public:
    void add(const std::string& service, const std::optional<std::string>& decision_ref,
             const std::pair<const std::string, Allocation>& allocation, std::int64_t events, __int128 paid,
             const CrossSubsidy& booked) {
        auto [entry, inserted] = sums_.try_emplace(Key{service, decision_ref, allocation.first});
        SharedCostInvoice& sum = entry->second;
        if (inserted) {
            sum.service = service;
            sum.decision_ref = decision_ref;
            sum.allocation = allocation.second;
            sum.summed.emplace();
        }
        sum.summed->events += events;
        sum.summed->paid += paid;
        sum.summed->booked += booked;
    }
    void move_into(std::vector<SharedCostInvoice>& out) {
        for (auto& [key, sum] : sums_) out.push_back(std::move(sum));
    }

private:
    using Key = std::tuple<std::string, std::optional<std::string>, std::string>;
    std::map<Key, SharedCostInvoice> sums_;
};

// The estimated ones in seq order, then the summed ones; sorted here rather than by
// PostgreSQL, whose sort of a region-year's 30,000 invoices spilled to disk.
void add_invoices(LedgerSlice& slice, std::vector<SharedCostInvoice>& estimated, Summed& summed) {
    std::sort(estimated.begin(), estimated.end(),
              [](const SharedCostInvoice& a, const SharedCostInvoice& b) { return a.seq < b.seq; });
    slice.shared_cost_invoices.insert(slice.shared_cost_invoices.end(), std::make_move_iterator(estimated.begin()),
                                      std::make_move_iterator(estimated.end()));
    summed.move_into(slice.shared_cost_invoices);
}

}  // namespace

// Every invoice up to `upto`: those of an estimated key one by one (their cross-subsidy is
// recomputed per invoice), the others summed, each invoice's booked cross-subsidy computed
// as the ledger path computes it.
void read_projected_invoices(pqxx::transaction_base& tx, LedgerSlice& slice, std::int64_t upto) {
    Allocations allocations;
    std::vector<SharedCostInvoice> estimated;
    Summed summed;
    for (const auto& row : sql::prepared(tx, "likvard_invoices", std::string(invoice_columns) + "AND seq <= $5",
                                         slice.region, slice.scheme, slice.from, slice.to, upto)) {
        const auto& allocation = allocations.of(row[10], "shared_cost_events");
        std::vector<SharedCostPart> parts = sql::shared_cost_parts(row, 2);
        if (allocation.second.estimate) {
            estimated.push_back(invoice_of(row, std::move(parts), allocation.second));
            continue;
        }
        __int128 paid = 0;
        for (const auto& part : parts)
            if (part.paid) paid += part.amount.ore();
        summed.add(row[1].as<std::string>(), decision_of(row[9]), allocation, 1, paid,
                   cross_subsidy_of_event(parts).value_or(CrossSubsidy{}));
    }
    add_invoices(slice, estimated, summed);
}

// The invoices at the checkpoint: the estimated ones from shared_cost_events (a partial
// index holds them), the others from their sums per month in shared_cost_keys.
void read_projected_keys(pqxx::transaction_base& tx, LedgerSlice& slice) {
    Allocations allocations;
    std::vector<SharedCostInvoice> estimated;
    for (const auto& row :
         sql::prepared(tx, "likvard_estimated_invoices", std::string(invoice_columns) + "AND estimate", slice.region,
                       slice.scheme, slice.from, slice.to))
        estimated.push_back(
            invoice_of(row, sql::shared_cost_parts(row, 2), allocations.of(row[10], "shared_cost_events").second));
    Summed summed;
    for (const auto& row :
         sql::prepared(tx, "likvard_shared_cost_keys",
                       "SELECT service, decision_ref, allocation, sum(paid_ore), sum(region_run_to_private_ore), "
                       "sum(private_to_region_run_ore), sum(events) FROM projection.shared_cost_keys "
                       "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 GROUP BY 1, 2, 3",
                       slice.region, slice.scheme, slice.from, slice.to)) {
        const std::string service = row[0].as<std::string>();
        const auto what = [&] { return "the allocation keys of service " + service; };
        CrossSubsidy booked;
        booked.region_run_to_private = sql::summed_money(row[4], what).ore();
        booked.private_to_region_run = sql::summed_money(row[5], what).ore();
        summed.add(service, decision_of(row[1]), allocations.of(row[2], "shared_cost_keys"), row[6].as<std::int64_t>(),
                   sql::summed_money(row[3], what).ore(), booked);
    }
    add_invoices(slice, estimated, summed);
}

namespace {

// Where the projections stand for the region (its checkpoint) and where its ledger stands.
void read_projected_head(pqxx::work& tx, ProjectedSlice& out) {
    LedgerSlice& slice = out.slice;
    slice.as_of_hash = hash_hex(Hash{});
    const pqxx::result checkpoint = sql::prepared(
        tx, "likvard_checkpoint", "SELECT seq, hash FROM projection.checkpoints WHERE region = $1", slice.region);
    if (!checkpoint.empty()) {
        slice.as_of_seq = checkpoint[0][0].as<std::int64_t>();
        slice.as_of_hash = hash_hex(sql::hash_from(checkpoint[0][1]));
    }
    const pqxx::result head =
        sql::prepared(tx, "likvard_ledger_head",
                      "SELECT seq FROM ledger.events WHERE region = $1 ORDER BY seq DESC LIMIT 1", slice.region);
    out.ledger_head_seq = head.empty() ? 0 : head[0][0].as<std::int64_t>();
}

void read_listings(pqxx::work& tx, LedgerSlice& slice) {
    for (const auto& row : sql::prepared(tx, "likvard_listings",
                                         "SELECT period, provider, listed, weighted_listed FROM projection.listings "
                                         "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4",
                                         slice.region, slice.scheme, slice.from, slice.to)) {
        const auto weighted = Decimal4::parse(row[3].as<std::string>());
        if (!weighted.value)
            throw std::runtime_error("projection.listings holds a weighted_listed that does not parse");
        slice.listings[{row[0].as<std::string>(), row[1].as<std::string>()}] = {row[2].as<std::int64_t>(),
                                                                                *weighted.value};
    }
}

// The balances of the slice's months in the ledger path's order, through one field
// iterator a row: libpqxx 6.4 copies the result into every field that row[i] makes, which
// cost more than the rest of reading a region's balances.
void read_balances(pqxx::work& tx, LedgerSlice& slice) {
    for (const auto& row :
         sql::prepared(tx, "likvard_balances",
                       "SELECT period, party, account_class, item, amount_ore FROM projection.balances "
                       "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 ORDER BY 1, 2, 3, 4",
                       slice.region, slice.scheme, slice.from, slice.to)) {
        auto field = row.begin();
        const auto text = [&] {
            std::string value(field->c_str(), field->size());
            ++field;
            return value;
        };
        SlicePosting posting;
        posting.period = text();
        posting.party = text();
        posting.account_class = text();
        posting.item = text();
        posting.amount = Money::from_ore(field->as<std::int64_t>());
        slice.postings.push_back(std::move(posting));
    }
}

}  // namespace

std::optional<ProjectedSlice> read_projected_slice(pqxx::connection& connection, const std::string& region,
                                                   const std::string& scheme, const std::string& from,
                                                   const std::string& to) {
    pqxx::work tx(connection);
    tx.exec(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan");
    if (!projections_built(tx)) return std::nullopt;
    ProjectedSlice out;
    LedgerSlice& slice = out.slice;
    slice.region = region;
    slice.scheme = scheme;
    slice.from = from;
    slice.to = to;
    read_projected_head(tx, out);

    for (const auto& row :
         sql::prepared(tx, "likvard_parties",
                       "SELECT party_id, name, kind, side FROM projection.parties WHERE region = $1", region)) {
        const std::string id = row[0].as<std::string>();
        slice.parties[id] = SliceParty{id, row[1].as<std::string>(), *kind_from_name(row[2].as<std::string>()),
                                       *side_from_name(row[3].as<std::string>())};
    }
    read_listings(tx, slice);
    const pqxx::result counted = sql::prepared(tx, "likvard_event_count",
                                               "SELECT coalesce(sum(events), 0) FROM projection.event_counts "
                                               "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4",
                                               region, scheme, from, to);
    slice.events_counted = counted[0][0].as<std::int64_t>();
    for (const auto& row :
         sql::prepared(tx, "likvard_decision_refs",
                       "SELECT DISTINCT decision_ref FROM projection.decision_refs "
                       "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 ORDER BY decision_ref",
                       region, scheme, from, to))
        slice.decision_refs.push_back(row[0].as<std::string>());
    // One fact per commitment, month and decision reference stands for its events: the
    // statement sums fte per month and collects the references.
    for (const auto& row : sql::prepared(
             tx, "likvard_commitment_facts",
             "SELECT period, commitment, decision_ref, fte_scaled, fte_events FROM projection.commitment_facts "
             "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 ORDER BY 1, 2, 3",
             region, scheme, from, to)) {
        SliceEvent event;
        event.type = EventType::commitment_cost_incurred;
        event.period = row[0].as<std::string>();
        event.commitment = row[1].as<std::string>();
        if (const auto ref = row[2].as<std::string>(); !ref.empty()) event.decision_ref = ref;
        if (row[4].as<std::int64_t>() > 0) event.fte = Decimal4::from_scaled(row[3].as<std::int64_t>());
        slice.commitment_events.push_back(std::move(event));
    }
    read_balances(tx, slice);
    for (const auto& row :
         sql::prepared(tx, "likvard_cross_subsidies",
                       "SELECT service, sum(region_run_to_private_ore), sum(private_to_region_run_ore), "
                       "sum(paid_region_run_ore), sum(paid_private_ore) FROM projection.cross_subsidies "
                       "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 GROUP BY 1",
                       region, scheme, from, to)) {
        const std::string service = row[0].as<std::string>();
        const auto what = [&] { return "the shared costs of service " + service + " from " + from + " to " + to; };
        CrossSubsidy& s = slice.cross_subsidies[service];
        s.region_run_to_private = sql::summed_money(row[1], what).ore();
        s.private_to_region_run = sql::summed_money(row[2], what).ore();
        s.paid_region_run = sql::summed_money(row[3], what).ore();
        s.paid_private = sql::summed_money(row[4], what).ore();
    }
    read_projected_keys(tx, slice);
    tx.commit();
    return out;
}

}  // namespace likvard
