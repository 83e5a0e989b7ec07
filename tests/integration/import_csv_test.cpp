// `likvard import csv --append` and `likvard append` on real PostgreSQL: the same sheet
// twice appends nothing, a revised budget wins, a row the ledger rejects is kept with the
// sheet's name and line, and the progress shows rows and rate only when asked for.
#include <filesystem>
#include <fstream>

#include "database.hpp"
#include "run.hpp"
#include "store/reads.hpp"

using namespace likvard;
using namespace likvard::test;
namespace fs = std::filesystem;

namespace {

const std::string bin = LIKVARD_BIN;

const std::string parties =
    "party_id;name;kind;side;provider_type;period\n"
    "halsoval-bestallare;Hälsovalsenheten;organisation;purchaser;;2023-01\n"
    "hc-lugnvik;Hälsocentralen Lugnvik;provider;region_run;health_centre;2023-01\n"
    "hc-medinord;Medinord;provider;private;health_centre;2023-01\n";

class ImportCsvAppend : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        dir = fs::temp_directory_path() / ("likvard-import-append-" + std::to_string(getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir);
    }
    void TearDown() override {
        fs::remove_all(dir);
        DatabaseTest::TearDown();
    }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
        return (dir / name).string();
    }
    RunResult import(const std::string& type, const std::string& file, const std::string& more = "",
                     const std::string& progress = "never") {
        return run("LIKVARD_PROGRESS=" + progress + " LIKVARD_DATABASE_URL=" + shell_quote(url) + " " + bin +
                   " import csv --type " + type + " --region SE-Z --scheme primary_care --append " + more + " " +
                   shell_quote(file));
    }
    std::vector<std::string> budget_amounts() {
        Store reader(reader_url);
        std::vector<std::string> amounts;
        for (const auto& row :
             budgets(reader, "SE-Z", "primary_care", "2023-05", "2023-05", reader.head("SE-Z").seq).budgets)
            amounts.push_back(row.party_id.value_or(row.side.value_or("")) + " " + row.amount.to_string());
        return amounts;
    }
    fs::path dir;
};

}  // namespace

TEST_F(ImportCsvAppend, TheSameSheetTwiceAppendsNothingAndARevisionWins) {
    const auto registered = import("party.registered", write("parter.csv", parties));
    ASSERT_EQ(registered.exit_code, 0) << registered.out << registered.err;
    EXPECT_EQ(registered.out, "appended 3, duplicates 0, rejected 0\n");
    const std::string budget = write("budget.csv",
                                     "party_id;side;line;amount;period\n"
                                     "hc-lugnvik;;capitation;1 000,00;2023-05\n"
                                     ";private;capitation;2 000,00;2023-05\n");
    EXPECT_EQ(import("budget.set", budget).out, "appended 2, duplicates 0, rejected 0\n");
    EXPECT_EQ(import("budget.set", budget).out, "appended 0, duplicates 2, rejected 0\n");
    EXPECT_EQ(import("party.registered", write("parter-juni.csv", parties)).out,
              "appended 0, duplicates 3, rejected 0\n");

    const std::string revised = write("budget-rev.csv",
                                      "party_id;line;amount;period;decision_ref\n"
                                      "hc-lugnvik;capitation;1 250,00;2023-05;RS/48/2023\n");
    EXPECT_EQ(import("budget.set", revised).out, "appended 1, duplicates 0, rejected 0\n");
    EXPECT_EQ(budget_amounts(), (std::vector<std::string>{"hc-lugnvik 1250.00", "private 2000.00"}));
    const auto reports = verify(reader_url, std::string("SE-Z"));
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_TRUE(reports[0].ok) << reports[0].problem;
    EXPECT_EQ(reports[0].head_seq, 6);
}

TEST_F(ImportCsvAppend, ARowTheLedgerRejectsIsKeptWithTheSheetsLine) {
    ASSERT_EQ(import("party.registered", write("parter.csv", parties)).exit_code, 0);
    const std::string sheet = write("budget.csv",
                                    "party_id;line;amount;period\n"
                                    "hc-lugnvik;capitation;10;2023-05\n"
                                    "hc-okand;capitation;10;2023-05\n");
    const std::string rejected = (dir / "rejected.csv").string();
    const auto result = import("budget.set", sheet, "--rejected " + shell_quote(rejected));
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.out.find("line 3: "), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(" unknown_party: /data/party_id: party \"hc-okand\" is not registered in SE-Z\n"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("appended 1, duplicates 0, rejected 1\n"), std::string::npos) << result.out;
    const pqxx::result kept = query(
        "SELECT reason, source_file, source_line, convert_from(raw, 'UTF8') "
        "FROM ledger.rejections");
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0][0].as<std::string>(), "unknown_party");
    EXPECT_EQ(kept[0][1].as<std::string>(), sheet);
    EXPECT_EQ(kept[0][2].as<std::int64_t>(), 3);
    EXPECT_NE(kept[0][3].as<std::string>().find(R"("type":"budget.set")"), std::string::npos);  // replayable NDJSON
    EXPECT_EQ(read_file(rejected),
              "party_id;line;amount;period;error\n"
              "hc-okand;capitation;10;2023-05;\"unknown_party: /data/party_id: party \"\"hc-okand\"\" "
              "is not registered in SE-Z\"\n");
}

TEST_F(ImportCsvAppend, AppendAndImportShowProgressOnlyWhenAsked) {
    const auto shown = import("party.registered", write("parter.csv", parties), "", "always");
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.err.find("\r3/3 rows, "), std::string::npos) << shown.err;
    EXPECT_NE(shown.err.find(" rows/s in "), std::string::npos) << shown.err;

    std::string lines;
    for (int i = 1; i <= 3; ++i)
        lines += R"({"event_id":"00000000-0000-4000-8000-00000000000)" + std::to_string(i) +
                 R"(","type":"listing.recorded","schema_version":1,"region":"SE-Z","scheme":"primary_care",)"
                 R"("period":"2023-0)" +
                 std::to_string(i) +
                 R"(","occurred_on":"2023-01-01","source":{"system":"s","reference":"r"},)"
                 R"("data":{"provider_id":"hc-lugnvik","listed":1,"weighted_listed":"1"}})"
                 "\n";
    const std::string file = write("listings.ndjson", lines);
    const std::string append = " LIKVARD_DATABASE_URL=" + shell_quote(url) + " " + bin + " append " + shell_quote(file);
    const auto quiet = run("env -u LIKVARD_PROGRESS" + append);
    EXPECT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;
    EXPECT_EQ(quiet.err, "");
    const auto again = run("LIKVARD_PROGRESS=always" + append);
    EXPECT_EQ(again.out, "appended 0, duplicates 3, rejected 0\n");
    EXPECT_NE(again.err.find("\r3/3 events, "), std::string::npos) << again.err;
    EXPECT_NE(again.err.find(" events/s in "), std::string::npos) << again.err;
}
