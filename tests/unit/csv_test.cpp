// Spreadsheets to events (ledger/csv): the table as spreadsheets write it, numbers with a
// decimal comma or point, ids from the content, and every problem named by line and column.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "csv/csv.hpp"

using namespace likvard;
using namespace likvard::csv;

namespace {

std::vector<std::string> problems_of(const std::vector<Problem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems) out.push_back(p.to_string());
    return out;
}

Imported import_text(const std::string& text, EventType type, std::optional<std::string> scheme = "primary_care") {
    const TableRead read = read_table(text);
    EXPECT_TRUE(read.problems.empty()) << problems_of(read.problems).front();
    Decoder decoder;
    return import_table(read.table, ImportOptions{type, "SE-Z", std::move(scheme)}, decoder);
}

boost::json::object data_of(const ImportedEvent& event) {
    return boost::json::parse(event.json).as_object().at("data").as_object();
}

}  // namespace

TEST(CsvTable, SemicolonsQuotesLineBreaksAndAByteOrderMark) {
    const TableRead read = read_table(
        "\xEF\xBB\xBFparty_id;name\r\nhc-a;\"Hälsocentralen \"\"A\"\"; Östersund\"\r\n"
        "hc-b;\"två\nrader\"\r\n;\r\nhc-c;C\r\n");
    ASSERT_TRUE(read.problems.empty()) << problems_of(read.problems)[0];
    EXPECT_EQ(read.table.separator, ';');
    EXPECT_EQ(read.table.header, (std::vector<std::string>{"party_id", "name"}));
    ASSERT_EQ(read.table.rows.size(), 3u);  // the empty row is left out
    EXPECT_EQ(read.table.rows[0].fields[1], "Hälsocentralen \"A\"; Östersund");
    EXPECT_EQ(read.table.rows[1].fields[1], "två\nrader");
    EXPECT_EQ(read.table.rows[1].line, 3);
    EXPECT_EQ(read.table.rows[2].line, 6);
    EXPECT_EQ(read.table.rows[2].text, "hc-c;C");
}

TEST(CsvTable, TheSeparatorIsTheHeaderRowsOrTheOneAskedFor) {
    EXPECT_EQ(read_table("a,b\n1,2\n").table.separator, ',');
    EXPECT_EQ(read_table("a;b,c\n1;2,3\n").table.separator, ';');
    EXPECT_EQ(read_table("\"a;x\",b\n1,2\n").table.separator, ',');  // a ';' inside quotes does not count
    const TableRead asked = read_table("a;b\n1;2\n", ',');
    EXPECT_EQ(asked.table.header, std::vector<std::string>{"a;b"});
}

TEST(CsvTable, ProblemsNameTheLineAndColumn) {
    const TableRead read = read_table("a;b\n1;\"2\"x\n1;2;3\n1;2;;\n1;\"open\n");
    EXPECT_EQ(problems_of(read.problems),
              (std::vector<std::string>{
                  "line 2, column b: text after the closing quote (write \"\" for a quote inside quotes)",
                  "line 3: 3 fields, the header row has 2 (a separator too many or too few, or a field with a "
                  "separator that lacks quotes)",
                  "line 5, column b: the quoted field is not closed (a \" is missing)"}));
}

TEST(CsvTable, BytesThatAreNotUtf8AndAMissingHeaderAreRefused) {
    EXPECT_EQ(problems_of(read_table("a;b\n1;2\n\xE5r;3\n").problems),
              std::vector<std::string>{"line 3: not valid UTF-8 (save the sheet as \"CSV UTF-8\")"});
    EXPECT_EQ(problems_of(read_table("").problems),
              std::vector<std::string>{"line 1: there is no header row (the first row names the columns)"});
    EXPECT_EQ(read_table(std::string(file_bytes_max + 1, 'a')).problems.size(), 1u);
}

TEST(CsvNumbers, DecimalCommaOrPointAndSpacesBetweenThousands) {
    EXPECT_EQ(*amount_text("1 300 000,50"), "1300000.50");
    EXPECT_EQ(*amount_text("1300000.50"), "1300000.50");
    EXPECT_EQ(*amount_text("1\xC2\xA0"
                           "300\xE2\x80\xAF"
                           "000"),
              "1300000");
    EXPECT_EQ(*amount_text("-240000,5"), "-240000.5");
    EXPECT_EQ(*decimal_text("9120,3315"), "9120.3315");
    EXPECT_EQ(*integer_value("8 412"), 8412);
}

TEST(CsvNumbers, AmbiguousOrMalformedNumbersAreRefusedSayingWhy) {
    EXPECT_EQ(amount_text("1.300,50").error,
              "\"1.300,50\" is ambiguous: write it with one decimal mark and no "
              "other, e.g. 1300000,50 or 1 300 000,50 (only spaces group thousands)");
    EXPECT_EQ(amount_text("1,300.50").value, std::nullopt);
    EXPECT_EQ(amount_text("1.300.000").error,
              "\"1.300.000\" has more than one decimal mark (only spaces group "
              "thousands)");
    EXPECT_EQ(amount_text("1300,505").error, "\"1300,505\" has more than two decimals");
    EXPECT_EQ(amount_text("12 kr").error, "\"12 kr\" contains 'k', not a plain decimal number");
    EXPECT_EQ(decimal_text("0,12345").error, "\"0,12345\" has more than four decimals");
    EXPECT_EQ(integer_value("8412,5").error, "\"8412,5\" is not a whole number");
    EXPECT_EQ(integer_value("9999999999999999999").error, "\"9999999999999999999\" is too large");
}

TEST(CsvUuid, VersionFiveAsPythonComputesIt) {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'urn:likvard:import:spreadsheet'))"
    EXPECT_EQ(uuid_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "urn:likvard:import:spreadsheet"), spreadsheet_namespace);
    // python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('9d6f1213-53ce-5ecd-8e0d-3c1b5effb751'),
    //             'SE-Z\nparty.registered\nhc-lugnvik'))"
    EXPECT_EQ(uuid_v5(spreadsheet_namespace, "SE-Z\nparty.registered\nhc-lugnvik"),
              "105b0679-7c1f-503d-91ca-98938e094436");
}

TEST(CsvImport, ABudgetSheetBecomesBudgetEvents) {
    const Imported imported = import_text(
        "party_id;side;line;amount;period\n"
        "hc-lugnvik;;capitation;1 874 512,40;2023-05\n"
        ";private;commitment:other;0;2023-05\n",
        EventType::budget_set);
    ASSERT_TRUE(imported.problems.empty()) << problems_of(imported.problems)[0];
    ASSERT_EQ(imported.events.size(), 2u);
    EXPECT_EQ(imported.events[0].line, 2);
    const auto first = boost::json::parse(imported.events[0].json).as_object();
    EXPECT_EQ(first.at("type"), "budget.set");
    EXPECT_EQ(first.at("occurred_on"), "2023-05-01");
    EXPECT_EQ(first.at("source").at("system"), "spreadsheet");
    EXPECT_EQ(first.at("source").at("reference"), "budget 2023-05 hc-lugnvik capitation");
    EXPECT_EQ(data_of(imported.events[0]),
              (boost::json::object{{"party_id", "hc-lugnvik"}, {"line", "capitation"}, {"amount", "1874512.40"}}));
    EXPECT_EQ(data_of(imported.events[1]),
              (boost::json::object{{"side", "private"}, {"line", "commitment:other"}, {"amount", "0"}}));
}

TEST(CsvImport, TheSameRowIsTheSameIdAndARevisedBudgetANewOne) {
    const std::string header = "party_id,line,amount,period\n";
    const auto id = [&](const std::string& row) {
        const Imported imported = import_text(header + row, EventType::budget_set);
        EXPECT_EQ(imported.events.size(), 1u) << row;
        return imported.events.empty() ? std::string() : imported.events[0].event_id;
    };
    const std::string original = id("hc-lugnvik,capitation,100.00,2023-05\n");
    EXPECT_EQ(id("hc-lugnvik,capitation,100.00,2023-05\n"), original);
    EXPECT_EQ(id("hc-lugnvik , capitation , 100.00 , 2023-05\n"), original);  // spaces around fields are trimmed
    EXPECT_NE(id("hc-lugnvik,capitation,120.00,2023-05\n"), original);
    EXPECT_NE(id("hc-lugnvik,capitation,100.00,2023-06\n"), original);
    EXPECT_EQ(original[14], '5');  // version 5
}

TEST(CsvImport, APartyIsTheSameEventWhateverElseTheRowSays) {
    const std::string header = "party_id;name;kind;side;provider_type;period\n";
    const Imported first =
        import_text(header + "hc-a;A;provider;private;health_centre;2023-01\n", EventType::party_registered);
    const Imported renamed =
        import_text(header + "hc-a;A AB;provider;private;health_centre;2023-02\n", EventType::party_registered);
    ASSERT_EQ(first.events.size(), 1u);
    ASSERT_EQ(renamed.events.size(), 1u);
    EXPECT_EQ(first.events[0].event_id, renamed.events[0].event_id);
    EXPECT_NE(first.events[0].json, renamed.events[0].json);  // a conflict the ledger names, never a second party
}

TEST(CsvImport, AListingSheetReadsCountsAndWeightedCounts) {
    const Imported imported = import_text(
        "provider_id;listed;weighted_listed;period;scheme\n"
        "hc-lugnvik;8 412;9 120,3315;2023-01;foot_care\n",
        EventType::listing_recorded, std::nullopt);
    ASSERT_TRUE(imported.problems.empty()) << problems_of(imported.problems)[0];
    const auto event = boost::json::parse(imported.events.at(0).json).as_object();
    EXPECT_EQ(event.at("scheme"), "foot_care");
    EXPECT_EQ(event.at("data"),
              (boost::json::object{{"provider_id", "hc-lugnvik"}, {"listed", 8412}, {"weighted_listed", "9120.3315"}}));
}

TEST(CsvImport, EveryProblemOfTheSheetIsNamedAndNothingIsImported) {
    const Imported imported = import_text(
        "party_id;side;line;amount;period\n"
        "hc-lugnvik;;capitation;1.300,50;2023-05\n"
        "hc-lugnvik;private;capitation;10;2023-05\n"
        ";purchaser;capitation;10;2023-05\n"
        "hc-lugnvik;;bonus;10;2023-13\n"
        "hc-lugnvik;;capitation;-10;2023-05\n"
        "hc-lugnvik;;capitation;10;2023-05\n",
        EventType::budget_set);
    EXPECT_TRUE(imported.events.empty());
    EXPECT_EQ(imported.problems_total, 5u);
    EXPECT_EQ(problems_of(imported.problems),
              (std::vector<std::string>{
                  "line 2, column amount: \"1.300,50\" is ambiguous: write it with one decimal mark and no other, "
                  "e.g. 1300000,50 or 1 300 000,50 (only spaces group thousands)",
                  "line 3, column side: is not allowed beside party_id (a budget is for one party or one side) "
                  "(schema_violation)",
                  "line 4, column side: \"purchaser\" is not one of the allowed values (schemas/events/) "
                  "(schema_violation)",
                  "line 5, column period: \"2023-13\" is not a month YYYY-MM",
                  "line 6, column amount: \"-10\" must not be negative (a zero budget is a budget) "
                  "(schema_violation)"}));
}

TEST(CsvImport, TheHeaderMustNameTheTypesColumnsOnce) {
    const Imported imported =
        import_text("party_id;Amount;amount;colour;\n", EventType::budget_set);  // no line, no period
    EXPECT_EQ(problems_of(imported.problems),
              (std::vector<std::string>{
                  "line 1, column amount: is named twice",
                  "line 1, column colour: is not a column of a budget.set sheet (the columns are party_id, side, "
                  "line, amount, period, scheme, occurred_on, decision_ref, source_system, source_reference)",
                  "line 1: column 5 has no name", "line 1, column line: is missing (a budget.set sheet needs it)",
                  "line 1, column period: is missing (a budget.set sheet needs it)"}));
}

TEST(CsvImport, ASchemeIsNeededFromTheSheetOrTheCommandLine) {
    const Imported imported =
        import_text("party_id;line;amount;period\nhc-a;capitation;1;2023-05\n", EventType::budget_set, std::nullopt);
    EXPECT_EQ(problems_of(imported.problems),
              std::vector<std::string>{"line 2, column scheme: is empty and no --scheme was given"});
    EXPECT_FALSE(importable(EventType::payment_made));
    EXPECT_TRUE(importable(EventType::party_registered));
}
