// G. The region summary (one region, one year, one row per scheme) and the comparison of
// regions (one scheme, one year, one row per region and side), both made of the neutrality
// and commitment statements of each scheme or region: their figures are those statements'
// figures, to the öre, and the per-capita columns are computed as the neutrality statement
// computes its own.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "statements/detail/columns.hpp"
#include "statements/detail/document.hpp"

namespace likvard {
namespace {

using namespace statement;

// A figure of a statement ("-14.51") in öre.
__int128 ore_of(const std::string& figure) {
    const bool negative = !figure.empty() && figure.front() == '-';
    __int128 ore = 0;
    for (char c : figure)
        if (c >= '0' && c <= '9') ore = ore * 10 + (c - '0');
    return negative ? -ore : ore;
}

const Table& table_named(const Document& d, const std::string& name) {
    for (const auto& table : d.tables)
        if (table.name == name) return table;
    throw std::logic_error("the " + d.statement + " statement has no table " + name);
}

std::optional<std::string> cell(const Table& table, const std::vector<std::optional<std::string>>& row,
                                const std::string& column) {
    const auto at = std::find(table.columns.begin(), table.columns.end(), column);
    if (at == table.columns.end()) throw std::logic_error("table " + table.name + " has no column " + column);
    return row[static_cast<std::size_t>(at - table.columns.begin())];
}

// The neutrality statement's subtotal row of a side.
const std::vector<std::optional<std::string>>& subtotal(const Document& neutrality, Side side) {
    const Table& rows = table_named(neutrality, "rows");
    for (const auto& row : rows.rows)
        if (cell(rows, row, "row") == "subtotal" && cell(rows, row, "side") == side_name(side)) return row;
    throw std::logic_error("the neutrality statement has no subtotal of a side");
}

std::optional<std::string> subtotal_cell(const Document& neutrality, Side side, const std::string& column) {
    return cell(table_named(neutrality, "rows"), subtotal(neutrality, side), column);
}

std::optional<std::string> summary_of(const Document& d, const std::string& key) {
    for (const auto& [k, value] : d.summary)
        if (k == key && !value.empty()) return value;
    return std::nullopt;
}

std::string provenance_of(const Document& d, const std::string& key) {
    for (const auto& [k, value] : d.provenance)
        if (k == key) return value;
    throw std::logic_error("a statement without " + key);
}

// Why a scheme has no gap: the neutrality statement's reason, else the side without a
// weighted listing (and so without a figure per weighted listed).
std::optional<std::string> gap_not_computed(const Document& neutrality) {
    if (summary_of(neutrality, "neutrality_gap")) return std::nullopt;
    if (auto reason = summary_of(neutrality, "neutrality_gap_not_computed")) return reason;
    if (!subtotal_cell(neutrality, Side::region_run, "net_per_weighted_listed")) return "no_region_run_side";
    return "no_private_side";
}

// Σ over the months of a side's weighted listing (1/10,000), and its amounts, as the
// neutrality statement's subtotal sums them.
struct SideSums {
    Amounts amounts{};
    __int128 weighted = 0;
};

// A region's amounts and listings per party, summed once for all its rows.
struct PartySums {
    std::map<std::string, Amounts> amounts;
    ListingSums listed;
    explicit PartySums(const LedgerSlice& slice) : amounts(amounts_by_party(slice)), listed(listing_sums(slice)) {}
};

SideSums side_sums(const LedgerSlice& slice, const PartySums& parties, Side side) {
    SideSums sums;
    for (const auto& [id, party] : slice.parties) {
        if (party.side != side || party.kind == Kind::vendor) continue;
        if (const auto found = parties.amounts.find(id); found != parties.amounts.end())
            for (std::size_t i = 0; i < column_count; ++i) sums.amounts[i] += found->second[i];
        sums.weighted += parties.listed.of(id).second;
    }
    return sums;
}

std::optional<std::string> per_capita(__int128 amount, __int128 weighted) {
    const auto value = per_weighted_listed(amount, weighted);
    return value ? std::optional<std::string>(money(*value)) : std::nullopt;
}

std::string favours_of(__int128 gap) { return gap > 0 ? "region_run" : gap < 0 ? "private" : "neither"; }

void add_decision_refs(std::set<std::string>& into, const Document& d) {
    into.insert(d.decision_refs.begin(), d.decision_refs.end());
}

std::string year_of(const LedgerSlice& slice) { return slice.from.substr(0, 4); }

// The largest gap in magnitude (the first of equals): its key, figure, side and sentence.
struct Largest {
    std::string who;
    std::string gap;
    std::string words;
};

void keep_largest(std::optional<Largest>& largest, const std::string& who, const Document& neutrality) {
    const auto gap = summary_of(neutrality, "neutrality_gap");
    if (!gap) return;
    const auto magnitude = [](const std::string& figure) {
        const __int128 ore = ore_of(figure);
        return ore < 0 ? -ore : ore;
    };
    if (largest && magnitude(largest->gap) >= magnitude(*gap)) return;
    largest = Largest{who, *gap, summary_of(neutrality, "neutrality_gap_in_words").value_or("")};
}

void largest_summary(Document& d, const std::string& who_key, const std::optional<Largest>& largest) {
    if (!largest) return;
    d.summary.emplace_back(who_key, largest->who);
    d.summary.emplace_back("neutrality_gap_largest", largest->gap);
    d.summary.emplace_back("neutrality_gap_favours_largest", favours_of(ore_of(largest->gap)));
    d.summary.emplace_back("neutrality_gap_in_words_largest", largest->words);
}

void check_same_year(const std::vector<SchemeStatements>& statements) {
    for (const auto& s : statements)
        if (s.slice.from != statements.front().slice.from || s.slice.to != statements.front().slice.to)
            throw std::invalid_argument("the statements of a summary or comparison cover the same months");
}

// ---- the region summary ----

std::vector<std::optional<std::string>> scheme_row(const SchemeStatements& s) {
    const Document& n = s.neutrality;
    const Document& c = s.commitments;
    const Table& commitments = table_named(c, "commitments");
    std::optional<std::string> cost;
    for (const auto& row : commitments.rows)
        if (cell(commitments, row, "commitment") == "total") cost = cell(commitments, row, "cost");
    return {s.slice.scheme,
            provenance_of(n, "events_counted"),
            subtotal_cell(n, Side::region_run, "weighted_listed_avg"),
            subtotal_cell(n, Side::private_provider, "weighted_listed_avg"),
            subtotal_cell(n, Side::region_run, "net_per_weighted_listed"),
            subtotal_cell(n, Side::private_provider, "net_per_weighted_listed"),
            summary_of(n, "neutrality_gap"),
            summary_of(n, "neutrality_gap_percent_of_private"),
            summary_of(n, "neutrality_gap_favours"),
            gap_not_computed(n),
            cost.value_or("0.00"),
            summary_of(c, "total_unfunded"),
            n.content_hash,
            c.content_hash};
}

}  // namespace

Document region_summary(const std::vector<SchemeStatements>& schemes, const std::string& generator) {
    if (schemes.empty()) throw std::invalid_argument("a region summary of no scheme");
    check_same_year(schemes);
    const LedgerSlice& first = schemes.front().slice;
    Document d = start_document("summary", first, generator);
    std::int64_t events = 0;
    std::set<std::string> refs;
    Table table{"schemes",
                {"scheme", "events_counted", "weighted_listed_avg_region_run", "weighted_listed_avg_private",
                 "net_per_weighted_listed_region_run", "net_per_weighted_listed_private", "neutrality_gap",
                 "neutrality_gap_percent_of_private", "neutrality_gap_favours", "neutrality_gap_not_computed",
                 "commitment_costs", "total_unfunded", "neutrality_content_hash", "commitments_content_hash"},
                {}};
    __int128 costs = 0, unfunded = 0;
    std::size_t with_gap = 0;
    std::optional<Largest> largest;
    for (const auto& s : schemes) {
        if (s.slice.as_of_seq != first.as_of_seq || s.slice.region != first.region)
            throw std::invalid_argument("the schemes of a region summary are read at one position of one region");
        table.rows.push_back(scheme_row(s));
        events += s.slice.events_counted;
        add_decision_refs(refs, s.neutrality);
        add_decision_refs(refs, s.commitments);
        costs += ore_of(*cell(table, table.rows.back(), "commitment_costs"));
        unfunded += ore_of(summary_of(s.commitments, "total_unfunded").value_or("0"));
        if (summary_of(s.neutrality, "neutrality_gap")) ++with_gap;
        keep_largest(largest, s.slice.scheme, s.neutrality);
    }
    // The provenance: the region and year, and the one position every scheme is read at.
    d.provenance = {{"region", first.region},
                    {"year", year_of(first)},
                    {"from", first.from},
                    {"to", first.to},
                    {"as_of_seq", std::to_string(first.as_of_seq)},
                    {"as_of_hash", first.as_of_hash},
                    {"events_counted", std::to_string(events)},
                    {"generator", generator}};
    if (first.as_of_time) d.provenance.insert(d.provenance.begin() + 6, {"as_of_time", *first.as_of_time});
    d.decision_refs.assign(refs.begin(), refs.end());
    d.tables.push_back(std::move(table));
    d.summary.emplace_back("schemes", std::to_string(schemes.size()));
    d.summary.emplace_back("schemes_with_gap", std::to_string(with_gap));
    largest_summary(d, "neutrality_gap_largest_scheme", largest);
    d.summary.emplace_back("commitment_costs", money(costs));
    d.summary.emplace_back("total_unfunded", money(unfunded));
    finish_document(d);
    return d;
}

namespace {

// ---- the comparison of regions ----

const std::vector<std::pair<Column, std::string>>& compared_columns() {
    static const std::vector<std::pair<Column, std::string>> columns{
        {capitation, "capitation_per_weighted_listed"},
        {variable, "variable_per_weighted_listed"},
        {supplementary, "supplementary_per_weighted_listed"},
        {other_compensation, "other_compensation_per_weighted_listed"},
        {deficit_compensation, "deficit_compensation_per_weighted_listed"},
        {overhead_compensation, "overhead_compensation_per_weighted_listed"},
        {internal_charges, "internal_charges_per_weighted_listed"},
    };
    return columns;
}

Table sides_table() {
    Table table{"sides", {"region", "side", "listed_avg", "weighted_listed_avg"}, {}};
    for (const auto& [column, key] : compared_columns()) table.columns.push_back(key);
    table.columns.push_back("net_per_weighted_listed");
    return table;
}

void add_side_rows(Table& table, const SchemeStatements& s, const PartySums& parties) {
    for (Side side : {Side::region_run, Side::private_provider}) {
        const SideSums sums = side_sums(s.slice, parties, side);
        std::vector<std::optional<std::string>> row{s.slice.region, std::string(side_name(side)),
                                                    subtotal_cell(s.neutrality, side, "listed_avg"),
                                                    subtotal_cell(s.neutrality, side, "weighted_listed_avg")};
        for (const auto& [column, key] : compared_columns())
            row.push_back(per_capita(sums.amounts[column], sums.weighted));
        row.push_back(subtotal_cell(s.neutrality, side, "net_per_weighted_listed"));
        table.rows.push_back(std::move(row));
    }
}

std::vector<std::optional<std::string>> gap_row(const SchemeStatements& s, const PartySums& parties) {
    const __int128 weighted = side_sums(s.slice, parties, Side::region_run).weighted;
    const Table& commitments = table_named(s.commitments, "commitments");
    __int128 cost = 0;
    for (const auto& row : commitments.rows)
        if (cell(commitments, row, "commitment") == "total")
            cost = ore_of(cell(commitments, row, "cost").value_or("0"));
    const __int128 carried = ore_of(summary_of(s.commitments, "part2_carried_for_others").value_or("0"));
    return {s.slice.region,
            summary_of(s.neutrality, "neutrality_gap"),
            summary_of(s.neutrality, "neutrality_gap_percent_of_private"),
            summary_of(s.neutrality, "neutrality_gap_favours"),
            gap_not_computed(s.neutrality),
            summary_of(s.neutrality, "neutrality_gap_assignment"),
            per_capita(cost, weighted),
            money(carried),
            per_capita(carried, weighted),
            summary_of(s.commitments, "total_unfunded_per_weighted_listed_region_run")};
}

std::vector<std::optional<std::string>> region_row(const SchemeStatements& s) {
    return {s.slice.region,
            std::to_string(s.slice.as_of_seq),
            s.slice.as_of_hash,
            std::to_string(s.slice.events_counted),
            s.neutrality.content_hash,
            s.commitments.content_hash};
}

}  // namespace

Document regions_comparison(const std::vector<SchemeStatements>& regions, const std::string& generator) {
    if (regions.empty()) throw std::invalid_argument("a comparison of no region");
    check_same_year(regions);
    const LedgerSlice& first = regions.front().slice;
    Document d = start_document("comparison", first, generator);
    Table provenance{
        "regions",
        {"region", "as_of_seq", "as_of_hash", "events_counted", "neutrality_content_hash", "commitments_content_hash"},
        {}};
    Table sides = sides_table();
    Table gaps{"gaps",
               {"region", "neutrality_gap", "neutrality_gap_percent_of_private", "neutrality_gap_favours",
                "neutrality_gap_not_computed", "neutrality_gap_assignment",
                "commitment_costs_per_weighted_listed_region_run", "carried_for_others",
                "carried_for_others_per_weighted_listed_region_run", "total_unfunded_per_weighted_listed_region_run"},
               {}};
    std::int64_t events = 0;
    std::set<std::string> refs;
    std::string names;
    std::size_t with_gap = 0;
    std::optional<Largest> largest;
    for (const auto& s : regions) {
        if (s.slice.scheme != first.scheme) throw std::invalid_argument("the regions of a comparison share a scheme");
        provenance.rows.push_back(region_row(s));
        const PartySums parties(s.slice);
        add_side_rows(sides, s, parties);
        gaps.rows.push_back(gap_row(s, parties));
        events += s.slice.events_counted;
        names += (names.empty() ? "" : ", ") + s.slice.region;
        add_decision_refs(refs, s.neutrality);
        add_decision_refs(refs, s.commitments);
        if (summary_of(s.neutrality, "neutrality_gap")) ++with_gap;
        keep_largest(largest, s.slice.region, s.neutrality);
    }
    // Each region has its own chain: its position is in the table regions.
    d.provenance = {{"scheme", first.scheme}, {"year", year_of(first)}, {"from", first.from},
                    {"to", first.to},         {"regions", names},       {"events_counted", std::to_string(events)},
                    {"generator", generator}};
    if (first.as_of_time) d.provenance.insert(d.provenance.begin() + 5, {"as_of_time", *first.as_of_time});
    d.decision_refs.assign(refs.begin(), refs.end());
    d.tables.push_back(std::move(provenance));
    d.tables.push_back(std::move(sides));
    d.tables.push_back(std::move(gaps));
    d.summary.emplace_back("regions_compared", std::to_string(regions.size()));
    d.summary.emplace_back("regions_with_gap", std::to_string(with_gap));
    largest_summary(d, "neutrality_gap_largest_region", largest);
    finish_document(d);
    return d;
}

}  // namespace likvard
