// The HTTP/1.1 server on Boost.Beast: keep-alive, bounded requests, timeouts, a bounded number
// of connections, optional TLS.
#pragma once

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

#include "http/hosts.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/tokens.hpp"

namespace likvard::http {

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
    std::optional<TokenTable> tokens;       // nullopt: access control off (loopback only)
    std::vector<std::string> public_hosts;  // the names clients use behind a proxy (HostPolicy)
};

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

}  // namespace likvard::http
