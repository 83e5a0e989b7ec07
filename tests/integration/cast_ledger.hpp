// A fresh database (DatabaseTest) holding the standard cast and two payments, 16 events:
// the ledger the append-only and the role tests try to change.
#pragma once

#include <string>
#include <vector>

#include "database.hpp"
#include "event_builder.hpp"

namespace likvard::test {

inline constexpr std::size_t cast_ledger_events = 16;

class CastLedgerTest : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        std::vector<std::string> lines = cast();
        lines.push_back(payment(1, "hc-lugnvik", "100.00"));
        lines.push_back(payment(2, "hc-medinord", "200.00"));
        ASSERT_EQ(append_lines(lines), cast_ledger_events);
    }
};

}  // namespace likvard::test
