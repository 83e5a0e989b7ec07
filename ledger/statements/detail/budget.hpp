// Internal to statements/: budget against outcome (docs/statements.md, "C. Budget against
// outcome"), a table of its own so that a statement without budgets keeps its bytes.
#pragma once

#include "statements/statements.hpp"

namespace likvard {

struct BudgetPart {
    Table table;                      // "budget"
    std::size_t budgets_counted = 0;  // the slice's budgets it sums (per key and month)
};

// The neutrality statement's budget per money column with a budget: per party (where the
// budget is per party), per side and, where both sides have one, the region total.
// nullopt: the slice has no budget of a money column.
std::optional<BudgetPart> neutrality_budget(const LedgerSlice& slice);

// The commitment statement's budget per commitment ("commitment:<value>") and their total.
// nullopt: the slice has no budget of a commitment.
std::optional<BudgetPart> commitment_budget(const LedgerSlice& slice);

// Adds the table and, in the provenance, `budgets_counted`: nothing when `part` is nullopt,
// so that a statement without budgets keeps its bytes.
void add_budget(Document& document, std::optional<BudgetPart> part);

}  // namespace likvard
