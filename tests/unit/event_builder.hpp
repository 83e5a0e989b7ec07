// Builds event lines for tests: an envelope with fixed, valid defaults around `data`.
#pragma once

#include <string>
#include <vector>

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

inline std::string listing(int id, const std::string& provider, std::int64_t listed, const std::string& weighted,
                           const std::string& period = "2023-05") {
    return line(envelope(
        id, "listing.recorded",
        boost::json::object{{"provider_id", provider}, {"listed", listed}, {"weighted_listed", weighted}}, period));
}

inline std::string payment(int id, const std::string& provider, const std::string& amount = "100.00",
                           const std::string& period = "2023-05", const std::string& payer = "halsoval-bestallare") {
    return line(
        envelope(id, "payment.made",
                 boost::json::object{
                     {"payer_id", payer}, {"provider_id", provider}, {"component", "capitation"}, {"amount", amount}},
                 period));
}

inline std::string reversal(int id, int reverses, const std::string& period = "2023-05") {
    return line(envelope(id, "entry.reversed",
                         boost::json::object{{"reverses", uuid(reverses)}, {"reason", "wrong amount"}}, period));
}

// The standard cast (ids 901..914): purchaser, central, director, region-run organisation,
// two region-run and two private health centres, two vendors; listings for 2023-05.
inline std::vector<std::string> cast() {
    int id = 900;
    return {
        party(++id, "halsoval-bestallare", "organisation", "purchaser"),
        party(++id, "regionens-centrala", "organisation", "central"),
        party(++id, "hs-direktor", "organisation", "central"),
        party(++id, "egen-regi-primarvard", "organisation", "region_run"),
        party(++id, "hc-lugnvik", "provider", "region_run", "health_centre"),
        party(++id, "hc-ostberg", "provider", "region_run", "cottage_hospital"),
        party(++id, "hc-medinord", "provider", "private", "health_centre"),
        party(++id, "hc-fjallhalsan", "provider", "private", "health_centre"),
        party(++id, "efrikort-leverantor", "vendor", "external"),
        party(++id, "cambio", "vendor", "external"),
        listing(++id, "hc-lugnvik", 3000, "3300.5"),
        listing(++id, "hc-ostberg", 1000, "1200"),
        listing(++id, "hc-medinord", 2000, "1800.25"),
        listing(++id, "hc-fjallhalsan", 0, "0"),
    };
}

}  // namespace likvard::test
