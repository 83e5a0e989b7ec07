// The statements' slice read from the projections at their checkpoint: the same values the
// ledger path (store/slice.cpp) reads from postings as of that seq, so that both paths
// render byte-identical statements (tests/integration/projection_test.cpp).
#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <string_view>
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

// In seq order, sorted here rather than by PostgreSQL (a region-year's 30,000 invoices
// spilled the sort to disk); a key is decoded once per distinct text (most invoices of a
// service share one).
void read_projected_invoices(pqxx::transaction_base& tx, LedgerSlice& slice, std::int64_t upto) {
    std::vector<SharedCostInvoice> invoices;
    std::map<std::string, Allocation, std::less<>> decoded;
    for (const auto& row :
         tx.exec_params("SELECT seq, service, paid_region_run_ore, paid_private_ore, paid_ore, benefit_region_run_ore, "
                        "benefit_private_ore, invoice_period, reversal, decision_ref, allocation "
                        "FROM projection.shared_cost_events "
                        "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 AND seq <= $5",
                        slice.region, slice.scheme, slice.from, slice.to, upto)) {
        SharedCostInvoice invoice;
        invoice.seq = row[0].as<std::int64_t>();
        invoice.service = row[1].as<std::string>();
        invoice.parts = sql::shared_cost_parts(row, 2);
        invoice.invoice_period = row[7].as<std::string>();
        invoice.reversal = row[8].as<bool>();
        if (!row[9].is_null()) invoice.decision_ref = row[9].as<std::string>();
        const std::string_view text(row[10].c_str(), row[10].size());
        auto known = decoded.find(text);
        if (known == decoded.end()) {
            auto allocation = decode_stored_allocation(text);
            if (!allocation)
                throw std::runtime_error("projection.shared_cost_events holds an allocation of seq " +
                                         std::to_string(invoice.seq) + " that does not decode; run likvard verify");
            known = decoded.emplace(std::string(text), std::move(*allocation)).first;
        }
        invoice.allocation = known->second;
        invoices.push_back(std::move(invoice));
    }
    std::sort(invoices.begin(), invoices.end(),
              [](const SharedCostInvoice& a, const SharedCostInvoice& b) { return a.seq < b.seq; });
    slice.shared_cost_invoices.insert(slice.shared_cost_invoices.end(), std::make_move_iterator(invoices.begin()),
                                      std::make_move_iterator(invoices.end()));
}

namespace {

// Where the projections stand for the region (its checkpoint) and where its ledger stands.
void read_projected_head(pqxx::work& tx, ProjectedSlice& out) {
    LedgerSlice& slice = out.slice;
    slice.as_of_hash = hash_hex(Hash{});
    const pqxx::result checkpoint =
        tx.exec_params("SELECT seq, hash FROM projection.checkpoints WHERE region = $1", slice.region);
    if (!checkpoint.empty()) {
        slice.as_of_seq = checkpoint[0][0].as<std::int64_t>();
        slice.as_of_hash = hash_hex(sql::hash_from(checkpoint[0][1]));
    }
    const pqxx::result head =
        tx.exec_params("SELECT seq FROM ledger.events WHERE region = $1 ORDER BY seq DESC LIMIT 1", slice.region);
    out.ledger_head_seq = head.empty() ? 0 : head[0][0].as<std::int64_t>();
}

}  // namespace

std::optional<ProjectedSlice> read_projected_slice(pqxx::connection& connection, const std::string& region,
                                                   const std::string& scheme, const std::string& from,
                                                   const std::string& to) {
    pqxx::work tx(connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (!projections_built(tx)) return std::nullopt;
    ProjectedSlice out;
    LedgerSlice& slice = out.slice;
    slice.region = region;
    slice.scheme = scheme;
    slice.from = from;
    slice.to = to;
    read_projected_head(tx, out);

    for (const auto& row :
         tx.exec_params("SELECT party_id, name, kind, side FROM projection.parties WHERE region = $1", region)) {
        const std::string id = row[0].as<std::string>();
        slice.parties[id] = SliceParty{id, row[1].as<std::string>(), *kind_from_name(row[2].as<std::string>()),
                                       *side_from_name(row[3].as<std::string>())};
    }
    for (const auto& row : tx.exec_params("SELECT period, provider, listed, weighted_listed FROM projection.listings "
                                          "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4",
                                          region, scheme, from, to)) {
        const auto weighted = Decimal4::parse(row[3].as<std::string>());
        if (!weighted.value)
            throw std::runtime_error("projection.listings holds a weighted_listed that does not parse");
        slice.listings[{row[0].as<std::string>(), row[1].as<std::string>()}] = {row[2].as<std::int64_t>(),
                                                                                *weighted.value};
    }
    const pqxx::result counted = tx.exec_params(
        "SELECT coalesce(sum(events), 0) FROM projection.event_counts "
        "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4",
        region, scheme, from, to);
    slice.events_counted = counted[0][0].as<std::int64_t>();
    for (const auto& row :
         tx.exec_params("SELECT DISTINCT decision_ref FROM projection.decision_refs "
                        "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 ORDER BY decision_ref",
                        region, scheme, from, to))
        slice.decision_refs.push_back(row[0].as<std::string>());
    // One fact per commitment, month and decision reference stands for its events: the
    // statement sums fte per month and collects the references.
    for (const auto& row : tx.exec_params(
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
    for (const auto& row :
         tx.exec_params("SELECT period, party, account_class, item, amount_ore FROM projection.balances "
                        "WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 ORDER BY 1, 2, 3, 4",
                        region, scheme, from, to))
        slice.postings.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                                  row[3].as<std::string>(), Money::from_ore(row[4].as<std::int64_t>())});
    for (const auto& row :
         tx.exec_params("SELECT service, sum(region_run_to_private_ore), sum(private_to_region_run_ore), "
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
    read_projected_invoices(tx, slice, slice.as_of_seq);
    tx.commit();
    return out;
}

}  // namespace likvard
