// POST /v1/events: the third entry point into the ledger (after files and Kafka), through
// the same append path (Store::append). The body is NDJSON, at most 5 MB; the answer has
// one result per non-empty line: appended (with its seq), duplicate, or rejected with the
// reason code, the message and the field it names. Rejections are kept in the ledger.
#include "http/detail/context.hpp"

namespace likvard::http::detail {
namespace {

// Only application/x-ndjson (parameters such as charset aside): a page of another site can
// send a form or text/plain without the browser asking this server first, never this type.
bool ndjson_media_type(const Request& request) {
    const auto header = request.headers.find("content-type");
    if (header == request.headers.end()) return false;
    std::string type = header->second.substr(0, header->second.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return type == "application/x-ndjson";
}

std::vector<Incoming> split_lines(const Request& request) {
    std::vector<Incoming> batch;
    std::size_t start = 0;
    for (std::int64_t number = 1; start < request.body.size(); ++number) {
        std::size_t end = request.body.find('\n', start);
        if (end == std::string::npos) end = request.body.size();
        std::string line = request.body.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        start = end + 1;
        if (line.empty()) continue;
        batch.push_back({std::move(line), Source{Source::Kind::http, request.peer, number, -1, -1}});
    }
    return batch;
}

std::string_view outcome_name(Outcome outcome) {
    switch (outcome) {
        case Outcome::appended: return "appended";
        case Outcome::duplicate: return "duplicate";
        case Outcome::rejected: return "rejected";
    }
    return "rejected";
}

boost::json::object result_json(const Incoming& input, const ItemResult& item) {
    boost::json::object out{{"line", input.source.line}, {"outcome", outcome_name(item.outcome)}};
    if (!item.event_id.empty()) out["event_id"] = item.event_id;
    if (!item.region.empty()) out["region"] = item.region;
    if (item.outcome != Outcome::rejected && item.seq > 0) out["seq"] = item.seq;
    if (item.rejection) {
        out["reason"] = reason_code(item.rejection->reason);
        out["message"] = item.rejection->message;
        const std::string& message = item.rejection->message;
        if (!message.empty() && message.front() == '/') out["field"] = message.substr(0, message.find(':'));
    }
    return out;
}

Response post_events(Context& context, const Request& request) {
    if (!ndjson_media_type(request))
        throw ProblemError(problem_of("unsupported-media-type",
                                      "send the events as Content-Type: application/x-ndjson (one event per line)",
                                      "Content-Type"));
    const std::vector<Incoming> batch = split_lines(request);
    if (batch.empty()) throw ProblemError(problem_of("empty-body", "the body holds no event", "body"));
    AppendResult appended;
    {
        auto store = context.pool.acquire();
        appended = store->append(batch);
    }
    boost::json::array results;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const ItemResult& item = appended.items[i];
        if (item.outcome == Outcome::appended) context.heads.forget(item.region);  // read your own writes
        context.probe->ingest(outcome_name(item.outcome), item.rejection ? reason_code(item.rejection->reason) : "");
        results.push_back(result_json(batch[i], item));
    }
    return json_response(boost::json::object{{"appended", appended.appended},
                                             {"duplicates", appended.duplicates},
                                             {"rejected", appended.rejected},
                                             {"results", std::move(results)}});
}

Response static_file(const Request& request) {
    const auto tail = request.path_params.find("path");
    const std::optional<std::string> name =
        tail == request.path_params.end() ? std::optional<std::string>("index.html") : safe_asset_name(tail->second);
    if (!name) bad_parameter("path", "not a file name below /assets/");
    const std::string key = tail == request.path_params.end() ? *name : "assets/" + *name;
    const auto& files = static_files();
    const auto found = files.find(key);
    if (found == files.end()) not_found("no file " + key);
    Response response;
    response.content_type = found->second.content_type;
    response.body = std::string(found->second.bytes);
    response.headers.emplace_back("Cache-Control", "no-cache");
    response.headers.emplace_back("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    return response;
}

}  // namespace

void add_event_routes(Router& router, const ContextPtr& context) {
    router.add({"POST",
                "/v1/events",
                Role::writer,
                {},
                [context](const Request& r) { return post_events(*context, r); },
                events_body_bytes_max});
}

void add_static_routes(Router& router) {
    router.add({"GET", "/", Role::none, {}, static_file});
    router.add({"GET", "/assets/{path*}", Role::none, {}, static_file});
}

}  // namespace likvard::http::detail
