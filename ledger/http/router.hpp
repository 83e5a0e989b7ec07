// The route table that both the server and the OpenAPI test (schemas/api/openapi.yaml) read.
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

#include "http/message.hpp"
#include "http/tokens.hpp"

namespace likvard::http {

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
        std::vector<std::string> allowed;          // the path exists with these methods (405)
        std::optional<std::string> bad_parameter;  // a path segment that does not decode
    };
    Match match(std::string_view method, std::string_view path) const;
    // The largest body any route of this path accepts (what the server reads at most).
    std::size_t body_limit(std::string_view method, std::string_view path) const;

private:
    std::vector<Route> routes_;
};

}  // namespace likvard::http
