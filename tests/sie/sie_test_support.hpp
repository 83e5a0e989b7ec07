// Helpers for the SIE tests: a valid file head, reading text, finding a problem.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "sie/sie.hpp"

namespace likvard::sie::test {

// The real SIE files: $LIKVARD_SIE_DATA, else shared/data/sie beside the checkout (in CI
// ../shared/data/sie) or beside one of its parents (a worktree one level deeper). Empty
// when there is none.
inline std::filesystem::path sie_data() {
    namespace fs = std::filesystem;
    if (const char* given = std::getenv("LIKVARD_SIE_DATA"); given != nullptr && *given != '\0') return given;
    for (fs::path dir = fs::path(LIKVARD_SOURCE_DIR).parent_path(); !dir.empty(); dir = dir.parent_path()) {
        if (fs::is_directory(dir / "shared" / "data" / "sie")) return dir / "shared" / "data" / "sie";
        if (dir == dir.root_path()) break;
    }
    return {};
}

// Six lines: a body appended to it starts on line 7.
inline constexpr std::string_view head =
    "#FLAGGA 0\n#PROGRAM \"Testprogram\" 1.0\n#FORMAT PC8\n#GEN 20240131 \"Kim\"\n#SIETYP 4\n#FNAMN \"Bolaget AB\"\n";
inline constexpr std::size_t body_line = 7;

inline ReadResult read_body(std::string_view body, ReadOptions options = {}) {
    return read_sie(std::string(head) + std::string(body), options);
}

inline std::string describe(const ReadResult& result) {
    std::string text;
    for (const Problem& p : result.problems)
        text += "  line " + std::to_string(p.line) + ": " + p.record + ": " + p.message + "\n";
    return text.empty() ? "  (no problems)\n" : text;
}

// The problem on `line` with `record` whose message contains `part`.
inline ::testing::AssertionResult has_problem(const ReadResult& result, std::size_t line, std::string_view record,
                                              std::string_view part) {
    for (const Problem& p : result.problems)
        if (p.line == line && p.record == record && p.message.find(part) != std::string::npos)
            return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no problem on line " << line << " " << record << " containing '" << part
                                         << "'; the problems:\n"
                                         << describe(result);
}

inline ::testing::AssertionResult has_note(const ReadResult& result, std::size_t line, std::string_view part) {
    for (const Problem& n : result.notes)
        if (n.line == line && n.message.find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no note on line " << line << " containing '" << part << "'";
}

// The document without line numbers (positions in one file, not content).
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
