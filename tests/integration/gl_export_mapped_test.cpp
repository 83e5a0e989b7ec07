// `likvard export sie --mapping` as finance staff run it to load the ledger into the
// region's finance system, on real PostgreSQL: a small ledger whose rows are written out
// here by hand, and the sample year through the sample's own mapping, which must reconcile
// through the same mapping with nothing different.
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"
#include "scenario_events.hpp"

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>

#include "sample/sample.hpp"
#include "sie/sie.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

const std::string sample_gl = LIKVARD_SOURCE_DIR "/ledger/sample/gl/";

// The purchaser pays two capitations (region-run and private), a variable payment that is
// reversed, an IT compensation no mapping row stands for; region-run care bears a commitment.
std::vector<std::string> small_ledger() {
    return {
        party(1, "bestallare", "organisation", "purchaser"),
        party(2, "egen-regi", "organisation", "region_run"),
        party(3, "hc-a", "provider", "region_run", "health_centre"),
        party(4, "hc-x", "provider", "private", "health_centre"),
        pay(20, "hc-a", "capitation", "100000.00", "2023-01"),
        pay(21, "hc-x", "capitation", "90000.00", "2023-01"),
        pay(22, "hc-a", "variable", "5000.00", "2023-02"),
        reversal(23, 22, "2023-03"),
        event(24, "commitment.cost_incurred",
              {{"commitment", "on_call_coordination"}, {"borne_by", "egen-regi"}, {"amount", "4500.00"}}, "2023-03"),
        event(25, "overhead.compensated",
              {{"payer_id", "bestallare"}, {"provider_id", "hc-x"}, {"category", "it"}, {"amount", "2000.00"}},
              "2023-04"),
    };
}

const std::string small_mapping =
    "account;objects;series;sign;type;scheme;component;commitment;payer_id;provider_id;borne_by;comment\n"
    "4511;1=* 21=*;;debit;payment.made;primary_care;capitation;;object:1;object:21;;Vårdpeng\n"
    "4512;;B;debit;payment.made;primary_care;variable;;bestallare;object:21;;Rörlig ersättning\n"
    "4611-4619;1=* 6=P-JOUR;;debit;commitment.cost_incurred;primary_care;;on_call_coordination;;;object:1;Jour\n"
    "3000-3999;;;;ignore;;;;;;;Intäkter\n"
    "1000-2999;;;;ignore;;;;;;;Balansräkningen\n";

const std::string small_parties =
    "dimension;object;party_id;name;kind;side;provider_type;area\n"
    "1;1100;bestallare;Beställaren;organisation;purchaser;;\n"
    "1;2100;egen-regi;Egen regi;organisation;region_run;;\n"
    "1;2101;egen-regi;Egen regi;organisation;region_run;;\n"
    "21;2150;hc-a;Hälsocentralen A;provider;region_run;health_centre;\n"
    "21;7001;hc-x;Vårdcentralen X AB;provider;private;health_centre;\n";

class MappedExport : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        dir =
            std::filesystem::temp_directory_path() / ("likvard-glmap-" + std::to_string(getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir);
    }
    void TearDown() override {
        std::filesystem::remove_all(dir);
        DatabaseTest::TearDown();
    }
    RunResult likvard(const std::string& arguments) {
        return run(std::string(LIKVARD_BIN) + " " + arguments + " --database-url " + shell_quote(reader_url));
    }
    std::string write(const std::string& name, const std::string& bytes) {
        const std::string path = (dir / name).string();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    std::string path(const std::string& name) const { return (dir / name).string(); }
    std::filesystem::path dir;
};

// Every #TRANS as "series number: account {objects} amount", in file order.
std::vector<std::string> trans_rows(const std::string& file) {
    const sie::ReadResult read = sie::read_sie(read_file(file));
    std::vector<std::string> rows;
    for (const auto& verification : read.document.verifications)
        for (const auto& row : verification.rows) {
            std::string objects;
            for (const auto& ref : row.objects)
                objects += (objects.empty() ? "" : " ") + std::to_string(ref.dimension) + " \"" + ref.object + "\"";
            rows.push_back(verification.series + " " + verification.number + ": " + row.account + " {" + objects +
                           "} " + row.amount.to_string());
        }
    return rows;
}

}  // namespace

TEST_F(MappedExport, ASmallLedgerGivesExactlyTheHandComputedRowsAndBalancingRows) {
    ASSERT_EQ(append_lines(small_ledger()), small_ledger().size());
    const std::string map = write("mapping.csv", small_mapping);
    const std::string parties = write("parter.csv", small_parties);
    const auto result =
        likvard("export sie --region SE-Z --year 2023 --mapping " + map + " --party-map " + parties +
                " --balancing-account 2899 --out " + path("likvard.se") + " --report " + path("rapport.csv"));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(trans_rows(path("likvard.se")), (std::vector<std::string>{
                                                  "L 1: 4511 {1 \"1100\" 21 \"2150\"} 100000.00",
                                                  "L 1: 2899 {} -100000.00",
                                                  "L 2: 4511 {1 \"1100\" 21 \"7001\"} 90000.00",
                                                  "L 2: 2899 {} -90000.00",
                                                  "B 1: 4512 {21 \"2150\"} 5000.00",
                                                  "B 1: 2899 {} -5000.00",
                                                  "B 2: 4512 {21 \"2150\"} -5000.00",
                                                  "B 2: 2899 {} 5000.00",
                                                  "L 3: 4611 {1 \"2100\" 6 \"P-JOUR\"} 4500.00",
                                                  "L 3: 2899 {} -4500.00",
                                              }));
    // The IT compensation has no mapping row on either side: no verification, only the report.
    const std::string why = ";no mapping row stands for ";
    EXPECT_EQ(read_file(path("rapport.csv")),
              "ledger_account;gl_account;balancing;postings;amount;why\n"
              "bestallare:expense:compensation.capitation;4511;no;2;190000.00;\n"
              "bestallare:expense:compensation.variable;4512;no;2;0.00;\n"
              "bestallare:expense:overhead.it;2899;yes;1;2000.00" +
                  why + "expense:overhead.it of bestallare in primary_care\n" +
                  "egen-regi:expense:commitment.on_call_coordination;4611;no;1;4500.00;\n"
                  "egen-regi:settlement:commitment.on_call_coordination;2899;yes;1;-4500.00" +
                  why + "settlement:commitment.on_call_coordination of egen-regi in primary_care\n" +
                  "hc-a:income:compensation.capitation;2899;yes;1;-100000.00" + why +
                  "income:compensation.capitation of hc-a in primary_care\n" +
                  "hc-a:income:compensation.variable;2899;yes;2;0.00" + why +
                  "income:compensation.variable of hc-a in primary_care\n" +
                  "hc-x:income:compensation.capitation;2899;yes;1;-90000.00" + why +
                  "income:compensation.capitation of hc-x in primary_care\n" +
                  "hc-x:income:overhead.it;2899;yes;1;-2000.00" + why + "income:overhead.it of hc-x in primary_care\n" +
                  "total;mapped;no;5;194500.00;\n"
                  "total;balancing;yes;7;-194500.00;\n");
    EXPECT_NE(result.err.find("5 postings on mapped accounts (194500.00), 7 summed onto 2899 (-194500.00)"),
              std::string::npos)
        << result.err;

    const auto check = run(std::string(LIKVARD_BIN) + " sie check " + path("likvard.se"));
    EXPECT_EQ(check.exit_code, 0) << check.out;
    const auto reconciled = likvard("reconcile sie " + path("likvard.se") + " --mapping " + map + " --party-map " +
                                    parties + " --region SE-Z --from 2023-01 --to 2023-12 --format json");
    EXPECT_EQ(reconciled.exit_code, 0) << reconciled.out << reconciled.err;
    const auto report = boost::json::parse(reconciled.out).as_object();
    EXPECT_TRUE(report.at("agrees").as_bool()) << reconciled.out;
    EXPECT_EQ(report.at("totals").at("gl").at("rows").as_int64(), 5);
    EXPECT_EQ(report.at("totals").at("gl_ignored").at("rows").as_int64(), 5);  // the balancing rows
}

TEST_F(MappedExport, TheSampleYearThroughTheSampleMappingReconcilesWithNothingDifferent) {
    const auto lines = generate_sample_years({"SE-Z", 2022, 2022, 1});
    ASSERT_EQ(append_lines(lines), lines.size());
    const std::string map = sample_gl + "mapping.csv";
    const std::string parties = sample_gl + "SE-Z-parties.csv";
    const auto result =
        likvard("export sie --region SE-Z --year 2022 --mapping " + map + " --party-map " + parties +
                " --balancing-account 2999 --out " + path("SE-Z-2022.se") + " --report " + path("rapport.csv"));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto check = run(std::string(LIKVARD_BIN) + " sie check --format json " + path("SE-Z-2022.se"));
    EXPECT_EQ(check.exit_code, 0) << check.out;
    const auto reconciled = likvard("reconcile sie " + path("SE-Z-2022.se") + " --mapping " + map + " --party-map " +
                                    parties + " --region SE-Z --from 2022-01 --to 2022-12 --format json");
    EXPECT_EQ(reconciled.exit_code, 0) << reconciled.out.substr(0, 4000) << reconciled.err;
    const auto report = boost::json::parse(reconciled.out).as_object();
    EXPECT_TRUE(report.at("agrees").as_bool());
    EXPECT_EQ(report.at("differences").as_array().size(), 0u);
    EXPECT_EQ(report.at("unkeyed").as_array().size(), 0u);
    // Every posting the mapping stands for was exported on its account, none onto 2999.
    const std::string csv = read_file(path("rapport.csv"));
    const auto total_of = [&](const std::string& what) {
        const auto at = csv.find("total;" + what + ";");
        EXPECT_NE(at, std::string::npos) << csv.substr(0, 2000);
        const std::string line = csv.substr(at, csv.find('\n', at) - at);
        return std::stoll(line.substr(line.find(';', line.find(';', line.find(';') + 1) + 1) + 1));
    };
    EXPECT_EQ(total_of("mapped"), report.at("totals").at("gl").at("rows").as_int64());
    EXPECT_EQ(total_of("mapped"), report.at("totals").at("ledger").at("rows").as_int64());
    EXPECT_EQ(total_of("balancing"), report.at("totals").at("ledger_left_out").at("rows").as_int64());
    EXPECT_GT(total_of("mapped"), 1000);
    EXPECT_EQ(csv.find(";2999;no;"), std::string::npos);
}

TEST_F(MappedExport, UsageAndMappingErrorsExitTwoAndOneNamingTheOptionOrTheLineAndColumn) {
    ASSERT_EQ(append_lines(small_ledger()), small_ledger().size());
    const std::string map = write("mapping.csv", small_mapping);
    const std::string parties = write("parter.csv", small_parties);
    struct Case {
        std::string arguments;
        std::string message;
    };
    const std::string base = "export sie --region SE-Z --year 2023 ";
    for (const auto& c : std::vector<Case>{
             {base + "--mapping " + map + " --party-map " + parties, "--balancing-account ACCOUNT is required"},
             {base + "--balancing-account 2899", "--balancing-account needs --mapping"},
             {base + "--party-map " + parties, "--party-map needs --mapping"},
             {base + "--report r.csv", "--report needs --mapping"},
             {base + "--mapping " + map + " --party-map " + parties + " --balancing-account 29x9",
              "--balancing-account '29x9' is not an account number"},
             {base + "--mapping " + map + " --party-map " + parties + " --balancing-account 4512",
              "--balancing-account 4512 is not an account the mapping ignores (mapping line 3 does not ignore a "
              "debit on it in series B)"},
             {base + "--mapping " + map + " --party-map " + parties + " --balancing-account 7999",
              "--balancing-account 7999 is not an account the mapping ignores (no mapping row matches it"},
             {base + "--mapping /nonexistent.csv --balancing-account 2899", "cannot open --mapping /nonexistent.csv"},
         }) {
        const auto result = likvard(c.arguments + " --out " + path("x.se"));
        EXPECT_EQ(result.exit_code, 2) << c.arguments << "\n" << result.err;
        EXPECT_NE(result.err.find(c.message), std::string::npos) << c.arguments << "\n" << result.err;
    }
    const std::string bad = write("fel.csv", small_mapping + "4999;;;plus;ignore;;;;;;;\n");
    const auto result = likvard(base + "--mapping " + bad + " --party-map " + parties +
                                " --balancing-account 2899 --out " + path("fel.se"));
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.err.find("fel.csv: line 7, column 4 (sign): 'plus' is not debit or credit"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("nothing exported"), std::string::npos) << result.err;
    EXPECT_FALSE(std::filesystem::exists(path("fel.se")));
    const auto no_parties = likvard(base + "--mapping " + map + " --balancing-account 2899 --out " + path("fel.se"));
    EXPECT_EQ(no_parties.exit_code, 1) << no_parties.err;
    EXPECT_NE(no_parties.err.find("mapping.csv: line 2"), std::string::npos) << no_parties.err;
}
