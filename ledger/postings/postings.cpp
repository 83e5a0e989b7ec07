// One posting rule per financial event type. Each rule states the debit and the credit
// of the fact; the shared-cost rule also books the benefit in kind of its beneficiaries.
#include "postings/postings.hpp"

#include "core/invariant.hpp"

#include <stdexcept>

namespace likvard {
namespace {

using Postings = std::vector<Posting>;

// A transfer from `from` (debit, its cost) to `to` (credit, its income).
void transfer(Postings& out, const std::string& from, const std::string& to, const std::string& from_item,
              const std::string& to_item, Money amount) {
    out.push_back({from, "expense", from_item, amount});
    out.push_back({to, "income", to_item, -amount});
}

Postings payment(const PaymentMade& p) {
    Postings out;
    const std::string item = "compensation." + p.component;
    transfer(out, p.payer_id, p.provider_id, item, item, p.amount);
    return out;
}

Postings overhead(const OverheadCompensated& o) {
    Postings out;
    const std::string item = "overhead." + o.category;
    transfer(out, o.payer_id, o.provider_id, item, item, o.amount);
    return out;
}

Postings internal_charge(const InternalChargeBooked& c) {
    Postings out;
    const std::string item = "internal_charge." + c.category;
    transfer(out, c.party_id, c.charged_by, item, item, c.amount);
    return out;
}

Postings shared_cost(const SharedCostIncurred& s, const DerivationInputs& inputs) {
    Postings out;
    std::vector<Weight> shares;
    for (const auto& payer : s.paid_by) shares.push_back({payer.party_id, payer.share.scaled()});
    for (const auto& part : split_largest_remainder(s.amount, shares))
        if (part.amount.ore() != 0) out.push_back({part.party_id, "expense", "shared_cost." + s.service, part.amount});
    out.push_back({s.vendor_id, "income", "sales." + s.service, -s.amount});
    // Benefit in kind: each beneficiary receives its allocated part of the service and
    // uses it (an income in kind and an equal expense in kind).
    for (const auto& part : split_largest_remainder(s.amount, inputs.benefit_weights)) {
        if (part.amount.ore() == 0) continue;
        out.push_back({part.party_id, "benefit", "shared_cost." + s.service, -part.amount});
        out.push_back({part.party_id, "expense", "in_kind." + s.service, part.amount});
    }
    return out;
}

Postings commitment(const CommitmentCostIncurred& c) {
    // The cost is paid from the bearer's own resources: expense against settlement.
    const std::string item = "commitment." + c.commitment;
    return {{c.borne_by, "expense", item, c.amount}, {c.borne_by, "settlement", item, -c.amount}};
}

std::string purpose_item(const std::string& purpose) {
    std::string item = "appropriation." + purpose;
    for (char& c : item)
        if (c == ':') c = '.';  // ':' separates the parts of an account name
    return item;
}

Postings appropriation(const AppropriationGranted& a) {
    Postings out;
    const std::string item = purpose_item(a.purpose);
    transfer(out, a.granted_by, a.party_id, item, item, a.amount);
    return out;
}

Postings service(const ServicePurchased& s) {
    Postings out;
    transfer(out, s.buyer_id, s.seller_id, "service_bought." + s.service, "service_sold." + s.service, s.amount);
    return out;
}

Postings reversal(const DerivationInputs& inputs) {
    if (inputs.reversed_postings == nullptr) throw std::logic_error("reversal without the reversed postings");
    Postings out = *inputs.reversed_postings;
    for (auto& posting : out) posting.amount = -posting.amount;
    return out;
}

Postings derive_unchecked(const Event& event, const DerivationInputs& inputs) {
    switch (event.type) {
        case EventType::payment_made: return payment(std::get<PaymentMade>(event.data));
        case EventType::overhead_compensated: return overhead(std::get<OverheadCompensated>(event.data));
        case EventType::internal_charge_booked: return internal_charge(std::get<InternalChargeBooked>(event.data));
        case EventType::shared_cost_incurred: return shared_cost(std::get<SharedCostIncurred>(event.data), inputs);
        case EventType::commitment_cost_incurred: return commitment(std::get<CommitmentCostIncurred>(event.data));
        case EventType::appropriation_granted: return appropriation(std::get<AppropriationGranted>(event.data));
        case EventType::service_purchased: return service(std::get<ServicePurchased>(event.data));
        case EventType::entry_reversed: return reversal(inputs);
        case EventType::party_registered:
        case EventType::party_retired:
        case EventType::listing_recorded:
        case EventType::budget_set:
        case EventType::period_closed: return {};
    }
    throw std::logic_error("unhandled event type");
}

}  // namespace

Money postings_sum(const std::vector<Posting>& postings) {
    Money sum;
    for (const auto& posting : postings) sum += posting.amount;
    return sum;
}

std::vector<Posting> derive_postings(const Event& event, const DerivationInputs& inputs) {
    Postings out = derive_unchecked(event, inputs);
    LIKVARD_INVARIANT(postings_sum(out).ore() == 0, "the postings of event " + event.event_id + " do not balance");
    return out;
}

}  // namespace likvard
