// `likvard sample` end to end: each sample region's year, every scheme, goes through `likvard check -`
// without a rejection, --out writes the same bytes as stdout, and usage errors exit 2.
#include <gtest/gtest.h>

#include <unistd.h>

#include "run.hpp"

using likvard::test::read_file;
using likvard::test::run;
using likvard::test::shell_quote;

namespace {

const std::string bin = LIKVARD_BIN;

void expect_checks_clean(const std::string& region, const std::string& years = "--year 2022") {
    // /bin/sh has no pipefail: the sample's own exit code is checked through a file.
    char status_path[] = "/tmp/likvard-e2e-sample-XXXXXX";
    close(mkstemp(status_path));
    const auto result = run("{ " + bin + " sample --region " + region + " " + years + "; echo $? > " + status_path +
                            "; } | " + bin + " check -");
    EXPECT_EQ(read_file(status_path), "0\n") << region;
    unlink(status_path);
    EXPECT_EQ(result.exit_code, 0) << region << "\n" << result.out.substr(0, 2000) << result.err;
    EXPECT_EQ(result.out, "") << region;
    EXPECT_NE(result.err.find(" 0 rejected"), std::string::npos) << result.err;
}

}  // namespace

TEST(SampleCommand, JamtlandPassesCheck) { ASSERT_NO_FATAL_FAILURE(expect_checks_clean("SE-Z")); }

TEST(SampleCommand, VasterbottenPassesCheck) { ASSERT_NO_FATAL_FAILURE(expect_checks_clean("SE-AC")); }

TEST(SampleCommand, OstergotlandPassesCheck) { ASSERT_NO_FATAL_FAILURE(expect_checks_clean("SE-E")); }

TEST(SampleCommand, ThreeYearsOfJamtlandPassCheckAsOneLedger) {
    ASSERT_NO_FATAL_FAILURE(expect_checks_clean("SE-Z", "--years 2022-2024"));
}

TEST(SampleCommand, YearsBeginWithTheBytesOfTheFirstYear) {
    const auto one = run(bin + " sample --region SE-Z --year 2022");
    const auto several = run(bin + " sample --region SE-Z --years 2022-2023");
    EXPECT_EQ(several.exit_code, 0) << several.err;
    EXPECT_EQ(several.out.substr(0, one.out.size()), one.out);
    EXPECT_GT(several.out.size(), one.out.size());
    EXPECT_NE(several.err.find("for SE-Z 2022-2023 (seed 1)"), std::string::npos) << several.err;
}

TEST(SampleCommand, BadYearsExitTwoAndNameTheOption) {
    for (const char* bad : {"2024-2022", "2022", "22-24", "2022-2040", "1999-2001", "2022-20x4"}) {
        const auto result = run(bin + " sample --region SE-Z --years " + bad);
        EXPECT_EQ(result.exit_code, 2) << bad;
        EXPECT_NE(result.err.find("--years"), std::string::npos) << bad << ": " << result.err;
    }
    const auto both = run(bin + " sample --region SE-Z --year 2022 --years 2022-2023");
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_NE(both.err.find("--years"), std::string::npos) << both.err;
    const auto sie = run(bin + " sample --region SE-Z --years 2022-2023 --format sie");
    EXPECT_EQ(sie.exit_code, 2);
    EXPECT_NE(sie.err.find("--format sie"), std::string::npos) << sie.err;
}

TEST(SampleCommand, OutWritesTheSameBytesAsStandardOutput) {
    char out_path[] = "/tmp/likvard-e2e-sample-out-XXXXXX";
    close(mkstemp(out_path));
    const auto to_file = run(bin + " sample --region SE-Z --year 2023 --seed 5 --out " + shell_quote(out_path));
    EXPECT_EQ(to_file.exit_code, 0) << to_file.err;
    EXPECT_EQ(to_file.out, "");
    const auto to_stdout = run(bin + " sample --region SE-Z --year 2023 --seed 5");
    EXPECT_EQ(to_stdout.exit_code, 0);
    EXPECT_EQ(read_file(out_path), to_stdout.out);
    EXPECT_NE(to_stdout.out, run(bin + " sample --region SE-Z --year 2023 --seed 6").out);
    unlink(out_path);
}

TEST(SampleCommand, UsageErrorsExitTwoAndNameTheOption) {
    const auto missing_region = run(bin + " sample --year 2022");
    EXPECT_EQ(missing_region.exit_code, 2);
    EXPECT_NE(missing_region.err.find("--region"), std::string::npos) << missing_region.err;
    const auto bad_region = run(bin + " sample --region SE-X --year 2022");
    EXPECT_EQ(bad_region.exit_code, 2);
    EXPECT_NE(bad_region.err.find("--region"), std::string::npos) << bad_region.err;
    const auto missing_year = run(bin + " sample --region SE-Z");
    EXPECT_EQ(missing_year.exit_code, 2);
    EXPECT_NE(missing_year.err.find("--year"), std::string::npos) << missing_year.err;
    EXPECT_EQ(run(bin + " sample --region SE-Z --year 1850").exit_code, 2);
    EXPECT_EQ(run(bin + " sample --region SE-Z --year twenty").exit_code, 2);
    const auto bad_seed = run(bin + " sample --region SE-Z --year 2022 --seed -3");
    EXPECT_EQ(bad_seed.exit_code, 2);
    EXPECT_NE(bad_seed.err.find("--seed"), std::string::npos) << bad_seed.err;
    EXPECT_EQ(run(bin + " sample --region SE-Z --year 2022 --bogus").exit_code, 2);
    EXPECT_EQ(run(bin + " sample --region SE-Z --year 2022 extra").exit_code, 2);
}

TEST(SampleCommand, AnUnwritableOutIsAFailureOfTheWork) {
    const auto result = run(bin + " sample --region SE-Z --year 2022 --out /no/such/dir/sample.ndjson");
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("/no/such/dir/sample.ndjson"), std::string::npos) << result.err;
}

TEST(SampleCommand, HelpNamesTheRegionsAndExitCodes) {
    const auto help = run(bin + " sample --help");
    EXPECT_EQ(help.exit_code, 0);
    for (const char* named :
         {"SE-Z  Region Jämtland Härjedalen", "SE-AC Region Västerbotten", "SE-E  Region Östergötland", "primary_care",
          "dental_child_youth", "foot_care", "physiotherapy", "Exit codes"})
        EXPECT_NE(help.out.find(named), std::string::npos) << named;
    EXPECT_NE(run(bin + " --help").out.find("sample"), std::string::npos);
}
