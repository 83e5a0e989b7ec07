// A. The competitive-neutrality statement: per party resources and burdens, subtotals per
// side, the per-capita gap, cross-subsidies through shared costs, and overheads.
#include <algorithm>
#include <initializer_list>
#include <set>

#include "statements/detail/allocation_keys.hpp"
#include "statements/detail/budget.hpp"
#include "statements/detail/columns.hpp"
#include "statements/detail/document.hpp"

namespace likvard {
namespace {

using namespace statement;

const std::vector<std::string> amount_columns{"capitation",           "variable",
                                              "supplementary",        "other_compensation",
                                              "deficit_compensation", "overhead_compensation",
                                              "internal_charges",     "shared_costs_paid",
                                              "benefit_in_kind",      "commitment_costs",
                                              "appropriations",       "services_sold",
                                              "services_bought"};

struct Line {
    Amounts amounts{};
    __int128 listed = 0;    // Σ over months
    __int128 weighted = 0;  // Σ over months, 1/10,000
};

void add(Line& into, const Line& line) {
    for (std::size_t i = 0; i < column_count; ++i) into.amounts[i] += line.amounts[i];
    into.listed += line.listed;
    into.weighted += line.weighted;
}

std::vector<std::optional<std::string>> cells(const std::string& row, const std::string& party_id,
                                              const std::string& name, const std::string& side, const std::string& kind,
                                              const Line& line, std::size_t months) {
    std::vector<std::optional<std::string>> out{row, party_id, name, side, kind};
    out.push_back(format_scaled(divide_round_half_away(line.listed * 100, months), 2));
    out.push_back(format_scaled(divide_round_half_away(line.weighted, months), 4));
    for (std::size_t i = 0; i < column_count; ++i) out.push_back(money(line.amounts[i]));
    const __int128 net = net_resources(line.amounts);
    out.push_back(money(net));
    const auto per_capita = per_weighted_listed(net, line.weighted);
    out.push_back(per_capita ? std::optional<std::string>(money(*per_capita)) : std::nullopt);
    return out;
}

// Whether a side or a provider is in the slice at all: listed citizens or money.
bool has_side(const Line& line) {
    return line.listed != 0 || line.weighted != 0 ||
           std::any_of(line.amounts.begin(), line.amounts.end(), [](__int128 amount) { return amount != 0; });
}

Table rows_table(const LedgerSlice& slice, std::map<Side, Line>& sides) {
    Table table{"rows", {"row", "party_id", "name", "side", "kind", "listed_avg", "weighted_listed_avg"}, {}};
    for (const auto& c : amount_columns) table.columns.push_back(c);
    table.columns.push_back("net_resources");
    table.columns.push_back("net_per_weighted_listed");
    const std::size_t months = months_between(slice.from, slice.to).size();
    const auto amounts = amounts_by_party(slice);
    const ListingSums listed = listing_sums(slice);
    for (Side side : {Side::region_run, Side::private_provider}) {
        Line subtotal;
        for (const auto& [id, party] : slice.parties) {  // ordered by party_id
            if (party.side != side || party.kind == Kind::vendor) continue;
            Line line;
            if (const auto found = amounts.find(id); found != amounts.end()) line.amounts = found->second;
            std::tie(line.listed, line.weighted) = listed.of(id);
            // A provider of the region with neither money nor listed citizens in these months
            // (one of another scheme, or not yet started) is not part of this statement.
            if (!has_side(line)) continue;
            table.rows.push_back(cells("party", id, party.name, std::string(side_name(side)),
                                       std::string(kind_name(party.kind)), line, months));
            add(subtotal, line);
        }
        table.rows.push_back(cells("subtotal", "", "", std::string(side_name(side)), "", subtotal, months));
        sides[side] = subtotal;
    }
    Line total = sides[Side::region_run];
    add(total, sides[Side::private_provider]);
    table.rows.push_back(cells("total", "", "", "", "", total, months));
    return table;
}

std::optional<std::string> percent(__int128 part, __int128 whole) {
    if (whole == 0) return std::nullopt;
    return format_scaled(divide_round_half_away(part * 10'000, whole), 2);
}

Table cross_subsidy_table(const LedgerSlice& slice) {
    Table table{"cross_subsidies",
                {"service", "region_run_to_private", "share_of_region_run_paid_percent", "private_to_region_run",
                 "share_of_private_paid_percent"},
                {}};
    for (const auto& [service, s] : slice.cross_subsidies) {
        // Within int64 öre, as the projections hold them.
        for (const __int128 sum : {s.region_run_to_private, s.private_to_region_run, s.paid_region_run, s.paid_private})
            money_from_sum(sum, "the shared costs of service " + service);
        table.rows.push_back({service, money(s.region_run_to_private),
                              percent(s.region_run_to_private, s.paid_region_run), money(s.private_to_region_run),
                              percent(s.private_to_region_run, s.paid_private)});
    }
    return table;
}

std::string favours(__int128 gap) {
    if (gap > 0) return "region_run";
    if (gap < 0) return "private";
    return "neither";
}

std::string gap_sentence(__int128 gap) {
    const __int128 magnitude = gap < 0 ? -gap : gap;
    if (gap == 0) return "region-run and private providers receive the same net resources per weighted listed citizen";
    return std::string(gap > 0 ? "region-run" : "private") + " providers receive " + money(magnitude) +
           " SEK more net resources per weighted listed citizen and year than " + (gap > 0 ? "private" : "region-run") +
           " providers";
}

// The gap of net resources per weighted listed, with the columns in `left_out` taken out of
// net_resources (none for neutrality_gap itself).
void gap_summary(Document& d, const std::string& suffix, const Line& rr, const Line& pr,
                 std::initializer_list<Column> left_out) {
    auto net = [&](const Line& line) {
        __int128 n = net_resources(line.amounts);
        for (const Column column : left_out) n -= net_sign(column) * line.amounts[column];
        return n;
    };
    const auto rr_capita = per_weighted_listed(net(rr), rr.weighted);
    const auto pr_capita = per_weighted_listed(net(pr), pr.weighted);
    d.summary.emplace_back("net_per_weighted_listed_region_run" + suffix, rr_capita ? money(*rr_capita) : "");
    d.summary.emplace_back("net_per_weighted_listed_private" + suffix, pr_capita ? money(*pr_capita) : "");
    if (!rr_capita || !pr_capita) return;
    const __int128 gap = *rr_capita - *pr_capita;
    d.summary.emplace_back("neutrality_gap" + suffix, money(gap));
    d.summary.emplace_back("neutrality_gap_percent_of_private" + suffix, percent(gap, *pr_capita).value_or(""));
    d.summary.emplace_back("neutrality_gap_favours" + suffix, favours(gap));
    d.summary.emplace_back("neutrality_gap_in_words" + suffix, gap_sentence(gap));
}

// The gap bridge: per money column, region-run minus private of that column per weighted
// listed (each side rounded as net_per_weighted_listed is; deductions negative), then the
// rounding that makes the lines sum exactly to neutrality_gap. Blank where a side has no
// weighted listing, as the gap is.
void bridge_summary(Document& d, const Line& rr, const Line& pr) {
    const bool blank = rr.weighted == 0 || pr.weighted == 0;
    __int128 lines_sum = 0;
    for (std::size_t i = 0; i < column_count; ++i) {
        std::string value;
        if (!blank) {
            const auto column = static_cast<Column>(i);
            const __int128 line = net_sign(column) * (*per_weighted_listed(rr.amounts[i], rr.weighted) -
                                                      *per_weighted_listed(pr.amounts[i], pr.weighted));
            lines_sum += line;
            value = money(line);
        }
        d.summary.emplace_back("gap_bridge_" + amount_columns[i], value);
    }
    std::string rounding;
    if (!blank) {
        const __int128 gap = *per_weighted_listed(net_resources(rr.amounts), rr.weighted) -
                             *per_weighted_listed(net_resources(pr.amounts), pr.weighted);
        rounding = money(gap - lines_sum);
    }
    d.summary.emplace_back("gap_bridge_rounding", rounding);
}

void overhead_summary(Document& d, const Line& rr, const Line& pr) {
    const auto overhead = per_weighted_listed(pr.amounts[overhead_compensation], pr.weighted);
    const auto charges = per_weighted_listed(rr.amounts[internal_charges], rr.weighted);
    d.summary.emplace_back("overhead_compensation_per_weighted_listed_private", overhead ? money(*overhead) : "");
    d.summary.emplace_back("internal_charges_per_weighted_listed_region_run", charges ? money(*charges) : "");
    if (overhead && charges) d.summary.emplace_back("overhead_minus_internal_charges", money(*overhead - *charges));
}

}  // namespace

CrossSubsidy& CrossSubsidy::operator+=(const CrossSubsidy& other) {
    region_run_to_private += other.region_run_to_private;
    private_to_region_run += other.private_to_region_run;
    paid_region_run += other.paid_region_run;
    paid_private += other.paid_private;
    return *this;
}

std::optional<CrossSubsidy> cross_subsidy_of_event(const std::vector<SharedCostPart>& parts) {
    __int128 amount = 0, paid_rr = 0, paid_private = 0, benefit_rr = 0, benefit_private = 0;
    for (const auto& part : parts) {
        const __int128 ore = part.amount.ore();
        if (part.paid) {
            amount += ore;
            if (part.side == Side::region_run) paid_rr += ore;
            if (part.side == Side::private_provider) paid_private += ore;
        } else {
            if (part.side == Side::region_run) benefit_rr -= ore;
            if (part.side == Side::private_provider) benefit_private -= ore;
        }
    }
    if (amount == 0) return std::nullopt;
    CrossSubsidy s;
    s.region_run_to_private = divide_round_half_away(benefit_private * paid_rr, amount);
    s.private_to_region_run = divide_round_half_away(benefit_rr * paid_private, amount);
    s.paid_region_run = paid_rr;
    s.paid_private = paid_private;
    return s;
}

Document neutrality_statement(const LedgerSlice& slice, const std::string& generator) {
    Document d = start_document("neutrality", slice, generator);
    std::map<Side, Line> sides;
    d.tables.push_back(rows_table(slice, sides));
    d.tables.push_back(cross_subsidy_table(slice));
    d.tables.push_back(allocation_keys_table(slice));
    add_budget(d, neutrality_budget(slice));
    const Line& rr = sides[Side::region_run];
    const Line& pr = sides[Side::private_provider];
    if (!has_side(rr) && has_side(pr)) {  // foot care: only private providers, nothing to compare them with
        d.summary.emplace_back("neutrality_gap_not_computed", "no_region_run_side");
        overhead_summary(d, rr, pr);
        finish_document(d);
        return d;
    }
    gap_summary(d, "", rr, pr, {});
    gap_summary(d, "_excluding_deficit_compensation", rr, pr, {deficit_compensation});
    gap_summary(d, "_assignment", rr, pr, {deficit_compensation, overhead_compensation, internal_charges});
    bridge_summary(d, rr, pr);
    overhead_summary(d, rr, pr);
    finish_document(d);
    return d;
}

}  // namespace likvard
