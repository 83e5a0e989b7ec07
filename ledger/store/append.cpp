// The one append path. A batch is decoded, then checked and written in ONE transaction:
// region locks, rules against the stored ledger, seq and hash chain, COPY of events,
// postings and rejections, the consumer offsets that came with it, commit.
#include <set>

#include "core/invariant.hpp"
#include "store/detail/columns.hpp"
#include "store/detail/region_cache.hpp"
#include "store/sql.hpp"
#include "store/store.hpp"
#include "store/detail/store_impl.hpp"

namespace likvard {
namespace {

// Thrown out of an optimistic batch (no lookups of known ids) that the rules rejected an
// event of: the batch is redone with every id looked up.
struct RedoWithEveryId {};

// The columns that come from the canonical event are those of columns.hpp, which verify
// compares with the canonical event again.
const std::vector<std::string> event_columns =
    columns::column_list({"seq"}, columns::event_specs,
                         {"canonical", "kafka_topic", "kafka_partition", "kafka_offset", "prev_hash", "hash"});
const std::vector<std::string> posting_columns = columns::column_list({"seq", "line"}, columns::posting_specs, {});
const std::vector<std::string> rejection_columns{"region",      "event_id",        "reason",       "message",
                                                 "raw",         "source_kind",     "source_file",  "source_line",
                                                 "kafka_topic", "kafka_partition", "kafka_offset", "http_peer"};
const std::vector<std::string> period_columns{"region", "scheme", "period", "closed_by_seq"};

bool from_kafka(const Source& source) { return source.kind == Source::Kind::kafka; }

// Event rows go out in pieces of about this size while the batch is still being checked.
constexpr std::size_t event_rows_sent_at_bytes = 256 * 1024;

void write_value(sql::BinaryRows& row, columns::Type type, const columns::Value& value) {
    if (type == columns::Type::bigint) {
        row.int64(value.number);
        return;
    }
    if (!value.text) {
        row.null();
        return;
    }
    switch (type) {
        case columns::Type::text: row.text(*value.text); return;
        case columns::Type::uuid: row.uuid(*value.text); return;
        case columns::Type::date: row.date(*value.text); return;
        case columns::Type::bigint: return;
    }
}

template <std::size_t N>
void write_values(sql::BinaryRows& row, const std::array<columns::Spec, N>& specs,
                  const std::array<columns::Value, N>& values) {
    for (std::size_t i = 0; i < N; ++i) write_value(row, specs[i].type, values[i]);
}

void add_event_rows(Writes& writes, const Event& event, const Incoming& in, std::int64_t seq, const Hash& prev,
                    const Hash& hash, const std::vector<Posting>& postings) {
    sql::BinaryRows& row = writes.event_rows;
    row.row(static_cast<int>(event_columns.size()));
    row.int64(seq);
    write_values(row, columns::event_specs, columns::event_values(event));
    row.bytea(event.canonical);
    if (from_kafka(in.source))
        row.text(in.source.file).int32(in.source.partition).int64(in.source.offset);
    else
        row.null().null().null();
    row.bytea(prev).bytea(hash);
    if (row.bytes().size() >= event_rows_sent_at_bytes) writes.events->send(row);
    for (std::size_t i = 0; i < postings.size(); ++i) {
        const Posting& p = postings[i];
        sql::BinaryRows& posting = writes.postings;
        posting.row(static_cast<int>(posting_columns.size()));
        posting.int64(seq).int32(static_cast<std::int32_t>(i + 1));
        write_values(posting, columns::posting_specs, columns::posting_values(event, p, writes.account));
    }
    if (event.type == EventType::period_closed) {
        writes.periods.row(static_cast<int>(period_columns.size()));
        writes.periods.text(event.region).text(event.scheme).text(event.period).int64(seq);
    }
}

std::string_view source_kind(Source::Kind kind) {
    switch (kind) {
        case Source::Kind::file: return "file";
        case Source::Kind::kafka: return "kafka";
        case Source::Kind::http: return "http";
    }
    return "file";
}

void add_rejection_row(Writes& writes, const std::string& region, const std::string& event_id,
                       const Rejection& rejection, const Incoming& in) {
    const Source& s = in.source;
    sql::BinaryRows& row = writes.rejections;
    row.row(static_cast<int>(rejection_columns.size()));
    // The id and the message quote the input; as text they must be storable (the input
    // itself is kept byte for byte in `raw`).
    region.empty() ? row.null() : row.text(region);
    event_id.empty() ? row.null() : row.text(storable_text(event_id));
    row.text(reason_code(rejection.reason)).text(storable_text(rejection.message)).bytea(in.bytes);
    row.text(source_kind(s.kind));
    if (s.kind == Source::Kind::file)
        row.text(storable_text(s.file)).int64(s.line);  // a path need not be UTF-8
    else
        row.null().null();
    if (from_kafka(s))
        row.text(s.file).int32(s.partition).int64(s.offset);
    else
        row.null().null().null();
    s.kind == Source::Kind::http ? row.text(s.file) : row.null();
}

void copy_rows(pqxx::work& tx, const std::string& table, const std::vector<std::string>& columns,
               sql::BinaryRows& rows) {
    if (rows.rows() == 0) return;
    sql::BinaryCopy copy(tx, table, columns);
    copy.send(rows);
    copy.complete();
}

// Moves each partition's stored offset forward to the batch's next offset, but only when
// the stored one is not past the batch's first message (the upsert's WHERE, under the row
// lock): otherwise those messages were written by another writer, and the whole batch is
// refused, so nothing is written twice and no offset moves back.
void write_offsets(pqxx::work& tx, const std::vector<ConsumerOffset>& offsets) {
    for (const auto& o : offsets) {
        const std::int64_t first = o.offset_first < 0 ? o.offset_next - 1 : o.offset_first;
        if (first < 0 || first >= o.offset_next)
            throw std::logic_error("consumer offset of " + o.topic + "[" + std::to_string(o.partition) +
                                   "]: offset_first " + std::to_string(o.offset_first) + " is not below offset_next " +
                                   std::to_string(o.offset_next));
        const pqxx::result moved = tx.exec_params(
            "INSERT INTO ledger.consumer_offsets AS stored (consumer_group, topic, partition, offset_next) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (consumer_group, topic, partition) DO UPDATE "
            "SET offset_next = EXCLUDED.offset_next, updated_at = now() WHERE stored.offset_next <= $5 RETURNING 1",
            o.consumer_group, o.topic, o.partition, o.offset_next, first);
        if (!moved.empty()) continue;
        const pqxx::result stored = tx.exec_params(
            "SELECT offset_next FROM ledger.consumer_offsets WHERE consumer_group = $1 AND topic = $2 AND partition = $3",
            o.consumer_group, o.topic, o.partition);
        throw OffsetBehind(o, stored.empty() ? -1 : stored[0][0].as<std::int64_t>());
    }
}

const std::vector<std::string> replay_columns{"rejection_id", "outcome", "region", "seq", "reason", "message"};

void write_replays(pqxx::work& tx, const std::vector<std::int64_t>& rejection_ids,
                   const std::vector<ItemResult>& items) {
    sql::BinaryRows rows;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const ItemResult& item = items[i];
        rows.row(static_cast<int>(replay_columns.size())).int64(rejection_ids[i]);
        switch (item.outcome) {
            case Outcome::appended: rows.text("appended").text(item.region).int64(item.seq).null().null(); break;
            case Outcome::duplicate:
                rows.text("duplicate").text(item.region);
                item.seq > 0 ? rows.int64(item.seq) : rows.null();
                rows.null().null();
                break;
            case Outcome::rejected:
                rows.text("rejected_again")
                    .optional_text(item.region.empty() ? std::nullopt : std::optional(item.region));
                rows.null().text(reason_code(item.rejection->reason)).text(storable_text(item.rejection->message));
                break;
        }
    }
    copy_rows(tx, "ledger.rejection_replays", replay_columns, rows);
}

// The ids a region's part of the batch needs from the store: those it reverses, and with
// Lookup::every_id its own (to tell redeliveries and conflicts from new events).
void ids_for_region(const std::vector<DecodeResult>& decoded, const std::string& region, Lookup lookup,
                    std::vector<std::string>& ids, std::set<std::string>& targets) {
    for (const auto& d : decoded) {
        if (!d.event || d.event->region != region) continue;
        if (lookup == Lookup::every_id) ids.push_back(d.event->event_id);
        if (const auto* reversal = std::get_if<EntryReversed>(&d.event->data)) {
            ids.push_back(reversal->reverses);
            targets.insert(reversal->reverses);
        }
    }
}

}  // namespace

OffsetBehind::OffsetBehind(const ConsumerOffset& offset_, std::int64_t offset_stored_)
    : std::runtime_error("the stored offset of " + offset_.topic + "[" + std::to_string(offset_.partition) +
                         "] for group " + offset_.consumer_group + " is " + std::to_string(offset_stored_) +
                         ", past this batch's first offset " +
                         std::to_string(offset_.offset_first < 0 ? offset_.offset_next - 1 : offset_.offset_first) +
                         ": its messages are written already; nothing of the batch was written"),
      offset(offset_),
      offset_stored(offset_stored_) {}

std::vector<DecodeResult> decode_batch(const std::vector<Incoming>& batch, Decoder& decoder) {
    std::vector<DecodeResult> decoded;
    decoded.reserve(batch.size());
    for (const auto& in : batch) decoded.push_back(decoder.decode(in.bytes));
    return decoded;
}

AppendResult Store::append(const std::vector<Incoming>& batch, const std::vector<ConsumerOffset>& offsets) {
    return append_decoded(batch, decode_batch(batch, impl_->decoder()), offsets);
}

AppendResult Store::append_decoded(const std::vector<Incoming>& batch, const std::vector<DecodeResult>& decoded,
                                   const std::vector<ConsumerOffset>& offsets) {
    return impl_->append_batch(batch, decoded, offsets, nullptr);
}

AppendResult Store::Impl::append_batch(const std::vector<Incoming>& batch, const std::vector<DecodeResult>& decoded,
                                       const std::vector<ConsumerOffset>& offsets, const ReplayMarks* replay) {
    if (decoded.size() != batch.size()) throw std::logic_error("append_decoded: one decoding per input");
    if (replay != nullptr && replay->rejection_ids.size() != batch.size())
        throw std::logic_error("replay: one rejection id per input");
    std::set<std::string> regions;
    for (const auto& d : decoded)
        if (d.event) regions.insert(d.event->region);
    // New events are the common case: the unique index on (region, event_id) is the check.
    // If it finds a known id the batch is redone, looking every id up to tell a redelivery
    // (counted) from a conflict (rejected). So is a batch in which the rules rejected an
    // event: a stored event sent again can break a rule (a party registered twice) before
    // the index sees it. Either way the transaction commits all or nothing.
    try {
        return write_batch(batch, decoded, regions, offsets, Lookup::reversal_targets, replay);
    } catch (const pqxx::unique_violation&) {
        for (const auto& region : regions) cache.erase(region);
    } catch (const RedoWithEveryId&) {
        for (const auto& region : regions) cache.erase(region);
    } catch (...) {
        for (const auto& region : regions) cache.erase(region);  // may hold uncommitted facts
        throw;
    }
    try {
        return write_batch(batch, decoded, regions, offsets, Lookup::every_id, replay);
    } catch (...) {
        for (const auto& region : regions) cache.erase(region);
        throw;
    }
}

AppendResult Store::Impl::write_batch(const std::vector<Incoming>& batch, const std::vector<DecodeResult>& decoded,
                                      const std::set<std::string>& regions, const std::vector<ConsumerOffset>& offsets,
                                      Lookup lookup, const ReplayMarks* replay) {
    pqxx::work tx(connection);
    std::map<std::string, Head> heads;
    for (const auto& region : regions) {  // ascending: two writers never wait on each other in a cycle
        tx.exec_params("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", "likvard.region:" + region);
        heads[region] = read_head(tx, region);
        CachedRegion& cached = cache[region];
        refresh_region(tx, decoder(), region, heads[region].seq, cached);
        std::vector<std::string> ids;
        std::set<std::string> targets;
        ids_for_region(decoded, region, lookup, ids, targets);
        load_known_events(tx, region, ids, targets, cached.state);
    }
    AppendResult result;
    Writes writes;
    // Event rows stream to PostgreSQL while the rest of the batch is still being checked.
    sql::BinaryCopy events(tx, "ledger.events", event_columns);
    writes.events = &events;
    for (std::size_t i = 0; i < batch.size(); ++i)
        result.items.push_back(admit_one(batch[i], decoded[i], heads, writes));
    events.send(writes.event_rows);
    events.complete();
    if (lookup == Lookup::reversal_targets) {
        for (std::size_t i = 0; i < batch.size(); ++i)
            if (result.items[i].outcome == Outcome::rejected && decoded[i].event) throw RedoWithEveryId{};
    }
    copy_rows(tx, "ledger.postings", posting_columns, writes.postings);
    copy_rows(tx, "ledger.rejections", rejection_columns, writes.rejections);
    copy_rows(tx, "ledger.periods", period_columns, writes.periods);
    write_offsets(tx, offsets);
    for (const auto& item : result.items) {
        result.appended += item.outcome == Outcome::appended;
        result.duplicates += item.outcome == Outcome::duplicate;
        result.rejected += item.outcome == Outcome::rejected;
    }
    LIKVARD_INVARIANT(result.appended + result.duplicates + result.rejected == batch.size(),
                      "a batch of " + std::to_string(batch.size()) + " inputs");
    if (replay != nullptr) {
        write_replays(tx, replay->rejection_ids, result.items);
        if (replay->dry_run) {  // rolled back with the transaction; the cache saw what was not written
            for (const auto& region : regions) cache.erase(region);
            return result;
        }
    }
    tx.commit();
    for (const auto& [region, head] : heads) {
        cache[region].loaded_through = head.seq;
        cache[region].state.events.clear();
    }
    return result;
}

ItemResult Store::Impl::admit_one(const Incoming& in, const DecodeResult& decoded, std::map<std::string, Head>& heads,
                                  Writes& writes) {
    ItemResult item;
    item.event_id = decoded.event ? decoded.event->event_id : decoded.event_id;
    if (decoded.rejection) {
        add_rejection_row(writes, "", item.event_id, *decoded.rejection, in);
        item.rejection = decoded.rejection;
        return item;
    }
    const Event& event = *decoded.event;
    item.region = event.region;
    RegionState& state = cache.at(event.region).state;
    const Admission admission = admit(event, state);
    if (const auto* rejection = std::get_if<Rejection>(&admission)) {
        add_rejection_row(writes, event.region, item.event_id, *rejection, in);
        item.rejection = *rejection;
        return item;
    }
    if (std::holds_alternative<Redelivery>(admission)) {
        item.outcome = Outcome::duplicate;
        return item;
    }
    const auto& postings = std::get<Admitted>(admission).postings;
    Head& head = heads.at(event.region);
    const Hash hash = chain_hash(head.hash, event.canonical);
    item.seq = head.seq + 1;
    add_event_rows(writes, event, in, item.seq, head.hash, hash, postings);
    head = Head{item.seq, hash};
    state.apply(event, postings);
    item.outcome = Outcome::appended;
    return item;
}

}  // namespace likvard
