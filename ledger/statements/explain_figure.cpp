// The figure computed again from the postings and listings behind it, and its drill-down in
// JSON and text.
#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "statements/detail/columns.hpp"
#include "statements/explain.hpp"

namespace likvard {
namespace {

using namespace statement;

bool counts(const FigureAccount& account, const FigurePosting& posting) {
    const ColumnAccount pattern{capitation, account.account_class, account.item, account.prefix, account.sign};
    if (!feeds(pattern, posting.account_class, posting.item)) return false;
    if (account.month && posting.period != *account.month) return false;
    return account.parties.empty() || std::binary_search(account.parties.begin(), account.parties.end(), posting.party);
}

// The sign a posting counts with in the figure; nullopt: it is not one of the figure's.
std::optional<int> sign_in(const std::vector<FigureAccount>& accounts, const FigurePosting& posting) {
    for (const auto& account : accounts)
        if (counts(account, posting)) return account.sign;
    return std::nullopt;
}

__int128 decimal4_scaled(const std::string& text) {
    const auto parsed = Decimal4::parse(text);
    if (!parsed.value)
        throw std::runtime_error("a stored weighted_listed '" + text + "' does not parse; run likvard verify");
    return parsed.value->scaled();
}

void add_listings(Explanation& e, std::span<const FigureListing> listings) {
    const auto& parties = e.selection.listing_parties;
    for (const auto& listing : listings) {
        if (!std::binary_search(parties.begin(), parties.end(), listing.provider_id)) continue;
        e.listed_sum += std::stoll(listing.listed);
        e.weighted_sum += decimal4_scaled(listing.weighted_listed);
        e.listings.push_back(listing);
    }
}

std::optional<std::string> computed_figure(const Explanation& e) {
    const auto months = static_cast<__int128>(e.months);
    switch (e.selection.kind) {
        case FigureKind::sum: return money(e.postings_sum);
        case FigureKind::per_weighted_listed: {
            const auto per_capita = per_weighted_listed(e.postings_sum, e.weighted_sum);
            if (!per_capita) return std::nullopt;
            return money(*per_capita);
        }
        case FigureKind::listed_average: return format_scaled(divide_round_half_away(e.listed_sum * 100, months), 2);
        case FigureKind::weighted_listed_average:
            return format_scaled(divide_round_half_away(e.weighted_sum, months), 4);
        case FigureKind::share_of_total:
            if (e.total_sum == 0) return std::nullopt;
            return format_scaled(divide_round_half_away(e.postings_sum * 10'000, e.total_sum), 2);
        case FigureKind::fte_average:
            if (e.fte_months == 0) return std::nullopt;
            return format_scaled(divide_round_half_away(e.fte_sum, static_cast<__int128>(e.fte_months)), 4);
        case FigureKind::decision_refs: {
            std::set<std::string> refs;
            for (const auto& event : e.events)
                if (event.decision_ref) refs.insert(*event.decision_ref);
            std::string out;
            for (const auto& ref : refs) out += (out.empty() ? "" : ", ") + ref;
            return out;
        }
        case FigureKind::decision_events:
            if (e.events.empty()) return std::nullopt;
            return e.selection.decision_ref;
    }
    return std::nullopt;
}

// The events read, each with the commitment and fte the slice counts it with (a reversal's
// fte negated); for fte the sum over them and the months that carry one.
void add_events(Explanation& e, const LedgerSlice& slice, std::span<const FigureEvent> events) {
    std::set<std::string> fte_months;
    for (const auto& read : events) {
        FigureEvent event = read;
        const auto counted = std::find_if(slice.commitment_events.begin(), slice.commitment_events.end(),
                                          [&](const SliceEvent& s) { return s.seq == read.seq; });
        if (counted != slice.commitment_events.end()) {
            event.commitment = counted->commitment;
            if (counted->fte) {
                const __int128 fte = (counted->reverses_commitment ? -1 : 1) * counted->fte->scaled();
                event.fte = format_scaled(fte, 4);
                if (e.selection.kind == FigureKind::fte_average) e.fte_sum += fte, fte_months.insert(counted->period);
            }
        }
        e.events.push_back(std::move(event));
    }
    e.fte_months = fte_months.size();
}

}  // namespace

FigureRead figure_read(const FigureSelection& selection) {
    FigureRead out;
    std::set<std::string> parties;
    bool any_party = false;
    for (const auto* accounts : {&selection.accounts, &selection.total_accounts})
        for (const auto& account : *accounts) {
            out.accounts.push_back(account);
            parties.insert(account.parties.begin(), account.parties.end());
            any_party = any_party || account.parties.empty();
        }
    if (!any_party) out.parties.assign(parties.begin(), parties.end());
    out.listings = !selection.listing_parties.empty();
    out.event_seqs = selection.event_seqs;
    out.decision_ref = selection.decision_ref;
    return out;
}

Explanation explain_figure(const LedgerSlice& slice, const FigureSelection& selection,
                           std::span<const FigurePosting> postings, std::span<const FigureListing> listings,
                           std::span<const FigureEvent> events) {
    Explanation e;
    e.region = slice.region, e.scheme = slice.scheme, e.from = slice.from, e.to = slice.to;
    e.as_of_hash = slice.as_of_hash, e.as_of_seq = slice.as_of_seq;
    e.months = months_between(slice.from, slice.to).size();
    e.selection = selection;
    for (const auto& posting : postings) {
        if (const auto sign = sign_in(selection.accounts, posting)) {
            e.postings.push_back({posting, *sign * static_cast<__int128>(posting.amount)});
            e.postings_sum += e.postings.back().counted;
        }
        if (const auto sign = sign_in(selection.total_accounts, posting)) e.total_sum += *sign * posting.amount;
    }
    if (!selection.listing_parties.empty()) add_listings(e, listings);
    add_events(e, slice, events);
    e.computed = computed_figure(e);
    return e;
}

}  // namespace likvard
