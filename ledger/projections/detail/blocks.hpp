// Internal to projections/: the slice from the blocks with what of it to read given (the
// region summary and the comparison read both statements' parts from one slice).
#pragma once

#include <optional>

#include "projections/projections.hpp"

namespace likvard {

std::optional<LedgerSlice> read_slice_from_blocks(Store& store, const StatementQuery& query, SliceParts parts);

}  // namespace likvard
