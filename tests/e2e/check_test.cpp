// `likvard check` end to end on tests/data/check/: valid files pass, each bad file is
// rejected on exactly the lines and with exactly the reason codes its .expected lists.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "run.hpp"

namespace fs = std::filesystem;
using likvard::test::run;
using likvard::test::shell_quote;

namespace {

const std::string bin = LIKVARD_BIN;
const fs::path data = fs::path(LIKVARD_TEST_DATA) / "check";

using Rejected = std::set<std::tuple<int, std::string, std::string, std::string>>;  // line, id, reason, message

// "line N: <id> <reason>: <message>" -> (N, id, reason, message)
Rejected parse_output(const std::string& out) {
    Rejected rejected;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("line ", 0) != 0) continue;
        std::istringstream fields(line.substr(5));
        int number = 0;
        std::string id, reason, message;
        char colon = 0;
        fields >> number >> colon >> id >> reason;
        if (!reason.empty() && reason.back() == ':') reason.pop_back();
        std::getline(fields >> std::ws, message);
        rejected.emplace(number, id, reason, message);
    }
    return rejected;
}

// "<line> <event_id> <reason_code> <message>" per line (tests/data/check/README.md)
Rejected parse_expected(const fs::path& path) {
    Rejected expected;
    std::istringstream lines(likvard::test::read_file(path.string()));
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        int number = 0;
        std::string id, reason, message;
        if (!(fields >> number >> id >> reason)) continue;
        std::getline(fields >> std::ws, message);
        expected.emplace(number, id, reason, message);
    }
    return expected;
}

std::vector<fs::path> files_in(const fs::path& dir, const std::string& extension) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == extension) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST(Check, EveryValidFilePasses) {
    const auto files = files_in(data / "valid", ".ndjson");
    ASSERT_GE(files.size(), 12u) << "one valid file per event type";
    for (const auto& file : files) {
        const auto result = run(bin + " check " + shell_quote(file.string()));
        EXPECT_EQ(result.exit_code, 0) << file << "\n" << result.out << result.err;
        EXPECT_EQ(result.out, "") << file;
    }
}

TEST(Check, TheExamplesOfTheContractPass) {
    const auto result = run(bin + " check " + shell_quote((data / "events-md-examples.ndjson").string()));
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(Check, EachBadFileIsRejectedWithTheExpectedReasons) {
    const auto files = files_in(data / "bad", ".ndjson");
    std::set<std::string> reasons_seen;
    for (const auto& file : files) {
        const auto result = run(bin + " check " + shell_quote(file.string()));
        EXPECT_EQ(result.exit_code, 1) << file;
        auto expected_path = file;
        expected_path.replace_extension(".expected");
        const Rejected expected = parse_expected(expected_path);
        EXPECT_FALSE(expected.empty()) << expected_path;
        EXPECT_EQ(parse_output(result.out), expected) << file << "\n" << result.out;
        for (const auto& row : expected) reasons_seen.insert(std::get<2>(row));
    }
    const std::set<std::string> all_reasons{
        "malformed_json",     "schema_violation", "unknown_type",    "unsupported_schema_version",
        "unknown_party",      "wrong_side",       "amount_mismatch", "period_closed",
        "duplicate_conflict", "reversal_invalid", "too_large"};
    EXPECT_EQ(reasons_seen, all_reasons);
}

TEST(Check, PostingsAreJsonLinesThatBalancePerEvent) {
    const auto result = run(bin + " check --postings " + shell_quote((data / "events-md-examples.ndjson").string()));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::map<std::string, std::int64_t> sum_by_event;
    std::istringstream lines(result.out);
    std::string line;
    std::size_t count = 0;
    while (std::getline(lines, line)) {
        const auto row = boost::json::parse(line).as_object();
        const std::string amount(row.at("amount").as_string());
        // "-1874512.40" -> öre, without floating point
        const bool negative = amount[0] == '-';
        const std::string digits = amount.substr(negative ? 1 : 0);
        const auto dot = digits.find('.');
        const std::int64_t ore = std::stoll(digits.substr(0, dot)) * 100 + std::stoll(digits.substr(dot + 1));
        sum_by_event[std::string(row.at("event_id").as_string())] += negative ? -ore : ore;
        EXPECT_EQ(std::string(row.at("account").as_string()), std::string(row.at("party").as_string()) + ":" +
                                                                  std::string(row.at("class").as_string()) + ":" +
                                                                  std::string(row.at("item").as_string()));
        ++count;
    }
    EXPECT_GE(count, 4u);  // the payment (2) and the shared cost (at least 4)
    EXPECT_EQ(sum_by_event.size(), 2u);
    for (const auto& [event, sum] : sum_by_event) EXPECT_EQ(sum, 0) << event;
}

// Golden postings: tests/data/postings/<type>.ndjson is what `check --postings` prints for
// tests/data/check/valid/<type>.ndjson, byte for byte (reviewed against the account chart).
TEST(Check, ThePostingsOfEachTypeAreTheGoldenFile) {
    const auto files = files_in(data / "valid", ".ndjson");
    ASSERT_GE(files.size(), 12u);
    for (const auto& file : files) {
        const auto golden = data.parent_path() / "postings" / file.filename();
        ASSERT_TRUE(fs::exists(golden)) << "no golden postings for " << file.filename();
        const auto result = run(bin + " check --postings " + shell_quote(file.string()));
        EXPECT_EQ(result.exit_code, 0) << file << result.err;
        EXPECT_EQ(result.out, likvard::test::read_file(golden.string()))
            << "postings of " << file.filename() << " differ from " << golden;
    }
}

TEST(Check, ReadsStandardInput) {
    const auto result = run("printf 'not json\\n' | " + bin + " check -");
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out.substr(0, 30), "line 1: - malformed_json: (mes");
}

TEST(Check, UsageErrorsExitTwo) {
    EXPECT_EQ(run(bin + " check").exit_code, 2);
    EXPECT_EQ(run(bin + " check --bogus x").exit_code, 2);
    EXPECT_EQ(run(bin + " check /no/such/file").exit_code, 2);
    EXPECT_EQ(run(bin + " no-such-command").exit_code, 2);
    EXPECT_EQ(run(bin).exit_code, 2);
    const auto help = run(bin + " check --help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Exit codes"), std::string::npos);
}
