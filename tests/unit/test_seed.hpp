// Seeds that replay: every randomised test takes its seed from $LIKVARD_TEST_SEED when it is
// set (ops/test sets one per run and prints it), else from its own fixed default, and names
// the command that replays a failure.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace likvard::test {

inline std::uint64_t test_seed(std::uint64_t fixed_default) {
    const char* given = std::getenv("LIKVARD_TEST_SEED");
    if (given == nullptr || *given == '\0') return fixed_default;
    char* end = nullptr;
    const unsigned long long seed = std::strtoull(given, &end, 10);
    if (*end != '\0') throw std::runtime_error(std::string("LIKVARD_TEST_SEED is not a whole number: ") + given);
    return seed;
}

// "seed N; replay: LIKVARD_TEST_SEED=N ctest --preset debug -R '<suite>.<test>'"
inline std::string replay_hint(std::uint64_t seed) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string name =
        info == nullptr ? std::string() : std::string(info->test_suite_name()) + "." + info->name();
    return "seed " + std::to_string(seed) + "; replay: LIKVARD_TEST_SEED=" + std::to_string(seed) +
           " ctest --preset debug -R '" + name + "'";
}

}  // namespace likvard::test
