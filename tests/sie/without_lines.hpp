// A read SIE document without its line numbers (positions in one file, not content), so
// that two readings of the same records compare equal: the writer's round trip in the
// tests and in the fuzz target.
#pragma once

#include "sie/sie.hpp"

namespace likvard::sie::test {

inline SieDocument without_lines(SieDocument d) {
    for (auto& year : d.rar) year.line = 0;
    for (auto& [number, account] : d.accounts) account.line = 0;
    for (auto& [number, dimension] : d.dimensions) dimension.line = 0;
    for (auto& [key, object] : d.objects) object.line = 0;
    for (auto* balances : {&d.ib, &d.ub, &d.oib, &d.oub, &d.res})
        for (auto& b : *balances) b.line = 0;
    for (auto* balances : {&d.psaldo, &d.pbudget})
        for (auto& b : *balances) b.line = 0;
    for (auto& v : d.verifications) {
        v.line = 0;
        for (auto& row : v.rows) row.line = row.companion_line = 0;
    }
    return d;
}

}  // namespace likvard::sie::test
