// The projections on a real sample year (SE-Z 2022: every event type, shared costs with
// every allocation key, commitments with fte, a reversal): incremental runs, restarts,
// the rebuild and its atomic swap, the consistency check, the dashboard views, and the
// statements from projections byte-identical to the statements from the postings.
#include "database.hpp"
#include "event_builder.hpp"
#include "run.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <sys/wait.h>
#include <thread>

#include "projections/projections.hpp"
#include "store/connection.hpp"
#include "sample/sample.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

class ProjectionTest : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(url);
        events = generate_sample(SampleSpec{"SE-Z", 2022, 1});
    }

    // Appends events [from, to) of the sample year in batches of 500.
    void append_range(std::size_t from, std::size_t to) {
        for (std::size_t at = from; at < to; at += 500) {
            std::vector<Incoming> batch;
            for (std::size_t i = at; i < std::min(to, at + 500); ++i) batch.push_back({events[i], Source{}});
            ASSERT_EQ(store->append(batch).rejected, 0u);
        }
    }

    std::string statement(const std::string& which, StatementSource source, const std::string& from = "2022-01",
                          const std::string& to = "2022-12") {
        StatementQuery query{which, "SE-Z", "primary_care", from, to, std::nullopt, source};
        const StatementResult result = make_statement(*store, query, "test");
        EXPECT_EQ(result.source_used, source);
        return render_json(result.document);
    }

    // `likvard projections run` in a child process, its stdout and stderr in a new file made
    // from `log_path` (a mkstemp template, rewritten with the file's name); -1 if fork fails.
    pid_t start_projections_run(char* log_path) {
        close(mkstemp(log_path));
        const pid_t runner = fork();
        if (runner == 0) {
            const int log = open(log_path, O_WRONLY | O_TRUNC);
            dup2(log, 1);
            dup2(log, 2);
            execl(LIKVARD_BIN, "likvard", "projections", "run", "--interval-ms", "50", "--database-url",
                  projector_url.c_str(), nullptr);
            _exit(127);
        }
        return runner;
    }

    std::unique_ptr<Store> store;
    std::vector<std::string> events;
};

TEST_F(ProjectionTest, IncrementalRunsInPiecesGiveTheBytesOfThePostings) {
    Projections projections(projector_url);
    projections.ensure();
    // Three pieces of the year with catch-ups in between, in transactions of 97 events.
    const std::size_t third = events.size() / 3;
    append_range(0, third);
    EXPECT_EQ(projections.catch_up(97).events, static_cast<std::int64_t>(third));
    append_range(third, 2 * third);
    projections.catch_up(97);
    append_range(2 * third, events.size());
    const CatchUpReport last = projections.catch_up(97);
    EXPECT_EQ(last.events, static_cast<std::int64_t>(events.size() - 2 * third));
    EXPECT_GT(last.transactions, 10);

    for (const std::string which : {"neutrality", "commitments"}) {
        EXPECT_EQ(statement(which, StatementSource::projections), statement(which, StatementSource::ledger)) << which;
        // a part of the year, too (the months are a filter on the projections)
        EXPECT_EQ(statement(which, StatementSource::projections, "2022-03", "2022-07"),
                  statement(which, StatementSource::ledger, "2022-03", "2022-07"))
            << which;
    }
    EXPECT_TRUE(projections.check_consistency().empty());
}

TEST_F(ProjectionTest, ARestartGoesOnFromTheCheckpointAndProjectsNothingTwice) {
    append_range(0, events.size());
    Projections first(projector_url);
    first.ensure();  // a missing schema is built by a rebuild, to the head
    const auto positions = first.positions();
    ASSERT_EQ(positions.size(), 1u);
    EXPECT_EQ(positions[0].projected_seq, positions[0].head_seq);
    const std::string before = statement("neutrality", StatementSource::projections);

    Projections second(projector_url);  // another process, later
    second.ensure();          // the same layout: nothing rebuilt
    EXPECT_EQ(second.catch_up().events, 0);
    EXPECT_EQ(statement("neutrality", StatementSource::projections), before);
    // Budgets are not events of the statements' sums: not counted.
    const auto is_budget = [](const std::string& e) { return e.find("\"budget.set\"") != std::string::npos; };
    const auto budgets = std::count_if(events.begin(), events.end(), is_budget);
    EXPECT_GT(budgets, 0);
    EXPECT_EQ(count("SELECT sum(events) FROM projection.event_counts"),
              static_cast<std::int64_t>(events.size()) - budgets);
}

TEST_F(ProjectionTest, AutomaticSourceReadsTheBlocksAndThePostingsAfterThemWhileTheProjectionsLag) {
    Projections projections(projector_url);
    projections.ensure();
    append_range(0, events.size() - 10);
    projections.catch_up();
    EXPECT_EQ(statement("neutrality", StatementSource::projections),
              statement("neutrality", StatementSource::ledger));
    append_range(events.size() - 10, events.size());  // the projections are now 10 events behind
    StatementQuery query{"neutrality", "SE-Z", "primary_care", "2022-01", "2022-12", std::nullopt,
                         StatementSource::automatic};
    // the blocks below the checkpoint and the postings after them, the bytes of the postings alone
    const StatementResult lagging_auto = make_statement(*store, query, "test");
    EXPECT_EQ(lagging_auto.source_used, StatementSource::blocks);
    EXPECT_EQ(render_json(lagging_auto.document), statement("neutrality", StatementSource::ledger));
    // asked for explicitly, the projections answer at their checkpoint, which the provenance names
    query.source = StatementSource::projections;
    const Document lagging = make_statement(*store, query, "test").document;
    EXPECT_EQ(lagging.provenance[5].second, std::to_string(store->head("SE-Z").seq - 10));
    projections.catch_up();
    query.source = StatementSource::automatic;
    EXPECT_EQ(make_statement(*store, query, "test").source_used, StatementSource::projections);
}

TEST_F(ProjectionTest, RebuildEqualsTheIncrementalProjectionsTableByTable) {
    Projections projections(projector_url);
    projections.ensure();
    append_range(0, events.size());
    projections.catch_up(250);
    const std::string tables[] = {"balances", "listings", "parties", "event_counts", "decision_refs",
                                  "commitment_facts", "cross_subsidies", "shared_cost_events", "shared_cost_keys"};
    std::map<std::string, std::string> incremental;
    for (const auto& table : tables)
        incremental[table] = query("SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM projection." + table +
                                   " t")[0][0].c_str();
    const RebuildReport report = projections.rebuild();
    EXPECT_EQ(report.events, static_cast<std::int64_t>(events.size()));
    for (const auto& table : tables) {
        EXPECT_FALSE(incremental[table].empty()) << table;
        EXPECT_EQ(query("SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM projection." + table + " t")[0][0]
                      .c_str(),
                  incremental[table])
            << table;
    }
    EXPECT_EQ(count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'projection\\_%'"), 0);
}

TEST_F(ProjectionTest, ReadersSeeTheOldProjectionsOrTheNewDuringARebuildNeverAHalf) {
    Projections projections(projector_url);
    projections.ensure();
    append_range(0, events.size() / 2);
    projections.catch_up();
    std::atomic<bool> done{false};
    std::atomic<int> reads{0};
    std::thread reader([&] {
        pqxx::connection connection(url);
        while (!done) {
            pqxx::work tx(connection);
            // In one snapshot the counted events and the budgets (not counted) up to the checkpoint
            // always make the checkpoint: never a half-built model.
            const pqxx::result r = tx.exec(
                "SELECT (SELECT seq FROM projection.checkpoints WHERE region = 'SE-Z'), "
                "(SELECT sum(events) FROM projection.event_counts WHERE region = 'SE-Z') + "
                "(SELECT count(*) FROM ledger.events WHERE region = 'SE-Z' AND type = 'budget.set' "
                "AND seq <= (SELECT seq FROM projection.checkpoints WHERE region = 'SE-Z'))");
            EXPECT_EQ(r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>());
            ++reads;
        }
    });
    append_range(events.size() / 2, events.size());
    for (int i = 0; i < 3; ++i) projections.rebuild();
    done = true;
    reader.join();
    EXPECT_GT(reads.load(), 0);
    EXPECT_EQ(count("SELECT seq FROM projection.checkpoints WHERE region = 'SE-Z'"),
              static_cast<std::int64_t>(events.size()));
}

TEST_F(ProjectionTest, TheConsistencyCheckFindsATamperedProjection) {
    append_range(0, events.size());
    Projections projections(projector_url);
    projections.ensure();
    EXPECT_TRUE(projections.check_consistency().empty());
    query("UPDATE projection.balances SET amount_ore = amount_ore + 1 WHERE party = 'hc-are' AND period = '2022-05' "
          "AND item = 'compensation.capitation'");
    query("DELETE FROM projection.listings WHERE provider = 'hc-sveg' AND period = '2022-02'");
    const auto problems = projections.check_consistency();
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0], "projection.balances: 1 rows not in a fresh replay, 1 rows of the replay missing");
    EXPECT_EQ(problems[1], "projection.listings: 0 rows not in a fresh replay, 1 rows of the replay missing");
    // the check left nothing behind, and `likvard verify` says the same and fails
    EXPECT_EQ(count("SELECT count(*) FROM pg_namespace WHERE nspname = 'projection_check'"), 0);
    const auto verified = run(std::string(LIKVARD_BIN) + " verify --database-url " + shell_quote(reader_url));
    EXPECT_EQ(verified.exit_code, 1) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("region SE-Z: ok"), std::string::npos) << verified.out;
    EXPECT_NE(verified.out.find("projections: INCONSISTENT: projection.listings"), std::string::npos) << verified.out;
    projections.rebuild();
    const auto after = run(std::string(LIKVARD_BIN) + " verify --database-url " + shell_quote(reader_url));
    EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
    EXPECT_NE(after.out.find("projections: consistent at their checkpoints (SE-Z seq " +
                             std::to_string(events.size()) + ")"),
              std::string::npos)
        << after.out;
}

// The allocation keys of a statement at the head: the invoices of an estimated key one by
// one from projection.shared_cost_events (one row per event, as the postings sum it), the
// others summed per month and key from projection.shared_cost_keys; the consistency check
// compares both like the other tables.
TEST_F(ProjectionTest, TheInvoicesOfTheAllocationKeysAtTheHeadAreTheProjectedSharedCostEventsAndKeys) {
    append_range(0, events.size());
    Projections projections(projector_url);
    projections.ensure();
    projections.catch_up();
    EXPECT_EQ(count("SELECT count(*) FROM projection.shared_cost_events"),
              count("SELECT count(DISTINCT seq) FROM ledger.postings WHERE account_class IN ('expense', 'benefit') "
                    "AND item LIKE 'shared\\_cost.%'"));
    EXPECT_GT(count("SELECT count(*) FROM projection.shared_cost_events WHERE scheme = 'primary_care' AND estimate"),
              0);
    // Every event of a key that is not an estimate is counted once in the keys' sums.
    EXPECT_EQ(count("SELECT coalesce(sum(events), 0) FROM projection.shared_cost_keys"),
              count("SELECT count(*) FROM projection.shared_cost_events WHERE NOT estimate"));
    EXPECT_GT(count("SELECT count(*) FROM projection.shared_cost_keys WHERE scheme = 'primary_care'"), 0);
    const std::string from_postings = statement("neutrality", StatementSource::ledger);
    EXPECT_EQ(statement("neutrality", StatementSource::projections), from_postings);
    // One estimated invoice's region-run share changed in the projection: the statement at
    // the head shows it (so it reads the projection), and the check finds it.
    query("UPDATE projection.shared_cost_events SET paid_region_run_ore = paid_region_run_ore + 100, "
          "paid_ore = paid_ore + 100 WHERE seq = (SELECT min(seq) FROM projection.shared_cost_events "
          "WHERE scheme = 'primary_care' AND estimate AND paid_region_run_ore > 0)");
    EXPECT_NE(statement("neutrality", StatementSource::projections), from_postings);
    auto problems = projections.check_consistency();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "projection.shared_cost_events: 1 rows not in a fresh replay, 1 rows of the replay missing");
    projections.rebuild();
    EXPECT_EQ(statement("neutrality", StatementSource::projections), from_postings);
    // One month's sum of a measured key changed: the same.
    query("UPDATE projection.shared_cost_keys SET paid_ore = paid_ore + 100 WHERE ctid = "
          "(SELECT ctid FROM projection.shared_cost_keys WHERE scheme = 'primary_care' ORDER BY period, service "
          "LIMIT 1)");
    EXPECT_NE(statement("neutrality", StatementSource::projections), from_postings);
    problems = projections.check_consistency();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "projection.shared_cost_keys: 1 rows not in a fresh replay, 1 rows of the replay missing");
    projections.rebuild();
    EXPECT_TRUE(projections.check_consistency().empty());
    EXPECT_EQ(statement("neutrality", StatementSource::projections), from_postings);
}

// Each invoice's month, decision reference and key are kept beside its sums: the statement
// at the head reads them there (a changed reference shows), the check compares them, and a
// key that no longer decodes is an error that names the table, the key and the way out.
TEST_F(ProjectionTest, TheInvoicesFactsAtTheHeadAreTheProjectionsAndCheckedLikeTheRest) {
    append_range(0, events.size());
    Projections projections(projector_url);
    projections.ensure();
    const std::string from_postings = statement("neutrality", StatementSource::ledger);
    EXPECT_EQ(statement("neutrality", StatementSource::projections), from_postings);
    const std::string first =
        "(SELECT min(seq) FROM projection.shared_cost_events WHERE scheme = 'primary_care' AND estimate)";
    query("UPDATE projection.shared_cost_events SET decision_ref = 'RS/1/1999' WHERE seq = " + first);
    EXPECT_EQ(from_postings.find("RS/1/1999"), std::string::npos);
    EXPECT_NE(statement("neutrality", StatementSource::projections).find("RS/1/1999"), std::string::npos);
    auto problems = projections.check_consistency();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "projection.shared_cost_events: 1 rows not in a fresh replay, 1 rows of the replay missing");
    projections.rebuild();
    const std::string one_key =
        "ctid = (SELECT ctid FROM projection.shared_cost_keys WHERE scheme = 'primary_care' "
        "ORDER BY period, service LIMIT 1)";
    query("UPDATE projection.shared_cost_keys SET decision_ref = 'RS/2/1999' WHERE " + one_key);
    EXPECT_NE(statement("neutrality", StatementSource::projections).find("RS/2/1999"), std::string::npos);
    problems = projections.check_consistency();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "projection.shared_cost_keys: 1 rows not in a fresh replay, 1 rows of the replay missing");
    query("UPDATE projection.shared_cost_keys SET allocation = '{\"beneficiaries\": \"all_providers\"}' WHERE " +
          one_key);
    try {
        statement("neutrality", StatementSource::projections);
        ADD_FAILURE() << "an allocation without its key";
    } catch (const std::runtime_error& error) {
        const std::string said = error.what();
        EXPECT_NE(said.find("projection.shared_cost_keys holds an allocation that does not decode: "
                            "{\"beneficiaries\": \"all_providers\"}; run likvard verify"),
                  std::string::npos)
            << said;
    }
    projections.rebuild();
    EXPECT_EQ(statement("neutrality", StatementSource::projections), from_postings);
}

// `likvard migrate` creates the tables (the projector may not); until a runner has built
// them nothing reads them, and another layout is created again by migrate, not by the runner.
TEST_F(ProjectionTest, TablesThatNoRunnerBuiltAreNotReadAndAnotherLayoutWaitsForMigrate) {
    append_range(0, 500);
    Projections projections(projector_url);
    EXPECT_FALSE(projections.built());
    EXPECT_FALSE(read_projected_slice(store_connection(*store), "SE-Z", "primary_care", "2022-01", "2022-12").has_value());
    const StatementQuery ask{"neutrality", "SE-Z", "primary_care", "2022-01", "2022-12", std::nullopt,
                             StatementSource::projections};
    EXPECT_THROW(make_statement(*store, ask, "test"), std::runtime_error);
    try {
        projections.catch_up();
        ADD_FAILURE() << "caught up on projections that were never built";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "the projections are not built yet: run likvard projections rebuild");
    }
    projections.ensure();  // builds them
    EXPECT_TRUE(projections.built());
    EXPECT_EQ(count("SELECT seq FROM projection.checkpoints"), 500);

    query("UPDATE projection.layout SET sha256 = 'the layout of another likvard'");
    try {
        projections.ensure();
        ADD_FAILURE() << "ensure() accepted another layout";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "the projections were created from another layout than this program's: run likvard "
                                   "migrate (as the owner), then likvard projections rebuild");
    }
    EXPECT_THROW(projections.rebuild(), std::runtime_error);
    EXPECT_TRUE(migrate(owner_url).projection_layout_created);
    EXPECT_EQ(count("SELECT count(*) FROM projection.checkpoints"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM pg_tables WHERE schemaname = 'projection' AND tableowner = 'postgres'"),
              count("SELECT count(*) FROM pg_tables WHERE schemaname = 'projection'"));
    EXPECT_FALSE(migrate(owner_url).projection_layout_created);  // the same layout: kept
    projections.ensure();
    EXPECT_EQ(count("SELECT seq FROM projection.checkpoints"), 500);
}

TEST_F(ProjectionTest, TheDashboardViewsAddUpToTheStatement) {
    append_range(0, events.size());
    Projections(projector_url).ensure();
    const Document d = make_statement(*store, {"neutrality", "SE-Z", "primary_care", "2022-01", "2022-12", std::nullopt,
                                               StatementSource::projections},
                                      "test")
                           .document;
    const Table& rows = d.tables.at(0);
    auto column = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(rows.columns.begin(), rows.columns.end(), name) - rows.columns.begin());
    };
    auto subtotal = [&](const std::string& side, const std::string& name) {
        for (const auto& row : rows.rows)
            if (row[0] == "subtotal" && row[3] == side) return *row[column(name)];
        return std::string("(missing)");
    };
    for (const std::string side : {"region_run", "private"}) {
        for (const std::string name : {"capitation", "overhead_compensation", "internal_charges", "benefit_in_kind",
                                       "commitment_costs", "net_resources"}) {
            const auto r = query("SELECT sum(" + name + ")::text FROM projection.side_month WHERE region = 'SE-Z' "
                                 "AND scheme = 'primary_care' AND side = '" + side + "'");
            EXPECT_EQ(r[0][0].c_str(), subtotal(side, name)) << side << " " << name;
        }
    }
    // the e-frikort invoice is paid 50/50: each payer carries half of a centre's benefit (to the
    // öre), and the halves add up to the benefit the centre received
    const auto split = query(
        "SELECT min(amount), max(amount), sum(amount), count(*), (SELECT -sum(amount_ore) / 100.0 FROM "
        "projection.balances WHERE party = 'hc-are' AND period = '2022-01' AND item = 'shared_cost.e_frikort') "
        "FROM projection.shared_cost_month WHERE beneficiary = 'hc-are' AND period = '2022-01' AND service = 'e_frikort'");
    EXPECT_EQ(split[0][3].as<int>(), 2);
    EXPECT_LE(std::abs(std::stod(split[0][1].c_str()) - std::stod(split[0][0].c_str())), 0.011);
    EXPECT_LE(std::abs(std::stod(split[0][2].c_str()) - std::stod(split[0][4].c_str())), 0.011);
    // the ingestion status names the head and the checkpoint
    const auto status = query("SELECT head_seq, projected_seq, projection_lag FROM projection.ingestion_status");
    EXPECT_EQ(status[0][0].as<std::int64_t>(), static_cast<std::int64_t>(events.size()));
    EXPECT_EQ(status[0][2].as<std::int64_t>(), 0);
    // dashboards read as likvard_reader, which may not read the rejected inputs' bytes
    pqxx::connection reader(reader_url);
    pqxx::nontransaction tx(reader);
    EXPECT_GT(tx.exec("SELECT count(*) FROM projection.party_month")[0][0].as<std::int64_t>(), 0);
    EXPECT_THROW(tx.exec("SELECT count(*) FROM ledger.rejections"), pqxx::sql_error);
}

// An appropriation for LOF/LOL (or a shared service) is not money for a special commitment:
// the dashboard's commitment view counts only the purposes the commitment statement counts.
TEST_F(ProjectionTest, CommitmentMonthCountsOnlyAppropriationsForCommitments) {
    append_range(0, events.size());
    const std::string lof_lol =
        R"({"event_id":"7c6d0c52-4a43-4c8b-9a55-2f1f4f0a9001","type":"appropriation.granted","schema_version":1,)"
        R"("region":"SE-Z","scheme":"primary_care","period":"2022-03","occurred_on":"2022-03-15",)"
        R"("source":{"system":"raindance","reference":"VER-LOF-1"},)"
        R"("data":{"granted_by":"regionens-centrala","party_id":"egen-regi-primarvard","purpose":"lof_lol",)"
        R"("amount":"21000000.00"}})";
    ASSERT_EQ(append_lines({lof_lol}), 1u);
    Projections(projector_url).ensure();
    const Document d = make_statement(*store, {"commitments", "SE-Z", "primary_care", "2022-01", "2022-12",
                                               std::nullopt, StatementSource::ledger},
                                      "test")
                           .document;
    const Table& lines = d.tables.at(0);
    const auto appropriated = static_cast<std::size_t>(
        std::find(lines.columns.begin(), lines.columns.end(), "appropriated") - lines.columns.begin());
    ASSERT_LT(appropriated, lines.columns.size());
    const std::string statement_total = *lines.rows.back()[appropriated];
    const auto projected = query(
        "SELECT coalesce(sum(appropriated), 0)::numeric(20,2)::text FROM projection.commitment_month "
        "WHERE region = 'SE-Z' AND scheme = 'primary_care'");
    EXPECT_EQ(projected[0][0].c_str(), statement_total);
    EXPECT_EQ(count("SELECT count(*) FROM projection.commitment_month WHERE commitment = 'lof_lol'"), 0);
}

}  // namespace

namespace {


TEST_F(ProjectionTest, TheRunnerCommandKeepsUpUntilSigtermAndTheStatementSaysItsSource) {
    append_range(0, events.size() / 2);
    const std::string bin = LIKVARD_BIN;
    const std::string db = " --database-url " + shell_quote(reader_url);
    char log_path[] = "/tmp/likvard-projections-XXXXXX";
    const pid_t runner = start_projections_run(log_path);
    ASSERT_GE(runner, 0);
    append_range(events.size() / 2, events.size());  // while it runs
    const std::string head = std::to_string(events.size());
    std::string status;
    for (int i = 0; i < 600 && status.find("projected to seq " + head + " of " + head) == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        status = run(bin + " projections status --database-url " + shell_quote(projector_url)).out;
    }
    EXPECT_NE(status.find("region SE-Z: projected to seq " + head + " of " + head + " (at the head)"), std::string::npos)
        << status;
    kill(runner, SIGTERM);
    int wait_status = 0;
    waitpid(runner, &wait_status, 0);
    EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) << read_file(log_path);
    unlink(log_path);

    const auto statement = run(bin + " statement neutrality --region SE-Z --scheme primary_care --from 2022-01 "
                                     "--to 2022-12" + db);
    EXPECT_EQ(statement.exit_code, 0) << statement.err;
    EXPECT_NE(statement.err.find("statement from the projections computed in "), std::string::npos) << statement.err;
    const auto as_of = run(bin + " statement neutrality --region SE-Z --scheme primary_care --from 2022-01 "
                                 "--to 2022-12 --as-of " + head + db);
    EXPECT_NE(as_of.err.find("statement from the projections' blocks and the postings after them"), std::string::npos)
        << as_of.err;
    EXPECT_EQ(as_of.out, statement.out);
    const auto long_way = run(bin + " statement neutrality --region SE-Z --scheme primary_care --from 2022-01 "
                                    "--to 2022-12 --source ledger --as-of " + head + db);
    EXPECT_NE(long_way.err.find("statement from the ledger's postings"), std::string::npos) << long_way.err;
    EXPECT_EQ(long_way.out, statement.out);
}

// What ended a runner, for the message of a test that expected exit 0.
std::string how_it_ended(int wait_status) {
    if (WIFEXITED(wait_status)) return "exit " + std::to_string(WEXITSTATUS(wait_status)) + "\n";
    return "killed by signal " + std::to_string(WTERMSIG(wait_status)) + "\n";
}

// A writer keeps appending (small batches, more years of both sample regions) while the
// runner runs, one event per transaction so that it never reaches the moving head; SIGTERM
// ends `likvard projections run`, and `likvard serve` with its runner, within a second
// (5 s allowed on a loaded machine), exit 0, while events still arrive: a pass goes to the
// heads seen as it starts and looks at the stop before each transaction.
class RunnerStops : public ProjectionTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(RunnerStops, OnSigtermWithinASecondWhileEventsKeepArriving) {
    append_range(0, events.size() / 2);
    std::vector<std::string> pool(events.begin() + static_cast<std::ptrdiff_t>(events.size() / 2), events.end());
    for (const int year : {2023, 2024, 2025})
        for (const char* region : {"SE-Z", "SE-AC"})
            for (auto& line : generate_sample(SampleSpec{region, year, 1})) pool.push_back(std::move(line));
    std::atomic<bool> writing{true};
    std::atomic<std::size_t> written{0};
    std::thread writer([&] {
        Store writer_store(url);
        constexpr std::size_t batch_events = 20;
        for (std::size_t at = 0; at < pool.size() && writing; at += batch_events) {
            std::vector<Incoming> batch;
            for (std::size_t i = at; i < std::min(pool.size(), at + batch_events); ++i) batch.push_back({pool[i], Source{}});
            writer_store.append(batch);
            written += batch.size();
        }
        writing = false;
    });

    char log_path[] = "/tmp/likvard-runner-stops-XXXXXX";
    close(mkstemp(log_path));
    const bool serve = GetParam() == "serve";
    const pid_t runner = fork();
    ASSERT_GE(runner, 0);
    if (runner == 0) {
        const int log = open(log_path, O_WRONLY | O_TRUNC);
        dup2(log, 1);
        dup2(log, 2);
        if (serve)
            execl(LIKVARD_BIN, "likvard", "serve", "--listen", "127.0.0.1:0", "--threads", "2",
                  "--projection-interval-ms", "50", "--projection-batch", "1", "--database-url", url.c_str(),
                  "--projector-database-url", projector_url.c_str(), nullptr);
        else
            execl(LIKVARD_BIN, "likvard", "projections", "run", "--interval-ms", "50", "--batch", "1", "--database-url",
                  projector_url.c_str(), nullptr);
        _exit(127);
    }
    // Running and projecting, with the writer still going.
    auto projected = [&]() -> std::int64_t {
        try {
            return count("SELECT coalesce(sum(seq), 0) FROM projection.checkpoints");
        } catch (const pqxx::sql_error&) {
            return 0;  // the runner is still building the schema
        }
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (projected() < static_cast<std::int64_t>(events.size() / 2) || written < 500) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << read_file(log_path);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(writing) << "the writer ran out of events before the stop";
    const auto stopped_at = std::chrono::steady_clock::now();
    kill(runner, SIGTERM);
    int wait_status = 0;
    while (waitpid(runner, &wait_status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() - stopped_at > std::chrono::seconds(60)) {
            kill(runner, SIGKILL);
            waitpid(runner, &wait_status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto took = std::chrono::steady_clock::now() - stopped_at;
    RecordProperty("stop_ms", static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
    const bool still_writing = writing;
    writing = false;
    writer.join();
    EXPECT_TRUE(still_writing) << "events must still be arriving when the runner stops";
    EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
        << how_it_ended(wait_status) << read_file(log_path);
    EXPECT_LT(took, std::chrono::seconds(5))
        << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n" << read_file(log_path);
    unlink(log_path);
    EXPECT_TRUE(Projections(projector_url).check_consistency().empty());  // stopped between transactions
}

INSTANTIATE_TEST_SUITE_P(Commands, RunnerStops, ::testing::Values("projections", "serve"),
                         [](const auto& info) { return info.param == "serve" ? "Serve" : "ProjectionsRun"; });

// SIGTERM while `run` still builds the projections for the first time (the whole sample
// year in one transaction): the run ends when the build commits, exit 0, the projections
// built to the head and consistent. Killed by the signal, it would exit 143.
TEST_F(ProjectionTest, ASigtermDuringTheFirstBuildEndsTheRunWhenTheBuildCommits) {
    append_range(0, events.size());
    char log_path[] = "/tmp/likvard-first-build-XXXXXX";
    const pid_t runner = start_projections_run(log_path);
    ASSERT_GE(runner, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (read_file(log_path).find("building the projections") == std::string::npos) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << read_file(log_path);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    kill(runner, SIGTERM);
    int wait_status = 0;
    waitpid(runner, &wait_status, 0);
    const std::string log = read_file(log_path);
    unlink(log_path);
    ASSERT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) << how_it_ended(wait_status) << log;
    const std::string head = std::to_string(events.size());
    EXPECT_NE(log.find("region SE-Z: projected to seq " + head + " of " + head + " (at the head)"), std::string::npos)
        << log;
    EXPECT_TRUE(Projections(projector_url).check_consistency().empty());
}

// The block size of a rebuild is an option (the bench compares sizes); what it built with is the layout's.
TEST_F(ProjectionTest, RebuildBuildsBlocksOfTheSizeAsked) {
    ASSERT_EQ(append_lines(cast()), 14u);
    const auto rebuilt = run(std::string(LIKVARD_BIN) + " projections rebuild --block-seqs 4 --database-url " +
                             shell_quote(projector_url));
    ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
    EXPECT_EQ(count("SELECT block_seqs FROM projection.layout"), 4);
    EXPECT_EQ(count("SELECT max(block) FROM projection.block_event_counts"), 3);  // seqs 1..14: blocks 0..3
}

TEST_F(ProjectionTest, UsageErrorsExitTwoAndNameTheOption) {
    const std::string bin = LIKVARD_BIN;
    const auto no_action = run(bin + " projections --database-url " + shell_quote(projector_url));
    EXPECT_EQ(no_action.exit_code, 2);
    EXPECT_NE(no_action.err.find("run, rebuild or status"), std::string::npos) << no_action.err;
    const auto batch = run(bin + " projections run --batch 0 --database-url " + shell_quote(projector_url));
    EXPECT_EQ(batch.exit_code, 2);
    EXPECT_NE(batch.err.find("--batch must be at least 1"), std::string::npos) << batch.err;
    const auto block = run(bin + " projections rebuild --block-seqs 0 --database-url " + shell_quote(projector_url));
    EXPECT_EQ(block.exit_code, 2);
    EXPECT_NE(block.err.find("--block-seqs must be at least 1"), std::string::npos) << block.err;
    const auto block_run = run(bin + " projections run --once --block-seqs 64 --database-url " +
                               shell_quote(projector_url));
    EXPECT_EQ(block_run.exit_code, 2);
    EXPECT_NE(block_run.err.find("--block-seqs is for rebuild"), std::string::npos) << block_run.err;
    const auto source = run(bin + " statement neutrality --region SE-Z --scheme primary_care --from 2022-01 --to "
                                  "2022-12 --source cache --database-url " + shell_quote(reader_url));
    EXPECT_EQ(source.exit_code, 2);
    EXPECT_NE(source.err.find("--source 'cache' is not auto, projections or ledger"), std::string::npos) << source.err;
    const auto as_of = run(bin + " statement neutrality --region SE-Z --scheme primary_care --from 2022-01 --to "
                                 "2022-12 --source projections --as-of 5 --database-url " + shell_quote(reader_url));
    EXPECT_EQ(as_of.exit_code, 2);
    EXPECT_NE(as_of.err.find("--as-of the projections answer at their checkpoint"), std::string::npos) << as_of.err;
}

}  // namespace

// ---- sums near the int64 limit: an error naming the party and account, never a wrap ----

namespace {

// Amounts are at most 13 integer digits, so passing int64 takes many events: the rows near
// the limit are written here as the superuser.
class SumsNearTheLimit : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        auto lines = cast();
        lines.push_back(payment(50, "hc-medinord", "1000.00"));
        lines.push_back(payment(51, "hc-medinord", "1000.00"));
        ASSERT_EQ(append_lines(lines), lines.size());
    }

    // The provider's two capitation postings, each -5·10^18 öre: both fit, their sum does not.
    void inflate_postings() {
        query("SET session_replication_role = replica; UPDATE ledger.postings SET amount = -5000000000000000000 "
              "WHERE party = 'hc-medinord' AND account_class = 'income'");
    }

    std::string failure_of(const std::function<void()>& compute) {
        try {
            compute();
        } catch (const std::exception& error) {
            return error.what();
        }
        return "(no failure)";
    }
};

TEST_F(SumsNearTheLimit, TheProjectionUpsertFailsNamingThePartyAndAccount) {
    Projections projections(projector_url);
    projections.ensure();
    query("UPDATE projection.balances SET amount_ore = -9223372036854775000 "
          "WHERE party = 'hc-medinord' AND account_class = 'income'");
    ASSERT_EQ(append_lines({payment(52, "hc-medinord", "1000.00")}), 1u);
    const std::string message = failure_of([&] { projections.catch_up(); });
    EXPECT_NE(message.find("projection.balances.amount_ore: party hc-medinord on account "
                           "hc-medinord:income:compensation.capitation in primary_care 2023-05 sums to "
                           "-9223372036854875000"),
              std::string::npos)
        << message;
    // Nothing half-done: the checkpoint stayed, the balance too.
    EXPECT_EQ(count("SELECT seq FROM projection.checkpoints WHERE region = 'SE-Z'"), 16);
    EXPECT_EQ(count("SELECT amount_ore FROM projection.balances WHERE party = 'hc-medinord' AND account_class = 'income'"),
              -9223372036854775000);
}

TEST_F(SumsNearTheLimit, TheProjectionOfARangeFailsNamingThePartyAndAccount) {
    inflate_postings();
    const std::string message = failure_of([&] { Projections(projector_url).rebuild(); });
    EXPECT_NE(message.find("the postings of party hc-medinord on account hc-medinord:income:compensation.capitation in "
                           "primary_care 2023-05 sums to -10000000000000000000 öre"),
              std::string::npos)
        << message;
}

TEST_F(SumsNearTheLimit, AStatementFromTheLedgerFailsNamingThePartyAndAccount) {
    inflate_postings();
    Store store(url);
    const std::string message = failure_of([&] {
        make_statement(store, {"neutrality", "SE-Z", "primary_care", "2023-05", "2023-05", std::nullopt,
                               StatementSource::ledger},
                       "test");
    });
    EXPECT_NE(message.find("the postings of party hc-medinord on account hc-medinord:income:compensation.capitation in "
                           "2023-05 sums to -10000000000000000000 öre"),
              std::string::npos)
        << message;
    // The CLI says so and fails.
    const RunResult cli = run(std::string(LIKVARD_BIN) + " statement neutrality --region SE-Z --scheme primary_care "
                              "--from 2023-05 --to 2023-05 --source ledger --database-url '" + url + "'");
    EXPECT_EQ(cli.exit_code, 1) << cli.out << cli.err;
    EXPECT_NE(cli.err.find("hc-medinord:income:compensation.capitation"), std::string::npos) << cli.err;
}

}  // namespace
