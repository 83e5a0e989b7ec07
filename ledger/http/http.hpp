// The HTTP API of `likvard serve`: an HTTP/1.1 server on Boost.Beast (keep-alive, bounded
// requests, timeouts, a bounded number of connections, optional TLS), bearer tokens with
// roles, RFC 9457 problem+json errors, and the route table that both the server and the
// OpenAPI test (schemas/api/openapi.yaml) read. README, "HTTP API", documents the routes.
#pragma once

#include "http/problem_types.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace likvard::http {

// ---- roles and tokens ----
enum class Role { none, reader, auditor, writer, admin };  // none: a public route
std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);
// admin may do everything, auditor what a reader may, the others only their own.
bool role_grants(Role held, Role required);

struct Identity {
    std::string name;  // the token's name from the tokens file; never the token
    std::vector<Role> roles;
    bool may(Role required) const;
};

// The tokens file: `<sha256 hex of the token> <name> <role>[,<role>...]` per line, `#`
// starts a comment. Tokens are compared by the SHA-256 of the presented token, in constant
// time (CRYPTO_memcmp) against every entry.
class TokenTable {
public:
    static TokenTable load(const std::string& path);  // std::runtime_error naming the line
    static TokenTable parse(std::string_view text, const std::string& origin);
    std::optional<Identity> authenticate(std::string_view token) const;
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::array<unsigned char, 32> digest{};
        Identity identity;
    };
    std::vector<Entry> entries_;
};

std::string sha256_hex(std::string_view bytes);

// ---- requests, responses, problems ----
struct Request {
    std::string method;  // "GET", "POST", ...
    std::string path;    // the target's path, as sent
    std::string route;   // the route's pattern, e.g. /v1/regions/{region}/head
    std::map<std::string, std::string> query;        // decoded query parameters
    std::map<std::string, std::string> path_params;  // decoded {name} segments
    std::map<std::string, std::string> headers;      // lower-case names (the ones handlers read)
    std::string body;
    std::string peer;  // "address:port"
    std::optional<Identity> identity;  // nullopt when access control is off or the route is public
};

struct Response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// RFC 9457 problem details; `parameter` names the query or path parameter, header or field
// that was wrong. type is urn:likvard:problem:<slug>.
struct Problem {
    unsigned status = 500;
    std::string slug;  // e.g. invalid-parameter
    std::string title;
    std::string detail;
    std::optional<std::string> parameter;
};
Response problem_response(const Problem& problem, const std::string& instance);
// The problem of a type in the table (http/problem_types.hpp): its status and title.
Problem problem_of(ProblemSlug slug, std::string detail, std::optional<std::string> parameter = std::nullopt);

// Thrown by handlers for an expected error; the server answers it as problem+json.
struct ProblemError : std::runtime_error {
    explicit ProblemError(Problem p) : std::runtime_error(p.detail), problem(std::move(p)) {}
    Problem problem;
};
// 400 invalid-parameter naming `parameter`.
[[noreturn]] void bad_parameter(const std::string& parameter, const std::string& detail);
[[noreturn]] void not_found(const std::string& detail);

// Query strings: `a=1&b=x%20y` (+ is a space). nullopt names the malformed parameter.
struct QueryParse {
    std::map<std::string, std::string> values;
    std::optional<std::string> bad_parameter;  // malformed escape or duplicate
    std::string problem;
};
QueryParse parse_query(std::string_view query);
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// ---- the route table ----
using Handler = std::function<Response(const Request&)>;
// Answers from memory only (never waits), on the I/O thread; nullopt hands the request to
// the route's Handler on a worker. Keeps a cached statement off the worker queue.
using MemoryHandler = std::function<std::optional<Response>(const Request&)>;

inline constexpr std::size_t body_bytes_max_small = 16 * 1024;
inline constexpr std::size_t events_body_bytes_max = 5 * 1024 * 1024;

struct Route {
    std::string method;   // GET, POST
    std::string pattern;  // /v1/regions/{region}/head; a last segment {path*} takes the rest
    Role role = Role::none;
    std::set<std::string> query_params;  // the only parameters accepted; others are 400
    Handler handler;
    std::size_t body_bytes_max = body_bytes_max_small;
    MemoryHandler from_memory = nullptr;
};

class Router {
public:
    void add(Route route);
    const std::vector<Route>& routes() const { return routes_; }

    struct Match {
        const Route* route = nullptr;  // set when found
        std::map<std::string, std::string> params;
        std::vector<std::string> allowed;  // the path exists with these methods (405)
        std::optional<std::string> bad_parameter;  // a path segment that does not decode
    };
    Match match(std::string_view method, std::string_view path) const;
    // The largest body any route of this path accepts (what the server reads at most).
    std::size_t body_limit(std::string_view method, std::string_view path) const;

private:
    std::vector<Route> routes_;
};

// ---- metrics (Prometheus text format) ----
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds_seconds);
    void observe(double seconds);
    // Lines for `name{labels,le=...}`, name_sum, name_count.
    void render(std::string& out, const std::string& name, const std::string& labels) const;

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> counts_;  // one per bound, plus +Inf
    double sum_ = 0;
    std::uint64_t count_ = 0;
};

// Counters and histograms of the server and the API, behind one mutex; /metrics renders them.
class Probe {
public:
    // `method` is counted as GET, HEAD, POST or other (a client must not add label values).
    void request(const std::string& route, const std::string& method, unsigned status, double seconds);
    void statement(const std::string& statement, const std::string& source, double seconds);
    void ingest(std::string_view outcome, std::string_view reason);  // POST /v1/events, per line
    void connection_refused();
    void connections(std::int64_t open);
    std::string render() const;

    Probe();
    ~Probe();
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// ---- the server ----
struct TlsFiles {
    std::string certificate_chain;  // PEM
    std::string private_key;        // PEM
};

struct ServerConfig {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;  // 0: an ephemeral port (see Server::port)
    std::size_t io_threads = 2;
    std::size_t worker_threads = 8;  // handlers run here (they may wait for PostgreSQL)
    std::size_t connections_max = 512;
    std::size_t requests_per_connection_max = 100'000;
    std::uint32_t header_bytes_max = 8 * 1024;
    std::size_t header_fields_max = 64;
    std::chrono::milliseconds header_timeout{10'000};  // the whole header, also between requests
    std::chrono::milliseconds body_timeout{30'000};
    std::chrono::milliseconds write_timeout{30'000};
    std::optional<TlsFiles> tls;
    std::optional<TokenTable> tokens;  // nullopt: access control off (loopback only)
    std::vector<std::string> public_hosts;  // the names clients use behind a proxy (HostPolicy)
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& address);

// ---- the names a request may reach the server by (hosts.cpp) ----
// Every request's Host, and a write's Origin when it sends one, must name the listen
// address (for a loopback one also localhost, 127.0.0.1 and [::1]) with its port, the
// address the connection reached (a wildcard listen's own address), or a public host
// (--public-host: NAME matches any port, NAME:PORT that port). Else 400 (Host) or 403
// (Origin): a page of another site can neither read through DNS rebinding nor write.
class HostPolicy {
public:
    // Throws std::invalid_argument naming a public host that is not NAME or NAME:PORT.
    HostPolicy(const std::string& address, unsigned short port, bool tls, const std::vector<std::string>& public_hosts);
    // `local`: the connection's own address as authority_of gives it.
    bool allows_host(std::string_view host, std::string_view local) const;
    bool allows_origin(std::string_view origin, std::string_view local) const;  // "http(s)://authority"

private:
    bool allows(const std::string& name, unsigned short port, std::string_view local) const;
    std::set<std::pair<std::string, unsigned short>> exact_;  // lower-case name ([v6] bracketed), port
    std::set<std::string> any_port_;                          // public hosts given without a port
    unsigned short default_port_;                             // 80, or 443 with TLS
};
// nullopt, or what is wrong with a --public-host value.
std::optional<std::string> public_host_problem(std::string_view value);
// "127.0.0.1:8080", "[::1]:8080".
std::string authority_of(const std::string& address, unsigned short port);

class Server {
public:
    Server(ServerConfig config, Router router, std::shared_ptr<Probe> probe);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();  // binds and listens (throws when it cannot), then serves on its threads
    unsigned short port() const;
    void stop();  // stops accepting, closes connections, joins the threads

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// ---- static files (GET / and /assets/...) ----
struct StaticFile {
    std::string content_type;
    std::string_view bytes;
};
// Files by name ("index.html", "app.js", "assets/chart.js"); filled by static_assets.cpp,
// which the dashboard replaces (README, "HTTP API").
const std::map<std::string, StaticFile>& static_files();
// The safe file name of a request path below /assets/, or nullopt for traversal
// attempts (".." or "." segments, encoded '/', '\\', NUL, empty segments).
std::optional<std::string> safe_asset_name(std::string_view encoded_tail);

// ---- the Likvärd API: every route of `likvard serve` ----
struct ApiConfig {
    std::string database_url;
    std::size_t database_connections = 8;  // pooled PostgreSQL connections for the handlers
    std::chrono::milliseconds database_wait{5'000};  // for a free connection, else 503
    // /readyz: projections at most this many seqs behind the head (when a runner reports).
    std::int64_t ready_lag_max_events = 1'000;
    bool projections_expected = false;  // /readyz waits for the runner's first report
    std::string generator = "likvard 0.1.0";
    // A statement without as_of is as of the region's head seen at most this long ago (0:
    // asked every time); POST /v1/events through this server refreshes it at once.
    std::chrono::milliseconds head_cache{50};
    // `likvard serve --brokers`: /metrics and /ingestion report the brokers' side of the
    // ingest lag from the readings given to Api::report_broker; a reading older than
    // broker_stale_after (its monitor is stuck) counts as the brokers being unreachable.
    bool broker_configured = false;
    std::chrono::milliseconds broker_stale_after{30'000};
};

// Where the projection runner stands, per region (reported by `likvard serve`'s runner).
struct ProjectionLag {
    std::string region;
    std::int64_t projected_seq = 0;
    std::int64_t head_seq = 0;
};

// The brokers' side of the ingest lag: each partition's watermarks as last read by the
// monitor that `likvard serve` runs (consumers/ has the Kafka client; this library has none).
struct BrokerPartition {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t low_watermark = 0;   // the first offset the broker still has
    std::int64_t high_watermark = 0;  // the offset of the next message produced
};
struct BrokerReading {
    bool reachable = false;
    std::chrono::system_clock::time_point read_at;
    std::vector<BrokerPartition> partitions;
    std::string error;  // why it was not reachable, or a partition that could not be read
};

class Api {
public:
    Api(ApiConfig config, std::shared_ptr<Probe> probe);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    Router router() const;  // the route table: the server's and the OpenAPI test's
    // The runner's latest positions; /readyz and /metrics read them. Until the first
    // report, /readyz does not look at projections.
    void report_projections(std::vector<ProjectionLag> positions);
    void report_projection_error(const std::string& message);
    // The monitor's latest reading of the brokers (never waits for Kafka on a request).
    void report_broker(BrokerReading reading);
    // The topics the ledger holds offsets for (ledger.consumer_offsets); empty when the
    // database does not answer.
    std::vector<std::string> ingested_topics() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace likvard::http
