// admit(): the checks that need the ledger, in the contract's order, then the postings.
#include <algorithm>
#include <numeric>

#include "rules/detail/roles.hpp"
#include "rules/rules.hpp"

namespace likvard {
namespace {

std::optional<Rejection> check_parties(const Event& event, const RegionState& state) {
    if (const auto* registered = std::get_if<PartyRegistered>(&event.data)) {
        if (state.parties.contains(registered->party_id))
            return Rejection{Reason::duplicate_conflict, "/data/party_id: party \"" + registered->party_id +
                                                             "\" is already registered in " + event.region};
        return std::nullopt;
    }
    for (const auto& role : party_roles(event))
        if (auto rejection = check_role(role, event, state)) return rejection;
    if (const auto* retired = std::get_if<PartyRetired>(&event.data)) {
        const auto& party = state.parties.find(retired->party_id)->second;
        if (party.retired_on)
            return Rejection{Reason::unknown_party, "/data/party_id: party \"" + retired->party_id +
                                                        "\" was already retired on " + *party.retired_on};
    }
    return std::nullopt;
}

std::optional<Rejection> check_service_amount(const ServicePurchased& s) {
    const __int128 expected = static_cast<__int128>(s.quantity) * s.unit_price.ore();
    if (expected == s.amount.ore()) return std::nullopt;
    return Rejection{Reason::amount_mismatch, "/data/amount: \"" + s.amount.to_string() + "\" is not quantity " +
                                                  std::to_string(s.quantity) + " x unit_price \"" +
                                                  s.unit_price.to_string() + "\""};
}

std::optional<Rejection> check_shares(const SharedCostIncurred& s) {
    Decimal4 sum;
    for (const auto& payer : s.paid_by) {
        if (payer.share.scaled() == 0)
            return Rejection{Reason::amount_mismatch, "/data/paid_by: the share of \"" + payer.party_id + "\" is 0"};
        sum = sum + payer.share;
    }
    if (sum == Decimal4::one()) return std::nullopt;
    return Rejection{Reason::amount_mismatch, "/data/paid_by: the shares sum to " + sum.to_string() + ", not 1"};
}

std::optional<Rejection> check_reversal(const Event& event, const RegionState& state) {
    const auto* reversal = std::get_if<EntryReversed>(&event.data);
    if (reversal == nullptr) return std::nullopt;
    const std::string pointer = "/data/reverses: ";
    if (reversal->reverses == event.event_id)
        return Rejection{Reason::reversal_invalid, pointer + "an event cannot reverse itself"};
    const auto found = state.events.find(reversal->reverses);
    if (found == state.events.end())
        return Rejection{Reason::reversal_invalid, pointer + "no event " + reversal->reverses + " in " + event.region};
    if (!is_financial(found->second.type))
        return Rejection{Reason::reversal_invalid, pointer + "event " + reversal->reverses + " is a " +
                                                       std::string(type_name(found->second.type)) +
                                                       ", only financial events can be reversed"};
    if (found->second.reversed)
        return Rejection{Reason::reversal_invalid, pointer + "event " + reversal->reverses + " is already reversed"};
    if (found->second.scheme != event.scheme)
        return Rejection{Reason::reversal_invalid, pointer + "event " + reversal->reverses + " is in scheme " +
                                                       found->second.scheme + ", not " + event.scheme +
                                                       ": a reversal is booked in the scheme of the event it reverses"};
    return std::nullopt;
}

std::optional<Rejection> check_period(const Event& event, const RegionState& state) {
    const auto closed = state.closed_through.find(event.scheme);
    if (closed == state.closed_through.end() || event.period > closed->second) return std::nullopt;
    return Rejection{Reason::period_closed, "/period: " + event.period + " is closed for " + event.region + " " +
                                                event.scheme + " (closed through " + closed->second +
                                                "); post the correction in an open period"};
}

}  // namespace

std::variant<std::vector<Weight>, Rejection> benefit_weights(const Event& event, const SharedCostIncurred& s,
                                                             const RegionState& state) {
    const Allocation& a = s.allocation;
    std::vector<std::string> ids =
        a.all_providers ? active_providers(state, event.scheme, event.period) : a.beneficiaries;
    std::sort(ids.begin(), ids.end());
    std::vector<Weight> weights;
    for (const auto& id : ids) {
        std::int64_t weight = 0;
        if (a.key == "equal") {
            weight = 1;
        } else if (a.key == "listed" || a.key == "weighted_listed") {
            const auto found = state.listings.find(std::make_tuple(event.scheme, event.period, id));
            if (found != state.listings.end())
                weight = a.key == "listed" ? found->second.listed : found->second.weighted_listed.scaled();
        } else {
            const auto found =
                std::find_if(a.weights.begin(), a.weights.end(), [&](const auto& w) { return w.first == id; });
            if (found != a.weights.end()) weight = found->second.scaled();
        }
        weights.push_back({id, weight});
    }
    const __int128 total = std::accumulate(weights.begin(), weights.end(), __int128{0},
                                           [](__int128 sum, const Weight& w) { return sum + w.weight; });
    if (total > 0) return weights;
    const std::string why = ids.empty() ? "there are no beneficiaries (no active providers in " + event.period + ")"
                                        : "the " + a.key + " key gives every beneficiary 0 in " + event.period;
    return Rejection{Reason::amount_mismatch, "/data/allocation: " + why};
}

std::vector<std::string> active_providers(const RegionState& state, std::string_view scheme, std::string_view period) {
    const std::string period_start = std::string(period) + "-01";
    std::vector<std::string> ids;
    for (const auto& [id, party] : state.parties)
        if (party.kind == Kind::provider && party.scheme == scheme &&
            !(party.retired_on && *party.retired_on <= period_start))
            ids.push_back(id);
    return ids;
}

Admission admit(const Event& event, const RegionState& state) {
    const auto known = state.events.find(event.event_id);
    if (known != state.events.end() && known->second.content_hash == sha256(event.canonical)) return Redelivery{};

    if (auto rejection = check_parties(event, state)) return *rejection;
    DerivationInputs inputs;
    if (const auto* s = std::get_if<ServicePurchased>(&event.data))
        if (auto rejection = check_service_amount(*s)) return *rejection;
    if (const auto* s = std::get_if<SharedCostIncurred>(&event.data)) {
        if (auto rejection = check_shares(*s)) return *rejection;
        auto weights = benefit_weights(event, *s, state);
        if (auto* rejection = std::get_if<Rejection>(&weights)) return *rejection;
        inputs.benefit_weights = std::move(std::get<std::vector<Weight>>(weights));
    }
    if (auto rejection = check_reversal(event, state)) return *rejection;
    if (auto rejection = check_period(event, state)) return *rejection;
    if (known != state.events.end())
        return Rejection{Reason::duplicate_conflict,
                         "/event_id: " + event.event_id + " is already in the ledger with other content"};
    if (const auto* reversal = std::get_if<EntryReversed>(&event.data))
        inputs.reversed_postings = &state.events.at(reversal->reverses).postings;
    return Admitted{derive_postings(event, inputs)};
}

void RegionState::apply(const Event& event, const std::vector<Posting>& postings) {
    KnownEvent& known = events[event.event_id];
    known.content_hash = sha256(event.canonical);
    known.type = event.type;
    known.scheme = event.scheme;
    if (is_financial(event.type)) known.postings = postings;
    std::visit(
        [&](const auto& d) {
            using T = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<T, PartyRegistered>) {
                parties[d.party_id] = PartyInfo{d.party_id, d.kind, d.side, event.scheme, std::nullopt};
            } else if constexpr (std::is_same_v<T, PartyRetired>) {
                parties.at(d.party_id).retired_on = event.occurred_on;
            } else if constexpr (std::is_same_v<T, ListingRecorded>) {
                listings[std::make_tuple(event.scheme, event.period, d.provider_id)] = {d.listed, d.weighted_listed};
            } else if constexpr (std::is_same_v<T, EntryReversed>) {
                // The store keeps only the events a batch refers to; the rest are in PostgreSQL.
                if (const auto target = events.find(d.reverses); target != events.end()) target->second.reversed = true;
            } else if constexpr (std::is_same_v<T, PeriodClosed>) {
                std::string& through = closed_through[event.scheme];
                through = std::max(through, event.period);
            }
        },
        event.data);
}

}  // namespace likvard
