-- The ledger: events (append-only, hash-chained per region), their postings, every
-- rejected input, Kafka offsets kept in the ledger's own transactions, closed periods.
-- Applied by `likvard migrate`; never edit once applied (the checksum is verified).

CREATE SCHEMA IF NOT EXISTS ledger;

CREATE TABLE ledger.events (
    region           text        NOT NULL,
    seq              bigint      NOT NULL CHECK (seq >= 1),
    event_id         uuid        NOT NULL,
    type             text        NOT NULL,
    scheme           text        NOT NULL,
    period           text        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    occurred_on      date        NOT NULL,
    decision_ref     text,
    source_system    text        NOT NULL,
    source_reference text        NOT NULL,
    reverses         uuid,       -- entry.reversed: the event it negates (at most once)
    canonical        bytea       NOT NULL,  -- the canonical event bytes (README)
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    kafka_topic      text,
    kafka_partition  integer,
    kafka_offset     bigint,
    prev_hash        bytea       NOT NULL CHECK (length(prev_hash) = 32),
    hash             bytea       NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (region, seq),
    UNIQUE (region, event_id)
);
-- An event is reversed at most once; only reversals carry `reverses`.
CREATE UNIQUE INDEX events_reversed_once ON ledger.events (region, reverses) WHERE reverses IS NOT NULL;

CREATE TABLE ledger.postings (
    region        text   NOT NULL,
    seq           bigint NOT NULL,
    line          integer NOT NULL CHECK (line >= 1),
    event_id      uuid   NOT NULL,
    scheme        text   NOT NULL,
    period        text   NOT NULL,
    account       text   NOT NULL,  -- <party>:<class>:<item>
    party         text   NOT NULL,
    account_class text   NOT NULL,
    item          text   NOT NULL,
    amount        bigint NOT NULL,  -- öre; debit positive, credit negative
    PRIMARY KEY (region, seq, line)
);

CREATE TABLE ledger.rejections (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at      timestamptz NOT NULL DEFAULT now(),
    region           text,           -- when it could be read
    event_id         text,           -- when it could be read (may not be a UUID)
    reason           text NOT NULL,
    message          text NOT NULL,
    raw              bytea NOT NULL, -- the original bytes, exactly as received
    source_kind      text NOT NULL CHECK (source_kind IN ('file', 'kafka', 'http')),
    source_file      text,
    source_line      bigint,
    kafka_topic      text,
    kafka_partition  integer,
    kafka_offset     bigint,
    http_peer        text
);
CREATE INDEX rejections_by_day ON ledger.rejections (received_at);

CREATE TABLE ledger.consumer_offsets (
    consumer_group text    NOT NULL,
    topic          text    NOT NULL,
    partition      integer NOT NULL,
    offset_next    bigint  NOT NULL CHECK (offset_next >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);

CREATE TABLE ledger.periods (
    region    text   NOT NULL,
    scheme    text   NOT NULL,
    period    text   NOT NULL,
    closed_by_seq bigint NOT NULL,
    closed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region, scheme, period)
);

-- Append-only, enforced by the database: any UPDATE, DELETE or TRUNCATE raises.
CREATE FUNCTION ledger.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger.% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Statement triggers, so that even a change that would touch no row is refused.
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER rejections_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.rejections
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER periods_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.periods
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

-- The application role: INSERT and SELECT on the ledger, UPDATE only on offsets.
GRANT USAGE ON SCHEMA ledger TO likvard_app;
GRANT SELECT, INSERT ON ledger.events, ledger.postings, ledger.rejections, ledger.periods TO likvard_app;
GRANT SELECT, INSERT, UPDATE ON ledger.consumer_offsets TO likvard_app;
