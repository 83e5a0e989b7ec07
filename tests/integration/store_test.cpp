// The append path against real PostgreSQL: each case with the exact rows that result.
#include "database.hpp"
#include "event_builder.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

std::vector<Incoming> incoming(const std::vector<std::string>& lines, const std::string& file = "test.ndjson") {
    std::vector<Incoming> batch;
    for (std::size_t i = 0; i < lines.size(); ++i)
        batch.push_back({lines[i], Source{Source::Kind::file, file, static_cast<std::int64_t>(i + 1)}});
    return batch;
}

class StoreTest : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
        const AppendResult cast_result = store->append(incoming(cast()));
        ASSERT_EQ(cast_result.appended, cast().size());
    }
    AppendResult append(const std::vector<std::string>& lines) { return store->append(incoming(lines)); }
    std::unique_ptr<Store> store;
};

}  // namespace

TEST_F(StoreTest, AppendWritesTheEventItsPostingsAndTheChain) {
    const AppendResult result = append({payment(1, "hc-medinord", "1874512.40")});
    ASSERT_EQ(result.appended, 1u);
    EXPECT_EQ(result.items[0].seq, 15);
    const pqxx::result event = query(
        "SELECT seq, event_id::text, type, scheme, period, occurred_on::text, source_system, source_reference, "
        "encode(prev_hash, 'hex'), encode(hash, 'hex'), convert_from(canonical, 'UTF8') FROM ledger.events "
        "WHERE region = 'SE-Z' AND seq = 15");
    ASSERT_EQ(event.size(), 1u);
    EXPECT_EQ(event[0][1].as<std::string>(), uuid(1));
    EXPECT_EQ(event[0][2].as<std::string>(), "payment.made");
    EXPECT_EQ(event[0][4].as<std::string>(), "2023-05");
    EXPECT_EQ(event[0][5].as<std::string>(), "2023-05-25");
    EXPECT_EQ(event[0][7].as<std::string>(), "VER-1");
    // hash = SHA-256(prev_hash || canonical), prev_hash = the hash of seq 14.
    const std::string prev =
        query("SELECT encode(hash, 'hex') FROM ledger.events WHERE seq = 14")[0][0].as<std::string>();
    EXPECT_EQ(event[0][8].as<std::string>(), prev);
    const std::string recomputed =
        query("SELECT encode(sha256(prev_hash || canonical), 'hex') FROM ledger.events WHERE seq = 15")[0][0]
            .as<std::string>();
    EXPECT_EQ(event[0][9].as<std::string>(), recomputed);

    const pqxx::result postings = query(
        "SELECT line, account, party, account_class, item, amount FROM ledger.postings WHERE seq = 15 ORDER BY line");
    ASSERT_EQ(postings.size(), 2u);
    EXPECT_EQ(postings[0][1].as<std::string>(), "halsoval-bestallare:expense:compensation.capitation");
    EXPECT_EQ(postings[0][5].as<std::int64_t>(), 187451240);
    EXPECT_EQ(postings[1][1].as<std::string>(), "hc-medinord:income:compensation.capitation");
    EXPECT_EQ(postings[1][2].as<std::string>(), "hc-medinord");
    EXPECT_EQ(postings[1][3].as<std::string>(), "income");
    EXPECT_EQ(postings[1][5].as<std::int64_t>(), -187451240);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
}

TEST_F(StoreTest, TheFirstEventChainsFromThirtyTwoZeroBytes) {
    EXPECT_EQ(query("SELECT encode(prev_hash, 'hex') FROM ledger.events WHERE seq = 1")[0][0].as<std::string>(),
              std::string(64, '0'));
}

TEST_F(StoreTest, RedeliveryIsACountedNoOp) {
    append({payment(1, "hc-medinord")});
    const AppendResult again = append({payment(1, "hc-medinord"), payment(1, "hc-medinord")});
    EXPECT_EQ(again.appended, 0u);
    EXPECT_EQ(again.duplicates, 2u);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 15);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
}

TEST_F(StoreTest, ARedeliveredRegistrationIsADuplicateNotAConflict) {
    // Alone, and in a new store (another process): the rules would refuse a second
    // registration of the party before the unique index saw the known id.
    const std::vector<std::string> first_party{cast().front()};
    EXPECT_EQ(append(first_party).duplicates, 1u);
    Store fresh(url);
    const AppendResult again = fresh.append(incoming({cast()[1], cast()[0], payment(2, "hc-medinord")}));
    EXPECT_EQ(again.duplicates, 2u);
    EXPECT_EQ(again.appended, 1u);
    EXPECT_EQ(again.rejected, 0u);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
}

TEST_F(StoreTest, SameIdOtherContentIsADuplicateConflictKeptWithItsBytes) {
    append({payment(1, "hc-medinord", "100.00")});
    const std::string conflicting = payment(1, "hc-medinord", "100.01");
    const AppendResult result = store->append({{conflicting, Source{Source::Kind::file, "late.ndjson", 7}}});
    EXPECT_EQ(result.rejected, 1u);
    const pqxx::result row = query(
        "SELECT region, event_id, reason, message, convert_from(raw, 'UTF8'), source_kind, source_file, source_line "
        "FROM ledger.rejections");
    ASSERT_EQ(row.size(), 1u);
    EXPECT_EQ(row[0][0].as<std::string>(), "SE-Z");
    EXPECT_EQ(row[0][1].as<std::string>(), uuid(1));
    EXPECT_EQ(row[0][2].as<std::string>(), "duplicate_conflict");
    EXPECT_EQ(row[0][4].as<std::string>(), conflicting);
    EXPECT_EQ(row[0][5].as<std::string>(), "file");
    EXPECT_EQ(row[0][6].as<std::string>(), "late.ndjson");
    EXPECT_EQ(row[0][7].as<std::int64_t>(), 7);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 15);
}

TEST_F(StoreTest, ReversalAcrossBatchesNegatesInItsOwnPeriodAndOnlyOnce) {
    append({payment(1, "hc-lugnvik", "250.00", "2023-05")});
    const AppendResult reversed = append({reversal(2, 1, "2023-06")});
    ASSERT_EQ(reversed.appended, 1u);
    const pqxx::result postings =
        query("SELECT account, amount, period FROM ledger.postings WHERE seq = 16 ORDER BY line");
    ASSERT_EQ(postings.size(), 2u);
    EXPECT_EQ(postings[0][0].as<std::string>(), "halsoval-bestallare:expense:compensation.capitation");
    EXPECT_EQ(postings[0][1].as<std::int64_t>(), -25000);
    EXPECT_EQ(postings[1][1].as<std::int64_t>(), 25000);
    EXPECT_EQ(postings[1][2].as<std::string>(), "2023-06");
    EXPECT_EQ(query("SELECT reverses::text FROM ledger.events WHERE seq = 16")[0][0].as<std::string>(), uuid(1));

    const AppendResult twice = append({reversal(3, 1, "2023-06")});
    EXPECT_EQ(twice.rejected, 1u);
    EXPECT_EQ(query("SELECT reason FROM ledger.rejections")[0][0].as<std::string>(), "reversal_invalid");
    const AppendResult of_reversal = append({reversal(4, 2, "2023-06")});
    EXPECT_EQ(of_reversal.items[0].rejection->reason, Reason::reversal_invalid);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 16);
}

// A foot-care reversal of a primary-care payment would book negative capitation in foot care.
TEST_F(StoreTest, AReversalInAnotherSchemeThanItsEventIsRejected) {
    append({payment(1, "hc-lugnvik", "250.00", "2023-05")});
    auto other_scheme = envelope(2, "entry.reversed",
                                 boost::json::object{{"reverses", uuid(1)}, {"reason", "wrong scheme"}}, "2023-06");
    other_scheme["scheme"] = "foot_care";
    const AppendResult refused = append({line(other_scheme)});
    ASSERT_EQ(refused.rejected, 1u);
    EXPECT_EQ(refused.items[0].rejection->reason, Reason::reversal_invalid);
    EXPECT_NE(refused.items[0].rejection->message.find("/data/reverses"), std::string::npos);
    EXPECT_NE(refused.items[0].rejection->message.find("primary_care"), std::string::npos);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.postings WHERE scheme = 'foot_care'"), 0);
    // in its own scheme the same reversal is booked
    EXPECT_EQ(append({reversal(3, 1, "2023-06")}).appended, 1u);
}

TEST_F(StoreTest, ClosedPeriodsHoldAcrossBatchesAndAreRecorded) {
    append({line(envelope(1, "period.closed", boost::json::object{}, "2023-04"))});
    EXPECT_EQ(query("SELECT period, closed_by_seq FROM ledger.periods")[0][0].as<std::string>(), "2023-04");
    const AppendResult late = append({payment(2, "hc-lugnvik", "1.00", "2023-04")});
    EXPECT_EQ(late.items[0].rejection->reason, Reason::period_closed);
    EXPECT_EQ(append({payment(3, "hc-lugnvik", "1.00", "2023-05")}).appended, 1u);
}

TEST_F(StoreTest, UnknownPartyAndWrongSideAreRejectedWithTheField) {
    const AppendResult result =
        append({payment(1, "hc-nowhere"), payment(2, "hc-medinord", "1.00", "2023-05", "hc-lugnvik")});
    EXPECT_EQ(result.rejected, 2u);
    const pqxx::result rows = query("SELECT reason, message FROM ledger.rejections ORDER BY id");
    EXPECT_EQ(rows[0][0].as<std::string>(), "unknown_party");
    EXPECT_EQ(rows[0][1].as<std::string>(), "/data/provider_id: party \"hc-nowhere\" is not registered in SE-Z");
    EXPECT_EQ(rows[1][0].as<std::string>(), "wrong_side");
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 14);
}

TEST_F(StoreTest, PartiesRegisteredByAnotherWriterAreSeen) {
    // A second store (another process in production) registers a party; ours must see it.
    Store other(url);
    other.append(incoming({party(50, "hc-nyoppnad", "provider", "private", "health_centre")}));
    EXPECT_EQ(append({payment(51, "hc-nyoppnad")}).appended, 1u);
}

TEST_F(StoreTest, UndecodableBytesAreKeptWithoutARegion) {
    const AppendResult result =
        store->append({{"not json\xff", Source{Source::Kind::kafka, "likvard.events", 0, 3, 42}}});
    EXPECT_EQ(result.rejected, 1u);
    const pqxx::result row = query(
        "SELECT region IS NULL, reason, encode(raw, 'hex'), kafka_topic, kafka_partition, kafka_offset FROM ledger.rejections");
    EXPECT_TRUE(row[0][0].as<bool>());
    EXPECT_EQ(row[0][1].as<std::string>(), "malformed_json");
    EXPECT_EQ(row[0][2].as<std::string>(), "6e6f74206a736f6eff");
    EXPECT_EQ(row[0][3].as<std::string>(), "likvard.events");
    EXPECT_EQ(row[0][4].as<int>(), 3);
    EXPECT_EQ(row[0][5].as<std::int64_t>(), 42);
}

// A source file name that is not UTF-8 is named in storable text; its line is kept byte for
// byte (the inputs PostgreSQL text cannot hold are tests/data/regressions/
// unstorable_text_failed_the_batch_copy.ndjson).
TEST_F(StoreTest, ASourceFileNameThatIsNotUtf8IsStoredEscaped) {
    const std::string bytes = R"({"event_id":"x","type":5})";
    const AppendResult result = store->append(incoming({bytes}, "bad\xff-name.ndjson"));
    EXPECT_EQ(result.rejected, 1u);
    const pqxx::result rows = query("SELECT raw, source_file FROM ledger.rejections");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(pqxx::binarystring(rows[0][0]).str(), bytes);
    EXPECT_EQ(rows[0][1].as<std::string>(), "bad\\xff-name.ndjson");
}

TEST_F(StoreTest, KafkaCoordinatesAndOffsetsAreWrittenInTheSameTransaction) {
    const AppendResult result =
        store->append({{payment(1, "hc-lugnvik"), Source{Source::Kind::kafka, "likvard.events", 0, 2, 99}}},
                      {{"likvard-ingest", "likvard.events", 2, 100}});
    ASSERT_EQ(result.appended, 1u);
    const pqxx::result event =
        query("SELECT kafka_topic, kafka_partition, kafka_offset FROM ledger.events WHERE seq = 15");
    EXPECT_EQ(event[0][0].as<std::string>(), "likvard.events");
    EXPECT_EQ(event[0][1].as<int>(), 2);
    EXPECT_EQ(event[0][2].as<std::int64_t>(), 99);
    const auto offsets = store->consumer_offsets("likvard-ingest");
    EXPECT_EQ(offsets.at({"likvard.events", 2}), 100);
}

TEST_F(StoreTest, HeadAsOfASequenceNumber) {
    append({payment(1, "hc-lugnvik"), payment(2, "hc-lugnvik")});
    EXPECT_EQ(store->head("SE-Z").seq, 16);
    EXPECT_EQ(store->head("SE-Z", 15).seq, 15);
    EXPECT_EQ(hash_hex(store->head("SE-Z", 15).hash),
              query("SELECT encode(hash, 'hex') FROM ledger.events WHERE seq = 15")[0][0].as<std::string>());
    EXPECT_EQ(store->head("SE-AC").seq, 0);
}

TEST_F(StoreTest, MigrateIsIdempotentAndRefusesAChangedMigration) {
    const MigrationReport again = migrate(owner_url);
    EXPECT_TRUE(again.applied.empty());
    EXPECT_EQ(again.already.size(), embedded_migrations().size());
    query("UPDATE ledger.schema_migrations SET checksum = 'edited' WHERE name = '001_ledger.sql'");
    EXPECT_THROW(migrate(owner_url), std::runtime_error);
}
