// The sample generator: same seed, same bytes; every line admitted by the ledger rules, as
// `likvard check` runs them; and the year lands on the sample figures of docs/reference/cli.md.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>

#include "rules/rules.hpp"
#include "sample/sample.hpp"

namespace likvard {
namespace {

constexpr std::uint64_t figures_seed = 20'220;
constexpr std::int64_t msek_ore = 1'000'000 * Money::ore_per_sek;

// What a year of one choice system other than primary care adds up to.
struct SchemeFigures {
    std::map<std::string, std::int64_t> paid_ore;  // "component/detail" -> öre
    std::set<std::string> payers;
    std::map<std::string, int> providers;  // side -> count
    std::int64_t overhead_ore = 0;
    std::int64_t appropriated_ore = 0;
    std::int64_t commitments_ore = 0;
    std::map<std::string, std::int64_t> budget_ore;  // "side/line" -> öre, the last per month
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> listed_by_period;    // period -> (private, all)
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> weighted_by_period;  // 1/10,000, likewise
    std::vector<std::int64_t> payments_ore;                                           // in order
};

// What a year of sample events adds up to, after the ledger admitted every line.
struct YearFigures {
    std::size_t lines = 0;
    std::size_t admitted = 0;
    std::string first_rejection;  // "line N: <reason>: <message>"
    bool chronological = true;
    std::map<std::string, std::int64_t> purchaser_paid_ore;  // by component, net of reversals
    std::int64_t overhead_ore = 0;
    std::int64_t deficit_compensation_ore = 0;
    std::int64_t commitments_ore = 0;
    std::map<std::string, std::int64_t> shared_cost_ore;  // by service
    std::int64_t acute_module_users = 0;
    std::int64_t omi_visits = 0;
    std::size_t reversals = 0;
    std::vector<std::pair<std::string, std::string>> reversal_periods;  // (its period, the reversed one's)
    std::size_t parties_registered = 0;
    std::size_t closes = 0;
    std::map<std::string, std::size_t> closes_by_scheme;
    std::string closed_through;  // primary_care, after the last line
    std::map<std::string, std::string> closed_through_by_scheme;
    std::map<std::string, SchemeFigures> schemes;                                   // the schemes besides primary care
    std::map<std::pair<std::string, std::string>, int> providers;                   // (side, provider_type) -> count
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> listed_by_period;  // period -> (private, all)
};

struct Payment {
    std::string payer;
    std::string component;
    std::int64_t amount_ore = 0;
    std::string period;
};

void count_scheme_event(const Event& event, const RegionState& state, SchemeFigures& f) {
    const auto& d = event.data;
    if (const auto* p = std::get_if<PartyRegistered>(&d)) {
        if (p->kind == Kind::provider) ++f.providers[std::string(side_name(p->side))];
    } else if (const auto* m = std::get_if<PaymentMade>(&d)) {
        f.paid_ore[m->component + "/" + m->detail.value_or("")] += m->amount.ore();
        f.payers.insert(m->payer_id);
        f.payments_ore.push_back(m->amount.ore());
    } else if (const auto* o = std::get_if<OverheadCompensated>(&d)) {
        f.overhead_ore += o->amount.ore();
    } else if (const auto* a = std::get_if<AppropriationGranted>(&d)) {
        f.appropriated_ore += a->amount.ore();
    } else if (const auto* c = std::get_if<CommitmentCostIncurred>(&d)) {
        f.commitments_ore += c->amount.ore();
    } else if (const auto* b = std::get_if<BudgetSet>(&d)) {
        f.budget_ore[std::string(side_name(*b->side)) + "/" + b->line] += b->amount.ore();
    } else if (const auto* l = std::get_if<ListingRecorded>(&d)) {
        const bool is_private = state.parties.at(l->provider_id).side == Side::private_provider;
        auto& [private_listed, all_listed] = f.listed_by_period[event.period];
        auto& [private_weighted, all_weighted] = f.weighted_by_period[event.period];
        all_listed += l->listed;
        all_weighted += l->weighted_listed.scaled();
        if (is_private) private_listed += l->listed;
        if (is_private) private_weighted += l->weighted_listed.scaled();
    }
}

void count_event(const Event& event, std::map<std::string, Payment>& payments, YearFigures& f) {
    const auto& d = event.data;
    if (std::holds_alternative<PartyRegistered>(d)) ++f.parties_registered;
    if (std::holds_alternative<PeriodClosed>(d)) {
        ++f.closes;
        ++f.closes_by_scheme[event.scheme];
        return;
    }
    if (event.scheme != "primary_care") return;
    if (const auto* p = std::get_if<PartyRegistered>(&d)) {
        if (p->kind == Kind::provider) ++f.providers[{std::string(side_name(p->side)), p->provider_type.value_or("")}];
    } else if (const auto* m = std::get_if<PaymentMade>(&d)) {
        payments[event.event_id] = {m->payer_id, m->component, m->amount.ore(), event.period};
        if (m->component == "deficit_compensation")
            f.deficit_compensation_ore += m->amount.ore();
        else if (m->payer_id == "halsoval-bestallare")
            f.purchaser_paid_ore[m->component] += m->amount.ore();
    } else if (const auto* o = std::get_if<OverheadCompensated>(&d)) {
        f.overhead_ore += o->amount.ore();
    } else if (const auto* c = std::get_if<CommitmentCostIncurred>(&d)) {
        f.commitments_ore += c->amount.ore();
    } else if (const auto* s = std::get_if<SharedCostIncurred>(&d)) {
        f.shared_cost_ore[s->service] += s->amount.ore();
        if (s->allocation.key == "users")
            for (const auto& [id, weight] : s->allocation.weights)
                f.acute_module_users += weight.scaled() / Decimal4::scale;
    } else if (const auto* v = std::get_if<ServicePurchased>(&d)) {
        f.omi_visits += v->quantity;
    } else if (const auto* r = std::get_if<EntryReversed>(&d)) {
        ++f.reversals;
        const Payment& reversed = payments.at(r->reverses);
        f.reversal_periods.emplace_back(event.period, reversed.period);
        if (reversed.payer == "halsoval-bestallare") f.purchaser_paid_ore[reversed.component] -= reversed.amount_ore;
    }
}

// Every line through decode -> admit -> apply, exactly as `likvard check` runs them.
YearFigures check_lines(const std::vector<std::string>& lines) {
    YearFigures f;
    Decoder decoder;
    RegionState state;
    std::map<std::string, Payment> payments;
    std::string last_date;
    for (const auto& line : lines) {
        ++f.lines;
        DecodeResult decoded = decoder.decode(line);
        if (decoded.rejection) {
            if (f.first_rejection.empty())
                f.first_rejection = "line " + std::to_string(f.lines) + ": " + decoded.rejection->to_string();
            continue;
        }
        const Event& event = *decoded.event;
        const Admission admission = admit(event, state);
        if (const auto* rejection = std::get_if<Rejection>(&admission)) {
            if (f.first_rejection.empty())
                f.first_rejection = "line " + std::to_string(f.lines) + ": " + rejection->to_string();
            continue;
        }
        if (!std::holds_alternative<Admitted>(admission)) {
            f.first_rejection = "line " + std::to_string(f.lines) + ": a redelivery (event ids must be unique)";
            continue;
        }
        state.apply(event, std::get<Admitted>(admission).postings);
        ++f.admitted;
        if (event.occurred_on < last_date) f.chronological = false;
        last_date = event.occurred_on;
        count_event(event, payments, f);
        if (event.scheme != "primary_care") count_scheme_event(event, state, f.schemes[event.scheme]);
        if (const auto* l = std::get_if<ListingRecorded>(&event.data); l != nullptr && event.scheme == "primary_care") {
            auto& [private_listed, all_listed] = f.listed_by_period[event.period];
            all_listed += l->listed;
            if (state.parties.at(l->provider_id).side == Side::private_provider) private_listed += l->listed;
        }
    }
    if (const auto closed = state.closed_through.find("primary_care"); closed != state.closed_through.end())
        f.closed_through = closed->second;
    for (const auto& [scheme, through] : state.closed_through) f.closed_through_by_scheme[scheme] = through;
    return f;
}

YearFigures check_year(const SampleSpec& spec) { return check_lines(generate_sample(spec)); }

// One checked year per region for the figure tests (checking runs every JSON Schema).
YearFigures figures_of(const std::string& region) {
    static std::map<std::string, YearFigures> cache;
    if (!cache.contains(region)) cache[region] = check_year({region, 2022, figures_seed});
    return cache.at(region);
}

std::int64_t sum(const std::map<std::string, std::int64_t>& by_key) {
    std::int64_t total = 0;
    for (const auto& [key, value] : by_key) total += value;
    return total;
}

// |private / all - share_permille / 1000| <= tolerance_permille / 1000, in integers.
void expect_private_share(const YearFigures& f, std::int64_t share_permille, std::int64_t tolerance_permille) {
    ASSERT_EQ(f.listed_by_period.size(), 12u);
    for (const auto& [period, listed] : f.listed_by_period) {
        const auto [private_listed, all_listed] = listed;
        EXPECT_LE(std::abs(private_listed * 1000 - share_permille * all_listed), tolerance_permille * all_listed)
            << period << ": " << private_listed << " of " << all_listed;
    }
}

}  // namespace

TEST(Sample, TheSameSeedGivesTheSameBytes) {
    for (const auto& region : sample_regions()) {
        SCOPED_TRACE(region);
        const auto first = generate_sample({region, 2022, 7});
        EXPECT_EQ(first, generate_sample({region, 2022, 7}));
        EXPECT_NE(first, generate_sample({region, 2022, 8}));
        EXPECT_NE(first, generate_sample({region, 2023, 7}));
    }
}

TEST(Sample, KnowsThreeRegionsAndRefusesOthers) {
    EXPECT_EQ(sample_regions(), (std::vector<std::string>{"SE-AC", "SE-E", "SE-Z"}));
    EXPECT_THROW(generate_sample({"SE-X", 2022, 1}), std::invalid_argument);
    EXPECT_THROW(generate_sample({"SE-Z", 1999, 1}), std::invalid_argument);
    EXPECT_THROW(generate_sample({"SE-Z", 2100, 1}), std::invalid_argument);
}

TEST(Sample, EveryEventOfJamtlandIsAdmittedInOrder) {
    const auto f = figures_of("SE-Z");
    EXPECT_EQ(f.first_rejection, "") << "seed " << figures_seed;
    EXPECT_EQ(f.admitted, f.lines);
    EXPECT_GT(f.lines, 3000u);
    EXPECT_TRUE(f.chronological);
}

TEST(Sample, EveryEventOfVasterbottenIsAdmittedInOrder) {
    const auto f = figures_of("SE-AC");
    EXPECT_EQ(f.first_rejection, "") << "seed " << figures_seed;
    EXPECT_EQ(f.admitted, f.lines);
    EXPECT_TRUE(f.chronological);
}

TEST(Sample, EveryEventOfOstergotlandIsAdmittedInOrder) {
    const auto f = figures_of("SE-E");
    EXPECT_EQ(f.first_rejection, "") << "seed " << figures_seed;
    EXPECT_EQ(f.admitted, f.lines);
    EXPECT_TRUE(f.chronological);
}

TEST(Sample, OtherSeedsAndYearsAreAdmittedToo) {
    for (const auto& spec :
         {SampleSpec{"SE-Z", 2024, 99}, SampleSpec{"SE-AC", 2023, 12345}, SampleSpec{"SE-E", 2025, 4}}) {
        const auto f = check_year(spec);
        EXPECT_EQ(f.first_rejection, "") << spec.region << " " << spec.year << " seed " << spec.seed;
        EXPECT_EQ(f.admitted, f.lines);
    }
}

TEST(Sample, JamtlandLandsOnTheSampleFigures) {
    const auto f = figures_of("SE-Z");
    SCOPED_TRACE("seed " + std::to_string(figures_seed));
    using Providers = std::map<std::pair<std::string, std::string>, int>;
    EXPECT_EQ(f.providers, (Providers{{{"region_run", "health_centre"}, 21}, {{"private", "health_centre"}, 7}}));
    // Budgets are split with the largest remainder: the year's parts sum exactly.
    EXPECT_EQ(f.purchaser_paid_ore.at("capitation"), 655 * msek_ore);
    EXPECT_EQ(f.purchaser_paid_ore.at("variable"), 52 * msek_ore);  // the duplicate is reversed
    EXPECT_EQ(f.purchaser_paid_ore.at("supplementary"), 48 * msek_ore);
    // The whole choice budget: payments and overhead compensation, about 800 MSEK (within 2 %).
    const std::int64_t total = sum(f.purchaser_paid_ore) + f.overhead_ore;
    EXPECT_GE(total, 784 * msek_ore);
    EXPECT_LE(total, 816 * msek_ore);
    EXPECT_EQ(f.commitments_ore, 1'300'000 * Money::ore_per_sek);
    EXPECT_EQ(f.shared_cost_ore.at("e_frikort"), 480'000 * Money::ore_per_sek);
    EXPECT_EQ(f.shared_cost_ore.at("waiting_room_tv"), 28 * 3'000 * Money::ore_per_sek);
    EXPECT_EQ(f.shared_cost_ore.at("acute_module"), 135 * 1'200 * Money::ore_per_sek);
    EXPECT_EQ(f.acute_module_users, 135);
    EXPECT_EQ(f.omi_visits, 600);
    EXPECT_EQ(f.reversals, 1u);
    EXPECT_GT(f.deficit_compensation_ore, 0);
    expect_private_share(f, 145, 3);  // 14.5 % ± 0.3 points, every month
}

TEST(Sample, VasterbottenLandsOnTheSampleFigures) {
    const auto f = figures_of("SE-AC");
    SCOPED_TRACE("seed " + std::to_string(figures_seed));
    using Providers = std::map<std::pair<std::string, std::string>, int>;
    EXPECT_EQ(f.providers, (Providers{{{"region_run", "health_centre"}, 26},
                                      {{"region_run", "cottage_hospital"}, 7},
                                      {{"private", "health_centre"}, 5}}));
    const std::int64_t total = sum(f.purchaser_paid_ore) + f.overhead_ore;  // about 1.5 billion SEK (within 2 %)
    EXPECT_GE(total, 1'470 * msek_ore);
    EXPECT_LE(total, 1'530 * msek_ore);
    EXPECT_EQ(f.reversals, 1u);
    expect_private_share(f, 190, 3);  // 19 % ± 0.3 points
    const std::int64_t listed_january = f.listed_by_period.begin()->second.second;
    EXPECT_LE(std::abs(listed_january - 270'000), 2'700);  // within 1 % of the sample's 270,000
}

// ---- the choice systems besides primary care, by hand: each side's listed split by the
// ages in a band (3-6: 4, 7-19: 13, 20-23: 4 of 21), times the band's yearly price ----

constexpr std::int64_t sek_ore = Money::ore_per_sek;

TEST(SampleSchemes, EveryRegionHasTheSchemesOfTheSources) {
    using Schemes = std::set<std::string>;
    const auto schemes_of = [](const std::string& region) {
        Schemes out{"primary_care"};
        for (const auto& [scheme, figures] : figures_of(region).schemes) out.insert(scheme);
        return out;
    };
    EXPECT_EQ(schemes_of("SE-Z"), (Schemes{"dental_child_youth", "foot_care", "physiotherapy", "primary_care"}));
    EXPECT_EQ(schemes_of("SE-AC"), (Schemes{"dental_child_youth", "physiotherapy", "primary_care"}));
    EXPECT_EQ(schemes_of("SE-E"), (Schemes{"physiotherapy", "primary_care"}));
}

TEST(SampleSchemes, JamtlandDentalCapitationIsEachBandsListedTimesItsPrice) {
    const SchemeFigures f = figures_of("SE-Z").schemes.at("dental_child_youth");
    using Providers = std::map<std::string, int>;
    EXPECT_EQ(f.providers, (Providers{{"private", 25}, {"region_run", 10}}));
    EXPECT_EQ(f.payers, std::set<std::string>{"tandvard-bestallare"});
    // Region-run 27,720 and private 3,780 listed: 5,280 + 720 = 6,000 aged 3-6 at 1,200 SEK,
    // 17,160 + 2,340 = 19,500 aged 7-19 at 2,000 SEK, 6,000 aged 20-23 at 2,200 SEK.
    EXPECT_EQ(f.paid_ore.at("capitation/age_3_6"), 6'000 * 1'200 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("capitation/age_7_19"), 19'500 * 2'000 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("capitation/age_20_23"), 6'000 * 2'200 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("supplementary/newly_arrived"), 1'200'000 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("supplementary/orthodontics"), 2'400'000 * sek_ore);
    EXPECT_EQ(sum(f.paid_ore), 63 * msek_ore);  // 59.4 + 1.2 + 2.4: the sources' ~63 MSEK
    ASSERT_EQ(f.listed_by_period.size(), 12u);
    for (const auto& [period, listed] : f.listed_by_period)
        EXPECT_EQ(listed, (std::pair<std::int64_t, std::int64_t>(3'780, 31'500))) << period;
    // Weights 0.6, 1.0 and 1.1: region-run 5,280 × 0.6 + 17,160 + 5,280 × 1.1 = 26,136.
    const auto weighted = f.weighted_by_period.at("2022-07");
    EXPECT_EQ(weighted.second - weighted.first, 26'136 * Decimal4::scale);
    EXPECT_EQ(weighted.first, 3'564 * Decimal4::scale);  // 720 × 0.6 + 2,340 + 720 × 1.1
    EXPECT_EQ(f.budget_ore.at("region_run/capitation") + f.budget_ore.at("private/capitation"), 59'400'000 * sek_ore);
}

TEST(SampleSchemes, VasterbottenDentalPaysThePublicDentalServiceAloneForItsSpecialAssignments) {
    const SchemeFigures f = figures_of("SE-AC").schemes.at("dental_child_youth");
    using Providers = std::map<std::string, int>;
    EXPECT_EQ(f.providers, (Providers{{"private", 10}, {"region_run", 31}}));
    // 62,370 region-run and 630 private: 12,000 at 1,100, 39,000 at 1,600, 12,000 at 1,900 SEK.
    EXPECT_EQ(f.paid_ore.at("capitation/age_3_6"), 12'000 * 1'100 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("capitation/age_7_19"), 39'000 * 1'600 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("capitation/age_20_23"), 12'000 * 1'900 * sek_ore);
    for (const auto& [period, listed] : f.listed_by_period)
        EXPECT_EQ(listed.first * 100, listed.second) << period;  // 1 % listed privately
    // 0-2 years 6.0, area responsibility 4.5 (costing 104 %: 4.68), public health 3.5 MSEK.
    EXPECT_EQ(f.appropriated_ore, 14 * msek_ore);
    EXPECT_EQ(f.commitments_ore, 14'180'000 * sek_ore);
    EXPECT_EQ(sum(f.paid_ore) + f.appropriated_ore, 117 * msek_ore);  // the sources' ~117 MSEK
    EXPECT_EQ(f.budget_ore.at("region_run/commitment:other"), 14 * msek_ore);
}

TEST(SampleSchemes, JamtlandFootCareIsPrivateAndPaidPerTreatmentAndHomeVisit) {
    const SchemeFigures f = figures_of("SE-Z").schemes.at("foot_care");
    EXPECT_EQ(f.providers, (std::map<std::string, int>{{"private", 24}}));
    EXPECT_EQ(f.payers, std::set<std::string>{"halsoval-bestallare"});  // inside the primary-care budget
    EXPECT_EQ(f.paid_ore.at("visit/treatment"), 14'400 * 550 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("visit/home_visit"), 1'200 * 850 * sek_ore);
    EXPECT_EQ(sum(f.paid_ore), 8'940'000 * sek_ore);
    EXPECT_TRUE(f.listed_by_period.empty());
    EXPECT_FALSE(f.budget_ore.contains("region_run/other_compensation"));
    EXPECT_EQ(f.budget_ore.at("private/other_compensation"), 9 * msek_ore);
}

TEST(SampleSchemes, JamtlandPhysiotherapyUnderLofOverrunsItsCentralBudget) {
    const SchemeFigures f = figures_of("SE-Z").schemes.at("physiotherapy");
    EXPECT_EQ(f.providers, (std::map<std::string, int>{{"private", 23}}));
    EXPECT_EQ(f.payers, std::set<std::string>{"regionens-centrala"});
    EXPECT_EQ(f.paid_ore.at("visit/tariff_first_visit"), 6'000 * 580 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("visit/tariff_return_visit"), 47'500 * 390 * sek_ore);
    EXPECT_EQ(sum(f.paid_ore), 22'005'000 * sek_ore);                         // the ~22 MSEK ...
    EXPECT_EQ(f.budget_ore.at("private/other_compensation"), 21 * msek_ore);  // ... of a budget of 21
}

TEST(SampleSchemes, OstergotlandPhysiotherapyHasBothSidesWithListingAndVisits) {
    const SchemeFigures f = figures_of("SE-E").schemes.at("physiotherapy");
    using Providers = std::map<std::string, int>;
    EXPECT_EQ(f.providers, (Providers{{"private", 9}, {"region_run", 7}}));
    EXPECT_EQ(f.paid_ore.at("capitation/"), 470'000 * 120 * sek_ore);
    EXPECT_EQ(f.paid_ore.at("visit/visit"), 80'000 * 350 * sek_ore);
    for (const auto& [period, listed] : f.listed_by_period)
        EXPECT_EQ(listed, (std::pair<std::int64_t, std::int64_t>(220'000, 470'000))) << period;
    // VAT compensation: 6 % of the private units' payments, rounded per unit and month.
    EXPECT_GT(f.overhead_ore, 0);
    EXPECT_LT(f.overhead_ore, (470'000 * 120 + 80'000 * 350) * 6 / 100 * sek_ore);
}

TEST(SampleYears, EveryLineOfThreeYearsOfJamtlandIsAdmittedInOrderAsOneLedger) {
    const SampleYears years{"SE-Z", 2022, 2024, figures_seed};
    const auto f = check_lines(generate_sample_years(years));
    EXPECT_EQ(f.first_rejection, "") << "seed " << figures_seed;
    EXPECT_EQ(f.admitted, f.lines);
    EXPECT_TRUE(f.chronological);
    EXPECT_EQ(f.parties_registered, figures_of("SE-Z").parties_registered);  // once, not three times
    EXPECT_EQ(f.listed_by_period.size(), 36u);
    EXPECT_EQ(f.closes, 4 * 36u);  // every month of every scheme
    EXPECT_EQ(f.closed_through, "2024-12");
    using Through = std::map<std::string, std::string>;
    EXPECT_EQ(f.closed_through_by_scheme, (Through{{"dental_child_youth", "2024-12"},
                                                   {"foot_care", "2024-12"},
                                                   {"physiotherapy", "2024-12"},
                                                   {"primary_care", "2024-12"}}));
    // Dental care's lists drift too, and each year has its own budget.
    const auto& dental = f.schemes.at("dental_child_youth");
    EXPECT_EQ(dental.listed_by_period.size(), 36u);
    EXPECT_NE(dental.listed_by_period.at("2022-01").second, dental.listed_by_period.at("2023-01").second);
    EXPECT_EQ(dental.budget_ore.at("private/capitation") + dental.budget_ore.at("region_run/capitation"),
              dental.paid_ore.at("capitation/age_3_6") + dental.paid_ore.at("capitation/age_7_19") +
                  dental.paid_ore.at("capitation/age_20_23"));
    EXPECT_EQ(f.schemes.at("physiotherapy").budget_ore.at("private/other_compensation"), 3 * 21 * msek_ore);
}

TEST(SampleYears, TwoYearsOfVasterbottenAreAdmittedToo) {
    const SampleYears years{"SE-AC", 2023, 2024, 5};
    const auto f = check_lines(generate_sample_years(years));
    EXPECT_EQ(f.first_rejection, "") << "seed 5";
    EXPECT_EQ(f.admitted, f.lines);
    EXPECT_EQ(f.closed_through, "2024-12");
}

TEST(SampleYears, BeginWithTheFirstYearAloneAndAreTheSameBytesForTheSameSeed) {
    const auto first = generate_sample({"SE-Z", 2022, 7});
    const auto stream = generate_sample_years({"SE-Z", 2022, 2023, 7});
    ASSERT_GT(stream.size(), first.size());
    EXPECT_TRUE(std::equal(first.begin(), first.end(), stream.begin()));
    EXPECT_EQ(stream, generate_sample_years({"SE-Z", 2022, 2023, 7}));
    EXPECT_NE(stream, generate_sample_years({"SE-Z", 2022, 2023, 8}));
    // One year as "several" is that year, closed after it.
    const auto alone = generate_sample_years({"SE-Z", 2022, 2022, 7});
    EXPECT_TRUE(std::equal(first.begin(), first.end(), alone.begin()));
    EXPECT_EQ(alone.size(), first.size() + 4 * 12);  // every month of each of SE-Z's four schemes closed
}

TEST(SampleYears, TheLateCorrectionOfDecemberIsBookedInTheNextJanuary) {
    const auto f = check_lines(generate_sample_years({"SE-Z", 2022, 2024, 3}));
    ASSERT_EQ(f.first_rejection, "");
    using Periods = std::vector<std::pair<std::string, std::string>>;
    // Each year's duplicate of May reversed in June, and December's target reversed after the close.
    EXPECT_EQ(f.reversal_periods, (Periods{{"2022-06", "2022-05"},
                                           {"2023-01", "2022-12"},
                                           {"2023-06", "2023-05"},
                                           {"2024-01", "2023-12"},
                                           {"2024-06", "2024-05"}}));
}

TEST(SampleYears, ListsDriftFromYearToYear) {
    const auto f = check_lines(generate_sample_years({"SE-Z", 2022, 2024, figures_seed}));
    const std::int64_t listed_2022 = f.listed_by_period.at("2022-01").second;
    const std::int64_t listed_2023 = f.listed_by_period.at("2023-01").second;
    const std::int64_t listed_2024 = f.listed_by_period.at("2024-01").second;
    EXPECT_NE(listed_2022, listed_2023);
    EXPECT_NE(listed_2023, listed_2024);
    // At most -3 % .. +4 % a year, plus the noise within a month.
    for (const auto& [before, after] : {std::pair{listed_2022, listed_2023}, std::pair{listed_2023, listed_2024}}) {
        EXPECT_GE(after * 100, before * 96);
        EXPECT_LE(after * 100, before * 105);
    }
}

TEST(SampleYears, RefusesYearsThatEndBeforeTheyBeginOrAreTooMany) {
    EXPECT_THROW(generate_sample_years({"SE-Z", 2024, 2022, 1}), std::invalid_argument);
    EXPECT_THROW(generate_sample_years({"SE-Z", 2022, 2022 + sample_years_max, 1}), std::invalid_argument);
    EXPECT_THROW(generate_sample_years({"SE-X", 2022, 2023, 1}), std::invalid_argument);
    EXPECT_THROW(generate_sample_years({"SE-Z", 2099, 2100, 1}), std::invalid_argument);
}

}  // namespace likvard
