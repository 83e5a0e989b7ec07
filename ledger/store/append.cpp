// The one append path. A batch is decoded, then checked and written in ONE transaction:
// region locks, rules against the stored ledger, seq and hash chain, COPY of events,
// postings and rejections, the consumer offsets that came with it, commit.
#include <set>

#include "store/region_cache.hpp"
#include "store/sql.hpp"
#include "store/store.hpp"
#include "store/store_impl.hpp"

namespace likvard {
namespace {

const std::vector<std::string> event_columns{
    "region", "seq", "event_id", "type", "scheme", "period", "occurred_on", "decision_ref", "source_system",
    "source_reference", "reverses", "canonical", "kafka_topic", "kafka_partition", "kafka_offset", "prev_hash", "hash"};
const std::vector<std::string> posting_columns{"region", "seq", "line", "event_id", "scheme", "period",
                                                "account", "party", "account_class", "item", "amount"};
const std::vector<std::string> rejection_columns{"region", "event_id", "reason", "message", "raw", "source_kind",
                                                  "source_file", "source_line", "kafka_topic", "kafka_partition",
                                                  "kafka_offset", "http_peer"};
const std::vector<std::string> period_columns{"region", "scheme", "period", "closed_by_seq"};

sql::Field kafka(const Source& source, sql::Field value) {
    return source.kind == Source::Kind::kafka ? value : sql::Field{};
}

void add_event_rows(Writes& writes, const Event& event, const Incoming& in, std::int64_t seq, const Hash& prev,
                    const Hash& hash, const std::vector<Posting>& postings) {
    const auto* reversal = std::get_if<EntryReversed>(&event.data);
    writes.events.push_back({{event.region, sql::number(seq), event.event_id, std::string(type_name(event.type)),
                             event.scheme, event.period, event.occurred_on, event.decision_ref, event.source_system,
                             event.source_reference,
                             reversal ? sql::Field(reversal->reverses) : sql::Field{}, sql::bytea(event.canonical),
                             kafka(in.source, in.source.file), kafka(in.source, sql::number(in.source.partition)),
                             kafka(in.source, sql::number(in.source.offset)), sql::bytea(prev), sql::bytea(hash)}});
    for (std::size_t i = 0; i < postings.size(); ++i) {
        const Posting& p = postings[i];
        writes.postings.push_back({{event.region, sql::number(seq), sql::number(static_cast<std::int64_t>(i + 1)),
                                   event.event_id, event.scheme, event.period, p.account(), p.party,
                                   p.account_class, p.item, sql::number(p.amount.ore())}});
    }
    if (event.type == EventType::period_closed)
        writes.periods.push_back({{event.region, event.scheme, event.period, sql::number(seq)}});
}

void add_rejection_row(Writes& writes, const std::string& region, const std::string& event_id,
                       const Rejection& rejection, const Incoming& in) {
    const Source& s = in.source;
    const bool file = s.kind == Source::Kind::file;
    const char* kind = file ? "file" : s.kind == Source::Kind::kafka ? "kafka" : "http";
    writes.rejections.push_back({{region.empty() ? sql::Field{} : sql::Field(region),
                                 event_id.empty() ? sql::Field{} : sql::Field(event_id),
                                 std::string(reason_code(rejection.reason)), rejection.message, sql::bytea(in.bytes),
                                 kind, file ? sql::Field(s.file) : sql::Field{},
                                 file ? sql::number(s.line) : sql::Field{}, kafka(s, s.file),
                                 kafka(s, sql::number(s.partition)), kafka(s, sql::number(s.offset)),
                                 s.kind == Source::Kind::http ? sql::Field(s.file) : sql::Field{}}});
}

template <std::size_t N>
void copy_rows(pqxx::work& tx, const std::string& table, const std::vector<std::string>& columns,
               const std::vector<sql::Row<N>>& rows) {
    if (rows.empty()) return;
    pqxx::stream_to stream(tx, table, columns);
    for (const auto& row : rows) stream << row;
    stream.complete();
}

void write_offsets(pqxx::work& tx, const std::vector<ConsumerOffset>& offsets) {
    for (const auto& o : offsets)
        tx.exec_params(
            "INSERT INTO ledger.consumer_offsets (consumer_group, topic, partition, offset_next) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET offset_next = EXCLUDED.offset_next, "
            "updated_at = now()",
            o.consumer_group, o.topic, o.partition, o.offset_next);
}

// The ids a region's part of the batch needs from the store: its own and those it reverses.
void ids_for_region(const std::vector<DecodeResult>& decoded, const std::string& region,
                    std::vector<std::string>& ids, std::set<std::string>& targets) {
    for (const auto& d : decoded) {
        if (!d.event || d.event->region != region) continue;
        ids.push_back(d.event->event_id);
        if (const auto* reversal = std::get_if<EntryReversed>(&d.event->data)) {
            ids.push_back(reversal->reverses);
            targets.insert(reversal->reverses);
        }
    }
}

}  // namespace

AppendResult Store::append(const std::vector<Incoming>& batch, const std::vector<ConsumerOffset>& offsets) {
    std::vector<DecodeResult> decoded;
    decoded.reserve(batch.size());
    std::set<std::string> regions;
    for (const auto& in : batch) {
        decoded.push_back(impl_->decoder.decode(in.bytes));
        if (decoded.back().event) regions.insert(decoded.back().event->region);
    }
    try {
        return impl_->write_batch(batch, decoded, regions, offsets);
    } catch (...) {
        for (const auto& region : regions) impl_->cache.erase(region);  // may hold uncommitted facts
        throw;
    }
}

AppendResult Store::Impl::write_batch(const std::vector<Incoming>& batch, const std::vector<DecodeResult>& decoded,
                                      const std::set<std::string>& regions,
                                      const std::vector<ConsumerOffset>& offsets) {
    pqxx::work tx(connection);
    std::map<std::string, Head> heads;
    for (const auto& region : regions) {  // ascending: two writers never wait on each other in a cycle
        tx.exec_params("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", "likvard.region:" + region);
        heads[region] = read_head(tx, region);
        CachedRegion& cached = cache[region];
        refresh_region(tx, decoder, region, heads[region].seq, cached);
        std::vector<std::string> ids;
        std::set<std::string> targets;
        ids_for_region(decoded, region, ids, targets);
        load_known_events(tx, region, ids, targets, cached.state);
    }
    AppendResult result;
    Writes writes;
    for (std::size_t i = 0; i < batch.size(); ++i)
        result.items.push_back(admit_one(batch[i], decoded[i], heads, writes));
    copy_rows(tx, "ledger.events", event_columns, writes.events);
    copy_rows(tx, "ledger.postings", posting_columns, writes.postings);
    copy_rows(tx, "ledger.rejections", rejection_columns, writes.rejections);
    copy_rows(tx, "ledger.periods", period_columns, writes.periods);
    write_offsets(tx, offsets);
    tx.commit();
    for (const auto& [region, head] : heads) {
        cache[region].loaded_through = head.seq;
        cache[region].state.events.clear();
    }
    for (const auto& item : result.items) {
        result.appended += item.outcome == Outcome::appended;
        result.duplicates += item.outcome == Outcome::duplicate;
        result.rejected += item.outcome == Outcome::rejected;
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
