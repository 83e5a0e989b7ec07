// One way to a statement for the CLI and the HTTP API: check the query, read the slice
// from the projections when they stand at the head (or when asked), else from the ledger
// as of the seq asked, and compute the document.
#include <cctype>
#include <stdexcept>

#include "projections/projections.hpp"
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
    if (!is_region(q.region)) return std::make_pair("region", "'" + q.region + "' is not an ISO 3166-2 region code like SE-Z");
    if (q.scheme != "primary_care" && q.scheme != "dental_child_youth" && q.scheme != "foot_care" &&
        q.scheme != "physiotherapy")
        return std::make_pair("scheme", "'" + q.scheme +
                                            "' is not a scheme (primary_care, dental_child_youth, foot_care, physiotherapy)");
    if (!is_month(q.from)) return std::make_pair("from", "'" + q.from + "' is not a month YYYY-MM");
    if (!is_month(q.to)) return std::make_pair("to", "'" + q.to + "' is not a month YYYY-MM");
    if (q.to < q.from) return std::make_pair("to", q.to + " is before from " + q.from);
    if (q.as_of && *q.as_of < 0) return std::make_pair("as_of", "must be a sequence number >= 0");
    if (q.as_of && q.source == StatementSource::projections)
        return std::make_pair("as_of", "the projections answer at their checkpoint; as_of is read from the ledger");
    return std::nullopt;
}

StatementResult make_statement(Store& store, const StatementQuery& q, const std::string& generator) {
    if (const auto problem = statement_query_problem(q)) throw std::invalid_argument(problem->first + ": " + problem->second);
    std::optional<LedgerSlice> slice;
    StatementResult result;
    if (q.source != StatementSource::ledger && !q.as_of) {
        auto projected = read_projected_slice(store_connection(store), q.region, q.scheme, q.from, q.to);
        if (!projected && q.source == StatementSource::projections)
            throw std::runtime_error("the projections are missing: run likvard projections rebuild");
        if (projected && (q.source == StatementSource::projections ||
                          projected->slice.as_of_seq == projected->ledger_head_seq)) {
            slice = std::move(projected->slice);
            // The projections hold sums; the allocation keys name each invoice's key.
            store.read_shared_cost_invoices(*slice);
            result.source_used = StatementSource::projections;
        }
    }
    if (!slice) {
        slice = store.read_slice(q.region, q.scheme, q.from, q.to, q.as_of, slice_parts_for(q.statement));
        result.source_used = StatementSource::ledger;
    }
    read_budgets(store, *slice);
    // Nothing counted: a region or scheme the ledger does not know must not pass for zeros.
    if (slice->events_counted == 0) store.require_scope(q.region, q.scheme);
    result.document = q.statement == "neutrality" ? neutrality_statement(*slice, generator)
                                                   : commitment_statement(*slice, generator);
    return result;
}

}  // namespace likvard
