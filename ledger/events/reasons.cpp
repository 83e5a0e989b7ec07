// The rejection reasons of the contract: code and description, in the order the checks run.
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
    {Reason::reversal_invalid, "reversal_invalid",
     "the reversed event is unknown, not financial, already reversed or of another scheme"},
    {Reason::period_closed, "period_closed", "the event's period is closed for its region and scheme"},
    {Reason::duplicate_conflict, "duplicate_conflict", "a known event id (or party id) arrived with other content"},
}};

// reason_code() indexes the table by the enum's value: each row must sit at its reason.
constexpr bool table_in_enum_order() {
    for (std::size_t i = 0; i < reason_table.size(); ++i)
        if (static_cast<std::size_t>(reason_table[i].reason) != i) return false;
    return true;
}
static_assert(table_in_enum_order(), "reason_table rows must follow the order of enum Reason");
static_assert(reason_table.front().reason == Reason::too_large &&
                  reason_table.back().reason == Reason::duplicate_conflict,
              "the checks run from too_large to duplicate_conflict (the contract's order)");

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

namespace {

// The length of the valid UTF-8 sequence at text[i], or 0 if none starts there.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xbf;  // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) low = 0xa0;   // no overlong forms
        if (lead == 0xed) high = 0x9f;  // no surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) low = 0x90;
        if (lead == 0xf4) high = 0x8f;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    if (byte(i + 1) < low || byte(i + 1) > high) return 0;
    for (std::size_t k = i + 2; k < i + length; ++k)
        if (byte(k) < 0x80 || byte(k) > 0xbf) return 0;
    return length;
}

}  // namespace

std::string storable_text(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\0') {
            out += "\\u0000";
            ++i;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            const auto byte = static_cast<unsigned char>(text[i]);
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 15];
            ++i;
            continue;
        }
        out.append(text, i, length);
        i += length;
    }
    return out;
}

}  // namespace likvard
