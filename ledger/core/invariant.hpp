// Invariants that stay checked in every build, Release included: a cheap condition that
// must hold whatever the input (postings balance, a split's parts sum to the whole, seq
// follows seq). A violation is a defect, never bad input: it throws InvariantViolation,
// so the transaction at hand rolls back and nothing half-done reaches the ledger.
// Bad input is a Rejection or an error value, never this.
#pragma once

#include <stdexcept>
#include <string>

namespace likvard {

struct InvariantViolation : std::logic_error {
    using std::logic_error::logic_error;
};

[[noreturn]] inline void invariant_failed(const char* condition, const char* file, int line, const std::string& what) {
    throw InvariantViolation(std::string("invariant violated at ") + file + ":" + std::to_string(line) + ": " +
                             condition + (what.empty() ? "" : " (" + what + ")"));
}

}  // namespace likvard

// LIKVARD_INVARIANT(condition, what): `what` (a std::string expression) is built only on failure.
#define LIKVARD_INVARIANT(condition, what)                                                  \
    do {                                                                                    \
        if (!(condition)) [[unlikely]]                                                      \
            ::likvard::invariant_failed(#condition, __FILE__, __LINE__, std::string(what)); \
    } while (false)
