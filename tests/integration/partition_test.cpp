// Migration 009 partitions ledger.events and ledger.postings by region: on a ledger that holds
// two regions' sample years, built by the migrations before it, every row, every region's
// chain and every statement (from the projections, from the blocks, from the postings) is
// byte for byte what it was; both verifiers pass; appends go on; and every partition refuses
// changes, by the parent's name and by its own, for the owner too.
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"

#include "projections/layout.hpp"
#include "projections/projections.hpp"
#include "sample/sample.hpp"
#include "store/sql.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

constexpr const char* partition_migration = "009_partition_by_region.sql";
constexpr std::size_t append_batch_events = 500;

// A database as `likvard migrate` of before 009 left it: the roles, migrations 001-008 and
// the projection layout.
class MigrationPartitions : public ::testing::Test {
protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        name_ = "likvard_test_" + std::to_string(getpid()) + "_p" + std::to_string(counter++);
        admin_ = server_url();
        admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        admin("CREATE DATABASE " + name_);
        owner_url = with_database(admin_, name_);
        url = with_user(owner_url, "likvard_app");
        projector_url = with_user(owner_url, "likvard_projector");
        reader_url = with_user(owner_url, "likvard_reader");
        migrate_as_before_009();
    }
    void TearDown() override { admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"); }

    void admin(const std::string& sql) {
        pqxx::connection connection(admin_);
        pqxx::nontransaction tx(connection);
        tx.exec(sql);
    }
    void migrate_as_before_009() {
        pqxx::connection connection(owner_url);
        {
            pqxx::work tx(connection);
            for (const char* role : sql::program_roles)
                tx.exec(std::string("DO $$ BEGIN CREATE ROLE ") + role +
                        " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            tx.exec("CREATE SCHEMA ledger");
            tx.exec(
                "CREATE TABLE ledger.schema_migrations (name text PRIMARY KEY, checksum text NOT NULL, "
                "applied_at timestamptz NOT NULL DEFAULT now())");
            tx.commit();
        }
        for (const auto& [name, text] : embedded_migrations()) {
            if (name >= "009") break;
            pqxx::work tx(connection);
            tx.exec(std::string(text));
            tx.exec_params("INSERT INTO ledger.schema_migrations (name, checksum) VALUES ($1, $2)", name,
                           to_hex(sha256(text).data(), 32));
            tx.commit();
        }
        pqxx::work tx(connection);
        tx.exec(projection_layout_sql(projection_schema));
        tx.exec_params("INSERT INTO projection.layout (sha256) VALUES ($1)", projection_layout_sha256());
        tx.commit();
    }

    std::string text(const std::string& sql) {
        pqxx::connection connection(owner_url);
        pqxx::nontransaction tx(connection);
        const pqxx::row row = tx.exec1(sql);
        return row[0].is_null() ? "" : row[0].c_str();
    }
    std::int64_t count(const std::string& sql) { return std::stoll(text(sql)); }
    // What the owner's statement raised (empty when it went through).
    std::string refused(const std::string& sql) {
        try {
            pqxx::connection connection(owner_url);
            pqxx::work tx(connection);
            tx.exec(sql);
            tx.commit();
            return "";
        } catch (const pqxx::sql_error& error) {
            return error.what();
        }
    }

    void append(const std::vector<std::string>& events) {
        Store writer(url);
        for (std::size_t at = 0; at < events.size(); at += append_batch_events) {
            std::vector<Incoming> batch;
            for (std::size_t i = at; i < std::min(events.size(), at + append_batch_events); ++i)
                batch.push_back({events[i], Source{}});
            writer.append(batch);
        }
    }

    std::string statement(const std::string& region, StatementSource source, std::optional<std::int64_t> seq) {
        Store store(reader_url);
        StatementQuery query;
        query.statement = "neutrality";
        query.region = region;
        query.scheme = "primary_care";
        query.from = "2022-01";
        query.to = "2022-12";
        query.as_of = seq;
        query.source = source;
        return render_json(make_statement(store, query, "test").document);
    }

    // Every row of both tables (in key order), each region's head, and the statements of both
    // regions from each source.
    std::vector<std::string> ledger_as_read() {
        std::vector<std::string> read{
            text("SELECT md5(string_agg(e::text, E'\\n' ORDER BY region, seq)) FROM ledger.events e"),
            text("SELECT md5(string_agg(p::text, E'\\n' ORDER BY region, seq, line)) FROM ledger.postings p"),
            text("SELECT string_agg(region || ' ' || seq || ' ' || encode(hash, 'hex'), ',' ORDER BY region) "
                 "FROM projection.ingestion_status JOIN ledger.events USING (region) WHERE seq = head_seq")};
        for (const std::string region : {"SE-AC", "SE-Z"}) {
            read.push_back(statement(region, StatementSource::projections, std::nullopt));
            read.push_back(statement(region, StatementSource::automatic, 1234));  // the blocks and a tail
            read.push_back(statement(region, StatementSource::ledger, 1234));
        }
        return read;
    }

    void expect_both_verifiers_pass(std::size_t regions) {
        const auto reports = verify(reader_url, std::nullopt);
        ASSERT_EQ(reports.size(), regions);
        for (const auto& report : reports) EXPECT_TRUE(report.ok) << report.region << ": " << report.problem;
        const auto cli =
            run(std::string(LIKVARD_BIN) + " verify --skip-projections --database-url " + shell_quote(reader_url));
        EXPECT_EQ(cli.exit_code, 0) << cli.err;
        const auto python =
            run("python3 " + std::string(LIKVARD_SOURCE_DIR) + "/ops/verify-chain.py --url " + shell_quote(reader_url));
        EXPECT_EQ(python.exit_code, 0) << python.err;
        EXPECT_EQ(python.out, cli.out);
    }

    std::string url, owner_url, projector_url, reader_url;

private:
    std::string admin_, name_;
};

TEST_F(MigrationPartitions, ALedgerWithRowsKeepsEveryRowChainAndStatementByteForByte) {
    const std::vector<std::string> se_z = generate_sample(SampleSpec{"SE-Z", 2022, 1});
    const std::vector<std::string> se_ac = generate_sample(SampleSpec{"SE-AC", 2022, 7});
    append(se_z);
    append(se_ac);
    Projections(projector_url, 64).rebuild();
    ASSERT_EQ(text("SELECT relkind FROM pg_class WHERE oid = 'ledger.events'::regclass"), "r");
    const std::vector<std::string> before = ledger_as_read();

    const MigrationReport report = migrate(owner_url);
    ASSERT_EQ(report.applied, std::vector<std::string>{partition_migration});
    EXPECT_FALSE(report.projection_layout_created);  // the projections stay as they were built

    EXPECT_EQ(text("SELECT relkind FROM pg_class WHERE oid = 'ledger.events'::regclass"), "p");
    EXPECT_EQ(text("SELECT relkind FROM pg_class WHERE oid = 'ledger.postings'::regclass"), "p");
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events_se_z"), static_cast<std::int64_t>(se_z.size()));
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events_se_ac"), static_cast<std::int64_t>(se_ac.size()));
    EXPECT_EQ(count("SELECT count(*) FROM ledger.postings_se_z"),
              count("SELECT count(*) FROM ledger.postings WHERE region = 'SE-Z'"));
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events_other"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM pg_class WHERE relname LIKE '%unpartitioned%'"), 0);
    const std::vector<std::string> after = ledger_as_read();
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after[i], before[i]) << "read " << i;
    expect_both_verifiers_pass(2);

    // Appends go on where the chains stood, and the projections catch up.
    append(generate_sample(SampleSpec{"SE-Z", 2023, 1}));
    EXPECT_GT(count("SELECT count(*) FROM ledger.events_se_z"), static_cast<std::int64_t>(se_z.size()));
    expect_both_verifiers_pass(2);
    Projections projections(projector_url);
    projections.catch_up();
    EXPECT_TRUE(projections.check_consistency().empty());
    EXPECT_EQ(count("SELECT count(*) FROM projection.ingestion_status WHERE projection_lag = 0"), 2);
    EXPECT_EQ(migrate(owner_url).applied, std::vector<std::string>{});
}

TEST_F(MigrationPartitions, EveryPartitionRefusesChangesForTheOwnerAndIsReadOnlyThroughItsParent) {
    migrate(owner_url);
    append(cast());
    for (const std::string change :
         {"UPDATE ledger.events_se_z SET type = 'x'", "DELETE FROM ledger.postings_se_z", "TRUNCATE ledger.events_se_z",
          "TRUNCATE ledger.postings_other", "UPDATE ledger.events SET type = 'x' WHERE seq = 1",
          "DELETE FROM ledger.postings WHERE region = 'SE-Z'", "TRUNCATE ledger.events CASCADE"})
        EXPECT_NE(refused(change).find("append-only"), std::string::npos) << change;
    EXPECT_EQ(count("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%append_only' AND "
                    "tgrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent IN "
                    "('ledger.events'::regclass, 'ledger.postings'::regclass))"),
              44);  // 21 regions and the default, each table
    pqxx::connection app(url);
    pqxx::nontransaction tx(app);
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM ledger.events WHERE region = 'SE-Z'")[0].as<std::int64_t>(), 14);
    EXPECT_THROW(tx.exec("SELECT count(*) FROM ledger.events_se_z"), pqxx::insufficient_privilege);
}

// A region code outside Sweden's 21 lands in the default partitions, chain and all.
TEST_F(MigrationPartitions, ARegionOutsideTheListIsKeptInTheDefaultPartition) {
    migrate(owner_url);
    std::vector<std::string> events;
    for (const auto& line : cast()) {
        boost::json::object event = boost::json::parse(line).as_object();
        event["region"] = "NO-03";
        events.push_back(boost::json::serialize(event));
    }
    append(events);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events_other WHERE region = 'NO-03'"), 14);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.postings_other"),
              count("SELECT count(*) FROM ledger.postings WHERE region = 'NO-03'"));
    expect_both_verifiers_pass(1);
}

}  // namespace
