// Names of event types, party kinds and sides exactly as the contract spells them.
#include "events/events.hpp"

namespace likvard {
namespace {

constexpr std::array<std::string_view, event_type_count> type_names{
    "party.registered",
    "party.retired",
    "listing.recorded",
    "budget.set",
    "payment.made",
    "overhead.compensated",
    "internal_charge.booked",
    "shared_cost.incurred",
    "commitment.cost_incurred",
    "appropriation.granted",
    "service.purchased",
    "entry.reversed",
    "period.closed",
};
constexpr std::array<std::string_view, 3> kind_names{"provider", "organisation", "vendor"};
constexpr std::array<std::string_view, 5> side_names{"region_run", "private", "purchaser", "central", "external"};

template <typename Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<Enum>(i);
    return std::nullopt;
}

}  // namespace

std::string_view type_name(EventType type) { return type_names[static_cast<std::size_t>(type)]; }
std::optional<EventType> type_from_name(std::string_view name) { return find_name<EventType>(type_names, name); }

const std::array<EventType, event_type_count>& all_event_types() {
    static const std::array<EventType, event_type_count> types = [] {
        std::array<EventType, event_type_count> out{};
        for (std::size_t i = 0; i < event_type_count; ++i) out[i] = static_cast<EventType>(i);
        return out;
    }();
    return types;
}

bool is_financial(EventType type) {
    switch (type) {
        case EventType::payment_made:
        case EventType::overhead_compensated:
        case EventType::internal_charge_booked:
        case EventType::shared_cost_incurred:
        case EventType::commitment_cost_incurred:
        case EventType::appropriation_granted:
        case EventType::service_purchased: return true;
        default: return false;
    }
}

std::string_view kind_name(Kind kind) { return kind_names[static_cast<std::size_t>(kind)]; }
std::string_view side_name(Side side) { return side_names[static_cast<std::size_t>(side)]; }
std::optional<Kind> kind_from_name(std::string_view name) { return find_name<Kind>(kind_names, name); }
std::optional<Side> side_from_name(std::string_view name) { return find_name<Side>(side_names, name); }

}  // namespace likvard
