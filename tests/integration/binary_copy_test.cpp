// Binary COPY, which the append path writes events, postings and rejections with: every
// value PostgreSQL stores is the one encoded, read back here through the text forms.
#include "database.hpp"
#include "store/sql.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

const std::vector<std::string> columns{"t", "b", "i", "u", "d", "raw"};

class BinaryCopyTest : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        // A table of the test's own, which the owner creates and copies into.
        query("CREATE TABLE probe (t text, b bigint, i integer, u uuid UNIQUE, d date, raw bytea)");
    }
};

std::string every_byte() {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
    return bytes;
}

}  // namespace

TEST_F(BinaryCopyTest, EveryValueIsStoredAsEncoded) {
    pqxx::connection connection(owner_url);
    pqxx::work tx(connection);
    sql::BinaryRows rows;
    rows.row(6).text("tab\there, newline\nhere, backslash \\ and ö").int64(INT64_MIN).int32(INT32_MIN);
    rows.uuid("0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9").date("2000-01-01").bytea(every_byte());
    rows.row(6).concatenated({"party", ":", "expense", ":", "shared_cost.tv"}).int64(INT64_MAX).int32(INT32_MAX);
    rows.uuid("00000000-0000-0000-0000-000000000001").date("1999-12-31").null();
    rows.row(6).null().int64(0).int32(-1).null().date("2024-02-29").bytea(std::string());
    rows.row(6).text("").int64(-187451240).int32(7).uuid("ffffffff-ffff-ffff-ffff-ffffffffffff").date("1970-01-01");
    rows.optional_text(std::nullopt);
    EXPECT_EQ(rows.rows(), 4u);
    sql::BinaryCopy copy(tx, "probe", columns);
    copy.send(rows);
    EXPECT_EQ(rows.rows(), 0u);
    copy.complete();
    tx.commit();

    const pqxx::result stored = query(
        "SELECT t, b::text, i::text, u::text, d::text, encode(raw, 'hex'), t IS NULL, raw IS NULL FROM probe ORDER BY probe.b");
    ASSERT_EQ(stored.size(), 4u);
    EXPECT_EQ(stored[0][0].as<std::string>(), "tab\there, newline\nhere, backslash \\ and ö");
    EXPECT_EQ(stored[0][1].as<std::string>(), "-9223372036854775808");
    EXPECT_EQ(stored[0][2].as<std::string>(), "-2147483648");
    EXPECT_EQ(stored[0][3].as<std::string>(), "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
    EXPECT_EQ(stored[0][4].as<std::string>(), "2000-01-01");
    std::string hex;
    for (int i = 0; i < 256; ++i) {
        static constexpr char digits[] = "0123456789abcdef";
        hex += digits[i >> 4];
        hex += digits[i & 15];
    }
    EXPECT_EQ(stored[0][5].as<std::string>(), hex);

    EXPECT_EQ(stored[1][0].as<std::string>(), "");
    EXPECT_EQ(stored[1][1].as<std::string>(), "-187451240");
    EXPECT_EQ(stored[1][3].as<std::string>(), "ffffffff-ffff-ffff-ffff-ffffffffffff");
    EXPECT_EQ(stored[1][4].as<std::string>(), "1970-01-01");
    EXPECT_TRUE(stored[1][7].as<bool>());

    EXPECT_TRUE(stored[2][6].as<bool>());  // NULL text
    EXPECT_TRUE(stored[2][3].is_null());
    EXPECT_EQ(stored[2][2].as<std::string>(), "-1");
    EXPECT_EQ(stored[2][4].as<std::string>(), "2024-02-29");
    EXPECT_FALSE(stored[2][7].as<bool>());  // an empty bytea is not NULL
    EXPECT_EQ(stored[2][5].as<std::string>(), "");

    EXPECT_EQ(stored[3][0].as<std::string>(), "party:expense:shared_cost.tv");
    EXPECT_EQ(stored[3][1].as<std::string>(), "9223372036854775807");
    EXPECT_EQ(stored[3][2].as<std::string>(), "2147483647");
    EXPECT_EQ(stored[3][4].as<std::string>(), "1999-12-31");
    EXPECT_TRUE(stored[3][7].as<bool>());
}

TEST_F(BinaryCopyTest, RowsSentInPiecesMakeOneCopy) {
    pqxx::connection connection(owner_url);
    pqxx::work tx(connection);
    sql::BinaryCopy copy(tx, "probe", columns);
    sql::BinaryRows rows;
    for (int i = 0; i < 1000; ++i) {
        rows.row(6).text("row " + std::to_string(i)).int64(i).int32(i).null().date("2022-06-30").bytea("x");
        if (i % 7 == 0) copy.send(rows);
    }
    copy.send(rows);
    copy.complete();
    tx.commit();
    EXPECT_EQ(count("SELECT count(*) FROM probe"), 1000);
    EXPECT_EQ(count("SELECT sum(b) FROM probe"), 999 * 1000 / 2);
    EXPECT_EQ(count("SELECT count(*) FROM probe WHERE d = '2022-06-30' AND t = 'row ' || b"), 1000);
}

TEST_F(BinaryCopyTest, ValuesThatAreNotWhatTheColumnHoldsAreRefusedBeforeSending) {
    sql::BinaryRows rows;
    EXPECT_THROW(rows.uuid("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f"), std::invalid_argument);   // one digit short
    EXPECT_THROW(rows.uuid("0a1b2c3d_4e5f-6071-8293-a4b5c6d7e8f9"), std::invalid_argument);  // not a hyphen
    EXPECT_THROW(rows.uuid("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8g9"), std::invalid_argument);  // not hex
    EXPECT_THROW(rows.date("2023-02-29"), std::invalid_argument);                            // not a leap year
    EXPECT_THROW(rows.date("2023-13-01"), std::invalid_argument);
    EXPECT_THROW(rows.date("0000-06-15"), std::invalid_argument);  // no year 0
    EXPECT_THROW(rows.date("2023-1-01"), std::invalid_argument);
    EXPECT_THROW(rows.date("2023-01-0x"), std::invalid_argument);
    EXPECT_EQ(rows.bytes().size(), 0u);  // nothing half-written
}

TEST_F(BinaryCopyTest, AKnownKeyThrowsUniqueViolationAndTheConnectionRecovers) {
    query("INSERT INTO probe (u) VALUES ('00000000-0000-0000-0000-000000000001')");
    pqxx::connection connection(owner_url);
    {
        pqxx::work tx(connection);
        sql::BinaryCopy copy(tx, "probe", columns);
        sql::BinaryRows rows;
        rows.row(6).text("again").int64(1).int32(1).uuid("00000000-0000-0000-0000-000000000001").null().null();
        copy.send(rows);
        EXPECT_THROW(copy.complete(), pqxx::unique_violation);
    }  // rolled back
    pqxx::work tx(connection);
    EXPECT_EQ(tx.exec("SELECT count(*) FROM probe")[0][0].as<int>(), 1);
}

TEST_F(BinaryCopyTest, ARowOfTheWrongShapeIsTheServersErrorNotAStoredRow) {
    pqxx::connection connection(owner_url);
    {
        pqxx::work tx(connection);
        sql::BinaryCopy copy(tx, "probe", columns);
        sql::BinaryRows rows;
        rows.row(6).text("x").int32(1).int32(1).null().null().null();  // int32 where bigint belongs
        copy.send(rows);
        EXPECT_THROW(copy.complete(), pqxx::sql_error);
    }
    EXPECT_EQ(count("SELECT count(*) FROM probe"), 0);
}

TEST_F(BinaryCopyTest, AnAbandonedCopyLeavesTheConnectionUsable) {
    pqxx::connection connection(owner_url);
    try {
        pqxx::work tx(connection);
        sql::BinaryCopy copy(tx, "probe", columns);
        sql::BinaryRows rows;
        rows.row(6).text("never stored").int64(1).int32(1).null().null().null();
        copy.send(rows);
        throw std::runtime_error("the writer gave up");
    } catch (const std::runtime_error&) {}
    pqxx::work tx(connection);
    EXPECT_EQ(tx.exec("SELECT count(*) FROM probe")[0][0].as<int>(), 0);
}
