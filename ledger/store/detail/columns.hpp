// Internal to store/: the columns of ledger.events and ledger.postings whose values come
// from the canonical event. Append writes exactly these values and verify compares the
// stored ones with them, so that what statements read cannot drift from what is chained.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/events.hpp"
#include "postings/postings.hpp"

namespace likvard::columns {

enum class Type { text, uuid, date, bigint };

struct Spec {
    std::string_view name;
    Type type;
};

// A value of a column of that Spec's type: `text` for text, uuid (8-4-4-4-12 hex digits)
// and date (YYYY-MM-DD), no text being NULL; `number` for bigint.
struct Value {
    std::optional<std::string_view> text;
    std::int64_t number = 0;
};

inline constexpr std::array<Spec, 10> event_specs{{
    {"region", Type::text},
    {"event_id", Type::uuid},
    {"type", Type::text},
    {"scheme", Type::text},
    {"period", Type::text},
    {"occurred_on", Type::date},
    {"decision_ref", Type::text},
    {"source_system", Type::text},
    {"source_reference", Type::text},
    {"reverses", Type::uuid},  // entry.reversed only, NULL otherwise
}};
using EventValues = std::array<Value, event_specs.size()>;

// The values point into `event`.
EventValues event_values(const Event& event);

// Every column but `seq` and `line`, which number the postings (1..n within an event).
inline constexpr std::array<Spec, 9> posting_specs{{
    {"region", Type::text},
    {"event_id", Type::uuid},
    {"scheme", Type::text},
    {"period", Type::text},
    {"account", Type::text},  // <party>:<account_class>:<item>
    {"party", Type::text},
    {"account_class", Type::text},
    {"item", Type::text},
    {"amount", Type::bigint},  // öre
}};
using PostingValues = std::array<Value, posting_specs.size()>;

// The values point into `event`, `posting` and `account`, which is set to the posting's
// account name (a buffer the caller reuses from posting to posting).
PostingValues posting_values(const Event& event, const Posting& posting, std::string& account);

// The column names, comma-separated ("region, event_id, ...") for a SELECT list.
template <std::size_t N>
std::string select_list(const std::array<Spec, N>& specs) {
    std::string out;
    for (const Spec& spec : specs) out.append(out.empty() ? "" : ", ").append(spec.name);
    return out;
}

// `before`, the names of `specs`, then `after`: a column list for COPY.
template <std::size_t N>
std::vector<std::string> column_list(std::initializer_list<std::string_view> before, const std::array<Spec, N>& specs,
                                     std::initializer_list<std::string_view> after) {
    std::vector<std::string> out(before.begin(), before.end());
    for (const Spec& spec : specs) out.emplace_back(spec.name);
    out.insert(out.end(), after.begin(), after.end());
    return out;
}

}  // namespace likvard::columns
