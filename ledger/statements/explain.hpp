// The drill-down of one figure of a statement (docs/statements.md, F): which postings, and
// for per-capita figures and averages which listings, make it, and how it is computed from
// them. Pure: the postings and listings are read by store/ (figure_postings, figure_listings);
// which accounts feed which column is the statements' own table (columns.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "statements/statements.hpp"

namespace likvard {

// One booked posting with its event (what the store reads for a figure).
struct FigurePosting {
    std::int64_t seq = 0, line = 0;
    std::string event_id, type, period, source_system, source_reference;
    std::optional<std::string> decision_ref, reverses;  // reverses: the event an entry.reversed negates
    std::string party, account_class, item;
    std::int64_t amount = 0;  // öre, as booked: debit positive
};

// One event behind a figure that is not a sum of postings (a commitment's fte, the decision
// references): its source and decision, and for commitment costs (and their reversals) the
// commitment and the fte as the statement counts it (a reversal's negated).
struct FigureEvent {
    std::int64_t seq = 0;
    std::string event_id, type, period, source_system, source_reference;
    std::optional<std::string> decision_ref, reverses;
    std::optional<std::string> commitment, fte;
};

// The last listing of a month and provider, as the statements count it.
struct FigureListing {
    std::int64_t seq = 0;
    std::string event_id, period, provider_id, listed, weighted_listed, source_system, source_reference;
};

// An account a figure sums: a class and an item (or every item with that prefix), of the
// parties named (none: any party), in the months given (none: every month of the range),
// each posting counted as sign × its amount.
struct FigureAccount {
    std::string account_class, item;
    bool prefix = false;
    int sign = 1;
    std::vector<std::string> parties;  // sorted
    std::optional<std::string> month;
};

enum class FigureKind {
    sum,                      // Σ sign × amount of the postings
    per_weighted_listed,      // Σ × 12 × 10,000 / Σ over the months of weighted_listed (1/10,000)
    listed_average,           // Σ over the months of listed / months
    weighted_listed_average,  // Σ over the months of weighted_listed / months
    share_of_total,           // Σ × 100 / the total's Σ, in percent
    fte_average,              // Σ of the events' fte / the months that carry one (4 decimals)
    decision_refs,            // the distinct decision references of the events, sorted, joined by ", "
    decision_events,          // the events citing one decision reference: the figure is the reference
};

struct FigureSelection {
    std::string statement, table, row, column;
    FigureKind kind = FigureKind::sum;
    std::vector<FigureAccount> accounts;        // the figure's postings
    std::vector<FigureAccount> total_accounts;  // share_of_total: the denominator's postings
    std::vector<std::string> listing_parties;   // per_weighted_listed and the averages
    std::optional<std::string> figure;          // the statement's cell; nullopt: blank
    // fte_average and decision_refs: the commitment events (slice.commitment_events) counted;
    // decision_events: the reference whose events the store reads.
    std::vector<std::int64_t> event_seqs;
    std::optional<std::string> decision_ref = std::nullopt;
};

// An unknown row or column: `field` is "row" or "column".
struct FigureProblem {
    std::string field, message;
};

// Rows: neutrality `PARTY`, `subtotal:region_run|private`, `total` (table rows);
// commitments `commitment:VALUE`, `total` (table commitments), `service:NAME` (table services);
// either statement `decision:REF` with column `events` (the statement's decision_refs).
std::variant<FigureSelection, FigureProblem> select_figure(const LedgerSlice& slice, const Document& document,
                                                           const std::string& row, const std::string& column);

struct ExplainedPosting {
    FigurePosting posting;
    __int128 counted = 0;  // öre, as the figure counts it
};

struct Explanation {
    std::string region, scheme, from, to, as_of_hash;
    std::int64_t as_of_seq = 0;
    std::size_t months = 0;
    FigureSelection selection;
    std::vector<ExplainedPosting> postings;  // in (seq, line) order
    __int128 postings_sum = 0;
    __int128 total_sum = 0;  // share_of_total only
    std::vector<FigureListing> listings;
    __int128 listed_sum = 0, weighted_sum = 0;  // weighted in 1/10,000
    std::optional<std::string> computed;        // the figure as computed from the lines; nullopt: blank
    std::vector<FigureEvent> events;            // fte_average, decision_refs, decision_events: in seq order
    __int128 fte_sum = 0;                       // fte_average: 1/10,000
    std::size_t fte_months = 0;                 // fte_average: the months that carry an fte
};

// The union of the selection's accounts and parties, for the store's read.
struct FigureRead {
    std::vector<std::string> parties;  // empty: any party
    std::vector<FigureAccount> accounts;
    bool listings = false;
    std::vector<std::int64_t> event_seqs;     // the events to read by seq
    std::optional<std::string> decision_ref;  // the events citing it to read
};
FigureRead figure_read(const FigureSelection& selection);

// Keeps the postings the selection counts (those read may be more) and computes the figure;
// `events` are the selection's events as read (their fte taken from the slice).
Explanation explain_figure(const LedgerSlice& slice, const FigureSelection& selection,
                           std::span<const FigurePosting> postings, std::span<const FigureListing> listings,
                           std::span<const FigureEvent> events = {});

std::string render_explanation_json(const Explanation& explanation);
std::string render_explanation_text(const Explanation& explanation);

}  // namespace likvard
