// The dead-letter producer: original bytes plus likvard-* headers, delivery confirmed, and
// each failure sorted into "for good" or "may pass".
#include "dead_letter.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "limits.hpp"

namespace likvard::ingest::detail {
namespace {

// One letter's delivery report, written by on_delivery inside rd_kafka_poll/flush.
struct Delivery {
    bool reported = false;
    rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
    auto* delivery = static_cast<Delivery*>(message->_private);
    delivery->reported = true;
    delivery->error = message->err;
}

// At most `bytes_max` bytes of `text`, not cutting a UTF-8 sequence.
std::string cut(const std::string& text, std::size_t bytes_max) {
    if (text.size() <= bytes_max) return text;
    std::size_t end = bytes_max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

rd_kafka_headers_t* headers_of(const DeadLetter& letter) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(5);
    auto add = [&](const char* name, const std::string& value) {
        rd_kafka_header_add(headers, name, -1, value.data(), static_cast<ssize_t>(value.size()));
    };
    add("likvard-reason", letter.reason);
    add("likvard-message", cut(letter.message, dead_letter_message_header_bytes_max));
    add("likvard-source-topic", letter.source_topic);
    add("likvard-source-partition", std::to_string(letter.source_partition));
    add("likvard-source-offset", std::to_string(letter.source_offset));
    return headers;
}

}  // namespace

bool dead_letter_error_is_permanent(rd_kafka_resp_err_t error) {
    switch (error) {
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:     // over message.max.bytes (client or topic)
        case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:  // the batch is over the broker's segment size
        case RD_KAFKA_RESP_ERR_INVALID_MSG:            // corrupt or invalid message
        case RD_KAFKA_RESP_ERR_INVALID_RECORD:         // the broker refused the record
        case RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT:
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:  // the broker has no such topic or partition
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:         // the cluster's metadata has no such topic
        case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
        case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:  // not a valid topic name
        case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
        case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
        case RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS:
        case RD_KAFKA_RESP_ERR__INVALID_ARG:
        case RD_KAFKA_RESP_ERR__FATAL:  // the producer is unusable (renewed below)
            return true;
        default: return false;
    }
}

DeadLetterProducer::DeadLetterProducer(const std::string& brokers, std::string topic)
    : brokers_(brokers), topic_(std::move(topic)), producer_(make_producer()) {}

Handle DeadLetterProducer::make_producer() const {
    rd_kafka_conf_t* conf = make_conf(idempotent_producer_options(brokers_));
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    return make_handle(RD_KAFKA_PRODUCER, conf);
}

DeliveryReport DeadLetterProducer::deliver(std::vector<DeadLetter>& letters, int wait_ms) {
    DeliveryReport report;
    if (letters.empty()) return report;
    std::vector<Delivery> status(letters.size());
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
            status[i] = Delivery{true, err};
        }
        rd_kafka_poll(producer_.get(), 0);
    }
    // message.timeout.ms bounds every report; the caller's bound may be shorter.
    rd_kafka_flush(producer_.get(), std::clamp(wait_ms, 0, flush_wait_ms_max));
    if (rd_kafka_outq_len(producer_.get()) > 0) {  // never leave a report to write into `status` later
        rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(producer_.get(), flush_wait_ms_max);
    }
    std::vector<DeadLetter> again;
    for (std::size_t i = 0; i < letters.size(); ++i) {
        const Delivery& delivery = status[i];
        if (delivery.reported && delivery.error == RD_KAFKA_RESP_ERR_NO_ERROR) {
            ++report.delivered;
        } else if (delivery.reported && dead_letter_error_is_permanent(delivery.error)) {
            report.refused.push_back(
                {letters[i].source_topic, letters[i].source_partition, letters[i].source_offset, delivery.error});
        } else {
            again.push_back(std::move(letters[i]));
        }
    }
    letters = std::move(again);
    renew_if_fatal();
    return report;
}

// After a fatal error (of the idempotent producer) every further produce fails: start anew.
void DeadLetterProducer::renew_if_fatal() {
    char reason[512];
    if (rd_kafka_fatal_error(producer_.get(), reason, sizeof reason) == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (rd_kafka_outq_len(producer_.get()) > 0) return;  // a report could still arrive: keep it until it has
    spdlog::error("the dead-letter producer raised a fatal error ({}); starting a new one", reason);
    producer_ = make_producer();
}

}  // namespace likvard::ingest::detail
