// The stored columns of an event and its postings, from the decoded canonical event.
#include "store/detail/columns.hpp"

namespace likvard::columns {
namespace {

std::optional<std::string_view> optional_text(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return std::string_view(*text);
}

}  // namespace

EventValues event_values(const Event& event) {
    const auto* reversal = std::get_if<EntryReversed>(&event.data);
    return {{
        {event.region},
        {event.event_id},
        {type_name(event.type)},
        {event.scheme},
        {event.period},
        {event.occurred_on},
        {optional_text(event.decision_ref)},
        {event.source_system},
        {event.source_reference},
        {reversal != nullptr ? std::optional<std::string_view>(reversal->reverses) : std::nullopt},
    }};
}

PostingValues posting_values(const Event& event, const Posting& posting, std::string& account) {
    account.assign(posting.party).append(":").append(posting.account_class).append(":").append(posting.item);
    return {{
        {event.region},
        {event.event_id},
        {event.scheme},
        {event.period},
        {account},
        {posting.party},
        {posting.account_class},
        {posting.item},
        {std::nullopt, posting.amount.ore()},
    }};
}

}  // namespace likvard::columns
