-- Projections (README, "Projections") are built by likvard_projector in their own schema:
-- it reads the ledger and may create schemas in this database; it never writes the ledger.
GRANT USAGE ON SCHEMA ledger TO likvard_projector;
GRANT SELECT ON ledger.events, ledger.postings, ledger.rejections, ledger.consumer_offsets TO likvard_projector;
DO $$ BEGIN
    EXECUTE format('GRANT CREATE ON DATABASE %I TO likvard_projector', current_database());
END $$;
