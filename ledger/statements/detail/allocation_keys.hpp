// Internal to statements/: the table of allocation keys both statements show
// (docs/statements.md, "E. Allocation keys (both statements)").
#pragma once

#include "statements/statements.hpp"

namespace likvard {

// One row per shared-cost service and key (key, beneficiaries, basis, estimate) of the
// slice's invoices, ordered by them.
Table allocation_keys_table(const LedgerSlice& slice);

}  // namespace likvard
