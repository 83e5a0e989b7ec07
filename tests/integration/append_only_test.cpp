// Append-only is enforced by the database, and what a superuser changes behind its back
// is found by `likvard verify` and by the auditor's ops/verify-chain.py at the right seq.
#include "cast_ledger.hpp"
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

class AppendOnly : public CastLedgerTest {
protected:
    // Runs `sql` in its own transaction, connected as likvard_app (as `likvard append` is) or
    // as the owner; returns the error.
    std::string refused(const std::string& sql, bool as_app) {
        pqxx::connection connection(as_app ? url : owner_url);
        try {
            pqxx::work tx(connection);
            tx.exec(sql);
            tx.commit();
        } catch (const pqxx::sql_error& error) {
            return error.what();
        }
        return "";
    }
};

}  // namespace

TEST_F(AppendOnly, UpdateDeleteTruncateAreRefusedForTheAppRoleAndTheOwner) {
    const std::vector<std::string> changes{"UPDATE ledger.events SET type = 'x' WHERE seq = 1",
                                           "DELETE FROM ledger.events WHERE seq = 16",
                                           "TRUNCATE ledger.events CASCADE",
                                           "UPDATE ledger.postings SET amount = 0",
                                           "DELETE FROM ledger.postings",
                                           "TRUNCATE ledger.postings",
                                           "UPDATE ledger.rejections SET reason = 'x'",
                                           "DELETE FROM ledger.periods"};
    for (const auto& sql : changes) {
        const std::string as_app = refused(sql, true);
        EXPECT_NE(as_app, "") << sql;
        const std::string as_owner = refused(sql, false);
        EXPECT_NE(as_owner.find("append-only"), std::string::npos) << sql << ": " << as_owner;
    }
    EXPECT_NE(refused("UPDATE ledger.events SET type = 'x'", true).find("permission denied"), std::string::npos);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 16);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.postings"), 4);
}

TEST_F(AppendOnly, TheAppRoleMayInsertAndSelect) {
    EXPECT_EQ(refused("SELECT count(*) FROM ledger.events", true), "");
    EXPECT_EQ(refused("INSERT INTO ledger.consumer_offsets VALUES ('g', 't', 0, 1)", true), "");
}

TEST_F(AppendOnly, VerifyPassesOnAnUntouchedLedger) {
    const auto reports = verify(reader_url, std::nullopt);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_TRUE(reports[0].ok) << reports[0].problem;
    EXPECT_EQ(reports[0].head_seq, 16);
    const auto cli =
        run(std::string(LIKVARD_BIN) + " verify --skip-projections --database-url " + shell_quote(reader_url));
    EXPECT_EQ(cli.exit_code, 0) << cli.err;
    const auto python =
        run("python3 " + std::string(LIKVARD_SOURCE_DIR) + "/ops/verify-chain.py --url " + shell_quote(reader_url));
    EXPECT_EQ(python.exit_code, 0) << python.err;
    EXPECT_EQ(python.out, cli.out);  // the auditor's script and the verifier agree byte for byte
}

TEST_F(AppendOnly, AnEventAlteredBySuperuserIsFoundAtItsSeqByBothVerifiers) {
    query("ALTER TABLE ledger.events DISABLE TRIGGER events_append_only");
    query(
        "UPDATE ledger.events SET canonical = convert_to(replace(convert_from(canonical, 'UTF8'), '100.00', '900.00'), "
        "'UTF8') WHERE seq = 15");
    query("ALTER TABLE ledger.events ENABLE TRIGGER events_append_only");

    const auto reports = verify(reader_url, std::nullopt);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_FALSE(reports[0].ok);
    EXPECT_EQ(reports[0].bad_seq, 15);
    const auto cli =
        run(std::string(LIKVARD_BIN) + " verify --skip-projections --database-url " + shell_quote(reader_url));
    EXPECT_EQ(cli.exit_code, 1);
    EXPECT_EQ(cli.out, "region SE-Z: FAILED at seq 15: hash does not match SHA-256(prev_hash || canonical)\n");
    const auto python =
        run("python3 " + std::string(LIKVARD_SOURCE_DIR) + "/ops/verify-chain.py --url " + shell_quote(reader_url));
    EXPECT_EQ(python.exit_code, 1);
    EXPECT_EQ(python.out, cli.out);
}

TEST_F(AppendOnly, AlteredPostingsAreFoundEvenWhenTheChainHolds) {
    query("ALTER TABLE ledger.postings DISABLE TRIGGER postings_append_only");
    query("UPDATE ledger.postings SET amount = amount * 2 WHERE seq = 16");
    query("ALTER TABLE ledger.postings ENABLE TRIGGER postings_append_only");
    const auto reports = verify(reader_url, std::nullopt);
    EXPECT_FALSE(reports[0].ok);
    EXPECT_EQ(reports[0].bad_seq, 16);
    EXPECT_EQ(reports[0].problem, "postings.amount (line 1) is 40000, the canonical event says 20000");
}

TEST_F(AppendOnly, ADeletedEventIsASeqGap) {
    query("ALTER TABLE ledger.events DISABLE TRIGGER events_append_only");
    query("DELETE FROM ledger.events WHERE seq = 10");
    query("ALTER TABLE ledger.events ENABLE TRIGGER events_append_only");
    const auto cli =
        run(std::string(LIKVARD_BIN) + " verify --skip-projections --database-url " + shell_quote(reader_url));
    EXPECT_EQ(cli.out, "region SE-Z: FAILED at seq 11: seq gap (expected 10)\n");
    const auto python =
        run("python3 " + std::string(LIKVARD_SOURCE_DIR) + "/ops/verify-chain.py --url " + shell_quote(reader_url));
    EXPECT_EQ(python.out, cli.out);
}

TEST_F(AppendOnly, VerifyAsOfStopsAtThatSeq) {
    const auto reports = verify(reader_url, std::nullopt, 15);
    EXPECT_TRUE(reports[0].ok);
    EXPECT_EQ(reports[0].head_seq, 15);
    EXPECT_EQ(hash_hex(reports[0].head_hash),
              query("SELECT encode(hash, 'hex') FROM ledger.events WHERE seq = 15")[0][0].as<std::string>());
}
