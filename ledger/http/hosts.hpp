// The names a request may reach the server by (hosts.cpp): the Host and Origin checks.
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

namespace likvard::http {

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& address);

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

}  // namespace likvard::http
