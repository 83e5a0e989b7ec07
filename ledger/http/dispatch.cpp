// One request, in the order a client can act on: the Host (400), the target's form (400),
// path traversal (400), the route (404, 405 with Allow), a write's Origin (403), the token
// and its role (401, 403), the query parameters (400 naming the parameter), then the
// handler; expected errors as problem+json.
#include <spdlog/spdlog.h>

#include "http/detail/dispatch.hpp"

namespace likvard::http::detail {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// "." and ".." segments, also percent-encoded, are refused everywhere: no route has one
// and no client needs one.
bool has_dot_segment(std::string_view path) {
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t slash = std::min(path.find('/', start), path.size());
        const auto decoded = percent_decode(path.substr(start, slash - start), false);
        if (!decoded || *decoded == "." || *decoded == ".." || decoded->find('/') != std::string::npos ||
            decoded->find('\\') != std::string::npos || decoded->find('\0') != std::string::npos)
            return true;
        start = slash + 1;
    }
    return false;
}

Response unauthorized(const std::string& detail, bool presented, const std::string& instance) {
    Response response = problem_response(problem_of("unauthorized", detail, "Authorization"), instance);
    response.headers.emplace_back("WWW-Authenticate", presented ? R"(Bearer realm="likvard", error="invalid_token")"
                                                                : R"(Bearer realm="likvard")");
    return response;
}

// nullopt: the caller may go on; else the 401/403 to answer. Sets the token's name.
std::optional<Response> check_access(const Route& route, const std::optional<TokenTable>& tokens,
                                     const Incoming& incoming, Request& request, Dispatched& out) {
    if (route.role == Role::none || !tokens) return std::nullopt;
    const auto header = incoming.headers.find("authorization");
    if (header == incoming.headers.end()) return unauthorized("this route needs a bearer token", false, request.path);
    const std::string_view value = trim(header->second);
    constexpr std::string_view scheme = "bearer ";
    if (value.size() <= scheme.size() ||
        !std::equal(scheme.begin(), scheme.end(), value.begin(), [](char a, char b) { return a == std::tolower(b); }))
        return unauthorized("the Authorization header is not 'Bearer <token>'", true, request.path);
    const auto identity = tokens->authenticate(trim(value.substr(scheme.size())));
    if (!identity) return unauthorized("the bearer token is not known", true, request.path);
    out.token_name = identity->name;
    if (!identity->may(route.role))
        return problem_response(problem_of("forbidden", "the token '" + identity->name + "' lacks the role " +
                                                            std::string(role_name(route.role))),
                                request.path);
    request.identity = identity;
    return std::nullopt;
}

Response method_not_allowed(const std::vector<std::string>& allowed, const std::string& method,
                            const std::string& instance) {
    std::string allow;
    for (const auto& name : allowed) allow += (allow.empty() ? "" : ", ") + name;
    Response response = problem_response(
        problem_of("method-not-allowed", method + " is not allowed here; allowed: " + allow), instance);
    response.headers.emplace_back("Allow", allow);
    return response;
}

std::string header_of(const Incoming& incoming, const std::string& name) {
    const auto found = incoming.headers.find(name);
    return found == incoming.headers.end() ? std::string() : found->second;
}

// A page of another site may send a form or a simple fetch here: a write must come from
// no page (no Origin) or from one this server gave.
std::optional<Response> refuse_origin(const HostPolicy& hosts, const Incoming& incoming, const std::string& path) {
    if (incoming.method == "GET" || incoming.method == "HEAD" || !incoming.headers.contains("origin"))
        return std::nullopt;
    const std::string origin = header_of(incoming, "origin");
    if (hosts.allows_origin(origin, incoming.local)) return std::nullopt;
    return protocol_problem("forbidden-origin",
                            "a write from the page of another origin ('" + origin.substr(0, 100) + "') is refused",
                            "Origin", path);
}

std::optional<Response> route_request(const Gate& gate, Incoming& incoming, Dispatched& out, bool on_worker) {
    const std::size_t question = incoming.target.find('?');
    const std::string path = incoming.target.substr(0, question);
    const std::string_view query =
        question == std::string::npos ? std::string_view() : std::string_view(incoming.target).substr(question + 1);
    if (!gate.hosts.allows_host(header_of(incoming, "host"), incoming.local))
        return protocol_problem("invalid-host",
                                "the Host header does not name this server (its listen address or a --public-host)",
                                "Host", path);
    if (path.empty() || path.front() != '/')
        return protocol_problem("invalid-target", "the target must be a path", "target", incoming.target);
    if (has_dot_segment(path))
        return protocol_problem("invalid-path", "path segments '.', '..', encoded '/', '\\' and NUL are refused",
                                "path", path);
    const Router::Match match = gate.router.match(incoming.method, path);
    if (match.route == nullptr && !match.allowed.empty())
        return method_not_allowed(match.allowed, incoming.method, path);
    if (match.route == nullptr) return protocol_problem("not-found", "no route for " + path, std::nullopt, path);
    const Route& route = *match.route;
    out.route = route.pattern;
    Request request{incoming.method, path, route.pattern, {}, match.params, {}, {}, incoming.peer, std::nullopt};
    if (auto refused = refuse_origin(gate.hosts, incoming, path)) return std::move(*refused);
    if (auto refused = check_access(route, gate.tokens, incoming, request, out)) return std::move(*refused);
    if (match.bad_parameter) bad_parameter(*match.bad_parameter, "not a valid percent-encoded path segment");
    QueryParse parsed = parse_query(query);
    if (parsed.bad_parameter) bad_parameter(*parsed.bad_parameter, parsed.problem);
    for (const auto& [name, value] : parsed.values)
        if (!route.query_params.contains(name)) bad_parameter(name, "not a parameter of " + route.pattern);
    request.query = std::move(parsed.values);
    for (const char* name : {"content-type", "if-none-match", "accept"})
        if (const auto found = incoming.headers.find(name); found != incoming.headers.end())
            request.headers[name] = found->second;
    if (!on_worker) return route.from_memory ? route.from_memory(request) : std::nullopt;
    request.body = std::move(incoming.body);
    return route.handler(request);
}

}  // namespace

Response protocol_problem(ProblemSlug slug, const std::string& detail, const std::optional<std::string>& parameter,
                          const std::string& instance) {
    return problem_response(problem_of(slug, detail, parameter), instance);
}

std::optional<Dispatched> dispatch(const Gate& gate, Incoming& incoming, bool on_worker) {
    Dispatched out;
    const std::string instance = incoming.target.substr(0, incoming.target.find('?'));
    try {
        auto response = route_request(gate, incoming, out, on_worker);
        if (!response) return std::nullopt;
        out.response = std::move(*response);
    } catch (const ProblemError& error) {
        out.response = problem_response(error.problem, instance);
    } catch (const std::exception& error) {
        spdlog::error("{} {}: {}", incoming.method, out.route, error.what());
        out.response = problem_response(problem_of("internal", "the request failed; see the server log"), instance);
    }
    return out;
}

}  // namespace likvard::http::detail
