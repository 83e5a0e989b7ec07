// The SIE reader against the specification (SIE filformat 4B): fields and quoting, object
// lists, character sets, verifications with #RTRANS/#BTRANS, and every kind of malformed
// line, each a problem naming its line while the reader goes on.
#include <gtest/gtest.h>

#include "sie_test_support.hpp"

namespace likvard::sie {
namespace {

using test::body_line;
using test::has_note;
using test::has_problem;
using test::read_body;

Money sek(std::int64_t ore) { return Money::from_ore(ore); }

TEST(SieReader, ReadsTheIdentificationRecords) {
    const ReadResult r = read_sie(
        "#FLAGGA 1\n#PROGRAM \"Visma Compact\" 5.1\n#FORMAT PC8\n#GEN 20080518 AN\n#SIETYP 2\n"
        "#PROSA \"Exporterat med Visma Compact 080512\"\n#FTYP AB\n#FNR Kalles\n#ORGNR 556334-3689 1\n#BKOD 82300\n"
        "#ADRESS \"Sven Svensson\" \"Box 21\" \"211 20 MALMÖ\" \"040-123 45\"\n"
        "#FNAMN \"Målerifirman Axelsson & Johnsson AB\"\n#RAR 0 20080101 20081231\n#RAR -1 20070101 20071231\n"
        "#TAXAR 2008\n#OMFATTN 20080630\n#KPTYP EUBAS97\n#VALUTA NOK\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const SieDocument& d = r.document;
    EXPECT_EQ(d.flagga, 1);
    EXPECT_EQ(d.sie_type(), 2);
    EXPECT_EQ(d.program, "Visma Compact");
    EXPECT_EQ(d.program_version, "5.1");
    EXPECT_EQ(d.format, "PC8");
    EXPECT_EQ(d.generated_on, (Date{2008, 5, 18}));
    EXPECT_EQ(d.generated_by, "AN");
    EXPECT_EQ(d.prosa, std::vector<std::string>{"Exporterat med Visma Compact 080512"});
    EXPECT_EQ(d.ftyp, "AB");
    EXPECT_EQ(d.fnr, "Kalles");
    EXPECT_EQ(d.orgnr, "556334-3689");
    EXPECT_EQ(d.bkod, "82300");
    EXPECT_EQ(d.address, (Address{"Sven Svensson", "Box 21", "211 20 MALMÖ", "040-123 45"}));
    EXPECT_EQ(d.fnamn, "Målerifirman Axelsson & Johnsson AB");
    ASSERT_EQ(d.rar.size(), 2u);
    EXPECT_EQ(d.rar[1].index, -1);
    EXPECT_EQ(d.rar[1].start, (Date{2007, 1, 1}));
    EXPECT_EQ(d.rar[1].end, (Date{2007, 12, 31}));
    EXPECT_EQ(d.rar[1].line, 14u);
    EXPECT_EQ(d.taxar, 2008);
    EXPECT_EQ(d.omfattn, (Date{2008, 6, 30}));
    EXPECT_EQ(d.kptyp, "EUBAS97");
    EXPECT_EQ(d.valuta, "NOK");
}

TEST(SieReader, ReadsTheChartOfAccountsAndObjects) {
    const ReadResult r = read_body(
        "#KONTO 1510 \"Kundfordringar\"\n#KTYP 1510 T\n#ENHET 1510 st\n#SRU 1510 7251\n#SRU 1510 7252\n"
        "#DIM 1 \"Kostnadsställe\"\n#UNDERDIM 2 \"Kostnadsbärare\" 1\n#DIM 6 \"Projekt\"\n"
        "#OBJEKT 1 \"0123\" \"Serviceavdelningen\"\n#OBJEKT 6 P1 \"Bygget\"\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const SieDocument& d = r.document;
    ASSERT_EQ(d.accounts.count("1510"), 1u);
    const Account& account = d.accounts.at("1510");
    EXPECT_EQ(account.name, "Kundfordringar");
    EXPECT_EQ(account.type, "T");
    EXPECT_EQ(account.unit, "st");
    EXPECT_EQ(account.sru, (std::vector<std::string>{"7251", "7252"}));
    EXPECT_EQ(account.line, body_line);
    ASSERT_EQ(d.dimensions.size(), 3u);
    EXPECT_EQ(d.dimensions.at(2).parent, 1);
    EXPECT_EQ(d.dimensions.at(6).name, "Projekt");
    EXPECT_FALSE(d.dimensions.at(6).parent);
    ASSERT_EQ(d.objects.size(), 2u);
    EXPECT_EQ(d.objects.at(ObjectRef{1, "0123"}).name, "Serviceavdelningen");
    EXPECT_EQ(d.objects.at(ObjectRef{6, "P1"}).name, "Bygget");
}

TEST(SieReader, ReadsTheBalanceRecords) {
    const ReadResult r = read_body(
        "#IB 0 1930 23780.78\n#UB 0 2440 -2380.39 -12\n#RES 0 3011 -23780.78\n"
        "#OIB 0 1510 {8 \"12345\"} 23780.78\n#OUB -1 1510 {8 \"12345\"} 100\n"
        "#PSALDO 0 200808 1910 {} 1243.50 123\n#PSALDO 0 200809 5010 {1 \"0123\"} 3411.80\n"
        "#PBUDGET 0 200801 3011 {} -1243.50 -415\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const SieDocument& d = r.document;
    ASSERT_EQ(d.ib.size(), 1u);
    EXPECT_EQ(d.ib[0].account, "1930");
    EXPECT_EQ(d.ib[0].amount, sek(2378078));
    EXPECT_EQ(d.ub[0].amount, sek(-238039));
    EXPECT_EQ(d.ub[0].quantity, "-12");
    EXPECT_EQ(d.res[0].amount, sek(-2378078));
    EXPECT_EQ(d.oib[0].objects, (std::vector<ObjectRef>{{8, "12345"}}));
    EXPECT_EQ(d.oub[0].year, -1);
    EXPECT_EQ(d.oub[0].amount, sek(10000));
    ASSERT_EQ(d.psaldo.size(), 2u);
    EXPECT_EQ(d.psaldo[0].period, (Month{2008, 8}));
    EXPECT_EQ(d.psaldo[0].quantity, "123");
    EXPECT_EQ(d.psaldo[1].objects, (std::vector<ObjectRef>{{1, "0123"}}));
    EXPECT_EQ(d.pbudget[0].amount, sek(-124350));
    EXPECT_EQ(d.pbudget[0].line, body_line + 7);
}

TEST(SieReader, ReadsAVerificationWithItsRows) {
    const ReadResult r = read_body(
        "#VER A 567 20081216 \"Kontant lön\" 20081217 \"Kim\"\n{\n"
        "   #TRANS 7010 {\"1\" \"456\" \"7\" \"47\"} 13200.00 20081215 \"Lön\" 160 \"Eva\"\n"
        "\t#TRANS 1910 {} -13200\n}\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    ASSERT_EQ(r.document.verifications.size(), 1u);
    const Verification& v = r.document.verifications[0];
    EXPECT_EQ(v.series, "A");
    EXPECT_EQ(v.number, "567");
    EXPECT_EQ(v.date, (Date{2008, 12, 16}));
    EXPECT_EQ(v.text, "Kontant lön");
    EXPECT_EQ(v.registered_on, (Date{2008, 12, 17}));
    EXPECT_EQ(v.sign, "Kim");
    EXPECT_EQ(v.line, body_line);
    ASSERT_EQ(v.rows.size(), 2u);
    const TransRow& salary = v.rows[0];
    EXPECT_EQ(salary.kind, RowKind::trans);
    EXPECT_EQ(salary.account, "7010");
    EXPECT_EQ(salary.objects, (std::vector<ObjectRef>{{1, "456"}, {7, "47"}}));
    EXPECT_EQ(salary.amount, sek(1320000));
    EXPECT_EQ(salary.date, (Date{2008, 12, 15}));
    EXPECT_EQ(salary.text, "Lön");
    EXPECT_EQ(salary.quantity, "160");
    EXPECT_EQ(salary.sign, "Eva");
    EXPECT_EQ(salary.line, body_line + 2);
    EXPECT_EQ(v.rows[1].amount, sek(-1320000));
    EXPECT_FALSE(v.rows[1].date);
    EXPECT_EQ(v.date_of(v.rows[0]), (Date{2008, 12, 15}));
    EXPECT_EQ(v.date_of(v.rows[1]), (Date{2008, 12, 16}));  // no transdat: the verification's date
    EXPECT_EQ(v.booked_sum(), Money{});
}

TEST(SieReader, QuotedFieldsKeepTheirSpacesAndResolveEscapes) {
    const ReadResult r = read_body(
        "#KONTO 1915 \"Kassa \\\"special\\\"\"\n"  // the specification's example 10.15
        "#KONTO 1916 \"  two  spaces  \"\n"
        "#KONTO 1917 \"1820\\A012 Cykel\"\n"  // a lone backslash is itself (BL Administration)
        "#KONTO 1918 \"C:\\\\\"\n"            // \\ is one backslash
        "#KONTO 1919 \"\"\n"
        "#KONTO 1920 Bank\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const auto& accounts = r.document.accounts;
    EXPECT_EQ(accounts.at("1915").name, "Kassa \"special\"");
    EXPECT_EQ(accounts.at("1916").name, "  two  spaces  ");
    EXPECT_EQ(accounts.at("1917").name, "1820\\A012 Cykel");
    EXPECT_EQ(accounts.at("1918").name, "C:\\");
    EXPECT_EQ(accounts.at("1919").name, "");
    EXPECT_EQ(accounts.at("1920").name, "Bank");
}

TEST(SieReader, QuotedAndBareFieldsAreTheSame) {
    const ReadResult bare = read_body("#VER A 1 20210105 Fika\n{\n#TRANS 1910 {1 Nord} -5\n#TRANS 7690 {} 5\n}\n");
    const ReadResult quoted = read_body(
        "#VER \"A\" \"1\" \"20210105\" \"Fika\"\n{\n#TRANS \"1910\" {\"1\" \"Nord\"} \"-5\"\n"
        "#TRANS 7690 { } 5.00\n}\n");
    ASSERT_TRUE(bare.ok()) << test::describe(bare);
    ASSERT_TRUE(quoted.ok()) << test::describe(quoted);
    EXPECT_EQ(bare.document, quoted.document);
}

TEST(SieReader, UnknownRecordsAndFieldsAreSkippedAndCounted) {
    const ReadResult r = read_body(
        "#NYPOST 1 2 3\n#NYPOST x\n#KONTO 1910 \"Kassa\" framtida fält\n"
        "#VER A 1 20210105\n{\n#NYRAD 1 2\n#TRANS 1910 {} 1 \"\" \"\" 1 \"\" extra\n#TRANS 2440 {} -1\n}\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.unknown_records, (std::map<std::string, std::size_t>{{"#NYPOST", 2}, {"#NYRAD", 1}}));
    EXPECT_EQ(r.document.accounts.at("1910").name, "Kassa");
    EXPECT_EQ(r.document.verifications[0].rows.size(), 2u);
}

TEST(SieReader, Cp437LettersBecomeUtf8) {
    // ä 0x84, ö 0x94, å 0x86, Ä 0x8E, Ö 0x99, Å 0x8F, é 0x82 (CP437)
    const ReadResult r = read_body("#KONTO 1910 \"\x84\x94\x86 \x8E\x99\x8F \x82\"\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.encoding, Encoding::cp437);
    EXPECT_EQ(r.document.accounts.at("1910").name, "äöå ÄÖÅ é");
}

TEST(SieReader, TheFileCanSayLatin1OrUtf8) {
    const ReadResult latin1 =
        read_sie("#FLAGGA 0\n#FORMAT ISO-8859-1\n#PROGRAM P 1\n#GEN 20240101\n#FNAMN \"F\xF6retaget\"\n");
    ASSERT_TRUE(latin1.ok()) << test::describe(latin1);
    EXPECT_EQ(latin1.encoding, Encoding::latin1);
    EXPECT_EQ(latin1.document.fnamn, "Företaget");
    const ReadResult utf8 = read_sie("#FLAGGA 0\n#FORMAT UTF-8\n#PROGRAM P 1\n#GEN 20240101\n#FNAMN \"Företaget\"\n");
    ASSERT_TRUE(utf8.ok()) << test::describe(utf8);
    EXPECT_EQ(utf8.encoding, Encoding::utf8);
    EXPECT_EQ(utf8.document.fnamn, "Företaget");
}

TEST(SieReader, TheEncodingOptionOverridesTheFile) {
    const std::string latin1_bytes = std::string(test::head) + "#KONTO 1910 \"K\xE4rr\"\n";
    ReadOptions options;
    options.encoding = Encoding::latin1;
    EXPECT_EQ(read_sie(latin1_bytes, options).document.accounts.at("1910").name, "Kärr");
    EXPECT_EQ(read_sie(latin1_bytes).document.accounts.at("1910").name, "K\u03A3rr");  // 0xE4 is Σ in CP437
    options.encoding = Encoding::cp437;
    const ReadResult forced = read_body("#KONTO 1910 \"Kärr\"\n", options);
    EXPECT_EQ(forced.document.accounts.at("1910").name, "K\u251C\u00F1rr");  // the UTF-8 bytes C3 A4 as CP437
    EXPECT_TRUE(forced.notes.empty());
}

TEST(SieReader, AFileThatSaysPc8ButIsUtf8IsReadAsUtf8WithANote) {
    const ReadResult r = read_body("#KONTO 1910 \"Kärr\"\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.encoding, Encoding::utf8);
    EXPECT_EQ(r.document.accounts.at("1910").name, "Kärr");
    EXPECT_TRUE(has_note(r, 3, "bytes are UTF-8"));
}

TEST(SieReader, AByteOrderMarkMeansUtf8) {
    const ReadResult r = read_sie("\xEF\xBB\xBF" + std::string(test::head) + "#KONTO 1910 \"Kärr\"\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.encoding, Encoding::utf8);
    EXPECT_EQ(r.document.accounts.at("1910").name, "Kärr");
}

TEST(SieReader, InvalidUtf8IsAProblemOnItsLine) {
    const ReadResult r = read_sie("#FLAGGA 0\n#FORMAT UTF-8\n#PROGRAM P 1\n#GEN 20240101\n#FNAMN \"Bad \xC3\x28\"\n");
    EXPECT_TRUE(has_problem(r, 5, "#FNAMN", "not valid UTF-8"));
    EXPECT_EQ(r.document.fnamn, "Bad \uFFFD(");
}

TEST(SieReader, AnUnknownCharacterSetIsAProblemAndReadAsPc8) {
    const ReadResult r = read_sie("#FLAGGA 0\n#FORMAT EBCDIC\n#PROGRAM P 1\n#GEN 20240101\n#FNAMN \"\x94\"\n");
    EXPECT_TRUE(has_problem(r, 2, "#FORMAT", "\"EBCDIC\" is not a character set"));
    EXPECT_EQ(r.encoding, Encoding::cp437);
    EXPECT_EQ(r.document.fnamn, "ö");
}

TEST(SieReader, WithoutFormatTheFileIsPc8WithANote) {
    const ReadResult r = read_sie("#FLAGGA 0\n#PROGRAM P 1\n#GEN 20240101\n#FNAMN \"\x94\"\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.document.fnamn, "ö");
    EXPECT_TRUE(has_note(r, 0, "no #FORMAT"));
}

TEST(SieReader, CrlfAndLfGiveTheSameDocument) {
    const std::string lf =
        std::string(test::head) + "#VER A 1 20210105 \"Fika\"\n{\n#TRANS 1910 {} -5\n#TRANS 7690 {} 5\n}\n";
    std::string crlf;
    for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const ReadResult a = read_sie(lf);
    const ReadResult b = read_sie(crlf);
    ASSERT_TRUE(a.ok()) << test::describe(a);
    ASSERT_TRUE(b.ok()) << test::describe(b);
    EXPECT_EQ(a.document, b.document);
    EXPECT_EQ(b.document.verifications[0].rows[1].line, body_line + 3);
}

TEST(SieReader, BlankLinesIndentationAndADosEndOfFileAreIgnored) {
    const ReadResult r = read_body(
        "\n   \n\t#KONTO 1910 Kassa\n\n#VER A 1 20210105\n\n{\n  #TRANS 1910 {} 1\n\n"
        "  #TRANS 2440 {} -1\n}\n\x1A");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.document.accounts.at("1910").line, body_line + 2);
    EXPECT_EQ(r.document.verifications[0].rows.size(), 2u);
}

TEST(SieReader, AmountsAreExactOre) {
    const ReadResult r = read_body(
        "#VER A 1 20210105\n{\n#TRANS 1910 {} 100\n#TRANS 1911 {} -0.5\n#TRANS 1912 {} 0.05\n"
        "#TRANS 1913 {} 9999999999999.99\n#TRANS 1914 {} -9999999999999.99\n#TRANS 1915 {} -99.55\n}\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const auto& rows = r.document.verifications[0].rows;
    EXPECT_EQ(rows[0].amount, sek(10000));
    EXPECT_EQ(rows[1].amount, sek(-50));
    EXPECT_EQ(rows[2].amount, sek(5));
    EXPECT_EQ(rows[3].amount, sek(999'999'999'999'999));
    EXPECT_EQ(rows[4].amount, sek(-999'999'999'999'999));
    EXPECT_EQ(rows[5].amount, sek(-9955));
}

// Each bad line of a file: the problem names its line, record and the field.
struct BadLine {
    std::string body;
    std::size_t line;  // from the start of the body
    std::string record;
    std::string message;
};

// What ctest and failures show of a case: the problem it expects.
void PrintTo(const BadLine& bad, std::ostream* out) { *out << bad.record << " " << bad.message; }

class SieReaderBadLine : public ::testing::TestWithParam<BadLine> {};

TEST_P(SieReaderBadLine, IsAProblemNamingLineRecordAndField) {
    const BadLine& bad = GetParam();
    const ReadResult r = read_body(bad.body);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_problem(r, body_line + bad.line, bad.record, bad.message));
}

const std::string ver = "#VER A 1 20210105\n{\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, SieReaderBadLine,
    ::testing::Values(
        BadLine{ver + "#TRANS 1910 {} 12.345\n#TRANS 2440 {} -12.345\n}\n", 2, "#TRANS",
                "amount \"12.345\" has more than two decimals"},
        BadLine{ver + "#TRANS 1910 {} 1,50\n}\n", 2, "#TRANS", "amount \"1,50\" contains ','"},
        BadLine{ver + "#TRANS 1910 {} +5\n}\n", 2, "#TRANS", "amount \"+5\" contains '+'"},
        BadLine{ver + "#TRANS 1910 {} 1e3\n}\n", 2, "#TRANS", "amount \"1e3\" contains 'e'"},
        BadLine{ver + "#TRANS 1910 {} 12345678901234\n}\n", 2, "#TRANS", "more than 13 digits"},
        BadLine{ver + "#TRANS 1910 {}\n}\n", 2, "#TRANS", "amount is missing"},
        BadLine{ver + "#TRANS 19A0 {} 5\n}\n", 2, "#TRANS", "account \"19A0\" is not an account number"},
        BadLine{ver + "#TRANS 1910 {1} 5\n}\n", 2, "#TRANS", "objects {...} has a dimension without its object"},
        BadLine{ver + "#TRANS 1910 {x \"Nord\"} 5\n}\n", 2, "#TRANS", "objects dimension \"x\" is not a whole number"},
        BadLine{ver + "#TRANS 1910 {1 \"Nord\" 5\n}\n", 2, "#TRANS", "an object list is not closed"},
        BadLine{ver + "#TRANS 1910 {1 {2 3}} 5\n}\n", 2, "#TRANS", "an object list holds another '{'"},
        BadLine{ver + "#TRANS 1910 {} 0 20210230\n}\n", 2, "#TRANS", "date \"20210230\" is not a day of the calendar"},
        BadLine{ver + "#TRANS 1910 {} 0 \"\" \"\" 1,5\n}\n", 2, "#TRANS", "quantity \"1,5\" is not a quantity"},
        BadLine{"#VER A 1 2021015\n{\n#TRANS 1910 {} 5\n}\n", 0, "#VER",
                "date \"2021015\" is not a date like 20210131; the verification is not read"},
        BadLine{"#VER A 1 20210105 \"Fika\n{\n}\n", 0, "#VER", "a quoted field is not closed"},
        BadLine{"#KONTO 1910 \"Kassa\" \"\x01\"\n", 0, "#KONTO", "control characters"},
        BadLine{"KONTO 1910 Kassa\n", 0, "", "a record must start with a label"},
        BadLine{"#KONTO\n", 0, "#KONTO", "account is missing"},
        BadLine{"#KONTO {} Kassa\n", 0, "#KONTO", "account is an object list {...} where a value belongs"},
        BadLine{"#KONTO 1910 A\n#KONTO 1910 B\n", 1, "#KONTO", "account 1910 appears again; the one on line 7"},
        BadLine{"#KTYP 1910 T\n", 0, "#KTYP", "account 1910 has no #KONTO before it"},
        BadLine{"#KONTO 1910 A\n#KTYP 1910 X\n", 1, "#KTYP", "type \"X\" is not T, S, K or I"},
        BadLine{"#SIETYP 4\n", 0, "#SIETYP", "appears again; the one on line 5 is kept"},
        BadLine{"#RAR 0 20211231 20210101\n", 0, "#RAR", "end 20210101 is before start 20211231"},
        BadLine{"#RAR 1 20210101 20211231\n", 0, "#RAR", "year \"1\" is out of range"},
        BadLine{"#RAR 0 20210101 20211231\n#RAR 0 20220101 20221231\n", 1, "#RAR", "year 0 appears again"},
        BadLine{"#DIM 1 A\n#DIM 1 B\n", 1, "#DIM", "dimension 1 appears again"},
        BadLine{"#UNDERDIM 2 \"Bärare\"\n", 0, "#UNDERDIM", "superdimension is missing"},
        BadLine{"#OBJEKT 1 \"\" \"Tomt\"\n", 0, "#OBJEKT", "object is empty"},
        BadLine{"#OBJEKT 1 A X\n#OBJEKT 1 A Y\n", 1, "#OBJEKT", "object 1 \"A\" appears again"},
        BadLine{"#IB 0 1910 1.001\n", 0, "#IB", "amount \"1.001\" has more than two decimals"},
        BadLine{"#PSALDO 0 202113 1910 {} 5\n", 0, "#PSALDO", "period \"202113\" is not a month of the calendar"},
        BadLine{"#OIB 0 1910\n", 0, "#OIB", "objects {...} are missing"},
        BadLine{"#TRANS 1910 {} 5\n", 0, "#TRANS", "a row outside a verification"},
        BadLine{"#VER A 1 20210105\n#TRANS 1910 {} 5\n", 0, "#VER", "is not followed by '{'"},
        BadLine{"#VER A 1 20210105\n{\n#TRANS 1910 {} 5\n#TRANS 2440 {} -5\n", 0, "#VER",
                "has no closing '}' before the end of the file"},
        BadLine{"#VER A 1 20210105\n{\n#TRANS 1910 {} 5\n#TRANS 2440 {} -5\n#KONTO 1910 A\n", 0, "#VER",
                "has no closing '}' before line 11"},
        BadLine{"#VER A 1 20210105\n", 0, "#VER", "is the last record"},
        BadLine{"}\n", 0, "}", "a '}' without its '{'"}, BadLine{"{\n", 0, "{", "a '{' without a #VER before it"},
        BadLine{ver + "#TRANS 1910 {} 5\n#TRANS 2440 {} -4\n}\n", 0, "#VER",
                "verification A 1 does not balance: its rows sum to 1.00, not 0.00"},
        BadLine{"#FLAGGA 0\n", 0, "#FLAGGA", "appears again"},
        BadLine{"#TAXAR 12\n", 0, "#TAXAR", "year \"12\" is out of range (1900 to 9999)"}));

TEST(SieReader, TheReaderGoesOnAfterABadLine) {
    const ReadResult r = read_body(
        "#KONTO 1910 \"Kassa\n#KONTO 1920 Bank\n#VER A 1 20210105\n{\n#TRANS 1910 {} 1.001\n#TRANS 2440 {} -1\n}\n"
        "#VER A 2 20210106\n{\n#TRANS 1920 {} 2\n#TRANS 2440 {} -2\n}\n");
    EXPECT_EQ(r.problems_total, 2u) << test::describe(r);
    EXPECT_TRUE(has_problem(r, body_line, "#KONTO", "not closed"));
    EXPECT_TRUE(has_problem(r, body_line + 4, "#TRANS", "more than two decimals"));
    EXPECT_EQ(r.document.accounts.count("1910"), 0u);
    EXPECT_EQ(r.document.accounts.count("1920"), 1u);
    ASSERT_EQ(r.document.verifications.size(), 2u);
    // A row that could not be read leaves its verification incomplete, not unbalanced.
    EXPECT_TRUE(r.document.verifications[0].incomplete);
    EXPECT_EQ(r.document.verifications[0].rows.size(), 1u);
    EXPECT_TRUE(unbalanced_verifications(r.document).empty());
    EXPECT_EQ(r.document.verifications[1].rows.size(), 2u);
}

TEST(SieReader, AnUnbalancedVerificationIsNamedAndListed) {
    const ReadResult r = read_body("#VER B 7 20210105 \"Fika\"\n{\n#TRANS 1910 {} -128.00\n#TRANS 7690 {} 100.00\n}\n");
    EXPECT_TRUE(has_problem(r, body_line, "#VER", "verification B 7 does not balance: its rows sum to -28.00"));
    const auto unbalanced = unbalanced_verifications(r.document);
    ASSERT_EQ(unbalanced.size(), 1u);
    EXPECT_EQ(unbalanced[0]->number, "7");
}

// The specification's #RTRANS example: three rows, then three added rows each followed
// by the same row as #TRANS for older readers. Six rows, not nine, and balanced.
TEST(SieReader, AnRtransAndItsTransAreOneAddedRow) {
    const ReadResult r = read_body(
        "#VER \"\" \"\" 20080101 \"Porto\"\n{\n#TRANS 1910 {} -1200.00\n#TRANS 2640 {} 240.00\n"
        "#TRANS 6250 {} 960.00\n#RTRANS 1910 {} 200.00\n#TRANS 1910 {} 200.00\n#RTRANS 2640 {} -40.00\n"
        "#TRANS 2640 {} -40.00\n#RTRANS 6250 {} -160.00\n#TRANS 6250 {} -160.00\n}\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const Verification& v = r.document.verifications[0];
    ASSERT_EQ(v.rows.size(), 6u);
    EXPECT_EQ(v.rows[3].kind, RowKind::added);
    EXPECT_EQ(v.rows[3].line, body_line + 5);
    EXPECT_EQ(v.rows[3].companion_line, body_line + 6);
    EXPECT_EQ(v.rows[4].amount, sek(-4000));
    const auto sums = booked_sum_by_account(r.document);
    EXPECT_EQ(sums.at("1910"), sek(-100000));  // -1200 + 200, the 200 once
    EXPECT_EQ(sums.at("6250"), sek(80000));
}

TEST(SieReader, TheTransAfterAnRtransMayCarryTheVerificationDate) {
    // BL Administration: the added row dated when it was added, its #TRANS with the
    // verification's date and no signature.
    const ReadResult r = read_body(
        "#VER A 25 20100122 \"test\"\n{\n#TRANS 1930 {} 1000 20100122 \"\"\n#TRANS 1680 {} -1000 20100122 \"\"\n"
        "#RTRANS 1930 {} 500 20100326 \"\" \"\" \"2 Christer\"\n#TRANS 1930 {} 500 20100122 \"\"\n"
        "#RTRANS 3010 { \"1\" \"1\"} -500 20100326 \"\" \"\" \"2 Christer\"\n#TRANS 3010 { \"1\" \"1\"} -500 20100122\n}\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const Verification& v = r.document.verifications[0];
    ASSERT_EQ(v.rows.size(), 4u);
    EXPECT_EQ(v.rows[2].date, (Date{2010, 3, 26}));
    EXPECT_EQ(v.rows[2].sign, "2 Christer");
    EXPECT_EQ(v.rows[3].objects, (std::vector<ObjectRef>{{1, "1"}}));
}

TEST(SieReader, AnRtransWithoutItsTransIsAProblemAndCountsOnce) {
    const ReadResult r = read_body(
        "#VER A 1 20210105\n{\n#TRANS 1910 {} -5\n#RTRANS 7690 {} 5\n#TRANS 7690 {} 6\n#TRANS 1910 {} -6\n}\n"
        "#VER A 2 20210105\n{\n#TRANS 1910 {} -5\n#RTRANS 7690 {} 5\n}\n");
    EXPECT_TRUE(has_problem(r, body_line + 3, "#RTRANS", "is not followed by the same row as #TRANS (line 11)"));
    EXPECT_TRUE(has_problem(r, body_line + 10, "#RTRANS", "is not followed by the same row as #TRANS"));
    EXPECT_EQ(r.problems_total, 2u) << test::describe(r);
    EXPECT_EQ(r.document.verifications[0].rows.size(), 4u);
    EXPECT_EQ(r.document.verifications[1].rows.size(), 2u);
    EXPECT_TRUE(unbalanced_verifications(r.document).empty());
}

// The specification's #BTRANS example: the removed row is kept but books nothing.
TEST(SieReader, ABtransRowIsKeptButNotBooked) {
    const ReadResult r = read_body(
        "#VER \"\" \"\" 20080101 \"Porto\"\n{\n#TRANS 1910 { } -1000.00\n#TRANS 2640 { } 200.00\n"
        "#BTRANS 6110 { } 800.00\n#RTRANS 6250 { } 800.00\n#TRANS 6250 { } 800.00\n}\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const Verification& v = r.document.verifications[0];
    ASSERT_EQ(v.rows.size(), 4u);
    EXPECT_EQ(v.rows[2].kind, RowKind::removed);
    EXPECT_FALSE(v.rows[2].booked());
    EXPECT_EQ(v.booked_sum(), Money{});
    const auto sums = booked_sum_by_account(r.document);
    EXPECT_EQ(sums.count("6110"), 0u);
    EXPECT_EQ(sums.at("6250"), sek(80000));
}

TEST(SieReader, RowsWithoutAnObjectListAreReadWithANote) {
    const ReadResult r = read_body(
        "#VER A 1 20210105\n{\n#TRANS 1910 -5 20210105 \"Fika\"\n#TRANS 7690 5\n}\n"
        "#PSALDO 0 202101 1910 -5\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    const auto& rows = r.document.verifications[0].rows;
    EXPECT_EQ(rows[0].amount, sek(-500));
    EXPECT_EQ(rows[0].text, "Fika");
    EXPECT_TRUE(rows[0].objects.empty());
    EXPECT_EQ(r.document.psaldo[0].amount, sek(-500));
    EXPECT_TRUE(has_note(r, body_line + 2, "3 records have no object list"));
}

TEST(SieReader, ARepeatedVerificationNumberIsANote) {
    const ReadResult r = read_body(
        "#VER # 1 20090731\n{\n#TRANS 1229 {} -133\n#TRANS 7830 {} 133\n}\n"
        "#VER # 1 20090831\n{\n#TRANS 1229 {} -133\n#TRANS 7830 {} 133\n}\n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_EQ(r.document.verifications[0].series, "#");
    EXPECT_TRUE(has_note(r, body_line, "verification # 1 appears 2 times"));
}

TEST(SieReader, VerificationsBelongInType4) {
    const ReadResult r = read_sie(
        "#FLAGGA 0\n#PROGRAM P 1\n#FORMAT PC8\n#GEN 20240101\n#SIETYP 2\n#FNAMN F\n"
        "#VER A 1 20210105\n{\n#TRANS 1910 {} 0\n}\n");
    EXPECT_TRUE(has_problem(r, 7, "#VER", "verifications belong in SIE type 4 files, and this one is type 2"));
}

TEST(SieReader, TheRequiredRecordsAreChecked) {
    const ReadResult r = read_sie("#SIETYP 4\n#FLAGGA 0\n");
    EXPECT_TRUE(has_problem(r, 1, "#SIETYP", "is the first record; every SIE file starts with #FLAGGA"));
    EXPECT_TRUE(has_problem(r, 0, "#PROGRAM", "is missing"));
    EXPECT_TRUE(has_problem(r, 0, "#GEN", "is missing"));
    EXPECT_TRUE(has_problem(r, 0, "#FNAMN", "is missing"));
    EXPECT_TRUE(has_problem(read_sie(""), 0, "", "the file holds no SIE record"));
    EXPECT_TRUE(has_problem(read_sie("\n\n"), 0, "", "the file holds no SIE record"));
}

TEST(SieReader, AnEmptyOrganisationNumberIsANote) {
    const ReadResult r = read_body("#ORGNR \n");
    ASSERT_TRUE(r.ok()) << test::describe(r);
    EXPECT_TRUE(has_note(r, body_line, "has no organisation number"));
}

TEST(SieReader, ControlCharactersAreReadAsSpaces) {
    const ReadResult r = read_body("#KONTO 1910 \"Kas\x01sa\"\n#KONTO 1920 \"Ba\tnk\"\n");
    EXPECT_TRUE(has_problem(r, body_line, "#KONTO", "control characters"));
    EXPECT_TRUE(has_problem(r, body_line + 1, "#KONTO", "control characters"));  // a tab inside quotes too
    EXPECT_EQ(r.document.accounts.at("1910").name, "Kas sa");
    EXPECT_EQ(r.document.accounts.at("1920").name, "Ba nk");
}

}  // namespace
}  // namespace likvard::sie
