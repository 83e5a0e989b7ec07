// Least privilege (docs/operating.md, "Roles"): the programs connect as likvard_app,
// likvard_projector and likvard_reader, login roles that own nothing, so that none of them
// can switch off the append-only triggers, set session_replication_role, become the owner,
// or change a row of the ledger; only `likvard migrate` connects as the owner, and it upgrades a ledger whose
// roles were made before 005 (NOLOGIN, the projector owning the projection schema).
#include "cast_ledger.hpp"
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"

#include <fstream>

#include "projections/layout.hpp"
#include "projections/projections.hpp"
#include "store/sql.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

constexpr const char* insufficient_privilege = "42501";

// What statements run on a connection of their own answered: the SQLSTATE and message of
// the error, or empty ones when they worked (rolled back either way). libpqxx 6.4 tells
// SQLSTATE 42501 by the exception's class.
struct Answer {
    std::string sqlstate;
    std::string message;
};

Answer answer(const std::string& url, const std::vector<std::string>& statements) {
    pqxx::connection connection(url);
    pqxx::work tx(connection);
    try {
        for (const auto& sql : statements) tx.exec(sql);
    } catch (const pqxx::insufficient_privilege& error) {
        return {insufficient_privilege, error.what()};
    } catch (const pqxx::sql_error& error) {
        return {error.sqlstate().empty() ? "another error" : error.sqlstate(), error.what()};
    }
    return {};
}

class Roles : public CastLedgerTest {
protected:
    void SetUp() override {
        CastLedgerTest::SetUp();
        if (HasFatalFailure()) return;
        Projections(projector_url).ensure();
    }

    // Each attempt must be refused with insufficient_privilege and a message saying why.
    void expect_refused(const std::string& role_url, const std::vector<std::vector<std::string>>& attempts,
                        const std::string& role) {
        for (const auto& attempt : attempts) {
            const Answer a = answer(role_url, attempt);
            EXPECT_EQ(a.sqlstate, insufficient_privilege) << role << ": " << attempt.back() << ": " << a.message;
            EXPECT_TRUE(a.message.find("permission denied") != std::string::npos ||
                        a.message.find("must be owner") != std::string::npos ||
                        a.message.find("must be superuser") != std::string::npos)
                << role << ": " << a.message;
        }
        EXPECT_EQ(query("SELECT period FROM ledger.events WHERE seq = 16")[0][0].as<std::string>(), "2023-05");
        EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 16);
        EXPECT_EQ(count("SELECT count(*) FROM ledger.postings"), 4);
    }

    // What the auditor did as the owner, and every other way around the triggers.
    static std::vector<std::vector<std::string>> ledger_attacks() {
        const std::string move_payment = "UPDATE ledger.events SET period = '2024-02' WHERE seq = 16";
        return {
            {"ALTER TABLE ledger.events DISABLE TRIGGER ALL"},
            {"ALTER TABLE ledger.postings DISABLE TRIGGER postings_append_only"},
            {"SET session_replication_role = replica"},
            {"SET LOCAL session_replication_role = replica"},
            {"RESET ROLE", move_payment},
            {"SET ROLE postgres"},
            {"SET SESSION AUTHORIZATION postgres"},
            {move_payment},
            {"UPDATE ledger.postings SET period = '2024-02' WHERE seq = 16"},
            {"DELETE FROM ledger.events WHERE seq = 16"},
            {"DELETE FROM ledger.postings"},
            {"TRUNCATE ledger.periods"},
            {"DROP TABLE ledger.events CASCADE"},
            {"CREATE SCHEMA takeover"},
            {"CREATE TABLE ledger.takeover (a int)"},
            {"CREATE FUNCTION ledger.refuse_change() RETURNS trigger LANGUAGE sql AS 'SELECT NULL'"},
            {"ALTER ROLE CURRENT_USER SUPERUSER"},
            {"GRANT postgres TO CURRENT_USER"},
        };
    }
};

TEST_F(Roles, TheAppRoleCannotGoAroundTheTriggersNorBecomeTheOwner) {
    expect_refused(url, ledger_attacks(), "likvard_app");
    // what it appends with it may do
    EXPECT_EQ(answer(url, {"INSERT INTO ledger.consumer_offsets VALUES ('g', 't', 0, 1)",
                           "UPDATE ledger.consumer_offsets SET offset_next = 2"})
                  .message,
              "");
}

TEST_F(Roles, TheProjectorCannotGoAroundTheTriggersNorOwnTheProjections) {
    auto attacks = ledger_attacks();
    attacks.push_back({"INSERT INTO ledger.consumer_offsets VALUES ('g', 't', 0, 1)"});
    attacks.push_back({"DROP TABLE projection.balances"});
    attacks.push_back({"ALTER TABLE projection.checkpoints ADD COLUMN x int"});
    attacks.push_back({"UPDATE projection.layout SET sha256 = 'another'"});
    attacks.push_back({"UPDATE projection.consumer_offsets SET offset_next = 0"});  // a view over the ledger
    expect_refused(projector_url, attacks, "likvard_projector");
    EXPECT_EQ(answer(projector_url,
                     {"UPDATE projection.balances SET postings = postings", "DELETE FROM projection.checkpoints"})
                  .message,
              "");
}

TEST_F(Roles, TheReaderOnlyReads) {
    auto attacks = ledger_attacks();
    attacks.push_back(
        {"INSERT INTO ledger.rejections (reason, message, raw, source_kind) VALUES ('x', 'x', '', 'file')"});
    attacks.push_back({"UPDATE ledger.consumer_offsets SET offset_next = 0"});
    attacks.push_back({"UPDATE projection.balances SET postings = postings"});
    attacks.push_back({"SELECT count(*) FROM ledger.rejections"});  // the rejected inputs' bytes
    expect_refused(reader_url, attacks, "likvard_reader");
    EXPECT_EQ(answer(reader_url, {"SELECT count(*) FROM ledger.events", "SELECT count(*) FROM ledger.postings",
                                  "SELECT count(*) FROM ledger.periods", "SELECT count(*) FROM projection.party_month",
                                  "SELECT count(*) FROM projection.rejections_daily"})
                  .message,
              "");
}

TEST_F(Roles, TheRolesLogInWithoutPowersOwnNothingAndAreMembersOfNoRole) {
    for (const char* role : sql::program_roles) {
        SCOPED_TRACE(role);
        const std::string r = std::string("'") + role + "'";
        EXPECT_EQ(count("SELECT count(*) FROM pg_roles WHERE rolname = " + r +
                        " AND rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR "
                        "rolbypassrls)"),
                  1);
        EXPECT_EQ(count("SELECT count(*) FROM pg_auth_members WHERE member = " + r + "::regrole"), 0);
        EXPECT_EQ(count("SELECT count(*) FROM pg_class WHERE relowner = " + r + "::regrole"), 0);
        EXPECT_EQ(count("SELECT count(*) FROM pg_namespace WHERE nspowner = " + r + "::regrole"), 0);
        EXPECT_EQ(count("SELECT count(*) FROM pg_proc WHERE proowner = " + r + "::regrole"), 0);
        EXPECT_EQ(count("SELECT count(*) FROM pg_database WHERE datdba = " + r + "::regrole"), 0);
        EXPECT_EQ(count("SELECT count(*) FROM pg_roles WHERE rolname = " + r +
                        " AND has_database_privilege(rolname, current_database(), 'CREATE')"),
                  0);
    }
}

TEST_F(Roles, AConnectionThatCouldBypassTheTriggersIsNamedInAWarning) {
    pqxx::connection superuser(owner_url);
    EXPECT_EQ(sql::privilege_warning(superuser).value_or(""),
              "warning: connected to the ledger as postgres, a superuser, which can switch off the append-only "
              "triggers; connect as likvard_app, likvard_projector or likvard_reader (docs/operating.md, "
              "\"Roles\"): only likvard migrate needs the owner");
    for (const std::string& role_url : {url, projector_url, reader_url}) {
        pqxx::connection role(role_url);
        EXPECT_FALSE(sql::privilege_warning(role).has_value()) << role_url;
    }
    // An owner that is not a superuser (a role of this test's own, dropped again).
    const std::string owner = "likvard_test_owner_" + std::to_string(getpid());
    query("CREATE ROLE " + owner + " LOGIN");
    query("ALTER TABLE ledger.events OWNER TO " + owner);
    {
        pqxx::connection connection(with_user(owner_url, owner));
        EXPECT_NE(sql::privilege_warning(connection)
                      .value_or("")
                      .find("as " + owner +
                            ", the owner of the ledger's "
                            "tables, which can switch off"),
                  std::string::npos);
    }
    query("ALTER TABLE ledger.events OWNER TO postgres");
    query("DROP ROLE " + owner);
}

// ---- the programs, each as its role ----

TEST_F(Roles, LikvardAppendWorksAsTheAppRoleAndWarnsAsTheOwner) {
    const std::string file = ::testing::TempDir() + "likvard-roles-" + std::to_string(getpid()) + ".ndjson";
    std::ofstream(file) << payment(3, "hc-lugnvik", "300.00") << '\n';
    const auto as_app = run(std::string(LIKVARD_BIN) + " append --database-url " + shell_quote(url) + " " + file);
    EXPECT_EQ(as_app.exit_code, 0) << as_app.err;
    EXPECT_EQ(as_app.out, "appended 1, duplicates 0, rejected 0\n");
    EXPECT_EQ(as_app.err, "");
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 17);
    const auto as_owner =
        run(std::string(LIKVARD_BIN) + " append --database-url " + shell_quote(owner_url) + " " + file);
    EXPECT_EQ(as_owner.exit_code, 0) << as_owner.err;  // warned, not refused
    EXPECT_EQ(as_owner.err,
              "likvard: warning: connected to the ledger as postgres, a superuser, which can switch off the "
              "append-only triggers; connect as likvard_app, likvard_projector or likvard_reader "
              "(docs/operating.md, \"Roles\"): only likvard migrate needs the owner\n");
    std::remove(file.c_str());
}

TEST_F(Roles, TheProjectionsRunAsTheProjectorAndRefuseAnotherRoleAtOnce) {
    const std::string bin = LIKVARD_BIN;
    append_lines({payment(3, "hc-lugnvik", "300.00")});
    const auto ran = run(bin + " projections run --once --database-url " + shell_quote(projector_url));
    EXPECT_EQ(ran.exit_code, 0) << ran.err;
    EXPECT_EQ(ran.out, "region SE-Z: projected to seq 17 of 17 (at the head)\n");
    const auto rebuilt =
        run("LIKVARD_PROJECTOR_DATABASE_URL=" + shell_quote(projector_url) + " " + bin + " projections rebuild");
    EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
    const auto as_app = run(bin + " projections rebuild --database-url " + shell_quote(url));
    EXPECT_EQ(as_app.exit_code, 1);
    EXPECT_EQ(as_app.err,
              "likvard projections: connected as likvard_app, which may not write the projections: "
              "connect as likvard_projector (docs/operating.md, \"Roles\")\n");
    // Without a URL the runner names where it looks, and never takes $LIKVARD_DATABASE_URL.
    const auto missing = run("env -u LIKVARD_PROJECTOR_DATABASE_URL LIKVARD_DATABASE_URL=" + shell_quote(url) + " " +
                             bin + " projections run --once");
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("set LIKVARD_PROJECTOR_DATABASE_URL"), std::string::npos) << missing.err;
    EXPECT_NE(missing.err.find("or pass --database-url, the URL of the role likvard_projector"), std::string::npos)
        << missing.err;
}

TEST_F(Roles, StatementsVerifyAndExportsWorkAsTheReader) {
    const std::string db = " --database-url " + shell_quote(reader_url);
    const std::string bin = LIKVARD_BIN;
    const auto verified = run(bin + " verify" + db);
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("projections: consistent at their checkpoints (SE-Z seq 16)"), std::string::npos)
        << verified.out;
    EXPECT_EQ(verified.err, "");
    const auto statement =
        run(bin + " statement neutrality --region SE-Z --scheme primary_care --from 2023-05 --to 2023-05" + db);
    EXPECT_EQ(statement.exit_code, 0) << statement.err;
    const auto exported = run(bin + " export hledger --region SE-Z" + db);
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    EXPECT_NE(exported.out.find("SEK"), std::string::npos);
}

TEST_F(Roles, ServeRefusesToStartItsRunnerWithoutTheProjectorsUrl) {
    const auto served = run("env -u LIKVARD_PROJECTOR_DATABASE_URL " + std::string(LIKVARD_BIN) +
                            " serve --listen 127.0.0.1:0 --database-url " + shell_quote(url));
    EXPECT_EQ(served.exit_code, 2);
    EXPECT_NE(served.err.find("or pass --projector-database-url, the URL of the role likvard_projector"),
              std::string::npos)
        << served.err;
}

// ---- migrate on a ledger of before 005, on a cluster of this test's own ----

// The roles are the cluster's: a ledger of before 005 (NOLOGIN roles, the projector owning
// the projection schema) is built on a server of this test's own (ops/pg with
// LIKVARD_PG_DIR), so that the tests on the shared server keep their roles meanwhile.
class OwnServer {
public:
    OwnServer()
        : dir_(::testing::TempDir() + "likvard-pg-roles-" + std::to_string(getpid())),
          pg_("LIKVARD_PG_DIR=" + shell_quote(dir_) + " " + shell_quote(std::string(LIKVARD_SOURCE_DIR) + "/ops/pg")) {
        const auto started = run(pg_ + " start");
        if (started.exit_code != 0) throw std::runtime_error("ops/pg start failed: " + started.err);
        owner_url = started.out.substr(0, started.out.find('\n'));
    }
    ~OwnServer() { run(pg_ + " destroy"); }
    std::string role_url(const std::string& role) const {
        const std::string out = run(pg_ + " url --role " + role).out;
        return out.substr(0, out.find('\n'));
    }
    void exec(const std::string& sql) const {
        pqxx::connection connection(owner_url);
        pqxx::nontransaction tx(connection);
        tx.exec(sql);
    }
    std::int64_t count(const std::string& sql) const {
        pqxx::connection connection(owner_url);
        pqxx::nontransaction tx(connection);
        return tx.exec1(sql)[0].as<std::int64_t>();
    }

    std::string owner_url;

private:
    std::string dir_;
    std::string pg_;
};

// What `likvard migrate` and `likvard projections` did before 005, step for step.
void migrate_as_before_005(const OwnServer& server) {
    for (const char* role : sql::program_roles)
        server.exec(std::string("CREATE ROLE ") + role + " NOLOGIN; GRANT " + role + " TO CURRENT_USER");
    server.exec(
        "CREATE SCHEMA ledger; CREATE TABLE ledger.schema_migrations (name text PRIMARY KEY, checksum text "
        "NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    pqxx::connection connection(server.owner_url);
    for (const auto& [name, text] : embedded_migrations()) {
        if (name >= "005") break;
        pqxx::work tx(connection);
        tx.exec(std::string(text));
        tx.exec_params("INSERT INTO ledger.schema_migrations (name, checksum) VALUES ($1, $2)", name,
                       to_hex(sha256(text).data(), 32));
        tx.commit();
    }
    pqxx::work tx(connection);
    tx.exec("SET ROLE likvard_projector");
    tx.exec("CREATE SCHEMA projection");
    tx.exec("CREATE TABLE projection.layout (sha256 text NOT NULL, built_at timestamptz NOT NULL DEFAULT now())");
    tx.exec("CREATE TABLE projection.checkpoints (region text PRIMARY KEY, seq bigint NOT NULL, hash bytea NOT NULL)");
    tx.exec("INSERT INTO projection.layout (sha256) VALUES ('the layout of an older likvard')");
    tx.exec("RESET ROLE");
    tx.commit();
    // and what an operator may have added by hand since
    server.exec("GRANT pg_read_all_data TO likvard_reader; ALTER ROLE likvard_app CREATEDB");
}

TEST(RolesUpgrade, MigrateMakesTheRolesOfALedgerOfBefore005LogInOwningNothing) {
    const OwnServer server;
    migrate_as_before_005(server);
    {
        Store old(server.owner_url);  // the ledger as the programs of before 005 wrote it
        std::vector<Incoming> batch;
        for (const auto& event : cast()) batch.push_back({event, Source{}});
        ASSERT_EQ(old.append(batch).appended, 14u);
    }
    EXPECT_THROW(pqxx::connection(server.role_url("app")), pqxx::broken_connection);  // NOLOGIN

    const MigrationReport report = migrate(server.owner_url);
    // 005 and the migrations after it; 001-004 were applied before
    ASSERT_FALSE(report.applied.empty());
    EXPECT_EQ(report.applied.front(), "005_roles.sql");
    for (const auto& name : report.applied) EXPECT_GE(name, std::string("005")) << name;
    EXPECT_TRUE(report.projection_layout_created);
    EXPECT_EQ(server.count("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'likvard\\_%' AND rolcanlogin AND NOT "
                           "(rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls)"),
              3);
    EXPECT_EQ(server.count("SELECT count(*) FROM pg_auth_members WHERE member::regrole::text LIKE 'likvard\\_%'"), 0);
    EXPECT_EQ(server.count("SELECT count(*) FROM pg_namespace WHERE nspowner::regrole::text LIKE 'likvard\\_%'"), 0);
    EXPECT_EQ(server.count("SELECT count(*) FROM pg_class WHERE relowner::regrole::text LIKE 'likvard\\_%'"), 0);
    EXPECT_EQ(server.count("SELECT count(*) FROM projection.layout WHERE sha256 = '" + projection_layout_sha256() +
                           "' AND built_at IS NULL"),
              1);  // created again from this program's layout, for the runner to build
    EXPECT_EQ(server.count("SELECT count(*) FROM pg_roles WHERE rolname = 'likvard_projector' AND "
                           "has_database_privilege(rolname, current_database(), 'CREATE')"),
              0);

    // Each program as its role: the app appends and cannot turn the triggers off, the
    // projector builds the projections, the reader verifies.
    const std::string bin = LIKVARD_BIN;
    const std::string file = ::testing::TempDir() + "likvard-roles-upgrade-" + std::to_string(getpid()) + ".ndjson";
    std::ofstream(file) << payment(1, "hc-lugnvik", "100.00") << '\n';
    const auto appended = run(bin + " append --database-url " + shell_quote(server.role_url("app")) + " " + file);
    std::remove(file.c_str());
    EXPECT_EQ(appended.exit_code, 0) << appended.err;
    EXPECT_EQ(appended.err, "");
    EXPECT_EQ(answer(server.role_url("app"), {"SET session_replication_role = replica"}).sqlstate,
              insufficient_privilege);
    const auto projected =
        run(bin + " projections run --once --database-url " + shell_quote(server.role_url("projector")));
    EXPECT_EQ(projected.exit_code, 0) << projected.err;
    EXPECT_EQ(projected.out, "region SE-Z: projected to seq 15 of 15 (at the head)\n");
    const auto verified = run(bin + " verify --database-url " + shell_quote(server.role_url("reader")));
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_EQ(answer(server.role_url("reader"), {"SELECT count(*) FROM ledger.rejections"}).sqlstate,
              insufficient_privilege);  // pg_read_all_data is taken back
    EXPECT_EQ(migrate(server.owner_url).applied, std::vector<std::string>{});
}

}  // namespace
