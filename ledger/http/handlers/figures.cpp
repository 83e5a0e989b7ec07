// GET /v1/regions/{region}/statements/{statement}/figures/{row}/{column}: the drill-down of
// one figure, what `likvard explain ... --format json` writes (auditor role).
#include "http/detail/context.hpp"
#include "projections/projections.hpp"

namespace likvard::http::detail {
namespace {

// What a statement covers at most, as the statement routes allow.
constexpr std::int64_t figure_months_max = 120;

FigureQuery read_query(const Request& request) {
    FigureQuery query;
    StatementQuery& s = query.statement;
    s.statement = request.path_params.at("statement");
    if (s.statement != "neutrality" && s.statement != "commitments")
        not_found("no statement '" + s.statement + "': neutrality or commitments");
    s.region = region_of(request);
    s.scheme = scheme_value("scheme", required_param(request, "scheme"));
    if (!month_param(request, "from")) bad_parameter("from", "is required");
    if (!month_param(request, "to")) bad_parameter("to", "is required");
    s.from = *text_param(request, "from");
    s.to = *text_param(request, "to");
    check_month_range(s.from, s.to);
    check_months_at_most(s.from, s.to, figure_months_max);
    s.as_of = integer_param(request, "as_of", 0, std::numeric_limits<std::int64_t>::max());
    s.source = StatementSource::ledger;
    query.row = request.path_params.at("row");
    query.column = request.path_params.at("column");
    // A decision reference holds '/' (RS/773/2021), which a path segment may not: row
    // `decision` with the reference in `decision_ref` is the CLI's --row decision:REF.
    const auto decision_ref = text_param(request, "decision_ref");
    if (query.row == "decision") {
        if (!decision_ref || decision_ref->empty()) bad_parameter("decision_ref", "is required with row decision");
        query.row = "decision:" + *decision_ref;
    } else if (decision_ref) {
        bad_parameter("decision_ref", "applies only to row decision");
    }
    return query;
}

Response figure(Context& context, const Request& request) {
    const FigureQuery query = read_query(request);
    auto store = context.pool.acquire();
    try {
        const Explanation explanation = explain_statement_figure(*store, query, context.config.generator);
        Response response;
        response.content_type = "application/json";
        response.body = render_explanation_json(explanation);
        return response;
    } catch (const UnknownFigure& error) {  // 400 naming row or column
        bad_parameter(error.field, std::string(error.what()).substr(error.field.size() + 2));
    } catch (const LedgerScopeError& error) {
        not_found(error.what());
    } catch (const MoneyOverflow& error) {
        throw ProblemError(problem_of("amount-out-of-range", error.what()));
    }
}

}  // namespace

void add_figure_routes(Router& router, const ContextPtr& context) {
    router.add({"GET",
                "/v1/regions/{region}/statements/{statement}/figures/{row}/{column}",
                Role::auditor,
                {"scheme", "from", "to", "as_of", "decision_ref"},
                [context](const Request& r) { return figure(*context, r); }});
}

}  // namespace likvard::http::detail
