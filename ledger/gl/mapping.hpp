// The mapping file and the party map (docs/reconciling.md): what finance staff keep in a
// spreadsheet to say which rows of the region's general ledger are which ledger events, and
// which party a cost-centre object is. Pure: parse_mapping and parse_party_map take the
// file's text and return the rules or every error with its line and column; match_row
// applies the rules to one GL row.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/events.hpp"
#include "gl/gl.hpp"
#include "sie/sie.hpp"

namespace likvard::gl {

inline constexpr std::size_t account_digits_max = 10;  // SIE account numbers: digits

// Something wrong in a mapping or party map: the line and column (1-based; column 0: the
// whole line, line 0: the whole file) and the column's name from the header row.
struct MappingError {
    std::size_t line = 0;
    std::size_t column = 0;
    std::string column_name;
    std::string message;
    // "line 4, column 3 (sign): ..." / "line 4: ..." / "...".
    std::string to_string() const;
};

enum class Sign { debit, credit };  // debit: a positive SIE amount, credit: a negative one
std::string_view sign_name(Sign sign);

// A party of an event: a fixed party id, or (dimension > 0) the party the row's object of
// that dimension stands for in the party map (`object:1`).
struct PartyRef {
    std::string party_id;
    int dimension = 0;
    bool from_object() const { return dimension > 0; }
    std::string to_string() const;  // "hc-are" or "object:1"
};

// A condition on one dimension of a row's objects: `1=2150`, or `1=*` (any object).
struct ObjectCondition {
    int dimension = 0;
    std::optional<std::string> object;  // nullopt: any object of the dimension
};

// What a row of the mapping makes of a GL row: one event of `type`.
struct EventTemplate {
    EventType type = EventType::payment_made;
    std::string scheme;
    std::optional<std::string> decision_ref;
    std::map<std::string, std::string>
        values;  // component, category, commitment, purpose, service, detail, allocation_key
    std::map<std::string, PartyRef> parties;  // payer_id, provider_id, ... as the type names them
};

struct MappingRow {
    std::size_t line = 0;
    std::string account_low, account_high;  // digits; the same for one account
    std::vector<ObjectCondition> objects;
    std::optional<std::string> series;
    std::optional<Sign> sign;            // required for an event; on `ignore` none means either sign
    std::optional<EventTemplate> event;  // nullopt: `ignore`

    bool matches(const sie::Verification& verification, const sie::TransRow& row) const;
    std::string account_text() const;  // "4511" or "4510-4519"
};

struct Mapping {
    std::vector<MappingRow> rows;  // in file order: the first that matches wins
    bool uses_objects() const;     // some party is `object:<dim>`
};

// The ledger account a GL row of `sign` stands for under an event row: the debit posting of
// the event (its first party's expense) or its credit posting (the second party's income;
// the bearer's settlement for commitment.cost_incurred). `party_field` names the event's
// field that holds the party.
struct StoodFor {
    std::string party_field;
    ChartAccount account;
};
StoodFor stood_for(const EventTemplate& event, Sign sign);

// One row of the party map: an object (or none: a party no object stands for, e.g. the
// purchaser) and the party.registered fields of its party.
struct PartyEntry {
    std::size_t line = 0;
    std::optional<sie::ObjectRef> object;
    PartyRegistered party;
};

struct PartyMap {
    std::vector<PartyEntry> entries;                  // in file order
    std::map<sie::ObjectRef, std::size_t> by_object;  // -> entries index
    std::map<std::string, std::size_t> by_party;      // party_id -> its first entry

    const PartyEntry* of_object(int dimension, const std::string& object) const;
    const PartyEntry* of_party(const std::string& party_id) const;
};

// Either the parsed file or every error found in it (never both: a file with an error is
// not used at all).
template <typename T>
struct Parse {
    std::optional<T> value;
    std::vector<MappingError> errors;
};

Parse<Mapping> parse_mapping(std::string_view text);
Parse<PartyMap> parse_party_map(std::string_view text);

// Errors of a mapping used with a party map: a mapping row that takes a party from an
// object needs a party map; a fixed party named in the mapping is fine without one.
std::vector<MappingError> check_against(const Mapping& mapping, const PartyMap* party_map);

// What the mapping makes of one booked GL row.
struct RowMatch {
    enum class Outcome { event, ignored, unmatched };
    Outcome outcome = Outcome::unmatched;
    const MappingRow* rule = nullptr;            // the row that matched (also when its sign does not fit)
    std::map<std::string, std::string> parties;  // event: party field -> party_id
    std::string why;                             // unmatched: why, in words (English: logs, CSV, JSON)
    std::string why_sv;                          // the same in Swedish, for the reports finance staff read
    // Unmatched only for its sign: the rule is an event row of the other sign and the
    // parties are known (in `parties`). Import never makes an event of it; reconciliation
    // sums it, signed, on the key the rule stands for (a correction of that account).
    bool opposite_sign = false;
};

// The first mapping row that matches the row decides; its sign must fit and every party it
// takes from an object must be in the party map (else unmatched, saying why).
RowMatch match_row(const Mapping& mapping, const PartyMap* party_map, const sie::Verification& verification,
                   const sie::TransRow& row);

}  // namespace likvard::gl
