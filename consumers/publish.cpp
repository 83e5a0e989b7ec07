// `likvard-ingest publish`: validated events to Kafka with an idempotent producer, every
// delivery report awaited.
#include <boost/json.hpp>
#include <ostream>

#include <spdlog/spdlog.h>

#include "events/events.hpp"
#include "publish.hpp"
#include "kafka.hpp"

namespace likvard::ingest {
namespace {

using namespace detail;

struct Counters {
    std::uint64_t delivered = 0;
    std::uint64_t failed = 0;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* counters = static_cast<Counters*>(opaque);
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++counters->delivered;
    } else {
        ++counters->failed;
        spdlog::error("not delivered: {}", rd_kafka_err2str(message->err));
    }
}

}  // namespace

std::string message_key(std::string_view bytes) {
    boost::system::error_code error;
    const boost::json::value value = boost::json::parse(bytes, error);
    if (error || !value.is_object()) return "";
    const auto* region = value.as_object().if_contains("region");
    return region != nullptr && region->is_string() ? std::string(region->as_string()) : std::string();
}

PublishReport publish(const PublishConfig& config, const std::vector<PublishLine>& lines, std::ostream& problems) {
    std::size_t next = 0;
    return publish(
        config,
        [&](PublishLine& line) {
            if (next == lines.size()) return false;
            line = lines[next++];
            return true;
        },
        problems);
}

PublishReport publish(const PublishConfig& config, const LineSource& next_line, std::ostream& problems) {
    Counters counters;
    rd_kafka_conf_t* conf = make_conf(idempotent_producer_options(config.brokers));
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_opaque(conf, &counters);
    Handle producer = make_handle(RD_KAFKA_PRODUCER, conf);

    PublishReport report;
    Decoder decoder;
    for (PublishLine line; next_line(line);) {
        ++report.lines;
        const DecodeResult decoded = decoder.decode(line.bytes);
        if (decoded.rejection) {
            ++report.invalid;
            problems << line.origin << ": " << (decoded.event_id.empty() ? "-" : decoded.event_id) << ' '
                     << decoded.rejection->to_string() << '\n';
            if (!config.send_invalid) continue;
        }
        const std::string key = decoded.event ? decoded.event->region : message_key(line.bytes);
        for (;;) {
            const rd_kafka_resp_err_t err = rd_kafka_producev(
                producer.get(), RD_KAFKA_V_TOPIC(config.topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_VALUE(const_cast<char*>(line.bytes.data()), line.bytes.size()),
                RD_KAFKA_V_KEY(key.empty() ? nullptr : key.data(), key.size()), RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {  // bounded local queue: wait for reports
                rd_kafka_poll(producer.get(), 100);
                continue;
            }
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                ++counters.failed;
                problems << line.origin << ": not sent: " << rd_kafka_err2str(err) << '\n';
            } else {
                ++report.sent;
            }
            break;
        }
        rd_kafka_poll(producer.get(), 0);
    }
    rd_kafka_flush(producer.get(), flush_wait_ms_max);
    if (rd_kafka_outq_len(producer.get()) > 0) {
        rd_kafka_purge(producer.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(producer.get(), flush_wait_ms_max);
    }
    report.delivered = counters.delivered;
    report.failed = counters.failed;
    return report;
}

}  // namespace likvard::ingest
