// `likvard migrate`: roles, then the numbered migrations of schemas/sql (embedded), each
// in its own transaction, recorded with a SHA-256 checksum that must never change.
#include <pqxx/pqxx>

#include "store/sql.hpp"
#include "store/store.hpp"

namespace likvard {
namespace {

constexpr std::int64_t migration_lock_key = 0x6c696b7661726431;  // "likvard1"

void ensure_roles(pqxx::connection& connection) {
    // CREATE ROLE has no IF NOT EXISTS; two migrations at once may race, so retry once.
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            pqxx::work tx(connection);
            // likvard_app appends and reads the ledger; likvard_projector owns the projection
            // schema (derived, rebuildable); likvard_reader reads projections (dashboards).
            for (const char* role : {"likvard_app", "likvard_projector", "likvard_reader"}) {
                tx.exec(std::string("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '") + role +
                        "') THEN CREATE ROLE " + role + " NOLOGIN; END IF; END $$");
                tx.exec(std::string("GRANT ") + role + " TO CURRENT_USER");
            }
            tx.commit();
            return;
        } catch (const pqxx::sql_error&) {
            if (attempt == 1) throw;
        }
    }
}

void ensure_bookkeeping(pqxx::work& tx) {
    tx.exec("CREATE SCHEMA IF NOT EXISTS ledger");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS ledger.schema_migrations ("
        " name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
}

}  // namespace

MigrationReport migrate(const std::string& url) {
    pqxx::connection connection(url);
    ensure_roles(connection);
    MigrationReport report;
    for (const auto& [name, text] : embedded_migrations()) {
        pqxx::work tx(connection);
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", migration_lock_key);
        ensure_bookkeeping(tx);
        const std::string checksum = to_hex(sha256(text).data(), 32);
        const pqxx::result applied = tx.exec_params("SELECT checksum FROM ledger.schema_migrations WHERE name = $1", name);
        if (!applied.empty()) {
            if (applied[0][0].as<std::string>() != checksum)
                throw std::runtime_error("migration " + name +
                                         " changed after it was applied (checksum differs); migrations are never "
                                         "edited: add a new numbered migration instead");
            report.already.push_back(name);
            continue;
        }
        tx.exec(std::string(text));
        tx.exec_params("INSERT INTO ledger.schema_migrations (name, checksum) VALUES ($1, $2)", name, checksum);
        tx.commit();
        report.applied.push_back(name);
    }
    return report;
}

}  // namespace likvard
