-- The projection layout: read models derived from the ledger, for dashboards and for the
-- statements at the head. Never a migration: `likvard migrate` creates this layout as the
-- owner in the schema `projection` when it is missing or was created from another layout
-- (its SHA-256 differs), and the projection runner, likvard_projector, which owns nothing,
-- fills its tables from seq 1 and keeps them up (ledger/projections/README.md,
-- docs/operating.md "Roles").
-- {schema} is replaced by the schema being built. Amounts in tables are öre (bigint,
-- columns ending in _ore); the views show SEK as numeric with two decimals.

CREATE SCHEMA {schema};

-- Which layout created this schema (SHA-256 of this file; `likvard migrate` creates the
-- schema again from another), and when the runner last built every table from seq 1
-- (NULL: not built yet, and nothing reads these tables).
CREATE TABLE {schema}.layout (
    sha256     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    built_at   timestamptz,
    block_seqs bigint CHECK (block_seqs >= 1)  -- the seqs per block of the block_* tables, set by the build
);

-- Per region: every event up to seq is projected; hash is that event's chain hash.
CREATE TABLE {schema}.checkpoints (
    region     text        PRIMARY KEY,
    seq        bigint      NOT NULL,
    hash       bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE {schema}.parties (
    region         text   NOT NULL,
    party_id       text   NOT NULL,
    name           text   NOT NULL,
    kind           text   NOT NULL,
    side           text   NOT NULL,
    registered_seq bigint NOT NULL,
    PRIMARY KEY (region, party_id)
);

-- Σ postings per party, account and month: the statements' input.
CREATE TABLE {schema}.balances (
    region        text   NOT NULL,
    scheme        text   NOT NULL,
    period        text   NOT NULL,
    party         text   NOT NULL,
    account_class text   NOT NULL,
    item          text   NOT NULL,
    amount_ore    bigint NOT NULL,
    postings      bigint NOT NULL,
    PRIMARY KEY (region, scheme, period, party, account_class, item)
);

-- The last listing recorded per provider and month (the highest seq wins).
CREATE TABLE {schema}.listings (
    region          text          NOT NULL,
    scheme          text          NOT NULL,
    period          text          NOT NULL,
    provider        text          NOT NULL,
    listed          bigint        NOT NULL,
    weighted_listed numeric(24,4) NOT NULL,
    seq             bigint        NOT NULL,
    PRIMARY KEY (region, scheme, period, provider)
);

CREATE TABLE {schema}.event_counts (
    region text   NOT NULL,
    scheme text   NOT NULL,
    period text   NOT NULL,
    type   text   NOT NULL,
    events bigint NOT NULL,
    PRIMARY KEY (region, scheme, period, type)
);

CREATE TABLE {schema}.decision_refs (
    region       text   NOT NULL,
    scheme       text   NOT NULL,
    period       text   NOT NULL,
    decision_ref text   NOT NULL,
    events       bigint NOT NULL,
    PRIMARY KEY (region, scheme, period, decision_ref)
);

-- Commitment costs and their reversals per commitment, month and decision reference
-- ('' when the event named none): fte given, in 1/10,000 (a reversal counts it negatively).
CREATE TABLE {schema}.commitment_facts (
    region       text          NOT NULL,
    scheme       text          NOT NULL,
    period       text          NOT NULL,
    commitment   text          NOT NULL,
    decision_ref text          NOT NULL,
    fte_scaled   bigint        NOT NULL,
    fte_events   bigint        NOT NULL,
    events       bigint        NOT NULL,
    PRIMARY KEY (region, scheme, period, commitment, decision_ref)
);

-- Cross-subsidies through shared costs, attributed per event as docs/statements.md says.
CREATE TABLE {schema}.cross_subsidies (
    region                    text   NOT NULL,
    scheme                    text   NOT NULL,
    period                    text   NOT NULL,
    service                   text   NOT NULL,
    region_run_to_private_ore bigint NOT NULL,
    private_to_region_run_ore bigint NOT NULL,
    paid_region_run_ore       bigint NOT NULL,
    paid_private_ore          bigint NOT NULL,
    events                    bigint NOT NULL,
    PRIMARY KEY (region, scheme, period, service)
);

-- Per shared-cost event (an invoice or its reversal): the service and what each side paid
-- and received, as the statements' allocation keys list them per invoice (benefit sums are
-- as booked, negative). Per seq, so a statement at any seq up to the checkpoint reads them
-- here rather than from the postings or the events.
CREATE TABLE {schema}.shared_cost_events (
    region                 text   NOT NULL,
    scheme                 text   NOT NULL,
    period                 text   NOT NULL,
    seq                    bigint NOT NULL,
    service                text   NOT NULL,
    paid_region_run_ore    bigint NOT NULL,
    paid_private_ore       bigint NOT NULL,
    paid_ore               bigint NOT NULL,
    benefit_region_run_ore bigint NOT NULL,
    benefit_private_ore    bigint NOT NULL,
    -- The invoice's own facts, for a reversal those of the event it reverses: the month its
    -- benefit was allocated in, its decision reference and its allocation key (the object
    -- data.allocation of the event's canonical bytes, verbatim).
    invoice_period         text    NOT NULL,
    reversal               boolean NOT NULL,
    decision_ref           text,
    allocation             text    NOT NULL,
    estimate               boolean NOT NULL,  -- the allocation key is an estimate ("estimate": true)
    PRIMARY KEY (region, scheme, period, seq)
);
-- The invoices of an estimated key, which the statements recompute one by one.
CREATE INDEX shared_cost_events_estimated ON {schema}.shared_cost_events (region, scheme, period, seq)
    WHERE estimate;

-- The shared-cost events of a key that is not an estimate, summed per month, service,
-- decision reference ('' for none) and allocation key (verbatim, as in shared_cost_events):
-- how many, what all payers paid, and the cross-subsidies each way as each event booked them
-- (computed per event, as the statements do). A statement at the head lists its allocation
-- keys from here and from the estimated invoices above; one as of an earlier seq reads
-- shared_cost_events up to it.
CREATE TABLE {schema}.shared_cost_keys (
    region                    text   NOT NULL,
    scheme                    text   NOT NULL,
    period                    text   NOT NULL,
    service                   text   NOT NULL,
    decision_ref              text   NOT NULL,
    allocation                text   NOT NULL,
    paid_ore                  bigint NOT NULL,
    region_run_to_private_ore bigint NOT NULL,
    private_to_region_run_ore bigint NOT NULL,
    events                    bigint NOT NULL
);
-- A key by its digest: an allocation naming many beneficiaries may be longer than an index
-- entry may be.
CREATE UNIQUE INDEX shared_cost_keys_key ON {schema}.shared_cost_keys
    (region, scheme, period, service, decision_ref, md5(allocation));

-- ---- blocks: the same sums per block of seqs, for statements as of any seq ----
-- Block b of level 0 of a region holds the contribution of its seqs b·block_seqs + 1 ..
-- (b + 1)·block_seqs (layout.block_seqs); block b of level L (1 .. 4) holds the 4^L blocks of
-- level 0 from b·4^L, summed. A statement as of seq S sums the few blocks that hold the
-- seqs up to the last whole level-0 block at or below S (and at or below the checkpoint),
-- at most 3 a level below the top, and reads the rest from the postings
-- (ledger/projections/README.md, "Blocks"). Parties need no blocks: projection.parties
-- keeps each party's registered_seq.
CREATE TABLE {schema}.block_balances (
    region        text   NOT NULL,
    level         smallint NOT NULL,
    block         bigint NOT NULL,
    scheme        text   NOT NULL,
    period        text   NOT NULL,
    party         text   NOT NULL,
    account_class text   NOT NULL,
    item          text   NOT NULL,
    amount_ore    bigint NOT NULL,
    postings      bigint NOT NULL,
    PRIMARY KEY (region, scheme, level, block, period, party, account_class, item)
);

-- The last listing per provider and month within the block (the highest seq wins).
CREATE TABLE {schema}.block_listings (
    region          text          NOT NULL,
    level           smallint      NOT NULL,
    block           bigint        NOT NULL,
    scheme          text          NOT NULL,
    period          text          NOT NULL,
    provider        text          NOT NULL,
    listed          bigint        NOT NULL,
    weighted_listed numeric(24,4) NOT NULL,
    seq             bigint        NOT NULL,
    PRIMARY KEY (region, scheme, level, block, period, provider)
);

CREATE TABLE {schema}.block_event_counts (
    region text   NOT NULL,
    level  smallint NOT NULL,
    block  bigint NOT NULL,
    scheme text   NOT NULL,
    period text   NOT NULL,
    type   text   NOT NULL,
    events bigint NOT NULL,
    PRIMARY KEY (region, scheme, level, block, period, type)
);

CREATE TABLE {schema}.block_decision_refs (
    region       text   NOT NULL,
    level        smallint NOT NULL,
    block        bigint NOT NULL,
    scheme       text   NOT NULL,
    period       text   NOT NULL,
    decision_ref text   NOT NULL,
    events       bigint NOT NULL,
    PRIMARY KEY (region, scheme, level, block, period, decision_ref)
);

CREATE TABLE {schema}.block_commitment_facts (
    region       text   NOT NULL,
    level        smallint NOT NULL,
    block        bigint NOT NULL,
    scheme       text   NOT NULL,
    period       text   NOT NULL,
    commitment   text   NOT NULL,
    decision_ref text   NOT NULL,
    fte_scaled   bigint NOT NULL,
    fte_events   bigint NOT NULL,
    events       bigint NOT NULL,
    PRIMARY KEY (region, scheme, level, block, period, commitment, decision_ref)
);

CREATE TABLE {schema}.block_cross_subsidies (
    region                    text   NOT NULL,
    level                     smallint NOT NULL,
    block                     bigint NOT NULL,
    scheme                    text   NOT NULL,
    period                    text   NOT NULL,
    service                   text   NOT NULL,
    region_run_to_private_ore bigint NOT NULL,
    private_to_region_run_ore bigint NOT NULL,
    paid_region_run_ore       bigint NOT NULL,
    paid_private_ore          bigint NOT NULL,
    events                    bigint NOT NULL,
    PRIMARY KEY (region, scheme, level, block, period, service)
);

-- a + b for the upserts that add a range's sums to the stored ones, computed in numeric:
-- past bigint (int64) it raises an error naming the table and the row (party and
-- account), so a sum never wraps nor fails without saying where.
CREATE FUNCTION {schema}.checked_sum(a bigint, b bigint, stored_in text, row_key text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF a::numeric + b NOT BETWEEN -9223372036854775808 AND 9223372036854775807 THEN
        RAISE EXCEPTION '%: % sums to %, beyond what a bigint (int64) holds', stored_in, row_key, a::numeric + b
            USING ERRCODE = 'numeric_value_out_of_range';
    END IF;
    RETURN a + b;
END
$$;

-- ---- views for dashboards (SEK, numeric with two decimals) ----

-- Per party and month, the columns of the neutrality statement.
CREATE VIEW {schema}.party_month AS
WITH keys AS (
    SELECT region, scheme, period, party FROM {schema}.balances
    UNION
    SELECT region, scheme, period, provider FROM {schema}.listings
), amounts AS (
    SELECT region, scheme, period, party,
        -sum(amount_ore) FILTER (WHERE account_class = 'income' AND item = 'compensation.capitation') AS capitation,
        -sum(amount_ore) FILTER (WHERE account_class = 'income' AND item = 'compensation.variable') AS variable,
        -sum(amount_ore) FILTER (WHERE account_class = 'income' AND item = 'compensation.supplementary') AS supplementary,
        -sum(amount_ore) FILTER (WHERE account_class = 'income'
            AND item IN ('compensation.target', 'compensation.sparsity', 'compensation.visit')) AS other_compensation,
        -sum(amount_ore) FILTER (WHERE account_class = 'income' AND item = 'compensation.deficit_compensation') AS deficit_compensation,
        -sum(amount_ore) FILTER (WHERE account_class = 'income' AND item LIKE 'overhead.%') AS overhead_compensation,
        sum(amount_ore) FILTER (WHERE account_class = 'expense' AND item LIKE 'internal\_charge.%') AS internal_charges,
        sum(amount_ore) FILTER (WHERE account_class = 'expense' AND item LIKE 'shared\_cost.%') AS shared_costs_paid,
        -sum(amount_ore) FILTER (WHERE account_class = 'benefit' AND item LIKE 'shared\_cost.%') AS benefit_in_kind,
        sum(amount_ore) FILTER (WHERE account_class = 'expense' AND item LIKE 'commitment.%') AS commitment_costs,
        -sum(amount_ore) FILTER (WHERE account_class = 'income' AND item LIKE 'appropriation.%') AS appropriations,
        -sum(amount_ore) FILTER (WHERE account_class = 'income' AND item LIKE 'service\_sold.%') AS services_sold,
        sum(amount_ore) FILTER (WHERE account_class = 'expense' AND item LIKE 'service\_bought.%') AS services_bought
    FROM {schema}.balances GROUP BY region, scheme, period, party
), ore AS (
    SELECT k.region, k.scheme, k.period, k.party, p.name, p.side, p.kind,
        coalesce(l.listed, 0) AS listed, coalesce(l.weighted_listed, 0) AS weighted_listed,
        coalesce(a.capitation, 0) AS capitation, coalesce(a.variable, 0) AS variable,
        coalesce(a.supplementary, 0) AS supplementary, coalesce(a.other_compensation, 0) AS other_compensation,
        coalesce(a.deficit_compensation, 0) AS deficit_compensation,
        coalesce(a.overhead_compensation, 0) AS overhead_compensation,
        coalesce(a.internal_charges, 0) AS internal_charges, coalesce(a.shared_costs_paid, 0) AS shared_costs_paid,
        coalesce(a.benefit_in_kind, 0) AS benefit_in_kind, coalesce(a.commitment_costs, 0) AS commitment_costs,
        coalesce(a.appropriations, 0) AS appropriations, coalesce(a.services_sold, 0) AS services_sold,
        coalesce(a.services_bought, 0) AS services_bought
    FROM keys k
    LEFT JOIN amounts a USING (region, scheme, period, party)
    LEFT JOIN {schema}.listings l ON l.region = k.region AND l.scheme = k.scheme AND l.period = k.period
        AND l.provider = k.party
    LEFT JOIN {schema}.parties p ON p.region = k.region AND p.party_id = k.party
)
SELECT region, scheme, period, party AS party_id, name, side, kind, listed, weighted_listed,
    (capitation / 100.0)::numeric(20,2) AS capitation, (variable / 100.0)::numeric(20,2) AS variable, (supplementary / 100.0)::numeric(20,2) AS supplementary,
    (other_compensation / 100.0)::numeric(20,2) AS other_compensation, (deficit_compensation / 100.0)::numeric(20,2) AS deficit_compensation,
    (overhead_compensation / 100.0)::numeric(20,2) AS overhead_compensation, (internal_charges / 100.0)::numeric(20,2) AS internal_charges,
    (shared_costs_paid / 100.0)::numeric(20,2) AS shared_costs_paid, (benefit_in_kind / 100.0)::numeric(20,2) AS benefit_in_kind,
    (commitment_costs / 100.0)::numeric(20,2) AS commitment_costs, (appropriations / 100.0)::numeric(20,2) AS appropriations,
    (services_sold / 100.0)::numeric(20,2) AS services_sold, (services_bought / 100.0)::numeric(20,2) AS services_bought,
    ((capitation + variable + supplementary + other_compensation + deficit_compensation + overhead_compensation
     + benefit_in_kind + appropriations + services_sold - internal_charges - shared_costs_paid - commitment_costs
     - services_bought) / 100.0)::numeric(20,2) AS net_resources
FROM ore;

-- Per competing side (region_run, private) and month.
CREATE VIEW {schema}.side_month AS
SELECT region, scheme, period, side, count(*) FILTER (WHERE kind = 'provider') AS providers,
    sum(listed) AS listed, sum(weighted_listed) AS weighted_listed,
    sum(capitation) AS capitation, sum(variable) AS variable, sum(supplementary) AS supplementary,
    sum(other_compensation) AS other_compensation, sum(deficit_compensation) AS deficit_compensation,
    sum(overhead_compensation) AS overhead_compensation, sum(internal_charges) AS internal_charges,
    sum(shared_costs_paid) AS shared_costs_paid, sum(benefit_in_kind) AS benefit_in_kind,
    sum(commitment_costs) AS commitment_costs, sum(appropriations) AS appropriations,
    sum(services_sold) AS services_sold, sum(services_bought) AS services_bought,
    sum(net_resources) AS net_resources,
    CASE WHEN sum(weighted_listed) > 0 THEN round(sum(net_resources) * 12 / sum(weighted_listed), 2) END
        AS net_per_weighted_listed_annualised
FROM {schema}.party_month
WHERE side IN ('region_run', 'private') AND kind <> 'vendor'
GROUP BY region, scheme, period, side;

CREATE VIEW {schema}.listing_month AS
SELECT l.region, l.scheme, l.period, l.provider AS provider_id, p.name, p.side, l.listed, l.weighted_listed, l.seq
FROM {schema}.listings l
LEFT JOIN {schema}.parties p ON p.region = l.region AND p.party_id = l.provider;

-- Special commitments per month: cost, appropriations, unfunded, fte given.
CREATE VIEW {schema}.commitment_month AS
WITH costs AS (
    SELECT region, scheme, period, substr(item, 12) AS commitment, sum(amount_ore) AS cost
    FROM {schema}.balances WHERE account_class = 'expense' AND item LIKE 'commitment.%'
    GROUP BY 1, 2, 3, 4
), appropriated AS (
    SELECT region, scheme, period, substr(item, 15) AS commitment, -sum(amount_ore) AS appropriated
    FROM {schema}.balances WHERE account_class = 'income'
        -- only the purposes that are commitment values (docs/contract.md), as the commitment statement
        -- counts them: lof_lol and shared_cost:<service> are appropriations of other things
        AND substr(item, 15) IN ('on_call_coordination', 'st_director_of_studies', 'bt_director_of_studies',
                                 'scheduling_payroll_billing_admin', 'other')
        AND item LIKE 'appropriation.%'
    GROUP BY 1, 2, 3, 4
), facts AS (
    SELECT region, scheme, period, commitment, (sum(fte_scaled) / 10000.0)::numeric(20,4) AS fte, sum(fte_events) AS fte_events,
        string_agg(NULLIF(decision_ref, ''), ', ' ORDER BY decision_ref) AS decision_refs
    FROM {schema}.commitment_facts GROUP BY 1, 2, 3, 4
)
SELECT region, scheme, period, commitment,
    (coalesce(c.cost, 0) / 100.0)::numeric(20,2) AS cost, (coalesce(a.appropriated, 0) / 100.0)::numeric(20,2) AS appropriated,
    ((coalesce(c.cost, 0) - coalesce(a.appropriated, 0)) / 100.0)::numeric(20,2) AS unfunded,
    CASE WHEN f.fte_events > 0 THEN f.fte END AS fte, f.decision_refs
FROM costs c
FULL JOIN appropriated a USING (region, scheme, period, commitment)
FULL JOIN facts f USING (region, scheme, period, commitment);

CREATE VIEW {schema}.cross_subsidy_month AS
SELECT region, scheme, period, service,
    (region_run_to_private_ore / 100.0)::numeric(20,2) AS region_run_to_private, (private_to_region_run_ore / 100.0)::numeric(20,2) AS private_to_region_run,
    (paid_region_run_ore / 100.0)::numeric(20,2) AS paid_region_run, (paid_private_ore / 100.0)::numeric(20,2) AS paid_private, events
FROM {schema}.cross_subsidies;

-- Each beneficiary's benefit of a shared service in a month, attributed to the payers in
-- proportion to what they paid for that service in that month, rounded to the öre.
CREATE VIEW {schema}.shared_cost_month AS
WITH paid AS (
    SELECT region, scheme, period, substr(item, 13) AS service, party AS payer, sum(amount_ore) AS paid_ore
    FROM {schema}.balances WHERE account_class = 'expense' AND item LIKE 'shared\_cost.%'
    GROUP BY 1, 2, 3, 4, 5
), total AS (
    SELECT region, scheme, period, service, sum(paid_ore) AS total_ore FROM paid GROUP BY 1, 2, 3, 4
), benefit AS (
    SELECT region, scheme, period, substr(item, 13) AS service, party AS beneficiary, -sum(amount_ore) AS benefit_ore
    FROM {schema}.balances WHERE account_class = 'benefit' AND item LIKE 'shared\_cost.%'
    GROUP BY 1, 2, 3, 4, 5
)
SELECT b.region, b.scheme, b.period, b.service, p.payer, pp.side AS payer_side, b.beneficiary,
    pb.side AS beneficiary_side, round(b.benefit_ore::numeric * p.paid_ore / t.total_ore / 100, 2) AS amount
FROM benefit b
JOIN paid p USING (region, scheme, period, service)
JOIN total t USING (region, scheme, period, service)
LEFT JOIN {schema}.parties pp ON pp.region = b.region AND pp.party_id = p.payer
LEFT JOIN {schema}.parties pb ON pb.region = b.region AND pb.party_id = b.beneficiary
WHERE t.total_ore <> 0;

-- Ingestion status per region: the ledger's head against the projections' checkpoint.
CREATE VIEW {schema}.ingestion_status AS
SELECT c.region, h.seq AS head_seq, encode(h.hash, 'hex') AS head_hash, h.recorded_at AS head_recorded_at,
    c.seq AS projected_seq, h.seq - c.seq AS projection_lag, c.updated_at AS projected_at
FROM {schema}.checkpoints c
CROSS JOIN LATERAL (
    SELECT e.seq, e.hash, e.recorded_at FROM ledger.events e WHERE e.region = c.region ORDER BY e.seq DESC LIMIT 1
) h;

-- Rejected inputs per reason and day (UTC), straight from ledger.rejections.
CREATE VIEW {schema}.rejections_daily AS
SELECT (received_at AT TIME ZONE 'UTC')::date AS day, reason, coalesce(region, '') AS region,
    source_kind, count(*) AS rejections
FROM ledger.rejections GROUP BY 1, 2, 3, 4;

-- Kafka consumers' next offsets as kept in the ledger's own transactions.
CREATE VIEW {schema}.consumer_offsets AS
SELECT consumer_group, topic, partition, offset_next, updated_at FROM ledger.consumer_offsets;

-- Created by the owner; read by everyone; written only by likvard_projector, and only its
-- tables (never the views: consumer_offsets is a simple view the owner could write through).
GRANT USAGE ON SCHEMA {schema} TO likvard_app, likvard_projector, likvard_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO likvard_app, likvard_projector, likvard_reader;
GRANT UPDATE (built_at, block_seqs) ON {schema}.layout TO likvard_projector;
GRANT INSERT, UPDATE, DELETE ON {schema}.checkpoints, {schema}.parties, {schema}.balances, {schema}.listings,
    {schema}.event_counts, {schema}.decision_refs, {schema}.commitment_facts, {schema}.cross_subsidies,
    {schema}.shared_cost_events, {schema}.shared_cost_keys,
    {schema}.block_balances, {schema}.block_listings, {schema}.block_event_counts, {schema}.block_decision_refs,
    {schema}.block_commitment_facts, {schema}.block_cross_subsidies
    TO likvard_projector;
