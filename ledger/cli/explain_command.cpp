// `likvard explain neutrality|commitments ... --row ROW --column NAME`: the postings behind
// one figure of a statement, which sum to it exactly, and for per-capita figures and
// averages the listings behind the denominator.
#include <iostream>

#include "cli/detail/commands.hpp"
#include "cli/detail/options.hpp"
#include "projections/projections.hpp"
#include "store/store.hpp"

namespace likvard::cli {
namespace {

constexpr const char* generator_version = "likvard 0.1.0";

constexpr const char* explain_help = R"(Usage: likvard explain neutrality|commitments --region R --scheme S
                       --from YYYY-MM --to YYYY-MM [--as-of SEQ]
                       --row ROW --column NAME [--format text|json]
                       [--database-url URL]

Lists what makes one figure of a statement: the postings behind it (seq, event id,
type, period, source system and reference, decision, account, and the amount as the
figure counts it), whose amounts sum to the figure exactly, and for per-capita figures
(net_per_weighted_listed) and the listing averages the listings of the denominator,
with how the figure is computed from them. The statement's options are those of
'likvard statement'; the figure is computed from the ledger's postings as of --as-of SEQ
(default: the head), and the drill-down names that position.

--row        neutrality: a provider's or organisation's party_id, subtotal:region_run,
             subtotal:private or total (table rows).
             commitments: commitment:VALUE or total (table commitments), service:NAME
             (table services).
             either: decision:REF, a decision reference the statement names (column
             events: the events of its months that cite it).
--column     a figure of that table: neutrality listed_avg, weighted_listed_avg, a money
             column (capitation ... services_bought), net_resources,
             net_per_weighted_listed; commitments cost, fte, appropriated, unfunded,
             share_of_total_percent, decision_refs, cost_YYYY-MM; services
             paid_by_region_run, benefit_region_run, benefit_private, appropriated,
             carried_for_others. fte and decision_refs list the commitment events
             (with their reversals) whose fte averages to the figure or whose decision
             references it names.
--format     text (default) or json (the HTTP API's
             /v1/regions/{region}/statements/{statement}/figures/{row}/{column}).

The database is --database-url or $LIKVARD_DATABASE_URL; likvard_reader may read it all.

Exit codes: 0 written, 1 the database failed or the ledger has no events for the region
and scheme, 2 usage error (also a row or column the statement does not have).
)";

std::string required(const Options& options, const std::string& name) {
    auto value = options.value(name);
    if (!value) throw UsageError(name + " is required");
    return *value;
}

FigureQuery read_query(const Options& options) {
    if (options.positional().size() != 1) throw UsageError("say which statement: neutrality or commitments");
    FigureQuery query;
    StatementQuery& s = query.statement;
    s.statement = options.positional()[0];
    s.region = required(options, "--region");
    s.scheme = required(options, "--scheme");
    s.from = required(options, "--from");
    s.to = required(options, "--to");
    s.as_of = options.integer("--as-of");
    s.source = StatementSource::ledger;
    if (const auto problem = statement_query_problem(s))
        throw UsageError((problem->first == "statement"
                              ? std::string("statement")
                              : "--" + (problem->first == "as_of" ? std::string("as-of") : problem->first)) +
                         " " + problem->second);
    query.row = required(options, "--row");
    query.column = required(options, "--column");
    return query;
}

}  // namespace

int explain(const Args& args) {
    Options options(
        args, {"--region", "--scheme", "--from", "--to", "--as-of", "--row", "--column", "--format", "--database-url"},
        {});
    if (options.help()) return std::cout << explain_help, exit_ok;
    const FigureQuery query = read_query(options);
    const std::string format = options.value("--format").value_or("text");
    if (format != "text" && format != "json") throw UsageError("--format '" + format + "' is not text or json");
    Store store(database_url(options));
    Explanation explanation;
    try {
        explanation = explain_statement_figure(store, query, generator_version);
    } catch (const UnknownFigure& error) {
        throw UsageError("--" + error.field + " " + std::string(error.what()).substr(error.field.size() + 2));
    }
    std::cout << (format == "json" ? render_explanation_json(explanation) : render_explanation_text(explanation));
    return exit_ok;
}

}  // namespace likvard::cli
