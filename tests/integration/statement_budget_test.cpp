// Budget against outcome through the one way to a statement, from the ledger and from the
// projections: the last budget per key as of the statement's position, the same bytes from
// both sources, and a statement without budgets that has no trace of them.
#include "database.hpp"
#include "projections/projections.hpp"
#include "scenario_events.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

std::string side_budget(int id, const std::string& side, const std::string& line_name, const std::string& amount,
                        const std::string& period) {
    return event(id, "budget.set", {{"side", side}, {"line", line_name}, {"amount", amount}}, period);
}

std::vector<std::string> parties_and_payments() {
    return {
        party(1, "bestallare", "organisation", "purchaser"),
        party(2, "egen-regi", "organisation", "region_run"),
        party(3, "hc-a", "provider", "region_run", "health_centre"),
        party(4, "hc-x", "provider", "private", "health_centre"),
        listing(10, "hc-a", 1000, "1000", "2023-01"),
        listing(11, "hc-x", 800, "900", "2023-01"),
        pay(20, "hc-a", "capitation", "100000.00", "2023-01"),
        pay(21, "hc-x", "capitation", "90000.00", "2023-01"),
        event(22, "commitment.cost_incurred",
              {{"commitment", "on_call_coordination"}, {"borne_by", "egen-regi"}, {"amount", "4500.00"}}, "2023-01"),
    };
}

// Budgets of 2023-01: the region-run capitation set, then revised; private capitation; a commitment.
std::vector<std::string> budgets() {
    return {
        side_budget(30, "region_run", "capitation", "95000.00", "2023-01"),
        side_budget(31, "private", "capitation", "90000.00", "2023-01"),
        side_budget(32, "region_run", "commitment:on_call_coordination", "5000.00", "2023-01"),
        side_budget(33, "region_run", "capitation", "80000.00", "2023-01"),  // revised: the last wins
        event(34, "budget.set", {{"party_id", "hc-x"}, {"line", "capitation"}, {"amount", "90000.00"}}, "2023-01"),
    };
}

class StatementBudgets : public DatabaseTest, public ::testing::WithParamInterface<StatementSource> {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
        if (GetParam() == StatementSource::projections) Projections(projector_url).ensure();
    }
    void append(const std::vector<std::string>& lines) {
        ASSERT_EQ(append_lines(lines), lines.size());
        if (GetParam() == StatementSource::projections) Projections(projector_url).catch_up(4);
    }
    Document statement(const std::string& which, std::optional<std::int64_t> as_of = std::nullopt) {
        StatementQuery query{which, "SE-Z", "primary_care", "2023-01", "2023-01", as_of, GetParam()};
        if (as_of) query.source = StatementSource::ledger;
        return make_statement(*store, query, "test").document;
    }
    std::unique_ptr<Store> store;
};

const Table* budget_table(const Document& d) {
    for (const auto& table : d.tables)
        if (table.name == "budget") return &table;
    return nullptr;
}

using Cells = std::vector<std::optional<std::string>>;

TEST_P(StatementBudgets, TheLastBudgetPerKeyAgainstTheOutcome) {
    append(parties_and_payments());
    append(budgets());
    const Document neutrality = statement("neutrality");
    const Table* table = budget_table(neutrality);
    ASSERT_NE(table, nullptr);
    // region-run: 100000 paid against the revised 80000; private: 90000 against 90000 (side) + 90000 (hc-x).
    const std::vector<Cells> expected{
        {"capitation", "subtotal", "", "region_run", "80000.00", "100000.00", "20000.00", "25.00"},
        {"capitation", "party", "hc-x", "private", "90000.00", "90000.00", "0.00", "0.00"},
        {"capitation", "subtotal", "", "private", "180000.00", "90000.00", "-90000.00", "-50.00"},
        {"capitation", "total", "", "", "260000.00", "190000.00", "-70000.00", "-26.92"},
    };
    EXPECT_EQ(table->rows, expected);
    const auto counted = std::find(neutrality.provenance.begin(), neutrality.provenance.end(),
                                   std::pair<std::string, std::string>{"budgets_counted", "3"});
    EXPECT_NE(counted, neutrality.provenance.end());
    const Document commitment_statement = statement("commitments");
    const Table* commitments = budget_table(commitment_statement);
    ASSERT_NE(commitments, nullptr);
    EXPECT_EQ(commitments->rows.at(0),
              (Cells{"commitment:on_call_coordination", "5000.00", "4500.00", "-500.00", "-10.00"}));
}

TEST_P(StatementBudgets, BudgetsAreCountedApartAndChangeNoOtherFigure) {
    append(parties_and_payments());
    const Document without = statement("neutrality");
    EXPECT_EQ(budget_table(without), nullptr);
    for (const auto& [key, value] : without.provenance) EXPECT_NE(key, "budgets_counted");
    append(budgets());
    const Document with = statement("neutrality");
    for (std::size_t i = 0; i < without.tables.size(); ++i) EXPECT_EQ(with.tables[i].rows, without.tables[i].rows);
    EXPECT_EQ(with.summary, without.summary);
    EXPECT_EQ(with.provenance.at(7), without.provenance.at(7));  // events_counted: the budgets are not among them
    EXPECT_EQ(with.provenance.at(7).first, "events_counted");
}

class StatementBudgetSources : public DatabaseTest {};

TEST_F(StatementBudgetSources, TheLedgerAndTheProjectionsGiveTheSameBytes) {
    Store store(url);
    Projections(projector_url).ensure();
    auto lines = parties_and_payments();
    for (auto& budget : budgets()) lines.push_back(std::move(budget));
    ASSERT_EQ(append_lines(lines), lines.size());
    Projections(projector_url).catch_up(4);
    for (const std::string which : {"neutrality", "commitments"}) {
        StatementQuery query{which,     "SE-Z",       "primary_care",         "2023-01",
                             "2023-01", std::nullopt, StatementSource::ledger};
        const std::string from_ledger = render_json(make_statement(store, query, "test").document);
        query.source = StatementSource::projections;
        const StatementResult projected = make_statement(store, query, "test");
        EXPECT_EQ(projected.source_used, StatementSource::projections);
        EXPECT_EQ(render_json(projected.document), from_ledger) << which;
        EXPECT_NE(from_ledger.find("\"budget\":["), std::string::npos) << which;
    }
}

INSTANTIATE_TEST_SUITE_P(FromLedgerAndProjections, StatementBudgets,
                         ::testing::Values(StatementSource::ledger, StatementSource::projections),
                         [](const auto& info) {
                             return std::string(info.param == StatementSource::ledger ? "Ledger" : "Projections");
                         });

TEST_P(StatementBudgets, AsOfBeforeTheRevisionShowsTheBudgetThen) {
    if (GetParam() == StatementSource::projections) GTEST_SKIP() << "as-of is read from the ledger";
    append(parties_and_payments());
    append(budgets());
    const std::int64_t head = store->head("SE-Z").seq;
    const Document before = statement("neutrality", head - 2);  // before the revision and hc-x's budget
    const Table* table = budget_table(before);
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->rows.at(0),
              (Cells{"capitation", "subtotal", "", "region_run", "95000.00", "100000.00", "5000.00", "5.26"}));
}

}  // namespace
