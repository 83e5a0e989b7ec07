// `likvard import csv` as finance staff run it, without a database: a sheet to NDJSON that
// `likvard check` accepts, every problem named by line and column with nothing written, the
// rejected rows kept, usage errors, and the progress on stderr only when asked for.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run.hpp"

namespace fs = std::filesystem;
using likvard::test::read_file;
using likvard::test::run;
using likvard::test::shell_quote;

namespace {

const std::string bin = LIKVARD_BIN;

class ImportCsv : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("likvard-import-csv-" + std::to_string(getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }

    std::string write(const std::string& name, const std::string& text) {
        const fs::path path = dir / name;
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }
    likvard::test::RunResult import(const std::string& options, const std::string& file,
                                    const std::string& env = "LIKVARD_PROGRESS=never") {
        return run(env + " " + bin + " import csv " + options + " " + shell_quote(file));
    }
    fs::path dir;
};

const std::string parties =
    "party_id;name;kind;side;provider_type;period\n"
    "halsoval-bestallare;Hälsovalsenheten;organisation;purchaser;;2023-01\n"
    "hc-lugnvik;\"Hälsocentralen Lugnvik; Östersund\";provider;region_run;health_centre;2023-01\n"
    "hc-medinord;Medinord;provider;private;health_centre;2023-01\n";

const std::string budget =
    "\xEF\xBB\xBF"
    "party_id;side;line;amount;period;decision_ref\r\n"
    "hc-lugnvik;;capitation;1 874 512,40;2023-05;RS/12/2022\r\n"
    ";private;capitation;2400000.00;2023-05;RS/12/2022\r\n";

}  // namespace

TEST_F(ImportCsv, SheetsBecomeEventsThatTheCheckerAccepts) {
    const auto registered =
        import("--type party.registered --region SE-Z --scheme primary_care", write("parter.csv", parties));
    ASSERT_EQ(registered.exit_code, 0) << registered.err;
    EXPECT_EQ(registered.err, "imported 3 rows as party.registered events\n");
    const auto budgeted = import(
        "--type budget.set --region SE-Z --scheme primary_care --out " + shell_quote((dir / "budget.ndjson").string()),
        write("budget.csv", budget));
    ASSERT_EQ(budgeted.exit_code, 0) << budgeted.err;
    EXPECT_EQ(budgeted.out, "");
    const std::string events = registered.out + read_file((dir / "budget.ndjson").string());
    const auto checked = run(bin + " check --postings " + shell_quote(write("all.ndjson", events)));
    EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
    EXPECT_EQ(checked.out, "");  // parties and budgets derive no postings
    EXPECT_NE(events.find(R"("name":"Hälsocentralen Lugnvik; Östersund")"), std::string::npos) << events;
    EXPECT_NE(events.find(R"("amount":"1874512.40")"), std::string::npos) << events;
}

TEST_F(ImportCsv, TheSameSheetGivesTheSameEventsByteForByte) {
    const std::string file = write("budget.csv", budget);
    const auto first = import("--type budget.set --region SE-Z --scheme primary_care", file);
    const auto again = import("--type budget.set --region SE-Z --scheme primary_care --separator ';'",
                              write("copy-with-another-name.csv", budget));
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(first.out, again.out);
}

TEST_F(ImportCsv, ASheetWithProblemsImportsNothingAndNamesEachOne) {
    const std::string sheet =
        "party_id;line;amount;period\n"
        "hc-lugnvik;capitation;1.300,50;2023-05\n"
        "hc-lugnvik;capitation;100;2023-05\n"
        "hc-medinord;bonus;100;2023-05\n";
    const std::string out = (dir / "out.ndjson").string();
    const std::string rejected = (dir / "rejected.csv").string();
    const auto result = import("--type budget.set --region SE-Z --scheme primary_care --out " + shell_quote(out) +
                                   " --rejected " + shell_quote(rejected),
                               write("budget.csv", sheet));
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err,
              "line 2, column amount: \"1.300,50\" is ambiguous: write it with one decimal mark and no other, e.g. "
              "1300000,50 or 1 300 000,50 (only spaces group thousands)\n"
              "line 4, column line: \"bonus\" is not a money column of the neutrality statement nor "
              "commitment:<commitment> (schema_violation)\n"
              "likvard import csv: 2 problems in " +
                  (dir / "budget.csv").string() + "; nothing imported\n");
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(read_file(rejected),
              "party_id;line;amount;period;error\n"
              "hc-lugnvik;capitation;1.300,50;2023-05;\"amount: \"\"1.300,50\"\" is ambiguous: write it with one "
              "decimal mark and no other, e.g. 1300000,50 or 1 300 000,50 (only spaces group thousands)\"\n"
              "hc-medinord;bonus;100;2023-05;\"line: \"\"bonus\"\" is not a money column of the neutrality statement "
              "nor commitment:<commitment> (schema_violation)\"\n");
}

TEST_F(ImportCsv, UsageErrorsNameTheOption) {
    const std::string file = write("budget.csv", budget);
    const struct {
        std::string options, message;
    } cases[] = {
        {"--region SE-Z", "--type is required"},
        {"--type payment.made --region SE-Z", "--type payment.made cannot be imported from a sheet"},
        {"--type budget.set", "--region needs an ISO 3166-2 code like SE-Z"},
        {"--type budget.set --region SE-Z --separator tab", "--separator is ';' or ','"},
        {"--type budget.set --region SE-Z --append --out x.ndjson", "--out and --append exclude each other"},
    };
    for (const auto& c : cases) {
        const auto result = import(c.options, file);
        EXPECT_EQ(result.exit_code, 2) << c.options;
        EXPECT_NE(result.err.find(c.message), std::string::npos) << c.options << ": " << result.err;
    }
    EXPECT_EQ(import("--type budget.set --region SE-Z", (dir / "missing.csv").string()).exit_code, 2);
    const auto other = run(bin + " import xml x.xml --region SE-Z");
    EXPECT_EQ(other.exit_code, 2);
    EXPECT_NE(other.err.find("not a kind of import (sie or csv)"), std::string::npos) << other.err;
}

TEST_F(ImportCsv, ProgressGoesToStderrOnlyWhenAskedOrOnATerminal) {
    const std::string file = write("budget.csv", budget);
    const std::string options =
        "--type budget.set --region SE-Z --scheme primary_care --out " + shell_quote((dir / "budget.ndjson").string());
    // stderr is a file here, no terminal
    const auto quiet = run("env -u LIKVARD_PROGRESS " + bin + " import csv " + options + " " + shell_quote(file));
    ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
    EXPECT_EQ(quiet.err.find('\r'), std::string::npos) << quiet.err;
    const auto shown = import(options, file, "LIKVARD_PROGRESS=always");
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.err.find("\r2/2 rows, "), std::string::npos) << shown.err;
    EXPECT_NE(shown.err.find(" rows/s in "), std::string::npos) << shown.err;
    EXPECT_EQ(shown.err.substr(shown.err.find('\n') + 1), quiet.err);  // the progress line, then the same summary
}
