// Events of the small hand-made scenarios (the statements and the general ledger bridge):
// the standard envelope with any further envelope fields set over it, and payments from
// the purchaser `bestallare`.
#pragma once

#include <boost/json.hpp>

#include <string>

#include "event_builder.hpp"

namespace likvard::test {

inline std::string event(int id, const std::string& type, boost::json::object data, const std::string& period,
                         const boost::json::object& envelope_fields = {}) {
    auto e = envelope(id, type, std::move(data), period);
    for (const auto& [key, value] : envelope_fields) e[key] = value;
    return line(e);
}

inline std::string pay(int id, const std::string& provider, const std::string& component, const std::string& amount,
                       const std::string& period, const boost::json::object& envelope_fields = {}) {
    return event(id, "payment.made",
                 {{"payer_id", "bestallare"}, {"provider_id", provider}, {"component", component}, {"amount", amount}},
                 period, envelope_fields);
}

}  // namespace likvard::test
