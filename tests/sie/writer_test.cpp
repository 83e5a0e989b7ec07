// The SIE 4E writer: CP437 bytes with the records in the specification's order and a
// #KSUMMA that the reader verifies; the reader gives the same document back.
#include <gtest/gtest.h>

#include <stdexcept>

#include "sie_test_support.hpp"

namespace likvard::sie {
namespace {

Money sek(std::int64_t ore) { return Money::from_ore(ore); }

TransRow row(RowKind kind, std::string account, std::vector<ObjectRef> objects, std::int64_t ore) {
    TransRow r;
    r.kind = kind;
    r.account = std::move(account);
    r.objects = std::move(objects);
    r.amount = sek(ore);
    return r;
}

// Every record the writer knows, with the characters that need care.
SieDocument full_document() {
    SieDocument d;
    d.sietyp = 4;
    d.format = "PC8";
    d.program = "Likvärd";
    d.program_version = "0.1.0";
    d.generated_on = Date{2024, 1, 31};
    d.generated_by = "export";
    d.prosa = {"Exporterad \"ur\" huvudboken"};
    d.ftyp = "X";
    d.fnr = "C:\\Data\\Region\\";  // a backslash at the end and inside
    d.orgnr = "232100-0016";
    d.bkod = "84110";
    d.address = Address{"Ekonomi", "Box 1", "831 86 Östersund", ""};
    d.fnamn = "Region Jämtland Härjedalen";
    d.rar = {{0, {2022, 1, 1}, {2022, 12, 31}, 0}, {-1, {2021, 1, 1}, {2021, 12, 31}, 0}};
    d.taxar = 2023;
    d.omfattn = Date{2022, 12, 31};
    d.kptyp = "EUBAS97";
    d.valuta = "SEK";
    d.accounts["1910"] = Account{"1910", "Kassa", "T", "", {"7281"}, 0};
    d.accounts["4010"] = Account{"4010", "Ersättning \\\"vårdval\\\"", "K", "st", {}, 0};
    d.accounts["2440"] = Account{"2440", "Leverantörsskulder", "", "", {}, 0};
    d.dimensions[1] = Dimension{1, "Kostnadsställe", std::nullopt, 0};
    d.dimensions[2] = Dimension{2, "Kostnadsbärare", 1, 0};
    d.objects[{1, "2150"}] = Object{1, "2150", "Hälsocentralen Åre", 0};
    d.objects[{1, "A \"B\""}] = Object{1, "A \"B\"", "Citat", 0};
    d.ib = {{0, "1910", {}, sek(2378078), std::nullopt, 0}};
    d.ub = {{0, "1910", {}, sek(-238039), std::string("-12"), 0}};
    d.oib = {{0, "4010", {{1, "2150"}}, sek(100), std::nullopt, 0}};
    d.oub = {{-1, "4010", {{1, "2150"}}, sek(-100), std::string("3.5"), 0}};
    d.res = {{0, "4010", {}, sek(12345), std::nullopt, 0}};
    d.psaldo = {{0, {2022, 1}, "4010", {}, sek(500), std::nullopt, 0},
                {0, {2022, 1}, "4010", {{1, "2150"}}, sek(500), std::string("2"), 0}};
    d.pbudget = {{0, {2022, 2}, "4010", {}, sek(-1), std::nullopt, 0}};
    Verification v;
    v.series = "A";
    v.number = "12";
    v.date = {2022, 3, 1};
    v.text = "Vårdval mars";
    v.registered_on = Date{2022, 3, 2};
    v.sign = "Kim";
    v.rows = {row(RowKind::trans, "4010", {{1, "2150"}, {2, "x"}}, 100000), row(RowKind::trans, "2440", {}, -100000),
              row(RowKind::removed, "1910", {}, 5), row(RowKind::added, "4010", {}, 700),
              row(RowKind::added, "2440", {}, -700)};
    v.rows[0].date = Date{2022, 3, 1};
    v.rows[0].text = "Rad";
    v.rows[0].quantity = "-1.25";
    v.rows[0].sign = "Eva";
    v.rows[3].sign = "Kim";
    d.verifications.push_back(v);
    Verification unnumbered;
    unnumbered.date = {2022, 3, 5};
    unnumbered.rows = {row(RowKind::trans, "1910", {}, 1), row(RowKind::trans, "2440", {}, -1)};
    d.verifications.push_back(unnumbered);
    return d;
}

TEST(SieWriter, TheReaderGivesTheSameDocumentBack) {
    const SieDocument written = full_document();
    const ReadResult r = read_sie(write_sie4(written));
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_TRUE(r.notes.empty());
    EXPECT_EQ(r.encoding, Encoding::cp437);
    EXPECT_EQ(r.checksum, Checksum::verified);
    EXPECT_EQ(test::without_lines(r.document), written);
    // the companion #TRANS of each added row was written and found
    EXPECT_NE(r.document.verifications[0].rows[3].companion_line, 0u);
}

TEST(SieWriter, WritesCp437WithCrlfInTheSpecificationsOrder) {
    const std::string bytes = write_sie4(full_document());
    EXPECT_EQ(bytes.rfind("#FLAGGA 0\r\n#KSUMMA\r\n#PROGRAM \"Likv\x84rd\" \"0.1.0\"\r\n#FORMAT PC8\r\n"
                          "#GEN 20240131 \"export\"\r\n#SIETYP 4\r\n",
                          0),
              0u)
        << bytes.substr(0, 200);
    EXPECT_NE(bytes.find("#FNAMN \"Region J\x84mtland H\x84rjedalen\"\r\n"), std::string::npos);
    EXPECT_NE(bytes.find("#FNR \"C:\\Data\\Region\\\\\"\r\n"), std::string::npos);  // the last backslash doubled
    EXPECT_NE(bytes.find("#KONTO 4010 \"Ers\x84ttning \\\\\\\"v\x86rdval\\\\\\\"\"\r\n"), std::string::npos);
    EXPECT_NE(bytes.find("#OBJEKT 1 \"A \\\"B\\\"\" \"Citat\"\r\n"), std::string::npos);
    EXPECT_NE(
        bytes.find("#VER \"A\" 12 20220301 \"V\x86rdval mars\" 20220302 \"Kim\"\r\n{\r\n"
                   "#TRANS 4010 {1 \"2150\" 2 \"x\"} 1000.00 20220301 \"Rad\" -1.25 \"Eva\"\r\n"
                   "#TRANS 2440 {} -1000.00\r\n#BTRANS 1910 {} 0.05\r\n"
                   "#RTRANS 4010 {} 7.00 \"\" \"\" \"\" \"Kim\"\r\n#TRANS 4010 {} 7.00 \"\" \"\" \"\" \"Kim\"\r\n"),
        std::string::npos)
        << bytes;
    EXPECT_NE(bytes.find("#VER \"\" \"\" 20220305\r\n"), std::string::npos);
    EXPECT_NE(bytes.find("#PSALDO 0 202201 4010 {1 \"2150\"} 5.00 2\r\n"), std::string::npos);
    EXPECT_NE(bytes.find("#UB 0 1910 -2380.39 -12\r\n"), std::string::npos);
    const std::size_t last = bytes.rfind("#KSUMMA ");
    ASSERT_NE(last, std::string::npos);
    EXPECT_EQ(bytes.substr(bytes.size() - 2), "\r\n");
    EXPECT_LT(bytes.find("#KONTO"), bytes.find("#DIM"));
    EXPECT_LT(bytes.find("#OBJEKT"), bytes.find("#IB"));
    EXPECT_LT(bytes.find("#PBUDGET"), bytes.find("#VER"));
}

TEST(SieWriter, TheChecksumIsTheCrc32OfTheRecordsContents) {
    SieDocument d;
    d.program = "P";
    d.generated_on = Date{2024, 1, 31};
    d.fnamn = "Bolaget \"Ö\"";
    d.accounts["1910"] = Account{"1910", "Kassa", "", "", {}, 0};
    const std::string bytes = write_sie4(d);
    const std::uint32_t expected =
        crc32("#PROGRAMP#FORMATPC8#GEN20240131#SIETYP4#FNAMNBolaget \"\x99\"#KONTO1910Kassa");
    EXPECT_EQ(bytes,
              "#FLAGGA 0\r\n#KSUMMA\r\n#PROGRAM \"P\"\r\n#FORMAT PC8\r\n#GEN 20240131\r\n#SIETYP 4\r\n"
              "#FNAMN \"Bolaget \\\"\x99\\\"\"\r\n#KONTO 1910 \"Kassa\"\r\n#KSUMMA " +
                  std::to_string(expected) + "\r\n");
}

TEST(SieWriter, CharactersCp437LacksBecomeQuestionMarksAndControlsSpaces) {
    SieDocument d;
    d.generated_on = Date{2024, 1, 31};
    d.fnamn = "Euro € och\ttab";
    const ReadResult r = read_sie(write_sie4(d));
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.document.fnamn, "Euro ? och tab");
}

TEST(SieWriter, BackslashesAndQuotesComeBackAsTheyWere) {
    for (const std::string text : {"\\", "\\\\", "a\\\"b", "\"", "\\\"", "end\\", "C:\\x\\y", "\\\\\"\\"}) {
        SieDocument d;
        d.generated_on = Date{2024, 1, 31};
        d.fnamn = text;
        const ReadResult r = read_sie(write_sie4(d));
        ASSERT_TRUE(r.ok()) << text << "\n" << test::describe(r);
        EXPECT_EQ(r.document.fnamn, text);
        EXPECT_EQ(r.checksum, Checksum::verified) << text;
    }
}

TEST(SieWriter, NeedsTheGenerationDate) { EXPECT_THROW(write_sie4(SieDocument{}), std::invalid_argument); }

}  // namespace
}  // namespace likvard::sie
