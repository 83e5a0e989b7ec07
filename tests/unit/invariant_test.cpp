// LIKVARD_INVARIANT: on in every build, throws with where and what, builds its text only
// when the condition fails.
#include <gtest/gtest.h>

#include "core/invariant.hpp"

namespace {

int built = 0;
std::string counted_text() {
    ++built;
    return "the reason";
}

}  // namespace

TEST(Invariant, HoldsSilentlyAndBuildsNoText) {
    built = 0;
    LIKVARD_INVARIANT(1 + 1 == 2, counted_text());
    EXPECT_EQ(built, 0);
}

TEST(Invariant, AViolationThrowsNamingTheConditionTheFileAndTheReason) {
    built = 0;
    try {
        LIKVARD_INVARIANT(1 + 1 == 3, counted_text());
        FAIL() << "no exception";
    } catch (const likvard::InvariantViolation& violation) {
        const std::string what = violation.what();
        EXPECT_NE(what.find("invariant_test.cpp:"), std::string::npos) << what;
        EXPECT_NE(what.find("1 + 1 == 3 (the reason)"), std::string::npos) << what;
    }
    EXPECT_EQ(built, 1);
}
