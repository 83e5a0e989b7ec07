// The drill-down of one figure: the statement computed from the ledger's postings as of a
// position, then the postings (and listings) behind the figure read as of the same position,
// and the figure computed again from them, which must be the statement's.
#include "core/invariant.hpp"
#include "projections/projections.hpp"
#include "store/reads.hpp"
#include "store/store.hpp"

namespace likvard {
namespace {

FigurePostingsAsk ask_of(const LedgerSlice& slice, const FigureRead& read) {
    return {slice.region, slice.scheme, slice.from, slice.to, slice.as_of_seq, read.parties, read.accounts};
}

}  // namespace

Explanation explain_statement_figure(Store& store, const FigureQuery& query, const std::string& generator) {
    StatementQuery q = query.statement;
    q.source = StatementSource::ledger;
    if (const auto problem = statement_query_problem(q))
        throw std::invalid_argument(problem->first + ": " + problem->second);
    const LedgerSlice slice = store.read_slice(q.region, q.scheme, q.from, q.to, q.as_of, slice_parts_for(q.statement));
    if (slice.events_counted == 0) store.require_scope(q.region, q.scheme);
    const Document document =
        q.statement == "neutrality" ? neutrality_statement(slice, generator) : commitment_statement(slice, generator);
    auto selected = select_figure(slice, document, query.row, query.column);
    if (const auto* problem = std::get_if<FigureProblem>(&selected))
        throw UnknownFigure(problem->field, problem->message);
    const auto& selection = std::get<FigureSelection>(selected);
    const FigureRead read = figure_read(selection);
    const FigurePostingsAsk ask = ask_of(slice, read);
    const auto postings = figure_postings(store, ask);
    const auto listings = read.listings ? figure_listings(store, ask) : std::vector<FigureListing>{};
    FigureEventsAsk events_ask;
    events_ask.region = slice.region, events_ask.scheme = slice.scheme, events_ask.from = slice.from;
    events_ask.to = slice.to, events_ask.as_of_seq = slice.as_of_seq;
    events_ask.seqs = read.event_seqs, events_ask.decision_ref = read.decision_ref;
    const auto events = figure_events(store, events_ask);
    Explanation explanation = explain_figure(slice, selection, postings, listings, events);
    LIKVARD_INVARIANT(explanation.computed == selection.figure,
                      "the figure " + selection.figure.value_or("(blank)") + " of " + query.row + "/" + query.column +
                          " computed again from its postings is " + explanation.computed.value_or("(blank)"));
    return explanation;
}

}  // namespace likvard
