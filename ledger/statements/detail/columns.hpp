// Internal to statements/: which postings feed which statement column, per party.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "statements/statements.hpp"

namespace likvard::statement {

enum Column {
    capitation,
    variable,
    supplementary,
    other_compensation,
    deficit_compensation,
    overhead_compensation,
    internal_charges,
    shared_costs_paid,
    benefit_in_kind,
    commitment_costs,
    appropriations,
    services_sold,
    services_bought,
    column_count,
};

using Amounts = std::array<__int128, column_count>;  // öre

// An account (a class and an item, or items by prefix) that feeds a column, with the sign
// that makes the column positive.
struct ColumnAccount {
    Column column;
    std::string_view account_class;
    std::string_view item;
    bool prefix = false;  // every item that starts with `item`
    int sign = 1;
};
const std::vector<ColumnAccount>& column_accounts();
bool feeds(const ColumnAccount& account, std::string_view account_class, std::string_view item);

// The column a posting feeds and the sign that makes the column positive; nullopt: none.
std::optional<std::pair<Column, int>> column_of(const SlicePosting& posting);

// +1 for a column net_resources adds, -1 for one it deducts.
int net_sign(Column column);

// net_resources = resources received - resources given up (docs/statements.md).
__int128 net_resources(const Amounts& a);

// Per party, summed over the slice's postings.
std::map<std::string, Amounts> amounts_by_party(const LedgerSlice& slice);

// sum += sign × the posting's amount, for a sum of postings that stays within what int64
// öre hold (as the projections' sums do), else MoneyOverflow naming the posting's party and
// account and the sum as booked.
void add_checked(__int128& sum, int sign, const SlicePosting& posting);

// Per provider, Σ over the months of the range of its listing (listed, weighted in
// 1/10,000), in one pass over the slice's listings; a provider without one has none.
struct ListingSums {
    std::map<std::string, std::pair<__int128, __int128>, std::less<>> by_party;
    std::pair<__int128, __int128> of(const std::string& party) const;  // {0, 0} when none
};
ListingSums listing_sums(const LedgerSlice& slice);

// SEK per weighted listed citizen per year, in öre, rounded half away from zero:
// amount × 12 / months / (weighted_sum / months) = amount × 12 × 10^4 / weighted_sum_scaled.
std::optional<__int128> per_weighted_listed(__int128 amount_ore, __int128 weighted_sum_scaled);

std::string money(__int128 ore);
bool is_competitor(Side side);

}  // namespace likvard::statement
