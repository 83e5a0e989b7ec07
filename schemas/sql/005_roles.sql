-- Least privilege (README, "Roles"). The programs log in as likvard_app (appends),
-- likvard_projector (the projections) and likvard_reader (statements, verify, exports,
-- dashboards): roles that own nothing, so that none of them can disable a trigger, set
-- session_replication_role or become the owner. `likvard migrate` makes them LOGIN roles
-- without any power on every run (the roles are the cluster's); this migration, once per
-- database, moves to the owner whatever they owned here (until now likvard_projector owned
-- the schema projection, which `likvard migrate` then creates again as the owner), takes back
-- the projector's right to create schemas, and lets the reader read what a statement, the
-- verifier and the hledger export read (never the rejected inputs' bytes). The projector
-- and the verifier's replay work in temporary tables, which vanish with their transaction:
-- granted by name, so that a database that took TEMPORARY from PUBLIC still lets them.
REASSIGN OWNED BY likvard_app, likvard_projector, likvard_reader TO CURRENT_USER;
DO $$ BEGIN
    EXECUTE format('REVOKE CREATE ON DATABASE %I FROM likvard_app, likvard_projector, likvard_reader',
                   current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO likvard_projector, likvard_reader', current_database());
END $$;
GRANT USAGE ON SCHEMA ledger TO likvard_reader;
GRANT SELECT ON ledger.events, ledger.postings, ledger.periods TO likvard_reader;
