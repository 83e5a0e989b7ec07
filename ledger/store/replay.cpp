// `likvard rejections replay`: kept rejections, oldest first, sent through the one append
// path again with the source they first came from, each batch recorded as replayed in the
// transaction that appends it.
#include "store/detail/store_impl.hpp"

namespace likvard {
namespace {

constexpr std::int64_t replay_batch_rejections_max = 1'000;

struct KeptRejection {
    std::int64_t id = 0;
    std::string received_at;
    std::string reason;
    Incoming input;
};

Source source_of(const pqxx::row& row) {
    Source source;
    const std::string kind = row["source_kind"].as<std::string>();
    if (kind == "kafka") {
        source.kind = Source::Kind::kafka;
        source.file = row["kafka_topic"].as<std::string>("");
        source.partition = row["kafka_partition"].as<std::int32_t>(-1);
        source.offset = row["kafka_offset"].as<std::int64_t>(-1);
    } else if (kind == "http") {
        source.kind = Source::Kind::http;
        source.file = row["http_peer"].as<std::string>("");
    } else {
        source.file = row["source_file"].as<std::string>("");
        source.line = row["source_line"].as<std::int64_t>(0);
    }
    return source;
}

std::string reason_list(const std::vector<Reason>& reasons) {
    std::vector<std::string> codes;
    for (const Reason reason : reasons) codes.emplace_back(reason_code(reason));
    return sql::array_literal(codes);
}

// The next rejections in (after_id, through_id] that the filter takes and no replay took yet.
std::vector<KeptRejection> next_batch(pqxx::work& tx, const ReplayFilter& filter, std::int64_t after_id,
                                      std::int64_t through_id) {
    const pqxx::result rows = tx.exec_params(
        "SELECT r.id, r.received_at::text AS received_at, r.reason, r.raw, r.source_kind, r.source_file, "
        "r.source_line, r.kafka_topic, r.kafka_partition, r.kafka_offset, r.http_peer "
        "FROM ledger.rejections r WHERE r.id > $1 AND r.id <= $6 "
        "AND NOT EXISTS (SELECT 1 FROM ledger.rejection_replays p WHERE p.rejection_id = r.id) "
        "AND ($2::text IS NULL OR r.region = $2) AND ($3::text[] IS NULL OR r.reason = ANY($3::text[])) "
        "AND ($4::timestamptz IS NULL OR r.received_at >= $4::timestamptz) ORDER BY r.id LIMIT $5",
        after_id, filter.region, filter.reasons.empty() ? std::nullopt : std::optional(reason_list(filter.reasons)),
        filter.since, replay_batch_rejections_max, through_id);
    std::vector<KeptRejection> out;
    for (const auto& row : rows)
        out.push_back({row["id"].as<std::int64_t>(), row["received_at"].as<std::string>(),
                       row["reason"].as<std::string>(), Incoming{sql::from_bytea(row["raw"]), source_of(row)}});
    return out;
}

}  // namespace

ReplayReport Store::replay_rejections(const ReplayFilter& filter,
                                      const std::function<void(const ReplayedRejection&)>& on_item) {
    ReplayReport report;
    std::int64_t after_id = 0;
    // What a replay rejects again is kept as a new rejection: this replay stops before those.
    std::int64_t through_id = 0;
    {
        pqxx::work tx(impl_->connection);
        through_id = tx.exec1("SELECT coalesce(max(id), 0) FROM ledger.rejections")[0].as<std::int64_t>();
    }
    for (;;) {
        std::vector<KeptRejection> kept;
        {
            pqxx::work tx(impl_->connection);
            kept = next_batch(tx, filter, after_id, through_id);
        }
        if (kept.empty()) return report;
        std::vector<Incoming> batch;
        std::vector<std::int64_t> ids;
        for (const auto& k : kept) {
            batch.push_back(k.input);
            ids.push_back(k.id);
        }
        const ReplayMarks marks{ids, filter.dry_run};
        const AppendResult result = impl_->append_batch(batch, decode_batch(batch, impl_->decoder()), {}, &marks);
        report.appended += result.appended;
        report.duplicates += result.duplicates;
        report.rejected_again += result.rejected;
        for (std::size_t i = 0; i < kept.size(); ++i)
            if (on_item) on_item(ReplayedRejection{kept[i].id, kept[i].received_at, kept[i].reason, result.items[i]});
        after_id = kept.back().id;
    }
}

}  // namespace likvard
