// Internal: small RAII and configuration helpers around librdkafka's C API.
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace likvard::ingest::detail {

struct KafkaError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct HandleDeleter {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using Handle = std::unique_ptr<rd_kafka_t, HandleDeleter>;

struct PartitionListDeleter {
    void operator()(rd_kafka_topic_partition_list_t* list) const { rd_kafka_topic_partition_list_destroy(list); }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

// A configuration with every given option set explicitly; throws naming the bad option.
rd_kafka_conf_t* make_conf(const std::map<std::string, std::string>& options);

// The producer settings for exactly-once-per-session delivery to a topic (idempotent, acks=all).
std::map<std::string, std::string> idempotent_producer_options(const std::string& brokers);

Handle make_handle(rd_kafka_type_t type, rd_kafka_conf_t* conf);

}  // namespace likvard::ingest::detail
