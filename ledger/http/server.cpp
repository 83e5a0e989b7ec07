// The HTTP/1.1 server on Boost.Beast: an acceptor, one session per connection (plain TCP or
// TLS through beast::ssl_stream), keep-alive, limits on header size, header count and body
// size (per route), deadlines for the header, the body and the write (a slow client is
// cut off), and a bounded number of connections. Handlers run on a worker pool, never on
// the I/O threads, so a handler waiting for PostgreSQL does not stall other connections.
#include <array>
#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "http/detail/dispatch.hpp"

namespace likvard::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// The drain after an error answer ends at this deadline, however slowly the client sends.
constexpr std::chrono::milliseconds linger_time_max{2'000};
constexpr std::size_t linger_bytes_max = 8 * 1024 * 1024;

struct Shared {
    ServerConfig config;
    Router router;
    std::shared_ptr<Probe> probe;
    net::thread_pool workers;
    std::atomic<std::int64_t> open{0};
    std::size_t body_bytes_max = events_body_bytes_max;  // the largest any route accepts
    std::optional<HostPolicy> hosts;                     // set once the port is bound, before the first accept

    Shared(ServerConfig c, Router r, std::shared_ptr<Probe> p)
        : config(std::move(c)), router(std::move(r)), probe(std::move(p)), workers(config.worker_threads) {
        for (const Route& route : router.routes()) body_bytes_max = std::max(body_bytes_max, route.body_bytes_max);
    }
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The one way a Response becomes an HTTP message: Content-Length is computed from the body
// (for HEAD from the GET's body, which is not sent), never written by hand.
bhttp::response<bhttp::string_body> to_message(Response response, unsigned version, bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> message(static_cast<bhttp::status>(response.status), version == 10 ? 10 : 11);
    message.set(bhttp::field::server, "likvard");
    message.set(bhttp::field::content_type, response.content_type);
    message.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : response.headers) message.insert(name, value);
    const std::size_t body_bytes = response.body.size();
    message.body() = head ? std::string() : std::move(response.body);
    message.keep_alive(keep_alive);
    message.prepare_payload();
    if (head && message.has_content_length()) message.content_length(body_bytes);
    return message;
}

// What a connection over the limit is sent before it is closed, as bytes (written without
// a session).
std::string busy_answer() {
    Response busy = detail::protocol_problem("too-many-connections", "connections full");
    busy.headers.emplace_back("Retry-After", "1");
    std::ostringstream bytes;
    bytes << to_message(std::move(busy), 11, false, false);
    return bytes.str();
}

std::string local_authority(const tcp::socket& socket) {
    beast::error_code ec;
    const tcp::endpoint local = socket.local_endpoint(ec);
    if (ec) return "";
    auto address = local.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
    return authority_of(address.to_string(), local.port());
}

// What was wrong with a header that Beast accepted but we refuse (request smuggling and
// limits), as the response to send before closing; nullopt when it is fine.
std::optional<Response> refuse_header(const bhttp::request<bhttp::string_body>& header, const Shared& shared,
                                      std::size_t& body_limit) {
    std::size_t fields = 0, lengths = 0, encodings = 0;
    for (const auto& field : header) {
        ++fields;
        if (field.name() == bhttp::field::content_length) ++lengths;
        if (field.name() == bhttp::field::transfer_encoding) ++encodings;
    }
    if (fields > shared.config.header_fields_max)
        return detail::protocol_problem(
            "header-fields-too-many",
            "more than " + std::to_string(shared.config.header_fields_max) + " header fields");
    if (lengths > 1 || (lengths == 1 &&
                        header[bhttp::field::content_length].find_first_not_of("0123456789") != std::string_view::npos))
        return detail::protocol_problem("invalid-header", "Content-Length must be given once, as digits only",
                                        "Content-Length");
    if (encodings > 0 && (lengths > 0 || encodings > 1 ||
                          !beast::iequals(header[bhttp::field::transfer_encoding], "chunked") || header.version() < 11))
        return detail::protocol_problem(
            "invalid-header", "Transfer-Encoding must be exactly 'chunked' (HTTP/1.1), without Content-Length",
            "Transfer-Encoding");
    const std::string_view target = header.target();
    body_limit = shared.router.body_limit(std::string(header.method_string()), target.substr(0, target.find('?')));
    return std::nullopt;
}

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
public:
    template <class... Args>
    Session(Shared& shared, std::string peer, std::string local, Args&&... args)
        : shared_(shared), peer_(std::move(peer)), local_(std::move(local)), stream_(std::forward<Args>(args)...) {
        shared_.probe->connections(++shared_.open);
    }
    ~Session() { shared_.probe->connections(--shared_.open); }

    void run() {
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->read_header(); });
        } else {
            beast::get_lowest_layer(stream_).expires_after(shared_.config.header_timeout);
            stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (ec) return spdlog::debug("TLS handshake with {} failed: {}", self->peer_, ec.message());
                self->read_header();
            });
        }
    }

private:
    void read_header() {
        parser_.emplace();
        parser_->header_limit(shared_.config.header_bytes_max);
        parser_->body_limit(shared_.body_bytes_max);
        beast::get_lowest_layer(stream_).expires_after(shared_.config.header_timeout);
        bhttp::async_read_header(
            stream_, buffer_, *parser_,
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        started_ = Clock::now();
        if (ec) return read_failed(ec);
        std::size_t body_limit = body_bytes_max_small;
        if (auto refused = refuse_header(parser_->get(), shared_, body_limit))
            return answer_and_close(std::move(*refused));
        const auto length = parser_->content_length();
        if (length && *length > body_limit) return too_large(body_limit);
        parser_->body_limit(body_limit);
        if (parser_->is_done()) return handle();
        if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) return send_continue();
        read_body();
    }

    void send_continue() {
        auto continue_response = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
        beast::get_lowest_layer(stream_).expires_after(shared_.config.write_timeout);
        bhttp::async_write(stream_, *continue_response,
                           [self = this->shared_from_this(), continue_response](beast::error_code ec, std::size_t) {
                               if (ec) return self->close();
                               self->read_body();
                           });
    }

    void read_body() {
        beast::get_lowest_layer(stream_).expires_after(shared_.config.body_timeout);
        bhttp::async_read(stream_, buffer_, *parser_,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->read_failed(ec);
                              self->handle();
                          });
    }

    void read_failed(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted) return close();
        if (ec == beast::error::timeout) {
            spdlog::info("access peer={} token=- method=- route=- status=timeout (connection closed)", peer_);
            return close();
        }
        if (ec == bhttp::error::body_limit) return too_large(shared_.body_bytes_max);
        if (ec == bhttp::error::header_limit)
            return answer_and_close(detail::protocol_problem(
                "header-too-large",
                "the header is over " + std::to_string(shared_.config.header_bytes_max) + " bytes"));
        // Not an HTTP parse error (a reset, a TLS failure) or the peer left mid-message: nobody to answer.
        if (ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category() ||
            ec == bhttp::error::partial_message)
            return close();
        answer_and_close(detail::protocol_problem("malformed-request", ec.message()));
    }

    void too_large(std::size_t limit) {
        answer_and_close(detail::protocol_problem(
            "body-too-large", "the body is over " + std::to_string(limit) + " bytes for this route", "body"));
    }

    void answer_and_close(Response response) {
        keep_alive_ = false;
        linger_ = true;
        finish("-", "-", std::move(response), "-");
    }

    void handle() {
        bhttp::request<bhttp::string_body> request = parser_->release();
        keep_alive_ = request.keep_alive() && ++requests_ < shared_.config.requests_per_connection_max;
        detail::Incoming incoming{std::string(request.method_string()),
                                  std::string(request.target()),
                                  {},
                                  std::move(request.body()),
                                  peer_,
                                  local_};
        for (const auto& field : request) {
            std::string name(field.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            incoming.headers.emplace(std::move(name), std::string(field.value()));
        }
        version_ = request.version();
        if (auto answered = detail::dispatch(gate(), incoming, false))
            return finish(incoming.method, answered->route, std::move(answered->response), answered->token_name);
        net::post(shared_.workers, [self = this->shared_from_this(), incoming = std::move(incoming)]() mutable {
            detail::Dispatched out = *detail::dispatch(self->gate(), incoming, true);
            net::post(self->stream_.get_executor(), [self, method = incoming.method, out = std::move(out)]() mutable {
                self->finish(method, out.route, std::move(out.response), out.token_name);
            });
        });
    }

    detail::Gate gate() const { return {shared_.router, shared_.config.tokens, *shared_.hosts}; }

    // Access log and metrics, then the response; then the next request or the close.
    void finish(const std::string& method, const std::string& route, Response response, const std::string& token) {
        const double seconds = seconds_since(started_);
        shared_.probe->request(route, method, response.status, seconds);
        spdlog::info("access peer={} token={} method={} route={} status={} duration_ms={:.2f}", peer_, token, method,
                     route, response.status, seconds * 1000);
        auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
            to_message(std::move(response), version_, keep_alive_, method == "HEAD"));
        beast::get_lowest_layer(stream_).expires_after(shared_.config.write_timeout);
        bhttp::async_write(stream_, *message,
                           [self = this->shared_from_this(), message](beast::error_code ec, std::size_t) {
                               if (!ec && self->linger_) return self->linger();
                               if (ec || !self->keep_alive_) return self->close();
                               self->read_header();
                           });
    }

    // After an error answer the client may still be sending (a body over the limit): read
    // and drop what comes, up to a bound in bytes and one deadline in time, so that it reads
    // the answer instead of a reset.
    void linger() {
        if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
            return close();
        } else {
            beast::error_code ignored;
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
            discard_ = std::make_unique<std::array<char, 16 * 1024>>();
            beast::get_lowest_layer(stream_).expires_after(linger_time_max);
            drain();
        }
    }

    // The deadline set in linger() holds for every read: a dripping client cannot renew it.
    void drain() {
        stream_.async_read_some(net::buffer(*discard_),
                                [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->lingered_bytes_ += n;
                                    if (!ec && self->lingered_bytes_ < linger_bytes_max) self->drain();
                                });
    }

    void close() {
        beast::error_code ignored;
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        } else {
            beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
                beast::error_code unused;
                beast::get_lowest_layer(self->stream_).socket().close(unused);
            });
        }
    }

    Shared& shared_;
    std::string peer_;
    std::string local_;  // the address:port the client reached (the Host check)
    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    Clock::time_point started_ = Clock::now();
    std::size_t requests_ = 0;
    unsigned version_ = 11;
    bool keep_alive_ = true;
    bool linger_ = false;
    std::unique_ptr<std::array<char, 16 * 1024>> discard_;
    std::size_t lingered_bytes_ = 0;
};

}  // namespace

bool is_loopback(const std::string& address) {
    if (address == "localhost") return true;
    beast::error_code ec;
    const auto parsed = net::ip::make_address(address, ec);
    return !ec && parsed.is_loopback();
}

struct Server::Impl {
    // Declared in the order they may be destroyed in reverse: the io_context's pending
    // sessions still use `shared` and the TLS context when it goes.
    Shared shared;
    std::optional<ssl::context> tls;
    net::io_context io{static_cast<int>(shared.config.io_threads)};
    tcp::acceptor acceptor{net::make_strand(io)};
    std::vector<std::thread> threads;
    bool stopped = false;

    Impl(ServerConfig config, Router router, std::shared_ptr<Probe> probe)
        : shared(std::move(config), std::move(router), std::move(probe)) {}

    void load_tls() {
        tls.emplace(ssl::context::tls_server);
        tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        tls->use_certificate_chain_file(shared.config.tls->certificate_chain);
        tls->use_private_key_file(shared.config.tls->private_key, ssl::context::pem);
    }

    void accept() {
        acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) admit(std::move(socket));
            accept();
        });
    }

    void admit(tcp::socket socket) {
        beast::error_code ec;
        const auto remote = socket.remote_endpoint(ec);
        if (ec) return;
        if (shared.open.load() >= static_cast<std::int64_t>(shared.config.connections_max)) {
            shared.probe->connection_refused();
            static const std::string busy = busy_answer();
            socket.non_blocking(true, ec);
            socket.write_some(net::buffer(busy.data(), busy.size()), ec);
            socket.close(ec);
            return;
        }
        std::string peer = remote.address().to_string() + ":" + std::to_string(remote.port());
        std::string local = local_authority(socket);
        if (tls)
            std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(shared, std::move(peer), std::move(local),
                                                                            std::move(socket), *tls)
                ->run();
        else
            std::make_shared<Session<beast::tcp_stream>>(shared, std::move(peer), std::move(local), std::move(socket))
                ->run();
    }
};

Server::Server(ServerConfig config, Router router, std::shared_ptr<Probe> probe)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(router), std::move(probe))) {}

Server::~Server() { stop(); }

void Server::start() {
    const ServerConfig& config = impl_->shared.config;
    if (config.tls) impl_->load_tls();
    const tcp::endpoint endpoint{net::ip::make_address(config.address), config.port};
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    impl_->shared.hosts.emplace(config.address, acceptor.local_endpoint().port(), config.tls.has_value(),
                                config.public_hosts);
    impl_->accept();
    for (std::size_t i = 0; i < std::max<std::size_t>(1, config.io_threads); ++i)
        impl_->threads.emplace_back([this] { impl_->io.run(); });
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    // Stop the I/O first (no new work reaches the workers), then let the workers finish;
    // what they post back to the stopped io_context is dropped with it.
    impl_->io.stop();
    for (auto& thread : impl_->threads) thread.join();
    impl_->threads.clear();
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->shared.workers.join();
}

}  // namespace likvard::http
