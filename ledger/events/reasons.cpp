// The rejection reasons of EVENTS.md: code and description, in the order the checks run.
#include "events/events.hpp"

namespace likvard {
namespace {

struct ReasonRow {
    Reason reason;
    std::string_view code;
    std::string_view description;
};

constexpr std::array<ReasonRow, reason_count> reason_table{{
    {Reason::too_large, "too_large", "the message is larger than 64 KiB"},
    {Reason::malformed_json, "malformed_json", "not JSON, or not valid UTF-8"},
    {Reason::unknown_type, "unknown_type", "the type is not an event type of the contract"},
    {Reason::unsupported_schema_version, "unsupported_schema_version", "the schema version is not supported"},
    {Reason::schema_violation, "schema_violation", "a field breaks the event's JSON Schema"},
    {Reason::unknown_party, "unknown_party", "a named party is not registered (or retired) in the region"},
    {Reason::wrong_side, "wrong_side", "a named party has the wrong side or kind for its role"},
    {Reason::amount_mismatch, "amount_mismatch", "amounts, shares or weights do not add up"},
    {Reason::reversal_invalid, "reversal_invalid", "the reversed event is unknown, not financial or already reversed"},
    {Reason::period_closed, "period_closed", "the event's period is closed for its region and scheme"},
    {Reason::duplicate_conflict, "duplicate_conflict", "a known event id (or party id) arrived with other content"},
}};

}  // namespace

std::string_view reason_code(Reason reason) { return reason_table[static_cast<std::size_t>(reason)].code; }

std::string_view reason_description(Reason reason) {
    return reason_table[static_cast<std::size_t>(reason)].description;
}

std::optional<Reason> reason_from_code(std::string_view code) {
    for (const auto& row : reason_table)
        if (row.code == code) return row.reason;
    return std::nullopt;
}

const std::array<Reason, reason_count>& all_reasons() {
    static const std::array<Reason, reason_count> reasons = [] {
        std::array<Reason, reason_count> out{};
        for (std::size_t i = 0; i < reason_count; ++i) out[i] = reason_table[i].reason;
        return out;
    }();
    return reasons;
}

std::string Rejection::to_string() const { return std::string(reason_code(reason)) + ": " + message; }

}  // namespace likvard
