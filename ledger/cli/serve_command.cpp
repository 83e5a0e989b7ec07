// `likvard serve`: the HTTP API (http/), the projection runner on a thread of its own,
// access control from a tokens file, and with --brokers the monitor of the brokers'
// watermarks (consumers/, the only Kafka client) for the ingest lag; runs until SIGINT or SIGTERM.
#include <condition_variable>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#include <pthread.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/detail/options.hpp"
#include "embedded_broker.hpp"
#include "http/http.hpp"
#include "limits.hpp"
#include "projections/projections.hpp"
#include "watermarks.hpp"

namespace likvard::cli {
namespace {

constexpr const char* serve_help =
    R"(Usage: likvard serve [--listen HOST:PORT] [--tokens FILE] [--tls-cert FILE --tls-key FILE]
                     [--insecure-http] [--public-host NAME[:PORT]]...
                     [--database-url URL] [--projector-database-url URL]
                     [--threads N] [--connections-max N]
                     [--ready-lag N] [--no-projections] [--projection-interval-ms N]
                     [--projection-batch N]
                     [--header-timeout-ms N] [--body-timeout-ms N] [--head-cache-ms N]
                     [--brokers LIST|embedded [--state-dir DIR]] [--topics LIST]
                     [--broker-interval-ms N]

Serves the HTTP API (docs/reference/http.md; schemas/api/openapi.yaml): the two statements
in JSON, Markdown, CSV and XLSX, parties, listings, postings, events, rejections and
the head of each region, POST /v1/events to append NDJSON through the one append path,
/healthz, /readyz and /metrics (Prometheus). Also runs the projection runner, which keeps
the read models of the schema `projection` at the ledger's head.

--listen HOST:PORT   where to listen (default 127.0.0.1:8080; [::1]:8080 for IPv6)
--tokens FILE        bearer tokens: one line '<sha256 hex of the token> <name> <role>[,<role>...]',
                     '#' starts a comment; roles reader, auditor, writer, admin. Without it
                     access control is off and only a loopback address is allowed. On an
                     address that is not loopback it needs --tls-cert/--tls-key (tokens
                     would travel in the clear) or --insecure-http.
--tls-cert FILE, --tls-key FILE
                     serve HTTPS with this PEM certificate chain and private key
--insecure-http      allow --tokens on plain HTTP at an address that is not loopback (a
                     TLS-terminating proxy on the same host or network)
--public-host NAME[:PORT]
                     a name clients use to reach the server (behind a proxy); repeat it or
                     separate names by commas. Every request's Host must name the listen
                     address (for loopback also localhost, 127.0.0.1, [::1]), the address the
                     client reached, or one of these (NAME: any port), else 400; a POST's
                     Origin, when sent, too, else 403
--database-url URL   the ledger for the handlers and POST /v1/events (default
                     $LIKVARD_DATABASE_URL), as likvard_app (ops/pg url --role app)
--projector-database-url URL
                     the ledger for the projection runner (default
                     $LIKVARD_PROJECTOR_DATABASE_URL), as likvard_projector (ops/pg url
                     --role projector); required unless --no-projections
--threads N          I/O threads, request handlers and database connections (default 8 each)
--connections-max N  open connections at most (default 512); more get 503
--ready-lag N        /readyz fails when projections are more than N events behind (default 1000)
--no-projections     do not run the projection runner here (another process runs
                     'likvard projections run'); /readyz then checks the database only
--projection-interval-ms N   pause between catch-ups when at the head (default 1000)
--projection-batch N events per projection transaction (default 20000); a stop (SIGTERM,
                     SIGINT) waits for the transaction in progress, never for the head
--header-timeout-ms N, --body-timeout-ms N
                     deadlines for reading a request's header (also between requests on a
                     kept-alive connection; default 10000) and its body (default 30000)
--head-cache-ms N    a statement without as_of is as of the head read at most N ms ago
                     (default 50; 0: read the head for every request); the provenance
                     says which position it is, and as_of asks for an exact one
--brokers LIST       Kafka bootstrap servers (default $LIKVARD_KAFKA_BROKERS): /metrics and
                     the dashboard then report each partition's high watermark and the
                     ingest lag (high watermark - the next offset the ledger holds), and
                     likvard_broker_up. 'embedded': the address the embedded broker
                     ('likvard-ingest broker') wrote to <--state-dir>/kafka.bootstrap.
                     Without brokers the lag comes from the ledger's offsets alone.
--topics LIST        topics whose watermarks are read, comma separated (default
                     likvard.events), besides every topic the ledger holds offsets for
--broker-interval-ms N   how often the watermarks are read, off the request path (default 5000)
--state-dir DIR      where 'embedded' finds kafka.bootstrap (default .local)

Logs (and one access line per request: peer, token name, method, route, status,
duration) go to stderr. Exit codes: 0 stopped by a signal, 1 cannot listen or the
database failed at start, 2 usage error.
)";

struct Listen {
    std::string host;
    unsigned short port = 0;
};

Listen parse_listen(const std::string& text) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) throw UsageError("--listen '" + text + "' is not HOST:PORT");
    Listen listen{text.substr(0, colon), 0};
    if (listen.host.size() > 2 && listen.host.front() == '[' && listen.host.back() == ']')
        listen.host = listen.host.substr(1, listen.host.size() - 2);
    const std::string port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) > 65535)
        throw UsageError("--listen '" + text + "': the port is not a number 0..65535");
    listen.port = static_cast<unsigned short>(std::stoi(port));
    if (listen.host == "localhost") listen.host = "127.0.0.1";
    return listen;
}

std::int64_t positive(const Options& options, const std::string& name, std::int64_t fallback) {
    const std::int64_t value = options.integer(name).value_or(fallback);
    if (value < 1) throw UsageError(name + " must be at least 1");
    return value;
}

void setup_logging() {
    auto logger = std::make_shared<spdlog::logger>("likvard", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

// The projection runner: ensure() once, then catch_up() whenever there is work, reporting
// the positions to the API (/readyz, /metrics). A failure is reported and retried.
class Runner {
public:
    Runner(std::string url, http::Api& api, std::chrono::milliseconds interval, std::int64_t batch_events)
        : url_(std::move(url)), api_(api), interval_(interval), batch_events_(batch_events), thread_([this] {
              run();
          }) {}
    ~Runner() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();  // a pass in progress ends after its current transaction
    }

private:
    void run() {
        std::optional<Projections> projections;
        while (!stopping()) {
            bool more = false;
            try {
                if (!projections) {
                    projections.emplace(url_);
                    projections->ensure();
                }
                more = projections->catch_up(batch_events_, &stopping_).events > 0;
                report(*projections);
            } catch (const std::exception& error) {
                spdlog::warn("projection runner: {}", error.what());
                api_.report_projection_error(error.what());
                projections.reset();
            }
            if (!more) pause();
        }
    }

    void report(Projections& projections) {
        std::vector<http::ProjectionLag> lags;
        for (const ProjectionPosition& p : projections.positions())
            lags.push_back({p.region, p.projected_seq, p.head_seq});
        api_.report_projections(std::move(lags));
    }

    bool stopping() const { return stopping_.load(); }
    void pause() {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, interval_, [this] { return stopping_.load(); });
    }

    std::string url_;
    http::Api& api_;
    std::chrono::milliseconds interval_;
    std::int64_t batch_events_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> stopping_{false};  // set under mutex_, so that pause() cannot miss it
    std::thread thread_;
};

std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) out.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

// --public-host, given more than once or as a comma-separated list.
std::vector<std::string> public_hosts(const Options& options) {
    std::vector<std::string> hosts;
    for (const std::string& value : options.values("--public-host")) {
        const std::vector<std::string> names = comma_list(value);
        if (names.empty()) throw UsageError("--public-host names no host");
        for (const std::string& name : names) {
            if (const auto problem = http::public_host_problem(name)) throw UsageError("--public-host " + *problem);
            hosts.push_back(name);
        }
    }
    return hosts;
}

http::ServerConfig server_config(const Options& options) {
    http::ServerConfig config;
    const Listen listen = parse_listen(options.value("--listen").value_or("127.0.0.1:8080"));
    config.address = listen.host;
    config.port = listen.port;
    config.worker_threads = static_cast<std::size_t>(positive(options, "--threads", 8));
    // As many I/O threads: answers from memory run there, and on a busy machine more
    // threads keep one descheduled thread from stalling every connection.
    config.io_threads = config.worker_threads;
    config.connections_max = static_cast<std::size_t>(positive(options, "--connections-max", 512));
    config.header_timeout = std::chrono::milliseconds(positive(options, "--header-timeout-ms", 10'000));
    config.body_timeout = std::chrono::milliseconds(positive(options, "--body-timeout-ms", 30'000));
    const auto cert = options.value("--tls-cert");
    const auto key = options.value("--tls-key");
    if (cert.has_value() != key.has_value()) throw UsageError("--tls-cert and --tls-key go together");
    if (cert) config.tls = http::TlsFiles{*cert, *key};
    if (const auto tokens = options.value("--tokens")) {
        try {
            config.tokens = http::TokenTable::load(*tokens);
        } catch (const std::runtime_error& error) {
            throw UsageError(error.what());
        }
    } else if (!http::is_loopback(config.address)) {
        throw UsageError("without --tokens the server listens on a loopback address only, not " + config.address);
    }
    if (config.tokens && !config.tls && !http::is_loopback(config.address) && !options.flag("--insecure-http"))
        throw UsageError("--tokens on " + config.address +
                         " without TLS would send the tokens in the clear: give "
                         "--tls-cert and --tls-key, or --insecure-http when a TLS proxy stands in front");
    config.public_hosts = public_hosts(options);
    return config;
}

struct BrokerOptions {
    std::string brokers;  // empty: none
    std::vector<std::string> topics;
    std::chrono::milliseconds interval{5'000};
};

BrokerOptions broker_options(const Options& options) {
    BrokerOptions out;
    const char* env = std::getenv("LIKVARD_KAFKA_BROKERS");
    out.brokers = options.value("--brokers").value_or(env != nullptr ? env : "");
    if (out.brokers == "embedded") {
        const std::string state_dir = options.value("--state-dir").value_or(".local");
        const auto address = ingest::read_bootstrap_file(state_dir);
        if (!address)
            throw UsageError("--brokers embedded: no " + state_dir +
                             "/kafka.bootstrap (is 'likvard-ingest broker' running?)");
        out.brokers = *address;
    }
    out.topics = comma_list(options.value("--topics").value_or(ingest::topics_default));
    if (out.topics.empty()) throw UsageError("--topics names no topic");
    out.interval = std::chrono::milliseconds(positive(options, "--broker-interval-ms", 5'000));
    return out;
}

// The brokers' watermarks for the API, read on the monitor's thread: the configured topics
// and those the ledger holds offsets for.
std::unique_ptr<ingest::WatermarkMonitor> start_broker_monitor(const BrokerOptions& options, http::Api& api) {
    auto topics = [&api, configured = options.topics] {
        std::vector<std::string> all = configured;
        for (auto& topic : api.ingested_topics())
            if (std::find(all.begin(), all.end(), topic) == all.end()) all.push_back(std::move(topic));
        return all;
    };
    auto report = [&api](const ingest::WatermarkReading& reading) {
        http::BrokerReading out{reading.reachable, reading.read_at, {}, reading.error};
        for (const auto& p : reading.partitions) out.partitions.push_back({p.topic, p.partition, p.low, p.high});
        api.report_broker(std::move(out));
    };
    spdlog::info("reading the watermarks of {} every {} ms", options.brokers, options.interval.count());
    return std::make_unique<ingest::WatermarkMonitor>(options.brokers, topics, report, options.interval);
}

// Blocks SIGINT and SIGTERM in every thread started after this, and waits for one here.
sigset_t stop_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

}  // namespace

int serve(const Args& args) {
    Options options(args,
                    {"--listen", "--tokens", "--tls-cert", "--tls-key", "--database-url", "--projector-database-url",
                     "--threads", "--connections-max", "--ready-lag", "--projection-interval-ms", "--projection-batch",
                     "--header-timeout-ms", "--body-timeout-ms", "--head-cache-ms", "--brokers", "--topics",
                     "--broker-interval-ms", "--state-dir", "--public-host"},
                    {"--no-projections", "--insecure-http"});
    if (options.help()) return std::cout << serve_help, exit_ok;
    if (!options.positional().empty()) throw UsageError("unexpected argument " + options.positional()[0]);
    http::ServerConfig config = server_config(options);
    http::ApiConfig api_config;
    api_config.database_url = database_url(options);
    api_config.database_connections = config.worker_threads;
    api_config.ready_lag_max_events = positive(options, "--ready-lag", 1'000);
    api_config.projections_expected = !options.flag("--no-projections");
    // The runner writes the projections as likvard_projector; the handlers' role may not.
    const std::string projector_url =
        api_config.projections_expected ? projector_database_url(options, "--projector-database-url") : "";
    const std::int64_t head_cache_ms = options.integer("--head-cache-ms").value_or(50);
    if (head_cache_ms < 0) throw UsageError("--head-cache-ms must be 0 or more");
    api_config.head_cache = std::chrono::milliseconds(head_cache_ms);
    const auto interval = std::chrono::milliseconds(positive(options, "--projection-interval-ms", 1'000));
    const std::int64_t projection_batch = positive(options, "--projection-batch", catch_up_batch_events_default);
    const BrokerOptions brokers = broker_options(options);
    api_config.broker_configured = !brokers.brokers.empty();
    // A reading older than this means the monitor is stuck (librdkafka overran a timeout).
    api_config.broker_stale_after = 3 * brokers.interval + std::chrono::milliseconds(4 * ingest::watermark_timeout_ms);
    setup_logging();
    if (!config.tokens)
        spdlog::warn("access control is off (no --tokens): listening on loopback only");
    else
        spdlog::info("access control on: {} tokens", config.tokens->size());

    const sigset_t signals = stop_signals();
    auto probe = std::make_shared<http::Probe>();
    http::Api api(api_config, probe);
    http::Server server(config, api.router(), probe);
    server.start();
    spdlog::info("listening on {}://{}:{}", config.tls ? "https" : "http", config.address, server.port());
    std::optional<Runner> runner;
    if (api_config.projections_expected) runner.emplace(projector_url, api, interval, projection_batch);
    std::unique_ptr<ingest::WatermarkMonitor> monitor;
    if (api_config.broker_configured) monitor = start_broker_monitor(brokers, api);
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("stopping on signal {}", received);
    monitor.reset();
    runner.reset();
    server.stop();
    return exit_ok;
}

}  // namespace likvard::cli
