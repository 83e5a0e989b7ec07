// The event contract (docs/contract.md, version 1) as C++ values: the event types, the rejection
// reasons in one place, and the decoder that turns raw bytes into a validated event or a
// rejection naming the field. Validation rules live in schemas/events/ (JSON Schema).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "money/money.hpp"

namespace likvard {

// ---- Rejection reasons: the one place that knows each code and its text. ----
enum class Reason {
    too_large,
    malformed_json,
    unknown_type,
    unsupported_schema_version,
    schema_violation,
    unknown_party,
    wrong_side,
    amount_mismatch,
    reversal_invalid,
    period_closed,
    duplicate_conflict,
};
inline constexpr std::size_t reason_count = 11;
std::string_view reason_code(Reason reason);
std::string_view reason_description(Reason reason);
std::optional<Reason> reason_from_code(std::string_view code);
const std::array<Reason, reason_count>& all_reasons();

struct Rejection {
    Reason reason;
    std::string message;            // starts with the JSON pointer of the field, e.g. "/data/amount: ..."
    std::string to_string() const;  // "<reason_code>: <message>"
};

// Text as PostgreSQL (and every reader) can hold it: valid UTF-8 passes unchanged, the
// character U+0000 becomes the six characters \u0000 and a byte that is not part of valid
// UTF-8 (e.g. a character cut in two by a shortened quote) becomes \xNN. Rejection
// messages and the ids they name quote what was received; the received bytes themselves
// are kept unchanged beside them.
std::string storable_text(std::string_view text);

// ---- Event types ----
enum class EventType {
    party_registered,
    party_retired,
    listing_recorded,
    budget_set,
    payment_made,
    overhead_compensated,
    internal_charge_booked,
    shared_cost_incurred,
    commitment_cost_incurred,
    appropriation_granted,
    service_purchased,
    entry_reversed,
    period_closed,
};
inline constexpr std::size_t event_type_count = 13;
std::string_view type_name(EventType type);
std::optional<EventType> type_from_name(std::string_view name);
const std::array<EventType, event_type_count>& all_event_types();
// Financial events are money facts that derive postings and may be reversed (a reversal
// derives postings too, but cannot itself be reversed).
bool is_financial(EventType type);

enum class Kind { provider, organisation, vendor };
enum class Side { region_run, private_provider, purchaser, central, external };
std::string_view kind_name(Kind kind);
std::string_view side_name(Side side);
std::optional<Kind> kind_from_name(std::string_view name);
std::optional<Side> side_from_name(std::string_view name);

struct PartyRegistered {
    std::string party_id;
    std::string name;
    Kind kind = Kind::provider;
    Side side = Side::external;
    std::optional<std::string> provider_type;
    std::optional<std::string> area;
};
struct PartyRetired {
    std::string party_id;
};
struct ListingRecorded {
    std::string provider_id;
    std::int64_t listed = 0;
    Decimal4 weighted_listed;
};
// Exactly one of party_id and side; `line` is a money column of the neutrality statement
// or "commitment:<commitment>"; amount >= 0. The last one per key wins (store/reads.hpp).
struct BudgetSet {
    std::optional<std::string> party_id;
    std::optional<Side> side;  // region_run or private
    std::string line;
    Money amount;
};
struct PaymentMade {
    std::string payer_id;
    std::string provider_id;
    std::string component;
    std::optional<std::string> detail;
    Money amount;
};
struct OverheadCompensated {
    std::string payer_id;
    std::string provider_id;
    std::string category;
    Money amount;
};
struct InternalChargeBooked {
    std::string charged_by;
    std::string party_id;
    std::string category;
    Money amount;
};
struct PaidShare {
    std::string party_id;
    Decimal4 share;
};
struct Allocation {
    std::string key;  // equal, listed, weighted_listed, users, fixed
    bool all_providers = false;
    std::vector<std::string> beneficiaries;                 // when !all_providers
    std::vector<std::pair<std::string, Decimal4>> weights;  // users and fixed
    std::optional<std::string> basis;                       // what the key rests on, in words
    bool estimate = false;                                  // the key is an estimate, not a measurement
};
struct SharedCostIncurred {
    std::string service;
    std::string vendor_id;
    Money amount;
    std::vector<PaidShare> paid_by;
    Allocation allocation;
};
struct CommitmentCostIncurred {
    std::string commitment;
    std::string borne_by;
    Money amount;
    std::optional<Decimal4> fte;
    std::optional<std::string> description;
};
struct AppropriationGranted {
    std::string granted_by;
    std::string party_id;
    std::string purpose;
    Money amount;
};
struct ServicePurchased {
    std::string seller_id;
    std::string buyer_id;
    std::string service;
    std::int64_t quantity = 0;
    Money unit_price;
    Money amount;
};
struct EntryReversed {
    std::string reverses;  // lower-case event id
    std::string reason;
};
struct PeriodClosed {};

using EventData = std::variant<PartyRegistered, PartyRetired, ListingRecorded, BudgetSet, PaymentMade,
                               OverheadCompensated, InternalChargeBooked, SharedCostIncurred, CommitmentCostIncurred,
                               AppropriationGranted, ServicePurchased, EntryReversed, PeriodClosed>;

struct Event {
    std::string event_id;  // lower case: the idempotency key
    EventType type = EventType::period_closed;
    std::string region;
    std::string scheme;
    std::string period;       // YYYY-MM
    std::string occurred_on;  // YYYY-MM-DD
    std::string source_system;
    std::string source_reference;
    std::optional<std::string> decision_ref;
    EventData data;
    std::string canonical;  // canonical bytes (docs/auditing.md, "The canonical event")
};

struct DecodeResult {
    std::optional<Event> event;
    std::optional<Rejection> rejection;
    std::string event_id;  // as far as it could be read ("" when not), also for rejections
};

inline constexpr std::size_t event_bytes_max = 64 * 1024;

// Decodes and validates one message: size, JSON, type, schema version, JSON Schema of the
// envelope and of the type's data, then the few rules JSON Schema cannot say (calendar
// dates, amounts > 0). Parties, sides, arithmetic, reversals, periods and idempotency
// need the ledger's state and are checked by rules/. Not thread-safe (one per thread).
class Decoder {
public:
    Decoder();
    ~Decoder();
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    DecodeResult decode(std::string_view bytes);

private:
    struct Schemas;
    std::unique_ptr<Schemas> schemas_;
};

// An event read back from the ledger. Its bytes passed the schemas when it was appended and
// are covered by the hash chain (likvard verify re-checks both), so they are parsed without
// validating them again, several times faster. nullopt if they do not make an event.
std::optional<Event> decode_stored(std::string_view canonical);

// The allocation member of a stored shared-cost event, as its bytes hold it (the object
// under data.allocation): kept by the projections so that statements need not decode
// whole events. nullopt if the bytes do not make an allocation.
std::optional<Allocation> decode_stored_allocation(std::string_view json);

// The embedded copies of schemas/events/*.schema.json, by file name.
std::vector<std::pair<std::string, std::string_view>> embedded_event_schemas();

// SHA-256 of bytes, as 32 raw bytes and as lower-case hex.
std::array<unsigned char, 32> sha256(std::string_view bytes);
std::string to_hex(const unsigned char* data, std::size_t size);

}  // namespace likvard
