// The append-only, hash-chained ledger in PostgreSQL: the one append path every entry
// point uses (file, Kafka, HTTP), migrations, reads as of a sequence number, and the
// verifier that recomputes the chain and the postings.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "events/events.hpp"
#include "postings/postings.hpp"
#include "statements/statements.hpp"

#include <pqxx/connection.hxx>

namespace likvard {

using Hash = std::array<unsigned char, 32>;

// hash = SHA-256(prev_hash || canonical bytes); the genesis prev_hash is 32 zero bytes.
Hash chain_hash(const Hash& prev, std::string_view canonical);
std::string hash_hex(const Hash& hash);

// Where an input came from, kept with its event or rejection.
struct Source {
    enum class Kind { file, kafka, http };
    Kind kind = Kind::file;
    std::string file;             // file: path; kafka: topic; http: peer address
    std::int64_t line = 0;        // file: line number
    std::int32_t partition = -1;  // kafka
    std::int64_t offset = -1;     // kafka
};

struct Incoming {
    std::string bytes;
    Source source;
};

// The next offset of a Kafka partition, written in the same transaction as its events.
struct ConsumerOffset {
    std::string consumer_group;
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset_next = 0;
    // The first offset of the partition's messages in the batch (-1: offset_next - 1). The
    // batch is refused when the stored offset is past it: those messages are written already.
    std::int64_t offset_first = -1;
};

// Thrown by append when a partition's stored offset is past the batch's first offset of it:
// another writer already wrote those messages (the partition's new owner after a rebalance,
// while this member had not yet learnt that it lost it), or an earlier attempt of this very
// batch committed and its answer was lost. Nothing of the batch is written; the consumer
// reads on from the stored offset. The stored offset never moves backwards.
struct OffsetBehind : std::runtime_error {
    OffsetBehind(const ConsumerOffset& offset, std::int64_t offset_stored);
    ConsumerOffset offset;
    std::int64_t offset_stored = 0;
};

enum class Outcome { appended, duplicate, rejected };

struct ItemResult {
    Outcome outcome = Outcome::rejected;
    std::string event_id;  // as far as it could be read
    std::string region;
    std::int64_t seq = 0;  // appended: its seq; duplicate: the seq it already has (0 if in this batch)
    std::optional<Rejection> rejection;
};

struct AppendResult {
    std::vector<ItemResult> items;  // one per input, in input order
    std::size_t appended = 0;
    std::size_t duplicates = 0;
    std::size_t rejected = 0;
};

// Which kept rejections `replay_rejections` takes: those not replayed yet, optionally of
// one region, some reasons, received at or after a time (RFC 3339 or YYYY-MM-DD).
struct ReplayFilter {
    std::optional<std::string> region;
    std::vector<Reason> reasons;  // empty: every reason
    std::optional<std::string> since;
    bool dry_run = false;
};

struct ReplayedRejection {
    std::int64_t rejection_id = 0;
    std::string received_at;      // as PostgreSQL prints it
    std::string original_reason;  // the reason it was kept with
    ItemResult result;            // what the append path did with it now
};

struct ReplayReport {
    std::size_t appended = 0;
    std::size_t duplicates = 0;
    std::size_t rejected_again = 0;
};

struct Head {
    std::int64_t seq = 0;  // 0: no events yet
    Hash hash{};
};

// A read asked for a region, or a region and scheme, of which the ledger has no event:
// an answer of zeros would look like a real statement, so it is an error instead.
struct LedgerScopeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One connection and the writer's cached view of each region. Not thread-safe.
class Store {
public:
    // Connects to `url` (libpq connection string) as the role it names, likvard_app to append
    // or likvard_reader to read (docs/operating.md, "Roles"); warns on stderr when that role
    // is a superuser or the owner (sql::warn_if_privileged).
    explicit Store(const std::string& url);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // The one append path: decode, then in ONE transaction lock each region named
    // (advisory lock, ascending), check against the stored ledger, assign seq, chain the
    // hashes, COPY events, postings and rejections, write `offsets` (only forward), commit.
    // Throws OffsetBehind when an offset's partition was written past the batch's start, and
    // on database errors (nothing of the batch is then written).
    AppendResult append(const std::vector<Incoming>& batch, const std::vector<ConsumerOffset>& offsets = {});

    // The same path with the pure decoding done beforehand (e.g. on another thread, with
    // that thread's Decoder, while this one writes the previous batch). `decoded[i]` must
    // be the decoding of `batch[i]`.
    AppendResult append_decoded(const std::vector<Incoming>& batch, const std::vector<DecodeResult>& decoded,
                                const std::vector<ConsumerOffset>& offsets = {});

    // The head of a region's chain, optionally as of a sequence number.
    Head head(const std::string& region, std::optional<std::int64_t> as_of_seq = std::nullopt);
    std::vector<std::string> regions();

    // Throws LedgerScopeError, naming what the ledger has, when it holds no event of the
    // region (or, with a scheme, of that region and scheme). Cheap when the region and
    // scheme exist; listing the schemes a region has instead reads all its events.
    void require_scope(const std::string& region, const std::optional<std::string>& scheme = std::nullopt);

    // What a statement reads (statements/), as of a sequence number (default: the head);
    // `parts` leaves out what the statement at hand does not read.
    LedgerSlice read_slice(const std::string& region, const std::string& scheme, const std::string& from,
                           const std::string& to, std::optional<std::int64_t> as_of_seq = std::nullopt,
                           SliceParts parts = {});
    // The weights of the slice's invoices whose key is an estimate (read elsewhere: the
    // projections): every provider's last weighted listing in the invoice's month up to
    // slice.as_of_seq. Nothing to read, no transaction, when no key is an estimate.
    void weigh_estimated_invoices(LedgerSlice& slice);
    // What the events after `after_seq` up to `as_of_seq` (at most the head) add to a slice,
    // in one snapshot: the statements as of a seq from the projections' blocks read the rest.
    // `parties` are those registered up to after_seq (the range's shared costs need their
    // sides); the result holds them and the range's. as_of_seq and as_of_hash are the range's end.
    LedgerSlice read_slice_after(const std::string& region, const std::string& scheme, const std::string& from,
                                 const std::string& to, std::int64_t after_seq, std::int64_t as_of_seq,
                                 std::map<std::string, SliceParty> parties, SliceParts parts = {});

    // Writes the region's postings as an hledger journal (one transaction per event) up to
    // as_of_seq; returns the seq it stopped at. `on_progress(done, total)` is called after
    // each chunk of events with the seqs written so far and the seq it stops at.
    std::int64_t export_hledger(const std::string& region, std::optional<std::int64_t> as_of_seq, std::ostream& out,
                                const std::function<void(std::int64_t, std::int64_t)>& on_progress = {});

    // Sends kept rejections through the one append path again, in the order they were
    // received, each batch in one transaction that also records every rejection of it as
    // replayed (so the next replay skips it). A rejection the rules refuse again is kept
    // again, as a new rejection with the new reason. With `filter.dry_run` every batch is
    // rolled back: the report says what would happen, nothing is written. `on_item` is
    // called for each rejection in order, after its batch.
    ReplayReport replay_rejections(const ReplayFilter& filter,
                                   const std::function<void(const ReplayedRejection&)>& on_item = {});

    // Stored next offsets of a consumer group (topic, partition) -> offset.
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> consumer_offsets(const std::string& group);

    // False once the server dropped the connection (a pool then opens a new one).
    bool connected();

private:
    friend pqxx::connection& store_connection(Store& store);  // store/connection.hpp

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Decodes every input of a batch (pure; one Decoder per thread).
std::vector<DecodeResult> decode_batch(const std::vector<Incoming>& batch, Decoder& decoder);

// ---- migrations ----
struct MigrationReport {
    std::vector<std::string> applied;        // names applied by this run
    std::vector<std::string> already;        // names found applied with a matching checksum
    bool projection_layout_created = false;  // the schema projection was (re)created, empty
};
// As the owner (`url`): creates the login roles likvard_app, likvard_projector and
// likvard_reader or gives existing ones exactly their attributes (docs/operating.md,
// "Roles"), applies the embedded schemas/sql migrations not yet applied, each in its own
// transaction under a lock, and creates the schema projection from this program's layout when it is missing or
// from another layout; throws if an applied migration's checksum changed.
MigrationReport migrate(const std::string& url);
std::vector<std::pair<std::string, std::string_view>> embedded_migrations();

// ---- verification ----
struct RegionVerification {
    std::string region;
    bool ok = true;
    std::int64_t head_seq = 0;
    Hash head_hash{};
    std::int64_t events = 0;
    std::int64_t bad_seq = 0;  // first bad seq when !ok
    std::string problem;       // what is wrong at bad_seq
};
// Recomputes each region's chain from genesis (up to as_of_seq), checks seq has no gaps,
// every event's canonical bytes decode, and its stored postings equal the re-derived ones
// and sum to zero. Stops a region at its first problem.
std::vector<RegionVerification> verify(const std::string& url, const std::optional<std::string>& region,
                                       std::optional<std::int64_t> as_of_seq = std::nullopt);

}  // namespace likvard
