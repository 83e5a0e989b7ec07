// The HTTP API (likvard serve) on real PostgreSQL, the server started in this process on an
// ephemeral port: every route x role x status, the protocol's limits (smuggling, oversized
// bodies, slow clients, header limits, connection limit), path traversal, TLS, the
// statements' bytes against the CLI's, POST /v1/events, and the OpenAPI document against
// the route table, HEAD on every GET route, rejections without a region, and the ingest
// lag of `likvard serve --brokers` against the embedded broker.
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include "embedded_broker.hpp"
#include "http/detail/context.hpp"
#include "http/http.hpp"
#include "statements/statements.hpp"
#include "limits.hpp"
#include "openapi_routes.hpp"
#include "publish.hpp"
#include "watermarks.hpp"

using namespace likvard;
using namespace likvard::test;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

struct Reply {
    unsigned status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string header(const std::string& name) const {
        const auto found = headers.find(name);
        return found == headers.end() ? "" : found->second;
    }
};

Reply to_reply(bhttp::response<bhttp::string_body>& response) {
    Reply reply{response.result_int(), {}, response.body()};
    for (const auto& field : response) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(field.value());
    }
    return reply;
}

// The Host a client of the loopback listen address sends (the server checks it).
std::string loopback_host(unsigned short port) { return "127.0.0.1:" + std::to_string(port); }

bhttp::request<bhttp::string_body> make_request(unsigned short port, const std::string& method, const std::string& target,
                                                const std::string& token, const std::string& body,
                                                const std::map<std::string, std::string>& headers) {
    bhttp::request<bhttp::string_body> request{bhttp::verb::get, target, 11};
    request.method_string(method);  // also a method Beast does not know
    request.set(bhttp::field::host, loopback_host(port));
    if (!token.empty()) request.set(bhttp::field::authorization, "Bearer " + token);
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    if (!body.empty() || method == "POST") request.prepare_payload();
    return request;
}

// One request on a fresh connection, the target sent exactly as given.
Reply call(unsigned short port, const std::string& method, const std::string& target, const std::string& token = "",
           const std::string& body = "", const std::map<std::string, std::string>& headers = {}) {
    net::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    auto request = make_request(port, method, target, token, body, headers);
    bhttp::write(stream, request);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(method == "HEAD");  // the answer to HEAD has a Content-Length but no body
    bhttp::read(stream, buffer, parser);
    return to_reply(parser.get());
}

// Sends raw bytes and reads until the server closes the connection or `wait` passes.
struct RawResult {
    std::string received;
    bool closed = false;
    double seconds = 0;
};
RawResult raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    net::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    const auto started = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    net::write(socket, net::buffer(bytes), ec);
    RawResult result;
    socket.non_blocking(true);
    char chunk[65536];
    while (std::chrono::steady_clock::now() - started < wait) {
        const std::size_t n = socket.read_some(net::buffer(chunk), ec);
        if (ec == net::error::would_block) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        if (ec) {
            result.closed = true;
            break;
        }
        result.received.append(chunk, n);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

int count_of(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

const std::map<std::string, std::string> tokens{
    {"reader", "reader-secret-1"}, {"auditor", "auditor-secret-2"}, {"writer", "writer-secret-3"}, {"admin", "admin-secret-4"}};

std::string tokens_file_text() {
    std::string text = "# test tokens\n\n";
    for (const auto& [role, token] : tokens) text += http::sha256_hex(token) + " " + role + "-token " + role + "  # " + role + "\n";
    return text;
}

const std::string statement_query = "?scheme=primary_care&from=2023-05&to=2023-05";

class HttpTest : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        auto lines = cast();
        lines.push_back(payment(50, "hc-lugnvik", "1000.00"));
        lines.push_back(payment(51, "hc-medinord", "900.00"));
        ASSERT_EQ(append_lines(lines), lines.size());
        start({});
    }
    void TearDown() override {
        server_.reset();
        api_.reset();
        DatabaseTest::TearDown();
    }

    void start(http::ServerConfig config, bool with_tokens = true) {
        server_.reset();
        config.port = 0;
        config.worker_threads = 4;
        config.header_timeout = std::chrono::milliseconds(300);
        config.body_timeout = std::chrono::milliseconds(300);
        if (with_tokens) config.tokens = http::TokenTable::parse(tokens_file_text(), "test tokens");
        auto probe = std::make_shared<http::Probe>();
        http::ApiConfig api_config;
        api_config.database_url = url;
        api_config.database_connections = 4;
        api_config.broker_configured = broker_configured_;
        api_ = std::make_unique<http::Api>(api_config, probe);
        server_ = std::make_unique<http::Server>(config, api_->router(), probe);
        server_->start();
        port_ = server_->port();
    }

    std::string host_field() const { return "Host: " + loopback_host(port_) + "\r\n"; }

    Reply get(const std::string& target, const std::string& role = "admin") {
        return call(port_, "GET", target, role.empty() ? "" : tokens.at(role));
    }

    std::unique_ptr<http::Api> api_;
    std::unique_ptr<http::Server> server_;
    unsigned short port_ = 0;
    bool broker_configured_ = false;  // as `likvard serve --brokers`; readings come from the test
};

// ---- every route x role x status ----

struct RouteCase {
    std::string method;
    std::string pattern;
    std::string role;  // "" = public
    std::string target;
    std::string body;
    unsigned ok_status = 200;
};

std::vector<RouteCase> route_cases() {
    const std::string region = "/v1/regions/SE-Z";
    return {
        {"GET", "/", "", "/", "", 200},
        {"GET", "/assets/{path*}", "", "/assets/missing.js", "", 404},
        {"GET", "/healthz", "", "/healthz", "", 200},
        {"GET", "/readyz", "", "/readyz", "", 200},
        {"GET", "/metrics", "reader", "/metrics", "", 200},
        {"GET", "/v1/regions/{region}/statements/neutrality", "reader", region + "/statements/neutrality" + statement_query, "", 200},
        {"GET", "/v1/regions/{region}/statements/commitments", "reader", region + "/statements/commitments" + statement_query, "", 200},
        {"GET", "/v1/regions/{region}/summary", "reader", region + "/summary?year=2023", "", 200},
        {"GET", "/v1/statements/comparison", "reader",
         "/v1/statements/comparison?scheme=primary_care&year=2023", "", 200},
        {"GET", "/v1/regions/{region}/parties", "reader", region + "/parties", "", 200},
        {"GET", "/v1/regions/{region}/listings", "reader", region + "/listings", "", 200},
        {"GET", "/v1/regions/{region}/head", "reader", region + "/head", "", 200},
        {"GET", "/v1/regions/{region}/statements/{statement}/figures/{row}/{column}", "auditor",
         region + "/statements/neutrality/figures/hc-lugnvik/capitation" + statement_query, "", 200},
        {"GET", "/v1/regions/{region}/postings", "auditor", region + "/postings", "", 200},
        {"GET", "/v1/regions/{region}/events/{event_id}", "auditor", region + "/events/" + uuid(901), "", 200},
        {"GET", "/v1/regions/{region}/rejections", "auditor", region + "/rejections", "", 200},
        {"GET", "/v1/rejections", "auditor", "/v1/rejections?since=2000-01-01", "", 200},
        {"GET", "/v1/rejections/{id}/raw", "auditor", "/v1/rejections/1/raw", "", 404},  // this fixture rejected nothing
        // The dashboard's reads (handlers/dashboard.cpp); this fixture builds no projections: 503.
        {"GET", "/v1/regions/{region}/commitments/monthly", "reader", region + "/commitments/monthly" + statement_query, "", 503},
        {"GET", "/v1/regions/{region}/ingestion", "reader", region + "/ingestion", "", 200},
        {"GET", "/v1/labels", "", "/v1/labels?lang=en", "", 200},
        {"POST", "/v1/events", "writer", "/v1/events", payment(50, "hc-lugnvik", "1000.00") + "\n", 200},
    };
}

// A figure's drill-down: its postings sum to the statement's figure; a row or column the
// statement does not have is a 400 naming it.
TEST_F(HttpTest, AFiguresPostingsSumToTheStatementsFigure) {
    const auto statement = boost::json::parse(get("/v1/regions/SE-Z/statements/neutrality" + statement_query).body);
    std::string expected;
    for (const auto& row : statement.at("tables").at("rows").as_array())
        if (row.at("party_id") == "hc-lugnvik") expected = std::string(row.at("capitation").as_string());
    const Reply reply =
        get("/v1/regions/SE-Z/statements/neutrality/figures/hc-lugnvik/capitation" + statement_query, "auditor");
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const auto figure = boost::json::parse(reply.body).as_object();
    EXPECT_EQ(figure.at("figure").as_string(), expected);
    std::int64_t sum = 0;
    for (const auto& posting : figure.at("postings").as_array()) {
        EXPECT_EQ(posting.at("type"), "payment.made");
        sum += Money::parse(std::string(posting.at("amount").as_string())).value->ore();
    }
    EXPECT_EQ(format_scaled(sum, 2), expected);
    for (const std::string bad : {"hc-nowhere/capitation", "hc-lugnvik/name"}) {
        const Reply problem = get("/v1/regions/SE-Z/statements/neutrality/figures/" + bad + statement_query, "auditor");
        EXPECT_EQ(problem.status, 400u) << bad;
        const std::string parameter = bad.rfind("hc-nowhere", 0) == 0 ? "row" : "column";
        EXPECT_EQ(boost::json::parse(problem.body).at("parameter").as_string(), parameter) << problem.body;
    }
    EXPECT_EQ(get("/v1/regions/SE-Z/statements/budget/figures/total/capitation" + statement_query, "auditor").status,
              404u);
}

// The fte of a commitment and a decision reference through the route: two BT costs of May
// (0.5 and 0.3 fte) and the reversal of the second make 0.5 + 0.3 − 0.3 = 0.5 in one month.
TEST_F(HttpTest, TheFteAndTheDecisionRefsOfTheCommitmentsAreExplainedByTheirEvents) {
    auto cost = [](int id, const std::string& fte) {
        auto event = envelope(id, "commitment.cost_incurred",
                              boost::json::object{{"commitment", "bt_director_of_studies"},
                                                  {"borne_by", "egen-regi-primarvard"},
                                                  {"amount", "10000.00"},
                                                  {"fte", fte}});
        event["decision_ref"] = "RS/773/2021";
        return line(event);
    };
    ASSERT_EQ(append_lines({cost(60, "0.5"), cost(61, "0.3"), reversal(62, 61)}), 3u);
    const std::string base = "/v1/regions/SE-Z/statements/commitments/figures/";
    const Reply fte = get(base + "commitment:bt_director_of_studies/fte" + statement_query, "auditor");
    ASSERT_EQ(fte.status, 200u) << fte.body;
    const auto explained = boost::json::parse(fte.body).as_object();
    EXPECT_EQ(explained.at("figure"), "0.5000");
    EXPECT_EQ(explained.at("computed_as"), "fte_average");
    EXPECT_EQ(explained.at("fte_sum"), "0.5000");
    const auto& events = explained.at("events").as_array();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[1].at("fte"), "0.3000");
    EXPECT_EQ(events[2].at("type"), "entry.reversed");
    EXPECT_EQ(events[2].at("fte"), "-0.3000");
    EXPECT_EQ(events[2].at("reverses").as_string(), uuid(61));
    const Reply cited = get(base + "decision/events" + statement_query + "&decision_ref=RS%2F773%2F2021", "auditor");
    ASSERT_EQ(cited.status, 200u) << cited.body;
    const auto decision = boost::json::parse(cited.body).as_object();
    EXPECT_EQ(decision.at("figure"), "RS/773/2021");
    ASSERT_EQ(decision.at("events").as_array().size(), 2u);  // the reversal cites no decision
    EXPECT_EQ(decision.at("events").as_array()[0].at("event_id").as_string(), uuid(60));
    const Reply unknown = get(base + "decision/events" + statement_query + "&decision_ref=RS%2F1%2F1999", "auditor");
    EXPECT_EQ(unknown.status, 400u);
    EXPECT_EQ(boost::json::parse(unknown.body).at("parameter"), "row");
    const Reply missing = get(base + "decision/events" + statement_query, "auditor");
    EXPECT_EQ(missing.status, 400u);
    EXPECT_EQ(boost::json::parse(missing.body).at("parameter"), "decision_ref");
    const Reply misplaced = get(base + "total/cost" + statement_query + "&decision_ref=RS%2F773%2F2021", "auditor");
    EXPECT_EQ(misplaced.status, 400u);
    EXPECT_EQ(boost::json::parse(misplaced.body).at("parameter"), "decision_ref");
}

// The dashboard's labels: the one table of labels.cpp in the language asked, with its numbers.
TEST_F(HttpTest, TheLabelsAreTheStatementsTableInTheLanguageAsked) {
    const auto sv = boost::json::parse(get("/v1/labels", "").body).as_object();
    EXPECT_EQ(sv.at("lang"), "sv");
    EXPECT_EQ(sv.at("labels").at("capitation"), "Kapitering (vårdpeng)");
    EXPECT_EQ(sv.at("number_format").at("thousands_separator"), "\u00A0");
    EXPECT_EQ(sv.at("number_format").at("decimal_sign"), ",");
    EXPECT_EQ(sv.at("labels").as_object().size(), statement_labels().size());
    const auto en = boost::json::parse(get("/v1/labels?lang=en", "").body).as_object();
    EXPECT_EQ(en.at("labels").at("capitation"), "Capitation");
    EXPECT_EQ(en.at("number_format").at("thousands_separator"), ",");
    const Reply bad = get("/v1/labels?lang=de", "");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_EQ(boost::json::parse(bad.body).at("parameter"), "lang");
}

// What each held role may do (docs/reference/http.md, "Routes"), written out rather than computed.
bool allowed(const std::string& held, const std::string& required) {
    if (required.empty() || held == "admin") return true;
    if (held == "auditor") return required == "auditor" || required == "reader";
    return held == required;
}

TEST_F(HttpTest, EveryRouteAnswersEveryRoleAsItsRoleSays) {
    const auto cases = route_cases();
    // The table covers the route table exactly.
    std::set<std::pair<std::string, std::string>> table, routes;
    for (const auto& c : cases) table.insert({c.method, c.pattern});
    const http::Router router = api_->router();
    for (const auto& r : router.routes()) {
        routes.insert({r.method, r.pattern});
        for (const auto& c : cases) {
            if (c.pattern == r.pattern && c.method == r.method) {
                EXPECT_EQ(std::string(r.role == http::Role::none ? "" : http::role_name(r.role)), c.role) << r.pattern;
            }
        }
    }
    EXPECT_EQ(table, routes);
    const std::vector<std::string> presenters{"", "bad", "reader", "auditor", "writer", "admin"};
    for (const auto& c : cases) {
        for (const auto& who : presenters) {
            const std::string token = who.empty() ? "" : who == "bad" ? "not-a-known-token" : tokens.at(who);
            const Reply reply = call(port_, c.method, c.target, token, c.body,
                                     c.method == "POST" ? std::map<std::string, std::string>{{"Content-Type", "application/x-ndjson"}}
                                                        : std::map<std::string, std::string>{});
            unsigned expected = c.ok_status;
            if (!c.role.empty() && (who.empty() || who == "bad")) expected = 401;
            else if (!c.role.empty() && !allowed(who, c.role)) expected = 403;
            EXPECT_EQ(reply.status, expected) << c.method << " " << c.target << " as '" << who << "': " << reply.body;
            if (expected == 401) {
                EXPECT_NE(reply.header("www-authenticate").find("Bearer"), std::string::npos);
                EXPECT_EQ(reply.header("content-type"), "application/problem+json");
            }
            if (expected == 403) {
                EXPECT_EQ(reply.header("content-type"), "application/problem+json");
            }
        }
    }
}

TEST_F(HttpTest, WithoutTokensEveryRouteIsOpenAndServerRefusesNothing) {
    start({}, false);
    for (const auto& c : route_cases()) {
        const Reply reply = call(port_, c.method, c.target, "", c.body,
                                 c.method == "POST" ? std::map<std::string, std::string>{{"Content-Type", "application/x-ndjson"}}
                                                    : std::map<std::string, std::string>{});
        EXPECT_EQ(reply.status, c.ok_status) << c.target << ": " << reply.body;
    }
    EXPECT_TRUE(http::is_loopback("127.0.0.1"));
    EXPECT_TRUE(http::is_loopback("::1"));
    EXPECT_FALSE(http::is_loopback("0.0.0.0"));
    EXPECT_FALSE(http::is_loopback("192.168.1.10"));
}

struct ParameterCase {
    std::string target;
    unsigned status;
    std::string parameter;  // "" when the problem names none
};

TEST_F(HttpTest, MalformedParametersAre400NamingTheParameterAndUnknownThings404Or405) {
    const std::string s = "/v1/regions/SE-Z/statements/neutrality";
    const std::vector<ParameterCase> cases{
        {s + "?from=2023-05&to=2023-05", 400, "scheme"},
        {s + "?scheme=dental&from=2023-05&to=2023-05", 400, "scheme"},
        {s + "?scheme=primary_care&from=2023-13&to=2023-05", 400, "from"},
        {s + "?scheme=primary_care&from=2023-05", 400, "to"},
        {s + "?scheme=primary_care&from=2023-05&to=2023-04", 400, "to"},
        {s + statement_query + "&as_of=x", 400, "as_of"},
        {s + statement_query + "&as_of=-1", 400, "as_of"},
        {s + statement_query + "&format=docx", 400, "format"},
        {s + statement_query + "&table=rows", 400, "table"},
        {s + statement_query + "&format=csv&table=nope", 400, "table"},
        {s + statement_query + "&format=md&lang=fr", 400, "lang"},
        {s + statement_query + "&format=csv&lang=SV", 400, "lang"},
        {s + statement_query + "&lang=sv", 400, "lang"},
        {s + statement_query + "&colour=red", 400, "colour"},
        {s + statement_query + "&scheme=foot_care", 400, "scheme"},
        {s + statement_query + "&as_of=%zz", 400, "as_of"},
        {s + statement_query + "&as_of_time=yesterday", 400, "as_of_time"},
        {s + statement_query + "&as_of_time=2023-02-30T00:00:00Z", 400, "as_of_time"},
        {s + statement_query + "&as_of_time=2000-01-01T00:00:00Z", 400, "as_of_time"},
        {s + statement_query + "&as_of=3&as_of_time=2999-01-01T00:00:00Z", 400, "as_of_time"},
        {s + "?scheme=primary_care&tertial=2023-T4", 400, "tertial"},
        {s + "?scheme=primary_care&tertial=23-T2", 400, "tertial"},
        {s + statement_query + "&tertial=2023-T2", 400, "tertial"},
        {s + "?scheme=primary_care&tertial=2023-T2&compare=last_year", 400, "compare"},
        {s + "?scheme=primary_care&tertial=2023-T2&format=csv&table=nope_tertial_months", 400, "table"},
        {"/v1/regions/se-z/statements/commitments" + statement_query, 400, "region"},
        {"/v1/regions/SE-Z/parties?as_of=1.5", 400, "as_of"},
        {"/v1/regions/SE-Z/listings?scheme=none", 400, "scheme"},
        {"/v1/regions/SE-Z/listings?from=May", 400, "from"},
        {"/v1/regions/SE-Z/postings?cursor=abc", 400, "cursor"},
        {"/v1/regions/SE-Z/postings?limit=0", 400, "limit"},
        {"/v1/regions/SE-Z/postings?limit=100000", 400, "limit"},
        {"/v1/regions/SE-Z/postings?party=Not_A_Party", 400, "party"},
        {"/v1/regions/SE-Z/events/not-a-uuid", 400, "event_id"},
        {"/v1/regions/SE-Z/events/" + uuid(4242), 404, ""},
        {"/v1/regions/SE-Z/rejections?since=yesterday", 400, "since"},
        {"/v1/regions/SE-Z/rejections?since=2023-02-30", 400, "since"},
        {"/v1/regions/SE-Z/rejections?cursor=-3", 400, "cursor"},
        {"/v1/regions/SE-Z/head?as_of=1", 400, "as_of"},
        {"/v1/regions/SE-Z/nothing", 404, ""},
        {"/v2/anything", 404, ""},
    };
    for (const auto& c : cases) {
        const Reply reply = get(c.target);
        EXPECT_EQ(reply.status, c.status) << c.target << ": " << reply.body;
        EXPECT_EQ(reply.header("content-type"), "application/problem+json") << c.target;
        const auto problem = boost::json::parse(reply.body).as_object();
        EXPECT_EQ(problem.at("status").as_int64(), c.status) << c.target;
        EXPECT_TRUE(problem.contains("type") && problem.contains("title") && problem.contains("detail")) << c.target;
        if (!c.parameter.empty()) {
            ASSERT_TRUE(problem.contains("parameter")) << c.target << ": " << reply.body;
            EXPECT_EQ(problem.at("parameter").as_string(), c.parameter) << c.target;
        }
    }
    const Reply post_on_get = call(port_, "POST", "/v1/regions/SE-Z/head", tokens.at("admin"), "x");
    EXPECT_EQ(post_on_get.status, 405u);
    EXPECT_EQ(post_on_get.header("allow"), "GET, HEAD");
    const Reply get_on_post = get("/v1/events");
    EXPECT_EQ(get_on_post.status, 405u);
    EXPECT_EQ(get_on_post.header("allow"), "POST");
    EXPECT_EQ(call(port_, "DELETE", "/healthz").status, 405u);
    EXPECT_EQ(call(port_, "HEAD", "/v1/events", tokens.at("admin")).status, 405u);
    for (const std::string target : {"/v1/rejections?since=May", "/v1/rejections?limit=0", "/v1/rejections?cursor=x",
                                     "/v1/rejections?region=SE-Z"})
        EXPECT_EQ(get(target).status, 400u) << target;
}

// HEAD is GET without the body (RFC 9110, 9.3.2): the same status and header, Content-Length
// included, on every GET route, for every role the GET answers.
TEST_F(HttpTest, HeadAnswersEveryGetRouteLikeGetWithoutTheBody) {
    for (const auto& c : route_cases()) {
        if (c.method != "GET") continue;
        for (const std::string who : {"", "reader", "auditor"}) {
            const std::string token = who.empty() ? "" : tokens.at(who);
            const Reply got = call(port_, "GET", c.target, token);
            const Reply head = call(port_, "HEAD", c.target, token);
            EXPECT_EQ(head.status, got.status) << c.target << " as '" << who << "'";
            EXPECT_TRUE(head.body.empty()) << c.target;
            EXPECT_EQ(head.header("content-type"), got.header("content-type")) << c.target;
            // /metrics counts the GET itself; the other bodies are the same bytes again.
            if (c.pattern != "/metrics") {
                EXPECT_EQ(head.header("content-length"), std::to_string(got.body.size())) << c.target << " as '" << who << "'";
                EXPECT_EQ(head.header("etag"), got.header("etag")) << c.target;
            }
        }
    }
    EXPECT_NE(get("/metrics", "reader").body.find(R"(likvard_http_requests_total{route="/healthz",method="HEAD",status="200"})"),
              std::string::npos);
}

// ---- the protocol's limits ----

TEST_F(HttpTest, RequestSmugglingHeadersAreRefusedAndTheConnectionClosed) {
    const std::vector<std::string> heads{
        "POST /v1/events HTTP/1.1\r\n" + host_field() + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\n" + host_field() + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\n" + host_field() + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\n" + host_field() + "Content-Length: 5\r\nContent-Length: 50\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\n" + host_field() + "Content-Length: 5, 5\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\n" + host_field() + "Transfer-Encoding: gzip, chunked\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\n" + host_field() + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /v1/events HTTP/1.0\r\n" + host_field() + "Transfer-Encoding: chunked\r\n\r\n",
    };
    // Each is followed by what a smuggler hopes is read as a second request.
    const std::string smuggled = "0\r\n\r\nGET /healthz HTTP/1.1\r\n" + host_field() + "\r\n";
    for (const auto& head : heads) {
        const RawResult result = raw_exchange(port_, head + smuggled);
        EXPECT_EQ(result.received.rfind("HTTP/1.1 400", 0), 0u) << head << "\n-> " << result.received;
        EXPECT_EQ(count_of(result.received, "Server: likvard"), 1) << "a second response was sent for: " << head;
        EXPECT_TRUE(result.closed) << head;
    }
}

TEST_F(HttpTest, OversizedBodiesAre413) {
    const std::string auth = "Authorization: Bearer " + tokens.at("admin") + "\r\n";
    const RawResult events = raw_exchange(
        port_, "POST /v1/events HTTP/1.1\r\n" + host_field() + auth + "Content-Length: " +
                   std::to_string(http::events_body_bytes_max + 1) + "\r\n\r\n");
    EXPECT_EQ(events.received.rfind("HTTP/1.1 413", 0), 0u) << events.received;
    const RawResult small = raw_exchange(port_, "GET /healthz HTTP/1.1\r\n" + host_field() + "Content-Length: 20000\r\n\r\n");
    EXPECT_EQ(small.received.rfind("HTTP/1.1 413", 0), 0u) << small.received;
    char size[16];
    std::snprintf(size, sizeof size, "%zx", http::body_bytes_max_small + 1);
    const RawResult chunked = raw_exchange(port_, "GET /healthz HTTP/1.1\r\n" + host_field() + "Transfer-Encoding: chunked\r\n\r\n" +
                                                      std::string(size) + "\r\n" +
                                                      std::string(http::body_bytes_max_small + 1, 'x') + "\r\n0\r\n\r\n");
    EXPECT_EQ(chunked.received.rfind("HTTP/1.1 413", 0), 0u) << chunked.received;
    // A client that sends 5 MB + 1 regardless still reads the answer (the server drains).
    net::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    auto request = make_request(port_, "POST", "/v1/events", tokens.at("writer"), std::string(http::events_body_bytes_max + 1, '\n'),
                                {{"Content-Type", "application/x-ndjson"}});
    boost::system::error_code ignored;
    bhttp::write(stream, request, ignored);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(stream, buffer, response);
    EXPECT_EQ(response.result_int(), 413u);
    EXPECT_EQ(response[bhttp::field::content_type], "application/problem+json");
}

TEST_F(HttpTest, SlowAndPartialRequestsAreCutOffByTheTimeouts) {
    // A header that never ends: closed after the 300 ms header timeout, not served.
    const RawResult partial = raw_exchange(port_, "GET /healthz HTTP/1.1\r\n" + host_field(), std::chrono::seconds(5));
    EXPECT_TRUE(partial.closed);
    EXPECT_LT(partial.seconds, 2.0);
    EXPECT_EQ(partial.received.find("200"), std::string::npos);
    // A body that never comes.
    const RawResult body = raw_exchange(port_,
                                        "POST /v1/events HTTP/1.1\r\n" + host_field() + "Authorization: Bearer " + tokens.at("writer") +
                                            "\r\nContent-Length: 100\r\n\r\n{",
                                        std::chrono::seconds(5));
    EXPECT_TRUE(body.closed);
    EXPECT_LT(body.seconds, 2.0);
    // Slowloris: a byte every 50 ms keeps the connection busy but not alive past the deadline.
    net::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    const auto started = std::chrono::steady_clock::now();
    const std::string drip = "GET /healthz HTTP/1.1\r\n" + host_field() + "X-Slow: " + std::string(200, 'a');
    boost::system::error_code ec;
    for (char c : drip) {
        net::write(socket, net::buffer(&c, 1), ec);
        if (ec) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(ec) << "the server kept a dripping connection open for 10 s";
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 3.0);
}

TEST_F(HttpTest, HeaderLimitsAnswer431) {
    std::string many = "GET /healthz HTTP/1.1\r\n" + host_field();
    for (int i = 0; i < 100; ++i) many += "X-" + std::to_string(i) + ": y\r\n";
    const RawResult fields = raw_exchange(port_, many + "\r\n");
    EXPECT_EQ(fields.received.rfind("HTTP/1.1 431", 0), 0u) << fields.received;
    const RawResult large = raw_exchange(port_, "GET /healthz HTTP/1.1\r\n" + host_field() + "X-Big: " + std::string(9000, 'b') + "\r\n\r\n");
    EXPECT_EQ(large.received.rfind("HTTP/1.1 431", 0), 0u) << large.received;
    const RawResult garbage = raw_exchange(port_, "NOT HTTP AT ALL\r\n\r\n");
    EXPECT_EQ(garbage.received.rfind("HTTP/1.1 400", 0), 0u) << garbage.received;
}

TEST_F(HttpTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    const std::string one = "GET /healthz HTTP/1.1\r\n" + host_field() + "\r\n";
    const RawResult result = raw_exchange(port_, one + one + "GET /healthz HTTP/1.1\r\n" + host_field() + "Connection: close\r\n\r\n");
    EXPECT_EQ(count_of(result.received, "HTTP/1.1 200"), 3) << result.received;
    EXPECT_TRUE(result.closed);
}

TEST_F(HttpTest, ConnectionsBeyondTheLimitGet503) {
    http::ServerConfig config;
    config.connections_max = 2;
    start(config);
    net::io_context io;
    tcp::socket first(io), second(io);
    first.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    second.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const RawResult third = raw_exchange(port_, "GET /healthz HTTP/1.1\r\n" + host_field() + "\r\n");
    EXPECT_EQ(third.received.rfind("HTTP/1.1 503", 0), 0u) << third.received;
}

TEST_F(HttpTest, PathTraversalOnStaticFilesIsRefused) {
    const std::vector<std::string> attempts{
        "/assets/../README.md",         "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
        "/assets/a%5c..%5c..%5cb",      "/assets/a%00.js",                  "/../etc/passwd",
        "/assets//etc/passwd",          "/assets/./index.html",             "/assets/%2E%2E/schemas/sql/001_ledger.sql",
        "/%2e%2e/%2e%2e/etc/passwd",    "/assets/%zz",
    };
    for (const auto& target : attempts) {
        const Reply reply = call(port_, "GET", target);
        EXPECT_EQ(reply.status, 400u) << target << ": " << reply.body;
        EXPECT_EQ(reply.body.find("root:"), std::string::npos);
    }
    EXPECT_EQ(call(port_, "GET", "/assets/no-such-file.js").status, 404u);
    const Reply index = call(port_, "GET", "/");
    EXPECT_EQ(index.status, 200u);
    EXPECT_EQ(index.header("content-type").rfind("text/html", 0), 0u);
    EXPECT_EQ(http::safe_asset_name("js/app.js").value_or(""), "js/app.js");
    EXPECT_FALSE(http::safe_asset_name("js/../../x"));
}

TEST_F(HttpTest, ServesHttpsWithTheGivenCertificate) {
    const std::string dir = std::filesystem::temp_directory_path() / ("likvard-tls-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const RunResult made = run("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " + dir +
                               "/key.pem -out " + dir + "/cert.pem");
    ASSERT_EQ(made.exit_code, 0) << made.err;
    http::ServerConfig config;
    config.tls = http::TlsFiles{dir + "/cert.pem", dir + "/key.pem"};
    start(config);
    net::io_context io;
    net::ssl::context context(net::ssl::context::tls_client);
    context.set_verify_mode(net::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    beast::get_lowest_layer(stream).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    stream.handshake(net::ssl::stream_base::client);
    auto request = make_request(port_, "GET", "/v1/regions/SE-Z/head", tokens.at("reader"), "", {});
    bhttp::write(stream, request);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(stream, buffer, response);
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_NE(response.body().find("\"seq\":16"), std::string::npos) << response.body();
    // Plain HTTP to the TLS port is not answered as HTTP.
    const RawResult plain = raw_exchange(port_, "GET /healthz HTTP/1.1\r\n" + host_field() + "\r\n", std::chrono::seconds(2));
    EXPECT_EQ(plain.received.find("HTTP/1.1 200"), std::string::npos);
    std::filesystem::remove_all(dir);
}

// ---- the statements: the CLI's bytes ----

// A typo in the region or scheme is a 404 naming what the ledger has, never zeros.
TEST_F(HttpTest, AStatementForARegionOrSchemeWithoutEventsIs404NamingWhatTheLedgerHas) {
    const Reply region = get("/v1/regions/SE-Q/statements/neutrality" + statement_query, "reader");
    EXPECT_EQ(region.status, 404u) << region.body;
    EXPECT_NE(region.body.find("no events for region SE-Q; its regions: SE-Z"), std::string::npos) << region.body;
    std::string other_scheme = statement_query;
    other_scheme.replace(other_scheme.find("primary_care"), std::string("primary_care").size(), "foot_care");
    const Reply scheme = get("/v1/regions/SE-Z/statements/commitments" + other_scheme, "reader");
    EXPECT_EQ(scheme.status, 404u) << scheme.body;
    EXPECT_NE(scheme.body.find("in scheme foot_care; the schemes of SE-Z: primary_care"), std::string::npos)
        << scheme.body;
    EXPECT_EQ(get("/v1/regions/SE-Z/statements/neutrality" + statement_query, "reader").status, 200u);
}

TEST_F(HttpTest, StatementsAreTheCliBytesInEveryFormatWithTheContentHashAsETag) {
    const std::string dir = std::filesystem::temp_directory_path() / ("likvard-http-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    for (const std::string kind : {"neutrality", "commitments"}) {
        const std::string cli = std::string(LIKVARD_BIN) + " statement " + kind +
                                " --region SE-Z --scheme primary_care --from 2023-05 --to 2023-05 --database-url " +
                                shell_quote(reader_url);
        const std::string target = "/v1/regions/SE-Z/statements/" + kind + statement_query;
        const RunResult json = run(cli);
        ASSERT_EQ(json.exit_code, 0) << json.err;
        const Reply json_reply = get(target, "reader");
        EXPECT_EQ(json_reply.body, json.out) << kind;
        EXPECT_EQ(json_reply.header("content-type"), "application/json");
        const std::string hash(boost::json::parse(json.out).at("content_hash").as_string());
        EXPECT_EQ(json_reply.header("etag"), "\"" + hash + "\"");
        const Reply again = call(port_, "GET", target, tokens.at("reader"), "", {{"If-None-Match", "\"" + hash + "\""}});
        EXPECT_EQ(again.status, 304u);
        EXPECT_TRUE(again.body.empty());

        const Reply md = get(target + "&format=md", "reader");
        EXPECT_EQ(md.body, run(cli + " --format md").out);
        EXPECT_EQ(md.header("content-type"), "text/markdown; charset=utf-8");

        ASSERT_EQ(run(cli + " --format xlsx --out " + dir + "/" + kind + ".xlsx").exit_code, 0);
        const Reply xlsx = get(target + "&format=xlsx", "reader");
        EXPECT_EQ(xlsx.body, read_file(dir + "/" + kind + ".xlsx"));
        EXPECT_EQ(xlsx.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        ASSERT_EQ(run(cli + " --format csv --out " + dir + "/csv").exit_code, 0);
        const std::vector<std::string> tables = kind == "neutrality"
                                                    ? std::vector<std::string>{"provenance", "rows", "cross_subsidies",
                                                                               "allocation_keys", "summary"}
                                                    : std::vector<std::string>{"provenance", "commitments", "services",
                                                                               "allocation_keys", "summary"};
        for (const auto& table : tables) {
            const Reply csv = get(target + "&format=csv&table=" + table, "reader");
            EXPECT_EQ(csv.body, read_file(dir + "/csv/" + kind + "-" + table + ".csv")) << kind << " " << table;
            EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8; header=present");
            EXPECT_NE(csv.header("content-disposition").find(kind + "-" + table + ".csv"), std::string::npos);
        }
        EXPECT_EQ(get(target + "&format=csv", "reader").body, read_file(dir + "/csv/" + kind + "-" + tables[1] + ".csv"));
    }
    // As of an earlier position: the CLI's --as-of.
    const RunResult early = run(std::string(LIKVARD_BIN) +
                                " statement neutrality --region SE-Z --scheme primary_care --from 2023-05 --to 2023-05"
                                " --as-of 15 --database-url " + shell_quote(reader_url));
    EXPECT_EQ(get("/v1/regions/SE-Z/statements/neutrality" + statement_query + "&as_of=15", "reader").body, early.out);
    // As of a moment: the CLI's --as-of-time, an offset's + sent as %2B.
    const RunResult moment = run(std::string(LIKVARD_BIN) +
                                 " statement neutrality --region SE-Z --scheme primary_care --from 2023-05 --to 2023-05"
                                 " --as-of-time 2999-01-01T01:00:00+01:00 --database-url " + shell_quote(reader_url));
    EXPECT_NE(moment.out.find(R"("as_of_time":"2999-01-01T00:00:00Z")"), std::string::npos) << moment.out << moment.err;
    const std::string at_moment = "&as_of_time=2999-01-01T01:00:00%2B01:00";
    EXPECT_EQ(get("/v1/regions/SE-Z/statements/neutrality" + statement_query + at_moment, "reader").body,
              moment.out);
    std::filesystem::remove_all(dir);
}

// A tertial and the previous-year comparison: the CLI's --tertial and --compare, the same bytes.
TEST_F(HttpTest, ATertialComparedWithThePreviousYearIsTheCliBytes) {
    const std::string dir = std::filesystem::temp_directory_path() / ("likvard-tertial-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    for (const std::string kind : {"neutrality", "commitments"}) {
        const std::string cli = std::string(LIKVARD_BIN) + " statement " + kind +
                                " --region SE-Z --scheme primary_care --tertial 2023-T2 --compare previous-year"
                                " --database-url " + shell_quote(reader_url);
        const std::string target =
            "/v1/regions/SE-Z/statements/" + kind + "?scheme=primary_care&tertial=2023-T2&compare=previous_year";
        const RunResult json = run(cli);
        ASSERT_EQ(json.exit_code, 0) << json.err;
        EXPECT_NE(json.out.find(R"("tertial":"2023-T2")"), std::string::npos) << json.out;
        EXPECT_NE(json.out.find(R"("previous_year_not_compared":"no_events_in_previous_year")"), std::string::npos);
        EXPECT_EQ(get(target, "reader").body, json.out) << kind;
        EXPECT_EQ(get(target + "&format=md&lang=en", "reader").body, run(cli + " --format md --lang en").out);
        EXPECT_EQ(get(target + "&format=html", "reader").body, run(cli + " --format html").out);
        ASSERT_EQ(run(cli + " --format xlsx --out " + dir + "/" + kind + ".xlsx").exit_code, 0);
        EXPECT_EQ(get(target + "&format=xlsx", "reader").body, read_file(dir + "/" + kind + ".xlsx"));
        ASSERT_EQ(run(cli + " --format csv --lang sv --out " + dir + "/csv").exit_code, 0);
        const std::string table = kind == "neutrality" ? "rows_tertial_months" : "summary_tertial_months";
        EXPECT_EQ(get(target + "&format=csv&lang=sv&table=" + table, "reader").body,
                  read_file(dir + "/csv/" + kind + "-" + table + ".csv"));
    }
    std::filesystem::remove_all(dir);
}

// The region summary and the comparison answer a request that names their entity tag in
// If-None-Match (alone, in a list, or weak) with 304 and no body, and any other with the
// document; the tag follows the format and the language.
TEST_F(HttpTest, TheSummaryAndTheComparisonAnswerTheirETagWithNotModified) {
    for (const std::string target :
         {"/v1/regions/SE-Z/summary?year=2023", "/v1/statements/comparison?scheme=primary_care&year=2023&regions=SE-Z",
          "/v1/regions/SE-Z/summary?year=2023&format=md&lang=en"}) {
        const Reply first = get(target, "reader");
        ASSERT_EQ(first.status, 200u) << target << first.body;
        const std::string etag = first.header("etag");
        ASSERT_FALSE(etag.empty()) << target;
        for (const std::string& named : {etag, "\"other\", " + etag, "W/" + etag, std::string("*")}) {
            const Reply again = call(port_, "GET", target, tokens.at("reader"), "", {{"If-None-Match", named}});
            EXPECT_EQ(again.status, 304u) << target << " If-None-Match: " << named;
            EXPECT_TRUE(again.body.empty()) << target;
            EXPECT_EQ(again.header("etag"), etag) << target;
        }
        const Reply other = call(port_, "GET", target, tokens.at("reader"), "", {{"If-None-Match", "\"other\""}});
        EXPECT_EQ(other.status, 200u) << target;
        EXPECT_EQ(other.body, first.body) << target;
    }
    EXPECT_NE(get("/v1/regions/SE-Z/summary?year=2023", "reader").header("etag"),
              get("/v1/regions/SE-Z/summary?year=2023&format=md&lang=en", "reader").header("etag"));
}

// The region summary and the comparison of regions: the CLI's bytes in every format, and
// the CLI's usage errors as 400s naming the parameter.
TEST_F(HttpTest, TheSummaryAndTheComparisonAreTheCliBytes) {
    const std::string dir = std::filesystem::temp_directory_path() / ("likvard-overview-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string db = " --database-url " + shell_quote(reader_url);
    const std::string summary_cli = std::string(LIKVARD_BIN) + " statement summary --region SE-Z --year 2023" + db;
    const std::string comparison_cli =
        std::string(LIKVARD_BIN) + " statement comparison --scheme primary_care --year 2023 --regions SE-Z" + db;
    const std::string summary = "/v1/regions/SE-Z/summary?year=2023";
    const std::string comparison = "/v1/statements/comparison?scheme=primary_care&year=2023&regions=SE-Z";
    const RunResult json = run(summary_cli);
    ASSERT_EQ(json.exit_code, 0) << json.err;
    const Reply reply = get(summary, "reader");
    EXPECT_EQ(reply.body, json.out);
    EXPECT_EQ(reply.header("etag"),
              "\"" + std::string(boost::json::parse(json.out).at("content_hash").as_string()) + "\"");
    EXPECT_EQ(get(comparison, "reader").body, run(comparison_cli).out);
    EXPECT_EQ(get(comparison + "&format=md&lang=en", "reader").body,
              run(comparison_cli + " --format md --lang en").out);
    EXPECT_EQ(get(summary + "&format=html", "reader").body, run(summary_cli + " --format html").out);
    EXPECT_EQ(get(comparison + "&as_of=15", "reader").body, run(comparison_cli + " --as-of 15").out);
    ASSERT_EQ(run(summary_cli + " --format xlsx --out " + dir + "/summary.xlsx").exit_code, 0);
    EXPECT_EQ(get(summary + "&format=xlsx", "reader").body, read_file(dir + "/summary.xlsx"));
    ASSERT_EQ(run(comparison_cli + " --format csv --lang sv --out " + dir).exit_code, 0);
    for (const std::string table : {"provenance", "regions", "sides", "gaps", "summary"})
        EXPECT_EQ(get(comparison + "&format=csv&lang=sv&table=" + table, "reader").body,
                  read_file(dir + "/comparison-" + table + ".csv"))
            << table;
    EXPECT_EQ(get(summary + "&format=csv", "reader").body, [&] {
        run(summary_cli + " --format csv --out " + dir);
        return read_file(dir + "/summary-schemes.csv");
    }());
    std::filesystem::remove_all(dir);
    const std::vector<std::pair<std::string, std::string>> bad{
        {"/v1/regions/SE-Z/summary", "year"},
        {"/v1/regions/SE-Z/summary?year=23", "year"},
        {"/v1/regions/SE-Z/summary?year=2023&format=docx", "format"},
        {"/v1/regions/SE-Z/summary?year=2023&as_of_time=soon", "as_of_time"},
        {"/v1/statements/comparison?year=2023", "scheme"},
        {"/v1/statements/comparison?scheme=primary_care&year=2023&regions=SE-Z,x", "regions"},
        {"/v1/statements/comparison?scheme=primary_care&year=2023&as_of=3", "as_of"},
        {"/v1/statements/comparison?scheme=primary_care&year=2023&regions=SE-Z&as_of=SE-AC=3", "as_of"},
        {"/v1/statements/comparison?scheme=primary_care&year=2023&table=sides", "table"},
    };
    for (const auto& [target, parameter] : bad) {
        const Reply answer = get(target, "reader");
        EXPECT_EQ(answer.status, 400u) << target << ": " << answer.body;
        EXPECT_NE(answer.body.find("\"" + parameter + "\""), std::string::npos) << target << ": " << answer.body;
    }
    const Reply unknown = get("/v1/regions/SE-O/summary?year=2023", "reader");
    EXPECT_EQ(unknown.status, 404u);
    EXPECT_NE(unknown.body.find("its regions: SE-Z"), std::string::npos) << unknown.body;
    const Reply other_year = get("/v1/statements/comparison?scheme=primary_care&year=2022&regions=SE-Z", "reader");
    EXPECT_EQ(other_year.status, 404u);
    EXPECT_NE(other_year.body.find("primary_care (2023-01..2023-05)"), std::string::npos) << other_year.body;
}

TEST_F(HttpTest, StatementsAreSwedishByDefaultAndLangChoosesTheLanguageAsTheCliDoes) {
    const std::string dir = std::filesystem::temp_directory_path() / ("likvard-lang-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string cli = std::string(LIKVARD_BIN) +
                            " statement neutrality --region SE-Z --scheme primary_care --from 2023-05 --to 2023-05"
                            " --database-url " + shell_quote(reader_url);
    const std::string target = "/v1/regions/SE-Z/statements/neutrality" + statement_query;
    const Reply sv = get(target + "&format=md", "reader");
    EXPECT_EQ(sv.body.find("# Konkurrensneutralitetsredovisning\n"), 0u) << sv.body;
    EXPECT_EQ(sv.body, get(target + "&format=md&lang=sv", "reader").body);
    const Reply en = get(target + "&format=md&lang=en", "reader");
    EXPECT_EQ(en.body.find("# Competitive-neutrality statement\n"), 0u) << en.body;
    EXPECT_EQ(en.body, run(cli + " --format md --lang en").out);
    EXPECT_NE(sv.header("etag"), en.header("etag"));
    ASSERT_EQ(run(cli + " --format xlsx --lang en --out " + dir + "/n.xlsx").exit_code, 0);
    EXPECT_EQ(get(target + "&format=xlsx&lang=en", "reader").body, read_file(dir + "/n.xlsx"));
    EXPECT_NE(get(target + "&format=xlsx", "reader").body, read_file(dir + "/n.xlsx")) << "xlsx is Swedish by default";
    ASSERT_EQ(run(cli + " --format csv --lang sv --out " + dir + "/csv").exit_code, 0);
    const Reply csv = get(target + "&format=csv&lang=sv&table=rows", "reader");
    EXPECT_EQ(csv.body, read_file(dir + "/csv/neutrality-rows.csv"));
    EXPECT_EQ(csv.body.find("Rad;Enhetens id;Namn;Driftform;"), 0u) << csv.body;
    EXPECT_EQ(get(target + "&format=csv&table=rows", "reader").body.find("row;party_id;name;side;"), 0u)
        << "without lang the machine CSV";
    std::filesystem::remove_all(dir);
}

// The board's report: html byte for byte as the CLI writes it; pdf printed on the server,
// or 503 pdf-unavailable naming why not (a failure is not cached: the next try prints).
TEST_F(HttpTest, TheReportIsTheClisHtmlAndAPdfOrAProblemSayingWhyNot) {
    const std::string cli = std::string(LIKVARD_BIN) +
                            " statement neutrality --region SE-Z --scheme primary_care --from 2023-05 --to 2023-05"
                            " --database-url " + shell_quote(reader_url);
    const std::string target = "/v1/regions/SE-Z/statements/neutrality" + statement_query;
    const Reply html = get(target + "&format=html", "reader");
    EXPECT_EQ(html.status, 200);
    EXPECT_EQ(html.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(html.body, run(cli + " --format html").out);
    EXPECT_NE(html.body.find("<html lang=\"sv\">"), std::string::npos);
    setenv("LIKVARD_CHROMIUM", "/nonexistent/chromium", 1);
    const Reply missing = get(target + "&format=pdf", "reader");
    unsetenv("LIKVARD_CHROMIUM");
    EXPECT_EQ(missing.status, 503);
    EXPECT_NE(missing.body.find("urn:likvard:problem:pdf-unavailable"), std::string::npos) << missing.body;
    EXPECT_NE(missing.body.find("/nonexistent/chromium is not installed"), std::string::npos) << missing.body;
    if (run("command -v chromium").exit_code != 0) GTEST_SKIP() << "chromium is not installed (ops/setup installs it)";
    const Reply pdf = get(target + "&format=pdf&lang=en", "reader");
    EXPECT_EQ(pdf.status, 200) << pdf.body.substr(0, 400);
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
    EXPECT_EQ(pdf.header("content-disposition"), "attachment; filename=\"neutrality.pdf\"");
}

// ---- POST /v1/events ----

TEST_F(HttpTest, PostedEventsAreAppendedThroughTheOneAppendPathWithOneResultPerLine) {
    const std::string body = payment(60, "hc-ostberg", "500.00") + "\r\n" +  // line 1: appended
                             payment(51, "hc-medinord", "900.00") + "\n" +     // line 2: duplicate
                             "\n" +                                            // line 3: empty, skipped
                             "{not json\n" +                                   // line 4: malformed_json
                             payment(61, "hc-nowhere", "5.00") + "\n" +        // line 5: unknown_party
                             payment(62, "hc-ostberg", "5.001");               // line 6: schema_violation, no final newline
    const Reply reply = call(port_, "POST", "/v1/events", tokens.at("writer"), body, {{"Content-Type", "application/x-ndjson"}});
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const auto answer = boost::json::parse(reply.body).as_object();
    EXPECT_EQ(answer.at("appended").as_int64(), 1);
    EXPECT_EQ(answer.at("duplicates").as_int64(), 1);
    EXPECT_EQ(answer.at("rejected").as_int64(), 3);
    const auto& results = answer.at("results").as_array();
    ASSERT_EQ(results.size(), 5u);
    auto field = [&](std::size_t i, const char* name) { return std::string(results[i].at(name).as_string()); };
    EXPECT_EQ(results[0].at("line").as_int64(), 1);
    EXPECT_EQ(field(0, "outcome"), "appended");
    EXPECT_EQ(results[0].at("seq").as_int64(), 17);
    EXPECT_EQ(field(1, "outcome"), "duplicate");
    EXPECT_EQ(results[2].at("line").as_int64(), 4);
    EXPECT_EQ(field(2, "reason"), "malformed_json");
    EXPECT_EQ(field(3, "reason"), "unknown_party");
    EXPECT_EQ(field(3, "field"), "/data/provider_id");
    EXPECT_EQ(results[4].at("line").as_int64(), 6);
    EXPECT_EQ(field(4, "reason"), "schema_violation");
    EXPECT_EQ(field(4, "field"), "/data/amount");

    // Stored like every other entry point's: the event, and the rejections with the peer.
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE region = 'SE-Z'"), 17);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections WHERE source_kind = 'http' AND http_peer LIKE '127.0.0.1:%'"), 3);
    const Reply event = get("/v1/regions/SE-Z/events/" + uuid(60), "auditor");
    ASSERT_EQ(event.status, 200u);
    const auto stored = boost::json::parse(event.body).as_object();
    EXPECT_EQ(stored.at("seq").as_int64(), 17);
    EXPECT_EQ(stored.at("postings").as_array().size(), 2u);
    EXPECT_EQ(stored.at("hash").as_string(),
              boost::json::parse(get("/v1/regions/SE-Z/head", "reader").body).at("hash").as_string());
    const Reply rejections = get("/v1/regions/SE-Z/rejections?since=2000-01-01&limit=5", "auditor");
    const auto page = boost::json::parse(rejections.body).as_object();
    // Only rejections that name their region are the region's (a malformed line names none).
    EXPECT_EQ(static_cast<std::int64_t>(page.at("rejections").as_array().size()),
              count("SELECT count(*) FROM ledger.rejections WHERE region = 'SE-Z'"));
    EXPECT_GE(page.at("rejections").as_array().size(), 1u);
    EXPECT_TRUE(page.at("next_cursor").is_null());
    // Auditors reach every rejection, also the malformed line's, which names no region.
    const auto all = boost::json::parse(get("/v1/rejections?since=2000-01-01", "auditor").body).as_object();
    const auto& every = all.at("rejections").as_array();
    EXPECT_EQ(static_cast<std::int64_t>(every.size()), count("SELECT count(*) FROM ledger.rejections"));
    std::vector<std::string> without_region;
    for (const auto& r : every)
        if (r.at("region").is_null())
            without_region.push_back(get("/v1/rejections/" + std::to_string(r.at("id").as_int64()) + "/raw", "auditor").body);
    // The malformed line byte for byte ("{not json"), and the line that failed the schema
    // (the store keeps no region from bytes the contract refused).
    EXPECT_EQ(static_cast<std::int64_t>(without_region.size()), count("SELECT count(*) FROM ledger.rejections WHERE region IS NULL"));
    EXPECT_EQ(without_region.size(), 2u);
    EXPECT_NE(std::find(without_region.begin(), without_region.end(), "{not json"), without_region.end());
    const auto second = boost::json::parse(get("/v1/rejections?limit=1&cursor=" +
                                               std::to_string(every[0].at("id").as_int64()), "auditor").body).as_object();
    ASSERT_EQ(second.at("rejections").as_array().size(), 1u);
    EXPECT_EQ(second.at("rejections").as_array()[0].at("id"), every[1].at("id"));
    EXPECT_FALSE(second.at("next_cursor").is_null());

    // Not NDJSON, or nothing at all.
    EXPECT_EQ(call(port_, "POST", "/v1/events", tokens.at("writer"), "a=b",
                   {{"Content-Type", "application/x-www-form-urlencoded"}}).status, 415u);
    EXPECT_EQ(call(port_, "POST", "/v1/events", tokens.at("writer"), "\n\n", {{"Content-Type", "application/x-ndjson"}}).status,
              400u);
    // The metrics count them.
    const Reply metrics = get("/metrics", "reader");
    EXPECT_NE(metrics.body.find(R"(likvard_http_ingested_events_total{outcome="rejected",reason="unknown_party"} 1)"),
              std::string::npos) << metrics.body;
    EXPECT_NE(metrics.body.find(R"(likvard_ledger_events{region="SE-Z"} 17)"), std::string::npos);
    EXPECT_NE(metrics.body.find(R"(likvard_http_requests_total{route="/v1/events",method="POST",status="200"} 1)"),
              std::string::npos);
}

TEST_F(HttpTest, PostingsAndRejectionsPageWithACursor) {
    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        const Reply reply = get("/v1/regions/SE-Z/postings?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor), "auditor");
        ASSERT_EQ(reply.status, 200u) << reply.body;
        const auto page = boost::json::parse(reply.body).as_object();
        for (const auto& p : page.at("postings").as_array())
            seen.insert(std::to_string(p.at("seq").as_int64()) + "." + std::to_string(p.at("line").as_int64()));
        cursor = page.at("next_cursor").is_null() ? "" : std::string(page.at("next_cursor").as_string());
        ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(static_cast<std::int64_t>(seen.size()), count("SELECT count(*) FROM ledger.postings"));
    EXPECT_EQ(pages, 2);  // 4 postings: 3 + 1
    const auto parties = boost::json::parse(get("/v1/regions/SE-Z/parties?as_of=3", "reader").body).as_object();
    EXPECT_EQ(parties.at("parties").as_array().size(), 3u);
    EXPECT_EQ(parties.at("as_of_seq").as_int64(), 3);
}

// A sum past int64 öre (written here as the superuser: amounts have at most 13 digits) is
// an answer naming the party and account, never a wrapped figure.
TEST_F(HttpTest, AStatementWhoseSumsPassInt64IsAProblemNamingThePartyAndAccount) {
    ASSERT_EQ(append_lines({payment(52, "hc-medinord", "900.00")}), 1u);
    query("SET session_replication_role = replica; UPDATE ledger.postings SET amount = -5000000000000000000 "
          "WHERE party = 'hc-medinord' AND account_class = 'income'");
    const Reply reply = get("/v1/regions/SE-Z/statements/neutrality" + statement_query, "reader");
    EXPECT_EQ(reply.status, 500u) << reply.body;
    EXPECT_NE(reply.body.find("urn:likvard:problem:amount-out-of-range"), std::string::npos) << reply.body;
    EXPECT_NE(reply.body.find("hc-medinord:income:compensation.capitation"), std::string::npos) << reply.body;
    // Not kept: after the correction the statement is computed again.
    query("SET session_replication_role = replica; UPDATE ledger.postings SET amount = -90000 "
          "WHERE party = 'hc-medinord' AND account_class = 'income'");
    EXPECT_EQ(get("/v1/regions/SE-Z/statements/neutrality" + statement_query, "reader").status, 200u);
}

// The budget table is one CSV of the statement only where the months have budgets.
TEST_F(HttpTest, TheBudgetTableIsACsvWhereTheMonthsHaveBudgets) {
    const std::string target = "/v1/regions/SE-Z/statements/neutrality" + statement_query + "&format=csv&table=budget";
    const Reply none = get(target, "reader");
    EXPECT_EQ(none.status, 400u) << none.body;
    EXPECT_EQ(boost::json::parse(none.body).at("parameter").as_string(), "table") << none.body;
    const boost::json::object data{{"side", "region_run"}, {"line", "capitation"}, {"amount", "100.00"}};
    const auto budget = envelope(53, "budget.set", data, "2023-05");
    ASSERT_EQ(append_lines({line(budget)}), 1u);
    const Reply csv = get(target, "reader");
    EXPECT_EQ(csv.status, 200u) << csv.body;
    EXPECT_EQ(csv.body.find("line;row;party_id;side;budget;outcome;deviation;deviation_percent\ncapitation;subtotal;;"
                            "region_run;100.00;"),
              0u)
        << csv.body;
    EXPECT_NE(csv.header("content-disposition").find("neutrality-budget.csv"), std::string::npos);
}

// ---- a web page must not write, nor read through DNS rebinding ----

const std::map<std::string, std::string> ndjson{{"Content-Type", "application/x-ndjson"}};

TEST_F(HttpTest, PostedEventsMustBeSentAsNdjson) {
    start({}, false);
    const std::string body = payment(70, "hc-lugnvik", "1.00") + "\n";
    // A form or a text/plain fetch is what a page may send without asking: refused, also
    // when the type is missing.
    for (const std::string& type : std::vector<std::string>{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                   "application/json", "application/x-ndjsonx"}) {
        const Reply reply = call(port_, "POST", "/v1/events", "", body,
                                 type.empty() ? std::map<std::string, std::string>{}
                                              : std::map<std::string, std::string>{{"Content-Type", type}});
        EXPECT_EQ(reply.status, 415u) << "'" << type << "': " << reply.body;
        EXPECT_NE(reply.body.find(R"("parameter":"Content-Type")"), std::string::npos) << reply.body;
    }
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE event_id = '" + uuid(70) + "'"), 0);
    for (const std::string& type : std::vector<std::string>{"application/x-ndjson; charset=utf-8", "Application/X-NDJSON"})
        EXPECT_EQ(call(port_, "POST", "/v1/events", "", body, {{"Content-Type", type}}).status, 200u) << type;
}

TEST_F(HttpTest, AWriteFromAnotherOriginIsRefused) {
    start({}, false);
    const std::string body = payment(71, "hc-lugnvik", "1.00") + "\n";
    for (const std::string& origin : std::vector<std::string>{"http://evil.example", "http://evil.example:" + std::to_string(port_), "null",
                                     "http://127.0.0.1:1", "file://", "http://127.0.0.1:" + std::to_string(port_) + ".evil"}) {
        auto headers = ndjson;
        headers["Origin"] = origin;
        const Reply reply = call(port_, "POST", "/v1/events", "", body, headers);
        EXPECT_EQ(reply.status, 403u) << origin << ": " << reply.body;
        EXPECT_NE(reply.body.find(R"("parameter":"Origin")"), std::string::npos) << reply.body;
    }
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE event_id = '" + uuid(71) + "'"), 0);
    // The server's own origin (a page it served), and a client that sends none.
    auto own = ndjson;
    own["Origin"] = "http://" + loopback_host(port_);
    EXPECT_EQ(call(port_, "POST", "/v1/events", "", body, own).status, 200u);
    EXPECT_EQ(call(port_, "POST", "/v1/events", "", payment(72, "hc-lugnvik", "1.00") + "\n", ndjson).status, 200u);
}

TEST_F(HttpTest, EveryRouteChecksTheHostSoThatDnsRebindingCannotRead) {
    start({}, false);
    const std::string port = std::to_string(port_);
    for (const std::string& target : std::vector<std::string>{"/", "/healthz", "/assets/app.js", "/v1/regions/SE-Z/head",
                                     "/v1/regions/SE-Z/statements/neutrality" + statement_query}) {
        for (const std::string& host : std::vector<std::string>{"evil.example:" + port, "evil.example", "127.0.0.1:1", "127.0.0.1", "", "127.0.0.1:" + port + "x"}) {
            const Reply reply = call(port_, "GET", target, "", "", {{"Host", host}});
            EXPECT_EQ(reply.status, 400u) << target << " Host '" << host << "': " << reply.body;
            EXPECT_NE(reply.body.find(R"("parameter":"Host")"), std::string::npos) << reply.body;
            EXPECT_EQ(reply.body.find("seq"), std::string::npos) << reply.body;
        }
        // The listen address and, for a loopback one, its other names.
        for (const std::string& host : std::vector<std::string>{"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port})
            EXPECT_EQ(call(port_, "GET", target, "", "", {{"Host", host}}).status, 200u) << target << " Host " << host;
    }
    // HTTP/1.0 without any Host.
    const RawResult none = raw_exchange(port_, "GET /healthz HTTP/1.0\r\n\r\n");
    EXPECT_EQ(none.received.rfind("HTTP/1.0 400", 0), 0u) << none.received;
}

// Behind a proxy clients use the proxy's names: --public-host adds them.
TEST_F(HttpTest, PublicHostsAreTheNamesClientsUseBehindAProxy) {
    http::ServerConfig config;
    config.public_hosts = {"ledger.region.example", "Proxy.Example:8443"};
    start(config, false);
    for (const std::string& host : std::vector<std::string>{"ledger.region.example", "LEDGER.region.example:9000",
                                                            "proxy.example:8443", loopback_host(port_)})
        EXPECT_EQ(call(port_, "GET", "/healthz", "", "", {{"Host", host}}).status, 200u) << host;
    for (const std::string& host : std::vector<std::string>{"proxy.example", "proxy.example:1", "region.example",
                                                            "ledger.region.example.evil.example"})
        EXPECT_EQ(call(port_, "GET", "/healthz", "", "", {{"Host", host}}).status, 400u) << host;
    auto headers = ndjson;
    headers["Host"] = "ledger.region.example";
    headers["Origin"] = "https://ledger.region.example";
    EXPECT_EQ(call(port_, "POST", "/v1/events", "", payment(73, "hc-lugnvik", "1.00") + "\n", headers).status, 200u);
    headers["Origin"] = "https://proxy.example";  // port 443, not 8443
    EXPECT_EQ(call(port_, "POST", "/v1/events", "", payment(74, "hc-lugnvik", "1.00") + "\n", headers).status, 403u);
}

TEST(HttpHosts, TheHostPolicyNamesTheListenAddressItsLoopbackNamesTheReachedAddressAndPublicHosts) {
    const http::HostPolicy wildcard("0.0.0.0", 8080, false, {});
    EXPECT_TRUE(wildcard.allows_host("10.1.2.3:8080", "10.1.2.3:8080"));  // the address the client reached
    EXPECT_FALSE(wildcard.allows_host("10.1.2.3:8081", "10.1.2.3:8080"));
    EXPECT_FALSE(wildcard.allows_host("0.0.0.0:8080", "10.1.2.3:8080"));
    EXPECT_FALSE(wildcard.allows_host("ledger.evil.example:8080", "10.1.2.3:8080"));
    EXPECT_FALSE(wildcard.allows_host("localhost:8080", "10.1.2.3:8080"));
    const http::HostPolicy v6("::1", 8080, false, {});
    EXPECT_TRUE(v6.allows_host("[::1]:8080", "[::1]:8080"));
    EXPECT_TRUE(v6.allows_host("localhost:8080", "[::1]:8080"));
    EXPECT_FALSE(v6.allows_host("[::1", "[::1]:8080"));
    const http::HostPolicy tls("127.0.0.1", 443, true, {});
    EXPECT_TRUE(tls.allows_host("localhost", ""));  // the default port of https
    EXPECT_TRUE(tls.allows_origin("https://localhost", ""));
    EXPECT_FALSE(tls.allows_origin("http://localhost", ""));  // port 80
    const http::HostPolicy plain("127.0.0.1", 80, false, {});
    EXPECT_TRUE(plain.allows_host(" 127.0.0.1 ", ""));
    EXPECT_FALSE(plain.allows_origin("null", ""));
    EXPECT_FALSE(plain.allows_origin("ftp://127.0.0.1", ""));
    EXPECT_FALSE(plain.allows_origin("http://127.0.0.1/", ""));
    EXPECT_FALSE(plain.allows_host("127.0.0.1:99999", ""));
    EXPECT_FALSE(plain.allows_host("evil.example@127.0.0.1", ""));
    EXPECT_TRUE(http::public_host_problem("ledger.region.example:8443") == std::nullopt);
    EXPECT_TRUE(http::public_host_problem("https://ledger.example"));
    EXPECT_TRUE(http::public_host_problem(""));
    EXPECT_THROW(http::HostPolicy("127.0.0.1", 80, false, {"a b"}), std::invalid_argument);
}

// The drain after an error answer (so that the client reads it, not a reset) ends 2 s after
// it began, however slowly the client goes on sending.
TEST_F(HttpTest, TheLingerAfterAnErrorAnswerHasOneDeadline) {
    net::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    const std::string head = "POST /v1/events HTTP/1.1\r\n" + host_field() +
                             "Content-Length: " + std::to_string(http::events_body_bytes_max + 1) + "\r\n\r\n";
    net::write(socket, net::buffer(head));
    std::string answer;
    char chunk[4096];
    boost::system::error_code ec;
    while (answer.find("\r\n\r\n") == std::string::npos && !ec) answer.append(chunk, socket.read_some(net::buffer(chunk), ec));
    ASSERT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
    const auto answered = std::chrono::steady_clock::now();
    double seconds = 0;
    while (seconds < 6.0) {
        const char byte = 'x';
        net::write(socket, net::buffer(&byte, 1), ec);
        if (ec) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - answered).count();
    }
    EXPECT_TRUE(ec) << "the server still read a dripping client after " << seconds << " s";
    EXPECT_LT(seconds, 4.0);  // 2 s, and room for a busy machine; without the deadline it is never
}

// ---- answers that do not grow with what an attacker sends ----

TEST_F(HttpTest, TheMethodLabelOfTheMetricsTakesFourValues) {
    for (const std::string& method : std::vector<std::string>{"FOOBAR", "PROPFIND", "X-ANYTHING-AT-ALL", "PUT"})
        EXPECT_EQ(call(port_, method, "/healthz").status, 405u) << method;
    EXPECT_EQ(call(port_, "GET", "/healthz").status, 200u);
    EXPECT_EQ(call(port_, "HEAD", "/healthz").status, 200u);
    const std::string metrics = get("/metrics", "reader").body;
    EXPECT_NE(metrics.find(R"(likvard_http_requests_total{route="-",method="other",status="405"} 4)"), std::string::npos)
        << metrics;
    for (const std::string& method : std::vector<std::string>{"FOOBAR", "PROPFIND", "X-ANYTHING", "PUT"})
        EXPECT_EQ(metrics.find("method=\"" + method), std::string::npos) << metrics;
    std::set<std::string> methods;
    static const std::regex label("method=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(metrics.begin(), metrics.end(), label); it != std::sregex_iterator(); ++it)
        methods.insert((*it)[1]);
    EXPECT_EQ(methods, (std::set<std::string>{"GET", "HEAD", "other"}));
}

TEST_F(HttpTest, ReadyzAnswersAFixedSentenceAndKeepsTheDetailForTheLog) {
    const std::string secret = "connection to server at 10.9.8.7, port 5432 failed: password authentication failed";
    api_->report_projections({{"SE-Z", 16, 16}});
    const Reply ready = call(port_, "GET", "/readyz");
    EXPECT_EQ(ready.status, 200u);
    EXPECT_EQ(ready.body, "{\"status\":\"ready\"}\n");
    api_->report_projection_error(secret);
    const Reply failing = call(port_, "GET", "/readyz");
    EXPECT_EQ(failing.status, 503u);
    EXPECT_EQ(failing.body.find("10.9.8.7"), std::string::npos) << failing.body;
    const std::string fixed(boost::json::parse(failing.body).at("detail").as_string());
    api_->report_projections({{"SE-Z", 0, 5'000}});  // far behind
    const Reply behind = call(port_, "GET", "/readyz");
    EXPECT_EQ(behind.status, 503u);
    EXPECT_EQ(behind.body.find("SE-Z"), std::string::npos) << behind.body;
    EXPECT_EQ(std::string(boost::json::parse(behind.body).at("detail").as_string()), fixed);
}

TEST_F(HttpTest, TheBusyAnswerSaysItsOwnLength) {
    http::ServerConfig config;
    config.connections_max = 1;
    start(config);
    net::io_context io;
    tcp::socket first(io);
    first.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const RawResult busy = raw_exchange(port_, "GET /healthz HTTP/1.1\r\n" + host_field() + "\r\n");
    ASSERT_EQ(busy.received.rfind("HTTP/1.1 503", 0), 0u) << busy.received;
    const std::size_t end = busy.received.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    std::smatch length;
    const std::string head = busy.received.substr(0, end);
    ASSERT_TRUE(std::regex_search(head, length, std::regex("Content-Length: ([0-9]+)")));
    const std::string body = busy.received.substr(end + 4);
    EXPECT_EQ(std::stoul(length[1]), body.size()) << body;
    EXPECT_EQ(boost::json::parse(body).at("status").as_int64(), 503);
}

TEST_F(HttpTest, AStatementSpansAtMost120Months) {
    const std::string s = "/v1/regions/SE-Z/statements/neutrality?scheme=primary_care";
    const Reply too_long = get(s + "&from=2014-01&to=2024-01", "reader");  // 121 months
    EXPECT_EQ(too_long.status, 400u) << too_long.body;
    EXPECT_EQ(boost::json::parse(too_long.body).at("parameter").as_string(), "to");
    EXPECT_NE(too_long.body.find("120"), std::string::npos) << too_long.body;
    EXPECT_EQ(get("/v1/regions/SE-Z/statements/commitments?scheme=primary_care&from=2000-01&to=2099-12", "reader").status, 400u);
    EXPECT_EQ(get(s + "&from=2014-02&to=2024-01", "reader").status, 200u);  // 120 months
}

TEST_F(HttpTest, RejectionPagesLeaveTheRawBytesToARouteOfTheirOwn) {
    const std::string body = "{not json\n" + payment(80, "hc-nowhere", "5.00") + "\n";
    ASSERT_EQ(call(port_, "POST", "/v1/events", tokens.at("writer"), body, ndjson).status, 200u);
    const auto page = boost::json::parse(get("/v1/rejections", "auditor").body).as_object();
    const auto& rows = page.at("rejections").as_array();
    ASSERT_EQ(rows.size(), 2u);
    for (const auto& row : rows) {
        EXPECT_FALSE(row.as_object().contains("raw_base64")) << row;
        EXPECT_FALSE(row.as_object().contains("raw")) << row;
        EXPECT_TRUE(row.as_object().contains("raw_bytes")) << row;
    }
    const auto region_page = boost::json::parse(get("/v1/regions/SE-Z/rejections", "auditor").body).as_object();
    ASSERT_EQ(region_page.at("rejections").as_array().size(), 1u);
    EXPECT_FALSE(region_page.at("rejections").as_array()[0].as_object().contains("raw_base64"));
    // One rejection's bytes, exactly as received.
    const std::string first = std::to_string(rows[0].at("id").as_int64());
    const Reply raw = get("/v1/rejections/" + first + "/raw", "auditor");
    ASSERT_EQ(raw.status, 200u) << raw.body;
    EXPECT_EQ(raw.body, "{not json");
    EXPECT_EQ(raw.header("content-type"), "application/octet-stream");
    EXPECT_EQ(rows[0].at("raw_bytes").as_int64(), 9);
    const Reply second = get("/v1/rejections/" + std::to_string(rows[1].at("id").as_int64()) + "/raw", "auditor");
    EXPECT_EQ(second.body, payment(80, "hc-nowhere", "5.00"));
    EXPECT_EQ(get("/v1/rejections/" + first + "/raw", "reader").status, 403u);
    EXPECT_EQ(call(port_, "GET", "/v1/rejections/" + first + "/raw").status, 401u);
    const Reply unknown = get("/v1/rejections/999999/raw", "auditor");
    EXPECT_EQ(unknown.status, 404u);
    EXPECT_EQ(unknown.header("content-type"), "application/problem+json");
    const Reply bad = get("/v1/rejections/abc/raw", "auditor");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_NE(bad.body.find(R"("parameter":"id")"), std::string::npos) << bad.body;
}

// ---- spreadsheets show free text as text ----

// Party names are free text: a name that starts like a formula must reach a spreadsheet as
// text. The CSV puts a ' before it inside a quoted field (OWASP), the XLSX has string cells
// only, and figures stay figures.
TEST_F(HttpTest, StatementSpreadsheetsShowFormulaLikeNamesAsText) {
    const std::vector<std::string> names{"=HYPERLINK(\"http://evil.example\",\"x\")", "+46 Vård", "-Vård AB", "@SUM(A1)",
                                         "\tTabbed", "\rReturned"};
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string id = "hc-formula-" + std::to_string(i);
        boost::json::object data{{"party_id", id}, {"name", names[i]}, {"kind", "provider"}, {"side", "private"},
                                 {"provider_type", "health_centre"}};
        lines.push_back(line(envelope(1000 + static_cast<int>(i), "party.registered", data, "2023-01")));
        lines.push_back(listing(1100 + static_cast<int>(i), id, 100, "100"));
    }
    ASSERT_EQ(append_lines(lines), lines.size());
    const std::string target = "/v1/regions/SE-Z/statements/neutrality" + statement_query;
    const std::string csv = get(target + "&format=csv&table=rows", "reader").body;
    for (const auto& name : names) {
        std::string quoted;
        for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        EXPECT_NE(csv.find(";\"'" + quoted + "\";"), std::string::npos) << name << " in\n" << csv;
    }
    // A negative figure is a number, not text: no quote.
    const std::string summary = get(target + "&format=csv&table=summary", "reader").body;
    std::smatch gap;
    ASSERT_TRUE(std::regex_search(summary, gap, std::regex("\nneutrality_gap;(-?[0-9]+\\.[0-9]{2})\n"))) << summary;
    EXPECT_EQ(gap[1].str().front(), '-') << summary;

    const std::string dir = std::filesystem::temp_directory_path() / ("likvard-formula-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir + "/n.xlsx", std::ios::binary);
        out << get(target + "&format=xlsx", "reader").body;
    }
    const RunResult sheets = run("unzip -p " + dir + "/n.xlsx 'xl/worksheets/*.xml'");
    ASSERT_EQ(sheets.exit_code, 0) << sheets.err;
    EXPECT_EQ(sheets.out.find("<f>"), std::string::npos) << "a formula cell";
    EXPECT_EQ(sheets.out.find("<f "), std::string::npos) << "a formula cell";
    const RunResult strings = run("unzip -p " + dir + "/n.xlsx xl/sharedStrings.xml");
    ASSERT_EQ(strings.exit_code, 0) << strings.err;
    EXPECT_NE(strings.out.find("<t>=HYPERLINK(\"http://evil.example\",\"x\")</t>"), std::string::npos) << strings.out;
    EXPECT_NE(strings.out.find("<t>@SUM(A1)</t>"), std::string::npos) << strings.out;
    // Text cells are shared strings ("s"), none an inline formula result ("str"); the names
    // (column C) are text, never numbers.
    EXPECT_EQ(sheets.out.find("t=\"str\""), std::string::npos);
    EXPECT_EQ(sheets.out.find("<c r=\"C2\"><v>"), std::string::npos);
    EXPECT_NE(sheets.out.find("t=\"s\""), std::string::npos);
    std::filesystem::remove_all(dir);
}

// ---- the ingest lag of `likvard serve --brokers` (the CLI's wiring, in a process of its own) ----

// `likvard serve` on a free loopback port without tokens, stopped with SIGTERM; its
// projection runner only when the options give it the projector's URL.
class ServeProcess {
public:
    ServeProcess(const std::string& url, std::vector<std::string> options, bool with_runner = false) {
        static int counter = 0;
        log_ = ::testing::TempDir() + "likvard-serve-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".log";
        std::vector<std::string> args{"likvard", "serve", "--listen", "127.0.0.1:0", "--threads", "2",
                                      "--database-url", url};
        if (!with_runner) args.push_back("--no-projections");
        args.insert(args.end(), options.begin(), options.end());
        pid_ = fork();
        if (pid_ == 0) {
            const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, STDERR_FILENO);
            dup2(fd, STDOUT_FILENO);
            std::vector<char*> argv;
            for (auto& arg : args) argv.push_back(arg.data());
            argv.push_back(nullptr);
            execv(LIKVARD_BIN, argv.data());
            _exit(127);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        static const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
        std::smatch found;
        std::string text;
        while (!std::regex_search(text = read_file(log_), found, listening)) {
            if (std::chrono::steady_clock::now() > deadline || waitpid(pid_, nullptr, WNOHANG) != 0)
                throw std::runtime_error("likvard serve did not start:\n" + text);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        port_ = static_cast<unsigned short>(std::stoi(found[1]));
    }
    ~ServeProcess() {
        if (pid_ > 0) stop();
    }
    unsigned short port() const { return port_; }
    std::string log() const { return read_file(log_); }
    int stop() {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    // Scrapes /metrics until `line` is in it (the watermarks are read on the server's own
    // thread); each scrape must answer well within the 2 s a Kafka request may wait.
    std::string metrics_with(const std::string& line) const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (true) {
            const auto started = std::chrono::steady_clock::now();
            const Reply reply = call(port_, "GET", "/metrics");
            EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 1.5);
            EXPECT_EQ(reply.status, 200u) << reply.body;
            if (reply.body.find(line) != std::string::npos) return reply.body;
            if (std::chrono::steady_clock::now() > deadline) {
                ADD_FAILURE() << "no '" << line << "' in /metrics:\n" << reply.body << "\nlog:\n" << log();
                return reply.body;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

private:
    std::string log_;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
};

// Each part of `likvard serve` as its role (docs/operating.md, "Roles"): the handlers and
// POST /v1/events as likvard_app, the projection runner as likvard_projector.
TEST_F(HttpTest, ServeAppendsAsTheAppRoleAndRunsItsProjectionsAsTheProjector) {
    ServeProcess serve(url, {"--projector-database-url", projector_url, "--projection-interval-ms", "50"}, true);
    const auto projected_to = [&](std::int64_t seq) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            if (count("SELECT coalesce((SELECT seq FROM projection.checkpoints WHERE region = 'SE-Z'), 0)") == seq)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    };
    EXPECT_TRUE(projected_to(16)) << serve.log();
    const Reply posted = call(serve.port(), "POST", "/v1/events", "", payment(52, "hc-lugnvik", "10.00") + "\n",
                              {{"Content-Type", "application/x-ndjson"}});
    EXPECT_EQ(posted.status, 200u) << posted.body;
    EXPECT_TRUE(projected_to(17)) << serve.log();
    EXPECT_EQ(call(serve.port(), "GET", "/readyz").status, 200u) << serve.log();
    EXPECT_EQ(serve.stop(), 0);
    EXPECT_EQ(serve.log().find("warning: connected"), std::string::npos) << serve.log();
    EXPECT_EQ(serve.log().find("projection runner:"), std::string::npos) << serve.log();  // no runner failure
}

// Bearer tokens over plain HTTP on a network address would travel in the clear.
TEST_F(HttpTest, ServeRefusesTokensOnAPlainNetworkAddressUnlessTold) {
    const std::string file = ::testing::TempDir() + "likvard-tokens-" + std::to_string(getpid());
    {
        std::ofstream out(file);
        out << tokens_file_text();
    }
    const std::string serve = "timeout 5 " + std::string(LIKVARD_BIN) + " serve --no-projections --threads 1 --database-url " +
                              shell_quote(url) + " --tokens " + file;
    const RunResult refused = run(serve + " --listen 0.0.0.0:0");
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find("--tokens"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("--insecure-http"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("--tls-cert"), std::string::npos) << refused.err;
    // Told so, it serves (until the timeout stops it); on loopback it needs nothing.
    const RunResult told = run(serve + " --listen 0.0.0.0:0 --insecure-http");
    EXPECT_EQ(told.exit_code, 124) << told.err;
    EXPECT_NE(told.err.find("listening on http://0.0.0.0:"), std::string::npos) << told.err;
    const RunResult loopback = run(serve + " --listen 127.0.0.1:0");
    EXPECT_EQ(loopback.exit_code, 124) << loopback.err;
    for (const std::string& bad : std::vector<std::string>{"https://ledger.example", ",", "a b", "ledger.example:http"}) {
        const RunResult host = run(serve + " --listen 127.0.0.1:0 --public-host " + shell_quote(bad));
        EXPECT_EQ(host.exit_code, 2) << bad << ": " << host.err;
        EXPECT_NE(host.err.find("--public-host"), std::string::npos) << host.err;
    }
    const RunResult hosts = run(serve + " --listen 127.0.0.1:0 --public-host a.example --public-host b.example:8443,c.example");
    EXPECT_EQ(hosts.exit_code, 124) << hosts.err;
    std::filesystem::remove(file);
}

std::string lag_line(int partition, std::int64_t lag) {
    return R"(likvard_ingest_lag_messages{consumer_group="likvard-ingest",topic="likvard.events",partition=")" +
           std::to_string(partition) + "\"} " + std::to_string(lag) + "\n";
}

std::string offset_line(int partition, std::int64_t offset) {
    return R"(likvard_ingest_offset_next{consumer_group="likvard-ingest",topic="likvard.events",partition=")" +
           std::to_string(partition) + "\"} " + std::to_string(offset) + "\n";
}

TEST_F(HttpTest, ServeWithBrokersReportsTheLagAsTheHighWatermarkMinusTheStoredOffset) {
    ingest::EmbeddedBroker broker({ingest::topics_default}, 2);
    std::vector<ingest::PublishLine> lines;
    for (int i = 0; i < 7; ++i) lines.push_back({payment(300 + i, "hc-lugnvik", "1.00"), "test:" + std::to_string(i + 1)});
    std::ostringstream problems;
    ASSERT_EQ(ingest::publish({broker.bootstraps(), ingest::topics_default, false}, lines, problems).delivered, 7u)
        << problems.str();
    // One region is one key: the seven messages are in one partition, the other is empty.
    ingest::WatermarkClient client(broker.bootstraps());
    const ingest::WatermarkReading reading = client.read({ingest::topics_default});
    ASSERT_TRUE(reading.reachable) << reading.error;
    ASSERT_EQ(reading.partitions.size(), 2u);
    const int busy = reading.partitions[0].high == 7 ? 0 : 1;
    ASSERT_EQ(reading.partitions[busy].high, 7);
    ASSERT_EQ(reading.partitions[1 - busy].high, 0);
    // The ledger holds four of them (its next offset is 4) and nothing of the other partition.
    query("INSERT INTO ledger.consumer_offsets (consumer_group, topic, partition, offset_next) VALUES "
          "('likvard-ingest', 'likvard.events', " + std::to_string(busy) + ", 4)");

    ServeProcess serve(url, {"--brokers", broker.bootstraps(), "--broker-interval-ms", "100"});
    std::string metrics = serve.metrics_with("likvard_broker_up 1\n");
    EXPECT_NE(metrics.find(R"(likvard_ingest_partition_high_watermark{topic="likvard.events",partition=")" +
                           std::to_string(busy) + "\"} 7\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find(offset_line(busy, 4)), std::string::npos) << metrics;
    EXPECT_NE(metrics.find(lag_line(busy, 3)), std::string::npos) << metrics;  // 7 - 4
    EXPECT_NE(metrics.find(lag_line(1 - busy, 0)), std::string::npos) << metrics;
    // The dashboard's read says the same.
    const auto kafka = boost::json::parse(call(serve.port(), "GET", "/v1/regions/SE-Z/ingestion").body).at("kafka");
    EXPECT_EQ(kafka.at("broker").as_string(), "up");
    const auto& partitions = kafka.at("partitions").as_array();
    ASSERT_EQ(partitions.size(), 2u) << kafka;
    const auto& stored = partitions[busy];  // in partition order
    EXPECT_EQ(stored.at("offset_next").as_int64(), 4);
    EXPECT_EQ(stored.at("high_watermark").as_int64(), 7);
    EXPECT_EQ(stored.at("lag").as_int64(), 3);
    EXPECT_TRUE(partitions[1 - busy].at("offset_next").is_null());
    EXPECT_EQ(partitions[1 - busy].at("lag").as_int64(), 0);

    // The ledger catches up: no lag.
    query("UPDATE ledger.consumer_offsets SET offset_next = 7");
    serve.metrics_with(lag_line(busy, 0));
    // The broker goes away: broker_up 0, no lag from an old reading, the ledger's offsets still.
    broker.set_broker_down(true);
    metrics = serve.metrics_with("likvard_broker_up 0\n");
    EXPECT_EQ(metrics.find("likvard_ingest_lag_messages{"), std::string::npos) << metrics;
    EXPECT_EQ(metrics.find("likvard_ingest_partition_high_watermark{"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find(offset_line(busy, 7)), std::string::npos) << metrics;
    EXPECT_EQ(boost::json::parse(call(serve.port(), "GET", "/v1/regions/SE-Z/ingestion").body).at("kafka").at("broker").as_string(),
              "down");
    // And comes back.
    broker.set_broker_down(false);
    serve.metrics_with("likvard_broker_up 1\n");
    EXPECT_EQ(serve.stop(), 0) << serve.log();
}

TEST_F(HttpTest, ServeWithUnreachableBrokersAnswersFromTheOffsetsTableAtOnce) {
    query("INSERT INTO ledger.consumer_offsets (consumer_group, topic, partition, offset_next) VALUES "
          "('likvard-ingest', 'likvard.events', 0, 4)");
    ServeProcess serve(url, {"--brokers", "127.0.0.1:1", "--broker-interval-ms", "100"});
    // The first reading has failed (each waits 2 s for the brokers); scrapes never wait for one.
    const std::string metrics = serve.metrics_with("likvard_broker_reading_age_seconds ");
    EXPECT_NE(metrics.find("likvard_broker_up 0\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find(offset_line(0, 4)), std::string::npos) << metrics;
    EXPECT_EQ(metrics.find("likvard_ingest_lag_messages{"), std::string::npos) << metrics;
    for (int i = 0; i < 10; ++i) serve.metrics_with("likvard_broker_up 0\n");
    const auto kafka = boost::json::parse(call(serve.port(), "GET", "/v1/regions/SE-Z/ingestion").body).at("kafka");
    EXPECT_EQ(kafka.at("broker").as_string(), "down");
    EXPECT_TRUE(kafka.at("partitions").as_array().at(0).at("lag").is_null());
    const auto stopping = std::chrono::steady_clock::now();
    EXPECT_EQ(serve.stop(), 0) << serve.log();
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - stopping).count(), 10.0);
}

// The lag from a reading handed to the API as the monitor hands it: a partition without a
// stored offset counts from its low watermark; a reading too old to trust (a stuck monitor)
// or one that did not reach the brokers is the brokers down, and shows no lag.
TEST_F(HttpTest, TheLagComesOnlyFromAFreshReadingThatReachedTheBrokers) {
    broker_configured_ = true;
    start({});
    query("INSERT INTO ledger.consumer_offsets (consumer_group, topic, partition, offset_next) VALUES "
          "('likvard-ingest', 'likvard.events', 0, 4)");
    EXPECT_NE(get("/metrics").body.find("likvard_broker_up 0\n"), std::string::npos);  // nothing read yet
    http::BrokerReading reading{true, std::chrono::system_clock::now(), {{"likvard.events", 0, 0, 9}, {"likvard.events", 1, 3, 10}}, ""};
    api_->report_broker(reading);
    std::string metrics = get("/metrics").body;
    EXPECT_NE(metrics.find("likvard_broker_up 1\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find(lag_line(0, 5)), std::string::npos) << metrics;  // 9 - 4
    EXPECT_NE(metrics.find(lag_line(1, 7)), std::string::npos) << metrics;  // 10 - 3, nothing stored
    reading.read_at -= std::chrono::hours(1);
    api_->report_broker(reading);
    metrics = get("/metrics").body;
    EXPECT_NE(metrics.find("likvard_broker_up 0\n"), std::string::npos) << metrics;
    EXPECT_EQ(metrics.find("likvard_ingest_lag_messages{"), std::string::npos) << metrics;
    api_->report_broker({false, std::chrono::system_clock::now(), {}, "brokers: Local: Broker transport failure"});
    metrics = get("/metrics").body;
    EXPECT_NE(metrics.find("likvard_broker_up 0\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find(offset_line(0, 4)), std::string::npos) << metrics;
}

// Without --brokers there is no broker to be up or down: the offsets alone.
TEST_F(HttpTest, WithoutBrokersMetricsSayNothingOfThem) {
    const std::string metrics = get("/metrics", "reader").body;
    EXPECT_EQ(metrics.find("likvard_broker_up"), std::string::npos) << metrics;
    EXPECT_EQ(boost::json::parse(get("/v1/regions/SE-Z/ingestion", "reader").body).at("kafka").at("broker").as_string(),
              "not_configured");
}

// ---- the statement cache and the computations in flight ----

std::shared_ptr<const http::detail::Rendered> rendered_of(std::size_t bytes) {
    auto out = std::make_shared<http::detail::Rendered>();
    out->body = std::string(bytes, 'x');
    return out;
}

TEST(HttpStatementCache, IsBoundedInBytesAsWellAsInEntries) {
    EXPECT_GT(http::detail::statement_cache_bytes_max, 0u);
    http::detail::StatementCache cache(100, 10'000);
    for (int i = 0; i < 5; ++i) cache.put("k" + std::to_string(i), rendered_of(3'000));
    // 5 x 3,000 bytes do not fit in 10,000: the oldest went first.
    EXPECT_LE(cache.bytes(), 10'000u);
    EXPECT_EQ(cache.entries(), 3u);
    EXPECT_FALSE(cache.find("k0"));
    EXPECT_FALSE(cache.find("k1"));
    EXPECT_TRUE(cache.find("k4"));
    cache.put("huge", rendered_of(20'000));  // larger than the whole bound: not kept, nothing evicted
    EXPECT_FALSE(cache.find("huge"));
    EXPECT_EQ(cache.entries(), 3u);
    http::detail::StatementCache few(2, 1'000'000);
    for (int i = 0; i < 3; ++i) few.put("k" + std::to_string(i), rendered_of(10));
    EXPECT_EQ(few.entries(), 2u);
    EXPECT_FALSE(few.find("k0"));
    EXPECT_TRUE(few.find("k2"));
}

// A computation that throws leaves nothing behind: the one waiting computes in its turn,
// and the key is forgotten (no entry per failed statement, kept for ever).
TEST(HttpInFlight, AComputationThatThrowsIsForgottenAndTheNextOneComputes) {
    http::detail::InFlight computing;
    std::atomic<int> computed{0};
    std::atomic<bool> first_holds{false};
    std::thread failing([&] {
        try {
            const auto turn = computing.take("neutrality|SE-Z|16");
            first_holds = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            throw std::runtime_error("the database went away");
        } catch (const std::runtime_error&) {
        }
    });
    while (!first_holds) std::this_thread::yield();
    {
        const auto turn = computing.take("neutrality|SE-Z|16");  // waits for the failed one
        ++computed;
        EXPECT_EQ(computing.keys(), 1u);
    }
    failing.join();
    EXPECT_EQ(computed, 1);
    EXPECT_EQ(computing.keys(), 0u);
    for (int i = 0; i < 100; ++i) {
        try {
            const auto turn = computing.take("key " + std::to_string(i));
            throw std::runtime_error("failed");
        } catch (const std::runtime_error&) {
        }
    }
    EXPECT_EQ(computing.keys(), 0u);
}

// ---- tokens ----

TEST(HttpTokens, TheTokensFileIsParsedStrictlyAndComparedByHash) {
    const auto table = http::TokenTable::parse(tokens_file_text(), "t");
    EXPECT_EQ(table.size(), 4u);
    const auto auditor = table.authenticate("auditor-secret-2");
    ASSERT_TRUE(auditor);
    EXPECT_EQ(auditor->name, "auditor-token");
    EXPECT_TRUE(auditor->may(http::Role::reader));
    EXPECT_FALSE(auditor->may(http::Role::writer));
    EXPECT_FALSE(table.authenticate("auditor-secret-"));
    EXPECT_FALSE(table.authenticate(http::sha256_hex("auditor-secret-2")));  // the file's hash is not a token
    const auto several = http::TokenTable::parse(http::sha256_hex("x") + " ci reader,writer\n", "t");
    EXPECT_TRUE(several.authenticate("x")->may(http::Role::writer));
    EXPECT_TRUE(several.authenticate("x")->may(http::Role::reader));
    EXPECT_FALSE(several.authenticate("x")->may(http::Role::auditor));
    EXPECT_THROW(http::TokenTable::parse("abc name reader\n", "t"), std::runtime_error);
    EXPECT_THROW(http::TokenTable::parse(http::sha256_hex("x") + " name\n", "t"), std::runtime_error);
    EXPECT_THROW(http::TokenTable::parse(http::sha256_hex("x") + " name superuser\n", "t"), std::runtime_error);
    EXPECT_THROW(http::TokenTable::parse(http::sha256_hex("x") + " name reader extra\n", "t"), std::runtime_error);
}

// ---- the OpenAPI document against the route table ----

// The route table of the server, never connected to a database.
http::Router route_table() {
    http::ApiConfig config;
    config.database_url = "postgresql://nobody@127.0.0.1:1/none";  // never connected: routes only
    const http::Api api(config, std::make_shared<http::Probe>());
    return api.router();
}

YAML::Node openapi_document() { return YAML::LoadFile(std::string(LIKVARD_SOURCE_DIR) + "/schemas/api/openapi.yaml"); }

TEST(HttpOpenApi, TheDocumentNamesExactlyTheServersRoutesRolesAndParameters) {
    const RouteTable documented = documented_routes(openapi_document());
    ASSERT_FALSE(documented.empty());
    const RouteTable served = served_routes(route_table());
    ASSERT_FALSE(served.empty());
    for (const std::string& difference : route_differences(documented, served)) ADD_FAILURE() << difference;
}

// The comparison itself: each kind of disagreement in a changed document is named.
TEST(HttpOpenApi, ARouteOnOneSideOnlyOrWithOtherRolesOrParametersIsNamed) {
    const RouteTable served = served_routes(route_table());
    YAML::Node document = openapi_document();
    ASSERT_TRUE(document["paths"]["/healthz"]);
    document["paths"].remove("/healthz");
    document["paths"]["/v1/nowhere"] = YAML::Load("get: {x-likvard-role: reader}");
    document["paths"]["/metrics"]["get"]["x-likvard-role"] = "admin";
    document["paths"]["/v1/regions/{region}/parties"]["get"]["parameters"].push_back(
        YAML::Load("{name: page, in: query}"));
    const std::vector<std::string> differences = route_differences(documented_routes(document), served);
    const std::vector<std::string> expected{
        "get /metrics: role admin in openapi.yaml, reader served",
        "not in openapi.yaml: get /healthz",
        "get /v1/regions/{region}/parties: query {as_of,page} in openapi.yaml, {as_of} served",
        "not served: get /v1/nowhere",
    };
    EXPECT_EQ(std::set<std::string>(differences.begin(), differences.end()),
              std::set<std::string>(expected.begin(), expected.end()));
    EXPECT_EQ(differences.size(), expected.size());
}

// Parameters may also sit on the path item or be referenced from components/parameters.
TEST(HttpOpenApi, SharedAndReferencedParametersCount) {
    const YAML::Node document = YAML::Load(R"(
paths:
  /v1/regions/{region}/head:
    parameters:
      - {name: region, in: path}
    get:
      x-likvard-role: reader
      parameters:
        - $ref: '#/components/parameters/AsOf'
components:
  parameters:
    AsOf: {name: as_of, in: query}
)");
    const RouteTable routes = documented_routes(document);
    ASSERT_EQ(routes.size(), 1u);
    const DocumentedRoute& route = routes.begin()->second;
    EXPECT_EQ(route.role, "reader");
    EXPECT_EQ(route.path, std::set<std::string>{"region"});
    EXPECT_EQ(route.query, std::set<std::string>{"as_of"});
    EXPECT_THROW(documented_routes(YAML::Load("paths: {/x: {get: {parameters: [{$ref: 'other.yaml#/P'}]}}}")),
                 std::runtime_error);
}

// The problem types' one table: each slug once, a title and an error status; the answer of
// a type carries the table's title and status; the sources use only the table's slugs and
// every slug of it (a slug not in the table does not compile; this finds dead entries).
TEST(HttpProblemTypes, EveryProblemTakesItsTitleAndStatusFromTheOneTable) {
    std::set<std::string> table;
    for (const http::ProblemType& type : http::problem_types) {
        EXPECT_TRUE(table.insert(std::string(type.slug)).second) << "twice: " << type.slug;
        EXPECT_TRUE(std::regex_match(std::string(type.slug), std::regex("[a-z]+(-[a-z]+)*"))) << type.slug;
        EXPECT_FALSE(type.title.empty()) << type.slug;
        EXPECT_GE(type.status, 400u) << type.slug;
        EXPECT_LE(type.status, 599u) << type.slug;
    }
    const http::Response answer = http::problem_response(http::problem_of("not-found", "no such thing", "id"), "/x");
    EXPECT_EQ(answer.status, 404u);
    const auto body = boost::json::parse(answer.body).as_object();
    EXPECT_EQ(body.at("type").as_string(), "urn:likvard:problem:not-found");
    EXPECT_EQ(body.at("title").as_string(), "Not found");
    EXPECT_EQ(body.at("status").as_int64(), 404);
    EXPECT_EQ(body.at("parameter").as_string(), "id");

    std::set<std::string> used;
    const std::regex call("(problem_of|protocol_problem)\\(\\s*\"([a-z-]+)\"");  // a call may wrap
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(LIKVARD_SOURCE_DIR) + "/ledger/http")) {
        if (entry.path().extension() != ".cpp") continue;
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) used.insert((*it)[2]);
    }
    EXPECT_GT(used.size(), 10u);  // the scan found the calls
    for (const auto& slug : used) EXPECT_TRUE(table.contains(slug)) << "not in the table: " << slug;
    for (const auto& slug : table) EXPECT_TRUE(used.contains(slug)) << "in the table but never answered: " << slug;
}

}  // namespace
