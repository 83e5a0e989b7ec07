// Which postings and listings make one figure of a statement, from the same table of
// accounts the statements sum (columns.cpp), and the figure computed again from them.
#include "statements/explain.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "statements/detail/columns.hpp"

namespace likvard {
namespace {

using namespace statement;

// The neutrality statement's money columns, in the order of statement::Column.
const std::vector<std::string> money_columns{"capitation",           "variable",
                                             "supplementary",        "other_compensation",
                                             "deficit_compensation", "overhead_compensation",
                                             "internal_charges",     "shared_costs_paid",
                                             "benefit_in_kind",      "commitment_costs",
                                             "appropriations",       "services_sold",
                                             "services_bought"};

using Row = std::vector<std::optional<std::string>>;

const Table* table_named(const Document& document, const std::string& name) {
    for (const auto& table : document.tables)
        if (table.name == name) return &table;
    return nullptr;
}

std::optional<std::size_t> column_index(const Table& table, const std::string& column) {
    const auto found = std::find(table.columns.begin(), table.columns.end(), column);
    if (found == table.columns.end()) return std::nullopt;
    return static_cast<std::size_t>(found - table.columns.begin());
}

const Row* row_where(const Table& table, const std::function<bool(const Row&)>& is_it) {
    for (const auto& row : table.rows)
        if (is_it(row)) return &row;
    return nullptr;
}

std::string listed_columns(const Table& table, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < table.columns.size(); ++i) out += (out.empty() ? "" : ", ") + table.columns[i];
    return out;
}

FigureProblem not_a_figure(const Table& table, const std::string& column, std::size_t first_figure) {
    return {"column", "'" + column + "' is not a figure of table " + table.name + " (" +
                          listed_columns(table, first_figure) + ")"};
}

// ---- neutrality: rows PARTY, subtotal:SIDE, total ----

struct NeutralityRow {
    std::vector<std::string> parties;  // sorted
    const Row* cells = nullptr;
};

std::vector<std::string> parties_of_sides(const LedgerSlice& slice, std::initializer_list<Side> sides) {
    std::vector<std::string> out;
    for (const auto& [id, party] : slice.parties)
        if (party.kind != Kind::vendor && std::find(sides.begin(), sides.end(), party.side) != sides.end())
            out.push_back(id);
    return out;
}

std::variant<NeutralityRow, FigureProblem> neutrality_row(const LedgerSlice& slice, const Table& table,
                                                          const std::string& row) {
    NeutralityRow out;
    if (row == "total") {
        out.parties = parties_of_sides(slice, {Side::region_run, Side::private_provider});
        out.cells = row_where(table, [](const Row& r) { return r[0] == "total"; });
    } else if (row.rfind("subtotal:", 0) == 0) {
        const auto side = side_from_name(row.substr(9));
        if (side && is_competitor(*side)) {
            out.parties = parties_of_sides(slice, {*side});
            out.cells = row_where(table, [&](const Row& r) { return r[0] == "subtotal" && r[3] == row.substr(9); });
        }
    } else {
        out.cells = row_where(table, [&](const Row& r) { return r[0] == "party" && r[1] == row; });
        out.parties = {row};
    }
    if (out.cells != nullptr) return out;
    return FigureProblem{"row", "'" + row +
                                    "' is not a row of the neutrality statement (a provider's or "
                                    "organisation's party_id, subtotal:region_run, subtotal:private, total or "
                                    "decision:REF)"};
}

std::vector<FigureAccount> neutrality_accounts(const std::vector<std::string>& parties, std::optional<Column> only) {
    std::vector<FigureAccount> out;
    for (const auto& account : column_accounts()) {
        if (only && account.column != *only) continue;
        const int sign = only ? account.sign : account.sign * net_sign(account.column);
        out.push_back({std::string(account.account_class), std::string(account.item), account.prefix, sign, parties,
                       std::nullopt});
    }
    return out;
}

std::optional<FigureKind> neutrality_kind(const std::string& column) {
    if (column == "listed_avg") return FigureKind::listed_average;
    if (column == "weighted_listed_avg") return FigureKind::weighted_listed_average;
    if (column == "net_per_weighted_listed") return FigureKind::per_weighted_listed;
    if (column == "net_resources") return FigureKind::sum;
    if (std::find(money_columns.begin(), money_columns.end(), column) != money_columns.end()) return FigureKind::sum;
    return std::nullopt;
}

std::variant<FigureSelection, FigureProblem> select_neutrality(const LedgerSlice& slice, const Table& table,
                                                               const std::string& row, const std::string& column) {
    const auto index = column_index(table, column);
    const auto kind = neutrality_kind(column);
    if (!index || !kind) return not_a_figure(table, column, 5);
    auto found = neutrality_row(slice, table, row);
    if (const auto* problem = std::get_if<FigureProblem>(&found)) return *problem;
    const auto& selected = std::get<NeutralityRow>(found);
    FigureSelection out;
    out.statement = "neutrality", out.table = table.name, out.row = row, out.column = column;
    out.kind = *kind;
    out.figure = (*selected.cells)[*index];
    const auto money_column = std::find(money_columns.begin(), money_columns.end(), column);
    if (money_column != money_columns.end())
        out.accounts = neutrality_accounts(selected.parties, static_cast<Column>(money_column - money_columns.begin()));
    else if (*kind == FigureKind::sum || *kind == FigureKind::per_weighted_listed)
        out.accounts = neutrality_accounts(selected.parties, std::nullopt);
    if (*kind != FigureKind::sum) out.listing_parties = selected.parties;
    return out;
}

// ---- commitments: rows commitment:VALUE and total (commitments), service:NAME (services) ----

FigureAccount any_party(const std::string& account_class, const std::string& item, int sign) {
    return {account_class, item, false, sign, {}, std::nullopt};
}

// The cost and appropriation accounts of the commitments named (cost counted +1).
std::vector<FigureAccount> commitment_accounts(const std::vector<std::string>& values, bool cost, int appropriated) {
    std::vector<FigureAccount> out;
    for (const auto& value : values) {
        if (cost) out.push_back(any_party("expense", "commitment." + value, 1));
        if (appropriated != 0) out.push_back(any_party("income", "appropriation." + value, appropriated));
    }
    return out;
}

std::vector<std::string> commitment_values(const Table& table) {
    std::vector<std::string> out;
    for (const auto& row : table.rows)
        if (row[0] && *row[0] != "total") out.push_back(*row[0]);
    return out;
}

std::optional<FigureSelection> commitment_figure(const Table& table, const std::vector<std::string>& values,
                                                 const std::string& column) {
    FigureSelection out;
    if (column == "cost")
        out.accounts = commitment_accounts(values, true, 0);
    else if (column == "appropriated")
        out.accounts = commitment_accounts(values, false, -1);
    else if (column == "unfunded")
        out.accounts = commitment_accounts(values, true, 1);
    else if (column == "share_of_total_percent") {
        out.kind = FigureKind::share_of_total;
        out.accounts = commitment_accounts(values, true, 0);
        out.total_accounts = commitment_accounts(commitment_values(table), true, 0);
    } else if (column.rfind("cost_", 0) == 0 && column_index(table, column)) {
        out.accounts = commitment_accounts(values, true, 0);
        for (auto& account : out.accounts) account.month = column.substr(5);
    } else {
        return std::nullopt;
    }
    return out;
}

// fte and decision_refs: the commitment events of the commitments named (as commitments.cpp
// counts them: for fte those that carry one, for decision_refs those that cite a decision).
std::optional<FigureSelection> commitment_events_figure(const LedgerSlice& slice,
                                                        const std::vector<std::string>& values,
                                                        const std::string& column) {
    if (column != "fte" && column != "decision_refs") return std::nullopt;
    FigureSelection out;
    out.kind = column == "fte" ? FigureKind::fte_average : FigureKind::decision_refs;
    for (const auto& e : slice.commitment_events) {
        if (!e.commitment || std::find(values.begin(), values.end(), *e.commitment) == values.end()) continue;
        if (column == "fte" ? e.fte.has_value() : e.decision_ref.has_value()) out.event_seqs.push_back(e.seq);
    }
    return out;
}

std::variant<FigureSelection, FigureProblem> select_commitment(const LedgerSlice& slice, const Table& table,
                                                               const std::string& row, const std::string& column) {
    const std::string value = row == "total" ? row : row.substr(std::min(row.size(), std::size_t{11}));
    const bool named = (row.rfind("commitment:", 0) == 0 && value != "total") || row == "total";
    const Row* cells = named ? row_where(table, [&](const Row& r) { return r[0] == value; }) : nullptr;
    if (cells == nullptr)
        return FigureProblem{"row", "'" + row +
                                        "' is not a row of the commitments statement (commitment:VALUE, "
                                        "total, service:NAME or decision:REF)"};
    if (row == "total" && column == "fte")
        return FigureProblem{"column", "'fte' of the total row is blank: the statement adds no fte over commitments"};
    const auto values = row == "total" ? commitment_values(table) : std::vector<std::string>{value};
    auto out = column == "fte" || column == "decision_refs" ? commitment_events_figure(slice, values, column)
                                                            : commitment_figure(table, values, column);
    if (!out) return not_a_figure(table, column, 1);
    out->statement = "commitments", out->table = table.name, out->row = row, out->column = column;
    out->figure = (*cells)[*column_index(table, column)];
    return *out;
}

std::optional<std::vector<FigureAccount>> service_accounts(const LedgerSlice& slice, const std::string& service,
                                                           const std::string& column) {
    std::vector<std::string> rr_all;  // the services table counts every party of the side, vendors too
    for (const auto& [id, party] : slice.parties)
        if (party.side == Side::region_run) rr_all.push_back(id);
    std::vector<std::string> private_all;
    for (const auto& [id, party] : slice.parties)
        if (party.side == Side::private_provider) private_all.push_back(id);
    const FigureAccount paid{"expense", "shared_cost." + service, false, 1, rr_all, std::nullopt};
    const FigureAccount benefit_rr{"benefit", "shared_cost." + service, false, -1, rr_all, std::nullopt};
    const FigureAccount benefit_private{"benefit", "shared_cost." + service, false, -1, private_all, std::nullopt};
    const FigureAccount appropriated = any_party("income", "appropriation.shared_cost." + service, -1);
    if (column == "paid_by_region_run") return std::vector{paid};
    if (column == "benefit_region_run") return std::vector{benefit_rr};
    if (column == "benefit_private") return std::vector{benefit_private};
    if (column == "appropriated") return std::vector{appropriated};
    if (column != "carried_for_others") return std::nullopt;
    FigureAccount given_up = benefit_rr, funded = appropriated;
    given_up.sign = 1, funded.sign = 1;  // paid − benefit_region_run − appropriated
    return std::vector{paid, given_up, funded};
}

std::variant<FigureSelection, FigureProblem> select_service(const LedgerSlice& slice, const Table& table,
                                                            const std::string& row, const std::string& column) {
    const std::string service = row.substr(8);
    const Row* cells = row_where(table, [&](const Row& r) { return r[0] == service; });
    if (cells == nullptr)
        return FigureProblem{"row", "'" + row + "' is not a row of the commitments statement: no service '" + service +
                                        "' paid by the region-run side in these months"};
    auto accounts = service_accounts(slice, service, column);
    if (!accounts) return not_a_figure(table, column, 1);
    FigureSelection out;
    out.statement = "commitments", out.table = table.name, out.row = row, out.column = column;
    out.accounts = std::move(*accounts);
    out.figure = (*cells)[*column_index(table, column)];
    return out;
}

// ---- either statement: decision:REF, column events ----

std::variant<FigureSelection, FigureProblem> select_decision(const Document& document, const std::string& row,
                                                             const std::string& column) {
    const std::string ref = row.substr(9);
    const auto& refs = document.decision_refs;
    if (std::find(refs.begin(), refs.end(), ref) == refs.end()) {
        std::string known;
        for (const auto& r : refs) known += (known.empty() ? "" : ", ") + r;
        return FigureProblem{"row", "'" + row + "' is not a decision reference of the statement's events (" +
                                        (known.empty() ? "none" : known) + ")"};
    }
    if (column != "events")
        return FigureProblem{"column", "'" + column + "' is not a figure of a decision row (events)"};
    FigureSelection out;
    out.statement = document.statement, out.table = "decision_refs", out.row = row, out.column = column;
    out.kind = FigureKind::decision_events;
    out.figure = ref;
    out.decision_ref = ref;
    return out;
}

}  // namespace

std::variant<FigureSelection, FigureProblem> select_figure(const LedgerSlice& slice, const Document& document,
                                                           const std::string& row, const std::string& column) {
    if (row.rfind("decision:", 0) == 0) return select_decision(document, row, column);
    if (document.statement == "neutrality")
        return select_neutrality(slice, *table_named(document, "rows"), row, column);
    if (row.rfind("service:", 0) == 0) return select_service(slice, *table_named(document, "services"), row, column);
    return select_commitment(slice, *table_named(document, "commitments"), row, column);
}

}  // namespace likvard
