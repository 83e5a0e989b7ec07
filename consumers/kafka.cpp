// librdkafka configuration and handles, every option said at the call site.
#include "kafka.hpp"

#include "limits.hpp"

namespace likvard::ingest::detail {
rd_kafka_conf_t* make_conf(const std::map<std::string, std::string>& options) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char error[512];
    for (const auto& [name, value] : options) {
        if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            throw KafkaError("kafka option " + name + "=" + value + ": " + error);
        }
    }
    return conf;
}

std::map<std::string, std::string> idempotent_producer_options(const std::string& brokers) {
    return {
        {"bootstrap.servers", brokers},
        {"enable.idempotence", "true"},
        {"acks", "all"},
        {"max.in.flight.requests.per.connection", "5"},
        {"retries", "2147483647"},
        {"message.timeout.ms", std::to_string(delivery_timeout_ms)},
        // Fewer, larger requests: a request carries up to batch.num.messages (or batch.size)
        // of one partition, gathered for at most linger.ms.
        {"linger.ms", std::to_string(producer_linger_ms)},
        {"batch.num.messages", std::to_string(producer_batch_messages_max)},
        {"batch.size", std::to_string(producer_batch_bytes_max)},
        // JSON events shrink about four times with lz4 (the event ids do not). Brokers keep and
        // serve the batches compressed, so a partition holds four times the events in the
        // same bytes; the embedded broker counts its 5 MiB a partition in these bytes.
        {"compression.type", "lz4"},
        // A request carries at least one whole message: room for the largest plus its headers.
        {"message.max.bytes", std::to_string(producer_message_bytes_max)},
        {"socket.keepalive.enable", "true"},
    };
}

Handle make_handle(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
    char error[512];
    rd_kafka_t* rk = rd_kafka_new(type, conf, error, sizeof error);
    if (rk == nullptr) {
        rd_kafka_conf_destroy(conf);  // rd_kafka_new takes it only on success
        throw KafkaError(std::string("kafka client: ") + error);
    }
    return Handle(rk);
}

}  // namespace likvard::ingest::detail
