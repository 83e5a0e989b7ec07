// Parties and sides: every party an event names must be registered in the region, have
// the kind and side its role demands, and not be retired when it receives.
#include <optional>

#include "rules/rules.hpp"
#include "rules/detail/roles.hpp"

namespace likvard {
namespace {

constexpr unsigned kind_bit(Kind kind) { return 1u << static_cast<unsigned>(kind); }
constexpr unsigned side_bit(Side side) { return 1u << static_cast<unsigned>(side); }

constexpr unsigned any_kind = 0b111;
constexpr unsigned any_side = 0b11111;
constexpr unsigned provider = kind_bit(Kind::provider);
constexpr unsigned provider_or_organisation = provider | kind_bit(Kind::organisation);
constexpr unsigned payers = side_bit(Side::purchaser) | side_bit(Side::central);
constexpr unsigned not_external = any_side & ~side_bit(Side::external);

std::string allowed_text(unsigned kinds, unsigned sides) {
    std::string text;
    if (kinds != any_kind) {
        text += "kind ";
        for (unsigned i = 0; i < 3; ++i)
            if (kinds & (1u << i))
                text += std::string(text.back() == ' ' ? "" : " or ") + std::string(kind_name(Kind(i)));
    }
    if (sides != any_side) {
        text += text.empty() ? "side " : ", side ";
        bool first = true;
        for (unsigned i = 0; i < 5; ++i)
            if (sides & (1u << i)) {
                text += std::string(first ? "" : " or ") + std::string(side_name(Side(i)));
                first = false;
            }
    }
    return text;
}

void add(std::vector<Role>& roles, std::string pointer, const std::string& id, unsigned kinds, unsigned sides,
         bool receiver) {
    roles.push_back({std::move(pointer), id, kinds, sides, receiver});
}

void shared_cost_roles(std::vector<Role>& roles, const SharedCostIncurred& s) {
    add(roles, "/data/vendor_id", s.vendor_id, any_kind, side_bit(Side::external), false);
    for (std::size_t i = 0; i < s.paid_by.size(); ++i)
        add(roles, "/data/paid_by/" + std::to_string(i) + "/party_id", s.paid_by[i].party_id, any_kind, not_external,
            false);
    for (std::size_t i = 0; i < s.allocation.beneficiaries.size(); ++i)
        add(roles, "/data/allocation/beneficiaries/" + std::to_string(i), s.allocation.beneficiaries[i], provider,
            any_side, true);
    for (const auto& [id, weight] : s.allocation.weights)
        add(roles, "/data/allocation/weights/" + id, id, provider, any_side, false);
}

}  // namespace

std::vector<Role> party_roles(const Event& event) {
    std::vector<Role> roles;
    std::visit(
        [&](const auto& d) {
            using T = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<T, PartyRetired>) {
                add(roles, "/data/party_id", d.party_id, any_kind, any_side, true);
            } else if constexpr (std::is_same_v<T, ListingRecorded>) {
                add(roles, "/data/provider_id", d.provider_id, provider, any_side, true);
            } else if constexpr (std::is_same_v<T, BudgetSet>) {
                if (d.party_id) add(roles, "/data/party_id", *d.party_id, provider_or_organisation, any_side, true);
            } else if constexpr (std::is_same_v<T, PaymentMade>) {
                add(roles, "/data/payer_id", d.payer_id, any_kind, payers, false);
                add(roles, "/data/provider_id", d.provider_id, provider, any_side, true);
            } else if constexpr (std::is_same_v<T, OverheadCompensated>) {
                add(roles, "/data/payer_id", d.payer_id, any_kind, payers, false);
                add(roles, "/data/provider_id", d.provider_id, provider, side_bit(Side::private_provider), true);
            } else if constexpr (std::is_same_v<T, InternalChargeBooked>) {
                add(roles, "/data/charged_by", d.charged_by, any_kind, side_bit(Side::central), false);
                add(roles, "/data/party_id", d.party_id, any_kind, side_bit(Side::region_run), true);
            } else if constexpr (std::is_same_v<T, SharedCostIncurred>) {
                shared_cost_roles(roles, d);
            } else if constexpr (std::is_same_v<T, CommitmentCostIncurred>) {
                add(roles, "/data/borne_by", d.borne_by, any_kind, side_bit(Side::region_run), true);
            } else if constexpr (std::is_same_v<T, AppropriationGranted>) {
                add(roles, "/data/granted_by", d.granted_by, any_kind, payers, false);
                add(roles, "/data/party_id", d.party_id, any_kind, not_external, true);
            } else if constexpr (std::is_same_v<T, ServicePurchased>) {
                add(roles, "/data/seller_id", d.seller_id, provider, any_side, true);
                add(roles, "/data/buyer_id", d.buyer_id, provider | kind_bit(Kind::organisation), any_side, false);
            }
        },
        event.data);
    return roles;
}

std::optional<Rejection> check_role(const Role& role, const Event& event, const RegionState& state) {
    const auto found = state.parties.find(role.party_id);
    if (found == state.parties.end())
        return Rejection{Reason::unknown_party,
                         role.pointer + ": party \"" + role.party_id + "\" is not registered in " + event.region};
    const PartyInfo& party = found->second;
    if (role.receiver && party.retired_on && event.occurred_on >= *party.retired_on)
        return Rejection{Reason::unknown_party,
                         role.pointer + ": party \"" + role.party_id + "\" was retired on " + *party.retired_on};
    if (!(role.kinds & kind_bit(party.kind)) || !(role.sides & side_bit(party.side)))
        return Rejection{Reason::wrong_side, role.pointer + ": party \"" + role.party_id + "\" is " +
                                                 std::string(kind_name(party.kind)) + " on side " +
                                                 std::string(side_name(party.side)) + ", this field needs " +
                                                 allowed_text(role.kinds, role.sides)};
    return std::nullopt;
}

}  // namespace likvard
