// GET /v1/regions/{region}/summary and GET /v1/statements/comparison: the CLI's `statement
// summary` and `statement comparison`, the same bytes through the same renderers, in the
// formats of the statements (json, md, csv one table at a time with `table=`, xlsx, html, pdf).
#include <chrono>
#include <limits>
#include <set>

#include "http/detail/context.hpp"
#include "projections/projections.hpp"

namespace likvard::http::detail {
namespace {

struct OverviewAsk {
    std::string format, table;
    std::string lang;  // "sv", "en", or "" (json, the machine CSV)
};

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

OverviewAsk read_output(const Request& request, const std::string& first_table) {
    OverviewAsk ask;
    ask.format = text_param(request, "format").value_or("json");
    if (!content_types().contains(ask.format))
        bad_parameter("format", "'" + ask.format + "' is not json, md, csv, xlsx, html or pdf");
    const auto lang = text_param(request, "lang");
    if (lang && !language_of(*lang)) bad_parameter("lang", "'" + *lang + "' is not sv or en");
    if (lang && ask.format == "json")
        bad_parameter("lang", "applies only to format=md, csv, xlsx, html or pdf; JSON has no language");
    ask.lang = lang ? *lang : ask.format == "json" || ask.format == "csv" ? "" : "sv";
    const auto table = text_param(request, "table");
    if (table && ask.format != "csv") bad_parameter("table", "applies only to format=csv");
    ask.table = ask.format == "csv" ? table.value_or(first_table) : "";
    return ask;
}

std::string year_param(const Request& request) {
    const std::string year = required_param(request, "year");
    if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos)
        bad_parameter("year", "'" + year + "' is not a year YYYY");
    return year;
}

std::vector<std::string> list_param(const Request& request, const std::string& name) {
    std::vector<std::string> out;
    const auto text = text_param(request, name);
    if (!text) return out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text->find(',', start);
        out.push_back(text->substr(start, comma - start));
        if (out.back().empty()) bad_parameter(name, "'" + *text + "' has an empty item");
        if (comma == std::string::npos) return out;
        start = comma + 1;
    }
}

std::int64_t seq_value(const std::string& text) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        bad_parameter("as_of", "'" + text + "' is not a sequence number");
    return std::stoll(text);
}

// as_of=SEQ (one region) or as_of=REGION=SEQ,... as the CLI's --as-of.
std::map<std::string, std::int64_t> as_of_param(const Request& request, const std::vector<std::string>& regions) {
    std::map<std::string, std::int64_t> out;
    const auto text = text_param(request, "as_of");
    if (!text) return out;
    if (text->find('=') == std::string::npos) {
        if (regions.size() != 1)
            bad_parameter("as_of", "a seq applies to one region (regions=R); for several give REGION=SEQ pairs");
        out[regions.front()] = seq_value(*text);
        return out;
    }
    for (const auto& pair : list_param(request, "as_of")) {
        const std::size_t equals = pair.find('=');
        if (equals == std::string::npos) bad_parameter("as_of", "'" + pair + "' is not REGION=SEQ");
        if (!out.emplace(pair.substr(0, equals), seq_value(pair.substr(equals + 1))).second)
            bad_parameter("as_of", "names " + pair.substr(0, equals) + " twice");
    }
    return out;
}

std::string csv_of(const Document& d, const std::string& name, const std::string& lang) {
    if (!lang.empty()) {
        if (auto csv = render_csv(d, name, *language_of(lang))) return *csv;
    } else {
        for (const Table& table : likvard::csv_tables(d))
            if (table.name == name) return render_csv(table);
    }
    bad_parameter("table", "'" + name + "' is not a table of the " + d.statement + " statement");
}

// The document as asked, or 304 Not Modified (nothing rendered) when the request's
// If-None-Match names its entity tag: the same position gives the same bytes.
Response respond(const Document& d, const OverviewAsk& ask, const Request& request) {
    Response response;
    response.content_type = content_types().at(ask.format);
    const std::string etag = "\"" + d.content_hash + (ask.format == "json" ? "" : "-" + ask.format) +
                             (ask.lang.empty() ? "" : "-" + ask.lang) + (ask.table.empty() ? "" : "-" + ask.table) +
                             "\"";
    response.headers.emplace_back("ETag", etag);
    response.headers.emplace_back("Cache-Control", "no-cache");
    if (none_match_names(request, etag)) {
        response.status = 304;
        return response;
    }
    const auto language = language_of(ask.lang);
    std::string filename;
    if (ask.format == "json") response.body = render_json(d);
    if (ask.format == "md") response.body = render_markdown(d, *language);
    if (ask.format == "xlsx") response.body = render_xlsx(d, *language), filename = d.statement + ".xlsx";
    if (ask.format == "html") response.body = render_html(d, *language);
    if (ask.format == "pdf") {
        PdfResult printed = print_pdf(render_html(d, *language), pdf_printer_from_environment());
        if (!printed.pdf) throw ProblemError(problem_of("pdf-unavailable", printed.error));
        response.body = std::move(*printed.pdf), filename = d.statement + ".pdf";
    }
    if (ask.format == "csv")
        response.body = csv_of(d, ask.table, ask.lang), filename = d.statement + "-" + ask.table + ".csv";
    if (!filename.empty())
        response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    return response;
}

// The document through the CLI's one way, its errors as problems naming the parameter.
template <typename Make>
Document compute(Context& context, const std::string& kind, Make make) {
    auto store = context.pool.acquire();
    const auto started = std::chrono::steady_clock::now();
    StatementResult result;
    try {
        result = make(*store);
    } catch (const AsOfTimeError& error) {
        bad_parameter("as_of_time", std::string(error.what()).substr(std::string("as_of_time: ").size()));
    } catch (const LedgerScopeError& error) {
        not_found(error.what());
    } catch (const MoneyOverflow& error) {
        throw ProblemError(problem_of("amount-out-of-range", error.what()));
    }
    const std::string_view source = result.source_used == StatementSource::blocks        ? "blocks"
                                    : result.source_used == StatementSource::projections ? "projections"
                                                                                         : "ledger";
    context.probe->statement(kind, std::string(source),
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return std::move(result.document);
}

Response summary(Context& context, const Request& request) {
    SummaryQuery query;
    query.region = region_of(request);
    query.year = year_param(request);
    query.as_of = integer_param(request, "as_of", 0, std::numeric_limits<std::int64_t>::max());
    query.as_of_time = text_param(request, "as_of_time");
    if (const auto problem = summary_query_problem(query)) bad_parameter(problem->first, problem->second);
    const OverviewAsk ask = read_output(request, "schemes");
    const Document d = compute(
        context, "summary", [&](Store& store) { return make_region_summary(store, query, context.config.generator); });
    return respond(d, ask, request);
}

Response comparison(Context& context, const Request& request) {
    ComparisonQuery query;
    query.scheme = scheme_value("scheme", required_param(request, "scheme"));
    query.year = year_param(request);
    query.regions = list_param(request, "regions");
    query.as_of = as_of_param(request, query.regions);
    query.as_of_time = text_param(request, "as_of_time");
    if (!query.as_of.empty() && query.as_of_time)
        bad_parameter("as_of_time", "cannot be given with as_of: one position at a time");
    if (const auto problem = comparison_query_problem(query)) bad_parameter(problem->first, problem->second);
    const OverviewAsk ask = read_output(request, "sides");
    const Document d = compute(context, "comparison",
                               [&](Store& store) { return make_comparison(store, query, context.config.generator); });
    return respond(d, ask, request);
}

}  // namespace

void add_overview_routes(Router& router, const ContextPtr& context) {
    router.add({"GET",
                "/v1/regions/{region}/summary",
                Role::reader,
                {"year", "as_of", "as_of_time", "format", "lang", "table"},
                [context](const Request& r) { return summary(*context, r); },
                body_bytes_max_small,
                nullptr});
    router.add({"GET",
                "/v1/statements/comparison",
                Role::reader,
                {"scheme", "year", "regions", "as_of", "as_of_time", "format", "lang", "table"},
                [context](const Request& r) { return comparison(*context, r); },
                body_bytes_max_small,
                nullptr});
}

}  // namespace likvard::http::detail
