// Builds event lines for tests: an envelope with fixed, valid defaults around `data`.
#pragma once

#include <string>

#include <boost/json.hpp>

namespace likvard::test {

inline std::string uuid(int n) {
    char text[40];
    std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", n);
    return text;
}

inline boost::json::object envelope(int id, const std::string& type, boost::json::value data,
                                    const std::string& period = "2023-05") {
    return boost::json::object{
        {"event_id", uuid(id)},
        {"type", type},
        {"schema_version", 1},
        {"region", "SE-Z"},
        {"scheme", "primary_care"},
        {"period", period},
        {"occurred_on", period + "-25"},
        {"source", boost::json::object{{"system", "raindance"}, {"reference", "VER-" + std::to_string(id)}}},
        {"data", std::move(data)},
    };
}

inline std::string line(const boost::json::object& event) { return boost::json::serialize(event); }

inline std::string party(int id, const std::string& party_id, const std::string& kind, const std::string& side,
                         const std::string& provider_type = "") {
    boost::json::object data{{"party_id", party_id}, {"name", "Party " + party_id}, {"kind", kind}, {"side", side}};
    if (!provider_type.empty()) data["provider_type"] = provider_type;
    return line(envelope(id, "party.registered", data, "2023-01"));
}

}  // namespace likvard::test
