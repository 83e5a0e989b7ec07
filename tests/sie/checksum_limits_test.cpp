// #KSUMMA as section 10 of the SIE specification defines it, and the reader's limits:
// each exceeded limit is a problem naming the line, never a crash.
#include <gtest/gtest.h>

#include "sie_test_support.hpp"

namespace likvard::sie {
namespace {

using test::has_problem;

// The head's records after #FLAGGA, as the checksum sees them: each label followed by
// its fields' contents, no spaces between fields, no quotes, no braces.
const std::string head_content = "#PROGRAMTestprogram1.0#FORMATPC8#GEN20240131Kim#SIETYP4#FNAMNBolaget AB";

std::string head_after_flagga() { return std::string(test::head).substr(std::string("#FLAGGA 0\n").size()); }

std::string with_checksum(const std::string& body, std::uint32_t declared) {
    return "#FLAGGA 0\n#KSUMMA\n" + head_after_flagga() + body + "#KSUMMA " + std::to_string(declared) + "\n";
}

TEST(SieChecksum, IsTheCrc32OfTheSpecification) {
    EXPECT_EQ(crc32("123456789"), 0xCBF43926u);  // the check value of CRC-32 (ISO 3309, zlib)
    EXPECT_EQ(crc32("56789", crc32("1234")), 0xCBF43926u);
    EXPECT_EQ(crc32(""), 0u);
}

TEST(SieChecksum, CoversLabelsAndFieldContentsBetweenTheTwoKsummaRecords) {
    const std::string body =
        "#KONTO 1915 \"Kassa \\\"special\\\"\"\n#VER A 1 20210105\n{\n#TRANS 7010 {1 \"456\"} 13200.00\n"
        "#TRANS 1910 {} -13200.00\n}\n";
    // Example 10.15: only the label and the field contents count; \" counts as the quote.
    const std::uint32_t expected = crc32(head_content + "#KONTO1915Kassa \"special\"" + "#VERA120210105" +
                                         "#TRANS70101456" + "13200.00" + "#TRANS1910-13200.00");
    const ReadResult r = read_sie(with_checksum(body, expected));
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.checksum, Checksum::verified);
    EXPECT_EQ(r.checksum_declared, expected);
    EXPECT_EQ(r.checksum_computed, expected);
}

TEST(SieChecksum, AMismatchIsAProblemOnTheClosingRecord) {
    const std::string body = "#KONTO 1910 \"Kassa\"\n";
    const std::uint32_t right = crc32(head_content + "#KONTO1910Kassa");
    const ReadResult r = read_sie(with_checksum("#KONTO 1910 \"Kasse\"\n", right));
    EXPECT_EQ(r.checksum, Checksum::mismatch);
    EXPECT_TRUE(has_problem(r, 9, "#KSUMMA", "the checksum " + std::to_string(right) + " does not match"));
    EXPECT_TRUE(read_sie(with_checksum(body, right)).ok());
}

TEST(SieChecksum, SpacesTabsAndQuotesAroundFieldsDoNotCount) {
    const std::uint32_t sum =
        crc32(head_content + "#KONTO1910Kassa" + "#VERA120210105" + "#TRANS1910-5" + "#TRANS2440155");
    const std::string body =
        "\t#KONTO   \"1910\"\tKassa\n#VER \"A\" 1    \"20210105\"\n  {\n  #TRANS 1910 { } -5\n#TRANS 2440 {\"1\" 5} 5\n}\n";
    const ReadResult r = read_sie(with_checksum(body, sum));
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.checksum, Checksum::verified);
}

TEST(SieChecksum, IsOverTheCp437ValuesWhateverTheFilesCharacterSet) {
    const std::uint32_t sum = crc32("#FORMATUTF-8#PROGRAMP1#GEN20240101#FNAMNF\x94retaget");  // ö is 0x94 in CP437
    const ReadResult r = read_sie(
        "#FLAGGA 0\n#KSUMMA\n#FORMAT UTF-8\n#PROGRAM P 1\n#GEN 20240101\n#FNAMN Företaget\n"
        "#KSUMMA " +
        std::to_string(sum) + "\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.checksum, Checksum::verified);
}

TEST(SieChecksum, AValueWrittenAsASigned32BitNumberIsTheSame) {
    // Find a head whose checksum has the top bit set, as half of all checksums have.
    for (int i = 0;; ++i) {
        const std::string body = "#PROSA " + std::to_string(i) + "\n";
        const std::uint32_t sum = crc32(head_content + "#PROSA" + std::to_string(i));
        if (sum < 0x80000000u) continue;
        const long long as_signed = static_cast<long long>(sum) - 4'294'967'296LL;
        const std::string file =
            "#FLAGGA 0\n#KSUMMA\n" + head_after_flagga() + body + "#KSUMMA " + std::to_string(as_signed) + "\n";
        const ReadResult r = read_sie(file);
        ASSERT_TRUE(r.ok()) << test::describe(r);
        EXPECT_EQ(r.checksum, Checksum::verified);
        return;
    }
}

TEST(SieChecksum, AFileWithoutChecksumIsAccepted) {
    const ReadResult r = read_sie(std::string(test::head));
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.checksum, Checksum::absent);
}

TEST(SieChecksum, AnOpeningWithoutClosingMeansTheFileIsCutShort) {
    const ReadResult r = read_sie("#FLAGGA 0\n#KSUMMA\n" + head_after_flagga() + "#KONTO 1910 Kassa\n");
    EXPECT_EQ(r.checksum, Checksum::unterminated);
    EXPECT_TRUE(has_problem(r, 0, "#KSUMMA", "opens a checksum on line 2 but the closing #KSUMMA is missing"));
}

TEST(SieChecksum, MisplacedKsummaRecordsAreProblems) {
    const ReadResult closing_only = read_sie(std::string(test::head) + "#KSUMMA 12345\n");
    EXPECT_TRUE(has_problem(closing_only, 7, "#KSUMMA", "a closing #KSUMMA without the opening"));
    const std::uint32_t sum = crc32(head_content);
    const ReadResult after = read_sie(with_checksum("", sum) + "#KONTO 1910 Kassa\n");
    EXPECT_EQ(after.checksum, Checksum::verified);
    EXPECT_TRUE(has_problem(after, 9, "#KONTO", "after the closing #KSUMMA, which the checksum does not cover"));
    const ReadResult twice = read_sie("#FLAGGA 0\n#KSUMMA\n#KSUMMA\n" + head_after_flagga());
    EXPECT_TRUE(has_problem(twice, 3, "#KSUMMA", "a second opening #KSUMMA (the first is on line 2)"));
    const ReadResult bad_value = read_sie("#FLAGGA 0\n#KSUMMA\n" + head_after_flagga() + "#KSUMMA x\n");
    EXPECT_TRUE(has_problem(bad_value, 8, "#KSUMMA", "checksum \"x\" is not a CRC-32 value"));
    EXPECT_EQ(bad_value.checksum, Checksum::mismatch);
}

// ---- limits -------------------------------------------------------------------------------

ReadOptions with_limits(void (*lower)(Limits&)) {
    ReadOptions options;
    lower(options.limits);
    return options;
}

TEST(SieLimits, TheDefaultsAreTheNamedConstants) {
    const Limits limits;
    EXPECT_EQ(limits.file_bytes, 256u * 1024 * 1024);
    EXPECT_EQ(limits.line_bytes, line_bytes_max);
    EXPECT_EQ(limits.objects_per_row, objects_per_row_max);
    EXPECT_EQ(limits.fields_per_line, fields_per_line_max);
}

TEST(SieLimits, AFileOverTheSizeLimitIsNotRead) {
    const auto small = with_limits([](Limits& l) { l.file_bytes = 100; });
    EXPECT_TRUE(read_sie(std::string(test::head), small).ok());  // the head is 99 bytes
    const ReadResult over = read_sie(std::string(test::head) + "#KONTO 1910 Kassa\n", small);
    EXPECT_TRUE(has_problem(over, 0, "", "the file is 117 bytes, more than the limit of 100 bytes; it is not read"));
    EXPECT_TRUE(over.document.program.empty());
}

TEST(SieLimits, ALineOverTheLengthLimitIsSkipped) {
    const ReadResult r = test::read_body("#KONTO 1910 \"" + std::string(50, 'x') + "\"\n#KONTO 1920 Bank\n",
                                         with_limits([](Limits& l) { l.line_bytes = 40; }));
    EXPECT_TRUE(has_problem(r, 7, "", "the line is 64 bytes long, more than the limit of 40 bytes; it is skipped"));
    EXPECT_EQ(r.document.accounts.count("1910"), 0u);
    EXPECT_EQ(r.document.accounts.count("1920"), 1u);
}

TEST(SieLimits, ALineWithTooManyFieldsIsSkipped) {
    const ReadResult r = test::read_body("#ADRESS a b c d\n", with_limits([](Limits& l) { l.fields_per_line = 3; }));
    EXPECT_TRUE(has_problem(r, 7, "#ADRESS", "has more than 3 fields"));
    EXPECT_FALSE(r.document.address);
}

TEST(SieLimits, ARowWithTooManyObjectsIsSkipped) {
    const ReadResult r = test::read_body("#VER A 1 20210105\n{\n#TRANS 1910 {1 a 2 b 3 c} 5\n#TRANS 2440 {} -5\n}\n",
                                         with_limits([](Limits& l) { l.objects_per_row = 2; }));
    EXPECT_TRUE(has_problem(r, 9, "#TRANS", "an object list has more than 2 objects"));
    EXPECT_TRUE(r.document.verifications[0].incomplete);
}

TEST(SieLimits, AVerificationWithTooManyRowsIsCut) {
    const ReadResult r = test::read_body(
        "#VER A 1 20210105\n{\n#TRANS 1910 {} 5\n#TRANS 2440 {} -5\n#TRANS 1910 {} 1\n#TRANS 2440 {} -1\n}\n",
        with_limits([](Limits& l) { l.rows_per_verification = 2; }));
    EXPECT_TRUE(has_problem(r, 11, "#TRANS", "the verification has more than 2 rows; the rest are not read"));
    EXPECT_EQ(r.problems_total, 1u) << test::describe(r);
    EXPECT_EQ(r.document.verifications[0].rows.size(), 2u);
    EXPECT_TRUE(r.document.verifications[0].incomplete);
}

TEST(SieLimits, VerificationsOverTheLimitAreNotRead) {
    std::string body;
    for (int i = 1; i <= 4; ++i) body += "#VER A " + std::to_string(i) + " 20210105\n{\n#TRANS 1910 {} 0\n}\n";
    const ReadResult r = test::read_body(body, with_limits([](Limits& l) { l.verifications = 2; }));
    EXPECT_TRUE(has_problem(r, 15, "#VER", "the file has more than 2 verifications; the rest are not read"));
    EXPECT_EQ(r.problems_total, 1u) << test::describe(r);
    EXPECT_EQ(r.document.verifications.size(), 2u);
}

TEST(SieLimits, ProblemsPastTheLimitAreCountedNotKept) {
    const ReadResult r = test::read_body("}\n}\n}\n}\n}\n", with_limits([](Limits& l) { l.problems_kept = 2; }));
    EXPECT_EQ(r.problems.size(), 2u);
    EXPECT_EQ(r.problems_total, 5u);
    EXPECT_FALSE(r.ok());
}

TEST(SieLimits, AnAmountPastWhatTheLedgerHoldsIsAProblem) {
    const ReadResult r = test::read_body("#IB 0 1910 100000000000000\n");
    EXPECT_TRUE(has_problem(r, 7, "#IB", "has more than 13 digits before the decimal point"));
}

}  // namespace
}  // namespace likvard::sie
