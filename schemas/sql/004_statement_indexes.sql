-- Two partial indexes for the reads that pick a few rows out of many: statements as of a
-- seq, the projection runner and its consistency check.
--
-- The events that carry facts the postings lack (parties, listings, commitment fte, closed
-- periods) and the reversals that may undo them: a few hundred a year in a region, among
-- millions. By type first, so that a read of some of these types never visits the others.
CREATE INDEX events_fact_carriers ON ledger.events (region, type, seq)
    WHERE type IN ('party.registered', 'party.retired', 'listing.recorded', 'period.closed',
                   'commitment.cost_incurred', 'entry.reversed');

-- What each party paid and received of every shared cost, in seq order, holding every
-- column the per-event cross-subsidy reads, so that it never visits the table's other
-- postings.
CREATE INDEX postings_shared_cost ON ledger.postings (region, seq)
    INCLUDE (scheme, period, party, account_class, item, amount)
    WHERE account_class IN ('expense', 'benefit') AND item LIKE 'shared\_cost.%';
