// The reads the dashboard (GET /) needs beside the statements: special commitments against
// appropriations per month (projection.commitment_month), the ingestion status of a region
// (head, projection checkpoint and lag, rejections by reason), each read-only, role reader,
// in one REPEATABLE READ snapshot, money as the views' exact SEK text; and the table of
// labels of one language with its number format (public: the words, no figures), so that
// the page shows what the statements' renderers show from the one table in labels.cpp.
#include <ctime>

#include "http/detail/context.hpp"
#include "projections/dashboard.hpp"
#include "statements/statements.hpp"

namespace likvard::http::detail {
namespace {

constexpr std::int64_t range_months_max = 600;
constexpr std::int64_t rejection_reasons_max = 100;

boost::json::value text_or_null(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    return boost::json::string(*text);
}

boost::json::array reason_counts(const std::vector<ReasonCount>& counts) {
    boost::json::array out;
    for (const ReasonCount& row : counts)
        out.push_back(
            {{"reason", row.reason}, {"rejections", row.rejections}, {"last_received_at", row.last_received_at}});
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
    const auto read = commitment_months(*store, region, scheme, *from, *to);
    if (!read)
        throw ProblemError(
            problem_of("projections-unavailable", "the projections are not built yet (likvard projections run)"));
    boost::json::array months;
    for (const MonthTotal& m : read->months)
        months.push_back(
            {{"period", m.period}, {"cost", m.cost}, {"appropriated", m.appropriated}, {"unfunded", m.unfunded}});
    boost::json::array commitments;
    for (const CommitmentMonthRow& c : read->commitments)
        commitments.push_back({{"period", c.period},
                               {"commitment", c.commitment},
                               {"cost", c.cost},
                               {"appropriated", c.appropriated},
                               {"unfunded", c.unfunded},
                               {"fte", text_or_null(c.fte)},
                               {"decision_refs", text_or_null(c.decision_refs)}});
    return json_response(boost::json::object{{"region", region},
                                             {"scheme", scheme},
                                             {"from", *from},
                                             {"to", *to},
                                             {"projected_seq", read->projected_seq},
                                             {"months", std::move(months)},
                                             {"commitments", std::move(commitments)}});
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
boost::json::object kafka_status(Context& context, const std::vector<OffsetRow>& offsets) {
    const auto [state, reading] = broker_now(context);
    boost::json::array partitions;
    std::vector<StoredOffset> stored;
    for (const OffsetRow& row : offsets)
        stored.push_back({row.consumer_group, row.topic, row.partition, row.offset_next});
    for (const PartitionLag& lag : ingest_lags(stored, reading))
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
    const IngestionStatus status = ingestion_status(*store, region, rejection_reasons_max);
    boost::json::object out{{"region", region},
                            {"head_seq", status.head_seq},
                            {"head_hash", text_or_null(status.head_hash)},
                            {"head_recorded_at", text_or_null(status.head_recorded_at)},
                            {"projected_seq", nullptr},
                            {"projection_lag", nullptr},
                            {"projected_at", nullptr}};
    if (status.projections_built) {
        out["projected_seq"] = status.projected_seq;
        out["projection_lag"] = status.head_seq - status.projected_seq;
        out["projected_at"] = text_or_null(status.projected_at);
    }
    out["rejections_by_reason"] = reason_counts(status.rejections_by_reason);
    out["rejections_without_region_by_reason"] = reason_counts(status.rejections_without_region_by_reason);
    out["kafka"] = kafka_status(context, status.offsets);
    return json_response(out);
}

Response labels(const Request& request) {
    const std::string lang = text_param(request, "lang").value_or("sv");
    const auto language = language_of(lang);
    if (!language) bad_parameter("lang", "'" + lang + "' is not sv or en");
    const NumberFormat& format = *language == Language::sv ? swedish_numbers : english_numbers;
    boost::json::object texts;
    for (const Label& label : statement_labels()) texts[label.key] = *language == Language::sv ? label.sv : label.en;
    boost::json::object out{{"lang", lang},
                            {"number_format",
                             {{"thousands_separator", format.thousands_separator},
                              {"decimal_sign", format.decimal_sign},
                              {"percent_sign", format.percent_sign}}},
                            {"labels", std::move(texts)}};
    return json_response(out);
}

}  // namespace

void add_dashboard_routes(Router& router, const ContextPtr& context) {
    router.add({"GET",
                "/v1/regions/{region}/commitments/monthly",
                Role::reader,
                {"scheme", "from", "to"},
                [context](const Request& r) { return commitments_monthly(*context, r); }});
    router.add({"GET", "/v1/regions/{region}/ingestion", Role::reader, {}, [context](const Request& r) {
                    return ingestion(*context, r);
                }});
    router.add({"GET", "/v1/labels", Role::none, {"lang"}, labels});
}

}  // namespace likvard::http::detail
