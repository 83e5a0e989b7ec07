// `likvard import sie` as finance staff run it each month, on real PostgreSQL: the region's
// small invented general ledger of tests/data/sie/region-2023-05.se through its mapping and
// party map, and one real program's export (../shared/data/sie, skipped where absent).
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"
#include "sie_test_support.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

#include <boost/json.hpp>

#include "money/money.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

const std::string data_dir = LIKVARD_SOURCE_DIR "/tests/data/sie/";
const std::string gl_file = data_dir + "region-2023-05.se";
const std::string mapping = data_dir + "region-mapping.csv";
const std::string parties = data_dir + "region-parties.csv";

// The totals table the import prints: account -> rows, total, mapped, ignored, unmatched (öre).
std::map<std::string, std::array<std::int64_t, 5>> totals_of(const std::string& out) {
    std::map<std::string, std::array<std::int64_t, 5>> totals;
    const std::regex row("^([0-9]+);([0-9]+);(-?[0-9.]+);(-?[0-9.]+);(-?[0-9.]+);(-?[0-9.]+)$");
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (!std::regex_match(line, m, row)) continue;
        const auto ore = [&](int i) { return Money::parse(m[i].str()).value->ore(); };
        totals[m[1].str()] = {std::stoll(m[2].str()), ore(3), ore(4), ore(5), ore(6)};
    }
    return totals;
}

// What `likvard sie check` sums per account, computed by the reader apart from the import.
std::map<std::string, std::int64_t> check_sums(const std::string& path) {
    const auto check = run(std::string(LIKVARD_BIN) + " sie check --format json " + shell_quote(path));
    const boost::json::value report = boost::json::parse(check.out);
    std::map<std::string, std::int64_t> sums;
    for (const auto& [account, sum] : report.at("trans_sum_by_account").as_object())
        sums[std::string(account)] = Money::parse(std::string(sum.as_string())).value->ore();
    return sums;
}

void expect_totals_add_up(const std::string& out, const std::string& path) {
    const auto totals = totals_of(out);
    ASSERT_FALSE(totals.empty()) << out;
    std::map<std::string, std::int64_t> file_totals;
    for (const auto& [account, t] : totals) {
        EXPECT_EQ(t[1], t[2] + t[3] + t[4]) << "account " << account;
        file_totals[account] = t[1];
    }
    EXPECT_EQ(file_totals, check_sums(path));
}

class ImportSie : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        dir =
            std::filesystem::temp_directory_path() / ("likvard-import-" + std::to_string(getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir);
    }
    void TearDown() override {
        std::filesystem::remove_all(dir);
        DatabaseTest::TearDown();
    }
    RunResult import(const std::string& file, const std::string& map, const std::string& extra = "") {
        return run(std::string(LIKVARD_BIN) + " import sie " + shell_quote(file) + " --mapping " + shell_quote(map) +
                   " --party-map " + shell_quote(parties) + " --region SE-Z --append " + extra + " --database-url " +
                   shell_quote(url));
    }
    std::string write(const std::string& name, const std::string& bytes) {
        const std::string path = (dir / name).string();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    std::filesystem::path dir;
};

TEST_F(ImportSie, ImportingTheSameFileTwiceAppendsItOnce) {
    const auto first = import(gl_file, mapping);
    EXPECT_EQ(first.exit_code, 1) << first.out << first.err;  // the file has one row the mapping refuses
    EXPECT_NE(first.out.find("appended 11, duplicates 0, rejected 0"), std::string::npos) << first.out << first.err;
    const std::int64_t events = count("SELECT count(*) FROM ledger.events");
    EXPECT_EQ(events, 11);
    const auto second = import(gl_file, mapping);
    EXPECT_NE(second.out.find("appended 0, duplicates 7, rejected 0"), std::string::npos)
        << second.out;  // the parties are there now
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), events);
    // every row's event says where in the books it comes from
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE type = 'payment.made' AND convert_from(canonical, "
                    "'UTF8')::jsonb #>> '{source,reference}' = 'A 3/2 Besöksersättning maj'"),
              1);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE convert_from(canonical, 'UTF8')::jsonb #>> "
                    "'{source,system}' <> 'Raindance'"),
              0);
}

TEST_F(ImportSie, ARowTheMappingCannotPlaceIsListedAndWrittenNotGuessed) {
    const std::string unmatched = (dir / "omatchade.csv").string();
    const auto result = import(gl_file, mapping, "--unmatched " + shell_quote(unmatched));
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.out.find("line 42: unmatched 4511 {1 \"2310\"} -500.00 (A 4 2023-05-31): a credit, but mapping "
                              "line 2 wants a debit"),
              std::string::npos)
        << result.out;
    EXPECT_EQ(read_file(unmatched),
              "line;series;number;date;account;objects;amount;text;why\n"
              "42;A;4;2023-05-31;4511;\"{1 \"\"2310\"\"}\";-500.00;Rättelse vårdpeng;a credit, but mapping line 2 "
              "wants a debit\n");
    // the correction is not a negative payment: no event has it
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE convert_from(canonical, 'UTF8')::jsonb #>> "
                    "'{source,reference}' LIKE 'A 4/%'"),
              0);
}

TEST_F(ImportSie, PerAccountMappedIgnoredAndUnmatchedMakeTheFilesTotal) {
    const auto result = import(gl_file, mapping);
    expect_totals_add_up(result.out, gl_file);
    const auto totals = totals_of(result.out);
    EXPECT_EQ(totals.at("4511")[4], -50000);    // the refused correction, in öre
    EXPECT_EQ(totals.at("5011")[3], 61000000);  // salaries: ignored
    EXPECT_NE(result.out.find("rows: 7 mapped, 9 ignored, 1 unmatched"), std::string::npos) << result.out;
}

TEST_F(ImportSie, PartiesTheLedgerLacksAreRegisteredBeforeTheirFirstEvent) {
    // The purchaser is in the ledger already: it is not registered again.
    ASSERT_EQ(append_lines({party(1, "halsoval-bestallare", "organisation", "purchaser")}), 1u);
    import(gl_file, mapping);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE type = 'party.registered'"), 4);
    const auto late = query(
        "SELECT p.canonical FROM ledger.events p WHERE p.type = 'party.registered' AND EXISTS (SELECT 1 FROM "
        "ledger.postings x WHERE x.party = convert_from(p.canonical, 'UTF8')::jsonb #>> '{data,party_id}' "
        "AND x.seq < p.seq)");
    EXPECT_EQ(late.size(), 0u) << "a party was registered after an event that names it";
    const auto are = query(
        "SELECT convert_from(canonical, 'UTF8')::jsonb -> 'data' FROM ledger.events "
        "WHERE type = 'party.registered' AND canonical::text LIKE '%' AND "
        "convert_from(canonical, 'UTF8')::jsonb #>> '{data,party_id}' = 'hc-are'");
    ASSERT_EQ(are.size(), 1u);
    const auto data = boost::json::parse(are[0][0].as<std::string>()).as_object();
    EXPECT_EQ(data.at("name").as_string(), "Hälsocentralen Åre");
    EXPECT_EQ(data.at("side").as_string(), "region_run");
    EXPECT_EQ(data.at("area").as_string(), "Åre");
}

TEST_F(ImportSie, ABadMappingImportsNothing) {
    const std::string bad = write("mapping.csv", read_file(mapping) + "4999;;;plus;ignore;;;;;;;;;;\n");
    const auto result = import(gl_file, bad);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("mapping.csv: line 11, column 4 (sign): 'plus' is not debit or credit"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("nothing imported"), std::string::npos);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0);
}

TEST_F(ImportSie, ABadPartyMapImportsNothing) {
    const auto result = run(std::string(LIKVARD_BIN) + " import sie " + gl_file + " --mapping " + mapping +
                            " --party-map " + shell_quote(write("parter.csv", "party_id;name;kind;side\nX;Y;z;w\n")) +
                            " --region SE-Z --append --database-url " + shell_quote(url));
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("parter.csv: line 2, column 1 (party_id)"), std::string::npos) << result.err;
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 0);
}

TEST_F(ImportSie, AFileWithAProblemIsRefusedWithItsProblemsListed) {
    std::string bytes = read_file(gl_file);
    const std::string row = "#TRANS 4512 {1 \"2150\"} 39000.00";
    bytes.replace(bytes.find(row), row.size(), "#TRANS 4512 {1 \"2150\"} 39000.01");
    const auto result = import(write("obalanserad.se", bytes), mapping);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("A 3"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("refused, nothing imported"), std::string::npos) << result.err;
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events"), 0);
}

TEST_F(ImportSie, UsageErrors) {
    const std::string bin = std::string(LIKVARD_BIN) + " import ";
    EXPECT_EQ(run(bin + "sie " + gl_file + " --mapping " + mapping + " --region SE-Z").exit_code, 2);  // no target
    EXPECT_EQ(run(bin + "sie " + gl_file + " --mapping " + mapping + " --region SE-Z --append --out x").exit_code, 2);
    EXPECT_EQ(run(bin + "sie " + gl_file + " --region SE-Z --out x").exit_code, 2);  // no mapping
    EXPECT_EQ(
        run(bin + "sie /nonexistent.se --mapping " + mapping + " --party-map " + parties + " --region SE-Z --out x")
            .exit_code,
        2);
    EXPECT_EQ(run(bin + "sie " + gl_file + " --mapping /nonexistent.csv --region SE-Z --out x").exit_code, 2);
    EXPECT_EQ(run(bin + "sie " + gl_file + " --mapping " + mapping + " --region sez --out x").exit_code, 2);
    const auto mapping_needs_parties = run(bin + "sie " + gl_file + " --mapping " + mapping + " --region SE-Z --out x");
    EXPECT_EQ(mapping_needs_parties.exit_code, 1);
    EXPECT_NE(mapping_needs_parties.err.find("--party-map"), std::string::npos) << mapping_needs_parties.err;
    const auto csv = run(bin + "csv x.csv");  // the spreadsheet import, reached through the same command
    EXPECT_EQ(csv.exit_code, 2);
    EXPECT_NE(csv.err.find("--type is required"), std::string::npos) << csv.err;
    EXPECT_EQ(run(bin + "xml").exit_code, 2);
}

// ---- --out: NDJSON that `likvard check` accepts, no database needed ----------------------

TEST_F(ImportSie, TheNdjsonOutPassesCheck) {
    const std::string out = (dir / "events.ndjson").string();
    const auto result = run(std::string(LIKVARD_BIN) + " import sie " + gl_file + " --mapping " + mapping +
                            " --party-map " + parties + " --region SE-Z --out " + shell_quote(out));
    EXPECT_EQ(result.exit_code, 1) << result.err;  // the one unmatched row
    const auto check = run(std::string(LIKVARD_BIN) + " check " + shell_quote(out));
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_NE((check.out + check.err).find("11 accepted, 0 duplicates, 0 rejected"), std::string::npos) << check.err;
    // the same file, the same bytes
    const std::string again = (dir / "again.ndjson").string();
    run(std::string(LIKVARD_BIN) + " import sie " + gl_file + " --mapping " + mapping + " --party-map " + parties +
        " --region SE-Z --out " + shell_quote(again));
    EXPECT_EQ(read_file(out), read_file(again));
}

TEST_F(ImportSie, ARealProgramsExportWithRepeatedVerificationNumbers) {
    const auto data = likvard::sie::test::sie_data();
    if (data.empty()) GTEST_SKIP() << "the real SIE files are absent: no shared/data/sie beside the checkout";
    const std::string file = (data / "BL0001_typ4.SE").string();
    // BL Administration numbers verifications of one series alike: the ids must still differ.
    const std::string map = write("bl.csv",
                                  "account;sign;type;scheme;component;payer_id;provider_id\n"
                                  "3000-3999;credit;payment.made;primary_care;capitation;bestallare;hc-a\n"
                                  "1000-2999;;ignore;;;;\n"
                                  "4000-8999;;ignore;;;;\n");
    const std::string party_map = write("bl-parter.csv",
                                        "party_id;name;kind;side;provider_type\n"
                                        "bestallare;Beställaren;organisation;purchaser;\n"
                                        "hc-a;HC A;provider;private;health_centre\n");
    const auto result = run(std::string(LIKVARD_BIN) + " import sie " + shell_quote(file) + " --mapping " + map +
                            " --party-map " + party_map + " --region SE-Z --append --database-url " + shell_quote(url));
    expect_totals_add_up(result.out, file);
    EXPECT_EQ(count("SELECT count(*) FROM ledger.rejections"), 0) << result.out;
    const auto mapped = std::regex_search(result.out, std::regex("rows: [1-9][0-9]* mapped"));
    EXPECT_TRUE(mapped) << result.out;
    EXPECT_EQ(count("SELECT count(*) FROM ledger.events WHERE type = 'payment.made'") + 2,
              count("SELECT count(*) FROM ledger.events"));
}

}  // namespace

// ---- reconcile sie --mapping: the round trip ---------------------------------------------

namespace {

std::string without_correction(std::string bytes) {
    const std::string cp437 = "#VER A 4 20230531 \"R\x84ttelse v\x86rdpeng\"";
    const auto at = bytes.find(cp437);
    EXPECT_NE(at, std::string::npos);
    if (at == std::string::npos) return bytes;
    const auto end = bytes.find("}\r\n", at) + 3;
    return bytes.erase(at, end - at);
}

std::string replaced(std::string bytes, const std::string& from, const std::string& to) {
    const auto at = bytes.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? bytes : bytes.replace(at, from.size(), to);
}

}  // namespace

TEST_F(ImportSie, ReconcilingTheImportedFileThroughItsMappingFindsNothingDifferent) {
    const std::string file = write("huvudbok.se", without_correction(read_file(gl_file)));
    const auto imported = import(file, mapping);
    ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
    const auto reconcile = [&](const std::string& path, const std::string& map) {
        return run(std::string(LIKVARD_BIN) + " reconcile sie " + shell_quote(path) + " --mapping " + shell_quote(map) +
                   " --party-map " + shell_quote(parties) +
                   " --region SE-Z --from 2023-05 --to 2023-05 --format json --database-url " +
                   shell_quote(reader_url));
    };
    const auto same = reconcile(file, mapping);
    EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
    const auto report = boost::json::parse(same.out).as_object();
    EXPECT_TRUE(report.at("agrees").as_bool()) << same.out;
    EXPECT_EQ(report.at("totals").at("gl").at("rows").as_int64(), 7);          // the mapped rows
    EXPECT_EQ(report.at("totals").at("gl_ignored").at("rows").as_int64(), 8);  // the rest of the file
    // the other side of each event (the providers' income, the bearer's settlement) is left out
    EXPECT_EQ(report.at("totals").at("ledger_left_out").at("rows").as_int64(), 7);

    // 100.00 more on one row, and on its verification's other row so that it stays balanced
    std::string bytes =
        replaced(read_file(file), "#TRANS 4512 {1 \"2150\"} 39000.00", "#TRANS 4512 {1 \"2150\"} 39100.00");
    bytes = replaced(bytes, "#TRANS 2440 {} -80000.00", "#TRANS 2440 {} -80100.00");
    const auto changed = reconcile(write("andrad.se", bytes), mapping);
    EXPECT_EQ(changed.exit_code, 1) << changed.out << changed.err;
    const auto differs = boost::json::parse(changed.out).as_object();
    ASSERT_EQ(differs.at("differences").as_array().size(), 1u) << changed.out;
    const auto& d = differs.at("differences").as_array()[0].as_object();
    EXPECT_EQ(d.at("scheme").as_string(), "primary_care");
    EXPECT_EQ(d.at("month").as_string(), "2023-05");
    EXPECT_EQ(d.at("party").as_string(), "halsoval-bestallare");
    EXPECT_EQ(d.at("account_class").as_string(), "expense");
    EXPECT_EQ(d.at("item").as_string(), "compensation.variable");
    EXPECT_EQ(d.at("gl").as_string(), "80100.00");
    EXPECT_EQ(d.at("ledger").as_string(), "80000.00");
    EXPECT_EQ(d.at("difference").as_string(), "100.00");
    // of the key's rows and events, the changed row and its event are the ones left unpaired
    ASSERT_EQ(d.at("gl_unpaired").as_array().size(), 1u) << changed.out;
    EXPECT_EQ(d.at("gl_unpaired").as_array()[0].at("amount").as_string(), "39100.00");
    ASSERT_EQ(d.at("ledger_unpaired").as_array().size(), 1u) << changed.out;
    EXPECT_EQ(d.at("ledger_unpaired").as_array()[0].at("amount").as_string(), "39000.00");

    // the same report as a workbook: the amounts are numeric cells
    const std::string xlsx = (dir / "avstamning.xlsx").string();
    const auto workbook = run(std::string(LIKVARD_BIN) + " reconcile sie " + shell_quote((dir / "andrad.se").string()) +
                              " --mapping " + shell_quote(mapping) + " --party-map " + shell_quote(parties) +
                              " --region SE-Z --from 2023-05 --to 2023-05 --format xlsx --out " + shell_quote(xlsx) +
                              " --database-url " + shell_quote(reader_url));
    EXPECT_EQ(workbook.exit_code, 1) << workbook.err;
    const auto sheet = run("unzip -p " + shell_quote(xlsx) + " xl/worksheets/sheet2.xml");
    EXPECT_NE(sheet.out.find("<v>80100</v>"), std::string::npos) << sheet.out;
    EXPECT_NE(sheet.out.find("<v>100</v>"), std::string::npos) << sheet.out;

    // a bad mapping reconciles nothing
    const auto bad = reconcile(file, write("fel.csv", "account;type\n4511;nothing\n"));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("fel.csv: line 2, column 2 (type)"), std::string::npos) << bad.err;
    EXPECT_TRUE(bad.out.empty());
}
