// The OpenAPI document (schemas/api/openapi.yaml, read with yaml-cpp) and the router's route
// table as one shape, (method, path) -> role, query and path parameters, and the differences
// between the two, each named: a route on one side only, another role, other parameters.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "http/router.hpp"
#include "http/tokens.hpp"

namespace likvard::test {

struct DocumentedRoute {
    std::string role;
    std::set<std::string> query;
    std::set<std::string> path;
    bool operator==(const DocumentedRoute&) const = default;
};

// (lower-case method, path as OpenAPI writes it) -> what the route takes.
using RouteTable = std::map<std::pair<std::string, std::string>, DocumentedRoute>;

inline const std::set<std::string> openapi_methods{"get", "put", "post", "delete", "patch", "head", "options", "trace"};

// A parameter, or the one a local reference (#/components/parameters/NAME) points to.
inline YAML::Node resolve_parameter(const YAML::Node& document, const YAML::Node& parameter) {
    if (!parameter["$ref"]) return parameter;
    const std::string ref = parameter["$ref"].as<std::string>();
    const std::string prefix = "#/components/parameters/";
    if (ref.rfind(prefix, 0) != 0) throw std::runtime_error("openapi.yaml: a reference outside the document: " + ref);
    const YAML::Node target = document["components"]["parameters"][ref.substr(prefix.size())];
    if (!target) throw std::runtime_error("openapi.yaml: no such parameter: " + ref);
    return target;
}

inline void add_parameters(const YAML::Node& document, const YAML::Node& parameters, DocumentedRoute& route) {
    if (!parameters) return;
    for (const YAML::Node& given : parameters) {
        const YAML::Node parameter = resolve_parameter(document, given);
        const std::string in = parameter["in"].as<std::string>();
        if (in == "query")
            route.query.insert(parameter["name"].as<std::string>());
        else if (in == "path")
            route.path.insert(parameter["name"].as<std::string>());
    }
}

// Every operation under `paths`, with its x-likvard-role and the parameters of the
// operation and of its path item.
inline RouteTable documented_routes(const YAML::Node& document) {
    RouteTable out;
    for (const auto& path_item : document["paths"]) {
        const std::string path = path_item.first.as<std::string>();
        for (const auto& operation : path_item.second) {
            const std::string method = operation.first.as<std::string>();
            if (!openapi_methods.contains(method)) continue;
            DocumentedRoute& route = out[{method, path}];
            const YAML::Node role = operation.second["x-likvard-role"];
            route.role = role ? role.as<std::string>() : "";
            add_parameters(document, path_item.second["parameters"], route);
            add_parameters(document, operation.second["parameters"], route);
        }
    }
    return out;
}

// The router's routes in the document's terms: {path*} (the rest of the path) is {path}.
inline RouteTable served_routes(const http::Router& router) {
    RouteTable out;
    static const std::regex rest("\\*\\}"), param("\\{(\\w+)\\}");
    for (const http::Route& route : router.routes()) {
        std::string method = route.method;
        for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::string path = std::regex_replace(route.pattern, rest, "}");
        DocumentedRoute& served = out[{method, path}];
        served.role = std::string(http::role_name(route.role));
        served.query = route.query_params;
        for (auto it = std::sregex_iterator(path.begin(), path.end(), param); it != std::sregex_iterator(); ++it)
            served.path.insert((*it)[1]);
    }
    return out;
}

inline std::string joined(const std::set<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ",") + name;
    return "{" + out + "}";
}

inline void compare_route(const std::string& route, const DocumentedRoute& documented, const DocumentedRoute& served,
                          std::vector<std::string>& out) {
    if (documented.role != served.role)
        out.push_back(route + ": role " + documented.role + " in openapi.yaml, " + served.role + " served");
    if (documented.query != served.query)
        out.push_back(route + ": query " + joined(documented.query) + " in openapi.yaml, " + joined(served.query) +
                      " served");
    if (documented.path != served.path)
        out.push_back(route + ": path parameters " + joined(documented.path) + " in openapi.yaml, " +
                      joined(served.path) + " served");
}

// One line per difference; empty when the document and the server agree.
inline std::vector<std::string> route_differences(const RouteTable& documented, const RouteTable& served) {
    std::vector<std::string> out;
    for (const auto& [key, route] : served) {
        const std::string name = key.first + " " + key.second;
        const auto found = documented.find(key);
        if (found == documented.end())
            out.push_back("not in openapi.yaml: " + name);
        else
            compare_route(name, found->second, route, out);
    }
    for (const auto& [key, route] : documented)
        if (!served.contains(key)) out.push_back("not served: " + key.first + " " + key.second);
    return out;
}

}  // namespace likvard::test
