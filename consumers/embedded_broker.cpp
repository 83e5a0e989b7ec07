// The embedded broker: librdkafka's in-process mock cluster (one broker; tests use more) for a single
// machine, trials and tests. Production points --brokers at a real Kafka cluster.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <filesystem>
#include <fstream>

#include "embedded_broker.hpp"
#include "kafka.hpp"

namespace likvard::ingest {

using namespace detail;

namespace {
constexpr std::int16_t kafka_api_key_produce = 0;  // the Kafka protocol's ApiKeys
constexpr std::int16_t kafka_api_key_fetch = 1;
}  // namespace

struct EmbeddedBroker::Impl {
    Handle owner;  // a producer handle that owns the mock cluster's thread
    rd_kafka_mock_cluster_t* cluster = nullptr;
};

EmbeddedBroker::EmbeddedBroker(const std::vector<std::string>& topics, int partitions,
                               const std::string& dead_letter_topic)
    : EmbeddedBroker(topics, partitions, dead_letter_topic, 1) {}

EmbeddedBroker::EmbeddedBroker(const std::vector<std::string>& topics, int partitions,
                               const std::string& dead_letter_topic, int brokers)
    : impl_(std::make_unique<Impl>()) {
    impl_->owner = make_handle(RD_KAFKA_PRODUCER, make_conf({{"log_level", "3"}}));
    impl_->cluster = rd_kafka_mock_cluster_new(impl_->owner.get(), brokers);
    if (impl_->cluster == nullptr) throw KafkaError("cannot start the embedded broker");
    auto create = [&](const std::string& topic, int count) {
        const rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(impl_->cluster, topic.c_str(), count, brokers);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            throw KafkaError("embedded broker: create topic " + topic + ": " + rd_kafka_err2str(err));
    };
    for (const auto& topic : topics) create(topic, partitions);
    create(dead_letter_topic, dead_letter_partitions_default);
    bootstraps_ = rd_kafka_mock_cluster_bootstraps(impl_->cluster);
}

EmbeddedBroker::~EmbeddedBroker() {
    if (impl_->cluster != nullptr) rd_kafka_mock_cluster_destroy(impl_->cluster);
}

void EmbeddedBroker::fail_fetches(std::size_t count) {
    std::vector<rd_kafka_resp_err_t> errors(count, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
    rd_kafka_mock_push_request_errors_array(impl_->cluster, kafka_api_key_fetch, errors.size(), errors.data());
}

void EmbeddedBroker::fail_produces(std::size_t count, int kafka_error, std::int32_t broker_id) {
    for (std::size_t i = 0; i < count; ++i) {
        const rd_kafka_resp_err_t err = rd_kafka_mock_broker_push_request_error_rtts(
            impl_->cluster, broker_id, kafka_api_key_produce, 1, static_cast<rd_kafka_resp_err_t>(kafka_error), 0);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            throw KafkaError("embedded broker " + std::to_string(broker_id) + ": " + rd_kafka_err2str(err));
    }
}

void EmbeddedBroker::set_topic_error(const std::string& topic, int kafka_error) {
    rd_kafka_mock_topic_set_error(impl_->cluster, topic.c_str(), static_cast<rd_kafka_resp_err_t>(kafka_error));
}

void EmbeddedBroker::set_broker_down(bool down, std::int32_t broker_id) {
    const rd_kafka_resp_err_t err = down ? rd_kafka_mock_broker_set_down(impl_->cluster, broker_id)
                                         : rd_kafka_mock_broker_set_up(impl_->cluster, broker_id);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw KafkaError("embedded broker " + std::to_string(broker_id) + ": " + rd_kafka_err2str(err));
}

void EmbeddedBroker::set_leader(const std::string& topic, std::int32_t partition, std::int32_t broker_id) {
    const rd_kafka_resp_err_t err =
        rd_kafka_mock_partition_set_leader(impl_->cluster, topic.c_str(), partition, broker_id);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw KafkaError("embedded broker: leader of " + topic + "[" + std::to_string(partition) +
                         "]: " + rd_kafka_err2str(err));
}

void write_bootstrap_file(const std::string& state_dir, const std::string& bootstraps) {
    std::filesystem::create_directories(state_dir);
    const std::string path = state_dir + "/kafka.bootstrap";
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << bootstraps << '\n';
        if (!out) throw std::runtime_error("cannot write " + temporary);
    }
    std::filesystem::rename(temporary, path);
}

std::optional<std::string> read_bootstrap_file(const std::string& state_dir) {
    std::ifstream in(state_dir + "/kafka.bootstrap");
    std::string line;
    if (!in || !std::getline(in, line) || line.empty()) return std::nullopt;
    return line;
}

}  // namespace likvard::ingest
