// The sample regions as data: parties, sizes and yearly budgets that the generator
// (sample.cpp) turns into a year of events. Internal to ledger/sample; figures are the
// invented sample figures of docs/reference/cli.md, not real accounts.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace likvard::sample_detail {

struct ProviderRow {
    std::string_view id;
    std::string_view name;
    bool is_private = false;
    std::string_view provider_type;  // health_centre or cottage_hospital
    std::string_view area;           // local area (närområde); empty for private providers
    std::int64_t size = 0;           // relative list size; the region's totals are split by it
    std::int64_t factor_scaled = 0;  // age/CNI/sparsity weight per listed citizen, 1/10,000
    bool sparse = false;             // receives the distance-based sparsity compensation
    bool tourist = false;            // many out-of-county visitors (ski resorts)
};

// A provider of a choice system other than primary care (dental clinic, foot care,
// physiotherapy).
struct UnitRow {
    std::string_view id;
    std::string_view name;
    bool is_private = false;
    std::string_view area;  // empty for private providers
    std::int64_t size = 0;  // relative size; listings and visits are split by it
};

// A band of the listed (an age band of dental care 3-23): its part of each side's listed, the
// yearly capitation per listed citizen in it and its weight per listed citizen (1/10,000).
struct Band {
    std::string_view detail;  // the payment's detail, e.g. age_3_6
    std::int64_t share = 0;   // relative; each side's listed is split by it (the ages in the band)
    std::int64_t price_sek = 0;
    std::int64_t weight_scaled = 0;
};

// A kind of visit paid at a price (foot care treatments and home visits, physiotherapy at
// the national tariff): the year's count, split over the months and the providers.
struct VisitKind {
    std::string_view detail;
    std::int64_t yearly_count = 0;
    std::int64_t price_sek = 0;
};

// A supplementary payment (newly arrived children, orthodontics), split over the providers.
struct Supplement {
    std::string_view detail;
    std::int64_t yearly_sek = 0;
    std::int64_t eligible_percent = 0;  // of the providers, drawn once a year
};

// A special assignment of the region-run organisation outside the choice (the public dental
// service's 0-2 years, area responsibility, public-health work): the cost it bears
// (commitment.cost_incurred, commitment `other`) and what the purchaser pays it for it
// (appropriation.granted, purpose `other`).
struct SpecialAssignment {
    std::string_view description;
    std::int64_t yearly_sek = 0;    // appropriated
    std::int64_t cost_percent = 0;  // the cost borne, of the appropriation
};

// A party that one scheme names and registers (a purchaser, a region-run organisation).
struct OwnParty {
    std::string_view id;
    std::string_view name;
    std::string_view side;  // purchaser, central or region_run (an organisation)
};

// A choice system of a sample region besides primary care. Yearly figures in whole SEK.
struct SchemeProfile {
    std::string_view scheme;         // dental_child_youth, foot_care or physiotherapy
    std::string_view provider_type;  // dental_clinic, foot_care or physiotherapy
    std::vector<UnitRow> units;
    std::vector<OwnParty> own_parties;   // registered by this scheme, before its providers
    std::string_view payer;              // pays the compensation: an own party or one of primary care's
    std::string_view organisation;       // the region-run organisation; empty: none
    std::int64_t listed_region_run = 0;  // 0 on both sides: no listing (paid per visit only)
    std::int64_t listed_private = 0;
    std::vector<Band> bands;  // capitation per listed, by band
    std::vector<VisitKind> visits;
    std::vector<Supplement> supplements;
    std::vector<SpecialAssignment> specials;
    std::int64_t visit_budget_sek = 0;                  // the year's budget of the visits (other_compensation)
    std::int64_t private_vat_compensation_percent = 0;  // of the private side's capitation and visits
    std::string_view decision_ref;
};

// The choice systems besides primary care of the region with this code (scheme_regions.cpp).
std::vector<SchemeProfile> schemes_of(std::string_view code);

// Yearly figures in whole SEK.
struct RegionProfile {
    std::string_view code;
    std::string_view name;
    std::vector<ProviderRow> providers;
    std::int64_t listed_region_run = 0;
    std::int64_t listed_private = 0;
    std::int64_t capitation_sek = 0;
    std::int64_t variable_sek = 0;
    std::int64_t nursing_home_sek = 0;
    std::int64_t family_centre_sek = 0;
    std::int64_t st_training_sek = 0;
    std::int64_t target_sek = 0;
    std::int64_t sparsity_sek = 0;
    std::int64_t e_frikort_sek = 0;
    std::int64_t acute_module_users = 0;
    std::int64_t omi_visits = 0;
    std::string_view omi_seller;
    std::int64_t on_call_coordination_sek = 0;
    std::int64_t st_director_sek = 0;
    std::int64_t bt_director_sek = 0;
    std::int64_t scheduling_admin_sek = 0;
    std::int64_t st_appropriation_sek = 0;
    std::string_view commitments_decision_ref;  // the decision behind special commitments and shared costs
    std::string_view model_decision_ref;        // the compensation model behind capitation
    std::vector<SchemeProfile> schemes;         // the region's other choice systems, in contract order
};

// The region with this ISO 3166-2 code, or nullptr.
const RegionProfile* find_region(std::string_view code);
const std::vector<RegionProfile>& all_regions();

}  // namespace likvard::sample_detail
