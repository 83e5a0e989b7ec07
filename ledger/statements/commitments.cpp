// B. The special-commitment cost statement: what the region-run side carries for the
// region as principal (Part 1), the shared services it pays beyond its own benefit
// (Part 2), and the total unfunded per weighted listed citizen of the region-run side.
#include <set>

#include "statements/detail/allocation_keys.hpp"
#include "statements/detail/budget.hpp"
#include "statements/detail/columns.hpp"
#include "statements/detail/document.hpp"

namespace likvard {
namespace {

using namespace statement;

const std::vector<std::string> commitment_values{"on_call_coordination", "st_director_of_studies",
                                                 "bt_director_of_studies", "scheduling_payroll_billing_admin", "other"};

struct CommitmentLine {
    __int128 cost = 0;
    __int128 appropriated = 0;
    std::map<std::string, __int128> cost_by_month;
    std::map<std::string, __int128> fte_by_month;  // 1/10,000
    std::set<std::string> decision_refs;
};

std::map<std::string, CommitmentLine> commitment_lines(const LedgerSlice& slice) {
    std::map<std::string, CommitmentLine> lines;
    for (const auto& value : commitment_values) lines[value];
    for (const auto& p : slice.postings) {
        if (p.account_class == "expense" && p.item.rfind("commitment.", 0) == 0) {
            auto found = lines.find(p.item.substr(11));
            if (found == lines.end()) continue;
            add_checked(found->second.cost, 1, p);
            add_checked(found->second.cost_by_month[p.period], 1, p);
        } else if (p.account_class == "income" && p.item.rfind("appropriation.", 0) == 0) {
            auto found = lines.find(p.item.substr(14));
            if (found != lines.end()) add_checked(found->second.appropriated, -1, p);
        }
    }
    for (const auto& e : slice.commitment_events) {
        if (!e.commitment) continue;
        auto found = lines.find(*e.commitment);
        if (found == lines.end()) continue;
        if (e.decision_ref) found->second.decision_refs.insert(*e.decision_ref);
        if (e.fte) found->second.fte_by_month[e.period] += (e.reverses_commitment ? -1 : 1) * e.fte->scaled();
    }
    return lines;
}

// Σ of the fte given, averaged over the months that carry one (4 decimals).
std::optional<std::string> average_fte(const CommitmentLine& line) {
    if (line.fte_by_month.empty()) return std::nullopt;
    __int128 sum = 0;
    for (const auto& [month, fte] : line.fte_by_month) sum += fte;
    return format_scaled(divide_round_half_away(sum, static_cast<__int128>(line.fte_by_month.size())), 4);
}

std::string joined(const std::set<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

__int128 part_one(Document& d, const LedgerSlice& slice) {
    const auto months = months_between(slice.from, slice.to);
    Table table{"commitments",
                {"commitment", "cost", "fte", "appropriated", "unfunded", "share_of_total_percent", "decision_refs"},
                {}};
    for (const auto& month : months) table.columns.push_back("cost_" + month);
    const auto lines = commitment_lines(slice);
    CommitmentLine total;
    for (const auto& [value, line] : lines) {
        total.cost += line.cost;
        total.appropriated += line.appropriated;
        for (const auto& [month, cost] : line.cost_by_month) total.cost_by_month[month] += cost;
        total.decision_refs.insert(line.decision_refs.begin(), line.decision_refs.end());
    }
    auto row = [&](const std::string& name, const CommitmentLine& line, std::optional<std::string> fte) {
        std::vector<std::optional<std::string>> cells{
            name,
            money(line.cost),
            fte,
            money(line.appropriated),
            money(line.cost - line.appropriated),
            total.cost == 0
                ? std::nullopt
                : std::optional<std::string>(format_scaled(divide_round_half_away(line.cost * 10'000, total.cost), 2)),
            joined(line.decision_refs)};
        for (const auto& month : months) {
            const auto found = line.cost_by_month.find(month);
            cells.push_back(money(found == line.cost_by_month.end() ? 0 : found->second));
        }
        table.rows.push_back(std::move(cells));
    };
    for (const auto& value : commitment_values) row(value, lines.at(value), average_fte(lines.at(value)));
    row("total", total, std::nullopt);
    d.tables.push_back(std::move(table));
    return total.cost - total.appropriated;
}

struct ServiceLine {
    __int128 paid_region_run = 0, benefit_region_run = 0, benefit_private = 0, appropriated = 0;
};

__int128 part_two(Document& d, const LedgerSlice& slice) {
    std::map<std::string, ServiceLine> services;
    for (const auto& p : slice.postings) {
        const auto party = slice.parties.find(p.party);
        const Side side = party == slice.parties.end() ? Side::external : party->second.side;
        if (p.account_class == "expense" && p.item.rfind("shared_cost.", 0) == 0 && side == Side::region_run)
            add_checked(services[p.item.substr(12)].paid_region_run, 1, p);
        else if (p.account_class == "benefit" && p.item.rfind("shared_cost.", 0) == 0 && side == Side::region_run)
            add_checked(services[p.item.substr(12)].benefit_region_run, -1, p);
        else if (p.account_class == "benefit" && p.item.rfind("shared_cost.", 0) == 0 && side == Side::private_provider)
            add_checked(services[p.item.substr(12)].benefit_private, -1, p);
        else if (p.account_class == "income" && p.item.rfind("appropriation.shared_cost.", 0) == 0)
            add_checked(services[p.item.substr(26)].appropriated, -1, p);
    }
    Table table{"services",
                {"service", "paid_by_region_run", "benefit_region_run", "benefit_private", "appropriated",
                 "carried_for_others"},
                {}};
    __int128 carried_total = 0;
    for (const auto& [service, s] : services) {
        if (s.paid_region_run == 0) continue;  // only services the region-run side pays (in part)
        const __int128 carried = s.paid_region_run - s.benefit_region_run - s.appropriated;
        carried_total += carried;
        table.rows.push_back({service, money(s.paid_region_run), money(s.benefit_region_run), money(s.benefit_private),
                              money(s.appropriated), money(carried)});
    }
    d.tables.push_back(std::move(table));
    return carried_total;
}

__int128 region_run_weighted_sum(const LedgerSlice& slice) {
    __int128 weighted = 0;
    const ListingSums listed = listing_sums(slice);
    for (const auto& [id, party] : slice.parties)
        if (party.side == Side::region_run) weighted += listed.of(id).second;
    return weighted;
}

}  // namespace

Document commitment_statement(const LedgerSlice& slice, const std::string& generator) {
    Document d = start_document("commitments", slice, generator);
    const __int128 unfunded = part_one(d, slice);
    const __int128 carried = part_two(d, slice);
    d.tables.push_back(allocation_keys_table(slice));
    add_budget(d, commitment_budget(slice));
    d.summary.emplace_back("part1_unfunded", money(unfunded));
    d.summary.emplace_back("part2_carried_for_others", money(carried));
    d.summary.emplace_back("total_unfunded", money(unfunded + carried));
    const auto per_capita = per_weighted_listed(unfunded + carried, region_run_weighted_sum(slice));
    d.summary.emplace_back("total_unfunded_per_weighted_listed_region_run", per_capita ? money(*per_capita) : "");
    finish_document(d);
    return d;
}

}  // namespace likvard
