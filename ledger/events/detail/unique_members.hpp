// I-JSON (RFC 7493) member names: the contract requires every object of an event to name each
// member once, so that no reader can take another value than the ledger booked.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace likvard {

// The JSON Pointer of the first member whose name repeats an earlier one in the same
// object (in document order of the repeat), e.g. "/data/amount"; nullopt when every
// object's names are unique. `bytes` must already be known to be valid JSON of at most
// `depth_max` levels (it is parsed again, without building values).
std::optional<std::string> repeated_member(std::string_view bytes, unsigned depth_max);

}  // namespace likvard
