// The names a request may reach the server by. A page of another site can make a browser
// send requests here (a form, a fetch, a name of its own that resolves to this address:
// DNS rebinding); the Host of every request and the Origin of every write must therefore
// be the listen address (for loopback also localhost, 127.0.0.1 and [::1]), the address
// the connection reached, or a --public-host.
#include <algorithm>
#include <cctype>

#include "http/hosts.hpp"

namespace likvard::http {
namespace {

constexpr unsigned short http_port_default = 80;
constexpr unsigned short https_port_default = 443;
constexpr std::size_t host_chars_max = 255;  // a DNS name's limit

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'; }

struct Authority {
    std::string name;  // lower-case; an IPv6 address in brackets
    std::optional<unsigned short> port;
};

// "name", "name:port", "[v6]", "[v6]:port"; nullopt when it is none of these.
std::optional<Authority> parse_authority(std::string_view text) {
    if (text.empty() || text.size() > host_chars_max) return std::nullopt;
    Authority out;
    std::string_view rest;
    if (text.front() == '[') {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos || close < 2) return std::nullopt;
        const std::string_view inside = text.substr(1, close - 1);
        if (!std::all_of(inside.begin(), inside.end(),
                         [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; }))
            return std::nullopt;
        out.name = lower(text.substr(0, close + 1));
        rest = text.substr(close + 1);
    } else {
        const std::size_t colon = text.find(':');
        const std::string_view name = text.substr(0, colon);
        if (name.empty() || !std::all_of(name.begin(), name.end(), name_char)) return std::nullopt;
        out.name = lower(name);
        rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    }
    if (rest.empty()) return out;
    const std::string_view digits = rest.substr(1);
    if (rest.front() != ':' || digits.empty() || digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const unsigned long port = std::stoul(std::string(digits));
    if (port > 65535) return std::nullopt;
    out.port = static_cast<unsigned short>(port);
    return out;
}

std::string bracketed(const std::string& address) {
    return address.find(':') != std::string::npos ? "[" + lower(address) + "]" : lower(address);
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace

std::optional<std::string> public_host_problem(std::string_view value) {
    const auto authority = parse_authority(value);
    if (!authority) return "'" + std::string(value) + "' is not a host name or address, with an optional :PORT";
    return std::nullopt;
}

std::string authority_of(const std::string& address, unsigned short port) {
    return bracketed(address) + ":" + std::to_string(port);
}

HostPolicy::HostPolicy(const std::string& address, unsigned short port, bool tls,
                       const std::vector<std::string>& public_hosts)
    : default_port_(tls ? https_port_default : http_port_default) {
    if (address != "0.0.0.0" && address != "::") exact_.insert({bracketed(address), port});
    if (is_loopback(address))
        for (const char* name : {"localhost", "127.0.0.1", "[::1]"}) exact_.insert({name, port});
    for (const std::string& host : public_hosts) {
        const auto authority = parse_authority(host);
        if (!authority) throw std::invalid_argument(*public_host_problem(host));
        if (authority->port)
            exact_.insert({authority->name, *authority->port});
        else
            any_port_.insert(authority->name);
    }
}

bool HostPolicy::allows(const std::string& name, unsigned short port, std::string_view local) const {
    if (any_port_.contains(name) || exact_.contains({name, port})) return true;
    const auto reached = parse_authority(local);
    return reached && reached->name == name && reached->port == port;
}

bool HostPolicy::allows_host(std::string_view host, std::string_view local) const {
    const auto authority = parse_authority(trim(host));
    return authority && allows(authority->name, authority->port.value_or(default_port_), local);
}

bool HostPolicy::allows_origin(std::string_view origin, std::string_view local) const {
    origin = trim(origin);
    const std::size_t separator = origin.find("://");
    if (separator == std::string_view::npos) return false;  // "null", or not an origin at all
    const std::string scheme = lower(origin.substr(0, separator));
    if (scheme != "http" && scheme != "https") return false;
    const auto authority = parse_authority(origin.substr(separator + 3));
    const unsigned short port_default = scheme == "https" ? https_port_default : http_port_default;
    return authority && allows(authority->name, authority->port.value_or(port_default), local);
}

}  // namespace likvard::http
