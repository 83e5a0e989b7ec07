// budget.set on real PostgreSQL: appended through the one append path with no postings,
// verified, left out of the statements' event counts and the hledger export, and read back
// by `budgets` with the last budget per key winning, as of any seq.
#include <sstream>

#include "database.hpp"
#include "event_builder.hpp"
#include "store/reads.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

std::vector<Incoming> incoming(const std::vector<std::string>& lines) {
    std::vector<Incoming> batch;
    for (std::size_t i = 0; i < lines.size(); ++i)
        batch.push_back({lines[i], Source{Source::Kind::file, "budget.ndjson", static_cast<std::int64_t>(i + 1)}});
    return batch;
}

std::string budget(int id, const std::string& period, const std::string& who, const std::string& line_name,
                   const std::string& amount, const std::string& scheme = "primary_care") {
    boost::json::object data{{"line", line_name}, {"amount", amount}};
    if (who == "region_run" || who == "private")
        data["side"] = who;
    else
        data["party_id"] = who;
    auto event = envelope(id, "budget.set", data, period);
    event["scheme"] = scheme;
    return line(event);
}

class BudgetStore : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
        ASSERT_EQ(store->append(incoming(cast())).appended, cast().size());
    }
    AppendResult append(const std::vector<std::string>& lines) { return store->append(incoming(lines)); }
    std::unique_ptr<Store> store;
};

std::string key_of(const BudgetRow& row) {
    return row.period + " " + row.party_id.value_or("-") + " " + row.side.value_or("-") + " " + row.line + " " +
           row.amount.to_string();
}

std::vector<std::string> keys_of(const BudgetsAsOf& read) {
    std::vector<std::string> keys;
    for (const auto& row : read.budgets) keys.push_back(key_of(row));
    return keys;
}

}  // namespace

TEST_F(BudgetStore, ABudgetIsAppendedWithoutPostingsAndVerifies) {
    const AppendResult result = append({budget(1, "2023-05", "hc-lugnvik", "capitation", "1874512.40"),
                                        budget(2, "2023-05", "private", "commitment:other", "0")});
    ASSERT_EQ(result.appended, 2u) << (result.items[0].rejection ? result.items[0].rejection->to_string() : "");
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE type = 'budget.set'"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.postings p JOIN ledger.events e USING (region, seq) "
                    "WHERE e.type = 'budget.set'"),
              0);
    const auto reports = verify(reader_url, std::string("SE-Z"));
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_TRUE(reports[0].ok) << reports[0].problem;
    EXPECT_EQ(reports[0].head_seq, static_cast<std::int64_t>(cast().size()) + 2);
}

TEST_F(BudgetStore, ARejectedBudgetIsKeptWithItsReasonAndABudgetCannotBeReversed) {
    const AppendResult result = append({budget(1, "2023-05", "cambio", "capitation", "10.00"),
                                        budget(2, "2023-05", "hc-lugnvik", "capitation", "10.00"), reversal(3, 2)});
    EXPECT_EQ(result.appended, 1u);
    EXPECT_EQ(result.items[0].rejection->reason, Reason::wrong_side);
    EXPECT_EQ(result.items[2].rejection->reason, Reason::reversal_invalid);
    const pqxx::result kept = query("SELECT reason, source_line FROM ledger.rejections ORDER BY id");
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0][0].as<std::string>(), "wrong_side");
    EXPECT_EQ(kept[0][1].as<std::int64_t>(), 1);
    EXPECT_EQ(kept[1][0].as<std::string>(), "reversal_invalid");
}

TEST_F(BudgetStore, StatementsDoNotCountBudgetsAndTheJournalLeavesThemOut) {
    append({payment(1, "hc-lugnvik", "100.00"), budget(2, "2023-05", "hc-lugnvik", "capitation", "90.00")});
    Store reader(reader_url);
    const LedgerSlice with_budget = reader.read_slice("SE-Z", "primary_care", "2023-05", "2023-05");
    const LedgerSlice before_budget =
        reader.read_slice("SE-Z", "primary_care", "2023-05", "2023-05", with_budget.as_of_seq - 1);
    EXPECT_EQ(with_budget.events_counted, before_budget.events_counted);
    std::ostringstream journal;
    reader.export_hledger("SE-Z", std::nullopt, journal);
    EXPECT_NE(journal.str().find("payment.made"), std::string::npos);
    EXPECT_EQ(journal.str().find("budget.set"), std::string::npos) << journal.str();
}

TEST_F(BudgetStore, TheLastBudgetPerKeyWinsAsOfAnySeq) {
    append({budget(1, "2023-05", "hc-lugnvik", "capitation", "100.00"),
            budget(2, "2023-05", "region_run", "capitation", "500.00"),
            budget(3, "2023-05", "hc-lugnvik", "internal_charges", "20.00"),
            budget(4, "2023-06", "hc-lugnvik", "capitation", "110.00"),
            budget(5, "2023-05", "hc-lugnvik", "capitation", "100.00", "foot_care")});
    const std::int64_t before_revision = store->head("SE-Z").seq;
    append({budget(6, "2023-05", "hc-lugnvik", "capitation", "120.00"),
            budget(7, "2023-05", "region_run", "capitation", "0.00"),
            budget(8, "2023-07", "private", "capitation", "1.00")});
    Store reader(reader_url);

    const BudgetsAsOf now = budgets(reader, "SE-Z", "primary_care", "2023-05", "2023-06", store->head("SE-Z").seq);
    EXPECT_EQ(now.as_of_seq, before_revision + 3);
    EXPECT_EQ(keys_of(now), (std::vector<std::string>{
                                "2023-05 hc-lugnvik - capitation 120.00", "2023-05 hc-lugnvik - internal_charges 20.00",
                                "2023-05 - region_run capitation 0.00", "2023-06 hc-lugnvik - capitation 110.00"}));
    EXPECT_EQ(now.budgets[0].event_id, uuid(6));
    EXPECT_EQ(now.budgets[0].seq, before_revision + 1);

    const BudgetsAsOf then = budgets(reader, "SE-Z", "primary_care", "2023-05", "2023-05", before_revision);
    EXPECT_EQ(then.as_of_seq, before_revision);
    EXPECT_EQ(keys_of(then), (std::vector<std::string>{"2023-05 hc-lugnvik - capitation 100.00",
                                                       "2023-05 hc-lugnvik - internal_charges 20.00",
                                                       "2023-05 - region_run capitation 500.00"}));
    EXPECT_TRUE(budgets(reader, "SE-AC", "primary_care", "2023-01", "2023-12", 0).budgets.empty());
}
