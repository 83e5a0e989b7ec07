// `likvard import sie` without its I/O: the booked rows of an SIE document through a mapping
// and a party map into ledger events (NDJSON lines of the event contract), the rows it
// cannot place, and the totals per account (docs/reconciling.md, "Importing"). Pure.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gl/mapping.hpp"

namespace likvard::gl {

// The namespace of every imported event id (docs/reconciling.md).
inline constexpr std::string_view import_namespace = "b17adfd4-f0c3-4dc9-a8b7-7ffa2c3f6e81";

// RFC 4122 version 5 (SHA-1) of `name` in `namespace_uuid` (8-4-4-4-12 hex), lower case.
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

struct ImportSpec {
    std::string region;
    std::set<std::string> ledger_parties;  // the parties the ledger has in the region
};

struct ImportedEvent {
    std::size_t line = 0;  // the SIE line of the row it comes from
    std::string event_id;
    std::string type;
    std::string json;  // one line of NDJSON, without the line end
};

struct UnmatchedRow {
    std::size_t line = 0;
    std::string series, number;
    sie::Date date;
    std::string account;
    std::string objects;  // as SIE writes them: {1 "2150"}
    Money amount;
    std::string text;
    std::string why;
};

struct AccountTotals {
    std::size_t rows = 0;
    Money total, mapped, ignored, unmatched;
};

struct ImportPlan {
    std::vector<ImportedEvent> events;  // in file order, each party.registered before its first use
    std::vector<UnmatchedRow> unmatched;
    std::map<std::string, AccountTotals> totals;  // by account: total = mapped + ignored + unmatched
    std::size_t rows_mapped = 0, rows_ignored = 0;
    std::size_t parties_registered = 0;
};

// The event name of a row (docs/reconciling.md): "<orgnr>|<fiscal year>|<series>|<number>|<row>".
std::string row_name(const sie::SieDocument& document, const sie::Verification& verification, std::size_t occurrence,
                     std::size_t row_index);

ImportPlan plan_import(const sie::SieDocument& document, const Mapping& mapping, const PartyMap* party_map,
                       const ImportSpec& spec);

// The unmatched rows as CSV (';', UTF-8, a header row) for the --unmatched file.
std::string unmatched_csv(const std::vector<UnmatchedRow>& rows);

}  // namespace likvard::gl
