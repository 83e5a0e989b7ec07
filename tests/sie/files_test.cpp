// The real SIE files of ../shared/data/sie (several programs' exports, MIT licence, read
// in place, never copied here): each parses with the counts an independent reader finds,
// and each CP437 one comes back the same through the writer. Skipped, saying why, where
// the folder is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "sie_test_support.hpp"

namespace fs = std::filesystem;

namespace likvard::sie {
namespace {

const fs::path data = test::sie_data();

#define SKIP_WITHOUT_DATA()                                                                        \
    if (data.empty())                                                                              \
    GTEST_SKIP() << "the real SIE files are absent: no shared/data/sie beside " LIKVARD_SOURCE_DIR \
                    " or its parents, and LIKVARD_SIE_DATA is not set"

// Counted in the files themselves with grep (grep -a -c '^[[:space:]]*#VER' FILE, and the
// same for #TRANS, #KONTO, #OBJEKT and #DIM/#UNDERDIM); they agree with the folder's
// README. #TRANS lines are the booked rows: each #RTRANS has its #TRANS, counted once.
struct Expected {
    std::string file;
    std::string program;
    std::size_t accounts;
    std::size_t dimensions;
    std::size_t objects;
    std::size_t verifications;
    std::size_t rows;
    std::size_t unbalanced;
};

const std::vector<Expected> files = {
    {"BL0001_typ4.SE", "BL Administration", 117, 3, 23, 84, 405, 0},
    {"SIE4_Exempelfil_med_underdim.SE", "Visma Administration 2000 med Visma Integration", 530, 4, 39, 295, 1330, 0},
    {"Sie4.si", "Fortnox Bokföring", 133, 2, 3, 165, 869, 0},
    {"live2011.se", "Visma Avendo eEkonomi", 85, 0, 0, 3, 12, 0},
    {"magenta_bokföring_SIE4E.se", "Magenta Bokföring", 136, 0, 0, 19, 84, 0},
    {"magenta_bokföring_SIE4I.se", "Magenta Bokföring", 136, 0, 0, 19, 84, 0},
    {"transaktioner_ovnbolag.se", "Avendo", 567, 3, 14, 163, 671, 0},
    {"transaktioner_ovnbolag-bad-balance.se", "Avendo", 567, 3, 14, 163, 671, 1},
};

std::size_t booked_rows(const SieDocument& d) {
    std::size_t rows = 0;
    for (const auto& v : d.verifications)
        for (const auto& r : v.rows) rows += r.booked();
    return rows;
}

ReadResult read_data(const std::string& file) {
    const FileRead read = read_sie_file(data / file);
    EXPECT_FALSE(read.error) << *read.error;
    return read.result;
}

TEST(SieFiles, EveryFileParsesWithTheCountsOfAnIndependentReader) {
    SKIP_WITHOUT_DATA();
    for (const Expected& e : files) {
        SCOPED_TRACE(e.file);
        const ReadResult r = read_data(e.file);
        EXPECT_EQ(r.problems_total, e.unbalanced) << test::describe(r);
        EXPECT_EQ(r.document.sie_type(), 4);
        EXPECT_EQ(r.document.program, e.program);
        EXPECT_EQ(r.document.accounts.size(), e.accounts);
        EXPECT_EQ(r.document.dimensions.size(), e.dimensions);
        EXPECT_EQ(r.document.objects.size(), e.objects);
        EXPECT_EQ(r.document.verifications.size(), e.verifications);
        EXPECT_EQ(booked_rows(r.document), e.rows);
        EXPECT_EQ(unbalanced_verifications(r.document).size(), e.unbalanced);
        EXPECT_TRUE(r.unknown_records.empty());
    }
}

// Each sum computed from the file with an awk script that adds up the amounts of the
// #TRANS lines of one account in whole öre (no floating point), e.g. for 1910:
//   awk '/^[ \t]*#TRANS[ \t]/ { l=$0; sub(/\{[^}]*\}/, " ", l); split(l, f, /[ \t]+/); i=1;
//        while (f[i]=="") i++; if (f[i+1]!="1910") next; a=f[i+2]; s=1;
//        if (substr(a,1,1)=="-") { s=-1; a=substr(a,2) } n=split(a, p, "."); o=p[1]*100;
//        if (n>1) o+=(length(p[2])==1 ? p[2]*10 : p[2]); t+=s*o } END { print t }' FILE
TEST(SieFiles, TheSumsPerAccountAreTheFilesOwn) {
    SKIP_WITHOUT_DATA();
    const std::vector<std::tuple<std::string, std::string, std::int64_t>> sums = {
        {"transaktioner_ovnbolag.se", "1910", -250700},
        {"transaktioner_ovnbolag.se", "2641", 14160017},
        {"transaktioner_ovnbolag-bad-balance.se", "1910", -1527800},  // -12899.00 where the good file has -128.00
        {"BL0001_typ4.SE", "1930", 24543617},                         // with #RTRANS rows, each once
        {"BL0001_typ4.SE", "3010", -22820000},
        {"SIE4_Exempelfil_med_underdim.SE", "1400", 7578751},
        {"SIE4_Exempelfil_med_underdim.SE", "7010", 61717114},
        {"Sie4.si", "1910", 36100},
        {"live2011.se", "2440", -530712},
        {"magenta_bokföring_SIE4I.se", "3010", -5411600},
    };
    for (const auto& [file, account, ore] : sums) {
        SCOPED_TRACE(file + " " + account);
        const auto by_account = booked_sum_by_account(read_data(file).document);
        ASSERT_EQ(by_account.count(account), 1u);
        EXPECT_EQ(by_account.at(account).ore(), ore);
    }
}

TEST(SieFiles, TheBadBalanceFileNamesItsUnbalancedVerification) {
    SKIP_WITHOUT_DATA();
    const ReadResult r = read_data("transaktioner_ovnbolag-bad-balance.se");
    // diff against transaktioner_ovnbolag.se: line 3907, -128.00 became -12899.00 in #VER B 1 (line 3905)
    EXPECT_TRUE(test::has_problem(r, 3905, "#VER", "verification B 1 does not balance: its rows sum to -12771.00"));
    const auto unbalanced = unbalanced_verifications(r.document);
    ASSERT_EQ(unbalanced.size(), 1u);
    EXPECT_EQ(unbalanced[0]->series, "B");
    EXPECT_EQ(unbalanced[0]->number, "1");
}

TEST(SieFiles, CharacterSetsAreReadAsTheProgramsWroteThem) {
    SKIP_WITHOUT_DATA();
    const ReadResult fortnox = read_data("Sie4.si");
    EXPECT_EQ(fortnox.encoding, Encoding::cp437);
    EXPECT_EQ(fortnox.document.fnamn, "Testföretaget AB");  // ö written as 0x94
    // Visma's file says PC8 but is UTF-8, with letters already lost as U+FFFD.
    const ReadResult visma = read_data("SIE4_Exempelfil_med_underdim.SE");
    EXPECT_EQ(visma.encoding, Encoding::utf8);
    EXPECT_EQ(visma.document.fnamn, "\uFFFDvningsbolaget AB");
    EXPECT_TRUE(test::has_note(visma, 2, "bytes are UTF-8"));
}

TEST(SieFiles, BlAdministrationsAddedAndRemovedRows) {
    SKIP_WITHOUT_DATA();
    const ReadResult r = read_data("BL0001_typ4.SE");
    std::size_t added = 0, removed = 0;
    for (const auto& v : r.document.verifications)
        for (const auto& row : v.rows) {
            added += row.kind == RowKind::added;
            removed += row.kind == RowKind::removed;
            if (row.kind == RowKind::added) {
                EXPECT_EQ(row.companion_line, row.line + 1);
            }
        }
    EXPECT_EQ(added, 6u);    // grep -c '#RTRANS'
    EXPECT_EQ(removed, 3u);  // grep -c '#BTRANS'
    EXPECT_TRUE(test::has_note(r, 464, "verification # 1 appears 12 times"));
}

TEST(SieFiles, EachCp437FileComesBackTheSameThroughTheWriter) {
    SKIP_WITHOUT_DATA();
    for (const Expected& e : files) {
        SCOPED_TRACE(e.file);
        const ReadResult first = read_data(e.file);
        if (first.encoding != Encoding::cp437) continue;  // U+FFFD has no CP437 byte: it comes back as '?'
        const ReadResult again = read_sie(write_sie4(first.document));
        EXPECT_EQ(again.problems_total, e.unbalanced) << test::describe(again);
        EXPECT_EQ(again.checksum, Checksum::verified);
        SieDocument expected = test::without_lines(first.document);
        expected.flagga = 0;  // what the writer writes
        EXPECT_EQ(test::without_lines(again.document), expected);
    }
}

TEST(SieFiles, AFileOverTheSizeLimitIsRefusedBeforeItIsRead) {
    const fs::path path = fs::temp_directory_path() / ("likvard-sie-large-" + std::to_string(getpid()) + ".se");
    { std::ofstream create(path); }
    fs::resize_file(path, file_bytes_max + 1);  // sparse: takes no disk
    const FileRead read = read_sie_file(path);
    fs::remove(path);
    EXPECT_FALSE(read.error);
    EXPECT_TRUE(test::has_problem(read.result, 0, "", "more than the limit of 268435456 bytes; it is not read"));
}

TEST(SieFiles, AFileThatCannotBeReadIsAnError) {
    const FileRead read = read_sie_file("/nonexistent/likvard.se");
    ASSERT_TRUE(read.error);
    EXPECT_NE(read.error->find("cannot read /nonexistent/likvard.se"), std::string::npos);
}

}  // namespace
}  // namespace likvard::sie
