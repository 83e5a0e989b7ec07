// Internal: from a parsed request to a response (route, access control, query, handler),
// without Beast, so server.cpp only moves bytes.
#pragma once

#include "http/http.hpp"

namespace likvard::http::detail {

struct Incoming {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string peer;
    std::string local;  // the address:port the connection reached (authority_of)
};

struct Dispatched {
    Response response;
    std::string route = "-";       // the pattern, "-" when none matched
    std::string token_name = "-";  // "-" when none was presented or needed
};

// On the I/O thread (`on_worker` false) a request is answered when that needs no waiting:
// a refusal (404, 401, 400 ...) or a route's from_memory answer; nullopt: run it again on
// a worker (`on_worker` true), which always answers.
struct Gate {
    const Router& router;
    const std::optional<TokenTable>& tokens;
    const HostPolicy& hosts;
};
std::optional<Dispatched> dispatch(const Gate& gate, Incoming& incoming, bool on_worker);

// The problem answered for a protocol error before any route is known.
Response protocol_problem(ProblemSlug slug, const std::string& detail, const std::optional<std::string>& parameter = {},
                          const std::string& instance = "");

}  // namespace likvard::http::detail
