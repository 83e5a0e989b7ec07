// The dead-letter producer: original bytes plus likvard-* headers, delivery confirmed.
#include "dead_letter.hpp"

#include <spdlog/spdlog.h>

#include "ingest.hpp"

namespace likvard::ingest::detail {
namespace {

enum class Delivery : int { pending, delivered, failed };

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
    auto* status = static_cast<Delivery*>(message->_private);
    *status = message->err == RD_KAFKA_RESP_ERR_NO_ERROR ? Delivery::delivered : Delivery::failed;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR)
        spdlog::warn("dead-letter delivery failed: {}", rd_kafka_err2str(message->err));
}

rd_kafka_headers_t* headers_of(const DeadLetter& letter) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(5);
    auto add = [&](const char* name, const std::string& value) {
        rd_kafka_header_add(headers, name, -1, value.data(), static_cast<ssize_t>(value.size()));
    };
    add("likvard-reason", letter.reason);
    add("likvard-message", letter.message);
    add("likvard-source-topic", letter.source_topic);
    add("likvard-source-partition", std::to_string(letter.source_partition));
    add("likvard-source-offset", std::to_string(letter.source_offset));
    return headers;
}

}  // namespace

DeadLetterProducer::DeadLetterProducer(const std::string& brokers, std::string topic) : topic_(std::move(topic)) {
    rd_kafka_conf_t* conf = make_conf(idempotent_producer_options(brokers));
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    producer_ = make_handle(RD_KAFKA_PRODUCER, conf);
}

void DeadLetterProducer::deliver(std::vector<DeadLetter>& letters) {
    if (letters.empty()) return;
    std::vector<Delivery> status(letters.size(), Delivery::pending);
    for (std::size_t i = 0; i < letters.size(); ++i) {
        const DeadLetter& letter = letters[i];
        rd_kafka_headers_t* headers = headers_of(letter);
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            producer_.get(), RD_KAFKA_V_TOPIC(topic_.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_VALUE(const_cast<char*>(letter.bytes.data()), letter.bytes.size()),
            RD_KAFKA_V_KEY(letter.key.data(), letter.key.size()), RD_KAFKA_V_HEADERS(headers),
            RD_KAFKA_V_OPAQUE(&status[i]), RD_KAFKA_V_END);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            rd_kafka_headers_destroy(headers);  // owned by the message only on success
            status[i] = Delivery::failed;
            spdlog::warn("dead-letter produce failed: {}", rd_kafka_err2str(err));
        }
        rd_kafka_poll(producer_.get(), 0);
    }
    // message.timeout.ms bounds every report; flush waits longer than that.
    rd_kafka_flush(producer_.get(), flush_wait_ms_max);
    if (rd_kafka_outq_len(producer_.get()) > 0) {  // never leave a report to write into `status` later
        rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(producer_.get(), flush_wait_ms_max);
    }
    std::vector<DeadLetter> undelivered;
    for (std::size_t i = 0; i < letters.size(); ++i)
        if (status[i] != Delivery::delivered) undelivered.push_back(std::move(letters[i]));
    letters = std::move(undelivered);
}

}  // namespace likvard::ingest::detail
