// The largest-remainder splitter: parts sum exactly, each within one öre of its exact share,
// ties by ascending party id. Property tests print their seed so a failure replays.
#include <gtest/gtest.h>

#include <random>

#include "test_seed.hpp"

#include "money/money.hpp"

using likvard::Money;
using likvard::split_largest_remainder;
using likvard::Weight;

TEST(Split, HalvesAnOddAmountWithTheExtraOreToTheLowerId) {
    const auto parts = split_largest_remainder(Money::from_ore(101), {{"b-party", 5000}, {"a-party", 5000}});
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].party_id, "b-party");
    EXPECT_EQ(parts[0].amount.ore(), 50);
    EXPECT_EQ(parts[1].amount.ore(), 51);
}

TEST(Split, ThirdsGiveTheLeftOverToTheLargestRemainders) {
    // 100 öre by 1:1:1 -> 33.33 each; one öre left over goes to the lowest id.
    const auto parts = split_largest_remainder(Money::from_ore(100), {{"x", 1}, {"y", 1}, {"z", 1}});
    EXPECT_EQ(parts[0].amount.ore(), 34);
    EXPECT_EQ(parts[1].amount.ore(), 33);
    EXPECT_EQ(parts[2].amount.ore(), 33);
    // 200 by 1:2:3 -> 33.33, 66.67, 100: the largest remainder (0.67) takes the extra öre.
    const auto weighted = split_largest_remainder(Money::from_ore(200), {{"a", 1}, {"b", 2}, {"c", 3}});
    EXPECT_EQ(weighted[0].amount.ore(), 33);
    EXPECT_EQ(weighted[1].amount.ore(), 67);
    EXPECT_EQ(weighted[2].amount.ore(), 100);
}

TEST(Split, ZeroWeightsGetNothingAndBadWeightsAreRefused) {
    const auto parts = split_largest_remainder(Money::from_ore(999), {{"a", 0}, {"b", 3}});
    EXPECT_EQ(parts[0].amount.ore(), 0);
    EXPECT_EQ(parts[1].amount.ore(), 999);
    EXPECT_THROW(split_largest_remainder(Money::from_ore(1), {{"a", 0}}), std::invalid_argument);
    EXPECT_THROW(split_largest_remainder(Money::from_ore(1), {{"a", -1}, {"b", 2}}), std::invalid_argument);
    EXPECT_THROW(split_largest_remainder(Money::from_ore(-1), {{"a", 1}}), std::invalid_argument);
}

TEST(Split, PropertyPartsSumExactlyAndStayWithinOneOre) {
    const std::uint64_t seed = likvard::test::test_seed(20221101);
    SCOPED_TRACE(likvard::test::replay_hint(seed));
    std::mt19937_64 random(seed);
    constexpr int cases = 5000;
    for (int c = 0; c < cases; ++c) {
        const std::int64_t total = std::uniform_int_distribution<std::int64_t>(0, 999'999'999'999'999)(random);
        const std::size_t count = std::uniform_int_distribution<std::size_t>(1, 40)(random);
        std::vector<Weight> weights;
        __int128 weight_sum = 0;
        for (std::size_t i = 0; i < count; ++i) {
            // Mix small weights (many ties) and decimal weights up to 10^12 with 4 decimals.
            const std::int64_t weight =
                (random() % 3 == 0) ? std::int64_t(random() % 4)
                                    : std::uniform_int_distribution<std::int64_t>(0, 9'999'999'999'999'999)(random);
            weights.push_back({"p" + std::to_string(random() % 1000), weight});
            weight_sum += weight;
        }
        if (weight_sum == 0) weights[0].weight = 1, weight_sum = 1;
        const auto parts = split_largest_remainder(Money::from_ore(total), weights);
        ASSERT_EQ(parts.size(), weights.size()) << "seed " << seed << " case " << c;
        __int128 sum = 0;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            sum += parts[i].amount.ore();
            // |part - total*w/W| < 1  <=>  |part*W - total*w| < W
            const __int128 exact_scaled = static_cast<__int128>(total) * weights[i].weight;
            __int128 difference = static_cast<__int128>(parts[i].amount.ore()) * weight_sum - exact_scaled;
            if (difference < 0) difference = -difference;
            ASSERT_LT(difference, weight_sum) << "seed " << seed << " case " << c << " part " << i;
        }
        ASSERT_EQ(sum, total) << "seed " << seed << " case " << c;
    }
}

TEST(Split, PropertyTiesGoToAscendingPartyId) {
    const std::uint64_t seed = likvard::test::test_seed(77);
    SCOPED_TRACE(likvard::test::replay_hint(seed));
    std::mt19937 random(static_cast<std::uint32_t>(seed));
    for (int c = 0; c < 2000; ++c) {
        // n equal weights and a total of k öre (k < n): the k lowest ids get one öre each.
        const std::size_t n = 2 + random() % 20;
        const std::int64_t k = random() % n;
        std::vector<Weight> weights;
        for (std::size_t i = 0; i < n; ++i) weights.push_back({"id-" + std::to_string(1000 + (i * 7919) % n), 1});
        const auto parts = split_largest_remainder(Money::from_ore(k), weights);
        for (const auto& part : parts) {
            const std::size_t rank = std::stoul(part.party_id.substr(3)) - 1000;
            ASSERT_EQ(part.amount.ore(), rank < static_cast<std::size_t>(k) ? 1 : 0)
                << "seed " << seed << " case " << c << " " << part.party_id;
        }
    }
}
