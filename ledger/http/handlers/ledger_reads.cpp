// Reads of one region's ledger, as of a position: parties, listings, postings (paged by a
// cursor), one event with its postings, rejections (paged; a page names each one's size,
// and one route gives one rejection's bytes, so a page stays small), the head. Every read
// is one REPEATABLE READ snapshot, so a page and its as_of_seq agree.
#include <regex>

#include <pqxx/pqxx>

#include "http/detail/context.hpp"

namespace likvard::http::detail {
namespace {

constexpr std::int64_t page_rows_default = 500;
constexpr std::int64_t page_rows_max = 5'000;
constexpr std::int64_t seq_max = std::numeric_limits<std::int64_t>::max();

using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// libpqxx 6 passes a null const char* as SQL NULL.
const char* or_null(const std::optional<std::string>& value) { return value ? value->c_str() : nullptr; }

std::string hex_of(const pqxx::field& field) {
    const pqxx::binarystring bytes(field);
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char byte : bytes.str()) {
        out += digits[byte >> 4];
        out += digits[byte & 0x0f];
    }
    return out;
}

// The position a read is as of: the `as_of` asked (at most the head), else the head.
std::int64_t position(Snapshot& tx, const std::string& region, std::optional<std::int64_t> as_of) {
    const auto row = tx.exec_params1("SELECT coalesce(max(seq), 0) FROM ledger.events WHERE region = $1", region);
    const std::int64_t head = row[0].as<std::int64_t>();
    return as_of ? std::min(*as_of, head) : head;
}

boost::json::value parse_canonical(const pqxx::field& field) {
    const pqxx::binarystring bytes(field);
    return boost::json::parse(bytes.str());
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
    Snapshot tx(store->connection());
    const std::int64_t seq = position(tx, region, as_of);
    const auto rows = tx.exec_params(
        "SELECT e.seq, e.canonical, (SELECT min(r.seq) FROM ledger.events r WHERE r.region = e.region "
        "AND r.type = 'party.retired' AND r.seq <= $2 AND convert_from(r.canonical, 'UTF8')::jsonb #>> '{data,party_id}' "
        "= convert_from(e.canonical, 'UTF8')::jsonb #>> '{data,party_id}') "
        "FROM ledger.events e WHERE e.region = $1 AND e.type = 'party.registered' AND e.seq <= $2 ORDER BY e.seq",
        region, seq);
    boost::json::array out;
    for (const auto& row : rows) {
        boost::json::object party = parse_canonical(row[1]).as_object()["data"].as_object();
        party["registered_seq"] = row[0].as<std::int64_t>();
        party["retired_seq"] = row[2].is_null() ? boost::json::value(nullptr) : boost::json::value(row[2].as<std::int64_t>());
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
    Snapshot tx(store->connection());
    const std::int64_t seq = position(tx, region, as_of);
    // The last listing recorded per scheme, month and provider (the statements' rule).
    const auto rows = tx.exec_params(
        "SELECT DISTINCT ON (scheme, period, d->>'provider_id') scheme, period, d->>'provider_id', d->>'listed', "
        "d->>'weighted_listed', seq FROM (SELECT scheme, period, seq, convert_from(canonical, 'UTF8')::jsonb->'data' AS d "
        "FROM ledger.events WHERE region = $1 AND type = 'listing.recorded' AND seq <= $2 "
        "AND ($3::text IS NULL OR scheme = $3) AND ($4::text IS NULL OR period >= $4) AND ($5::text IS NULL OR period <= $5)) l "
        "ORDER BY scheme, period, d->>'provider_id', seq DESC",
        region, seq, or_null(scheme), or_null(from), or_null(to));
    boost::json::array out;
    for (const auto& row : rows)
        out.push_back({{"scheme", row[0].c_str()}, {"period", row[1].c_str()}, {"provider_id", row[2].c_str()},
                       {"listed", std::stoll(row[3].c_str())}, {"weighted_listed", row[4].c_str()},
                       {"seq", row[5].as<std::int64_t>()}});
    return json_response(boost::json::object{{"region", region}, {"as_of_seq", seq}, {"listings", std::move(out)}});
}

boost::json::object posting_json(const pqxx::row& row, bool with_event) {
    boost::json::object posting{{"seq", row["seq"].as<std::int64_t>()},   {"line", row["line"].as<std::int64_t>()},
                                {"scheme", row["scheme"].c_str()},        {"period", row["period"].c_str()},
                                {"account", row["account"].c_str()},      {"party", row["party"].c_str()},
                                {"account_class", row["account_class"].c_str()}, {"item", row["item"].c_str()},
                                {"amount", money_text(row["amount"].as<std::int64_t>())}};
    if (with_event) posting["event_id"] = row["event_id"].c_str();
    return posting;
}

// Cursor "<seq>.<line>": the last posting of the previous page.
std::pair<std::int64_t, std::int64_t> posting_cursor(const Request& request) {
    const auto cursor = text_param(request, "cursor");
    if (!cursor) return {0, 0};
    static const std::regex form("([0-9]{1,18})\\.([0-9]{1,9})");
    std::smatch parts;
    if (!std::regex_match(*cursor, parts, form)) bad_parameter("cursor", "'" + *cursor + "' is not a cursor of this API");
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
    Snapshot tx(store->connection());
    const std::int64_t seq = position(tx, region, as_of);
    const auto rows = tx.exec_params(
        "SELECT seq, line, event_id, scheme, period, account, party, account_class, item, amount FROM ledger.postings "
        "WHERE region = $1 AND seq <= $2 AND (seq, line) > ($3, $4) AND ($5::text IS NULL OR party = $5) "
        "AND ($6::text IS NULL OR period >= $6) AND ($7::text IS NULL OR period <= $7) ORDER BY seq, line LIMIT $8",
        region, seq, after_seq, after_line, or_null(party), or_null(from), or_null(to), limit);
    boost::json::array out;
    for (const auto& row : rows) out.push_back(posting_json(row, true));
    boost::json::value next = nullptr;
    if (static_cast<std::int64_t>(rows.size()) == limit)
        next = rows.back()["seq"].as<std::string>() + "." + rows.back()["line"].as<std::string>();
    return json_response(boost::json::object{
        {"region", region}, {"as_of_seq", seq}, {"postings", std::move(out)}, {"next_cursor", next}});
}

Response event(Context& context, const Request& request) {
    const std::string region = region_of(request);
    const std::string id = request.path_params.at("event_id");
    static const std::regex uuid("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    if (!std::regex_match(id, uuid)) bad_parameter("event_id", "'" + id + "' is not a UUID");
    auto store = context.pool.acquire();
    Snapshot tx(store->connection());
    const auto rows = tx.exec_params(
        "SELECT seq, type, canonical, prev_hash, hash, to_json(recorded_at) #>> '{}' FROM ledger.events WHERE region = $1 AND event_id = $2",
        region, id);
    if (rows.empty()) not_found("no event " + id + " in region " + region);
    const auto& row = rows[0];
    const std::int64_t seq = row[0].as<std::int64_t>();
    boost::json::array postings;
    for (const auto& p : tx.exec_params("SELECT seq, line, event_id, scheme, period, account, party, account_class, item, "
                                        "amount FROM ledger.postings WHERE region = $1 AND seq = $2 ORDER BY line",
                                        region, seq))
        postings.push_back(posting_json(p, false));
    const pqxx::binarystring canonical(row[2]);
    return json_response(boost::json::object{{"region", region},
                                             {"seq", seq},
                                             {"event_id", boost::json::parse(canonical.str()).at("event_id")},
                                             {"type", row[1].c_str()},
                                             {"hash", hex_of(row[4])},
                                             {"prev_hash", hex_of(row[3])},
                                             {"recorded_at", row[5].c_str()},
                                             {"canonical", canonical.str()},
                                             {"event", boost::json::parse(canonical.str())},
                                             {"postings", std::move(postings)}});
}

boost::json::value nullable(const pqxx::field& field) {
    if (field.is_null()) return nullptr;
    return boost::json::string(field.c_str());
}

// One page of rejected inputs in id order: a region's, or (region nullopt) every one,
// also those whose region could not be read (undecodable bytes name none).
boost::json::object rejections_page(Context& context, const Request& request, const std::optional<std::string>& region) {
    const auto since = text_param(request, "since");
    static const std::regex timestamp("[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?"
                                      "(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?");
    if (since && !std::regex_match(*since, timestamp))
        bad_parameter("since", "'" + *since + "' is not a date or an RFC 3339 timestamp");
    const std::int64_t limit = integer_param(request, "limit", 1, page_rows_max).value_or(page_rows_default);
    const std::int64_t after = integer_param(request, "cursor", 0, seq_max).value_or(0);
    auto store = context.pool.acquire();
    Snapshot tx(store->connection());
    pqxx::result rows;
    try {
        rows = tx.exec_params(
            "SELECT id, to_json(received_at) #>> '{}' AS received_at, region, event_id, reason, message, source_kind, "
            "source_file, source_line, kafka_topic, kafka_partition, kafka_offset, http_peer, octet_length(raw) AS raw_bytes "
            "FROM ledger.rejections "
            "WHERE ($1::text IS NULL OR region = $1) AND id > $2 "
            "AND ($3::timestamptz IS NULL OR received_at >= $3::timestamptz) ORDER BY id LIMIT $4",
            or_null(region), after, or_null(since), limit);
    } catch (const pqxx::data_exception&) {
        bad_parameter("since", "'" + *since + "' is not a valid date or time");
    }
    boost::json::array out;
    for (const auto& row : rows) {
        out.push_back({{"id", row["id"].as<std::int64_t>()}, {"received_at", row["received_at"].c_str()},
                       {"region", nullable(row["region"])}, {"event_id", nullable(row["event_id"])},
                       {"reason", row["reason"].c_str()}, {"message", row["message"].c_str()},
                       {"source_kind", row["source_kind"].c_str()}, {"source_file", nullable(row["source_file"])},
                       {"source_line", nullable(row["source_line"])}, {"kafka_topic", nullable(row["kafka_topic"])},
                       {"kafka_partition", nullable(row["kafka_partition"])},
                       {"kafka_offset", nullable(row["kafka_offset"])}, {"http_peer", nullable(row["http_peer"])},
                       {"raw_bytes", row["raw_bytes"].as<std::int64_t>()}});
    }
    boost::json::value next = nullptr;
    if (static_cast<std::int64_t>(rows.size()) == limit) next = rows.back()["id"].as<std::string>();
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
    Snapshot tx(store->connection());
    const auto rows = tx.exec_params("SELECT raw FROM ledger.rejections WHERE id = $1", std::stoll(id));
    if (rows.empty()) not_found("no rejection " + id);
    Response response;
    response.content_type = "application/octet-stream";
    response.body = pqxx::binarystring(rows[0][0]).str();
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
    router.add({"GET", "/v1/regions/{region}/listings", Role::reader, {"scheme", "from", "to", "as_of"}, bind(listings)});
    router.add({"GET", "/v1/regions/{region}/postings", Role::auditor, {"party", "from", "to", "as_of", "cursor", "limit"},
                bind(postings)});
    router.add({"GET", "/v1/regions/{region}/events/{event_id}", Role::auditor, {}, bind(event)});
    router.add({"GET", "/v1/regions/{region}/rejections", Role::auditor, {"since", "cursor", "limit"},
                bind(region_rejections)});
    // Every region's and those without one (bytes that do not decode name no region).
    router.add({"GET", "/v1/rejections", Role::auditor, {"since", "cursor", "limit"}, bind(all_rejections)});
    router.add({"GET", "/v1/rejections/{id}/raw", Role::auditor, {}, bind(rejection_raw)});
}

}  // namespace likvard::http::detail
