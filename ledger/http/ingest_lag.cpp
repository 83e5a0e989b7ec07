// The ingest lag per consumer group and partition: the next offset the ledger holds
// (ledger.consumer_offsets, committed with the events) against the high watermark the
// brokers last reported. /metrics and /ingestion both read it from here.
#include <map>
#include <set>

#include "http/detail/context.hpp"
#include "store/reads.hpp"

namespace likvard::http::detail {

std::string_view broker_state_name(BrokerState state) {
    switch (state) {
        case BrokerState::up: return "up";
        case BrokerState::down: return "down";
        case BrokerState::not_configured: break;
    }
    return "not_configured";
}

std::pair<BrokerState, std::optional<BrokerReading>> broker_now(Context& context) {
    if (!context.config.broker_configured) return {BrokerState::not_configured, std::nullopt};
    std::lock_guard lock(context.broker_mutex);
    if (!context.broker || !context.broker->reachable) return {BrokerState::down, std::nullopt};
    if (std::chrono::system_clock::now() - context.broker->read_at > context.config.broker_stale_after)
        return {BrokerState::down, std::nullopt};
    return {BrokerState::up, context.broker};
}

std::vector<StoredOffset> stored_offsets(Store& store) {
    std::vector<StoredOffset> out;
    for (const OffsetRow& row : likvard::stored_offsets(store))
        out.push_back({row.consumer_group, row.topic, row.partition, row.offset_next});
    return out;
}

std::vector<PartitionLag> ingest_lags(const std::vector<StoredOffset>& stored,
                                      const std::optional<BrokerReading>& broker) {
    using Key = std::tuple<std::string, std::string, std::int32_t>;  // group, topic, partition
    std::map<Key, PartitionLag> lags;
    std::set<std::pair<std::string, std::string>> topic_groups;
    for (const StoredOffset& offset : stored) {
        lags[{offset.consumer_group, offset.topic, offset.partition}] = PartitionLag{
            offset.consumer_group, offset.topic, offset.partition, offset.offset_next, std::nullopt, std::nullopt};
        topic_groups.insert({offset.topic, offset.consumer_group});
    }
    const std::vector<BrokerPartition> none;
    for (const BrokerPartition& p : broker ? broker->partitions : none) {
        for (auto it = topic_groups.lower_bound({p.topic, ""}); it != topic_groups.end() && it->first == p.topic;
             ++it) {
            PartitionLag& lag = lags[{it->second, p.topic, p.partition}];
            if (!lag.offset_next) lag = {it->second, p.topic, p.partition, std::nullopt, std::nullopt, std::nullopt};
            lag.high_watermark = p.high_watermark;
            // A stored offset can be ahead of a reading taken before its commit: no lag then.
            lag.lag = std::max<std::int64_t>(0, p.high_watermark - lag.offset_next.value_or(p.low_watermark));
        }
    }
    std::vector<PartitionLag> out;
    out.reserve(lags.size());
    for (auto& [key, lag] : lags) out.push_back(std::move(lag));
    return out;
}

}  // namespace likvard::http::detail
