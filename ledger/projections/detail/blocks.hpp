// Internal to projections/: the slice from the blocks with what of it to read given (the
// region summary and the comparison read both statements' parts from one slice).
#pragma once

#include <optional>

#include <pqxx/transaction_base>

#include "projections/projections.hpp"

namespace likvard {

std::optional<LedgerSlice> read_slice_from_blocks(Store& store, const StatementQuery& query, SliceParts parts);

// The slice's shared-cost events up to `upto` (the checkpoint at most) from
// projection.shared_cost_events, appended to slice.shared_cost_invoices in seq order, with
// their periods, decision references and keys; Store::weigh_estimated_invoices adds the
// weights of estimated keys as of the slice's position.
void read_projected_invoices(pqxx::transaction_base& tx, LedgerSlice& slice, std::int64_t upto);

}  // namespace likvard
