// The reconciliation report as finance staff read it: Swedish by default, English on
// request, every label in both languages, amounts in the statements' number format. The
// expected texts are written out here by hand.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "gl/gl.hpp"

namespace likvard::gl {
namespace {

const std::string nbsp = "\u00A0";

// One key of three differs by 1 000,00: the GL booked 1 300 000,00 where the ledger has
// 1 299 000,00; one GL row could not be keyed.
Reconciliation one_difference() {
    Reconciliation r;
    r.from = "2023-05";
    r.to = "2023-05";
    r.keys = 3;
    Difference d;
    d.key = {"primary_care", "2023-05", "halsoval-bestallare", {"expense", "compensation.capitation"}};
    d.gl.amount = Money::from_ore(130'000'000);
    d.gl.sources = {"A 2 (line 20)"};
    d.gl.source_amounts = {d.gl.amount};
    d.ledger.amount = Money::from_ore(129'900'000);
    d.ledger.sources = {"e-2"};
    d.ledger.source_amounts = {d.ledger.amount};
    d.gl_unpaired = {{"A 2 (line 20)", d.gl.amount}};
    d.ledger_unpaired = {{"e-2", d.ledger.amount}};
    r.differences = {d};
    r.unkeyed = {
        {41, "7010", "{1 \"2150\"}", Money::from_ore(-50'000), "no mapping row matches", "ingen mappningsrad matchar"}};
    r.gl_rows = 3;
    r.gl_total = Money::from_ore(150'000'000);
    r.ledger_postings = 3;
    r.ledger_total = Money::from_ore(149'900'000);
    r.through_mapping = true;
    r.gl_ignored_rows = 2;
    r.gl_ignored_total = Money::from_ore(61'000'000);
    r.ledger_left_out = 3;
    r.ledger_left_out_total = Money::from_ore(-149'900'000);
    return r;
}

std::string sv(std::string text) {  // the Swedish digit grouping is a no-break space
    for (std::size_t at = text.find('~'); at != std::string::npos; at = text.find('~', at + nbsp.size()))
        text.replace(at, 1, nbsp);
    return text;
}

TEST(ReconciliationLabels, EveryLabelHasSwedishAndEnglishAndEveryKeyIsOnce) {
    std::set<std::string_view> keys;
    for (const auto& label : reconciliation_labels()) {
        EXPECT_TRUE(keys.insert(label.key).second) << "twice: " << label.key;
        EXPECT_FALSE(label.sv.empty()) << label.key;
        EXPECT_FALSE(label.en.empty()) << label.key;
        EXPECT_NE(label.sv, label.key) << label.key << " has no Swedish label";
    }
    EXPECT_THROW(reconciliation_label("no_such_key", Language::sv), std::out_of_range);
    // Every renderer in both languages finds all the labels it asks for.
    const Reconciliation r = one_difference();
    for (const Language language : {Language::sv, Language::en}) {
        EXPECT_NO_THROW(render_markdown(r, "SE-Z", language));
        EXPECT_NO_THROW(render_csv(r, language));
        EXPECT_NO_THROW(render_xlsx(r, "SE-Z", language));
        EXPECT_NO_THROW(render_markdown(Reconciliation{}, "SE-Z", language));
    }
}

TEST(ReconciliationReport, TheSwedishMarkdownSpeaksSwedishFinanceAndSwedishNumbers) {
    const std::string md = render_markdown(one_difference(), "SE-Z", Language::sv);
    for (const std::string& line : {
             std::string("# Avstämning mot huvudboken: SE-Z, 2023-05 till 2023-05\n"),
             std::string("\n1 av 3 nycklar (vårdval, månad, part, konto) har differenser; omatchade rader i "
                         "huvudboken: 1.\n"),
             std::string("\n## Nycklar med differenser\n"),
             std::string("\n| Vårdval | Månad | Part | Konto | Belopp i huvudboken | Belopp i reskontran | Differens | "
                         "Rader i huvudboken utan lika belopp i reskontran | Händelser i reskontran utan lika belopp "
                         "i huvudboken |\n"),
             sv("\n| primary_care | 2023-05 | halsoval-bestallare | expense:compensation.capitation (4101) | "
                "1~300~000,00 | 1~299~000,00 | 1~000,00 | A 2 (line 20): 1~300~000,00 | e-2: 1~299~000,00 |\n"),
             std::string("\n## Omatchade rader i huvudboken (ingår inte i summorna)\n"),
             std::string("\n| Rad | Konto | Objekt | Belopp | Orsak |\n"),
             std::string("\n| 41 | 7010 | {1 \"2150\"} | -500,00 | ingen mappningsrad matchar |\n"),
             std::string("\n## Summor\n"),
             sv("\n| Huvudboken | 3 | 1~500~000,00 |\n"),
             sv("\n| Reskontran (Likvärd) | 3 | 1~499~000,00 |\n"),
             sv("\n| Rader i huvudboken som mappningen utelämnar | 2 | 610~000,00 |\n"),
             sv("\n| Poster i reskontran som ingen mappningsrad motsvarar | 3 | -1~499~000,00 |\n"),
         })
        EXPECT_NE(md.find(line), std::string::npos) << "lacks:" << line << "in:\n" << md;
}

// English as the report was before it spoke Swedish, except the amounts, now grouped as
// the statements' English figures are.
TEST(ReconciliationReport, TheEnglishMarkdownIsTheFormerReportWithGroupedAmounts) {
    EXPECT_EQ(render_markdown(one_difference(), "SE-Z", Language::en),
              "# Reconciliation of the general ledger with the ledger: SE-Z, 2023-05 to 2023-05\n"
              "\n"
              "1 of 3 keys (scheme, month, party, account) differ; 1 GL rows could not be keyed.\n"
              "\n"
              "## Keys that differ\n"
              "\n"
              "| scheme | month | party | account | GL | ledger | difference | GL rows without an equal ledger amount "
              "| ledger events without an equal GL amount |\n"
              "|---|---|---|---|---:|---:|---:|---|---|\n"
              "| primary_care | 2023-05 | halsoval-bestallare | expense:compensation.capitation (4101) | "
              "1,300,000.00 | 1,299,000.00 | 1,000.00 | A 2 (line 20): 1,300,000.00 | e-2: 1,299,000.00 |\n"
              "\n"
              "## GL rows that cannot be keyed (left out of the sums)\n"
              "\n"
              "| line | account | objects | amount | why |\n"
              "|---:|---|---|---:|---|\n"
              "| 41 | 7010 | {1 \"2150\"} | -500.00 | no mapping row matches |\n"
              "\n"
              "## Totals\n"
              "\n"
              "| side | rows | amount |\n"
              "|---|---:|---:|\n"
              "| GL | 3 | 1,500,000.00 |\n"
              "| ledger | 3 | 1,499,000.00 |\n"
              "| GL rows the mapping ignores | 2 | 610,000.00 |\n"
              "| ledger postings no mapping row stands for | 3 | -1,499,000.00 |\n");
}

TEST(ReconciliationReport, TheSpreadsheetCsvHasLabelsAndTheLanguagesDecimalSign) {
    const Reconciliation r = one_difference();
    EXPECT_EQ(render_csv(r, Language::sv),
              "Vårdval;Månad;Part;Kontoklass;Kontopost;Kontonummer;Belopp i huvudboken;Belopp i reskontran;"
              "Differens;Verifikationer i huvudboken;Händelser i reskontran\n"
              "primary_care;2023-05;halsoval-bestallare;expense;compensation.capitation;4101;1300000,00;1299000,00;"
              "1000,00;A 2 (line 20);e-2\n"
              "Summa;;;;;;1500000,00;1499000,00;1000,00;;\n");
    EXPECT_EQ(render_csv(r, Language::en).substr(0, 29), "scheme;month;party;account cl");
    EXPECT_NE(render_csv(r, Language::en).find(";1300000.00;1299000.00;1000.00;"), std::string::npos);
    // without a language: the machine form, as before
    EXPECT_EQ(render_csv(r).substr(0, 34), "scheme,month,party,account_class,i");
    EXPECT_NE(render_csv(r).find(",1300000.00,1299000.00,1000.00,"), std::string::npos);
}

std::string unzipped(const std::string& bytes, const std::string& member) {
    const auto path = std::filesystem::temp_directory_path() / ("likvard-recon-" + std::to_string(getpid()) + ".xlsx");
    std::ofstream(path, std::ios::binary) << bytes;
    std::string out;
    if (FILE* pipe = popen(("unzip -p " + path.string() + " " + member).c_str(), "r")) {
        char buffer[4096];
        for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
        pclose(pipe);
    }
    std::filesystem::remove(path);
    return out;
}

TEST(ReconciliationReport, TheSwedishWorkbookHasSwedishLabelsAndNumericAmounts) {
    const std::string xlsx = render_xlsx(one_difference(), "SE-Z", Language::sv);
    const std::string strings = unzipped(xlsx, "xl/sharedStrings.xml");
    for (const char* label : {"Belopp i huvudboken", "Belopp i reskontran", "Differens"})
        EXPECT_NE(strings.find(label), std::string::npos) << label;
    const std::string sheets = unzipped(xlsx, "xl/workbook.xml");
    for (const char* title : {"Summor", "Nycklar med differenser", "Omatchade rader i huvudboken"})
        EXPECT_NE(sheets.find(std::string("name=\"") + title + "\""), std::string::npos) << title << sheets;
    EXPECT_NE(strings.find("1 av 3 nycklar har differenser"), std::string::npos) << strings;
    EXPECT_EQ(strings.find("Keys that differ"), std::string::npos);
    const std::string differences = unzipped(xlsx, "xl/worksheets/sheet2.xml");
    EXPECT_NE(differences.find("<v>1300000</v>"), std::string::npos) << differences;
    EXPECT_NE(differences.find("<v>1299000</v>"), std::string::npos) << differences;
    EXPECT_NE(differences.find("<v>1000</v>"), std::string::npos) << differences;
    const std::string unkeyed = unzipped(xlsx, "xl/worksheets/sheet3.xml");
    EXPECT_NE(unkeyed.find("<v>-500</v>"), std::string::npos) << unkeyed;
}

}  // namespace
}  // namespace likvard::gl
