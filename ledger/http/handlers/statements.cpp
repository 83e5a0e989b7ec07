// GET /v1/regions/{region}/statements/neutrality|commitments: the CLI's statements, the same
// bytes through the same renderers. json (default), md, xlsx, html, pdf, and csv one table at a time
// (`table=`: the CLI's file <statement>-<table>.csv); `lang=sv|en` as the CLI's --lang.
// ETag: the statement's content hash (with the format, language and table).
#include <chrono>
#include <set>

#include "http/detail/context.hpp"
#include "store/reads.hpp"
#include "projections/projections.hpp"

namespace likvard::http::detail {
namespace {

// Ten years: what a statement covers at most (its work and its size grow with the months).
constexpr std::int64_t statement_months_max = 120;

struct StatementAsk {
    std::string statement, region, scheme, from, to, format, table;
    std::string lang;  // "sv", "en", or "" (json, the machine CSV)
    std::optional<std::int64_t> as_of;
    std::optional<std::string> as_of_time;  // RFC 3339; resolved by make_statement
    std::optional<std::string> tertial;     // YYYY-T1|T2|T3, instead of from and to
    bool compare_previous_year = false;
};

// md, xlsx, html and pdf are Swedish unless lang=en; csv is the machine CSV unless lang= is given.
std::string read_lang(const Request& request, const std::string& format) {
    const auto lang = text_param(request, "lang");
    if (!lang) return format == "json" || format == "csv" ? "" : "sv";
    if (!language_of(*lang)) bad_parameter("lang", "'" + *lang + "' is not sv or en");
    if (format == "json")
        bad_parameter("lang", "applies only to format=md, csv, xlsx, html or pdf; JSON has no language");
    return *lang;
}

const std::map<std::string, std::string>& content_types() {
    static const std::map<std::string, std::string> types{
        {"json", "application/json"},
        {"md", "text/markdown; charset=utf-8"},
        {"csv", "text/csv; charset=utf-8; header=present"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"html", "text/html; charset=utf-8"},
        {"pdf", "application/pdf"},
    };
    return types;
}

// The tables a CSV may name: the statement's own tables, then provenance and summary.
const std::set<std::string>& csv_table_names(const std::string& statement) {
    static const std::set<std::string> neutrality{"rows",   "cross_subsidies", "allocation_keys",
                                                  "budget", "provenance",      "summary"};
    static const std::set<std::string> commitments{"commitments", "services",   "allocation_keys",
                                                   "budget",      "provenance", "summary"};
    return statement == "neutrality" ? neutrality : commitments;
}

// from and to, or a tertial (cumulative: its months from January), and compare=previous_year.
void read_months(const Request& request, StatementAsk& ask) {
    ask.tertial = text_param(request, "tertial");
    if (ask.tertial) {
        if (text_param(request, "from") || text_param(request, "to"))
            bad_parameter("tertial", "cannot be given with from and to: a tertial names its months");
        if (!tertial_of(*ask.tertial))
            bad_parameter("tertial", "'" + *ask.tertial + "' is not a tertial YYYY-T1, YYYY-T2 or YYYY-T3");
    } else {
        if (!month_param(request, "from")) bad_parameter("from", "is required");
        if (!month_param(request, "to")) bad_parameter("to", "is required");
        ask.from = *text_param(request, "from");
        ask.to = *text_param(request, "to");
        check_month_range(ask.from, ask.to);
        check_months_at_most(ask.from, ask.to, statement_months_max);
    }
    if (const auto compare = text_param(request, "compare")) {
        if (*compare != "previous_year") bad_parameter("compare", "'" + *compare + "' is not previous_year");
        ask.compare_previous_year = true;
    }
}

// The query of make_statement, field by field (a tertial leaves from and to empty).
StatementQuery query_of(const StatementAsk& ask) {
    StatementQuery query;
    query.statement = ask.statement;
    query.region = ask.region;
    query.scheme = ask.scheme;
    query.from = ask.from;
    query.to = ask.to;
    query.as_of = ask.as_of;
    query.as_of_time = ask.as_of_time;
    query.tertial = ask.tertial;
    query.compare_previous_year = ask.compare_previous_year;
    return query;
}

// A table of the statement's CSV: its own, those of a tertial's own months (<table>_tertial_months,
// summary_tertial_months) and of the comparison (comparison_<table>, comparison_summary).
bool csv_table_named(const std::string& statement, std::string name) {
    constexpr std::string_view comparison = "comparison_", tertial = "_tertial_months";
    if (name.starts_with(comparison)) name = name.substr(comparison.size());
    if (name.ends_with(tertial)) name = name.substr(0, name.size() - tertial.size());
    return csv_table_names(statement).contains(name);
}

StatementAsk read_ask(const Request& request, const std::string& statement) {
    StatementAsk ask;
    ask.statement = statement;
    ask.region = region_of(request);
    ask.scheme = scheme_value("scheme", required_param(request, "scheme"));
    read_months(request, ask);
    ask.as_of = integer_param(request, "as_of", 0, std::numeric_limits<std::int64_t>::max());
    ask.as_of_time = text_param(request, "as_of_time");
    StatementQuery query = query_of(ask);
    if (const auto problem = statement_query_problem(query); problem && problem->first == "as_of_time")
        bad_parameter("as_of_time", problem->second);
    ask.format = text_param(request, "format").value_or("json");
    if (!content_types().contains(ask.format))
        bad_parameter("format", "'" + ask.format + "' is not json, md, csv, xlsx, html or pdf");
    ask.lang = read_lang(request, ask.format);
    const auto table = text_param(request, "table");
    if (table && ask.format != "csv") bad_parameter("table", "applies only to format=csv");
    ask.table = ask.format == "csv" ? table.value_or(statement == "neutrality" ? "rows" : "commitments") : "";
    if (ask.format == "csv" && !csv_table_named(statement, ask.table))
        bad_parameter("table", "'" + ask.table + "' is not a table of the " + statement + " statement");
    return ask;
}

// The CLI's CSV file <statement>-<table>.csv (cli/statement_command.cpp, write_csv).
std::string csv_of(const Document& d, const std::string& name, const std::string& lang) {
    if (!lang.empty()) {
        if (auto csv = render_csv(d, name, *language_of(lang))) return *csv;
    } else {
        for (const Table& table : likvard::csv_tables(d))
            if (table.name == name) return render_csv(table);
    }
    bad_parameter("table", "'" + name + "' is not a table of the " + d.statement + " statement");
}

// The board's report; Chromium failing to print it is the server's failure, said as a problem.
std::string pdf_of(const Document& d, Language language) {
    PdfResult printed = print_pdf(render_html(d, language), pdf_printer_from_environment());
    if (!printed.pdf) throw ProblemError(problem_of("pdf-unavailable", printed.error));
    return std::move(*printed.pdf);
}

std::shared_ptr<const Rendered> render(const Document& d, const StatementAsk& ask) {
    auto out = std::make_shared<Rendered>();
    out->content_type = content_types().at(ask.format);
    out->etag = "\"" + d.content_hash + (ask.format == "json" ? "" : "-" + ask.format) +
                (ask.lang.empty() ? "" : "-" + ask.lang) + (ask.table.empty() ? "" : "-" + ask.table) + "\"";
    const auto language = language_of(ask.lang);
    if (ask.format == "json") out->body = render_json(d);
    if (ask.format == "md") out->body = render_markdown(d, *language);
    if (ask.format == "xlsx") out->body = render_xlsx(d, *language), out->filename = d.statement + ".xlsx";
    if (ask.format == "html") out->body = render_html(d, *language);
    if (ask.format == "pdf") out->body = pdf_of(d, *language), out->filename = d.statement + ".pdf";
    if (ask.format == "csv")
        out->body = csv_of(d, ask.table, ask.lang), out->filename = d.statement + "-" + ask.table + ".csv";
    return out;
}

std::string cache_key(const StatementAsk& ask, std::int64_t seq) {
    return ask.statement + "|" + ask.region + "|" + ask.scheme + "|" + ask.from + "|" + ask.to + "|" +
           ask.tertial.value_or("") + "|" + (ask.compare_previous_year ? "previous_year" : "") + "|" +
           std::to_string(seq) + "|" + ask.format + "|" + ask.lang + "|" + ask.table;
}

std::string_view source_name(StatementSource source) {
    if (source == StatementSource::blocks) return "blocks";
    return source == StatementSource::projections ? "projections" : "ledger";
}

// The statement through the CLI's one way (make_statement: the projections when they stand
// at the head, else the ledger as of the seq asked), timed per source.
Document compute(Context& context, Store& store, const StatementAsk& ask) {
    const auto started = std::chrono::steady_clock::now();
    const StatementQuery query = query_of(ask);
    StatementResult result;
    try {
        result = make_statement(store, query, context.config.generator);
    } catch (const AsOfTimeError& error) {  // before the region's first event, or not a time
        bad_parameter("as_of_time", std::string(error.what()).substr(std::string("as_of_time: ").size()));
    } catch (const LedgerScopeError& error) {  // a region or scheme the ledger does not know
        not_found(error.what());
    } catch (const MoneyOverflow& error) {  // names the party and account; the statement cannot be given
        throw ProblemError(problem_of("amount-out-of-range", error.what()));
    }
    context.probe->statement(ask.statement, std::string(source_name(result.source_used)),
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return std::move(result.document);
}

std::int64_t as_of_seq(const Document& d) {
    for (const auto& [key, value] : d.provenance)
        if (key == "as_of_seq") return std::stoll(value);
    throw std::logic_error("a statement without as_of_seq");
}

Response respond(const Rendered& rendered, const Request& request) {
    Response response;
    response.headers.emplace_back("ETag", rendered.etag);
    response.headers.emplace_back("Cache-Control", "no-cache");
    if (none_match_names(request, rendered.etag)) {
        response.status = 304;
        response.content_type = rendered.content_type;
        return response;
    }
    response.content_type = rendered.content_type;
    response.body = rendered.body;
    if (!rendered.filename.empty())
        response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + rendered.filename + "\"");
    return response;
}

// The seq a statement would be as of (the hot path of a cached statement is this one read).
std::int64_t position(Store& store, const StatementAsk& ask) { return head_position(store, ask.region, ask.as_of); }

// A statement at the head when both the head and the statement are in memory.
std::optional<Response> statement_from_memory(Context& context, const Request& request, const std::string& kind) {
    const StatementAsk ask = read_ask(request, kind);
    if (ask.as_of || ask.as_of_time) return std::nullopt;
    const auto head = context.heads.fresh(ask.region);
    if (!head) return std::nullopt;
    const auto rendered = context.statements.find(cache_key(ask, *head));
    if (!rendered) return std::nullopt;
    return respond(*rendered, request);
}

Response statement(Context& context, const Request& request, const std::string& kind) {
    const StatementAsk ask = read_ask(request, kind);
    auto store = context.pool.acquire();
    // A moment asked names itself in the provenance: computed each time (an auditor's question).
    if (ask.as_of_time) return respond(*render(compute(context, *store, ask), ask), request);
    // The position first: a statement at a position never changes, so it is cached by it.
    const std::int64_t seq = position(*store, ask);
    if (!ask.as_of) context.heads.put(ask.region, seq);
    const std::string key = cache_key(ask, seq);
    auto rendered = context.statements.find(key);
    if (rendered) return respond(*rendered, request);
    // The first request for a position computes it; the ones meanwhile wait and read it (or
    // compute it in turn when it failed: a failure is never kept).
    const InFlight::Turn turn = context.computing.take(key);
    rendered = context.statements.find(key);
    if (!rendered) {
        const Document d = compute(context, *store, ask);
        rendered = render(d, ask);
        // Filed under the position it really has (the head may have moved since).
        context.statements.put(cache_key(ask, as_of_seq(d)), rendered);
    }
    return respond(*rendered, request);
}

}  // namespace

void add_statement_routes(Router& router, const ContextPtr& context) {
    const std::set<std::string> params{"scheme", "from",       "to",     "tertial", "compare",
                                       "as_of",  "as_of_time", "format", "lang",    "table"};
    for (const std::string kind : {"neutrality", "commitments"})
        router.add({"GET", "/v1/regions/{region}/statements/" + kind, Role::reader, params,
                    [context, kind](const Request& r) { return statement(*context, r, kind); }, body_bytes_max_small,
                    [context, kind](const Request& r) { return statement_from_memory(*context, r, kind); }});
}

}  // namespace likvard::http::detail
