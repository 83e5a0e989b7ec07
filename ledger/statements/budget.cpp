// C. Budget against outcome: the last budget per key, summed over the months, beside the
// statement's own figure of that line. Budgets carry no postings and change no other figure.
#include <array>

#include "statements/detail/budget.hpp"
#include "statements/detail/columns.hpp"

namespace likvard {
namespace {

using namespace statement;

constexpr std::string_view commitment_prefix = "commitment:";
constexpr __int128 percent_scale = 10'000;  // percent with two decimals, of a whole of 1

// The money columns in Column order, as budget.set names them in `line`.
constexpr std::array<std::string_view, column_count> column_names{"capitation",           "variable",
                                                                  "supplementary",        "other_compensation",
                                                                  "deficit_compensation", "overhead_compensation",
                                                                  "internal_charges",     "shared_costs_paid",
                                                                  "benefit_in_kind",      "commitment_costs",
                                                                  "appropriations",       "services_sold",
                                                                  "services_bought"};

std::optional<Column> column_named(std::string_view line) {
    for (std::size_t i = 0; i < column_names.size(); ++i)
        if (column_names[i] == line) return static_cast<Column>(i);
    return std::nullopt;
}

// budget, outcome, deviation = outcome − budget, deviation_percent of the budget (blank at 0).
std::vector<std::optional<std::string>> comparison(__int128 budget, __int128 outcome) {
    const __int128 deviation = outcome - budget;
    std::optional<std::string> percent;
    if (budget != 0) percent = format_scaled(divide_round_half_away(deviation * percent_scale, budget), 2);
    return {money(budget), money(outcome), money(deviation), percent};
}

// One money column's budgets: per party of a party budget, per side of all its budgets.
struct ColumnBudget {
    std::map<std::string, __int128> parties;
    std::map<Side, __int128> sides;
};

Side side_of(const LedgerSlice& slice, const SliceBudget& budget) {
    if (!budget.party_id) return budget.side.value_or(Side::external);
    const auto party = slice.parties.find(*budget.party_id);
    return party == slice.parties.end() ? Side::external : party->second.side;
}

std::map<Column, ColumnBudget> column_budgets(const LedgerSlice& slice, std::size_t& counted) {
    std::map<Column, ColumnBudget> out;
    for (const auto& budget : slice.budgets) {
        const auto column = column_named(budget.line);
        const Side side = side_of(slice, budget);
        if (!column || !is_competitor(side)) continue;
        ++counted;
        ColumnBudget& into = out[*column];
        if (budget.party_id) into.parties[*budget.party_id] += budget.amount.ore();
        into.sides[side] += budget.amount.ore();
    }
    return out;
}

// The outcome of a side: its parties' figures, as the subtotal of the rows table sums them.
__int128 side_outcome(const LedgerSlice& slice, const std::map<std::string, Amounts>& amounts, Side side,
                      Column column) {
    __int128 sum = 0;
    for (const auto& [id, party] : slice.parties) {
        if (party.side != side || party.kind == Kind::vendor) continue;
        if (const auto found = amounts.find(id); found != amounts.end()) sum += found->second[column];
    }
    return sum;
}

using Row = std::vector<std::optional<std::string>>;

Row budget_row(std::string_view line, const std::string& row, const std::string& party, const std::string& side,
               __int128 budget, __int128 outcome) {
    Row out{std::string(line), row, party, side};
    for (auto& cell : comparison(budget, outcome)) out.push_back(std::move(cell));
    return out;
}

void column_rows(Table& table, const LedgerSlice& slice, const std::map<std::string, Amounts>& amounts, Column column,
                 const ColumnBudget& budget) {
    const std::string_view line = column_names[column];
    __int128 total_budget = 0, total_outcome = 0;
    for (const Side side : {Side::region_run, Side::private_provider}) {
        const std::string side_text(side_name(side));
        for (const auto& [party, amount] : budget.parties) {
            if (slice.parties.at(party).side != side) continue;
            const auto found = amounts.find(party);
            const __int128 outcome = found == amounts.end() ? 0 : found->second[column];
            table.rows.push_back(budget_row(line, "party", party, side_text, amount, outcome));
        }
        const auto side_budget = budget.sides.find(side);
        if (side_budget == budget.sides.end()) continue;
        const __int128 outcome = side_outcome(slice, amounts, side, column);
        table.rows.push_back(budget_row(line, "subtotal", "", side_text, side_budget->second, outcome));
        total_budget += side_budget->second;
        total_outcome += outcome;
    }
    if (budget.sides.size() == 2) table.rows.push_back(budget_row(line, "total", "", "", total_budget, total_outcome));
}

}  // namespace

std::optional<BudgetPart> neutrality_budget(const LedgerSlice& slice) {
    std::size_t counted = 0;
    const auto budgets = column_budgets(slice, counted);
    if (budgets.empty()) return std::nullopt;
    Table table{
        "budget", {"line", "row", "party_id", "side", "budget", "outcome", "deviation", "deviation_percent"}, {}};
    const auto amounts = amounts_by_party(slice);
    for (const auto& [column, budget] : budgets) column_rows(table, slice, amounts, column, budget);
    return BudgetPart{std::move(table), counted};
}

std::optional<BudgetPart> commitment_budget(const LedgerSlice& slice) {
    std::map<std::string, __int128> budgets;  // by commitment value
    std::size_t counted = 0;
    for (const auto& budget : slice.budgets) {
        if (!budget.line.starts_with(commitment_prefix)) continue;
        budgets[budget.line.substr(commitment_prefix.size())] += budget.amount.ore();
        ++counted;
    }
    if (budgets.empty()) return std::nullopt;
    std::map<std::string, __int128> costs;
    for (const auto& p : slice.postings)
        if (p.account_class == "expense" && p.item.starts_with("commitment.") && budgets.contains(p.item.substr(11)))
            add_checked(costs[p.item.substr(11)], 1, p);
    Table table{"budget", {"line", "budget", "outcome", "deviation", "deviation_percent"}, {}};
    __int128 total_budget = 0, total_outcome = 0;
    const auto row = [&](const std::string& line, __int128 budget, __int128 outcome) {
        Row cells{line};
        for (auto& cell : comparison(budget, outcome)) cells.push_back(std::move(cell));
        table.rows.push_back(std::move(cells));
    };
    for (const auto& [value, budget] : budgets) {
        row(std::string(commitment_prefix) + value, budget, costs[value]);
        total_budget += budget;
        total_outcome += costs[value];
    }
    row("total", total_budget, total_outcome);
    return BudgetPart{std::move(table), counted};
}

void add_budget(Document& document, std::optional<BudgetPart> part) {
    if (!part) return;
    document.provenance.emplace_back("budgets_counted", std::to_string(part->budgets_counted));
    document.tables.push_back(std::move(part->table));
}

}  // namespace likvard
