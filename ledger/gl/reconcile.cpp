// The monthly reconciliation: the GL's booked rows of the months and the ledger's postings
// of the same months, each summed on (scheme, month, party, class and item), compared key
// by key. How the events reached the ledger does not matter: only the sums do.
#include <algorithm>
#include <set>
#include <utility>

#include "gl/gl.hpp"
#include "gl/mapping.hpp"

namespace likvard::gl {
namespace {

std::optional<std::string> object_of(const sie::TransRow& row, int dimension) {
    for (const auto& ref : row.objects)
        if (ref.dimension == dimension) return ref.object;
    return std::nullopt;
}

std::string objects_text(const std::vector<sie::ObjectRef>& objects) {
    std::string text = "{";
    for (const auto& ref : objects)
        text += (text.size() > 1 ? " " : "") + std::to_string(ref.dimension) + " \"" + ref.object + "\"";
    return text + "}";
}

void add_source(Side& side, const std::string& source, Money amount) {
    if (side.sources.empty() || side.sources.back() != source) {
        side.sources.push_back(source);
        side.source_amounts.push_back(amount);
    } else {
        side.source_amounts.back() += amount;
    }
}

// Pairs equal amounts of the two sides and keeps the rest, in source order.
void pair_sources(Difference& d) {
    std::multiset<std::int64_t> gl_left, ledger_left;
    for (const Money amount : d.gl.source_amounts) gl_left.insert(amount.ore());
    for (const Money amount : d.ledger.source_amounts) ledger_left.insert(amount.ore());
    std::multiset<std::int64_t> paired;
    for (const std::int64_t ore : gl_left)
        if (const auto at = ledger_left.find(ore); at != ledger_left.end()) ledger_left.erase(at), paired.insert(ore);
    auto unpaired = [](const Side& side, std::multiset<std::int64_t> skip, std::vector<Unpaired>& out) {
        for (std::size_t i = 0; i < side.sources.size(); ++i) {
            const std::int64_t ore = side.source_amounts[i].ore();
            if (const auto at = skip.find(ore); at != skip.end())
                skip.erase(at);
            else
                out.push_back({side.sources[i], side.source_amounts[i]});
        }
    };
    unpaired(d.gl, paired, d.gl_unpaired);
    unpaired(d.ledger, paired, d.ledger_unpaired);
}

// A row's key, or why it has none (in `unkeyed`, in English and in Swedish).
std::optional<Key> gl_key(const sie::TransRow& row, const std::string& month, Unkeyed& unkeyed) {
    const auto account = chart_account(row.account);
    const auto party = object_of(row, party_dimension);
    const auto scheme = object_of(row, scheme_dimension);
    if (!account) {
        unkeyed.why = "account " + row.account + " is not in the built-in chart";
        unkeyed.why_sv = "konto " + row.account + " finns inte i den inbyggda kontoplanen";
    } else if (!party) {
        unkeyed.why = "no party object (dimension 1)";
        unkeyed.why_sv = "inget partsobjekt (dimension 1)";
    } else if (!scheme) {
        unkeyed.why = "no scheme object (dimension 20)";
        unkeyed.why_sv = "inget vårdvalsobjekt (dimension 20)";
    } else {
        return Key{*scheme, month, *party, *account};
    }
    return std::nullopt;
}

// A row's key through a mapping: the ledger account its mapping row stands for.
std::optional<Key> mapped_key(const Through& through, const sie::Verification& verification, const sie::TransRow& row,
                              const std::string& month, Unkeyed& unkeyed, bool& ignored) {
    const RowMatch match = match_row(through.mapping, through.party_map, verification, row);
    ignored = match.outcome == RowMatch::Outcome::ignored;
    if (match.outcome != RowMatch::Outcome::event && !match.opposite_sign) {
        unkeyed.why = match.why;
        unkeyed.why_sv = match.why_sv;
        return std::nullopt;
    }
    const StoodFor stood = stood_for(*match.rule->event, *match.rule->sign);
    return Key{match.rule->event->scheme, month, match.parties.at(stood.party_field), stood.account};
}

// Whether a mapping row stands for the posting's account, scheme and party.
bool covered(const Through& through, const LedgerPosting& posting) {
    for (const auto& rule : through.mapping.rows) {
        if (!rule.event || rule.event->scheme != posting.scheme) continue;
        const StoodFor stood = stood_for(*rule.event, *rule.sign);
        if (stood.account != posting.account) continue;
        const PartyRef& party = rule.event->parties.at(stood.party_field);
        if (!party.from_object() && party.party_id == posting.party) return true;
        if (party.from_object() && through.party_map != nullptr)
            for (const auto& entry : through.party_map->entries)
                if (entry.party.party_id == posting.party && entry.object && entry.object->dimension == party.dimension)
                    return true;
    }
    return false;
}

using Sums = std::map<Key, Side>;

void sum_gl(const sie::SieDocument& gl, const std::string& from, const std::string& to, const Through* through,
            Sums& sums, Reconciliation& r) {
    for (const auto& verification : gl.verifications)
        for (const auto& row : verification.rows) {
            if (!row.booked()) continue;
            const sie::Date date = verification.date_of(row);
            const std::string month = sie::Month{date.year, date.month}.iso();
            if (month < from || month > to) continue;
            Unkeyed unkeyed{row.line, row.account, objects_text(row.objects), row.amount, {}, {}};
            bool ignored = false;
            const auto key = through ? mapped_key(*through, verification, row, month, unkeyed, ignored)
                                     : gl_key(row, month, unkeyed);
            if (ignored) {
                ++r.gl_ignored_rows;
                r.gl_ignored_total += row.amount;
                continue;
            }
            if (!key) {
                r.unkeyed.push_back(std::move(unkeyed));
                continue;
            }
            Side& side = sums[*key];
            side.amount += row.amount;
            add_source(side,
                       verification.series + " " + verification.number + " (line " + std::to_string(row.line) + ")",
                       row.amount);
            r.gl_total += row.amount;
            ++r.gl_rows;
        }
}

void sum_ledger(const LedgerExtract& ledger, const std::string& from, const std::string& to, const Through* through,
                Sums& sums, Reconciliation& r) {
    for (const auto& posting : ledger.postings) {
        if (posting.period < from || posting.period > to) continue;
        if (through && !covered(*through, posting)) {
            ++r.ledger_left_out;
            r.ledger_left_out_total += posting.amount;
            continue;
        }
        // An account outside the chart keeps its own name: no GL row can match it. Through a
        // mapping, the account is the ledger's own, as the mapping row names it.
        const ChartAccount account = through ? posting.account : chart_key(posting.account).value_or(posting.account);
        Side& side = sums[Key{posting.scheme, posting.period, posting.party, account}];
        side.amount += posting.amount;
        add_source(side, posting.event_id, posting.amount);
        r.ledger_total += posting.amount;
        ++r.ledger_postings;
    }
}

}  // namespace

Reconciliation reconcile(const sie::SieDocument& gl, const LedgerExtract& ledger, const std::string& from,
                         const std::string& to, const Through* through) {
    Reconciliation r;
    r.from = from;
    r.to = to;
    r.through_mapping = through != nullptr;
    Sums gl_sums, ledger_sums;
    sum_gl(gl, from, to, through, gl_sums, r);
    sum_ledger(ledger, from, to, through, ledger_sums, r);
    std::set<Key> keys;
    for (const auto& [key, side] : gl_sums) keys.insert(key);
    for (const auto& [key, side] : ledger_sums) keys.insert(key);
    r.keys = keys.size();
    for (const auto& key : keys) {
        const auto g = gl_sums.find(key);
        const auto l = ledger_sums.find(key);
        Difference d;
        d.key = key;
        d.gl = g == gl_sums.end() ? Side{} : g->second;
        d.ledger = l == ledger_sums.end() ? Side{} : l->second;
        if (d.gl.amount == d.ledger.amount) continue;
        pair_sources(d);
        r.differences.push_back(std::move(d));
    }
    return r;
}

}  // namespace likvard::gl
