// `likvard migrate`: the roles, then the numbered migrations of schemas/sql (embedded), each
// in its own transaction, recorded with a SHA-256 checksum that must never change, then the
// projection layout. The only program that connects as the owner.
#include <pqxx/pqxx>

#include "projections/layout.hpp"
#include "store/sql.hpp"
#include "store/store.hpp"

namespace likvard {
namespace {

constexpr std::int64_t migration_lock_key = 0x6c696b7661726431;  // "likvard1"
// CREATE ROLE has no IF NOT EXISTS and the roles are the cluster's: two migrations of two
// databases at once may race on them; the loser tries again.
constexpr int role_attempts_max = 3;

// Every role logs in as itself and can do nothing beyond its grants: not a superuser, no
// roles, no databases, no replication, no way past row security.
constexpr const char* role_attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

bool has_attributes(pqxx::work& tx, const std::string& role) {
    const pqxx::result r = tx.exec_params(
        "SELECT rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls) "
        "FROM pg_roles WHERE rolname = $1",
        role);
    return r[0][0].as<bool>();
}

// Creates the role, or gives an existing one (e.g. a NOLOGIN role of a ledger migrated
// before 005) exactly its attributes, and takes it out of every role it was made a member
// of. Writes to the catalog only when something differs, so that steady runs never race.
void ensure_role(pqxx::work& tx, const std::string& role) {
    const std::string name = tx.quote_name(role);
    if (tx.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", role).empty())
        tx.exec("CREATE ROLE " + name + " " + role_attributes);
    else if (!has_attributes(tx, role))
        tx.exec("ALTER ROLE " + name + " " + role_attributes);
    const pqxx::result memberships = tx.exec_params(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1)",
        role);
    for (const auto& row : memberships) tx.exec("REVOKE " + tx.quote_name(row[0].as<std::string>()) + " FROM " + name);
    // An owner that is not a superuser needs the role's privileges to take over what it owned
    // (005); the grant makes the owner a member of the role, never the other way round.
    if (!tx.exec_params("SELECT pg_has_role(current_user, $1, 'MEMBER')", role)[0][0].as<bool>())
        tx.exec("GRANT " + name + " TO CURRENT_USER");
}

void ensure_roles(pqxx::connection& connection) {
    for (int attempt = 1;; ++attempt) {
        try {
            pqxx::work tx(connection);
            for (const char* role : sql::program_roles) ensure_role(tx, role);
            tx.commit();
            return;
        } catch (const pqxx::sql_error&) {
            if (attempt == role_attempts_max) throw;
        }
    }
}

void ensure_bookkeeping(pqxx::work& tx) {
    tx.exec("CREATE SCHEMA IF NOT EXISTS ledger");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS ledger.schema_migrations ("
        " name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
}

void apply_migrations(pqxx::connection& connection, MigrationReport& report) {
    for (const auto& [name, text] : embedded_migrations()) {
        pqxx::work tx(connection);
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", migration_lock_key);
        ensure_bookkeeping(tx);
        const std::string checksum = to_hex(sha256(text).data(), 32);
        const pqxx::result applied =
            tx.exec_params("SELECT checksum FROM ledger.schema_migrations WHERE name = $1", name);
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
}

// The schema `projection`, created by the owner from this program's layout when it is
// missing or was created from another one (its rows are derived: the runner builds them
// again from seq 1). Under the runner's lock, so that no runner writes meanwhile.
bool ensure_projection_layout(pqxx::connection& connection) {
    pqxx::work tx(connection);
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", projection_runner_lock_key);
    const std::string sha = projection_layout_sha256();
    const std::string schema = projection_schema;
    if (!tx.exec("SELECT to_regclass('" + schema + ".layout')")[0][0].is_null() &&
        !tx.exec_params("SELECT 1 FROM " + schema + ".layout WHERE sha256 = $1", sha).empty())
        return false;
    tx.exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    tx.exec(projection_layout_sql(schema));
    tx.exec_params("INSERT INTO " + schema + ".layout (sha256) VALUES ($1)", sha);
    tx.commit();
    return true;
}

}  // namespace

MigrationReport migrate(const std::string& url) {
    pqxx::connection connection(url);
    ensure_roles(connection);
    MigrationReport report;
    apply_migrations(connection, report);
    report.projection_layout_created = ensure_projection_layout(connection);
    return report;
}

}  // namespace likvard
