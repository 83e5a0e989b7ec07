// Postings to statement columns, listing sums and per-capita arithmetic. Integers only.
#include "statements/detail/columns.hpp"

#include <limits>
#include <stdexcept>

namespace likvard::statement {
namespace {

bool starts(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

std::optional<Column> compensation_column(const std::string& component) {
    if (component == "capitation") return capitation;
    if (component == "variable") return variable;
    if (component == "supplementary") return supplementary;
    if (component == "deficit_compensation") return deficit_compensation;
    if (component == "target" || component == "sparsity" || component == "visit") return other_compensation;
    return std::nullopt;
}

}  // namespace

std::optional<std::pair<Column, int>> column_of(const SlicePosting& p) {
    const std::string& c = p.account_class;
    const std::string& item = p.item;
    if (c == "income" && starts(item, "compensation.")) {
        if (auto column = compensation_column(item.substr(13))) return std::make_pair(*column, -1);
        return std::nullopt;
    }
    if (c == "income" && starts(item, "overhead.")) return std::make_pair(overhead_compensation, -1);
    if (c == "income" && starts(item, "appropriation.")) return std::make_pair(appropriations, -1);
    if (c == "income" && starts(item, "service_sold.")) return std::make_pair(services_sold, -1);
    if (c == "benefit" && starts(item, "shared_cost.")) return std::make_pair(benefit_in_kind, -1);
    if (c == "expense" && starts(item, "internal_charge.")) return std::make_pair(internal_charges, 1);
    if (c == "expense" && starts(item, "shared_cost.")) return std::make_pair(shared_costs_paid, 1);
    if (c == "expense" && starts(item, "commitment.")) return std::make_pair(commitment_costs, 1);
    if (c == "expense" && starts(item, "service_bought.")) return std::make_pair(services_bought, 1);
    return std::nullopt;
}

int net_sign(Column column) {
    const bool deducted = column == internal_charges || column == shared_costs_paid || column == commitment_costs ||
                          column == services_bought;
    return deducted ? -1 : 1;
}

__int128 net_resources(const Amounts& a) {
    return a[capitation] + a[variable] + a[supplementary] + a[other_compensation] + a[deficit_compensation] +
           a[overhead_compensation] + a[benefit_in_kind] + a[appropriations] + a[services_sold] -
           a[internal_charges] - a[shared_costs_paid] - a[commitment_costs] - a[services_bought];
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
    money_from_sum(sign * sum, "the postings of party " + p.party + " on account " + p.party + ":" + p.account_class + ":" +
                            p.item + " through " + p.period);
}

std::pair<__int128, __int128> listing_sums(const LedgerSlice& slice, const std::string& party) {
    __int128 listed = 0;
    __int128 weighted = 0;
    for (const auto& month : months_between(slice.from, slice.to)) {
        const auto found = slice.listings.find({month, party});
        if (found == slice.listings.end()) continue;  // a missing month counts 0
        listed += found->second.first;
        weighted += found->second.second.scaled();
    }
    return {listed, weighted};
}

std::optional<__int128> per_weighted_listed(__int128 amount_ore, __int128 weighted_sum_scaled) {
    if (weighted_sum_scaled == 0) return std::nullopt;
    return divide_round_half_away(amount_ore * 12 * Decimal4::scale, weighted_sum_scaled);
}

std::string money(__int128 ore) { return format_scaled(ore, 2); }

bool is_competitor(Side side) { return side == Side::region_run || side == Side::private_provider; }

}  // namespace likvard::statement
