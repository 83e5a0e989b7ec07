// RFC 9457 problem details (application/problem+json) and query-string decoding: every
// error the API answers names what was wrong, so a client can point at the field.
#include <boost/json.hpp>

#include "http/message.hpp"

namespace likvard::http {

Response problem_response(const Problem& problem, const std::string& instance) {
    boost::json::object body{
        {"type", "urn:likvard:problem:" + problem.slug},
        {"title", problem.title},
        {"status", problem.status},
        {"detail", problem.detail},
        {"instance", instance},
    };
    if (problem.parameter) body["parameter"] = *problem.parameter;
    Response response;
    response.status = problem.status;
    response.content_type = "application/problem+json";
    response.body = boost::json::serialize(body) + "\n";
    return response;
}

Problem problem_of(ProblemSlug slug, std::string detail, std::optional<std::string> parameter) {
    const ProblemType& type = slug.type();
    return {type.status, std::string(type.slug), std::string(type.title), std::move(detail), std::move(parameter)};
}

void bad_parameter(const std::string& parameter, const std::string& detail) {
    throw ProblemError(problem_of("invalid-parameter", parameter + ": " + detail, parameter));
}

void not_found(const std::string& detail) { throw ProblemError(problem_of("not-found", detail)); }

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int high = hex(text[i + 1]);
            const int low = hex(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

QueryParse parse_query(std::string_view query) {
    QueryParse result;
    std::size_t start = 0;
    while (start <= query.size() && !query.empty()) {
        const std::size_t end = std::min(query.find('&', start), query.size());
        const std::string_view pair = query.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) {
            if (end == query.size()) break;
            continue;
        }
        const std::size_t equals = pair.find('=');
        const auto name = percent_decode(pair.substr(0, equals), true);
        const auto value =
            percent_decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
        if (!name || !value) {
            result.bad_parameter = name ? *name : std::string(pair.substr(0, equals));
            result.problem = "not a valid percent-encoded query parameter";
            return result;
        }
        if (!result.values.emplace(*name, *value).second) {
            result.bad_parameter = *name;
            result.problem = "given more than once";
            return result;
        }
        if (end == query.size()) break;
    }
    return result;
}

}  // namespace likvard::http
