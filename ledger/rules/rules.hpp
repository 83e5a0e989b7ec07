// The ledger's rules that need its state: parties and sides, arithmetic, reversals,
// closed periods and idempotency (docs/contract.md, in that order). Pure: the state is a value
// that the file checker builds from earlier lines and the store loads from PostgreSQL.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <variant>
#include <vector>

#include "events/events.hpp"
#include "postings/postings.hpp"

namespace likvard {

struct PartyInfo {
    std::string party_id;
    Kind kind = Kind::provider;
    Side side = Side::external;
    std::string scheme;  // the scheme it was registered under (for "all_providers")
    std::optional<std::string> retired_on;
};

struct KnownEvent {
    std::array<unsigned char, 32> content_hash{};  // SHA-256 of the canonical bytes
    EventType type = EventType::period_closed;
    std::string scheme;  // a reversal must be in the scheme of the event it reverses
    bool reversed = false;
    std::vector<Posting> postings;  // kept for financial events (a reversal negates them)
};

struct ListingValue {
    std::int64_t listed = 0;
    Decimal4 weighted_listed;
};

// What the rules need to know about one region's ledger.
struct RegionState {
    std::map<std::string, PartyInfo, std::less<>> parties;
    std::map<std::string, std::string, std::less<>> closed_through;  // scheme -> last closed period
    // (scheme, period, provider) -> the last listing recorded.
    std::map<std::tuple<std::string, std::string, std::string>, ListingValue, std::less<>> listings;
    std::unordered_map<std::string, KnownEvent> events;  // by lower-case event id

    // Records an admitted event (its postings as derived by admit()).
    void apply(const Event& event, const std::vector<Posting>& postings);
};

struct Admitted {
    std::vector<Posting> postings;
};
struct Redelivery {};  // the same event id with byte-identical canonical content
using Admission = std::variant<Admitted, Redelivery, Rejection>;

// Checks one decoded event against the region's state and derives its postings.
Admission admit(const Event& event, const RegionState& state);

// The beneficiaries of a shared cost with their weights under its allocation key
// (ascending id), or why there is nothing to allocate by.
std::variant<std::vector<Weight>, Rejection> benefit_weights(const Event& event, const SharedCostIncurred& cost,
                                                             const RegionState& state);

// The providers that share a cost allocated to "all_providers": registered under the
// scheme and not retired before the period starts, by ascending id.
std::vector<std::string> active_providers(const RegionState& state, std::string_view scheme, std::string_view period);

}  // namespace likvard
