// One way to a statement for the CLI and the HTTP API: check the query, resolve a time
// asked to the seq it stood at, read the slice from the projections when they stand at the
// head (or when asked), else from their blocks and the postings after them, else from the
// ledger as of the seq asked, and compute the document.
#include <cctype>
#include <regex>
#include <stdexcept>

#include "projections/detail/blocks.hpp"
#include "store/connection.hpp"
#include "store/reads.hpp"
#include "store/store.hpp"

namespace likvard {
namespace {

bool is_month(const std::string& text) {
    if (text.size() != 7 || text[4] != '-') return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    const int month = (text[5] - '0') * 10 + (text[6] - '0');
    return month >= 1 && month <= 12;
}

bool is_region(const std::string& text) {  // ISO 3166-2: SE-Z, SE-AC
    if (text.size() < 4 || text.size() > 6 || text[2] != '-') return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == 2) continue;
        const auto c = static_cast<unsigned char>(text[i]);
        if (!(std::isupper(c) || (i > 2 && std::isdigit(c)))) return false;
    }
    return true;
}

// RFC 3339 with seconds: 2024-03-01T12:00:00Z, 2024-03-01T12:00:00.250Z, 2024-03-01T13:00:00+01:00
// (PostgreSQL keeps microseconds; it checks the day of the month).
bool is_rfc3339(const std::string& text) {
    static const std::regex form(
        "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)"
        "(\\.[0-9]{1,6})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])");
    return std::regex_match(text, form);
}

std::optional<std::pair<std::string, std::string>> as_of_problem(const StatementQuery& q) {
    if (q.as_of && *q.as_of < 0) return std::make_pair("as_of", "must be a sequence number >= 0");
    if (q.as_of && q.as_of_time)
        return std::make_pair("as_of_time", "cannot be given with as_of: one position at a time");
    if (q.as_of_time && !is_rfc3339(*q.as_of_time))
        return std::make_pair("as_of_time", "'" + *q.as_of_time +
                                                "' is not an RFC 3339 time like 2024-03-01T12:00:00Z (or with "
                                                "milliseconds, .250Z, or an offset, +01:00)");
    if ((q.as_of || q.as_of_time) && q.source == StatementSource::projections)
        return std::make_pair(q.as_of ? "as_of" : "as_of_time",
                              "the projections answer at their checkpoint; an earlier position is read "
                              "from the ledger");
    return std::nullopt;
}

// The seq the time asked resolves to, and the time in UTC for the provenance.
HeadAtTime resolve_time(Store& store, const StatementQuery& q) {
    HeadAtTime at;
    try {
        at = head_at_time(store, q.region, *q.as_of_time);
    } catch (const InvalidTime& error) {
        throw AsOfTimeError("as_of_time: '" + *q.as_of_time + "' is not a time: " + error.what());
    }
    if (!at.first_recorded_at) store.require_scope(q.region, q.scheme);  // a region without events
    if (at.seq == 0)
        throw AsOfTimeError("as_of_time: " + at.time_utc + " is before the first event of " + q.region +
                            ", recorded at " + *at.first_recorded_at);
    return at;
}

// The slice from the projections at the head, or from their blocks and the postings after
// them; nullopt when the ledger path must answer.
std::optional<LedgerSlice> projected(Store& store, const StatementQuery& q, SliceParts parts, StatementSource& used) {
    if (q.source == StatementSource::ledger) return std::nullopt;
    if (!q.as_of) {
        auto at_head = read_projected_slice(store_connection(store), q.region, q.scheme, q.from, q.to);
        if (!at_head && q.source == StatementSource::projections)
            throw std::runtime_error("the projections are missing: run likvard projections rebuild");
        if (at_head &&
            (q.source == StatementSource::projections || at_head->slice.as_of_seq == at_head->ledger_head_seq)) {
            used = StatementSource::projections;
            store.weigh_estimated_invoices(at_head->slice);
            return std::move(at_head->slice);
        }
    }
    if (q.source != StatementSource::automatic) return std::nullopt;
    auto from_blocks = read_slice_from_blocks(store, q, parts);
    if (from_blocks) used = StatementSource::blocks;
    return from_blocks;
}

// The budgets of the slice's months as of its position (the same for both sources).
void read_budgets(Store& store, LedgerSlice& slice) {
    const auto read = budgets(store, slice.region, slice.scheme, slice.from, slice.to, slice.as_of_seq);
    for (const auto& row : read.budgets) {
        const auto side = row.side ? side_from_name(*row.side) : std::nullopt;
        slice.budgets.push_back({row.period, row.party_id, side, row.line, row.amount});
    }
}

}  // namespace

std::optional<std::pair<std::string, std::string>> statement_query_problem(const StatementQuery& q) {
    if (q.statement != "neutrality" && q.statement != "commitments")
        return std::make_pair("statement", "'" + q.statement + "' is not neutrality or commitments");
    if (!is_region(q.region))
        return std::make_pair("region", "'" + q.region + "' is not an ISO 3166-2 region code like SE-Z");
    if (q.scheme != "primary_care" && q.scheme != "dental_child_youth" && q.scheme != "foot_care" &&
        q.scheme != "physiotherapy")
        return std::make_pair(
            "scheme",
            "'" + q.scheme + "' is not a scheme (primary_care, dental_child_youth, foot_care, physiotherapy)");
    if (q.tertial) {
        if (!tertial_of(*q.tertial))
            return std::make_pair("tertial", "'" + *q.tertial + "' is not a tertial YYYY-T1, YYYY-T2 or YYYY-T3");
        if (!q.from.empty() || !q.to.empty())
            return std::make_pair("tertial", "cannot be given with from and to: a tertial names its months");
        return as_of_problem(q);
    }
    if (!is_month(q.from)) return std::make_pair("from", "'" + q.from + "' is not a month YYYY-MM");
    if (!is_month(q.to)) return std::make_pair("to", "'" + q.to + "' is not a month YYYY-MM");
    if (q.to < q.from) return std::make_pair("to", q.to + " is before from " + q.from);
    return as_of_problem(q);
}

namespace {

// The slice of the query's months as of its position (q.as_of, when given; a moment asked is
// already resolved to its seq and named by `as_of_time` for the provenance).
StatementSlice slice_at(Store& store, const StatementQuery& q, SliceParts parts, bool require_events,
                        const std::optional<std::string>& as_of_time) {
    StatementSlice result;
    std::optional<LedgerSlice> slice = projected(store, q, parts, result.source_used);
    if (!slice) {
        slice = store.read_slice(q.region, q.scheme, q.from, q.to, q.as_of, parts);
        result.source_used = StatementSource::ledger;
    }
    read_budgets(store, *slice);
    // Nothing counted: a region or scheme the ledger does not know must not pass for zeros.
    if (slice->events_counted == 0 && require_events) store.require_scope(q.region, q.scheme);
    slice->as_of_time = as_of_time;
    result.slice = std::move(*slice);
    return result;
}

// One statement of the query's months as of its position (q.as_of, when given), and the
// moment asked for the provenance.
StatementResult computed(Store& store, const StatementQuery& q, const std::optional<std::string>& as_of_time,
                         const std::string& generator) {
    StatementSlice read = slice_at(store, q, slice_parts_for(q.statement), true, as_of_time);
    StatementResult result;
    result.source_used = read.source_used;
    result.document = q.statement == "neutrality" ? neutrality_statement(read.slice, generator)
                                                  : commitment_statement(read.slice, generator);
    return result;
}

std::int64_t as_of_seq_of(const Document& d) {
    for (const auto& [key, value] : d.provenance)
        if (key == "as_of_seq") return std::stoll(value);
    throw std::logic_error("a statement without as_of_seq");
}

// The statement of the months (a tertial's cumulative months, with its own beside them) as of
// `seq`: what the statement asked for these months with --as-of seq would say. The projections
// asked for answer at their checkpoint only, so an earlier month range at `seq` is read from
// the ledger (the same bytes by design).
Document months_at(Store& store, StatementQuery q, const std::string& from, const std::string& to, std::int64_t seq,
                   const std::optional<std::string>& as_of_time, const std::string& generator) {
    q.from = from;
    q.to = to;
    q.as_of = seq;
    return computed(store, q, as_of_time, generator).document;
}

void with_tertial(Store& store, const StatementQuery& q, Document& d, const std::optional<std::string>& as_of_time,
                  const std::string& generator) {
    if (!q.tertial) return;
    const Tertial tertial = *tertial_of(*q.tertial);
    const Document own = months_at(store, q, tertial.own_from, tertial.own_to, as_of_seq_of(d), as_of_time, generator);
    add_tertial_months(d, tertial, own);
}

// The query checked, with a moment asked resolved to its seq (the moment, in UTC, goes to
// `as_of_time` for the provenance) and a tertial to its cumulative months (the tertial stays
// named in the query: the statement adds its own months beside them).
StatementQuery resolved(Store& store, const StatementQuery& asked, std::optional<std::string>& as_of_time) {
    if (const auto problem = statement_query_problem(asked))
        throw std::invalid_argument(problem->first + ": " + problem->second);
    StatementQuery q = asked;
    if (q.as_of_time) {
        const HeadAtTime at = resolve_time(store, q);
        q.as_of = at.seq;
        q.as_of_time.reset();
        as_of_time = at.time_utc;
    }
    if (q.tertial) {
        const Tertial tertial = *tertial_of(*q.tertial);
        q.from = tertial.from;
        q.to = tertial.to;
    }
    return q;
}

}  // namespace

StatementSlice read_statement_slice(Store& store, const StatementQuery& asked, SliceParts parts, bool require_events) {
    std::optional<std::string> as_of_time;
    return slice_at(store, resolved(store, asked, as_of_time), parts, require_events, as_of_time);
}

StatementResult make_statement(Store& store, const StatementQuery& asked, const std::string& generator) {
    std::optional<std::string> as_of_time;
    const StatementQuery q = resolved(store, asked, as_of_time);
    StatementResult result = computed(store, q, as_of_time, generator);
    with_tertial(store, q, result.document, as_of_time, generator);
    if (!q.compare_previous_year) return result;
    StatementQuery earlier = q;
    earlier.from = month_year_earlier(q.from);
    earlier.to = month_year_earlier(q.to);
    earlier.as_of = as_of_seq_of(result.document);
    if (q.tertial) earlier.tertial = tertial_year_earlier(*q.tertial);
    Document previous = computed(store, earlier, as_of_time, generator).document;
    with_tertial(store, earlier, previous, as_of_time, generator);
    add_previous_year(result.document, previous);
    return result;
}

}  // namespace likvard
