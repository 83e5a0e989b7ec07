// `likvard sie check` as a finance user runs it: on the hand-made files of tests/data/sie,
// on the real files beside the checkout, on a file the writer made, and with bad usage.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "../e2e/run.hpp"
#include "sie_test_support.hpp"

namespace fs = std::filesystem;
using likvard::test::run;
using likvard::test::shell_quote;

namespace likvard::sie {
namespace {

const std::string bin = LIKVARD_BIN;
const fs::path own = fs::path(LIKVARD_SOURCE_DIR) / "tests" / "data" / "sie";

struct Checked {
    int exit_code;
    boost::json::object json;
};

Checked check_json(const fs::path& file, const std::string& more = "") {
    const auto result = run(bin + " sie check --format json " + more + " " + shell_quote(file.string()));
    EXPECT_TRUE(result.err.empty()) << result.err;
    boost::json::value json = boost::json::parse(result.out);
    return {result.exit_code, json.as_object()};
}

std::string temporary(const std::string& name) {
    return (fs::temp_directory_path() / ("likvard-sie-" + std::to_string(getpid()) + "-" + name)).string();
}

TEST(SieCheck, ReportsWhatAFileHoldsAsJson) {
    // porto-rtrans-btrans.se: the specification's #RTRANS and #BTRANS examples and a
    // salary with two objects; #KSUMMA computed with Python's zlib.crc32 when it was made.
    const Checked c = check_json(own / "porto-rtrans-btrans.se");
    EXPECT_EQ(c.exit_code, 0) << boost::json::serialize(c.json);
    const auto& j = c.json;
    EXPECT_EQ(j.at("sietyp"), 4);
    EXPECT_EQ(j.at("program"), "Likvärd testdata");
    EXPECT_EQ(j.at("orgnr"), "232100-0016");
    EXPECT_EQ(j.at("fnamn"), "Region Jämtland Härjedalen");
    EXPECT_EQ(j.at("encoding"), "cp437");
    EXPECT_EQ(j.at("fiscal_years").as_array().size(), 1u);
    EXPECT_EQ(j.at("fiscal_years").as_array()[0].at("start"), "2008-01-01");
    EXPECT_EQ(j.at("accounts"), 5);
    EXPECT_EQ(j.at("dimensions"), 3);
    EXPECT_EQ(j.at("objects"), 2);
    EXPECT_EQ(j.at("verifications"), 3);
    EXPECT_EQ(j.at("transactions"), 11);  // the #TRANS lines; an #RTRANS and its #TRANS are one row
    EXPECT_EQ(j.at("added_rows"), 4);
    EXPECT_EQ(j.at("removed_rows"), 1);
    EXPECT_EQ(j.at("unbalanced_verifications"), 0);
    EXPECT_EQ(j.at("checksum"), "verified");
    // 1910: -1200 + 200 - 1000 - 13200 (by hand from the file)
    const auto& sums = j.at("trans_sum_by_account").as_object();
    EXPECT_EQ(sums.at("1910"), "-15200.00");
    EXPECT_EQ(sums.at("6250"), "1600.00");  // 960 - 160 + 800
    EXPECT_EQ(sums.at("7010"), "13200.00");
    EXPECT_FALSE(sums.contains("6110"));  // only a removed row
    EXPECT_TRUE(j.at("problems").as_array().empty());
    EXPECT_EQ(j.at("problems_total"), 0);
}

TEST(SieCheck, ProblemsGiveExitOneWithLineRecordAndMessage) {
    const Checked c = check_json(own / "problems.se");
    EXPECT_EQ(c.exit_code, 1);
    EXPECT_EQ(c.json.at("unbalanced_verifications"), 1);
    const auto& problems = c.json.at("problems").as_array();
    ASSERT_EQ(problems.size(), 4u) << boost::json::serialize(problems);
    EXPECT_EQ(problems[0].at("line"), 7);
    EXPECT_EQ(problems[0].at("record"), "#KONTO");
    EXPECT_EQ(problems[1].at("line"), 8);
    EXPECT_EQ(problems[1].at("message"), "verification B 1 does not balance: its rows sum to -12771.00, not 0.00");
    EXPECT_EQ(problems[2].at("line"), 16);
    EXPECT_EQ(problems[2].at("message"), "amount \"-12.345\" has more than two decimals");
}

TEST(SieCheck, TheTextFormatIsASummaryAndTheProblems) {
    const auto ok = run(bin + " sie check " + shell_quote((own / "import-4i.si").string()));
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.out.find("SIE type 4 from \"Löneprogrammet\" 2.1, company \"Region Jämtland Härjedalen\""),
              std::string::npos)
        << ok.out;
    EXPECT_NE(ok.out.find("verifications 1, rows 5"), std::string::npos) << ok.out;
    EXPECT_NE(ok.out.find("problems: 0\n"), std::string::npos) << ok.out;
    const auto bad = run(bin + " sie check " + shell_quote((own / "problems.se").string()));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.out.find("problems: 4\n  line 7: #KONTO: a quoted field is not closed"), std::string::npos)
        << bad.out;
    EXPECT_NE(bad.out.find("  line 8: #VER: verification B 1 does not balance"), std::string::npos) << bad.out;
}

TEST(SieCheck, EveryRealFileChecksAsItsReadmeSays) {
    const fs::path data = test::sie_data();
    if (data.empty()) GTEST_SKIP() << "the real SIE files are absent: no shared/data/sie beside the checkout";
    // grep -a -c '^[[:space:]]*#VER' FILE and '^[[:space:]]*#TRANS', as the folder's README lists them
    const std::vector<std::tuple<std::string, int, int, int>> files = {
        {"BL0001_typ4.SE", 84, 405, 0},
        {"SIE4_Exempelfil_med_underdim.SE", 295, 1330, 0},
        {"Sie4.si", 165, 869, 0},
        {"live2011.se", 3, 12, 0},
        {"magenta_bokföring_SIE4E.se", 19, 84, 0},
        {"magenta_bokföring_SIE4I.se", 19, 84, 0},
        {"transaktioner_ovnbolag.se", 163, 671, 0},
        {"transaktioner_ovnbolag-bad-balance.se", 163, 671, 1},
    };
    for (const auto& [file, verifications, rows, unbalanced] : files) {
        SCOPED_TRACE(file);
        const Checked c = check_json(data / file);
        EXPECT_EQ(c.exit_code, unbalanced == 0 ? 0 : 1);
        EXPECT_EQ(c.json.at("sietyp"), 4);
        EXPECT_EQ(c.json.at("verifications"), verifications);
        EXPECT_EQ(c.json.at("transactions"), rows);
        EXPECT_EQ(c.json.at("unbalanced_verifications"), unbalanced);
    }
    // The awk sum of account 1910's #TRANS amounts in whole öre (see files_test.cpp).
    const Checked bad = check_json(data / "transaktioner_ovnbolag-bad-balance.se");
    EXPECT_EQ(bad.json.at("trans_sum_by_account").at("1910"), "-15278.00");
    EXPECT_EQ(bad.json.at("problems").as_array()[0].at("line"), 3905);
    EXPECT_EQ(bad.json.at("problems").as_array()[0].at("message"),
              "verification B 1 does not balance: its rows sum to -12771.00, not 0.00");
    EXPECT_EQ(check_json(data / "transaktioner_ovnbolag.se").json.at("trans_sum_by_account").at("1910"), "-2507.00");
}

TEST(SieCheck, AFileTheWriterMadeChecksClean) {
    const FileRead read = read_sie_file(own / "porto-rtrans-btrans.se");
    ASSERT_FALSE(read.error);
    const std::string path = temporary("written.se");
    std::ofstream(path, std::ios::binary) << write_sie4(read.result.document);
    const Checked c = check_json(path);
    fs::remove(path);
    EXPECT_EQ(c.exit_code, 0) << boost::json::serialize(c.json);
    EXPECT_EQ(c.json.at("checksum"), "verified");
    EXPECT_EQ(c.json.at("transactions"), 11);
    EXPECT_EQ(c.json.at("trans_sum_by_account").at("1910"), "-15200.00");
}

TEST(SieCheck, TheEncodingOptionDecidesTheCharacterSet) {
    const std::string path = temporary("latin1.se");
    std::ofstream(path, std::ios::binary)
        << "#FLAGGA 0\n#PROGRAM P 1\n#FORMAT PC8\n#GEN 20240101\n#FNAMN \"F\xF6retaget\"\n";
    const Checked pc8 = check_json(path);
    const Checked latin1 = check_json(path, "--encoding latin1");
    fs::remove(path);
    EXPECT_EQ(pc8.json.at("fnamn"), "F\u00F7retaget");  // 0xF6 is ÷ in CP437
    EXPECT_EQ(latin1.json.at("fnamn"), "Företaget");
    EXPECT_EQ(latin1.json.at("encoding"), "latin1");
}

TEST(SieCheck, AFileOverTheSizeLimitIsAProblem) {
    const std::string path = temporary("large.se");
    { std::ofstream create(path); }
    fs::resize_file(path, file_bytes_max + 1);  // sparse
    const Checked c = check_json(path);
    fs::remove(path);
    EXPECT_EQ(c.exit_code, 1);
    EXPECT_EQ(c.json.at("problems").as_array()[0].at("line"), 0);
}

TEST(SieCheck, UsageErrorsExitTwo) {
    const std::string file = shell_quote((own / "import-4i.si").string());
    const std::vector<std::string> usages = {"sie",
                                             "sie check",
                                             "sie verify " + file,
                                             "sie check " + file + " --format xml",
                                             "sie check " + file + " --encoding ebcdic",
                                             "sie check " + file + " --bogus",
                                             "sie check " + file + " " + file,
                                             "sie check /nonexistent/file.se"};
    for (const std::string& args : usages) {
        const auto result = run(bin + " " + args);
        EXPECT_EQ(result.exit_code, 2) << args;
        EXPECT_FALSE(result.err.empty()) << args;
        EXPECT_TRUE(result.out.empty()) << args;
    }
    const auto help = run(bin + " sie check --help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Usage: likvard sie check FILE"), std::string::npos);
    EXPECT_NE(help.out.find("Exit codes: 0 no problem, 1 at least one problem"), std::string::npos);
    EXPECT_NE(run(bin + " --help").out.find("sie check FILE"), std::string::npos);
}

}  // namespace
}  // namespace likvard::sie
