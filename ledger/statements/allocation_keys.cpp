// E. The allocation keys of both statements: per shared-cost service and key, the basis, the
// beneficiaries, the decisions and whether the key is an estimate; for an estimated key also
// the cross-subsidy as it would be with the benefit split by weighted listing instead.
#include <set>
#include <tuple>

#include "statements/detail/allocation_keys.hpp"
#include "statements/detail/columns.hpp"

namespace likvard {
namespace {

using namespace statement;

// service, key, beneficiaries, basis, estimate
using KeyOfInvoice = std::tuple<std::string, std::string, std::string, std::string, bool>;

struct KeyLine {
    std::int64_t events = 0;
    std::set<std::string> decision_refs;
    __int128 amount = 0;
    CrossSubsidy booked;
    CrossSubsidy by_weighted_listed;
    bool recomputed = true;  // every invoice of an estimated key could be split by weighted listing
};

std::string beneficiaries_text(const Allocation& allocation) {
    if (allocation.all_providers) return "all_providers";
    std::string out;
    for (const auto& id : allocation.beneficiaries) out += (out.empty() ? "" : ", ") + id;
    return out;
}

KeyOfInvoice key_of(const SharedCostInvoice& invoice) {
    const Allocation& a = invoice.allocation;
    return {invoice.service, a.key, beneficiaries_text(a), a.basis.value_or(""), a.estimate};
}

__int128 paid_amount(const std::vector<SharedCostPart>& parts) {
    __int128 amount = 0;
    for (const auto& part : parts)
        if (part.paid) amount += part.amount.ore();
    return amount;
}

void add_invoice(KeyLine& line, const SharedCostInvoice& invoice, const std::map<std::string, SliceParty>& parties) {
    if (invoice.summed) {
        line.events += invoice.summed->events;
        if (invoice.decision_ref) line.decision_refs.insert(*invoice.decision_ref);
        line.amount += invoice.summed->paid;
        line.booked += invoice.summed->booked;
        if (invoice.allocation.estimate) line.recomputed = false;  // never read so: said, not guessed
        return;
    }
    ++line.events;
    if (invoice.decision_ref) line.decision_refs.insert(*invoice.decision_ref);
    line.amount += paid_amount(invoice.parts);
    if (const auto booked = cross_subsidy_of_event(invoice.parts)) line.booked += *booked;
    if (!invoice.allocation.estimate) return;
    const auto parts = parts_with_benefit_by(invoice.parts, invoice.weighted_listed, parties);
    const auto recomputed = parts ? cross_subsidy_of_event(*parts) : std::nullopt;
    if (recomputed)
        line.by_weighted_listed += *recomputed;
    else
        line.recomputed = false;
}

std::string joined(const std::set<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// A sum within int64 öre, as the projections hold them, printed.
std::string checked(__int128 sum, const std::string& service) {
    return money(money_from_sum(sum, "the allocation keys of service " + service).ore());
}

std::vector<std::optional<std::string>> key_row(const KeyOfInvoice& key, const KeyLine& line) {
    const auto& [service, name, beneficiaries, basis, estimate] = key;
    std::vector<std::optional<std::string>> row{service, name, beneficiaries};
    row.push_back(basis.empty() ? std::nullopt : std::optional<std::string>(basis));
    row.push_back(estimate ? "true" : "false");
    row.push_back(std::to_string(line.events));
    row.push_back(joined(line.decision_refs));
    row.push_back(checked(line.amount, service));
    row.push_back(checked(line.booked.region_run_to_private, service));
    row.push_back(checked(line.booked.private_to_region_run, service));
    const bool shown = estimate && line.recomputed;
    row.push_back(shown ? std::optional(checked(line.by_weighted_listed.region_run_to_private, service))
                        : std::nullopt);
    row.push_back(shown ? std::optional(checked(line.by_weighted_listed.private_to_region_run, service))
                        : std::nullopt);
    return row;
}

}  // namespace

std::optional<std::vector<SharedCostPart>> parts_with_benefit_by(const std::vector<SharedCostPart>& parts,
                                                                 const std::vector<Weight>& weights,
                                                                 const std::map<std::string, SliceParty>& parties) {
    __int128 weight_sum = 0;
    for (const auto& weight : weights) weight_sum += weight.weight;
    if (weight_sum <= 0) return std::nullopt;
    std::vector<SharedCostPart> out;
    for (const auto& part : parts)
        if (part.paid) out.push_back(part);
    const Money amount = money_from_sum(paid_amount(parts), "a shared-cost invoice");
    const bool reversal = amount.ore() < 0;  // a reversal's parts are the invoice's negated
    Money benefit_region_run, benefit_private;
    for (const auto& part : split_largest_remainder(reversal ? -amount : amount, weights)) {
        const auto party = parties.find(part.party_id);
        const Side side = party == parties.end() ? Side::external : party->second.side;
        if (side == Side::region_run) benefit_region_run += part.amount;
        if (side == Side::private_provider) benefit_private += part.amount;
    }
    // A benefit is booked negative (an income in kind); a reversal's positive.
    out.push_back({false, Side::region_run, reversal ? benefit_region_run : -benefit_region_run});
    out.push_back({false, Side::private_provider, reversal ? benefit_private : -benefit_private});
    return out;
}

Table allocation_keys_table(const LedgerSlice& slice) {
    std::map<KeyOfInvoice, KeyLine> lines;
    for (const auto& invoice : slice.shared_cost_invoices) add_invoice(lines[key_of(invoice)], invoice, slice.parties);
    Table table{"allocation_keys",
                {"service", "key", "beneficiaries", "basis", "estimate", "events", "decision_refs", "amount",
                 "region_run_to_private", "private_to_region_run", "region_run_to_private_by_weighted_listed",
                 "private_to_region_run_by_weighted_listed"},
                {}};
    for (const auto& [key, line] : lines) table.rows.push_back(key_row(key, line));
    return table;
}

}  // namespace likvard
