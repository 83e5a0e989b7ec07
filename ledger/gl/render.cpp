// The reconciliation report in Markdown (to read), CSV (to sort in a spreadsheet) and JSON
// (for tools): the keys that differ, the GL rows the chart cannot key, then the totals.
#include <sstream>

#include <boost/json.hpp>

#include "gl/gl.hpp"
#include "statements/workbook.hpp"

namespace likvard::gl {
namespace {

std::string account_text(const ChartAccount& account) {
    const auto number = chart_number(account);
    return account.account_class + ":" + account.item + (number ? " (" + *number + ")" : "");
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : separator) + part;
    return text;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string semicolon_field(const std::string& text) {
    if (text.find_first_of(";\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string md_cell(std::string text) {
    for (char& c : text)
        if (c == '|') c = '/';
    return text;
}

const NumberFormat& numbers(Language language) { return language == Language::sv ? swedish_numbers : english_numbers; }

std::string label(std::string_view key, Language language) { return reconciliation_label(key, language); }

// The label of `key` with each {name} replaced by its value.
std::string filled(std::string_view key, Language language,
                   const std::vector<std::pair<std::string, std::string>>& values) {
    std::string text = label(key, language);
    for (const auto& [name, value] : values)
        if (const auto at = text.find("{" + name + "}"); at != std::string::npos)
            text.replace(at, name.size() + 2, value);
    return text;
}

std::string unpaired_text(const std::vector<Unpaired>& unpaired, Language language, const NumberFormat& format) {
    std::vector<std::string> parts;
    for (const auto& u : unpaired) parts.push_back(u.source + ": " + format_money(u.amount, format));
    return parts.empty() ? label("none", language) : joined(parts, ", ");
}

std::string md_row(const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& cell : cells) out += " " + md_cell(cell) + " |";
    return out + "\n";
}

std::string md_header(const std::vector<std::string>& keys, Language language) {
    std::vector<std::string> cells;
    for (const auto& key : keys) cells.push_back(label(key, language));
    return md_row(cells);
}

// Each key that differs with the sources that do not pair up by amount (the JSON and CSV
// list every source).
void markdown_differences(std::ostream& out, const Reconciliation& r, Language language) {
    const NumberFormat& f = numbers(language);
    out << md_header(
               {"scheme", "month", "party", "account", "gl", "ledger", "difference", "gl_unpaired", "ledger_unpaired"},
               language)
        << "|---|---|---|---|---:|---:|---:|---|---|\n";
    for (const auto& d : r.differences)
        out << md_row({d.key.scheme, d.key.month, d.key.party, account_text(d.key.account),
                       format_money(d.gl.amount, f), format_money(d.ledger.amount, f), format_money(d.difference(), f),
                       unpaired_text(d.gl_unpaired, language, f), unpaired_text(d.ledger_unpaired, language, f)});
}

void markdown_unkeyed(std::ostream& out, const Reconciliation& r, Language language) {
    out << "\n## " << label("heading.unkeyed", language) << "\n\n"
        << md_header({"line", "account", "objects", "amount", "why"}, language) << "|---:|---|---|---:|---|\n";
    for (const auto& u : r.unkeyed)
        out << md_row({std::to_string(u.line), u.account, u.objects, format_money(u.amount, numbers(language)),
                       u.why_in(language)});
}

void markdown_totals(std::ostream& out, const Reconciliation& r, Language language) {
    const NumberFormat& f = numbers(language);
    out << "\n## " << label("table.totals", language) << "\n\n"
        << md_header({"side", "rows", "amount"}, language) << "|---|---:|---:|\n"
        << md_row({label("side.gl", language), std::to_string(r.gl_rows), format_money(r.gl_total, f)})
        << md_row({label("side.ledger", language), std::to_string(r.ledger_postings), format_money(r.ledger_total, f)});
    if (r.through_mapping)
        out << md_row({label("side.gl_ignored", language), std::to_string(r.gl_ignored_rows),
                       format_money(r.gl_ignored_total, f)})
            << md_row({label("side.ledger_left_out", language), std::to_string(r.ledger_left_out),
                       format_money(r.ledger_left_out_total, f)});
}

boost::json::array unpaired_json(const std::vector<Unpaired>& unpaired) {
    boost::json::array out;
    for (const auto& u : unpaired) out.push_back({{"source", u.source}, {"amount", u.amount.to_string()}});
    return out;
}

}  // namespace

std::string render_markdown(const Reconciliation& r, const std::string& region, Language language) {
    std::ostringstream out;
    const std::vector<std::pair<std::string, std::string>> values{{"region", region},
                                                                  {"from", r.from},
                                                                  {"to", r.to},
                                                                  {"keys", std::to_string(r.keys)},
                                                                  {"differences", std::to_string(r.differences.size())},
                                                                  {"unkeyed", std::to_string(r.unkeyed.size())}};
    out << "# " << filled("title.markdown", language, values) << "\n\n"
        << filled(r.agrees() ? "sentence.agrees" : "sentence.differs", language, values) << "\n";
    if (!r.differences.empty()) {
        out << "\n## " << label("table.differences", language) << "\n\n";
        markdown_differences(out, r, language);
    }
    if (!r.unkeyed.empty()) markdown_unkeyed(out, r, language);
    markdown_totals(out, r, language);
    return out.str();
}

std::string render_csv(const Reconciliation& r) {
    std::ostringstream out;
    out << "scheme,month,party,account_class,item,account,gl,ledger,difference,gl_verifications,ledger_events\n";
    for (const auto& d : r.differences)
        out << csv_field(d.key.scheme) << ',' << d.key.month << ',' << csv_field(d.key.party) << ','
            << d.key.account.account_class << ',' << csv_field(d.key.account.item) << ','
            << chart_number(d.key.account).value_or("") << ',' << d.gl.amount.to_string() << ','
            << d.ledger.amount.to_string() << ',' << d.difference().to_string() << ','
            << csv_field(joined(d.gl.sources, " ")) << ',' << joined(d.ledger.sources, " ") << '\n';
    out << "total,,,,,," << r.gl_total.to_string() << ',' << r.ledger_total.to_string() << ','
        << (r.gl_total - r.ledger_total).to_string() << ",,\n";
    return out.str();
}

std::string render_csv(const Reconciliation& r, Language language) {
    const NumberFormat& f = language == Language::sv ? swedish_csv_numbers : english_csv_numbers;
    std::vector<std::string> header;
    for (const char* key : {"scheme", "month", "party", "account_class", "item", "account_number", "gl", "ledger",
                            "difference", "gl_verifications", "ledger_events"})
        header.push_back(semicolon_field(label(key, language)));
    std::string out = joined(header, ";") + "\n";
    for (const auto& d : r.differences)
        out += joined({semicolon_field(d.key.scheme), d.key.month, semicolon_field(d.key.party),
                       semicolon_field(d.key.account.account_class), semicolon_field(d.key.account.item),
                       chart_number(d.key.account).value_or(""), format_money(d.gl.amount, f),
                       format_money(d.ledger.amount, f), format_money(d.difference(), f),
                       semicolon_field(joined(d.gl.sources, " ")), semicolon_field(joined(d.ledger.sources, " "))},
                      ";") +
               "\n";
    return out + semicolon_field(label("total", language)) + ";;;;;;" + format_money(r.gl_total, f) + ";" +
           format_money(r.ledger_total, f) + ";" + format_money(r.gl_total - r.ledger_total, f) + ";;\n";
}

std::string render_json(const Reconciliation& r, const std::string& region) {
    boost::json::array differences;
    for (const auto& d : r.differences) {
        boost::json::array gl_sources(d.gl.sources.begin(), d.gl.sources.end());
        boost::json::array ledger_sources(d.ledger.sources.begin(), d.ledger.sources.end());
        differences.push_back({{"scheme", d.key.scheme},
                               {"month", d.key.month},
                               {"party", d.key.party},
                               {"account_class", d.key.account.account_class},
                               {"item", d.key.account.item},
                               {"account", chart_number(d.key.account).value_or("")},
                               {"gl", d.gl.amount.to_string()},
                               {"ledger", d.ledger.amount.to_string()},
                               {"difference", d.difference().to_string()},
                               {"gl_verifications", gl_sources},
                               {"ledger_events", ledger_sources},
                               {"gl_unpaired", unpaired_json(d.gl_unpaired)},
                               {"ledger_unpaired", unpaired_json(d.ledger_unpaired)}});
    }
    boost::json::array unkeyed;
    for (const auto& u : r.unkeyed)
        unkeyed.push_back({{"line", u.line},
                           {"account", u.account},
                           {"objects", u.objects},
                           {"amount", u.amount.to_string()},
                           {"why", u.why}});
    boost::json::object report{
        {"region", region},
        {"from", r.from},
        {"to", r.to},
        {"agrees", r.agrees()},
        {"keys", r.keys},
        {"differences", differences},
        {"unkeyed", unkeyed},
        {"totals",
         {{"gl", {{"rows", r.gl_rows}, {"amount", r.gl_total.to_string()}}},
          {"ledger", {{"rows", r.ledger_postings}, {"amount", r.ledger_total.to_string()}}}}},
    };
    if (r.through_mapping) {
        auto& totals = report["totals"].as_object();
        totals["gl_ignored"] = {{"rows", r.gl_ignored_rows}, {"amount", r.gl_ignored_total.to_string()}};
        totals["ledger_left_out"] = {{"rows", r.ledger_left_out}, {"amount", r.ledger_left_out_total.to_string()}};
    }
    return boost::json::serialize(report) + "\n";
}

namespace {

using statement::Cell;
using statement::CellKind;
using statement::HumanTable;

Cell text_cell(std::string text) { return {CellKind::text, std::move(text), ""}; }
Cell money_cell(Money amount, Language language) {
    return {CellKind::figure, format_money(amount, numbers(language)), amount.to_string()};
}

std::vector<std::string> headers(const std::vector<std::string>& keys, Language language) {
    std::vector<std::string> out;
    for (const auto& key : keys) out.push_back(label(key, language));
    return out;
}

HumanTable differences_sheet(const Reconciliation& r, Language language) {
    HumanTable t{"differences",
                 label("table.differences", language),
                 headers({"scheme", "month", "party", "account", "gl", "ledger", "difference", "gl_unpaired",
                          "ledger_unpaired", "gl_verifications", "ledger_events"},
                         language),
                 {}};
    const NumberFormat& f = numbers(language);
    for (const auto& d : r.differences)
        t.rows.push_back({text_cell(d.key.scheme), text_cell(d.key.month), text_cell(d.key.party),
                          text_cell(account_text(d.key.account)), money_cell(d.gl.amount, language),
                          money_cell(d.ledger.amount, language), money_cell(d.difference(), language),
                          text_cell(unpaired_text(d.gl_unpaired, language, f)),
                          text_cell(unpaired_text(d.ledger_unpaired, language, f)),
                          text_cell(joined(d.gl.sources, ", ")), text_cell(joined(d.ledger.sources, ", "))});
    return t;
}

HumanTable unkeyed_sheet(const Reconciliation& r, Language language) {
    HumanTable t{"unkeyed",
                 label("table.unkeyed", language),
                 headers({"line", "account", "objects", "amount", "why"}, language),
                 {}};
    for (const auto& u : r.unkeyed)
        t.rows.push_back({text_cell(std::to_string(u.line)), text_cell(u.account), text_cell(u.objects),
                          money_cell(u.amount, language), text_cell(u.why_in(language))});
    return t;
}

HumanTable totals_sheet(const Reconciliation& r, const std::string& region, Language language) {
    HumanTable t{"totals", label("table.totals", language), headers({"side", "rows", "amount"}, language), {}};
    const std::vector<std::pair<std::string, std::string>> values{
        {"region", region},
        {"from", r.from},
        {"to", r.to},
        {"keys", std::to_string(r.keys)},
        {"differences", std::to_string(r.differences.size())}};
    t.rows.push_back({text_cell(filled("sentence.period", language, values)), text_cell(""), text_cell("")});
    t.rows.push_back(
        {text_cell(filled(r.agrees() ? "sentence.agrees_short" : "sentence.differs_short", language, values)),
         text_cell(""), text_cell("")});
    t.rows.push_back({text_cell(label("side.gl", language)), text_cell(std::to_string(r.gl_rows)),
                      money_cell(r.gl_total, language)});
    t.rows.push_back({text_cell(label("side.ledger", language)), text_cell(std::to_string(r.ledger_postings)),
                      money_cell(r.ledger_total, language)});
    t.rows.push_back({text_cell(label("side.difference", language)), text_cell(""),
                      money_cell(r.gl_total - r.ledger_total, language)});
    return t;
}

}  // namespace

std::string render_xlsx(const Reconciliation& r, const std::string& region, Language language) {
    const std::vector<std::pair<std::string, std::string>> values{{"region", region}, {"from", r.from}, {"to", r.to}};
    return render_workbook(
        filled("title.workbook", language, values),
        {totals_sheet(r, region, language), differences_sheet(r, language), unkeyed_sheet(r, language)});
}

}  // namespace likvard::gl
