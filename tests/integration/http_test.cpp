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

#include "http/http.hpp"
#include "ingest.hpp"

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

bhttp::request<bhttp::string_body> make_request(const std::string& method, const std::string& target,
                                                const std::string& token, const std::string& body,
                                                const std::map<std::string, std::string>& headers) {
    bhttp::request<bhttp::string_body> request{bhttp::string_to_verb(method), target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
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
    auto request = make_request(method, target, token, body, headers);
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
        {"GET", "/v1/regions/{region}/parties", "reader", region + "/parties", "", 200},
        {"GET", "/v1/regions/{region}/listings", "reader", region + "/listings", "", 200},
        {"GET", "/v1/regions/{region}/head", "reader", region + "/head", "", 200},
        {"GET", "/v1/regions/{region}/postings", "auditor", region + "/postings", "", 200},
        {"GET", "/v1/regions/{region}/events/{event_id}", "auditor", region + "/events/" + uuid(901), "", 200},
        {"GET", "/v1/regions/{region}/rejections", "auditor", region + "/rejections", "", 200},
        {"GET", "/v1/rejections", "auditor", "/v1/rejections?since=2000-01-01", "", 200},
        // The dashboard's reads (handlers/dashboard.cpp); this fixture builds no projections: 503.
        {"GET", "/v1/regions/{region}/commitments/monthly", "reader", region + "/commitments/monthly" + statement_query, "", 503},
        {"GET", "/v1/regions/{region}/ingestion", "reader", region + "/ingestion", "", 200},
        {"POST", "/v1/events", "writer", "/v1/events", payment(50, "hc-lugnvik", "1000.00") + "\n", 200},
    };
}

// What each held role may do (README, "HTTP API"), written out rather than computed.
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
        {s + statement_query + "&format=pdf", 400, "format"},
        {s + statement_query + "&table=rows", 400, "table"},
        {s + statement_query + "&format=csv&table=nope", 400, "table"},
        {s + statement_query + "&colour=red", 400, "colour"},
        {s + statement_query + "&scheme=foot_care", 400, "scheme"},
        {s + statement_query + "&as_of=%zz", 400, "as_of"},
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
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 50\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /v1/events HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
    };
    // Each is followed by what a smuggler hopes is read as a second request.
    const std::string smuggled = "0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
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
        port_, "POST /v1/events HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: " +
                   std::to_string(http::events_body_bytes_max + 1) + "\r\n\r\n");
    EXPECT_EQ(events.received.rfind("HTTP/1.1 413", 0), 0u) << events.received;
    const RawResult small = raw_exchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n");
    EXPECT_EQ(small.received.rfind("HTTP/1.1 413", 0), 0u) << small.received;
    char size[16];
    std::snprintf(size, sizeof size, "%zx", http::body_bytes_max_small + 1);
    const RawResult chunked = raw_exchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                                      std::string(size) + "\r\n" +
                                                      std::string(http::body_bytes_max_small + 1, 'x') + "\r\n0\r\n\r\n");
    EXPECT_EQ(chunked.received.rfind("HTTP/1.1 413", 0), 0u) << chunked.received;
    // A client that sends 5 MB + 1 regardless still reads the answer (the server drains).
    net::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    auto request = make_request("POST", "/v1/events", tokens.at("writer"), std::string(http::events_body_bytes_max + 1, '\n'),
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
    const RawResult partial = raw_exchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(5));
    EXPECT_TRUE(partial.closed);
    EXPECT_LT(partial.seconds, 2.0);
    EXPECT_EQ(partial.received.find("200"), std::string::npos);
    // A body that never comes.
    const RawResult body = raw_exchange(port_,
                                        "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokens.at("writer") +
                                            "\r\nContent-Length: 100\r\n\r\n{",
                                        std::chrono::seconds(5));
    EXPECT_TRUE(body.closed);
    EXPECT_LT(body.seconds, 2.0);
    // Slowloris: a byte every 50 ms keeps the connection busy but not alive past the deadline.
    net::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    const auto started = std::chrono::steady_clock::now();
    const std::string drip = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'a');
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
    std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 100; ++i) many += "X-" + std::to_string(i) + ": y\r\n";
    const RawResult fields = raw_exchange(port_, many + "\r\n");
    EXPECT_EQ(fields.received.rfind("HTTP/1.1 431", 0), 0u) << fields.received;
    const RawResult large = raw_exchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n");
    EXPECT_EQ(large.received.rfind("HTTP/1.1 431", 0), 0u) << large.received;
    const RawResult garbage = raw_exchange(port_, "NOT HTTP AT ALL\r\n\r\n");
    EXPECT_EQ(garbage.received.rfind("HTTP/1.1 400", 0), 0u) << garbage.received;
}

TEST_F(HttpTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    const std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const RawResult result = raw_exchange(port_, one + one + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
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
    const RawResult third = raw_exchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
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
    auto request = make_request("GET", "/v1/regions/SE-Z/head", tokens.at("reader"), "", {});
    bhttp::write(stream, request);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(stream, buffer, response);
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_NE(response.body().find("\"seq\":16"), std::string::npos) << response.body();
    // Plain HTTP to the TLS port is not answered as HTTP.
    const RawResult plain = raw_exchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(2));
    EXPECT_EQ(plain.received.find("HTTP/1.1 200"), std::string::npos);
    std::filesystem::remove_all(dir);
}

// ---- the statements: the CLI's bytes ----

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
                                                    ? std::vector<std::string>{"provenance", "rows", "cross_subsidies", "summary"}
                                                    : std::vector<std::string>{"provenance", "commitments", "services", "summary"};
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
    std::filesystem::remove_all(dir);
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
        if (r.at("region").is_null()) without_region.push_back(std::string(r.at("raw_base64").as_string()));
    // The malformed line byte for byte ("{not json"), and the line that failed the schema
    // (the store keeps no region from bytes the contract refused).
    EXPECT_EQ(static_cast<std::int64_t>(without_region.size()), count("SELECT count(*) FROM ledger.rejections WHERE region IS NULL"));
    EXPECT_EQ(without_region.size(), 2u);
    EXPECT_NE(std::find(without_region.begin(), without_region.end(), "e25vdCBqc29u"), without_region.end());
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

// Each part of `likvard serve` as its role (README, "Roles"): the handlers and POST
// /v1/events as likvard_app, the projection runner as likvard_projector.
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

struct DocumentedRoute {
    std::string role;
    std::set<std::string> query;
    std::set<std::string> path;
};

// Reads schemas/api/openapi.yaml in the regular layout its header comment describes.
std::map<std::pair<std::string, std::string>, DocumentedRoute> read_openapi(const std::string& file) {
    std::ifstream in(file);
    std::map<std::pair<std::string, std::string>, DocumentedRoute> out;
    const std::regex path_line("^  (/[^:]*):\\s*$"), method_line("^    (get|put|post|delete|patch|head|options):\\s*$"),
        role_line("^      x-likvard-role: (\\w+)\\s*$"), name_line("^        - name: (\\S+)\\s*$"),
        in_line("^          in: (query|path|header)\\s*$"), top_line("^\\S");
    std::string line, path, method, name;
    bool in_paths = false;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_search(line, top_line)) in_paths = line.rfind("paths:", 0) == 0;
        if (!in_paths) continue;
        if (std::regex_match(line, m, path_line)) path = m[1];
        else if (std::regex_match(line, m, method_line)) method = m[1], out[{method, path}];
        else if (std::regex_match(line, m, role_line)) out[{method, path}].role = m[1];
        else if (std::regex_match(line, m, name_line)) name = m[1];
        else if (std::regex_match(line, m, in_line))
            (m[1] == "query" ? out[{method, path}].query : out[{method, path}].path).insert(name);
    }
    return out;
}

TEST(HttpOpenApi, TheDocumentNamesExactlyTheServersRoutesRolesAndParameters) {
    const auto documented = read_openapi(std::string(LIKVARD_SOURCE_DIR) + "/schemas/api/openapi.yaml");
    ASSERT_FALSE(documented.empty());
    http::ApiConfig config;
    config.database_url = "postgresql://nobody@127.0.0.1:1/none";  // never connected: routes only
    const http::Api api(config, std::make_shared<http::Probe>());
    std::set<std::pair<std::string, std::string>> served, listed;
    for (const auto& [key, value] : documented) listed.insert(key);
    const http::Router router = api.router();
    for (const auto& route : router.routes()) {
        std::string method = route.method;
        for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // {path*} (the rest of the path) is {path} in OpenAPI.
        const std::string path = std::regex_replace(route.pattern, std::regex("\\*\\}"), "}");
        served.insert({method, path});
        const auto found = documented.find({method, path});
        if (found == documented.end()) continue;
        EXPECT_EQ(found->second.role, std::string(http::role_name(route.role))) << method << " " << path;
        EXPECT_EQ(found->second.query, route.query_params) << method << " " << path;
        std::set<std::string> path_params;
        static const std::regex param("\\{(\\w+)\\}");
        for (auto it = std::sregex_iterator(path.begin(), path.end(), param); it != std::sregex_iterator(); ++it)
            path_params.insert((*it)[1]);
        EXPECT_EQ(found->second.path, path_params) << method << " " << path;
    }
    for (const auto& route : served) EXPECT_TRUE(listed.contains(route)) << "not in openapi.yaml: " << route.first << " " << route.second;
    for (const auto& route : listed) EXPECT_TRUE(served.contains(route)) << "not served: " << route.first << " " << route.second;
}

}  // namespace
