// The canonical form of an event: the bytes that are stored, hashed and chained.
// Defined so an auditor can reproduce it in any language (docs/auditing.md):
// Python's json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace likvard {

std::string canonical_json(const boost::json::value& value);

}  // namespace likvard
