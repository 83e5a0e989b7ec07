// One choice system besides primary care for one sample year (detail/schemes.hpp): the
// region's table of the scheme (scheme_regions.cpp) turned into events. Capitation is paid
// per listed citizen of each band at the band's yearly price, supplements and visits are
// split with the largest remainder, so the year's sums are exactly the table's figures.
#include "sample/detail/schemes.hpp"

#include <algorithm>
#include <utility>

namespace likvard::sample_detail {
namespace {

constexpr int payment_day = 25;
constexpr int appropriation_day = 15;
constexpr std::int64_t listing_drift_permille_min = -30;  // a side's listed from one year to the next
constexpr std::int64_t listing_drift_permille_max = 40;
constexpr std::array<std::int64_t, months_per_year> visit_season{100, 105, 105, 100, 95, 85, 55, 75, 105, 110, 105, 90};

std::string_view voucher_prefix(std::string_view scheme) {
    if (scheme == "dental_child_youth") return "TAND";
    if (scheme == "foot_care") return "FOT";
    return "FYS";
}

std::string first_of_january(int year) {
    char text[64];
    std::snprintf(text, sizeof text, "%04d-01-01", year);
    return text;
}

}  // namespace

SchemeGenerator::SchemeGenerator(const SampleSpec& spec, const RegionProfile& region, const SchemeProfile& scheme,
                                 std::uint32_t stream, const SchemeCarry* previous)
    : spec_(spec),
      region_(region),
      scheme_(scheme),
      values_(spec, stream + 1),
      ids_(spec, stream + 2),
      links_(spec, stream + 3),
      previous_(previous) {
    plan_year();
}

// ---- the year's plan, fixed before the first event ----
void SchemeGenerator::plan_year() {
    for (const auto& row : scheme_.units) units_.push_back(Unit{&row, {}, {}, 0, 0, 0});
    for (auto& unit : units_) unit.band_listed.assign(scheme_.bands.size(), 0);
    listed_ = {scheme_.listed_region_run, scheme_.listed_private};
    if (previous_ != nullptr) {  // each side's listed drifts from the year before
        const auto drifted = [this](std::int64_t before) {
            return before + before * links_.between(listing_drift_permille_min, listing_drift_permille_max) / 1'000;
        };
        listed_.listed_region_run = drifted(previous_->listed_region_run);
        listed_.listed_private = drifted(previous_->listed_private);
    }
    plan_bands(false, listed_.listed_region_run);
    plan_bands(true, listed_.listed_private);
    plan_supplements();
    for (const auto& kind : scheme_.visits) {
        std::vector<std::int64_t> weights;
        for (const auto w : visit_season) weights.push_back(w + values_.between(-8, 8));
        visit_monthly_.push_back(split(kind.yearly_count, weights));
    }
}

// A side's listed split by band, then each band over the side's units by their size.
void SchemeGenerator::plan_bands(bool is_private, std::int64_t listed) {
    std::vector<Unit*> side;
    std::vector<std::int64_t> sizes;
    for (auto& unit : units_) {
        if (unit.row->is_private != is_private) continue;
        side.push_back(&unit);
        sizes.push_back(unit.row->size);
    }
    if (side.empty() || scheme_.bands.empty() || listed == 0) return;
    std::vector<std::int64_t> shares;
    for (const auto& band : scheme_.bands) shares.push_back(band.share);
    const auto by_band = split(listed, shares);
    for (std::size_t b = 0; b < scheme_.bands.size(); ++b) {
        const auto parts = split(by_band[b], sizes);
        for (std::size_t i = 0; i < side.size(); ++i) {
            side[i]->band_listed[b] = parts[i];
            side[i]->listed += parts[i];
            side[i]->weighted_scaled += parts[i] * scheme_.bands[b].weight_scaled;
        }
    }
}

void SchemeGenerator::plan_supplements() {
    for (auto& unit : units_) unit.supplement_ore.assign(scheme_.supplements.size(), 0);
    for (std::size_t s = 0; s < scheme_.supplements.size(); ++s) {
        std::vector<std::int64_t> weights;
        for (const auto& unit : units_) {
            const bool eligible = values_.between(1, 100) <= scheme_.supplements[s].eligible_percent;
            weights.push_back(eligible ? unit.row->size * values_.between(70, 130) : 0);
        }
        if (std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; })) weights.front() = 1;
        const auto parts = split(sek(scheme_.supplements[s].yearly_sek), weights);
        for (std::size_t i = 0; i < units_.size(); ++i) units_[i].supplement_ore[s] = parts[i];
    }
}

// ---- one month ----
void SchemeGenerator::month(int month, std::vector<Line>& lines) {
    lines_ = &lines;
    if (month == 1 && previous_ == nullptr) registrations();
    listings(month);
    if (month == 1) budgets();
    capitation(month);
    supplements(month);
    visits(month);
    vat_compensation(month);
    specials(month);
    lines_ = nullptr;
}

void SchemeGenerator::close_year(int year, int closed_in, int close_day, std::vector<Line>& lines) {
    lines_ = &lines;
    char occurred_on[64];
    std::snprintf(occurred_on, sizeof occurred_on, "%04d-01-%02d", closed_in, close_day);
    for (int month = 1; month <= months_per_year; ++month) {
        char reference[64];
        std::snprintf(reference, sizeof reference, "BS-%s-%04d-%02d",
                      std::string(voucher_prefix(scheme_.scheme)).c_str(), year, month);
        emit(period_of(year, month), occurred_on, close_day, "period.closed", "raindance", reference, {},
             boost::json::object{});
    }
    lines_ = nullptr;
}

SchemeCarry SchemeGenerator::carry() const { return listed_; }

void SchemeGenerator::registrations() {
    const auto reference = [this] {
        char text[64];
        std::snprintf(text, sizeof text, "PR-%s-%04d-%04d", std::string(voucher_prefix(scheme_.scheme)).c_str(),
                      spec_.year, ++registrations_);
        return std::string(text);
    };
    for (const auto& party : scheme_.own_parties) {
        boost::json::object data{
            {"party_id", party.id}, {"name", party.name}, {"kind", "organisation"}, {"side", party.side}};
        emit_in(1, 1, "party.registered", reference(), {}, std::move(data));
    }
    for (const auto& unit : units_) {
        boost::json::object data{{"party_id", unit.row->id},
                                 {"name", unit.row->name},
                                 {"kind", "provider"},
                                 {"side", unit.row->is_private ? "private" : "region_run"},
                                 {"provider_type", scheme_.provider_type}};
        if (!unit.row->area.empty()) data["area"] = unit.row->area;
        emit_in(1, 1, "party.registered", reference(), {}, std::move(data));
    }
}

void SchemeGenerator::listings(int month) {
    for (const auto& unit : units_) {
        if (unit.listed == 0) continue;
        boost::json::object data{{"provider_id", unit.row->id},
                                 {"listed", unit.listed},
                                 {"weighted_listed", decimal4(unit.weighted_scaled)}};
        emit_in(month, 1, "listing.recorded", "LR-" + period_of(spec_.year, month) + "-" + std::string(unit.row->id),
                {}, std::move(data));
    }
}

// ---- the year's budget, set on 1 January for every month ----
void SchemeGenerator::budgets() {
    for (int period = 1; period <= months_per_year; ++period) month_budget(period);
}

void SchemeGenerator::month_budget(int period) {
    const auto set = [&](std::string_view side, std::string_view line, std::int64_t ore) {
        boost::json::object data{{"side", side}, {"line", line}, {"amount", money(ore)}};
        char reference[64];
        std::snprintf(reference, sizeof reference, "BU-%s-%04d-%02d-%04d",
                      std::string(voucher_prefix(scheme_.scheme)).c_str(), spec_.year, period, ++budgets_);
        emit(period_of(spec_.year, period), first_of_january(spec_.year), 1, "budget.set", "budget", reference,
             scheme_.decision_ref, std::move(data));
    };
    for (const bool is_private : {false, true}) {
        const std::string_view side = is_private ? "private" : "region_run";
        std::int64_t capitation = 0;
        bool has_side = false;
        for (const auto& unit : units_)
            if (unit.row->is_private == is_private) {
                has_side = true;
                capitation += capitation_ore(unit, period);
            }
        if (!has_side) continue;
        if (!scheme_.bands.empty()) set(side, "capitation", capitation);
        if (!scheme_.visits.empty()) set(side, "other_compensation", side_visit_budget_ore(is_private, period));
    }
    if (scheme_.specials.empty()) return;
    std::int64_t specials = 0;
    for (const auto& special : scheme_.specials)
        specials += split_even(sek(special.yearly_sek), months_per_year)[static_cast<std::size_t>(period - 1)];
    set("region_run", "commitment:other", specials);
}

// The visits' budget of a side in a month: the year's split by the sides' sizes, then evenly.
std::int64_t SchemeGenerator::side_visit_budget_ore(bool is_private, int month) const {
    std::int64_t region_run = 0, all = 0;
    for (const auto& unit : units_) {
        all += unit.row->size;
        if (!unit.row->is_private) region_run += unit.row->size;
    }
    const auto sides = split(sek(scheme_.visit_budget_sek), {region_run, all - region_run});
    return split_even(sides[is_private ? 1 : 0], months_per_year)[static_cast<std::size_t>(month - 1)];
}

std::int64_t SchemeGenerator::capitation_ore(const Unit& unit, int month) const {
    std::int64_t ore = 0;
    for (std::size_t b = 0; b < scheme_.bands.size(); ++b) {
        const std::int64_t yearly = unit.band_listed[b] * sek(scheme_.bands[b].price_sek);
        ore += split_even(yearly, months_per_year)[static_cast<std::size_t>(month - 1)];
    }
    return ore;
}

// ---- payments ----
void SchemeGenerator::pay(int month, const Unit& unit, std::string_view component, std::string_view detail,
                          std::int64_t ore) {
    boost::json::object data{{"payer_id", scheme_.payer}, {"provider_id", unit.row->id}, {"component", component}};
    if (!detail.empty()) data["detail"] = detail;
    data["amount"] = money(ore);
    emit_in(month, payment_day, "payment.made", voucher(month), scheme_.decision_ref, std::move(data));
}

// Each band's listed times the band's yearly price, paid in twelve parts.
void SchemeGenerator::capitation(int month) {
    for (auto& unit : units_) {
        unit.paid_ore = 0;
        for (std::size_t b = 0; b < scheme_.bands.size(); ++b) {
            const std::int64_t yearly = unit.band_listed[b] * sek(scheme_.bands[b].price_sek);
            const std::int64_t part = split_even(yearly, months_per_year)[static_cast<std::size_t>(month - 1)];
            if (part == 0) continue;
            pay(month, unit, "capitation", scheme_.bands[b].detail, part);
            unit.paid_ore += part;
        }
    }
}

void SchemeGenerator::supplements(int month) {
    for (std::size_t s = 0; s < scheme_.supplements.size(); ++s)
        for (const auto& unit : units_) {
            const std::int64_t part =
                split_even(unit.supplement_ore[s], months_per_year)[static_cast<std::size_t>(month - 1)];
            if (part > 0) pay(month, unit, "supplementary", scheme_.supplements[s].detail, part);
        }
}

// The month's visits of each kind over the units by size and a draw; each paid at the price.
void SchemeGenerator::visits(int month) {
    for (std::size_t k = 0; k < scheme_.visits.size(); ++k) {
        std::vector<std::int64_t> weights;
        for (const auto& unit : units_) weights.push_back(unit.row->size * values_.between(70, 130));
        const auto counts = split(visit_monthly_[k][static_cast<std::size_t>(month - 1)], weights);
        for (std::size_t i = 0; i < units_.size(); ++i) {
            if (counts[i] == 0) continue;
            const std::int64_t ore = counts[i] * sek(scheme_.visits[k].price_sek);
            pay(month, units_[i], "visit", scheme_.visits[k].detail, ore);
            units_[i].paid_ore += ore;
        }
    }
}

void SchemeGenerator::vat_compensation(int month) {
    if (scheme_.private_vat_compensation_percent == 0) return;
    for (const auto& unit : units_) {
        if (!unit.row->is_private || unit.paid_ore == 0) continue;
        const std::int64_t vat =
            divide_round_half_away(__int128{unit.paid_ore} * scheme_.private_vat_compensation_percent, 100);
        boost::json::object data{{"payer_id", scheme_.payer},
                                 {"provider_id", unit.row->id},
                                 {"category", "vat_compensation"},
                                 {"amount", money(vat)}};
        emit_in(month, payment_day, "overhead.compensated", voucher(month), {}, std::move(data));
    }
}

// The region-run organisation's special assignments: what it is paid for each, and its cost.
void SchemeGenerator::specials(int month) {
    const auto index = static_cast<std::size_t>(month - 1);
    for (const auto& special : scheme_.specials) {
        const std::int64_t paid = split_even(sek(special.yearly_sek), months_per_year)[index];
        boost::json::object grant{{"granted_by", scheme_.payer},
                                  {"party_id", scheme_.organisation},
                                  {"purpose", "other"},
                                  {"amount", money(paid)}};
        emit_in(month, appropriation_day, "appropriation.granted", voucher(month), scheme_.decision_ref,
                std::move(grant));
        const std::int64_t yearly_cost =
            divide_round_half_away(__int128{sek(special.yearly_sek)} * special.cost_percent, 100);
        boost::json::object cost{{"commitment", "other"},
                                 {"borne_by", scheme_.organisation},
                                 {"amount", money(split_even(yearly_cost, months_per_year)[index])},
                                 {"description", special.description}};
        emit_in(month, days_in_month(spec_.year, month), "commitment.cost_incurred", voucher(month),
                scheme_.decision_ref, std::move(cost));
    }
}

// ---- the lines ----
std::string SchemeGenerator::emit(const std::string& period, const std::string& occurred_on, int day,
                                  std::string_view type, std::string_view system, const std::string& reference,
                                  std::string_view decision_ref, boost::json::object data) {
    require(lines_ != nullptr, "an event outside a month");
    const std::string id = uuid_v4(ids_);
    boost::json::object event{
        {"event_id", id},
        {"type", type},
        {"schema_version", 1},
        {"region", region_.code},
        {"scheme", scheme_.scheme},
        {"period", period},
        {"occurred_on", occurred_on},
        {"source", boost::json::object{{"system", system}, {"reference", reference}}},
    };
    if (!decision_ref.empty()) event["decision_ref"] = decision_ref;
    event["data"] = std::move(data);
    lines_->push_back({day, boost::json::serialize(event)});
    return id;
}

std::string SchemeGenerator::emit_in(int month, int day, std::string_view type, const std::string& reference,
                                     std::string_view decision_ref, boost::json::object data) {
    require(day >= 1 && day <= days_in_month(spec_.year, month), "a day outside its month");
    char occurred_on[64];
    std::snprintf(occurred_on, sizeof occurred_on, "%04d-%02d-%02d", spec_.year, month, day);
    const std::string_view system = type == "party.registered"   ? "partsregister"
                                    : type == "listing.recorded" ? "listningsregistret"
                                                                 : "raindance";
    return emit(period_of(spec_.year, month), occurred_on, day, type, system, reference, decision_ref, std::move(data));
}

std::string SchemeGenerator::voucher(int month) {
    char text[64];
    std::snprintf(text, sizeof text, "%s-%04d-%02d-%05d", std::string(voucher_prefix(scheme_.scheme)).c_str(),
                  spec_.year, month, ++vouchers_);
    return text;
}

}  // namespace likvard::sample_detail
