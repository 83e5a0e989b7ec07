// Requests, responses and RFC 9457 problems (their types in http/problem_types.hpp), and
// query-string decoding.
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

#include "http/problem_types.hpp"
#include "http/tokens.hpp"

namespace likvard::http {

struct Request {
    std::string method;                              // "GET", "POST", ...
    std::string path;                                // the target's path, as sent
    std::string route;                               // the route's pattern, e.g. /v1/regions/{region}/head
    std::map<std::string, std::string> query;        // decoded query parameters
    std::map<std::string, std::string> path_params;  // decoded {name} segments
    std::map<std::string, std::string> headers;      // lower-case names (the ones handlers read)
    std::string body;
    std::string peer;                  // "address:port"
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

}  // namespace likvard::http
