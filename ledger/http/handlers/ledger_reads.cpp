// Reads of one region's ledger, as of a position: parties, listings, postings (paged by a
// cursor), one event with its postings, rejections (paged; a page names each one's size,
// and one route gives one rejection's bytes, so a page stays small), the head. Every read
// is one REPEATABLE READ snapshot, so a page and its as_of_seq agree.
#include <regex>

#include "http/detail/context.hpp"
#include "store/reads.hpp"

namespace likvard::http::detail {
namespace {

constexpr std::int64_t page_rows_default = 500;
constexpr std::int64_t page_rows_max = 5'000;
constexpr std::int64_t seq_max = std::numeric_limits<std::int64_t>::max();

std::string hex_of(const Hash& hash) { return hash_hex(hash); }

boost::json::value nullable(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    return boost::json::string(*text);
}

Response head(Context& context, const Request& request) {
    const std::string region = region_of(request);
    auto store = context.pool.acquire();
    const Head h = store->head(region);
    return json_response(boost::json::object{{"region", region}, {"seq", h.seq}, {"hash", hash_hex(h.hash)}});
}

Response parties(Context& context, const Request& request) {
    const std::string region = region_of(request);
    const auto as_of = integer_param(request, "as_of", 0, seq_max);
    auto store = context.pool.acquire();
    const PartiesAsOf read = parties_as_of(*store, region, as_of);
    const std::int64_t seq = read.as_of_seq;
    boost::json::array out;
    for (const PartyRow& row : read.parties) {
        boost::json::object party = boost::json::parse(row.canonical).as_object()["data"].as_object();
        party["registered_seq"] = row.registered_seq;
        party["retired_seq"] = row.retired_seq ? boost::json::value(*row.retired_seq) : boost::json::value(nullptr);
        out.push_back(std::move(party));
    }
    return json_response(boost::json::object{{"region", region}, {"as_of_seq", seq}, {"parties", std::move(out)}});
}

Response listings(Context& context, const Request& request) {
    const std::string region = region_of(request);
    const auto scheme = text_param(request, "scheme");
    if (scheme) scheme_value("scheme", *scheme);
    const auto from = month_param(request, "from");
    const auto to = month_param(request, "to");
    check_month_range(from, to);
    const auto as_of = integer_param(request, "as_of", 0, seq_max);
    auto store = context.pool.acquire();
    const ListingsAsOf read = listings_as_of(*store, region, {scheme, from, to}, as_of);
    const std::int64_t seq = read.as_of_seq;
    boost::json::array out;
    for (const ListingRow& row : read.listings)
        out.push_back({{"scheme", row.scheme},
                       {"period", row.period},
                       {"provider_id", row.provider_id},
                       {"listed", std::stoll(row.listed)},
                       {"weighted_listed", row.weighted_listed},
                       {"seq", row.seq}});
    return json_response(boost::json::object{{"region", region}, {"as_of_seq", seq}, {"listings", std::move(out)}});
}

boost::json::object posting_json(const PostingRow& row, bool with_event) {
    boost::json::object posting{{"seq", row.seq},
                                {"line", row.line},
                                {"scheme", row.scheme},
                                {"period", row.period},
                                {"account", row.account},
                                {"party", row.party},
                                {"account_class", row.account_class},
                                {"item", row.item},
                                {"amount", money_text(row.amount)}};
    if (with_event) posting["event_id"] = row.event_id;
    return posting;
}

// Cursor "<seq>.<line>": the last posting of the previous page.
std::pair<std::int64_t, std::int64_t> posting_cursor(const Request& request) {
    const auto cursor = text_param(request, "cursor");
    if (!cursor) return {0, 0};
    static const std::regex form("([0-9]{1,18})\\.([0-9]{1,9})");
    std::smatch parts;
    if (!std::regex_match(*cursor, parts, form))
        bad_parameter("cursor", "'" + *cursor + "' is not a cursor of this API");
    return {std::stoll(parts[1]), std::stoll(parts[2])};
}

Response postings(Context& context, const Request& request) {
    const std::string region = region_of(request);
    const auto party = text_param(request, "party");
    static const std::regex party_form("[a-z0-9][a-z0-9-]{1,62}");
    if (party && !std::regex_match(*party, party_form)) bad_parameter("party", "'" + *party + "' is not a party id");
    const auto from = month_param(request, "from");
    const auto to = month_param(request, "to");
    check_month_range(from, to);
    const auto as_of = integer_param(request, "as_of", 0, seq_max);
    const std::int64_t limit = integer_param(request, "limit", 1, page_rows_max).value_or(page_rows_default);
    const auto [after_seq, after_line] = posting_cursor(request);
    auto store = context.pool.acquire();
    const PostingsPage page = postings_page(*store, region, {party, from, to, as_of, after_seq, after_line, limit});
    const std::int64_t seq = page.as_of_seq;
    boost::json::array out;
    for (const PostingRow& row : page.postings) out.push_back(posting_json(row, true));
    boost::json::value next = nullptr;
    if (static_cast<std::int64_t>(page.postings.size()) == limit)
        next = std::to_string(page.postings.back().seq) + "." + std::to_string(page.postings.back().line);
    return json_response(boost::json::object{
        {"region", region}, {"as_of_seq", seq}, {"postings", std::move(out)}, {"next_cursor", next}});
}

Response event(Context& context, const Request& request) {
    const std::string region = region_of(request);
    const std::string id = request.path_params.at("event_id");
    static const std::regex uuid("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    if (!std::regex_match(id, uuid)) bad_parameter("event_id", "'" + id + "' is not a UUID");
    auto store = context.pool.acquire();
    const auto found = event_by_id(*store, region, id);
    if (!found) not_found("no event " + id + " in region " + region);
    boost::json::array postings;
    for (const PostingRow& p : found->postings) postings.push_back(posting_json(p, false));
    return json_response(boost::json::object{{"region", region},
                                             {"seq", found->seq},
                                             {"event_id", boost::json::parse(found->canonical).at("event_id")},
                                             {"type", found->type},
                                             {"hash", hex_of(found->hash)},
                                             {"prev_hash", hex_of(found->prev_hash)},
                                             {"recorded_at", found->recorded_at},
                                             {"canonical", found->canonical},
                                             {"event", boost::json::parse(found->canonical)},
                                             {"postings", std::move(postings)}});
}

// One page of rejected inputs in id order: a region's, or (region nullopt) every one,
// also those whose region could not be read (undecodable bytes name none).
boost::json::object rejections_page(Context& context, const Request& request,
                                    const std::optional<std::string>& region) {
    const auto since = text_param(request, "since");
    static const std::regex timestamp(
        "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?"
        "(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?");
    if (since && !std::regex_match(*since, timestamp))
        bad_parameter("since", "'" + *since + "' is not a date or an RFC 3339 timestamp");
    const std::int64_t limit = integer_param(request, "limit", 1, page_rows_max).value_or(page_rows_default);
    const std::int64_t after = integer_param(request, "cursor", 0, seq_max).value_or(0);
    auto store = context.pool.acquire();
    std::vector<RejectionRow> rows;
    try {
        rows = likvard::rejections_page(*store, {region, since, after, limit});
    } catch (const InvalidTime&) {
        bad_parameter("since", "'" + *since + "' is not a valid date or time");
    }
    boost::json::array out;
    for (const RejectionRow& row : rows) {
        out.push_back({{"id", row.id},
                       {"received_at", row.received_at},
                       {"region", nullable(row.region)},
                       {"event_id", nullable(row.event_id)},
                       {"reason", row.reason},
                       {"message", row.message},
                       {"source_kind", row.source_kind},
                       {"source_file", nullable(row.source_file)},
                       {"source_line", nullable(row.source_line)},
                       {"kafka_topic", nullable(row.kafka_topic)},
                       {"kafka_partition", nullable(row.kafka_partition)},
                       {"kafka_offset", nullable(row.kafka_offset)},
                       {"http_peer", nullable(row.http_peer)},
                       {"raw_bytes", row.raw_bytes}});
    }
    boost::json::value next = nullptr;
    if (static_cast<std::int64_t>(rows.size()) == limit) next = std::to_string(rows.back().id);
    return {{"rejections", std::move(out)}, {"next_cursor", next}};
}

Response region_rejections(Context& context, const Request& request) {
    const std::string region = region_of(request);
    boost::json::object out{{"region", region}};
    for (auto& [key, value] : rejections_page(context, request, region)) out.emplace(key, std::move(value));
    return json_response(out);
}

Response all_rejections(Context& context, const Request& request) {
    return json_response(rejections_page(context, request, std::nullopt));
}

// One rejected input's bytes, exactly as received (at most what an entry point accepts).
Response rejection_raw(Context& context, const Request& request) {
    const std::string& id = request.path_params.at("id");
    static const std::regex digits("[0-9]{1,18}");
    if (!std::regex_match(id, digits)) bad_parameter("id", "'" + id + "' is not a rejection id");
    auto store = context.pool.acquire();
    auto raw = likvard::rejection_raw(*store, std::stoll(id));
    if (!raw) not_found("no rejection " + id);
    Response response;
    response.content_type = "application/octet-stream";
    response.body = std::move(*raw);
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"rejection-" + id + ".raw\"");
    return response;
}

}  // namespace

void add_ledger_routes(Router& router, const ContextPtr& context) {
    const auto bind = [&context](Response (*handler)(Context&, const Request&)) {
        return [context, handler](const Request& r) { return handler(*context, r); };
    };
    router.add({"GET", "/v1/regions/{region}/head", Role::reader, {}, bind(head)});
    router.add({"GET", "/v1/regions/{region}/parties", Role::reader, {"as_of"}, bind(parties)});
    router.add(
        {"GET", "/v1/regions/{region}/listings", Role::reader, {"scheme", "from", "to", "as_of"}, bind(listings)});
    router.add({"GET",
                "/v1/regions/{region}/postings",
                Role::auditor,
                {"party", "from", "to", "as_of", "cursor", "limit"},
                bind(postings)});
    router.add({"GET", "/v1/regions/{region}/events/{event_id}", Role::auditor, {}, bind(event)});
    router.add({"GET",
                "/v1/regions/{region}/rejections",
                Role::auditor,
                {"since", "cursor", "limit"},
                bind(region_rejections)});
    // Every region's and those without one (bytes that do not decode name no region).
    router.add({"GET", "/v1/rejections", Role::auditor, {"since", "cursor", "limit"}, bind(all_rejections)});
    router.add({"GET", "/v1/rejections/{id}/raw", Role::auditor, {}, bind(rejection_raw)});
}

}  // namespace likvard::http::detail
