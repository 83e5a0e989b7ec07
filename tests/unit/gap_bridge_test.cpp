// The gap bridge and the gap for the assignment on random slices, against sums computed
// here from the postings: every line is region-run minus private of its column per weighted
// listed, the lines and the rounding sum exactly to neutrality_gap, and the rounding stays
// within the öre each rounding may leave.
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "statements/statements.hpp"
#include "test_seed.hpp"

using namespace likvard;

namespace {

struct Account {
    const char* column;
    const char* account_class;
    const char* item;
    int net_sign;  // +1 added to net_resources, -1 deducted
};

// One account per money column, in the statement's column order.
constexpr std::array<Account, 13> accounts{{
    {"capitation", "income", "compensation.capitation", 1},
    {"variable", "income", "compensation.variable", 1},
    {"supplementary", "income", "compensation.supplementary", 1},
    {"other_compensation", "income", "compensation.target", 1},
    {"deficit_compensation", "income", "compensation.deficit_compensation", 1},
    {"overhead_compensation", "income", "overhead.vat_compensation", 1},
    {"internal_charges", "expense", "internal_charge.helpdesk", -1},
    {"shared_costs_paid", "expense", "shared_cost.e_frikort", -1},
    {"benefit_in_kind", "benefit", "shared_cost.e_frikort", 1},
    {"commitment_costs", "expense", "commitment.other", -1},
    {"appropriations", "income", "appropriation.other", 1},
    {"services_sold", "income", "service_sold.omi", 1},
    {"services_bought", "expense", "service_bought.omi", -1},
}};

struct SideSums {
    std::array<__int128, accounts.size()> columns{};  // positive as the statement shows them
    __int128 weighted = 0;                            // Σ over months, 1/10,000
};

// amount × 12 × 10^4 / weighted, rounded half away from zero (the divisor is positive).
__int128 per_capita(__int128 amount, __int128 weighted) {
    const __int128 n = amount * 12 * 10'000;
    const __int128 q = n / weighted, r = n % weighted;
    if (2 * (r < 0 ? -r : r) >= weighted) return q + (n < 0 ? -1 : 1);
    return q;
}

std::int64_t ore_of(const std::string& text) {  // "-12.34" -> -1234
    const bool negative = text.starts_with('-');
    const std::string digits = text.substr(negative ? 1 : 0);
    const auto dot = digits.find('.');
    const std::int64_t ore = std::stoll(digits.substr(0, dot)) * 100 + std::stoll(digits.substr(dot + 1));
    return negative ? -ore : ore;
}

std::string summary(const Document& d, const std::string& key) {
    for (const auto& [k, v] : d.summary)
        if (k == key) return v;
    return "(missing)";
}

struct Random {
    std::mt19937_64 engine;
    std::int64_t between(std::int64_t low, std::int64_t high) {
        return std::uniform_int_distribution<std::int64_t>(low, high)(engine);
    }
};

// Providers hc-r<i> (region-run) and hc-p<i> (private) and the region-run organisation, with
// random listings (some months missing) and postings on every money column.
LedgerSlice random_slice(Random& random, std::map<likvard::Side, SideSums>& sides) {
    LedgerSlice slice;
    slice.region = "SE-Z";
    slice.scheme = "primary_care";
    slice.from = "2023-01";
    slice.to = "2023-" + std::string(1, '0') + std::to_string(random.between(1, 9));
    const auto months = months_between(slice.from, slice.to);
    slice.parties["egen-regi"] = {"egen-regi", "Egen regi", Kind::organisation, likvard::Side::region_run};
    for (const char* prefix : {"hc-r", "hc-p"}) {
        const auto side = prefix[3] == 'r' ? likvard::Side::region_run : likvard::Side::private_provider;
        for (std::int64_t i = random.between(1, 5); i > 0; --i) {
            const std::string id = prefix + std::to_string(i);
            slice.parties[id] = {id, id, Kind::provider, side};
            for (const auto& month : months) {
                if (random.between(0, 5) == 0) continue;
                const std::int64_t weighted = random.between(1, 400'000'000);  // up to 40,000 listed
                slice.listings[{month, id}] = {weighted / 10'000, Decimal4::from_scaled(weighted)};
                sides[side].weighted += weighted;
            }
        }
    }
    for (const auto& [id, party] : slice.parties) {
        for (std::size_t c = 0; c < accounts.size(); ++c) {
            if (random.between(0, 2) == 0) continue;
            const std::int64_t amount = random.between(-2'000'000, 5'000'000'000);  // öre, reversals too
            const bool credit = std::string_view(accounts[c].account_class) != "expense";
            slice.postings.push_back({months.front(), id, accounts[c].account_class, accounts[c].item,
                                      Money::from_ore(credit ? -amount : amount)});
            sides[party.side].columns[c] += amount;
        }
    }
    return slice;
}

__int128 net(const SideSums& side, std::initializer_list<std::size_t> left_out = {}) {
    __int128 sum = 0;
    for (std::size_t c = 0; c < accounts.size(); ++c) sum += accounts[c].net_sign * side.columns[c];
    for (std::size_t c : left_out) sum -= accounts[c].net_sign * side.columns[c];
    return sum;
}

}  // namespace

TEST(GapBridge, SumsExactlyToTheGapAndEachLineIsItsColumnsDifference) {
    const std::uint64_t seed = likvard::test::test_seed(20230415);
    Random random{std::mt19937_64(seed)};
    int compared = 0;
    for (int round = 0; round < 300; ++round) {
        std::map<likvard::Side, SideSums> sides;
        const LedgerSlice slice = random_slice(random, sides);
        const Document d = neutrality_statement(slice, "test");
        const SideSums& rr = sides[likvard::Side::region_run];
        const SideSums& pr = sides[likvard::Side::private_provider];
        if (rr.weighted == 0 || pr.weighted == 0) continue;  // IsBlankWhereASideHasNoWeightedListing
        const __int128 gap = per_capita(net(rr), rr.weighted) - per_capita(net(pr), pr.weighted);
        ASSERT_EQ(ore_of(summary(d, "neutrality_gap")), static_cast<std::int64_t>(gap))
            << likvard::test::replay_hint(seed);
        __int128 lines = 0;
        for (std::size_t c = 0; c < accounts.size(); ++c) {
            const __int128 expected = accounts[c].net_sign *
                                      (per_capita(rr.columns[c], rr.weighted) - per_capita(pr.columns[c], pr.weighted));
            const std::string key = std::string("gap_bridge_") + accounts[c].column;
            ASSERT_EQ(ore_of(summary(d, key)), static_cast<std::int64_t>(expected))
                << key << ", " << likvard::test::replay_hint(seed);
            lines += expected;
        }
        const std::int64_t rounding = ore_of(summary(d, "gap_bridge_rounding"));
        EXPECT_EQ(static_cast<std::int64_t>(lines + rounding), static_cast<std::int64_t>(gap))
            << likvard::test::replay_hint(seed);
        // Each of the 13 lines and the gap rounds two per-capita figures by at most half an öre.
        EXPECT_LE(std::abs(rounding), 14) << likvard::test::replay_hint(seed);
        // The assignment: without deficit compensation (4), overhead compensation (5) and internal charges (6).
        const __int128 assignment =
            per_capita(net(rr, {4, 5, 6}), rr.weighted) - per_capita(net(pr, {4, 5, 6}), pr.weighted);
        ASSERT_EQ(ore_of(summary(d, "neutrality_gap_assignment")), static_cast<std::int64_t>(assignment))
            << likvard::test::replay_hint(seed);
        ++compared;
    }
    EXPECT_GT(compared, 200) << "most random slices list both sides; " << likvard::test::replay_hint(seed);
}

TEST(GapBridge, IsBlankWhereASideHasNoWeightedListing) {
    LedgerSlice slice;
    slice.region = "SE-Z";
    slice.scheme = "primary_care";
    slice.from = slice.to = "2023-05";
    slice.parties["hc-a"] = {"hc-a", "A", Kind::provider, likvard::Side::region_run};
    slice.parties["hc-x"] = {"hc-x", "X", Kind::provider, likvard::Side::private_provider};
    slice.listings[{"2023-05", "hc-a"}] = {100, Decimal4::from_scaled(1'000'000)};
    slice.postings.push_back({"2023-05", "hc-a", "income", "compensation.capitation", Money::from_ore(-100'000)});
    slice.postings.push_back({"2023-05", "hc-x", "income", "compensation.capitation", Money::from_ore(-100'000)});
    const Document d = neutrality_statement(slice, "test");
    for (const auto& account : accounts) EXPECT_EQ(summary(d, std::string("gap_bridge_") + account.column), "");
    EXPECT_EQ(summary(d, "gap_bridge_rounding"), "");
    // As the gaps themselves: the per-capita figures blank, the gaps left out.
    EXPECT_EQ(summary(d, "net_per_weighted_listed_private_assignment"), "");
    EXPECT_EQ(summary(d, "neutrality_gap_assignment"), "(missing)");
    EXPECT_EQ(summary(d, "neutrality_gap"), "(missing)");
    EXPECT_EQ(summary(d, "net_per_weighted_listed_region_run_assignment"), "120.00");  // 1,000 x 12 / 1 / 100
}
