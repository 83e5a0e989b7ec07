// The brokers' low and high watermarks per partition, for the ingest lag that `likvard
// serve` reports, and the monitor thread that reads them again and again. Every Kafka
// request has a timeout, and the monitor never runs on a request's path.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>

#include "watermarks.hpp"
#include "kafka.hpp"

namespace likvard::ingest {

using namespace detail;

namespace {

struct TopicDeleter {
    void operator()(rd_kafka_topic_t* topic) const { rd_kafka_topic_destroy(topic); }
};
struct MetadataDeleter {
    void operator()(const rd_kafka_metadata_t* metadata) const { rd_kafka_metadata_destroy(metadata); }
};
using Metadata = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

// librdkafka logs every failed connection; an unreachable broker is what likvard_broker_up
// says, so its lines go to the debug log instead of filling stderr.
void log_to_debug(const rd_kafka_t*, int, const char* facility, const char* message) {
    spdlog::debug("kafka watermarks: {}: {}", facility, message);
}
void error_to_debug(rd_kafka_t*, int, const char* reason, void*) { spdlog::debug("kafka watermarks: {}", reason); }

rd_kafka_conf_t* watermark_conf(const std::string& brokers, int timeout_ms) {
    rd_kafka_conf_t* conf = make_conf({
        {"bootstrap.servers", brokers},
        {"client.id", "likvard-serve-watermarks"},
        {"allow.auto.create.topics", "false"},  // reading a topic's metadata must not create it
        {"socket.timeout.ms", std::to_string(timeout_ms)},
        {"socket.connection.setup.timeout.ms", std::to_string(std::max(timeout_ms, 1'000))},
        {"reconnect.backoff.ms", "100"},
        {"reconnect.backoff.max.ms", "2000"},
        {"socket.keepalive.enable", "true"},
    });
    rd_kafka_conf_set_log_cb(conf, log_to_debug);
    rd_kafka_conf_set_error_cb(conf, error_to_debug);
    return conf;
}

// One topic's partitions, appended to `reading`; a partition that cannot be read is left out.
void read_topic(rd_kafka_t* rk, const std::string& name, int timeout_ms, WatermarkReading& reading) {
    const std::unique_ptr<rd_kafka_topic_t, TopicDeleter> topic(rd_kafka_topic_new(rk, name.c_str(), nullptr));
    const rd_kafka_metadata_t* raw = nullptr;
    rd_kafka_resp_err_t err = topic ? rd_kafka_metadata(rk, 0, topic.get(), &raw, timeout_ms) : rd_kafka_last_error();
    const Metadata metadata(raw);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        err = metadata->topic_cnt == 1 ? metadata->topics[0].err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (reading.error.empty()) reading.error = "topic " + name + ": " + rd_kafka_err2str(err);
        return;
    }
    for (int i = 0; i < metadata->topics[0].partition_cnt; ++i) {
        if (reading.partitions.size() >= watermark_partitions_max) return;
        const std::int32_t partition = metadata->topics[0].partitions[i].id;
        std::int64_t low = 0, high = 0;
        err = rd_kafka_query_watermark_offsets(rk, name.c_str(), partition, &low, &high, timeout_ms);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (reading.error.empty())
                reading.error = name + "[" + std::to_string(partition) + "]: " + rd_kafka_err2str(err);
            continue;
        }
        reading.partitions.push_back({name, partition, low, high});
    }
}

}  // namespace

struct WatermarkClient::Impl {
    Handle handle;
    int timeout_ms = watermark_timeout_ms;
};

WatermarkClient::WatermarkClient(const std::string& brokers, int timeout_ms) : impl_(std::make_unique<Impl>()) {
    impl_->timeout_ms = timeout_ms;
    impl_->handle = make_handle(RD_KAFKA_PRODUCER, watermark_conf(brokers, timeout_ms));
}

WatermarkClient::~WatermarkClient() = default;

WatermarkReading WatermarkClient::read(const std::vector<std::string>& topics) {
    rd_kafka_t* rk = impl_->handle.get();
    WatermarkReading reading;
    reading.read_at = std::chrono::system_clock::now();
    // Any broker answering the cluster's metadata: reachable. One timeout when none does.
    const rd_kafka_metadata_t* raw = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, nullptr, &raw, impl_->timeout_ms);
    const Metadata cluster(raw);
    reading.reachable = err == RD_KAFKA_RESP_ERR_NO_ERROR;
    if (!reading.reachable) reading.error = std::string("brokers: ") + rd_kafka_err2str(err);
    for (std::size_t i = 0; reading.reachable && i < topics.size() && i < watermark_topics_max; ++i)
        read_topic(rk, topics[i], impl_->timeout_ms, reading);
    rd_kafka_poll(rk, 0);  // serve the log and error callbacks so their queue stays empty
    std::sort(reading.partitions.begin(), reading.partitions.end(), [](const auto& a, const auto& b) {
        return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
    });
    return reading;
}

struct WatermarkMonitor::State {
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    bool finished = false;
    Topics topics;
    Report report;
    std::chrono::milliseconds stop_wait{0};
    std::thread thread;
};

namespace {

std::vector<std::string> topics_or_none(const WatermarkMonitor::Topics& topics) {
    try {
        return topics();
    } catch (const std::exception& error) {
        spdlog::warn("kafka watermarks: the topics to read: {}", error.what());
        return {};
    }
}

WatermarkReading read_once(std::optional<WatermarkClient>& client, const std::string& brokers,
                           const std::vector<std::string>& topics) {
    try {
        if (!client) client.emplace(brokers);
        return client->read(topics);
    } catch (const std::exception& error) {
        client.reset();
        WatermarkReading failed;
        failed.read_at = std::chrono::system_clock::now();
        failed.error = error.what();
        return failed;
    }
}

}  // namespace

WatermarkMonitor::WatermarkMonitor(std::string brokers, Topics topics, Report report,
                                   std::chrono::milliseconds interval, std::chrono::milliseconds stop_wait)
    : state_(std::make_shared<State>()) {
    state_->topics = std::move(topics);
    state_->report = std::move(report);
    state_->stop_wait = stop_wait;
    state_->thread = std::thread([state = state_, brokers = std::move(brokers), interval] {
        std::optional<WatermarkClient> client;
        bool was_reachable = true;
        std::unique_lock lock(state->mutex);
        while (!state->stopping) {
            const std::vector<std::string> topics = topics_or_none(state->topics);
            lock.unlock();
            const WatermarkReading reading = read_once(client, brokers, topics);
            lock.lock();
            if (state->stopping) break;
            if (reading.reachable != was_reachable)
                spdlog::warn("kafka watermarks: brokers {}{}", reading.reachable ? "reachable again" : "unreachable: ",
                             reading.reachable ? "" : reading.error);
            was_reachable = reading.reachable;
            state->report(reading);  // under the lock: never after the destructor returned
            state->wake.wait_for(lock, interval, [&] { return state->stopping; });
        }
        state->finished = true;
        state->wake.notify_all();
    });
}

WatermarkMonitor::~WatermarkMonitor() {
    std::unique_lock lock(state_->mutex);
    state_->stopping = true;
    state_->wake.notify_all();
    const bool finished = state_->wake.wait_for(lock, state_->stop_wait, [&] { return state_->finished; });
    lock.unlock();
    if (finished)
        state_->thread.join();
    else
        state_->thread.detach();  // a watermark request overran its timeout; it ends alone
}

}  // namespace likvard::ingest
