-- What `likvard rejections replay` did with each kept rejection: it sent the original bytes
-- through the one append path again, in the order they were received. Append-only, like the
-- rejections themselves: a rejection replayed once is skipped by the next replay; one that
-- was rejected again was kept again as a new rejection (with the new reason), which a later
-- replay may take up once its cause is mended.
CREATE TABLE ledger.rejection_replays (
    rejection_id     bigint      PRIMARY KEY REFERENCES ledger.rejections (id),
    replayed_at      timestamptz NOT NULL DEFAULT now(),
    outcome          text        NOT NULL CHECK (outcome IN ('appended', 'duplicate', 'rejected_again')),
    region           text,       -- appended or duplicate: the event's region
    seq              bigint,     -- appended: the event's seq
    reason           text,       -- rejected again: the new reason
    message          text        -- rejected again: the new message
);

CREATE TRIGGER rejection_replays_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.rejection_replays
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

GRANT SELECT, INSERT ON ledger.rejection_replays TO likvard_app;
