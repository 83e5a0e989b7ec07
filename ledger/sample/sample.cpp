// The sample-year generator: turns a region's table (regions.cpp) into a chronological year
// of events. Randomness comes only from std::mt19937_64 streams seeded by (seed, region,
// year), drawn through our own rejection sampler so the bytes do not depend on the standard
// library's distributions. Money is öre in int64; every budget is split with the ledger's
// largest-remainder splitter, so the parts add up exactly to the yearly figures.
#include "sample/sample.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "money/money.hpp"
#include "sample/detail/generator.hpp"
#include "sample/detail/regions.hpp"
#include "sample/detail/schemes.hpp"

namespace likvard {
namespace {

using sample_detail::days_in_month;
using sample_detail::decimal4;
using sample_detail::Line;
using sample_detail::money;
using sample_detail::months_per_year;
using sample_detail::period_of;
using sample_detail::ProviderRow;
using sample_detail::RegionProfile;
using sample_detail::require;
using sample_detail::Rng;
using sample_detail::SchemeCarry;
using sample_detail::SchemeGenerator;
using sample_detail::split;
using sample_detail::split_even;
using sample_detail::uuid_v4;

constexpr std::int64_t omi_unit_price_ore = 1'100 * Money::ore_per_sek;
constexpr std::int64_t tv_price_ore = 3'000 * Money::ore_per_sek;
constexpr std::int64_t acute_module_user_price_ore = 1'200 * Money::ore_per_sek;
constexpr std::int64_t vat_compensation_percent = 6;
constexpr std::int64_t it_overhead_percent = 2;
constexpr std::int64_t listed_per_staff = 190;
constexpr std::int64_t staff_min = 4;
constexpr std::int64_t office_licence_ore_per_staff = 26'500;
constexpr std::int64_t helpdesk_ore_per_staff = 14'000;
constexpr std::int64_t payroll_admin_ore_per_staff = 31'000;
constexpr std::int64_t finance_admin_ore_per_listed = 115;
constexpr std::int64_t hr_admin_ore_per_listed = 85;
constexpr int duplicate_month = 5;                     // a variable payment paid twice in May ...
constexpr int reversal_month = 6;                      // ... and reversed in June
constexpr std::array<int, 3> target_months{4, 8, 12};  // target payments per tertial
// Several years in one stream: the previous year is closed on this day of January, and the
// December target payment found wrong after the close is corrected a few days later.
constexpr int close_day = 12;
constexpr int late_correction_day = 19;
constexpr std::int64_t late_correction_percent = 94;      // the corrected payment, of the original
constexpr std::int64_t listing_drift_permille_min = -30;  // a provider's list from one year to the next
constexpr std::int64_t listing_drift_permille_max = 40;
constexpr std::array<std::int64_t, months_per_year> variable_season{100, 115, 120, 105, 90, 90,
                                                                    110, 95,  90,  95,  95, 95};
constexpr int budget_revision_month = 7;                  // the budget is revised after the first tertial's report
constexpr std::int64_t budget_revision_permille = 1'010;  // capitation of the region-run side, +1 %
constexpr std::int64_t commitment_budget_percent = 95;    // the commitments were budgeted a little low
constexpr std::array<std::int64_t, months_per_year> omi_season{100, 100, 100, 100, 100, 80, 40, 80, 100, 100, 100, 90};

constexpr std::string_view purchaser = "halsoval-bestallare";
constexpr std::string_view central = "regionens-centrala";
constexpr std::string_view health_director = "hs-direktor";
constexpr std::string_view region_run_org = "egen-regi-primarvard";
constexpr std::string_view e_frikort_vendor = "efrikort-leverantor";
constexpr std::string_view tv_vendor = "tv-leverantor";
constexpr std::string_view ehr_vendor = "cambio";

// A provider's state through the year.
struct Provider {
    const ProviderRow* row = nullptr;
    std::int64_t base_listed = 0;
    std::int64_t listed = 0;                                 // this month
    std::int64_t weighted_scaled = 0;                        // this month, 1/10,000
    std::int64_t capitation_ore = 0;                         // this month
    std::array<std::int64_t, 3> supplementary_yearly_ore{};  // nursing_home, family_centre, st_training
};

constexpr std::array<std::string_view, 3> supplementary_details{"nursing_home", "family_centre", "st_training"};
constexpr std::array<std::int64_t, 3> supplementary_eligible_percent{70, 30, 55};

// What one year of a stream of several years hands to the next: the lists the drift starts
// from and the December payment that turns out wrong after the year is closed.
struct YearCarry {
    int year = 0;
    std::vector<std::int64_t> base_listed;  // per provider, in the region's order
    std::string late_event_id;
    std::string late_provider_id;
    std::int64_t late_amount_ore = 0;
    std::vector<SchemeCarry> schemes;  // per scheme of the region besides primary care, in its order
};

class Generator {
public:
    // Without a previous year the year stands alone (`--year`); with one it continues it.
    Generator(const SampleSpec& spec, const RegionProfile& region, const YearCarry* previous = nullptr)
        : spec_(spec), region_(region), values_(spec, 1), ids_(spec, 2), links_(spec, 3), previous_(previous) {
        // Each scheme has streams of its own (10, 20, ...), so primary care draws what it drew alone.
        for (std::size_t k = 0; k < region_.schemes.size(); ++k)
            schemes_.emplace_back(spec_, region_, region_.schemes[k], static_cast<std::uint32_t>(10 * (k + 1)),
                                  previous_ != nullptr ? &previous_->schemes.at(k) : nullptr);
    }

    std::vector<std::string> run(bool close_after = false) {
        plan_year();
        if (previous_ != nullptr) drift_listing();
        for (int month = 1; month <= months_per_year; ++month) generate_month(month);
        if (close_after) {
            close_year(spec_.year, spec_.year + 1);
            for (auto& scheme : schemes_) scheme.close_year(spec_.year, spec_.year + 1, close_day, lines_);
        }
        flush();
        return std::move(out_);
    }

    // Called after run(): what the next year of the stream continues from.
    YearCarry carry() {
        YearCarry next{spec_.year, {}, {}, {}, 0, {}};
        for (const auto& scheme : schemes_) next.schemes.push_back(scheme.carry());
        for (const auto& p : providers_) next.base_listed.push_back(p.base_listed);
        std::vector<std::size_t> paid;
        for (std::size_t i = 0; i < december_target_ids_.size(); ++i)
            if (!december_target_ids_[i].empty()) paid.push_back(i);
        require(!paid.empty(), "no December target payment to correct");
        const std::size_t chosen = paid[static_cast<std::size_t>(links_.between(0, std::ssize(paid) - 1))];
        next.late_event_id = december_target_ids_[chosen];
        next.late_provider_id = providers_[chosen].row->id;
        next.late_amount_ore = december_target_ore_[chosen];
        return next;
    }

private:
    // ---- the year's plan: fixed before the first event, in one order, for determinism ----
    void plan_year() {
        for (const auto& row : region_.providers) providers_.push_back(Provider{&row});
        split_base_listing(false, region_.listed_region_run);
        split_base_listing(true, region_.listed_private);
        for (std::size_t detail = 0; detail < supplementary_details.size(); ++detail) plan_supplementary(detail);
        capitation_monthly_ = split_even(sek(region_.capitation_sek), months_per_year);
        variable_monthly_ = split(sek(region_.variable_sek), noisy(variable_season, 5));
        sparsity_monthly_ = split_even(sek(region_.sparsity_sek), months_per_year);
        target_tertial_ = split_even(sek(region_.target_sek), target_months.size());
        e_frikort_monthly_ = split(sek(region_.e_frikort_sek), noisy(std::array<std::int64_t, 12>{}, 15, 100));
        omi_monthly_ = split(region_.omi_visits, noisy(omi_season, 10));
        duplicate_provider_ = static_cast<std::size_t>(values_.between(0, std::ssize(providers_) - 1));
    }

    static std::int64_t sek(std::int64_t whole) { return sample_detail::sek(whole); }

    std::vector<std::int64_t> noisy(const std::array<std::int64_t, months_per_year>& base, std::int64_t spread,
                                    std::int64_t offset = 0) {
        std::vector<std::int64_t> weights;
        for (const auto w : base) weights.push_back(offset + w + values_.between(-spread, spread));
        return weights;
    }

    void split_base_listing(bool is_private, std::int64_t total) {
        std::vector<Provider*> side;
        std::vector<std::int64_t> sizes;
        for (auto& p : providers_)
            if (p.row->is_private == is_private) {
                side.push_back(&p);
                sizes.push_back(p.row->size);
            }
        const auto parts = split(total, sizes);
        for (std::size_t i = 0; i < side.size(); ++i) side[i]->base_listed = parts[i];
    }

    void plan_supplementary(std::size_t detail) {
        const std::int64_t yearly[3] = {region_.nursing_home_sek, region_.family_centre_sek, region_.st_training_sek};
        std::vector<std::int64_t> weights;
        for (const auto& p : providers_) {
            const bool eligible = values_.between(1, 100) <= supplementary_eligible_percent[detail];
            weights.push_back(eligible ? p.base_listed * values_.between(70, 130) : 0);
        }
        if (std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; }))
            weights.front() = 1;  // someone always trains ST doctors
        const auto parts = split(sek(yearly[detail]), weights);
        for (std::size_t i = 0; i < providers_.size(); ++i) providers_[i].supplementary_yearly_ore[detail] = parts[i];
    }

    // ---- one month ----
    void generate_month(int month) {
        if (month == 1 && previous_ == nullptr) registrations();
        listings(month);
        if (month == 1) year_budget();
        if (month == budget_revision_month) budget_revision();
        if (month == 1) acute_module(month);
        if (month == 2) appropriation(month);
        if (month == 3) waiting_room_tvs(month);
        capitation(month);
        variable(month);
        supplementary(month);
        sparsity(month);
        if (std::find(target_months.begin(), target_months.end(), month) != target_months.end()) target(month);
        overhead(month);
        if (month == months_per_year) deficit_compensation(month);
        if (month == reversal_month) reversal(month);
        internal_charges(month);
        omi(month);
        commitments(month);
        e_frikort(month);
        if (month == 1 && previous_ != nullptr) previous_year(*previous_);
        for (auto& scheme : schemes_) {  // the other choice systems' events of the month, after primary care's
            if (month == 1 && previous_ != nullptr) scheme.close_year(previous_->year, spec_.year, close_day, lines_);
            scheme.month(month, lines_);
        }
        flush();
    }

    void flush() {
        std::stable_sort(lines_.begin(), lines_.end(), [](const Line& a, const Line& b) { return a.day < b.day; });
        for (auto& line : lines_) out_.push_back(std::move(line.json));
        lines_.clear();
    }

    std::string emit(int month, int day, std::string_view type, std::string_view system, const std::string& reference,
                     std::string_view decision_ref, boost::json::object data) {
        require(day >= 1 && day <= days_in_month(spec_.year, month), "a day outside its month");
        char occurred_on[64];
        std::snprintf(occurred_on, sizeof occurred_on, "%04d-%02d-%02d", spec_.year, month, day);
        return emit_at(period_of(spec_.year, month), occurred_on, day, type, system, reference, decision_ref,
                       std::move(data));
    }

    // An event of `period` that happened on `occurred_on` (a close falls after its period).
    std::string emit_at(const std::string& period, const std::string& occurred_on, int day, std::string_view type,
                        std::string_view system, const std::string& reference, std::string_view decision_ref,
                        boost::json::object data) {
        const std::string id = uuid_v4(ids_);
        boost::json::object event{
            {"event_id", id},
            {"type", type},
            {"schema_version", 1},
            {"region", region_.code},
            {"scheme", "primary_care"},
            {"period", period},
            {"occurred_on", occurred_on},
            {"source", boost::json::object{{"system", system}, {"reference", reference}}},
        };
        if (!decision_ref.empty()) event["decision_ref"] = decision_ref;
        event["data"] = std::move(data);
        lines_.push_back({day, boost::json::serialize(event)});
        return id;
    }

    std::string voucher(int month) {
        char text[64];
        std::snprintf(text, sizeof text, "VER-%04d-%02d-%05d", spec_.year, month, ++vouchers_);
        return text;
    }

    std::string invoice(std::string_view prefix) {
        return std::string(prefix) + "-" + std::to_string(spec_.year) + "-" +
               std::to_string(values_.between(10000, 99999));
    }

    int last_day(int month) const { return days_in_month(spec_.year, month); }

    // ---- parties ----
    void register_party(std::string_view id, std::string_view name, std::string_view kind, std::string_view side,
                        std::string_view provider_type = {}, std::string_view area = {}) {
        boost::json::object data{{"party_id", id}, {"name", name}, {"kind", kind}, {"side", side}};
        if (!provider_type.empty()) data["provider_type"] = provider_type;
        if (!area.empty()) data["area"] = area;
        char reference[64];
        std::snprintf(reference, sizeof reference, "PR-%04d-%04d", spec_.year, ++registrations_);
        emit(1, 1, "party.registered", "partsregister", reference, {}, std::move(data));
    }

    void registrations() {
        register_party(purchaser, "Hälsovalsenheten (beställare)", "organisation", "purchaser");
        register_party(central, "Regionens centrala budget", "organisation", "central");
        register_party(health_director, "Hälso- och sjukvårdsdirektören", "organisation", "central");
        register_party(region_run_org, "Primärvård i egen regi", "organisation", "region_run");
        for (const auto& p : providers_)
            register_party(p.row->id, p.row->name, "provider", p.row->is_private ? "private" : "region_run",
                           p.row->provider_type, p.row->area);
        register_party(e_frikort_vendor, "E-frikort, leverantör", "vendor", "external");
        register_party(tv_vendor, "Väntrums-tv, leverantör", "vendor", "external");
        register_party(ehr_vendor, "Cambio Healthcare Systems (Cosmic, akutmodul)", "vendor", "external");
    }

    // ---- listings: a slow growth and a little noise around each provider's base ----
    void listings(int month) {
        for (auto& p : providers_) {
            const std::int64_t drift = values_.between(-60, 60) + 2 * month;  // 1/10,000 of the base
            p.listed = p.base_listed + p.base_listed * drift / 10'000;
            p.weighted_scaled = p.listed * p.row->factor_scaled;
            boost::json::object data{
                {"provider_id", p.row->id}, {"listed", p.listed}, {"weighted_listed", decimal4(p.weighted_scaled)}};
            const std::string reference = "LR-" + period_of(spec_.year, month) + "-" + std::string(p.row->id);
            emit(month, 1, "listing.recorded", "listningsregistret", reference, {}, std::move(data));
        }
    }

    // ---- the year's budget (budget.set): set in January, capitation revised in July ----
    void set_budget(int month, int period, boost::json::object key, std::string_view line, std::int64_t amount_ore) {
        key["line"] = line;
        key["amount"] = money(amount_ore);
        char reference[64];
        std::snprintf(reference, sizeof reference, "BU-%04d-%02d-%04d", spec_.year, period, ++budgets_);
        emit(month, 1, "budget.set", "budget", reference, region_.model_decision_ref, std::move(key));
        // The budget of `period`, decided in `month`: the envelope's period is the month budgeted.
        auto event = boost::json::parse(lines_.back().json).as_object();
        event["period"] = period_of(spec_.year, period);
        lines_.back().json = boost::json::serialize(event);
    }

    static boost::json::object side_key(std::string_view side) { return {{"side", side}}; }
    static std::size_t index_of(int month) { return static_cast<std::size_t>(month - 1); }

    // Each side's share of a month's capitation by January's weighted listing.
    std::array<std::int64_t, 2> side_capitation(int period) {
        std::int64_t region_run = 0, all = 0;
        for (const auto& p : providers_) {
            all += p.weighted_scaled;
            if (!p.row->is_private) region_run += p.weighted_scaled;
        }
        const auto parts = split(capitation_monthly_[index_of(period)], {region_run, all - region_run});
        return {parts[0], parts[1]};
    }

    void month_budget(int period) {
        const auto capitation = side_capitation(period);
        set_budget(1, period, side_key("region_run"), "capitation", capitation[0]);
        set_budget(1, period, side_key("private"), "capitation", capitation[1]);
        const auto variable_month = split_even(sek(region_.variable_sek), months_per_year)[index_of(period)];
        const auto variable = split(variable_month, {capitation[0], capitation[1]});
        set_budget(1, period, side_key("region_run"), "variable", variable[0]);
        set_budget(1, period, side_key("private"), "variable", variable[1]);
        set_budget(1, period, side_key("region_run"), "deficit_compensation", 0);  // none planned
        std::int64_t all = 0;
        for (const auto& p : providers_) all += p.weighted_scaled;
        for (const auto& p : providers_) {  // overhead per private provider, on its share of the capitation
            if (!p.row->is_private) continue;
            const __int128 share = __int128{capitation_monthly_[index_of(period)]} * p.weighted_scaled;
            const std::int64_t capitation_ore = divide_round_half_away(share, all);
            const auto percent = vat_compensation_percent + it_overhead_percent;
            set_budget(1, period, {{"party_id", p.row->id}}, "overhead_compensation",
                       divide_round_half_away(__int128{capitation_ore} * percent, 100));
        }
        for (const auto& [name, yearly_sek] : commitment_yearly_sek()) {
            const std::int64_t part = split_even(sek(yearly_sek), months_per_year)[index_of(period)];
            set_budget(1, period, side_key("region_run"), "commitment:" + std::string(name),
                       divide_round_half_away(__int128{part} * commitment_budget_percent, 100));
        }
    }

    void year_budget() {
        for (int period = 1; period <= months_per_year; ++period) month_budget(period);
    }

    // The revised budget replaces the January one for the rest of the year: the last wins.
    void budget_revision() {
        for (int period = budget_revision_month; period <= months_per_year; ++period) {
            const std::int64_t capitation = side_capitation(period)[0];
            set_budget(budget_revision_month, period, side_key("region_run"), "capitation",
                       divide_round_half_away(__int128{capitation} * budget_revision_permille, 1'000));
        }
    }

    std::array<std::pair<std::string_view, std::int64_t>, 4> commitment_yearly_sek() const {
        return {{{"on_call_coordination", region_.on_call_coordination_sek},
                 {"st_director_of_studies", region_.st_director_sek},
                 {"bt_director_of_studies", region_.bt_director_sek},
                 {"scheduling_payroll_billing_admin", region_.scheduling_admin_sek}}};
    }

    // ---- payments from the purchaser ----
    std::string pay(int month, int day, std::string_view payer, const Provider& p, std::string_view component,
                    std::string_view detail, std::int64_t amount_ore, std::string_view decision_ref = {}) {
        boost::json::object data{{"payer_id", payer}, {"provider_id", p.row->id}, {"component", component}};
        if (!detail.empty()) data["detail"] = detail;
        data["amount"] = money(amount_ore);
        return emit(month, day, "payment.made", "raindance", voucher(month), decision_ref, std::move(data));
    }

    void capitation(int month) {
        std::vector<std::int64_t> weights;
        for (const auto& p : providers_) weights.push_back(p.weighted_scaled);
        const auto parts = split(capitation_monthly_[static_cast<std::size_t>(month - 1)], weights);
        for (std::size_t i = 0; i < providers_.size(); ++i) {
            providers_[i].capitation_ore = parts[i];
            pay(month, 25, purchaser, providers_[i], "capitation", {}, parts[i], region_.model_decision_ref);
        }
    }

    void variable(int month) {
        const std::int64_t pot = variable_monthly_[static_cast<std::size_t>(month - 1)];
        const std::int64_t patient_fees = pot * 85 / 100;
        std::vector<std::int64_t> fee_weights, visitor_weights;
        for (const auto& p : providers_) {
            fee_weights.push_back(p.listed * values_.between(85, 115));
            visitor_weights.push_back(p.listed * (p.row->tourist ? 8 : 1) * values_.between(50, 150));
        }
        const auto fees = split(patient_fees, fee_weights);
        const auto visitors = split(pot - patient_fees, visitor_weights);
        for (std::size_t i = 0; i < providers_.size(); ++i) {
            if (fees[i] > 0) pay(month, 25, purchaser, providers_[i], "variable", "patient_fees", fees[i]);
            if (visitors[i] > 0) pay(month, 25, purchaser, providers_[i], "variable", "out_of_county", visitors[i]);
        }
        if (month == duplicate_month) {  // the same payment run twice by mistake
            const Provider& p = providers_[duplicate_provider_];
            duplicate_event_id_ = pay(month, 26, purchaser, p, "variable", "patient_fees", fees[duplicate_provider_]);
            duplicate_provider_id_ = p.row->id;
        }
    }

    void supplementary(int month) {
        for (std::size_t detail = 0; detail < supplementary_details.size(); ++detail)
            for (const auto& p : providers_) {
                const std::int64_t yearly = p.supplementary_yearly_ore[detail];
                if (yearly == 0) continue;
                const std::int64_t part = split_even(yearly, months_per_year)[static_cast<std::size_t>(month - 1)];
                if (part > 0) pay(month, 25, purchaser, p, "supplementary", supplementary_details[detail], part);
            }
    }

    void sparsity(int month) {
        std::vector<std::int64_t> weights;
        for (const auto& p : providers_) weights.push_back(p.row->sparse ? p.row->factor_scaled - 10'000 : 0);
        const auto parts = split(sparsity_monthly_[static_cast<std::size_t>(month - 1)], weights);
        for (std::size_t i = 0; i < providers_.size(); ++i)
            if (parts[i] > 0) pay(month, 25, purchaser, providers_[i], "sparsity", "distance_and_list_size", parts[i]);
    }

    void target(int month) {
        const auto tertial = static_cast<std::size_t>(std::find(target_months.begin(), target_months.end(), month) -
                                                      target_months.begin());
        std::vector<std::int64_t> weights;  // weighted listing times the share of targets reached
        for (const auto& p : providers_) weights.push_back(p.weighted_scaled / 100 * values_.between(50, 100));
        const auto parts = split(target_tertial_[tertial], weights);
        december_target_ids_.assign(providers_.size(), {});
        december_target_ore_.assign(providers_.size(), 0);
        for (std::size_t i = 0; i < providers_.size(); ++i) {
            if (parts[i] == 0) continue;
            december_target_ids_[i] = pay(month, 25, purchaser, providers_[i], "target", "target_related", parts[i]);
            december_target_ore_[i] = parts[i];
        }
    }

    // ---- several years: the previous year's closes and its late correction ----
    void drift_listing() {
        require(previous_->base_listed.size() == providers_.size(), "the previous year has other providers");
        for (std::size_t i = 0; i < providers_.size(); ++i) {
            const std::int64_t drift = links_.between(listing_drift_permille_min, listing_drift_permille_max);
            const std::int64_t before = previous_->base_listed[i];
            providers_[i].base_listed = before + before * drift / 1'000;
        }
    }

    void previous_year(const YearCarry& previous) {
        close_year(previous.year, spec_.year);
        boost::json::object reversal{
            {"reverses", previous.late_event_id},
            {"reason", "Målrelaterad ersättning för " + period_of(previous.year, months_per_year) + " till " +
                           previous.late_provider_id + " beräknades på fel måluppfyllelse; den bokas om i " +
                           period_of(spec_.year, 1) + " efter bokslutet."}};
        emit(1, late_correction_day, "entry.reversed", "raindance", voucher(1), {}, std::move(reversal));
        for (const auto& p : providers_)
            if (p.row->id == previous.late_provider_id)
                pay(1, late_correction_day, purchaser, p, "target", "target_related",
                    previous.late_amount_ore * late_correction_percent / 100);
    }

    // Every month of `year`, closed in January of `closed_in` (the year after).
    void close_year(int year, int closed_in) {
        char occurred_on[64];
        std::snprintf(occurred_on, sizeof occurred_on, "%04d-01-%02d", closed_in, close_day);
        for (int month = 1; month <= months_per_year; ++month) {
            char reference[64];
            std::snprintf(reference, sizeof reference, "BS-%04d-%02d", year, month);
            emit_at(period_of(year, month), occurred_on, close_day, "period.closed", "raindance", reference, {},
                    boost::json::object{});
        }
    }

    void deficit_compensation(int month) {
        std::vector<std::size_t> region_run;
        for (std::size_t i = 0; i < providers_.size(); ++i)
            if (!providers_[i].row->is_private) region_run.push_back(i);
        const auto first = static_cast<std::size_t>(values_.between(0, std::ssize(region_run) - 1));
        const auto second =
            (first + 1 + static_cast<std::size_t>(values_.between(0, std::ssize(region_run) - 2))) % region_run.size();
        for (const auto index : {region_run[first], region_run[second]})
            pay(month, 20, central, providers_[index], "deficit_compensation", "year_end_deficit",
                sek(values_.between(600, 1'600) * 1'000));
    }

    void reversal(int month) {
        require(!duplicate_event_id_.empty(), "nothing to reverse");
        boost::json::object data{
            {"reverses", duplicate_event_id_},
            {"reason", "Variable compensation (patient fees) for " + period_of(spec_.year, duplicate_month) + " to " +
                           duplicate_provider_id_ + " was paid twice; the duplicate is reversed."}};
        emit(month, 10, "entry.reversed", "raindance", voucher(month), {}, std::move(data));
    }

    // ---- overhead compensation to private providers, from their capitation ----
    void overhead(int month) {
        for (const auto& p : providers_) {
            if (!p.row->is_private || p.capitation_ore == 0) continue;
            const std::int64_t vat = divide_round_half_away(__int128{p.capitation_ore} * vat_compensation_percent, 100);
            const std::int64_t it = divide_round_half_away(__int128{p.capitation_ore} * it_overhead_percent, 100);
            for (const auto& [category, amount] : {std::pair{"vat_compensation", vat}, std::pair{"it", it}}) {
                boost::json::object data{{"payer_id", purchaser},
                                         {"provider_id", p.row->id},
                                         {"category", category},
                                         {"amount", money(amount)}};
                emit(month, 25, "overhead.compensated", "raindance", voucher(month), {}, std::move(data));
            }
        }
    }

    // ---- internal charges from the central functions to region-run units ----
    void internal_charges(int month) {
        for (const auto& p : providers_) {
            if (p.row->is_private) continue;
            const std::int64_t staff = std::max(staff_min, p.listed / listed_per_staff);
            const std::array<std::pair<const char*, std::int64_t>, 5> charges{{
                {"office_licences", staff * office_licence_ore_per_staff},
                {"helpdesk", staff * helpdesk_ore_per_staff * values_.between(90, 110) / 100},
                {"finance_admin", p.listed * finance_admin_ore_per_listed},
                {"hr_admin", p.listed * hr_admin_ore_per_listed},
                {"payroll_admin", staff * payroll_admin_ore_per_staff},
            }};
            for (const auto& [category, amount] : charges) {
                boost::json::object data{{"charged_by", central},
                                         {"party_id", p.row->id},
                                         {"category", category},
                                         {"amount", money(amount)}};
                char reference[64];
                std::snprintf(reference, sizeof reference, "ID-%04d-%02d-%05d", spec_.year, month, ++vouchers_);
                emit(month, 28, "internal_charge.booked", "raindance", reference, {}, std::move(data));
            }
        }
    }

    // ---- shared costs paid by the region-run side (and the health-care director) ----
    boost::json::array paid_by(std::initializer_list<std::pair<std::string_view, std::string_view>> shares) {
        boost::json::array payers;
        for (const auto& [party, share] : shares)
            payers.push_back(boost::json::object{{"party_id", party}, {"share", share}});
        return payers;
    }

    void shared_cost(int month, int day, std::string_view service, std::string_view vendor, std::int64_t amount_ore,
                     boost::json::array payers, boost::json::object allocation, const std::string& reference) {
        boost::json::object data{{"service", service},
                                 {"vendor_id", vendor},
                                 {"amount", money(amount_ore)},
                                 {"paid_by", std::move(payers)},
                                 {"allocation", std::move(allocation)}};
        emit(month, day, "shared_cost.incurred", "faktura", reference, region_.commitments_decision_ref,
             std::move(data));
    }

    void e_frikort(int month) {
        shared_cost(month, last_day(month), "e_frikort", e_frikort_vendor,
                    e_frikort_monthly_[static_cast<std::size_t>(month - 1)],
                    paid_by({{region_run_org, "0.5"}, {health_director, "0.5"}}),
                    boost::json::object{{"key", "listed"},
                                        {"beneficiaries", "all_providers"},
                                        {"basis", "delat 50/50 enligt överenskommelse, utan exakt underlag"},
                                        {"estimate", true}},
                    invoice("EFK"));
    }

    void waiting_room_tvs(int month) {
        const auto count = static_cast<std::int64_t>(providers_.size());
        shared_cost(month, 15, "waiting_room_tv", tv_vendor, count * tv_price_ore, paid_by({{region_run_org, "1"}}),
                    boost::json::object{{"key", "equal"},
                                        {"beneficiaries", "all_providers"},
                                        {"basis", "en väntrumsskärm per utförare, lika delar"}},
                    invoice("TV"));
    }

    // Every provider has at least one user of the acute module; the rest follow the listing.
    void acute_module(int month) {
        const auto count = static_cast<std::int64_t>(providers_.size());
        require(region_.acute_module_users >= count, "fewer acute-module users than providers");
        std::vector<std::int64_t> listed;
        for (const auto& p : providers_) listed.push_back(p.listed);
        const auto extra = split(region_.acute_module_users - count, listed);
        boost::json::object weights;
        for (std::size_t i = 0; i < providers_.size(); ++i)
            weights[providers_[i].row->id] = std::to_string(1 + extra[i]);
        shared_cost(month, 15, "acute_module", ehr_vendor, region_.acute_module_users * acute_module_user_price_ore,
                    paid_by({{region_run_org, "1"}}),
                    boost::json::object{{"key", "users"},
                                        {"beneficiaries", "all_providers"},
                                        {"weights", weights},
                                        {"basis", "antal användare av akutmodulen per utförare"}},
                    invoice("CAMBIO"));
    }

    // ---- the region-run side's special commitments as principal, and their funding ----
    void commitments(int month) {
        struct Commitment {
            const char* name;
            std::int64_t yearly_sek;
            const char* fte;
            const char* description;
        };
        const std::array<Commitment, 4> all{{
            {"on_call_coordination", region_.on_call_coordination_sek, nullptr,
             "Administrative coordination of on-call duty (jour och beredskap)"},
            {"st_director_of_studies", region_.st_director_sek, nullptr, "Director of studies for ST training"},
            {"bt_director_of_studies", region_.bt_director_sek, "0.20", "Director of studies for BT, 20 %"},
            {"scheduling_payroll_billing_admin", region_.scheduling_admin_sek, nullptr,
             "Scheduling, payroll, calculations and billing for all actors in the choice system"},
        }};
        for (const auto& c : all) {
            const std::int64_t part =
                split_even(sek(c.yearly_sek), months_per_year)[static_cast<std::size_t>(month - 1)];
            boost::json::object data{{"commitment", c.name}, {"borne_by", region_run_org}, {"amount", money(part)}};
            if (c.fte != nullptr) data["fte"] = c.fte;
            data["description"] = c.description;
            emit(month, last_day(month), "commitment.cost_incurred", "raindance", voucher(month),
                 region_.commitments_decision_ref, std::move(data));
        }
    }

    void appropriation(int month) {
        if (region_.st_appropriation_sek == 0) return;
        boost::json::object data{{"granted_by", central},
                                 {"party_id", region_run_org},
                                 {"purpose", "st_director_of_studies"},
                                 {"amount", money(sek(region_.st_appropriation_sek))}};
        emit(month, 15, "appropriation.granted", "raindance", voucher(month), region_.commitments_decision_ref,
             std::move(data));
    }

    // ---- OMI: one centre sells orthopaedic-medicine visits to the others at a price list ----
    void omi(int month) {
        const std::int64_t visits = omi_monthly_[static_cast<std::size_t>(month - 1)];
        const Provider* seller = nullptr;
        std::vector<std::int64_t> weights;
        for (const auto& p : providers_) {
            if (p.row->id == region_.omi_seller) seller = &p;
            const bool buyer = p.row->id != region_.omi_seller;
            weights.push_back(buyer ? p.listed * values_.between(0, 10) : 0);
        }
        require(seller != nullptr, "the OMI seller is not a provider of the region");
        if (std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; }))
            weights[seller == &providers_.front() ? 1 : 0] = 1;
        const auto parts = split(visits, weights);
        for (std::size_t i = 0; i < providers_.size(); ++i) {
            if (parts[i] == 0) continue;
            boost::json::object data{{"seller_id", seller->row->id},
                                     {"buyer_id", providers_[i].row->id},
                                     {"service", "omi"},
                                     {"quantity", parts[i]},
                                     {"unit_price", money(omi_unit_price_ore)},
                                     {"amount", money(parts[i] * omi_unit_price_ore)}};
            const std::string reference =
                "OMI-" + period_of(spec_.year, month) + "-" + std::string(providers_[i].row->id);
            emit(month, last_day(month), "service.purchased", "faktura", reference, {}, std::move(data));
        }
    }

    const SampleSpec& spec_;
    const RegionProfile& region_;
    Rng values_;  // amounts, listings and choices
    Rng ids_;     // event ids only, so a change in amounts does not move every id
    Rng links_;   // the choices that link one year to the next; a year alone draws none
    const YearCarry* previous_ = nullptr;
    std::vector<std::string> december_target_ids_;  // per provider; empty where nothing was paid
    std::vector<std::int64_t> december_target_ore_;
    std::vector<Provider> providers_;
    std::vector<std::int64_t> capitation_monthly_, variable_monthly_, sparsity_monthly_, target_tertial_,
        e_frikort_monthly_, omi_monthly_;
    std::size_t duplicate_provider_ = 0;
    std::string duplicate_event_id_;
    std::string duplicate_provider_id_;
    int vouchers_ = 0;
    int registrations_ = 0;
    int budgets_ = 0;
    std::vector<SchemeGenerator> schemes_;  // the region's other choice systems
    std::vector<Line> lines_;               // the month being generated
    std::vector<std::string> out_;          // the year so far
};

}  // namespace

std::vector<std::string> sample_regions() {
    std::vector<std::string> codes;
    for (const auto& region : sample_detail::all_regions()) codes.emplace_back(region.code);
    std::sort(codes.begin(), codes.end());
    return codes;
}

namespace {

const RegionProfile& checked_region(const SampleSpec& spec) {
    const RegionProfile* region = sample_detail::find_region(spec.region);
    if (region == nullptr) throw std::invalid_argument("unknown sample region '" + spec.region + "'");
    if (spec.year < sample_year_min || spec.year > sample_year_max)
        throw std::invalid_argument("year " + std::to_string(spec.year) + " is outside " +
                                    std::to_string(sample_year_min) + ".." + std::to_string(sample_year_max));
    return *region;
}

}  // namespace

std::vector<std::string> generate_sample(const SampleSpec& spec) { return Generator(spec, checked_region(spec)).run(); }

std::vector<std::string> generate_sample_years(const SampleYears& years) {
    if (years.last_year < years.first_year)
        throw std::invalid_argument("the years " + std::to_string(years.first_year) + "-" +
                                    std::to_string(years.last_year) + " end before they begin");
    if (years.last_year - years.first_year + 1 > sample_years_max)
        throw std::invalid_argument("at most " + std::to_string(sample_years_max) + " years in one sample");
    std::vector<std::string> lines;
    std::optional<YearCarry> previous;
    for (int year = years.first_year; year <= years.last_year; ++year) {
        const SampleSpec spec{years.region, year, years.seed};
        Generator generator(spec, checked_region(spec), previous ? &*previous : nullptr);
        auto year_lines = generator.run(year == years.last_year);
        for (auto& line : year_lines) lines.push_back(std::move(line));
        previous = generator.carry();
    }
    return lines;
}

std::size_t write_sample(const SampleSpec& spec, std::ostream& out) {
    const auto lines = generate_sample(spec);
    for (const auto& line : lines) out << line << '\n';
    return lines.size();
}

std::size_t write_sample_years(const SampleYears& years, std::ostream& out) {
    const auto lines = generate_sample_years(years);
    for (const auto& line : lines) out << line << '\n';
    return lines.size();
}

}  // namespace likvard
