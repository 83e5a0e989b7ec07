// The generator of one choice system besides primary care (dental care 3-23, foot care,
// physiotherapy) for one sample year: its parties, listings, budget, payments and closes,
// month by month, into the lines that the primary-care generator (sample.cpp) orders by day
// with its own. Its random streams are its own, so primary care's events stay the same bytes.
// Internal to ledger/sample.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "sample/detail/generator.hpp"
#include "sample/detail/regions.hpp"

namespace likvard::sample_detail {

// What one year of a scheme hands to the next: each side's listed, which drift.
struct SchemeCarry {
    std::int64_t listed_region_run = 0;
    std::int64_t listed_private = 0;
};

class SchemeGenerator {
public:
    // `stream` numbers the scheme's random streams (values, ids, links); without a previous
    // year the scheme registers its parties in January.
    SchemeGenerator(const SampleSpec& spec, const RegionProfile& region, const SchemeProfile& scheme,
                    std::uint32_t stream, const SchemeCarry* previous);

    // The events of `month` (1..12), appended to `lines`.
    void month(int month, std::vector<Line>& lines);
    // Every month of `year` closed on `close_day` January of `closed_in`, appended to `lines`.
    void close_year(int year, int closed_in, int close_day, std::vector<Line>& lines);
    SchemeCarry carry() const;

private:
    struct Unit {
        const UnitRow* row = nullptr;
        std::vector<std::int64_t> band_listed;     // per band, the year's listed
        std::vector<std::int64_t> supplement_ore;  // per supplement, the year's
        std::int64_t listed = 0;
        std::int64_t weighted_scaled = 0;
        std::int64_t paid_ore = 0;  // capitation and visits of the month, for the VAT compensation
    };

    void plan_year();
    void plan_bands(bool is_private, std::int64_t listed);
    void plan_supplements();
    void registrations();
    void listings(int month);
    void budgets();
    void month_budget(int period);
    void capitation(int month);
    void supplements(int month);
    void visits(int month);
    void vat_compensation(int month);
    void specials(int month);
    void pay(int month, const Unit& unit, std::string_view component, std::string_view detail, std::int64_t ore);
    std::int64_t capitation_ore(const Unit& unit, int month) const;
    std::int64_t side_visit_budget_ore(bool is_private, int month) const;
    std::string emit(const std::string& period, const std::string& occurred_on, int day, std::string_view type,
                     std::string_view system, const std::string& reference, std::string_view decision_ref,
                     boost::json::object data);
    std::string emit_in(int month, int day, std::string_view type, const std::string& reference,
                        std::string_view decision_ref, boost::json::object data);
    std::string voucher(int month);

    const SampleSpec& spec_;
    const RegionProfile& region_;
    const SchemeProfile& scheme_;
    Rng values_;
    Rng ids_;
    Rng links_;
    const SchemeCarry* previous_ = nullptr;
    SchemeCarry listed_;
    std::vector<Unit> units_;
    std::vector<std::vector<std::int64_t>> visit_monthly_;  // per kind, per month: the count
    std::vector<Line>* lines_ = nullptr;                    // the month being generated
    int vouchers_ = 0;
    int registrations_ = 0;
    int budgets_ = 0;
};

}  // namespace likvard::sample_detail
