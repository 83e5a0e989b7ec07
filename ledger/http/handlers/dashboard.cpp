// The two reads the dashboard (GET /) needs beside the statements: special commitments
// against appropriations per month (projection.commitment_month) and the ingestion status
// of a region (head, projection checkpoint and lag, rejections by reason). Read-only, role
// reader, each in one REPEATABLE READ snapshot; money as the views' exact SEK text.
#include <ctime>

#include <pqxx/pqxx>

#include "http/detail/context.hpp"
#include "projections/projections.hpp"

namespace likvard::http::detail {
namespace {

constexpr std::int64_t range_months_max = 600;
constexpr std::int64_t rejection_reasons_max = 100;

using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

boost::json::value text_or_null(const pqxx::field& field) {
    if (field.is_null()) return nullptr;
    return boost::json::string(field.c_str());
}


// Every month of the range, with zeros where nothing was booked: cost, appropriated, unfunded.
boost::json::array month_totals(Snapshot& tx, const std::string& region, const std::string& scheme,
                                const std::string& from, const std::string& to) {
    const auto rows = tx.exec_params(
        "SELECT to_char(m, 'YYYY-MM') AS period, coalesce(sum(c.cost), 0)::numeric(20,2)::text, "
        "coalesce(sum(c.appropriated), 0)::numeric(20,2)::text, coalesce(sum(c.unfunded), 0)::numeric(20,2)::text "
        "FROM generate_series(to_date($3, 'YYYY-MM'), to_date($4, 'YYYY-MM'), interval '1 month') m "
        "LEFT JOIN projection.commitment_month c ON c.region = $1 AND c.scheme = $2 AND c.period = to_char(m, 'YYYY-MM') "
        "GROUP BY m ORDER BY m",
        region, scheme, from, to);
    boost::json::array out;
    for (const auto& row : rows)
        out.push_back({{"period", row[0].c_str()}, {"cost", row[1].c_str()}, {"appropriated", row[2].c_str()},
                       {"unfunded", row[3].c_str()}});
    return out;
}

boost::json::array commitment_rows(Snapshot& tx, const std::string& region, const std::string& scheme,
                                   const std::string& from, const std::string& to) {
    const auto rows = tx.exec_params(
        "SELECT period, commitment, cost::text, appropriated::text, unfunded::text, fte::text, decision_refs "
        "FROM projection.commitment_month WHERE region = $1 AND scheme = $2 AND period BETWEEN $3 AND $4 "
        "ORDER BY period, commitment",
        region, scheme, from, to);
    boost::json::array out;
    for (const auto& row : rows)
        out.push_back({{"period", row[0].c_str()},       {"commitment", row[1].c_str()},
                       {"cost", row[2].c_str()},         {"appropriated", row[3].c_str()},
                       {"unfunded", row[4].c_str()},     {"fte", text_or_null(row[5])},
                       {"decision_refs", text_or_null(row[6])}});
    return out;
}

Response commitments_monthly(Context& context, const Request& request) {
    const std::string region = region_of(request);
    const std::string scheme = scheme_value("scheme", required_param(request, "scheme"));
    const auto from = month_param(request, "from");
    const auto to = month_param(request, "to");
    if (!from) bad_parameter("from", "is required");
    if (!to) bad_parameter("to", "is required");
    check_month_range(from, to);
    check_months_at_most(*from, *to, range_months_max);
    auto store = context.pool.acquire();
    Snapshot tx(store->connection());
    if (!projections_built(tx))
        throw ProblemError({503, "projections-unavailable", "Service unavailable",
                            "the projections are not built yet (likvard projections run)", {}});
    const auto checkpoint = tx.exec_params("SELECT seq FROM projection.checkpoints WHERE region = $1", region);
    return json_response(boost::json::object{
        {"region", region},
        {"scheme", scheme},
        {"from", *from},
        {"to", *to},
        {"projected_seq", checkpoint.empty() ? boost::json::value(0) : boost::json::value(checkpoint[0][0].as<std::int64_t>())},
        {"months", month_totals(tx, region, scheme, *from, *to)},
        {"commitments", commitment_rows(tx, region, scheme, *from, *to)}});
}

// Rejected inputs by reason: those of the region, and those whose region could not be read.
boost::json::array rejections_by_reason(Snapshot& tx, const std::string& region, bool unreadable_region) {
    const auto rows = tx.exec_params(
        "SELECT reason, count(*), to_json(max(received_at)) #>> '{}' FROM ledger.rejections "
        "WHERE CASE WHEN $2 THEN region IS NULL ELSE region = $1 END GROUP BY reason ORDER BY count(*) DESC, reason LIMIT $3",
        region, unreadable_region, rejection_reasons_max);
    boost::json::array out;
    for (const auto& row : rows)
        out.push_back({{"reason", row[0].c_str()}, {"rejections", row[1].as<std::int64_t>()}, {"last_received_at", row[2].c_str()}});
    return out;
}

boost::json::value optional_integer(const std::optional<std::int64_t>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

std::string utc_text(std::chrono::system_clock::time_point at) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

// Kafka's partitions as the ledger and the brokers see them (shared by every region: a
// partition carries several regions' events). The lag is null when the brokers are not read.
boost::json::object kafka_status(Context& context, Snapshot& tx) {
    const auto [state, reading] = broker_now(context);
    boost::json::array partitions;
    for (const PartitionLag& lag : ingest_lags(stored_offsets(tx), reading))
        partitions.push_back({{"consumer_group", lag.consumer_group},
                              {"topic", lag.topic},
                              {"partition", lag.partition},
                              {"offset_next", optional_integer(lag.offset_next)},
                              {"high_watermark", optional_integer(lag.high_watermark)},
                              {"lag", optional_integer(lag.lag)}});
    return {{"broker", broker_state_name(state)},
            {"read_at", reading ? boost::json::value(utc_text(reading->read_at)) : boost::json::value(nullptr)},
            {"partitions", std::move(partitions)}};
}

Response ingestion(Context& context, const Request& request) {
    const std::string region = region_of(request);
    auto store = context.pool.acquire();
    Snapshot tx(store->connection());
    const auto head = tx.exec_params(
        "SELECT seq, encode(hash, 'hex'), to_json(recorded_at) #>> '{}' FROM ledger.events WHERE region = $1 "
        "ORDER BY seq DESC LIMIT 1",
        region);
    const std::int64_t head_seq = head.empty() ? 0 : head[0][0].as<std::int64_t>();
    boost::json::object out{{"region", region},
                            {"head_seq", head_seq},
                            {"head_hash", head.empty() ? boost::json::value(nullptr) : text_or_null(head[0][1])},
                            {"head_recorded_at", head.empty() ? boost::json::value(nullptr) : text_or_null(head[0][2])},
                            {"projected_seq", nullptr},
                            {"projection_lag", nullptr},
                            {"projected_at", nullptr}};
    if (projections_built(tx)) {
        const auto checkpoint = tx.exec_params(
            "SELECT seq, to_json(updated_at) #>> '{}' FROM projection.checkpoints WHERE region = $1", region);
        const std::int64_t projected = checkpoint.empty() ? 0 : checkpoint[0][0].as<std::int64_t>();
        out["projected_seq"] = projected;
        out["projection_lag"] = head_seq - projected;
        out["projected_at"] = checkpoint.empty() ? boost::json::value(nullptr) : text_or_null(checkpoint[0][1]);
    }
    out["rejections_by_reason"] = rejections_by_reason(tx, region, false);
    out["rejections_without_region_by_reason"] = rejections_by_reason(tx, region, true);
    out["kafka"] = kafka_status(context, tx);
    return json_response(out);
}

}  // namespace

void add_dashboard_routes(Router& router, const ContextPtr& context) {
    router.add({"GET", "/v1/regions/{region}/commitments/monthly", Role::reader, {"scheme", "from", "to"},
                [context](const Request& r) { return commitments_monthly(*context, r); }});
    router.add({"GET", "/v1/regions/{region}/ingestion", Role::reader, {},
                [context](const Request& r) { return ingestion(*context, r); }});
}

}  // namespace likvard::http::detail
