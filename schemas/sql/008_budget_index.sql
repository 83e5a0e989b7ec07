-- The budgets (`budget.set`) of a region, scheme and months, as the statements' budget
-- columns read them as of a seq (store/reads.hpp, `budgets`): a few hundred a year among
-- millions of events, so a partial index holds where they are.
CREATE INDEX events_budgets ON ledger.events (region, scheme, period, seq) WHERE type = 'budget.set';
