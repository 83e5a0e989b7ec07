// The route table: method + path pattern -> handler and the role it needs. Patterns are
// literal segments and {name} segments (one decoded segment each); a last segment
// {name*} takes the rest of the path, still encoded (static files decode it themselves).
#include <algorithm>

#include "http/router.hpp"

namespace likvard::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    if (path.empty()) return segments;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = path.find('/', start);
        segments.push_back(
            path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

bool is_param(std::string_view segment) {
    return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

// Matches `path` against `pattern`; fills params. nullopt: no match; a string: the
// parameter whose segment does not decode.
bool matches(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params,
             std::optional<std::string>& bad) {
    const auto want = split_path(pattern);
    const auto have = split_path(path);
    for (std::size_t i = 0; i < want.size(); ++i) {
        const std::string_view segment = want[i];
        if (is_param(segment) && segment[segment.size() - 2] == '*') {
            if (i >= have.size()) return false;
            std::string rest;
            for (std::size_t j = i; j < have.size(); ++j) rest += (j > i ? "/" : "") + std::string(have[j]);
            params[std::string(segment.substr(1, segment.size() - 3))] = rest;
            return true;
        }
        if (i >= have.size()) return false;
        if (is_param(segment)) {
            if (have[i].empty()) return false;
            const std::string name(segment.substr(1, segment.size() - 2));
            const auto decoded = percent_decode(have[i], false);
            if (!decoded) bad = name;
            params[name] = decoded.value_or("");
        } else if (segment != have[i]) {
            return false;
        }
    }
    return want.size() == have.size();
}

}  // namespace

void Router::add(Route route) { routes_.push_back(std::move(route)); }

Router::Match Router::match(std::string_view method, std::string_view path) const {
    // HEAD is GET without the body (RFC 9110, 9.3.2): every GET route answers it.
    const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
    Match result;
    for (const Route& route : routes_) {
        std::map<std::string, std::string> params;
        std::optional<std::string> bad;
        if (!matches(route.pattern, path, params, bad)) continue;
        if (route.method == wanted && result.route == nullptr) {
            result.route = &route;
            result.params = std::move(params);
            result.bad_parameter = bad;
        } else if (std::find(result.allowed.begin(), result.allowed.end(), route.method) == result.allowed.end()) {
            result.allowed.push_back(route.method);
        }
    }
    if (result.route != nullptr) result.allowed.clear();
    if (std::find(result.allowed.begin(), result.allowed.end(), "GET") != result.allowed.end())
        result.allowed.push_back("HEAD");
    std::sort(result.allowed.begin(), result.allowed.end());
    return result;
}

std::size_t Router::body_limit(std::string_view method, std::string_view path) const {
    const Match found = match(method, path);
    return found.route != nullptr ? found.route->body_bytes_max : body_bytes_max_small;
}

}  // namespace likvard::http
