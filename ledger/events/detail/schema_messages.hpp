// Turning JSON Schema failures into one sentence naming the field, and the few field
// rules JSON Schema cannot say (calendar dates, amounts above zero). Internal to events/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <valijson/validation_results.hpp>

#include "events/events.hpp"

namespace likvard {

// "<json pointer>: <what is wrong>", for the most specific of the schema's errors.
// `prefix` is the pointer of the validated value inside the event ("" or "/data"),
// `where` names the schema for unknown fields ("the envelope", "payment.made").
std::string describe_schema_error(const valijson::ValidationResults& results, const boost::json::value& root,
                                  std::string_view prefix, std::string_view where);

// At most `bytes_max` bytes of a quote, cut before a character (never inside one), with
// "..." when something was cut.
std::string shortened(std::string_view text, std::size_t bytes_max);

// Members that exclude each other (budget.set: exactly one of party_id and side), said in
// words when the data schema failed; the schema's own message would name no field.
std::optional<std::string> exclusive_fields_error(EventType type, const boost::json::value& data);

// Rules beyond JSON Schema, on an event whose envelope and data passed their schemas.
std::optional<std::string> beyond_schema_error(EventType type, const boost::json::value& root);

}  // namespace likvard
