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
};

// The region with this ISO 3166-2 code, or nullptr.
const RegionProfile* find_region(std::string_view code);
const std::vector<RegionProfile>& all_regions();

}  // namespace likvard::sample_detail
