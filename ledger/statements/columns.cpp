// Postings to statement columns, listing sums and per-capita arithmetic. Integers only.
#include "statements/detail/columns.hpp"

#include <limits>
#include <stdexcept>

namespace likvard::statement {
bool feeds(const ColumnAccount& account, std::string_view account_class, std::string_view item) {
    if (account_class != account.account_class) return false;
    return account.prefix ? item.substr(0, account.item.size()) == account.item : item == account.item;
}

// The one table of which accounts feed which column of the neutrality statement; the
// statement (column_of) and its drill-down (explain.cpp) both read it.
const std::vector<ColumnAccount>& column_accounts() {
    static const std::vector<ColumnAccount> accounts{
        {capitation, "income", "compensation.capitation", false, -1},
        {variable, "income", "compensation.variable", false, -1},
        {supplementary, "income", "compensation.supplementary", false, -1},
        {deficit_compensation, "income", "compensation.deficit_compensation", false, -1},
        {other_compensation, "income", "compensation.target", false, -1},
        {other_compensation, "income", "compensation.sparsity", false, -1},
        {other_compensation, "income", "compensation.visit", false, -1},
        {overhead_compensation, "income", "overhead.", true, -1},
        {appropriations, "income", "appropriation.", true, -1},
        {services_sold, "income", "service_sold.", true, -1},
        {benefit_in_kind, "benefit", "shared_cost.", true, -1},
        {internal_charges, "expense", "internal_charge.", true, 1},
        {shared_costs_paid, "expense", "shared_cost.", true, 1},
        {commitment_costs, "expense", "commitment.", true, 1},
        {services_bought, "expense", "service_bought.", true, 1},
    };
    return accounts;
}

std::optional<std::pair<Column, int>> column_of(const SlicePosting& p) {
    for (const auto& account : column_accounts())
        if (feeds(account, p.account_class, p.item)) return std::make_pair(account.column, account.sign);
    return std::nullopt;
}

int net_sign(Column column) {
    const bool deducted = column == internal_charges || column == shared_costs_paid || column == commitment_costs ||
                          column == services_bought;
    return deducted ? -1 : 1;
}

__int128 net_resources(const Amounts& a) {
    return a[capitation] + a[variable] + a[supplementary] + a[other_compensation] + a[deficit_compensation] +
           a[overhead_compensation] + a[benefit_in_kind] + a[appropriations] + a[services_sold] - a[internal_charges] -
           a[shared_costs_paid] - a[commitment_costs] - a[services_bought];
}

std::map<std::string, Amounts> amounts_by_party(const LedgerSlice& slice) {
    std::map<std::string, Amounts> out;
    for (const auto& posting : slice.postings) {
        const auto column = column_of(posting);
        if (!column) continue;
        auto [it, inserted] = out.try_emplace(posting.party);
        if (inserted) it->second.fill(0);
        add_checked(it->second[column->first], column->second, posting);
    }
    return out;
}

void add_checked(__int128& sum, int sign, const SlicePosting& p) {
    sum += sign * static_cast<__int128>(p.amount.ore());
    if (sum >= std::numeric_limits<std::int64_t>::min() && sum <= std::numeric_limits<std::int64_t>::max()) return;
    money_from_sum(sign * sum, "the postings of party " + p.party + " on account " + p.party + ":" + p.account_class +
                                   ":" + p.item + " through " + p.period);
}

ListingSums listing_sums(const LedgerSlice& slice) {
    ListingSums out;
    for (const auto& [key, listing] : slice.listings) {
        const auto& [month, party] = key;
        if (month < slice.from || month > slice.to) continue;  // months outside the range count 0
        auto& [listed, weighted] = out.by_party[party];
        listed += listing.first;
        weighted += listing.second.scaled();
    }
    return out;
}

std::pair<__int128, __int128> ListingSums::of(const std::string& party) const {
    const auto found = by_party.find(party);
    return found == by_party.end() ? std::pair<__int128, __int128>{0, 0} : found->second;
}

std::optional<__int128> per_weighted_listed(__int128 amount_ore, __int128 weighted_sum_scaled) {
    if (weighted_sum_scaled == 0) return std::nullopt;
    return divide_round_half_away(amount_ore * 12 * Decimal4::scale, weighted_sum_scaled);
}

std::string money(__int128 ore) { return format_scaled(ore, 2); }

bool is_competitor(Side side) { return side == Side::region_run || side == Side::private_provider; }

}  // namespace likvard::statement
