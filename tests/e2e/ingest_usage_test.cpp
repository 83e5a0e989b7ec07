// `likvard-ingest run` as a user starts it: without brokers it is a usage error naming
// both ways to give them (the embedded broker only when asked for by name).
#include <gtest/gtest.h>

#include "run.hpp"

using likvard::test::run;

namespace {

const std::string bin = LIKVARD_INGEST_BIN;

}  // namespace

TEST(IngestRun, WithoutBrokersIsAUsageErrorNamingTheOptionAndTheVariable) {
    // A database URL that is never connected to: the usage error comes first.
    const auto result =
        run("env -u LIKVARD_KAFKA_BROKERS " + bin + " run --database-url postgresql://nobody@127.0.0.1:1/none");
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find("--brokers"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("$LIKVARD_KAFKA_BROKERS"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("--brokers embedded"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("embedded broker listening"), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");
}

TEST(IngestRun, AnEmptyBrokersVariableIsNoBrokers) {
    const auto result =
        run("LIKVARD_KAFKA_BROKERS= " + bin + " run --database-url postgresql://nobody@127.0.0.1:1/none");
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find("no brokers"), std::string::npos) << result.err;
}

TEST(IngestRun, TheHelpSaysRunNeedsBrokers) {
    const auto result = run(bin + " --help");
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_NE(result.out.find("run needs one of the two"), std::string::npos) << result.out;
}
