// A figure's drill-down as JSON (for scripts and the HTTP API) and as text (for a terminal).
#include <boost/json.hpp>

#include "statements/detail/columns.hpp"
#include "statements/explain.hpp"

namespace likvard {
namespace {

using statement::money;

std::string_view kind_key(FigureKind kind) {
    switch (kind) {
        case FigureKind::sum: return "sum";
        case FigureKind::per_weighted_listed: return "per_weighted_listed";
        case FigureKind::listed_average: return "listed_average";
        case FigureKind::weighted_listed_average: return "weighted_listed_average";
        case FigureKind::share_of_total: return "share_of_total";
        case FigureKind::fte_average: return "fte_average";
        case FigureKind::decision_refs: return "decision_refs";
        case FigureKind::decision_events: return "decision_events";
    }
    return "sum";
}

// How the figure is computed from the lines below it.
std::string how(const Explanation& e) {
    const std::string months = std::to_string(e.months);
    switch (e.selection.kind) {
        case FigureKind::sum: return "the sum of the amounts of the postings (SEK)";
        case FigureKind::per_weighted_listed:
            return "the sum of the postings' amounts x 12 / " + months +
                   " months / (the sum of the listings' weighted_listed / " + months +
                   " months), rounded half away from zero to the öre (SEK per weighted listed and year)";
        case FigureKind::listed_average: return "the sum of the listings' listed / " + months + " months";
        case FigureKind::weighted_listed_average:
            return "the sum of the listings' weighted_listed / " + months + " months";
        case FigureKind::share_of_total:
            return "the sum of the postings' amounts x 100 / total_sum (the cost of every commitment), in percent";
        case FigureKind::fte_average:
            return "the sum of the events' fte (a reversal's negated) / the months that carry one (fte_months), "
                   "rounded half away from zero to 4 decimals";
        case FigureKind::decision_refs:
            return "the distinct decision references of the commitment's events (and their reversals), sorted";
        case FigureKind::decision_events:
            return "the events of the region, scheme and months that cite the decision reference";
    }
    return "";
}

boost::json::value text_or_null(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    return boost::json::value(*text);
}

std::string account_of(const FigurePosting& p) { return p.party + ":" + p.account_class + ":" + p.item; }

boost::json::object posting_json(const ExplainedPosting& explained) {
    const FigurePosting& p = explained.posting;
    return {{"seq", p.seq},
            {"line", p.line},
            {"event_id", p.event_id},
            {"type", p.type},
            {"period", p.period},
            {"source_system", p.source_system},
            {"source_reference", p.source_reference},
            {"decision_ref", text_or_null(p.decision_ref)},
            {"reverses", text_or_null(p.reverses)},
            {"account", account_of(p)},
            {"booked", money(p.amount)},
            {"amount", money(explained.counted)}};
}

boost::json::object listing_json(const FigureListing& l) {
    return {{"seq", l.seq},
            {"event_id", l.event_id},
            {"period", l.period},
            {"provider_id", l.provider_id},
            {"listed", l.listed},
            {"weighted_listed", l.weighted_listed},
            {"source_system", l.source_system},
            {"source_reference", l.source_reference}};
}

boost::json::object event_json(const FigureEvent& e) {
    return {{"seq", e.seq},
            {"event_id", e.event_id},
            {"type", e.type},
            {"period", e.period},
            {"source_system", e.source_system},
            {"source_reference", e.source_reference},
            {"decision_ref", text_or_null(e.decision_ref)},
            {"reverses", text_or_null(e.reverses)},
            {"commitment", text_or_null(e.commitment)},
            {"fte", text_or_null(e.fte)}};
}

bool of_events(FigureKind kind) {
    return kind == FigureKind::fte_average || kind == FigureKind::decision_refs || kind == FigureKind::decision_events;
}

boost::json::object head_json(const Explanation& e) {
    const FigureSelection& s = e.selection;
    return {{"statement", s.statement},
            {"table", s.table},
            {"row", s.row},
            {"column", s.column},
            {"region", e.region},
            {"scheme", e.scheme},
            {"from", e.from},
            {"to", e.to},
            {"as_of_seq", e.as_of_seq},
            {"as_of_hash", e.as_of_hash},
            {"figure", text_or_null(s.figure)},
            {"computed_as", kind_key(s.kind)},
            {"how", how(e)}};
}

}  // namespace

std::string render_explanation_json(const Explanation& e) {
    boost::json::object out = head_json(e);
    if (of_events(e.selection.kind)) {
        boost::json::array events;
        for (const auto& event : e.events) events.push_back(event_json(event));
        out["events"] = std::move(events);
        if (e.selection.kind == FigureKind::fte_average) {
            out["fte_sum"] = format_scaled(e.fte_sum, 4);
            out["fte_months"] = e.fte_months;
        }
        return boost::json::serialize(out) + "\n";
    }
    boost::json::array postings;
    for (const auto& p : e.postings) postings.push_back(posting_json(p));
    out["postings"] = std::move(postings);
    out["postings_sum"] = money(e.postings_sum);
    if (e.selection.kind == FigureKind::share_of_total) out["total_sum"] = money(e.total_sum);
    if (e.selection.kind != FigureKind::sum) {
        boost::json::array listings;
        for (const auto& l : e.listings) listings.push_back(listing_json(l));
        out["listings"] = std::move(listings);
        out["listed_sum"] = std::to_string(static_cast<long long>(e.listed_sum));
        out["weighted_listed_sum"] = format_scaled(e.weighted_sum, 4);
        out["months"] = e.months;
    }
    return boost::json::serialize(out) + "\n";
}

namespace {

std::string events_text(const Explanation& e) {
    std::string out = "\nevents (" + std::to_string(e.events.size()) + "):\n";
    out += "seq\tevent_id\ttype\tperiod\tsource\tdecision\tcommitment\tfte\n";
    for (const auto& v : e.events)
        out += std::to_string(v.seq) + "\t" + v.event_id + "\t" + v.type + "\t" + v.period + "\t" + v.source_system +
               " " + v.source_reference + "\t" + v.decision_ref.value_or("-") + "\t" + v.commitment.value_or("-") +
               "\t" + v.fte.value_or("-") + "\n";
    if (e.selection.kind == FigureKind::fte_average)
        out += "sum\t" + format_scaled(e.fte_sum, 4) + "\nmonths\t" + std::to_string(e.fte_months) + "\n";
    return out;
}

}  // namespace

std::string render_explanation_text(const Explanation& e) {
    const FigureSelection& s = e.selection;
    std::string out = s.statement + " " + e.region + " " + e.scheme + " " + e.from + ".." + e.to + " as of seq " +
                      std::to_string(e.as_of_seq) + " (" + e.as_of_hash + ")\n";
    out += "row " + s.row + ", column " + s.column + ": " + s.figure.value_or("(blank)") + "\n";
    if (of_events(s.kind)) return out + "computed as " + how(e) + "\n" + events_text(e);
    out += "computed as " + how(e) + "\n\npostings (" + std::to_string(e.postings.size()) + "):\n";
    out += "seq\tevent_id\ttype\tperiod\tsource\tdecision\taccount\tamount\n";
    for (const auto& [p, counted] : e.postings)
        out += std::to_string(p.seq) + "\t" + p.event_id + "\t" + p.type + "\t" + p.period + "\t" + p.source_system +
               " " + p.source_reference + "\t" + p.decision_ref.value_or("-") + "\t" + account_of(p) + "\t" +
               money(counted) + "\n";
    out += "sum\t" + money(e.postings_sum) + "\n";
    if (s.kind == FigureKind::share_of_total) out += "total_sum\t" + money(e.total_sum) + "\n";
    if (s.kind == FigureKind::sum) return out;
    out +=
        "\nlistings (" + std::to_string(e.listings.size()) + "):\nseq\tevent_id\tperiod\tprovider\tlisted\tweighted\n";
    for (const auto& l : e.listings)
        out += std::to_string(l.seq) + "\t" + l.event_id + "\t" + l.period + "\t" + l.provider_id + "\t" + l.listed +
               "\t" + l.weighted_listed + "\n";
    out += "sum\t" + std::to_string(static_cast<long long>(e.listed_sum)) + "\t" + format_scaled(e.weighted_sum, 4) +
           "\nmonths\t" + std::to_string(e.months) + "\n";
    return out;
}

}  // namespace likvard
