// GET /healthz (the process answers), GET /readyz (PostgreSQL answers and the projections
// are close enough to the head; a public route, so it answers fixed sentences and the
// reason goes to the log), GET /metrics (Prometheus text: the probe's counters and the
// ledger's own figures, read from PostgreSQL at scrape time).
#include <spdlog/spdlog.h>

#include "http/detail/context.hpp"
#include "store/reads.hpp"

namespace likvard::http::detail {
namespace {

Response healthz(const Request&) { return json_response(boost::json::object{{"status", "ok"}}); }

// Projections behind by more than the limit, or not reported yet when a runner is expected.
std::optional<std::string> projection_problem(Context& context) {
    std::lock_guard lock(context.projections_mutex);
    if (!context.projections)
        return context.config.projections_expected
                   ? std::optional<std::string>("the projection runner has not reported yet")
                   : std::nullopt;
    for (const ProjectionLag& lag : *context.projections) {
        const std::int64_t behind = lag.head_seq - lag.projected_seq;
        if (behind > context.config.ready_lag_max_events)
            return "projections of " + lag.region + " are " + std::to_string(behind) + " events behind the head";
    }
    if (!context.projection_error.empty()) return "projection runner: " + context.projection_error;
    return std::nullopt;
}

// Why the server is not ready, or nullopt; the reason may name hosts, roles and regions.
std::optional<std::string> readiness_problem(Context& context) {
    try {
        auto store = context.pool.acquire();
        ping(*store);
    } catch (const std::exception& error) {
        return std::string("the database does not answer: ") + error.what();
    }
    return projection_problem(context);
}

// Public: the answer is one of two fixed sentences; the reason is in the log only.
Response readyz(Context& context, const Request& request) {
    const auto problem = readiness_problem(context);
    if (!problem) return json_response(boost::json::object{{"status", "ready"}});
    spdlog::warn("/readyz: not ready: {}", *problem);
    return problem_response(problem_of("not-ready", "the server is not ready; its log says why"), request.path);
}

std::string label(const std::string& value) {
    std::string out;
    for (const char c : value) {
        if (c == '\\' || c == '"' || c == '\n') out += '\\';
        out += c == '\n' ? 'n' : c;
    }
    return out;
}

// The brokers' side of the ingest lag (docs/operating.md, "Metrics"), from the monitor's last reading.
void broker_metrics(Context& context, const std::vector<StoredOffset>& stored, std::string& out) {
    const auto [state, reading] = broker_now(context);
    if (state == BrokerState::not_configured) return;
    out += "# HELP likvard_broker_up 1 when the Kafka brokers answered the latest watermark reading, else 0.\n";
    out += "# TYPE likvard_broker_up gauge\n";
    out += std::string("likvard_broker_up ") + (state == BrokerState::up ? "1" : "0") + "\n";
    {
        std::lock_guard lock(context.broker_mutex);
        if (context.broker) {
            out += "# HELP likvard_broker_reading_age_seconds Seconds since the brokers' watermarks were last read.\n";
            out += "# TYPE likvard_broker_reading_age_seconds gauge\n";
            const std::chrono::duration<double> age = std::chrono::system_clock::now() - context.broker->read_at;
            out += "likvard_broker_reading_age_seconds " + std::to_string(age.count()) + "\n";
        }
    }
    if (!reading) return;
    out +=
        "# HELP likvard_ingest_partition_high_watermark The offset the next message of a partition will get, from the brokers.\n";
    out += "# TYPE likvard_ingest_partition_high_watermark gauge\n";
    for (const BrokerPartition& p : reading->partitions)
        out += "likvard_ingest_partition_high_watermark{topic=\"" + label(p.topic) + "\",partition=\"" +
               std::to_string(p.partition) + "\"} " + std::to_string(p.high_watermark) + "\n";
    out +=
        "# HELP likvard_ingest_lag_messages Messages in Kafka not yet in the ledger: high watermark - the ledger's next offset.\n";
    out += "# TYPE likvard_ingest_lag_messages gauge\n";
    for (const PartitionLag& lag : ingest_lags(stored, reading)) {
        if (!lag.lag) continue;
        out += "likvard_ingest_lag_messages{consumer_group=\"" + label(lag.consumer_group) + "\",topic=\"" +
               label(lag.topic) + "\",partition=\"" + std::to_string(lag.partition) + "\"} " +
               std::to_string(*lag.lag) + "\n";
    }
}

// The offsets the ledger holds (also without brokers), then the brokers' side.
void offset_metrics(Store& store, Context& context, std::string& out) {
    out +=
        "# HELP likvard_ingest_offset_next The next Kafka offset the ledger holds per consumer group and partition.\n";
    out += "# TYPE likvard_ingest_offset_next gauge\n";
    std::string ages =
        "# HELP likvard_ingest_offset_age_seconds Seconds since a partition's offset last moved.\n"
        "# TYPE likvard_ingest_offset_age_seconds gauge\n";
    std::vector<StoredOffset> stored;
    for (const OffsetRow& row : likvard::stored_offsets(store)) {
        stored.push_back({row.consumer_group, row.topic, row.partition, row.offset_next});
        const std::string labels = "consumer_group=\"" + label(row.consumer_group) + "\",topic=\"" + label(row.topic) +
                                   "\",partition=\"" + std::to_string(row.partition) + "\"";
        out += "likvard_ingest_offset_next{" + labels + "} " + std::to_string(row.offset_next) + "\n";
        ages += "likvard_ingest_offset_age_seconds{" + labels + "} " + row.age_seconds + "\n";
    }
    out += ages;
    broker_metrics(context, stored, out);
}

void ledger_metrics(Context& context, Store& store, std::string& out) {
    out += "# HELP likvard_ledger_events Events appended to the ledger, per region (its head seq).\n";
    out += "# TYPE likvard_ledger_events gauge\n";
    for (const std::string& region : store.regions())
        out +=
            "likvard_ledger_events{region=\"" + label(region) + "\"} " + std::to_string(store.head(region).seq) + "\n";
    out += "# HELP likvard_ledger_rejections Inputs kept as rejected, by reason and entry point.\n";
    out += "# TYPE likvard_ledger_rejections gauge\n";
    for (const RejectionCount& row : rejection_counts(store))
        out += "likvard_ledger_rejections{reason=\"" + label(row.reason) + "\",source=\"" + label(row.source_kind) +
               "\"} " + std::to_string(row.count) + "\n";
    offset_metrics(store, context, out);
}

void projection_metrics(Context& context, std::string& out) {
    std::lock_guard lock(context.projections_mutex);
    if (!context.projections) return;
    out += "# HELP likvard_projection_lag_events Events committed to the ledger but not yet projected, per region.\n";
    out += "# TYPE likvard_projection_lag_events gauge\n";
    for (const ProjectionLag& lag : *context.projections)
        out += "likvard_projection_lag_events{region=\"" + label(lag.region) + "\"} " +
               std::to_string(lag.head_seq - lag.projected_seq) + "\n";
}

Response metrics(Context& context, const Request&) {
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = context.probe->render();
    projection_metrics(context, response.body);
    auto store = context.pool.acquire();
    ledger_metrics(context, *store, response.body);
    return response;
}

}  // namespace

void add_operation_routes(Router& router, const ContextPtr& context) {
    router.add({"GET", "/healthz", Role::none, {}, healthz});
    router.add({"GET", "/readyz", Role::none, {}, [context](const Request& r) { return readyz(*context, r); }});
    router.add({"GET", "/metrics", Role::reader, {}, [context](const Request& r) { return metrics(*context, r); }});
}

}  // namespace likvard::http::detail
