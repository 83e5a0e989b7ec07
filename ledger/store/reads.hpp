// The named reads of the ledger that the HTTP API answers from: each one is one snapshot
// (REPEATABLE READ, read only), so a page and the position it is as of agree. Rows come
// back as plain values; what a caller shows of them is its own business.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "statements/explain.hpp"
#include "store/store.hpp"

namespace likvard {

// A time filter PostgreSQL cannot read as a timestamp (the text passed a form check).
struct InvalidTime : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct PartyRow {
    std::string canonical;  // the party.registered event's canonical bytes
    std::int64_t registered_seq = 0;
    std::optional<std::int64_t> retired_seq;  // the first party.retired of it, at or before as_of_seq
};
struct PartiesAsOf {
    std::int64_t as_of_seq = 0;
    std::vector<PartyRow> parties;  // in seq order
};

struct ListingFilter {
    std::optional<std::string> scheme, from, to;  // months YYYY-MM, inclusive
};
struct ListingRow {
    std::string scheme, period, provider_id, listed, weighted_listed;  // as the event holds them
    std::int64_t seq = 0;
};
struct ListingsAsOf {
    std::int64_t as_of_seq = 0;
    std::vector<ListingRow> listings;  // the last listing per scheme, month and provider
};

// budget.set: the key is (region, scheme, period, party or side, line); the last one wins.
struct BudgetRow {
    std::string period;
    std::optional<std::string> party_id;  // exactly one of party_id and side
    std::optional<std::string> side;
    std::string line;
    Money amount;
    std::int64_t seq = 0;
    std::string event_id;
};
struct BudgetsAsOf {
    std::int64_t as_of_seq = 0;
    std::vector<BudgetRow> budgets;  // the last per key; by period, then party (side budgets after), line
};

struct PostingRow {
    std::int64_t seq = 0, line = 0;
    std::string event_id, scheme, period, account, party, account_class, item;
    std::int64_t amount = 0;  // öre
};
struct PostingsAsk {
    std::optional<std::string> party, from, to;
    std::optional<std::int64_t> as_of;           // default: the head
    std::int64_t after_seq = 0, after_line = 0;  // the cursor: the last posting of the previous page
    std::int64_t limit = 0;
};
struct PostingsPage {
    std::int64_t as_of_seq = 0;
    std::vector<PostingRow> postings;  // in (seq, line) order, at most limit
};

struct StoredEvent {
    std::int64_t seq = 0;
    std::string type, canonical, recorded_at;
    Hash prev_hash{}, hash{};
    std::vector<PostingRow> postings;  // in line order
};

struct RejectionsAsk {
    std::optional<std::string> region;  // nullopt: every rejection, also those naming no region
    std::optional<std::string> since;   // a date or timestamp PostgreSQL reads
    std::int64_t after_id = 0, limit = 0;
};
struct RejectionRow {
    std::int64_t id = 0;
    std::string received_at, reason, message, source_kind;
    std::optional<std::string> region, event_id, source_file, source_line, kafka_topic, kafka_partition, kafka_offset,
        http_peer;
    std::int64_t raw_bytes = 0;
};

struct OffsetRow {
    std::string consumer_group, topic;
    std::int32_t partition = 0;
    std::int64_t offset_next = 0;
    std::string age_seconds;  // since the offset last moved, as PostgreSQL prints it
};

struct RejectionCount {
    std::string reason, source_kind;
    std::int64_t count = 0;
};

// The postings behind one figure of a statement (docs/auditing.md, "Tracing a figure"): of one
// region, scheme and months, up to as_of_seq, of the parties named (none named: any party)
// on the accounts named, each with its event's type, source and decision.
struct FigurePostingsAsk {
    std::string region, scheme, from, to;  // months YYYY-MM, inclusive
    std::int64_t as_of_seq = 0;
    std::vector<std::string> parties;     // empty: any party
    std::vector<FigureAccount> accounts;  // by class and item (or prefix); sign, parties, month are not read
};
std::vector<FigurePosting> figure_postings(Store& store, const FigurePostingsAsk& ask);  // in (seq, line) order
std::vector<FigureListing> figure_listings(Store& store, const FigurePostingsAsk& ask);  // by period, provider
// The events behind a figure that is not a sum of postings, in seq order: those of the region
// with the seqs named, and (decision_ref given) those of the region, scheme and months up to
// as_of_seq that cite it, budgets left out as the statements' decision_refs leave them out.
struct FigureEventsAsk {
    std::string region, scheme, from, to;
    std::int64_t as_of_seq = 0;
    std::vector<std::int64_t> seqs;
    std::optional<std::string> decision_ref;
};
std::vector<FigureEvent> figure_events(Store& store, const FigureEventsAsk& ask);

// The position a read is as of: `as_of` (at most the head), else the head.
PartiesAsOf parties_as_of(Store& store, const std::string& region, std::optional<std::int64_t> as_of);
ListingsAsOf listings_as_of(Store& store, const std::string& region, const ListingFilter& filter,
                            std::optional<std::int64_t> as_of);
// The budgets of the months from..to (YYYY-MM, inclusive) of one region and scheme as of
// `as_of_seq`, a position of the region's chain that the caller has read (a statement's).
BudgetsAsOf budgets(Store& store, const std::string& region, const std::string& scheme, const std::string& from,
                    const std::string& to, std::int64_t as_of_seq);
PostingsPage postings_page(Store& store, const std::string& region, const PostingsAsk& ask);
std::optional<StoredEvent> event_by_id(Store& store, const std::string& region, const std::string& event_id);
// Throws InvalidTime when PostgreSQL cannot read `since`.
std::vector<RejectionRow> rejections_page(Store& store, const RejectionsAsk& ask);
std::optional<std::string> rejection_raw(Store& store, std::int64_t id);
// The greatest seq of the region at or before `as_of` (default: the head); 0 without events.
std::int64_t head_position(Store& store, const std::string& region, std::optional<std::int64_t> as_of);
// A region's head as it stood at a moment (`likvard statement --as-of-time`): the last seq
// before the first event recorded (ledger.events.recorded_at) after `time`, or the head when
// none was. `time` is text PostgreSQL reads as a timestamptz (RFC 3339 passes); `time_utc`
// is the same moment in UTC, RFC 3339 with Z (fractions of a second only when given).
struct HeadAtTime {
    std::int64_t seq = 0;  // 0: no event was recorded by then (or the region has none)
    std::string time_utc;
    std::optional<std::string> first_recorded_at;  // the region's first event's, in UTC; nullopt: no events
};
// Throws InvalidTime when PostgreSQL cannot read `time`.
HeadAtTime head_at_time(Store& store, const std::string& region, const std::string& time);
// Stored next offsets of every consumer group, ordered by group, topic, partition.
std::vector<OffsetRow> stored_offsets(Store& store);
std::vector<RejectionCount> rejection_counts(Store& store);  // by reason, then entry point
std::vector<std::string> ingested_topics(Store& store, int topics_max);
// Throws when PostgreSQL does not answer.
void ping(Store& store);

}  // namespace likvard
