// `likvard export sie` and `likvard reconcile sie` as a finance user runs them, on a small
// ledger in real PostgreSQL. The expected account numbers are written out here from the
// chart in ledger/sie/README.md, not taken from the code under test.
#include "database.hpp"
#include "event_builder.hpp"
#include "scenario_events.hpp"
#include "run.hpp"

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>

#include "gl/gl.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

// Every financial event type in 2023, one payment in 2024 (not in the 2023 export), one
// payment whose business date lies in the month before its period.
std::vector<std::string> scenario() {
    return {
        party(1, "bestallare", "organisation", "purchaser"),
        party(2, "centrala", "organisation", "central"),
        party(3, "egen-regi", "organisation", "region_run"),
        party(4, "hc-a", "provider", "region_run", "health_centre"),
        party(5, "hc-x", "provider", "private", "health_centre"),
        party(6, "leverantor", "vendor", "external"),
        party(7, "hc-tyst", "provider", "private", "health_centre"),  // named by no posting
        pay(20, "hc-a", "capitation", "100000.00", "2023-01"),
        pay(21, "hc-x", "capitation", "90000.00", "2023-01"),
        pay(22, "hc-a", "deficit_compensation", "10000.00", "2023-02", {{"occurred_on", "2023-01-31"}}),
        event(24, "overhead.compensated",
              {{"payer_id", "bestallare"}, {"provider_id", "hc-x"}, {"category", "it"}, {"amount", "2000.00"}},
              "2023-01"),
        event(25, "internal_charge.booked",
              {{"charged_by", "centrala"}, {"party_id", "hc-a"}, {"category", "helpdesk"}, {"amount", "3000.00"}},
              "2023-02"),
        event(26, "shared_cost.incurred",
              {{"service", "e_frikort"},
               {"vendor_id", "leverantor"},
               {"amount", "1000.00"},
               {"paid_by", boost::json::array{boost::json::object{{"party_id", "egen-regi"}, {"share", "0.5"}},
                                              boost::json::object{{"party_id", "centrala"}, {"share", "0.5"}}}},
               {"allocation",
                boost::json::object{{"key", "equal"}, {"beneficiaries", boost::json::array{"hc-a", "hc-x"}}}}},
              "2023-01"),
        event(27, "commitment.cost_incurred",
              {{"commitment", "on_call_coordination"}, {"borne_by", "egen-regi"}, {"amount", "4500.00"}}, "2023-01"),
        event(28, "appropriation.granted",
              {{"granted_by", "centrala"},
               {"party_id", "egen-regi"},
               {"purpose", "shared_cost:e_frikort"},
               {"amount", "1500.00"}},
              "2023-02"),
        event(29, "service.purchased",
              {{"seller_id", "hc-a"},
               {"buyer_id", "hc-x"},
               {"service", "omi"},
               {"quantity", 2},
               {"unit_price", "1100.00"},
               {"amount", "2200.00"}},
              "2023-02"),
        event(30, "service.purchased",
              {{"seller_id", "hc-x"},
               {"buyer_id", "hc-a"},
               {"service", "lab_analysis"},
               {"quantity", 1},
               {"unit_price", "300.00"},
               {"amount", "300.00"}},
              "2023-02"),
        pay(31, "hc-a", "variable", "5000.00", "2023-01"),
        reversal(32, 31, "2023-02"),
        pay(40, "hc-a", "capitation", "777.00", "2024-01"),
    };
}

// The README's chart, written out by hand for every account the scenario books.
const std::map<std::pair<std::string, std::string>, std::string> expected_numbers{
    {{"expense", "compensation.capitation"}, "4101"},
    {{"income", "compensation.capitation"}, "3101"},
    {{"expense", "compensation.variable"}, "4102"},
    {{"income", "compensation.variable"}, "3102"},
    {{"expense", "compensation.deficit_compensation"}, "4107"},
    {{"income", "compensation.deficit_compensation"}, "3107"},
    {{"expense", "overhead.it"}, "4201"},
    {{"income", "overhead.it"}, "3201"},
    {{"expense", "internal_charge.helpdesk"}, "4302"},
    {{"income", "internal_charge.helpdesk"}, "3302"},
    {{"expense", "shared_cost.e_frikort"}, "4401"},
    {{"income", "sales.e_frikort"}, "3501"},
    {{"benefit", "shared_cost.e_frikort"}, "5401"},
    {{"expense", "in_kind.e_frikort"}, "4601"},
    {{"expense", "commitment.on_call_coordination"}, "4701"},
    {{"settlement", "commitment.on_call_coordination"}, "2701"},
    {{"expense", "appropriation.shared_cost.e_frikort"}, "4807"},
    {{"income", "appropriation.shared_cost.e_frikort"}, "3807"},
    {{"expense", "service_bought.omi"}, "4901"},
    {{"income", "service_sold.omi"}, "3001"},
    {{"expense", "service_bought.lab_analysis"}, "4999"},
    {{"income", "service_sold.lab_analysis"}, "3099"},
};

std::string read_bytes(const std::string& path) { return read_file(path); }

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

class SieBridge : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        ASSERT_EQ(append_lines(scenario()), scenario().size());
        dir =
            std::filesystem::temp_directory_path() / ("likvard-gl-" + std::to_string(getpid()) + "-" +
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
    std::string exported(int year = 2023) {
        const std::string path = (dir / "export.se").string();
        const auto result = likvard("export sie --region SE-Z --year " + std::to_string(year) + " --out " + path);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return path;
    }
    boost::json::object reconciled(const std::string& path, int expected_exit, const std::string& from = "2023-01",
                                   const std::string& to = "2023-12") {
        const auto result =
            likvard("reconcile sie " + path + " --region SE-Z --from " + from + " --to " + to + " --format json");
        EXPECT_EQ(result.exit_code, expected_exit) << result.out << result.err;
        return boost::json::parse(result.out).as_object();
    }
    std::filesystem::path dir;
};

TEST_F(SieBridge, TheExportReadsWithoutAProblemAndSumsToThePostingsPerChartAccount) {
    const std::string path = exported();
    const auto check = run(std::string(LIKVARD_BIN) + " sie check --format json " + path);
    EXPECT_EQ(check.exit_code, 0) << check.out;
    const auto report = boost::json::parse(check.out).as_object();
    EXPECT_EQ(report.at("problems").as_array().size(), 0u) << check.out;
    EXPECT_EQ(report.at("checksum").as_string(), "verified");
    EXPECT_EQ(report.at("sietyp").as_int64(), 4);
    EXPECT_EQ(report.at("fnamn").as_string(), "SE-Z");
    EXPECT_EQ(report.at("verifications").as_int64(),
              count("SELECT count(DISTINCT seq) FROM ledger.postings WHERE period LIKE '2023-%'"));
    EXPECT_EQ(report.at("transactions").as_int64(),
              count("SELECT count(*) FROM ledger.postings WHERE period LIKE '2023-%'"));
    EXPECT_EQ(report.at("objects").as_int64(), 7 + 1);  // every party, and the scheme

    std::map<std::string, std::int64_t> expected;
    for (const auto& row : query("SELECT account_class, item, sum(amount) FROM ledger.postings "
                                 "WHERE period LIKE '2023-%' GROUP BY 1, 2")) {
        const auto number = expected_numbers.find({row[0].as<std::string>(), row[1].as<std::string>()});
        ASSERT_NE(number, expected_numbers.end()) << row[0].as<std::string>() << ":" << row[1].as<std::string>();
        expected[number->second] += row[2].as<std::int64_t>();
    }
    std::map<std::string, std::int64_t> actual;
    for (const auto& [account, sum] : report.at("trans_sum_by_account").as_object())
        actual[std::string(account)] = Money::parse(std::string(sum.as_string())).value->ore();
    EXPECT_EQ(actual, expected);
    EXPECT_EQ(actual.at("4101"), 19'000'000);  // 100000 + 90000 SEK in öre; 2024's 777 is not in it
}

TEST_F(SieBridge, TheFileNamesEveryPartyEventAndMonth) {
    const std::string bytes = read_bytes(exported());
    for (const std::string& expected : std::vector<std::string>{
             "#SIETYP 4\r\n", "#FORMAT PC8\r\n", "#FNAMN \"SE-Z\"\r\n", "#RAR 0 20230101 20231231\r\n",
             "#KONTO 4101 \"expense:compensation.capitation\"\r\n", "#KTYP 4101 \"K\"\r\n", "#DIM 1 \"Part\"\r\n",
             "#OBJEKT 1 \"hc-tyst\" \"Party hc-tyst\"\r\n", "#OBJEKT 20 \"primary_care\"",
             "\"payment.made " + uuid(20) + "\"", "#TRANS 4101 {1 \"bestallare\" 20 \"primary_care\"} 100000.00",
             "#RES 0 4101 190000.00\r\n", "#PSALDO 0 202301 4101 {} 190000.00\r\n", "#KSUMMA "})
        EXPECT_NE(bytes.find(expected), std::string::npos) << expected << "\n" << bytes;
    // the deficit compensation happened on 2023-01-31 and is booked in 2023-02
    EXPECT_NE(bytes.find("#VER \"L\" 3 20230131 \"payment.made " + uuid(22) + "\""), std::string::npos) << bytes;
    EXPECT_NE(bytes.find("#TRANS 3107 {1 \"hc-a\" 20 \"primary_care\"} -10000.00 20230201"), std::string::npos);
    EXPECT_EQ(bytes.find(uuid(40)), std::string::npos) << "2024's payment is not in 2023";
}

TEST_F(SieBridge, TheLedgersOwnExportReconcilesWithNothingDifferent) {
    const auto report = reconciled(exported(), 0);
    EXPECT_TRUE(report.at("agrees").as_bool());
    EXPECT_EQ(report.at("differences").as_array().size(), 0u);
    EXPECT_EQ(report.at("totals").at("gl").at("rows").as_int64(),
              count("SELECT count(*) FROM ledger.postings WHERE period LIKE '2023-%'"));
    // one month at a time too, and the Markdown report says so in words
    EXPECT_TRUE(reconciled(exported(), 0, "2023-02", "2023-02").at("agrees").as_bool());
    const auto md = likvard("reconcile sie " + exported() + " --region SE-Z --from 2023-01 --to 2023-12");
    EXPECT_EQ(md.exit_code, 0);
    EXPECT_NE(md.out.find("Allt stämmer: "), std::string::npos) << md.out;  // Swedish unless asked
    const auto en = likvard("reconcile sie " + exported() + " --region SE-Z --from 2023-01 --to 2023-12 --lang en");
    EXPECT_EQ(en.exit_code, 0);
    EXPECT_NE(en.out.find("Everything agrees"), std::string::npos) << en.out;
}

std::string replaced(std::string bytes, const std::string& from, const std::string& to) {
    const std::size_t at = bytes.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) bytes.replace(at, from.size(), to);
    return bytes;
}

std::string without_checksum(const std::string& bytes) {
    std::string out;
    std::size_t start = 0;
    while (start < bytes.size()) {
        const std::size_t end = bytes.find('\n', start);
        const std::string line = bytes.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
        if (line.rfind("#KSUMMA", 0) != 0) out += line;
        start = end == std::string::npos ? bytes.size() : end + 1;
    }
    return out;
}

TEST_F(SieBridge, OneChangedAmountInABalancedVerificationIsExactlyItsTwoKeys) {
    std::string bytes = read_bytes(exported());
    bytes = replaced(bytes, "#TRANS 4101 {1 \"bestallare\" 20 \"primary_care\"} 100000.00",
                     "#TRANS 4101 {1 \"bestallare\" 20 \"primary_care\"} 100100.00");
    bytes = replaced(bytes, "#TRANS 3101 {1 \"hc-a\" 20 \"primary_care\"} -100000.00",
                     "#TRANS 3101 {1 \"hc-a\" 20 \"primary_care\"} -100100.00");
    const std::string path = (dir / "changed.se").string();
    write_bytes(path, without_checksum(bytes));
    const auto check = run(std::string(LIKVARD_BIN) + " sie check " + path);
    ASSERT_EQ(check.exit_code, 0) << check.out;  // balanced, and no checksum to mismatch

    const auto report = reconciled(path, 1);
    EXPECT_FALSE(report.at("agrees").as_bool());
    const auto& differences = report.at("differences").as_array();
    ASSERT_EQ(differences.size(), 2u) << report;
    const auto& payer = differences[0].as_object();  // in key order: the party "bestallare" first
    const auto& provider = differences[1].as_object();
    EXPECT_EQ(payer.at("party").as_string(), "bestallare");
    EXPECT_EQ(payer.at("account_class").as_string(), "expense");
    EXPECT_EQ(payer.at("item").as_string(), "compensation.capitation");
    EXPECT_EQ(payer.at("account").as_string(), "4101");
    EXPECT_EQ(payer.at("month").as_string(), "2023-01");
    EXPECT_EQ(payer.at("scheme").as_string(), "primary_care");
    // the purchaser paid hc-a (event 20, changed) and hc-x (event 21) in January
    EXPECT_EQ(payer.at("gl").as_string(), "190100.00");
    EXPECT_EQ(payer.at("ledger").as_string(), "190000.00");
    EXPECT_EQ(payer.at("difference").as_string(), "100.00");
    EXPECT_EQ(payer.at("ledger_events").as_array(), (boost::json::array{uuid(20).c_str(), uuid(21).c_str()}));
    ASSERT_EQ(payer.at("gl_verifications").as_array().size(), 2u);
    EXPECT_EQ(std::string(payer.at("gl_verifications").as_array()[0].as_string()).rfind("L 1 (line ", 0), 0u);
    EXPECT_EQ(provider.at("party").as_string(), "hc-a");
    EXPECT_EQ(provider.at("account").as_string(), "3101");
    EXPECT_EQ(provider.at("difference").as_string(), "-100.00");
    EXPECT_EQ(provider.at("ledger_events").as_array(), boost::json::array{uuid(20).c_str()});
    EXPECT_EQ(report.at("totals").at("gl").at("amount").as_string(), "0.00");

    const auto md = likvard("reconcile sie " + path + " --region SE-Z --from 2023-01 --to 2023-01 --lang en");
    EXPECT_EQ(md.exit_code, 1);
    EXPECT_NE(md.out.find("2 of "), std::string::npos) << md.out;
    EXPECT_NE(md.out.find("| primary_care | 2023-01 | hc-a | income:compensation.capitation (3101) | -100,100.00 | "
                          "-100,000.00 | -100.00 | L 1 (line "),
              std::string::npos)
        << md.out;
    // the other months still agree
    EXPECT_TRUE(reconciled(path, 0, "2023-02", "2023-12").at("agrees").as_bool());
}

TEST_F(SieBridge, ARowTheChartCannotKeyIsListedAndTheReconciliationFails) {
    std::string bytes = read_bytes(exported());
    bytes = replaced(bytes, "#TRANS 4201 {1 \"bestallare\" 20 \"primary_care\"} 2000.00",
                     "#TRANS 7010 {1 \"bestallare\" 20 \"primary_care\"} 2000.00");
    const std::string path = (dir / "salary.se").string();
    write_bytes(path, without_checksum(bytes));
    const auto report = reconciled(path, 1);
    const auto& unkeyed = report.at("unkeyed").as_array();
    ASSERT_EQ(unkeyed.size(), 1u) << report;
    EXPECT_EQ(unkeyed[0].at("account").as_string(), "7010");
    EXPECT_EQ(unkeyed[0].at("amount").as_string(), "2000.00");
    EXPECT_EQ(unkeyed[0].at("why").as_string(), "account 7010 is not in the built-in chart");
    ASSERT_EQ(report.at("differences").as_array().size(), 1u);  // the ledger's 4201 has no GL row now
    EXPECT_EQ(report.at("differences").as_array()[0].at("gl").as_string(), "0.00");
    // The report in Swedish (the default) gives the reason in Swedish, in English in English.
    const std::string run = "reconcile sie " + path + " --region SE-Z --from 2023-01 --to 2023-12";
    const auto swedish = likvard(run);
    EXPECT_NE(swedish.out.find("| konto 7010 finns inte i den inbyggda kontoplanen |"), std::string::npos)
        << swedish.out;
    EXPECT_EQ(swedish.out.find("built-in chart"), std::string::npos) << swedish.out;
    const auto english = likvard(run + " --lang en");
    EXPECT_NE(english.out.find("| account 7010 is not in the built-in chart |"), std::string::npos) << english.out;
}

// A file changed without its checksum recomputed has a problem: the sums are still compared,
// and the reconciliation does not pass.
TEST_F(SieBridge, AFileWithAProblemDoesNotPassEvenWhenTheSumsAgree) {
    const std::string bytes = read_bytes(exported());
    const std::string path = (dir / "tampered.se").string();
    write_bytes(path, replaced(bytes, "\"payment.made " + uuid(20) + "\"", "\"payment.made, changed\""));
    const auto result = likvard("reconcile sie " + path + " --region SE-Z --from 2023-01 --to 2023-12 --format json");
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_TRUE(boost::json::parse(result.out).at("agrees").as_bool()) << result.out;
    EXPECT_NE(result.err.find("has 1 problems (likvard sie check"), std::string::npos) << result.err;
}

TEST_F(SieBridge, UsageErrorsExitTwoAndNameTheOption) {
    const std::string path = exported();
    struct Case {
        std::string arguments;
        std::string message;
    };
    for (const auto& c : std::vector<Case>{
             {"reconcile sie " + path + " --from 2023-01 --to 2023-02", "--region is required"},
             {"reconcile sie " + path + " --region SE-Z --from 2023-13 --to 2023-02",
              "--from '2023-13' is not a month"},
             {"reconcile sie " + path + " --region SE-Z --from 2023-03 --to 2023-02", "is after --to"},
             {"reconcile sie " + path + " --region SE-Z --from 2023-01 --to 2023-02 --format xml", "--format 'xml'"},
             {"reconcile sie --region SE-Z --from 2023-01 --to 2023-02", "say which file"},
             {"reconcile sie " + path + " --region SE-Z --from 2023-01 --to 2023-02 --lang de", "--lang 'de'"},
             {"reconcile sie " + path + " --region SE-Z --from 2023-01 --to 2023-02 --format json --lang sv",
              "--lang has no meaning for --format json"},
             {"reconcile sie /nonexistent.se --region SE-Z --from 2023-01 --to 2023-02", "/nonexistent.se"},
             {"export sie --region SE-Z", "--year is required"},
             {"export sie --region SE-Z --year 1999", "--year must be between"},
             {"export sie --region Jamtland --year 2023", "--region 'Jamtland'"},
         }) {
        const auto result = likvard(c.arguments);
        EXPECT_EQ(result.exit_code, 2) << c.arguments << "\n" << result.err;
        EXPECT_NE(result.err.find(c.message), std::string::npos) << c.arguments << "\n" << result.err;
    }
    const auto no_events = likvard("export sie --region SE-Q --year 2023");
    EXPECT_EQ(no_events.exit_code, 1);
    EXPECT_NE(no_events.err.find("its regions: SE-Z"), std::string::npos) << no_events.err;
    const auto help = run(std::string(LIKVARD_BIN) + " reconcile --help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("every month before a statement is published"), std::string::npos);
}

// The chart on its own: every listed number means an account whose number it is, unlisted
// members share 99, and nothing outside the chart gets a number.
TEST(BuiltInChart, NumbersAndAccountsRoundTrip) {
    const auto table = gl::chart_table();
    EXPECT_GT(table.size(), 200u);
    for (const auto& [number, account] : table) EXPECT_EQ(gl::chart_number(account), number) << number;
    EXPECT_EQ(gl::chart_number({"expense", "service_bought.cast_fitting"}), "4999");
    EXPECT_EQ(gl::chart_account("4999"), (gl::ChartAccount{"expense", "service_bought.*"}));
    EXPECT_EQ(gl::chart_number({"expense", "compensation.bonus"}), "4199");
    EXPECT_EQ(gl::chart_number({"asset", "compensation.capitation"}), std::nullopt);
    EXPECT_EQ(gl::chart_number({"expense", "salary.base"}), std::nullopt);
    EXPECT_EQ(gl::chart_number({"expense", "nodot"}), std::nullopt);
    for (const std::string number : {"7010", "1910", "4108", "41", "41010", "4a01", "4100"})
        EXPECT_EQ(gl::chart_account(number), std::nullopt) << number;
}

}  // namespace
