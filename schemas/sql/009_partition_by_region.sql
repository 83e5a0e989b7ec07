-- ledger.events and ledger.postings partitioned by region (LIST): one partition for each of
-- Sweden's 21 regions (ISO 3166-2:SE) and a DEFAULT partition for any other code, so that an
-- append never needs a partition made first and a region's rows, its indexes and its vacuum
-- are its own (docs/scaling.md). Every key already starts with the region, so the keys stay
-- as they were; a read that names its region (every statement, the chain, the projections)
-- touches one partition.
--
-- On a ledger with rows: the rows move, in seq order, into the new tables (the append-only
-- triggers refuse DELETE, not DROP); the keys, the checks, the partial indexes of 004 and
-- 008, the append-only triggers (on the parent and on every partition, so that the owner
-- cannot change a partition by its own name either) and the grants are made again as they
-- were. Nothing else refers to the tables but the projections' view ingestion_status,
-- dropped and made again word for word (schemas/projections/layout.sql), so the projections
-- stay valid.
-- (Only when there is one: a ledger of an older layout gets its projections made again by
-- `likvard migrate` after the migrations.)
SELECT set_config('likvard.had_ingestion_status', (to_regclass('projection.ingestion_status') IS NOT NULL)::text,
                  true);
DROP VIEW IF EXISTS projection.ingestion_status;

ALTER TABLE ledger.events RENAME TO events_unpartitioned;
ALTER TABLE ledger.postings RENAME TO postings_unpartitioned;

CREATE TABLE ledger.events (
    region           text        NOT NULL,
    seq              bigint      NOT NULL CONSTRAINT events_seq_check CHECK (seq >= 1),
    event_id         uuid        NOT NULL,
    type             text        NOT NULL,
    scheme           text        NOT NULL,
    period           text        NOT NULL CONSTRAINT events_period_check CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    occurred_on      date        NOT NULL,
    decision_ref     text,
    source_system    text        NOT NULL,
    source_reference text        NOT NULL,
    reverses         uuid,
    canonical        bytea       NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    kafka_topic      text,
    kafka_partition  integer,
    kafka_offset     bigint,
    prev_hash        bytea       NOT NULL CONSTRAINT events_prev_hash_check CHECK (length(prev_hash) = 32),
    hash             bytea       NOT NULL CONSTRAINT events_hash_check CHECK (length(hash) = 32)
) PARTITION BY LIST (region);

CREATE TABLE ledger.postings (
    region        text   NOT NULL,
    seq           bigint NOT NULL,
    line          integer NOT NULL CONSTRAINT postings_line_check CHECK (line >= 1),
    event_id      uuid   NOT NULL,
    scheme        text   NOT NULL,
    period        text   NOT NULL,
    account       text   NOT NULL,
    party         text   NOT NULL,
    account_class text   NOT NULL,
    item          text   NOT NULL,
    amount        bigint NOT NULL
) PARTITION BY LIST (region);

DO $$
DECLARE
    code text;
BEGIN
    FOREACH code IN ARRAY ARRAY['SE-AB', 'SE-AC', 'SE-BD', 'SE-C', 'SE-D', 'SE-E', 'SE-F', 'SE-G', 'SE-H',
                                'SE-I', 'SE-K', 'SE-M', 'SE-N', 'SE-O', 'SE-S', 'SE-T', 'SE-U', 'SE-W',
                                'SE-X', 'SE-Y', 'SE-Z'] LOOP
        EXECUTE format('CREATE TABLE ledger.%I PARTITION OF ledger.events FOR VALUES IN (%L)',
                       'events_' || lower(replace(code, '-', '_')), code);
        EXECUTE format('CREATE TABLE ledger.%I PARTITION OF ledger.postings FOR VALUES IN (%L)',
                       'postings_' || lower(replace(code, '-', '_')), code);
    END LOOP;
    CREATE TABLE ledger.events_other PARTITION OF ledger.events DEFAULT;
    CREATE TABLE ledger.postings_other PARTITION OF ledger.postings DEFAULT;
END $$;

INSERT INTO ledger.events SELECT * FROM ledger.events_unpartitioned ORDER BY region, seq;
INSERT INTO ledger.postings SELECT * FROM ledger.postings_unpartitioned ORDER BY region, seq, line;
DROP TABLE ledger.events_unpartitioned;
DROP TABLE ledger.postings_unpartitioned;

-- The keys and indexes of 001, 004 and 008, built once the rows are in.
ALTER TABLE ledger.events ADD PRIMARY KEY (region, seq), ADD UNIQUE (region, event_id);
ALTER TABLE ledger.postings ADD PRIMARY KEY (region, seq, line);
CREATE UNIQUE INDEX events_reversed_once ON ledger.events (region, reverses) WHERE reverses IS NOT NULL;
CREATE INDEX events_fact_carriers ON ledger.events (region, type, seq)
    WHERE type IN ('party.registered', 'party.retired', 'listing.recorded', 'period.closed',
                   'commitment.cost_incurred', 'entry.reversed');
CREATE INDEX events_budgets ON ledger.events (region, scheme, period, seq) WHERE type = 'budget.set';
CREATE INDEX postings_shared_cost ON ledger.postings (region, seq)
    INCLUDE (scheme, period, party, account_class, item, amount)
    WHERE account_class IN ('expense', 'benefit') AND item LIKE 'shared\_cost.%';

-- Append-only (001): statement triggers fire for the table a statement names, so every
-- partition carries them as well as the parent.
DO $$
DECLARE
    part record;
BEGIN
    FOR part IN SELECT c.relname, p.relname AS parent FROM pg_inherits i
                JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                WHERE i.inhparent IN ('ledger.events'::regclass, 'ledger.postings'::regclass)
                UNION ALL SELECT 'events', 'events' UNION ALL SELECT 'postings', 'postings' LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change()',
                       part.parent || '_append_only', part.relname);
    END LOOP;
END $$;

-- The grants of 001, 002 and 005, on the parents only: the programs read and write through
-- them, never a partition by its name.
GRANT SELECT, INSERT ON ledger.events, ledger.postings TO likvard_app;
GRANT SELECT ON ledger.events, ledger.postings TO likvard_projector, likvard_reader;

DO $$ BEGIN
    IF current_setting('likvard.had_ingestion_status') = 'true' THEN
        CREATE VIEW projection.ingestion_status AS
        SELECT c.region, h.seq AS head_seq, encode(h.hash, 'hex') AS head_hash, h.recorded_at AS head_recorded_at,
            c.seq AS projected_seq, h.seq - c.seq AS projection_lag, c.updated_at AS projected_at
        FROM projection.checkpoints c
        CROSS JOIN LATERAL (
            SELECT e.seq, e.hash, e.recorded_at FROM ledger.events e WHERE e.region = c.region
            ORDER BY e.seq DESC LIMIT 1
        ) h;
        GRANT SELECT ON projection.ingestion_status TO likvard_app, likvard_projector, likvard_reader;
    END IF;
END $$;

ANALYZE ledger.events, ledger.postings;
