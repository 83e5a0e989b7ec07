// Every stored column that statements, projections and exports read is checked against
// the canonical event: a superuser with the append-only triggers off changes one column
// (or adds or removes one row), and both `likvard verify` and the auditor's
// ops/verify-chain.py must fail at that seq, naming the column.
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

// Two months of one region: seq 1..14 the cast, then
constexpr std::int64_t payment_seq = 15;      // payment.made 2023-05 with a decision_ref
constexpr std::int64_t shared_cost_seq = 16;  // shared_cost.incurred 2023-05, decision_ref
constexpr std::int64_t reversed_seq = 17;     // payment.made 2023-05, reversed at 19
constexpr std::int64_t close_seq = 18;        // period.closed 2023-05
constexpr std::int64_t reversal_seq = 19;     // entry.reversed 2023-06
constexpr std::int64_t head_seq = 20;         // payment.made 2023-06

std::string with_decision(boost::json::object event) {
    event["decision_ref"] = "RS/773/2021";
    return line(event);
}

std::vector<std::string> two_months() {
    auto lines = cast();
    auto payment_event = boost::json::parse(payment(1, "hc-lugnvik", "100.00")).as_object();
    lines.push_back(with_decision(payment_event));
    lines.push_back(with_decision(envelope(
        2, "shared_cost.incurred",
        boost::json::object{
            {"service", "e_frikort"},
            {"vendor_id", "efrikort-leverantor"},
            {"amount", "41250.00"},
            {"paid_by", boost::json::array{boost::json::object{{"party_id", "egen-regi-primarvard"}, {"share", "0.5"}},
                                           boost::json::object{{"party_id", "hs-direktor"}, {"share", "0.5"}}}},
            {"allocation", boost::json::object{{"key", "listed"}, {"beneficiaries", "all_providers"}}}})));
    lines.push_back(payment(3, "hc-medinord", "200.00"));
    lines.push_back(line(envelope(4, "period.closed", boost::json::object{}, "2023-05")));
    lines.push_back(reversal(5, 3, "2023-06"));
    // Text that JSON and COPY escape, as an export must carry it through both.
    auto last = boost::json::parse(payment(6, "hc-lugnvik", "300.00", "2023-06")).as_object();
    last["source"] = boost::json::object{{"system", "ekonomi-å"}, {"reference", "F\\88\t\"213\""}};
    lines.push_back(line(last));
    return lines;
}

// One tampering: the SQL a superuser runs with the triggers off, the seq both verifiers
// must name, what `likvard verify` says there and what ops/verify-chain.py says (when it
// says something else: it checks the postings' consistency, not the posting rules).
struct Tampering {
    const char* name;
    const char* sql;
    std::int64_t seq;
    const char* problem;
    const char* script_problem = nullptr;  // nullptr: the same as `problem`
    const char* region = "SE-Z";
};

void PrintTo(const Tampering& tampering, std::ostream* out) { *out << tampering.name; }

const Tampering tamperings[] = {
    // ledger.events
    {"events_event_id", "UPDATE ledger.events SET event_id = '00000000-0000-4000-8000-000000000999' WHERE seq = 17", 17,
     "events.event_id is 00000000-0000-4000-8000-000000000999, the canonical event says "
     "00000000-0000-4000-8000-000000000003"},
    {"events_type", "UPDATE ledger.events SET type = 'overhead.compensated' WHERE seq = 15", 15,
     "events.type is overhead.compensated, the canonical event says payment.made"},
    {"events_scheme", "UPDATE ledger.events SET scheme = 'foot_care' WHERE seq = 15", 15,
     "events.scheme is foot_care, the canonical event says primary_care"},
    {"events_period", "UPDATE ledger.events SET period = '2023-06' WHERE seq = 15", 15,
     "events.period is 2023-06, the canonical event says 2023-05"},
    {"events_and_postings_period",  // the tampering: a payment moved to another month
     "UPDATE ledger.events SET period = '2023-06' WHERE seq = 17; UPDATE ledger.postings SET period = '2023-06' "
     "WHERE seq = 17",
     17, "events.period is 2023-06, the canonical event says 2023-05"},
    {"events_occurred_on", "UPDATE ledger.events SET occurred_on = occurred_on + 1 WHERE seq = 20", 20,
     "events.occurred_on is 2023-06-26, the canonical event says 2023-06-25"},
    {"events_decision_ref_removed", "UPDATE ledger.events SET decision_ref = NULL WHERE seq = 16", 16,
     "events.decision_ref is NULL, the canonical event says RS/773/2021"},
    {"events_decision_ref_added", "UPDATE ledger.events SET decision_ref = 'RS/1/2024' WHERE seq = 17", 17,
     "events.decision_ref is RS/1/2024, the canonical event says NULL"},
    {"events_source_system", "UPDATE ledger.events SET source_system = 'invoice' WHERE seq = 16", 16,
     "events.source_system is invoice, the canonical event says raindance"},
    {"events_source_reference", "UPDATE ledger.events SET source_reference = 'VER-0' WHERE seq = 15", 15,
     "events.source_reference is VER-0, the canonical event says VER-1"},
    {"events_reverses_removed", "UPDATE ledger.events SET reverses = NULL WHERE seq = 19", 19,
     "events.reverses is NULL, the canonical event says 00000000-0000-4000-8000-000000000003"},
    {"events_reverses_added",
     "UPDATE ledger.events SET reverses = '00000000-0000-4000-8000-000000000001' WHERE seq = 20", 20,
     "events.reverses is 00000000-0000-4000-8000-000000000001, the canonical event says NULL"},
    // ledger.postings
    {"postings_event_id",
     "UPDATE ledger.postings SET event_id = '00000000-0000-4000-8000-000000000999' WHERE seq = 15 AND line = 2", 15,
     "postings.event_id (line 2) is 00000000-0000-4000-8000-000000000999, the canonical event says "
     "00000000-0000-4000-8000-000000000001"},
    {"postings_scheme", "UPDATE ledger.postings SET scheme = 'foot_care' WHERE seq = 16 AND line = 3", 16,
     "postings.scheme (line 3) is foot_care, the canonical event says primary_care"},
    {"postings_period", "UPDATE ledger.postings SET period = '2023-06' WHERE seq = 15", 15,
     "postings.period (line 1) is 2023-06, the canonical event says 2023-05"},
    {"postings_account",
     "UPDATE ledger.postings SET account = 'hc-ostberg:income:compensation.capitation' WHERE seq = 15 AND line = 2", 15,
     "postings.account (line 2) is hc-ostberg:income:compensation.capitation, the canonical event says "
     "hc-lugnvik:income:compensation.capitation",
     "postings.account (line 2) is hc-ostberg:income:compensation.capitation, its party, account_class and item say "
     "hc-lugnvik:income:compensation.capitation"},
    {"postings_party", "UPDATE ledger.postings SET party = 'hc-ostberg' WHERE seq = 15 AND line = 2", 15,
     "postings.party (line 2) is hc-ostberg, the canonical event says hc-lugnvik",
     "postings.account (line 2) is hc-lugnvik:income:compensation.capitation, its party, account_class and item say "
     "hc-ostberg:income:compensation.capitation"},
    {"postings_account_class", "UPDATE ledger.postings SET account_class = 'expense' WHERE seq = 15 AND line = 2", 15,
     "postings.account_class (line 2) is expense, the canonical event says income",
     "postings.account (line 2) is hc-lugnvik:income:compensation.capitation, its party, account_class and item say "
     "hc-lugnvik:expense:compensation.capitation"},
    {"postings_item", "UPDATE ledger.postings SET item = 'compensation.variable' WHERE seq = 15 AND line = 2", 15,
     "postings.item (line 2) is compensation.variable, the canonical event says compensation.capitation",
     "postings.account (line 2) is hc-lugnvik:income:compensation.capitation, its party, account_class and item say "
     "hc-lugnvik:income:compensation.variable"},
    {"postings_amount", "UPDATE ledger.postings SET amount = amount + 1 WHERE seq = 16 AND line = 2", 16,
     "postings.amount (line 2) is 2062501, the canonical event says 2062500", "postings do not sum to zero"},
    {"postings_amount_of_a_reversal", "UPDATE ledger.postings SET amount = amount * 2 WHERE seq = 19 AND line = 1", 19,
     "postings.amount (line 1) is -40000, the canonical event says -20000", "postings do not sum to zero"},
    {"postings_line", "UPDATE ledger.postings SET line = line + 10 WHERE seq = 16 AND line = 2", 16,
     "postings.line is 3, expected 2 (lines run 1..n)"},
    {"postings_line_deleted", "DELETE FROM ledger.postings WHERE seq = 16 AND line = 2", 16,
     "postings.line is 3, expected 2 (lines run 1..n)"},
    {"postings_line_added",
     "INSERT INTO ledger.postings SELECT region, seq, 3, event_id, scheme, period, account, party, account_class, item, "
     "100 FROM ledger.postings WHERE seq = 20 AND line = 2",
     20, "postings: 3 lines stored, the posting rules derive 2", "postings do not sum to zero"},
    {"postings_without_an_event",
     "INSERT INTO ledger.postings SELECT region, 99, line, event_id, scheme, period, account, party, account_class, item, "
     "amount FROM ledger.postings WHERE seq = 20",
     99, "postings without an event"},
    // ledger.periods
    {"periods_row_deleted", "DELETE FROM ledger.periods WHERE closed_by_seq = 18", 18,
     "periods: SE-Z primary_care 2023-05 is missing (closed by this event)"},
    {"periods_row_added",
     "INSERT INTO ledger.periods (region, scheme, period, closed_by_seq) VALUES ('SE-Z', 'primary_care', '2023-06', 20)",
     20, "periods: SE-Z primary_care 2023-06 has no period.closed event"},
    {"periods_row_added_past_the_head",
     "INSERT INTO ledger.periods (region, scheme, period, closed_by_seq) VALUES ('SE-Z', 'foot_care', '2023-05', 99)",
     99, "periods: SE-Z foot_care 2023-05 has no period.closed event"},
    {"periods_row_added_in_a_region_without_events",
     "INSERT INTO ledger.periods (region, scheme, period, closed_by_seq) VALUES ('SE-AC', 'primary_care', '2023-05', 1)",
     1, "periods: SE-AC primary_care 2023-05 has no period.closed event", nullptr, "SE-AC"},
    {"periods_closed_by_seq", "UPDATE ledger.periods SET closed_by_seq = 17", 17,
     "periods: SE-Z primary_care 2023-05 has no period.closed event"},
    {"periods_period", "UPDATE ledger.periods SET period = '2023-06'", 18,
     "periods: SE-Z primary_care 2023-06 has no period.closed event"},
};

class VerifyTamper : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        const auto lines = two_months();
        ASSERT_EQ(append_lines(lines), lines.size());
        ASSERT_EQ(count("SELECT max(seq) FROM ledger.events"), head_seq);
        ASSERT_EQ(count("SELECT count(*) FROM ledger.periods"), 1);
    }
    RunResult cli(const std::string& arguments = "") {
        return run(std::string(LIKVARD_BIN) + " verify --skip-projections --database-url " + shell_quote(url) +
                   arguments);
    }
    RunResult script(const std::string& arguments = "") {
        return run("python3 " + shell_quote(std::string(LIKVARD_SOURCE_DIR) + "/ops/verify-chain.py") + " --url " +
                   shell_quote(url) + arguments);
    }
};

class VerifyTamperColumn : public VerifyTamper, public ::testing::WithParamInterface<Tampering> {};

const RegionVerification* report_of(const std::vector<RegionVerification>& reports, const std::string& region) {
    for (const auto& report : reports)
        if (report.region == region) return &report;
    return nullptr;
}

// The verifiers' line of a region (both print one line per region).
std::string line_of(const std::string& out, const std::string& region) {
    const auto at = out.find("region " + region + ": ");
    return at == std::string::npos ? "" : out.substr(at, out.find('\n', at) - at);
}

}  // namespace

TEST_F(VerifyTamper, TheUntamperedLedgerVerifiesInBoth) {
    const auto reports = verify(url, std::nullopt);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_TRUE(reports[0].ok) << reports[0].problem;
    EXPECT_EQ(reports[0].head_seq, head_seq);
    const auto by_cli = cli();
    EXPECT_EQ(by_cli.exit_code, 0) << by_cli.out << by_cli.err;
    const auto by_script = script();
    EXPECT_EQ(by_script.exit_code, 0) << by_script.out << by_script.err;
    EXPECT_EQ(by_script.out, by_cli.out);
    EXPECT_EQ(script(" --region SE-Z").out, by_cli.out);
    // As of a seq before the close, its ledger.periods row is not yet due.
    const auto before_close = verify(url, std::nullopt, close_seq - 1);
    EXPECT_TRUE(before_close[0].ok) << before_close[0].problem;
    EXPECT_EQ(before_close[0].head_seq, close_seq - 1);
}

TEST_F(VerifyTamper, AnExportMadeWithThePrintedQueryVerifiesLikeTheDatabase) {
    const std::string source = shell_quote(std::string(LIKVARD_SOURCE_DIR) + "/ops/verify-chain.py");
    const std::string export_path = "/tmp/likvard-verify-export-" + std::to_string(getpid()) + ".tsv";
    const auto exported = run("psql " + shell_quote(url) + " -X -q -v ON_ERROR_STOP=1 -c \"$(python3 " + source +
                              " --print-query)\" > " + shell_quote(export_path));
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    const auto from_file = run("python3 " + source + " --tsv " + shell_quote(export_path));
    std::remove(export_path.c_str());
    EXPECT_EQ(from_file.exit_code, 0) << from_file.out << from_file.err;
    EXPECT_EQ(from_file.out, script().out);
}

TEST_P(VerifyTamperColumn, BothVerifiersFailAtThatSeqNamingTheColumn) {
    const Tampering& t = GetParam();
    query(std::string("SET session_replication_role = replica; ") + t.sql);

    const auto reports = verify(url, std::nullopt);
    const RegionVerification* report = report_of(reports, t.region);
    ASSERT_NE(report, nullptr) << t.region;
    EXPECT_FALSE(report->ok);
    EXPECT_EQ(report->bad_seq, t.seq) << report->problem;
    EXPECT_EQ(report->problem, t.problem);

    const std::string failed_at = "region " + std::string(t.region) + ": FAILED at seq " + std::to_string(t.seq) + ": ";
    const auto by_cli = cli();
    EXPECT_EQ(by_cli.exit_code, 1) << by_cli.err;
    EXPECT_EQ(line_of(by_cli.out, t.region), failed_at + report->problem);

    const auto by_script = script();
    EXPECT_EQ(by_script.exit_code, 1) << by_script.out << by_script.err;
    EXPECT_EQ(line_of(by_script.out, t.region), failed_at + (t.script_problem ? t.script_problem : t.problem))
        << by_script.out;
}

INSTANTIATE_TEST_SUITE_P(EachStoredColumn, VerifyTamperColumn, ::testing::ValuesIn(tamperings),
                         [](const ::testing::TestParamInfo<Tampering>& info) { return std::string(info.param.name); });
