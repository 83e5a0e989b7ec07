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

std::string md_cell(std::string text) {
    for (char& c : text)
        if (c == '|') c = '/';
    return text;
}

std::string unpaired_text(const std::vector<Unpaired>& unpaired) {
    std::vector<std::string> parts;
    for (const auto& u : unpaired) parts.push_back(u.source + ": " + u.amount.to_string());
    return parts.empty() ? "none" : joined(parts, ", ");
}

// Each key that differs with the sources that do not pair up by amount (the JSON and CSV
// list every source).
void markdown_differences(std::ostream& out, const Reconciliation& r) {
    out << "| scheme | month | party | account | GL | ledger | difference | GL rows without an equal ledger amount "
           "| ledger events without an equal GL amount |\n"
        << "|---|---|---|---|---:|---:|---:|---|---|\n";
    for (const auto& d : r.differences)
        out << "| " << md_cell(d.key.scheme) << " | " << d.key.month << " | " << md_cell(d.key.party) << " | "
            << md_cell(account_text(d.key.account)) << " | " << d.gl.amount.to_string() << " | "
            << d.ledger.amount.to_string() << " | " << d.difference().to_string() << " | "
            << md_cell(unpaired_text(d.gl_unpaired)) << " | " << md_cell(unpaired_text(d.ledger_unpaired)) << " |\n";
}

boost::json::array unpaired_json(const std::vector<Unpaired>& unpaired) {
    boost::json::array out;
    for (const auto& u : unpaired) out.push_back({{"source", u.source}, {"amount", u.amount.to_string()}});
    return out;
}

}  // namespace

std::string render_markdown(const Reconciliation& r, const std::string& region) {
    std::ostringstream out;
    out << "# Reconciliation of the general ledger with the ledger: " << region << ", " << r.from << " to " << r.to
        << "\n\n";
    if (r.agrees())
        out << "Everything agrees: " << r.keys << " keys (scheme, month, party, account), nothing differs.\n";
    else
        out << r.differences.size() << " of " << r.keys << " keys (scheme, month, party, account) differ; "
            << r.unkeyed.size() << " GL rows could not be keyed.\n";
    if (!r.differences.empty()) {
        out << "\n## Keys that differ\n\n";
        markdown_differences(out, r);
    }
    if (!r.unkeyed.empty()) {
        out << "\n## GL rows that cannot be keyed (left out of the sums)\n\n| line | account | objects | amount | why |\n"
               "|---:|---|---|---:|---|\n";
        for (const auto& u : r.unkeyed)
            out << "| " << u.line << " | " << u.account << " | " << md_cell(u.objects) << " | " << u.amount.to_string()
                << " | " << md_cell(u.why) << " |\n";
    }
    out << "\n## Totals\n\n| side | rows | amount |\n|---|---:|---:|\n| GL | " << r.gl_rows << " | "
        << r.gl_total.to_string() << " |\n| ledger | " << r.ledger_postings << " | " << r.ledger_total.to_string()
        << " |\n";
    if (r.through_mapping)
        out << "| GL rows the mapping ignores | " << r.gl_ignored_rows << " | " << r.gl_ignored_total.to_string()
            << " |\n| ledger postings no mapping row stands for | " << r.ledger_left_out << " | "
            << r.ledger_left_out_total.to_string() << " |\n";
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
Cell money_cell(Money amount) { return {CellKind::figure, amount.to_string(), amount.to_string()}; }

HumanTable differences_sheet(const Reconciliation& r) {
    HumanTable t{
        "differences",
        "Keys that differ",
        {"scheme", "month", "party", "account", "GL", "ledger", "difference", "GL rows without an equal ledger amount",
         "ledger events without an equal GL amount", "GL verifications", "ledger events"},
        {}};
    for (const auto& d : r.differences)
        t.rows.push_back({text_cell(d.key.scheme), text_cell(d.key.month), text_cell(d.key.party),
                          text_cell(account_text(d.key.account)), money_cell(d.gl.amount), money_cell(d.ledger.amount),
                          money_cell(d.difference()), text_cell(unpaired_text(d.gl_unpaired)),
                          text_cell(unpaired_text(d.ledger_unpaired)), text_cell(joined(d.gl.sources, ", ")),
                          text_cell(joined(d.ledger.sources, ", "))});
    return t;
}

HumanTable unkeyed_sheet(const Reconciliation& r) {
    HumanTable t{"unkeyed", "GL rows that cannot be keyed", {"line", "account", "objects", "amount", "why"}, {}};
    for (const auto& u : r.unkeyed)
        t.rows.push_back({text_cell(std::to_string(u.line)), text_cell(u.account), text_cell(u.objects),
                          money_cell(u.amount), text_cell(u.why)});
    return t;
}

HumanTable totals_sheet(const Reconciliation& r, const std::string& region) {
    HumanTable t{"totals", "Totals", {"side", "rows", "amount"}, {}};
    t.rows.push_back({text_cell("region " + region + ", " + r.from + " to " + r.to), text_cell(""), text_cell("")});
    t.rows.push_back(
        {text_cell(r.agrees() ? "everything agrees"
                              : std::to_string(r.differences.size()) + " keys differ of " + std::to_string(r.keys)),
         text_cell(""), text_cell("")});
    t.rows.push_back({text_cell("GL"), text_cell(std::to_string(r.gl_rows)), money_cell(r.gl_total)});
    t.rows.push_back({text_cell("ledger"), text_cell(std::to_string(r.ledger_postings)), money_cell(r.ledger_total)});
    t.rows.push_back({text_cell("difference"), text_cell(""), money_cell(r.gl_total - r.ledger_total)});
    return t;
}

}  // namespace

std::string render_xlsx(const Reconciliation& r, const std::string& region) {
    return render_workbook("Reconciliation " + region + " " + r.from + ".." + r.to,
                           {totals_sheet(r, region), differences_sheet(r), unkeyed_sheet(r)});
}

}  // namespace likvard::gl
