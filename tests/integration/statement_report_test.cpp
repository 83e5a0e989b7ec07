// The board's report (--format html and pdf) of both statements on the two-month golden
// scenario (tests/data/statements/two-months/), in both languages: every figure of the JSON,
// in the language's number format, is in the HTML and in the text pdftotext reads from the
// PDF Chromium prints; the charts, estimates and decisions are there; printing fails with
// a clear error when Chromium is missing, fails or takes too long. StatementPdf.* print
// with the real Chromium (the slow tier); they skip only when it is not installed.
#include "database.hpp"
#include "run.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <unistd.h>

#include <boost/json.hpp>

#include "projections/projections.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

std::vector<std::string> golden_events() {
    std::istringstream in(read_file(std::string(LIKVARD_TEST_DATA) + "/statements/two-months/events.ndjson"));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

NumberFormat format_of(Language language) { return language == Language::sv ? swedish_numbers : english_numbers; }

// Every figure of a statement's JSON (provenance, tables, summary) as the language writes
// it: "1 300 000,00" or "1,300,000.00", percentages with their sign.
std::set<std::string> figures_of(const std::string& json, Language language) {
    static const std::regex figure("-?[0-9]+(\\.[0-9]+)?");
    std::set<std::string> out;
    const auto add = [&](const std::string& key, const boost::json::value& value) {
        if (!value.is_string()) return;
        const std::string text(value.as_string());
        if (!std::regex_match(text, figure)) return;
        const bool percent = key.find("percent") != std::string::npos;
        out.insert(
            *(percent ? format_percent_figure(text, format_of(language)) : format_figure(text, format_of(language))));
    };
    const boost::json::object document = boost::json::parse(json).as_object();
    for (const char* part : {"provenance", "summary"})
        for (const auto& [key, value] : document.at(part).as_object()) add(key, value);
    for (const auto& [name, rows] : document.at("tables").as_object())
        for (const auto& row : rows.as_array())
            for (const auto& [key, value] : row.as_object()) add(key, value);
    return out;
}

// Spaces as a reader sees them: a no-break space is a space, and a run of them one.
std::string normalised(const std::string& text) {
    std::string spaced = std::regex_replace(text, std::regex("\u00A0|\u202F"), " ");
    return std::regex_replace(spaced, std::regex("[ \t\r\n]+"), " ");
}

class StatementReport : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        ASSERT_EQ(append_lines(golden_events()), golden_events().size());
    }
    Document statement(const std::string& which) {
        Store store(reader_url);
        StatementQuery query{which,     "SE-Z",       "primary_care",         "2023-01",
                             "2023-02", std::nullopt, StatementSource::ledger};
        return make_statement(store, query, "test").document;
    }
    std::string cli(const std::string& which) {
        return std::string(LIKVARD_BIN) + " statement " + which +
               " --region SE-Z --scheme primary_care --from 2023-01 --to 2023-02 --database-url " +
               shell_quote(reader_url);
    }
};

std::string temporary_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("likvard-report-" + std::to_string(getpid()) + "-" + name))
        .string();
}

TEST_F(StatementReport, EveryFigureOfTheJsonIsInTheHtmlInTheLanguagesFormat) {
    for (const std::string which : {"neutrality", "commitments"}) {
        const Document d = statement(which);
        for (const Language language : {Language::sv, Language::en}) {
            const std::string html = normalised(render_html(d, language));
            const auto figures = figures_of(render_json(d), language);
            EXPECT_GT(figures.size(), 15u) << which;
            for (const std::string& figure : figures)
                EXPECT_NE(html.find(normalised(figure)), std::string::npos) << which << ": " << figure;
            EXPECT_NE(html.find(d.content_hash), std::string::npos) << which;
        }
    }
}

TEST_F(StatementReport, TheHtmlIsSwedishByDefaultByteStableAndWithoutScriptOrNetwork) {
    const Document d = statement("neutrality");
    const std::string sv = render_html(d);
    EXPECT_EQ(sv, render_html(d, Language::sv));
    EXPECT_EQ(sv, render_html(statement("neutrality"))) << "the same position gives the same bytes";
    EXPECT_NE(sv.find("<html lang=\"sv\">"), std::string::npos);
    EXPECT_NE(sv.find("<h1>Konkurrensneutralitetsredovisning</h1>"), std::string::npos);
    EXPECT_NE(sv.find("Privata utförare får 14,51 kr mer i nettoresurser per viktad listad och år än egen regi."),
              std::string::npos);
    EXPECT_NE(sv.find("<p class=\"words\">Neutralitetsgap utan underskottstäckning: Privata utförare får 52,01 kr"),
              std::string::npos)
        << "each sentence after the first says which gap it states";
    EXPECT_EQ(sv.find("capitation"), std::string::npos) << "a key in the Swedish report";
    EXPECT_EQ(sv.find("<script"), std::string::npos);
    EXPECT_EQ(std::regex_search(sv, std::regex("(src|href)=\"")), false) << "nothing is fetched";
    const std::string en = render_html(d, Language::en);
    EXPECT_NE(en.find("<h1>Competitive-neutrality statement</h1>"), std::string::npos);
    EXPECT_NE(en.find("Private providers receive 14.51 SEK more"), std::string::npos);
}

// The waterfall: one bar per column of the bridge, the rounding and the gap; the bar chart:
// one per provider with a weighted listing (hc-a, hc-b, hc-x), per side and the region.
TEST_F(StatementReport, TheChartsDrawTheBridgeAndNetResourcesPerWeightedListed) {
    const std::string html = render_html(statement("neutrality"), Language::sv);
    const auto bridge = html.find("<h2>Vad gapet består av");
    const auto per_listed = html.find("<h2>Nettoresurser per viktad listad och år, per enhet och driftform</h2>");
    ASSERT_NE(bridge, std::string::npos);
    ASSERT_NE(per_listed, std::string::npos);
    const auto rects = [&](std::size_t from) {
        const std::string svg = html.substr(from, html.find("</svg>", from) - from);
        std::ptrdiff_t n = 0;
        for (auto at = svg.find("<rect"); at != std::string::npos; at = svg.find("<rect", at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(rects(bridge), 13 + 2) << "13 columns, the rounding and the gap";
    EXPECT_EQ(rects(per_listed), 3 + 2 + 1);
    EXPECT_NE(html.find("<rect class=\"sum\"", bridge), std::string::npos);
    const std::string commitments = render_html(statement("commitments"), Language::en);
    EXPECT_NE(commitments.find("<h2>Cost per special commitment</h2>"), std::string::npos);
    EXPECT_EQ(commitments.find("What makes the gap"), std::string::npos);
}

// An estimated key (the e-frikort invoice split 50/50 without an exact basis) is marked.
TEST(StatementReportEstimates, AnEstimatedAllocationKeyIsMarkedAndExplained) {
    Document d;
    d.statement = "neutrality";
    d.decision_refs = {"RS/773/2021", "HSN/12/2023"};
    d.tables.push_back({"allocation_keys",
                        {"service", "key", "estimate", "amount"},
                        {{"e_frikort", "fixed", "true", "1000.00"}, {"omi", "listed", "false", "20.00"}}});
    const std::string html = render_html(d, Language::sv);
    const auto marked = html.find("<tr class=\"estimate\">");
    ASSERT_NE(marked, std::string::npos) << html;
    EXPECT_NE(html.find("E-frikort", marked), std::string::npos);
    EXPECT_EQ(html.find("<tr class=\"estimate\">", marked + 1), std::string::npos) << "only the estimate";
    EXPECT_NE(html.find("Markerade rader: fördelningsnyckeln är en uppskattning"), std::string::npos);
    EXPECT_NE(html.find("<li>RS/773/2021</li>\n<li>HSN/12/2023</li>"), std::string::npos);
    d.tables.back().rows[0][2] = "false";
    EXPECT_EQ(render_html(d, Language::sv).find("Markerade rader"), std::string::npos);
}

TEST(StatementReportEscapes, TextFromTheLedgerIsEscaped) {
    Document d;
    d.statement = "neutrality";
    d.decision_refs = {"RS/<b>&\"1\""};
    const std::string html = render_html(d, Language::en);
    EXPECT_NE(html.find("<li>RS/&lt;b&gt;&amp;&quot;1&quot;</li>"), std::string::npos) << html;
}

// ---- printing: every error path with a stand-in program, then the real Chromium ----

std::string script(const std::string& name, const std::string& body) {
    const std::string path = temporary_path(name);
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}

TEST(StatementReportPrinting, AMissingChromiumIsAnErrorSayingWhatToInstall) {
    const PdfResult result = print_pdf("<html></html>", {"/nonexistent/chromium", 1000});
    EXPECT_FALSE(result.pdf);
    EXPECT_EQ(result.error,
              "cannot print the PDF: /nonexistent/chromium is not installed (Debian package chromium; "
              "ops/setup installs it)");
    EXPECT_NE(print_pdf("", {"no-such-chromium-likvard", 1000}).error.find("no-such-chromium-likvard is not installed"),
              std::string::npos);
}

TEST(StatementReportPrinting, AFailingChromiumIsAnErrorWithItsStatusAndComplaint) {
    const std::string program = script("failing", "echo 'cannot open display' >&2; exit 3");
    const PdfResult result = print_pdf("<html></html>", {program, 5000});
    EXPECT_FALSE(result.pdf);
    EXPECT_EQ(result.error, program + " exited with status 3: cannot open display");
    std::filesystem::remove(program);
}

TEST(StatementReportPrinting, AChromiumThatWritesNoPdfOrTakesTooLongIsAnError) {
    const std::string silent = script("silent", "exit 0");
    EXPECT_EQ(print_pdf("<html></html>", {silent, 5000}).error, silent + " wrote no PDF");
    const std::string slow = script("slow", "sleep 30");
    const auto started = std::chrono::steady_clock::now();
    const PdfResult result = print_pdf("<html></html>", {slow, 300});
    EXPECT_EQ(result.error, slow + " did not print the PDF within 300 ms");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << "it was killed";
    std::filesystem::remove(silent);
    std::filesystem::remove(slow);
}

// The stand-in is given the HTML as a file:// URL and writes what --print-to-pdf names.
TEST(StatementReportPrinting, ThePrintedFileIsReadBackAndTheTemporaryFilesRemoved) {
    const std::string program = script("copying",
                                       "for a; do case $a in --print-to-pdf=*) out=${a#--print-to-pdf=};; "
                                       "file://*) in=${a#file://};; esac; done; "
                                       "{ printf '%%PDF-1.4 '; cat \"$in\"; } > \"$out\"; echo \"$out\" > " +
                                           temporary_path("where"));
    const PdfResult result = print_pdf("<p>Hej</p>", {program, 5000});
    ASSERT_TRUE(result.pdf) << result.error;
    EXPECT_EQ(*result.pdf, "%PDF-1.4 <p>Hej</p>");
    std::string printed = read_file(temporary_path("where"));
    printed.pop_back();
    EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(printed).parent_path())) << printed;
    std::filesystem::remove(program);
    std::filesystem::remove(temporary_path("where"));
}

TEST_F(StatementReport, TheCliNeedsOutForPdfAndSaysWhenItCannotPrint) {
    const auto no_out = run(cli("neutrality") + " --format pdf");
    EXPECT_EQ(no_out.exit_code, 2);
    EXPECT_NE(no_out.err.find("--format pdf needs --out FILE"), std::string::npos) << no_out.err;
    const std::string out = temporary_path("missing.pdf");
    const auto missing =
        run("LIKVARD_CHROMIUM=/nonexistent/chromium " + cli("neutrality") + " --format pdf --out " + out);
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("/nonexistent/chromium is not installed"), std::string::npos) << missing.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << "no file for a PDF not printed";
    const auto html = run(cli("commitments") + " --format html --lang en");
    ASSERT_EQ(html.exit_code, 0) << html.err;
    EXPECT_EQ(html.out.find("<!DOCTYPE html>\n<html lang=\"en\">"), 0u) << html.out;
    EXPECT_NE(html.out.find("<h1>Special-commitment cost statement"), std::string::npos);
    EXPECT_NE(html.out.find("<td class=\"figure\">4,500.00</td>"), std::string::npos) << "on-call coordination";
}

bool chromium_installed() { return run("command -v chromium").exit_code == 0; }

// Every figure of the JSON in the PDF's text, for both statements and both languages.
TEST_F(StatementReport, StatementPdfEveryFigureOfTheJsonIsInThePrintedText) {
    if (!chromium_installed()) GTEST_SKIP() << "chromium is not installed (ops/setup installs it)";
    for (const std::string which : {"neutrality", "commitments"}) {
        const std::string json = run(cli(which)).out;
        for (const std::string lang : {"sv", "en"}) {
            const std::string pdf = temporary_path(which + "-" + lang + ".pdf");
            const auto printed = run(cli(which) + " --format pdf --lang " + lang + " --out " + pdf);
            ASSERT_EQ(printed.exit_code, 0) << printed.err;
            EXPECT_EQ(read_file(pdf).substr(0, 5), "%PDF-");
            const auto text = run("pdftotext -enc UTF-8 " + pdf + " -");
            ASSERT_EQ(text.exit_code, 0) << "pdftotext (poppler-utils; ops/setup installs it): " << text.err;
            const std::string words = normalised(text.out);
            for (const std::string& figure : figures_of(json, lang == "sv" ? Language::sv : Language::en))
                EXPECT_NE(words.find(normalised(figure)), std::string::npos) << which << " " << lang << ": " << figure;
            const std::string title = lang == "sv" ? (which == "neutrality" ? "Konkurrensneutralitetsredovisning"
                                                                            : "Redovisning av särskilda uppdrag")
                                                   : (which == "neutrality" ? "Competitive-neutrality statement"
                                                                            : "Special-commitment cost statement");
            EXPECT_NE(words.find(title), std::string::npos) << which << " " << lang;
            const auto hash = boost::json::parse(json).at("provenance").at("as_of_hash").as_string();
            EXPECT_NE(words.find(std::string(hash)), std::string::npos) << "the as-of hash on one line";
            std::filesystem::remove(pdf);
        }
    }
}

}  // namespace
