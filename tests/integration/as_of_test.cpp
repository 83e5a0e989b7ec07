// Statements as of any seq from the projections' blocks and the postings after them, byte
// for byte the statements of the postings alone: at every seq of the two-month golden case
// (blocks of 4 seqs, the projections caught up and lagging), at random seqs of two sample
// years (blocks of 4, so that every level has blocks); the blocks in the rebuild and the consistency check; and
// statements as of a moment (--as-of-time), resolved through recorded_at.
#include "database.hpp"
#include "run.hpp"
#include "test_seed.hpp"

#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>

#include "projections/detail/blocks.hpp"
#include "projections/projections.hpp"
#include "sample/sample.hpp"

using namespace likvard;
using namespace likvard::test;

namespace {

std::vector<std::string> golden_events() {
    std::ifstream in(std::string(LIKVARD_TEST_DATA) + "/statements/two-months/events.ndjson");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

class AsOf : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        store = std::make_unique<Store>(reader_url);  // what a statement reads, likvard_reader may
    }

    StatementResult result(const std::string& which, std::optional<std::int64_t> seq, StatementSource source,
                           const std::string& from, const std::string& to) {
        StatementQuery query{which, "SE-Z", "primary_care", from, to, seq, source};
        return make_statement(*store, query, "test");
    }
    // The statement from the blocks (and says so), and the one from the postings alone.
    std::pair<std::string, std::string> both(const std::string& which, std::optional<std::int64_t> seq,
                                             const std::string& from, const std::string& to) {
        const StatementResult blocks = result(which, seq, StatementSource::automatic, from, to);
        EXPECT_EQ(blocks.source_used, StatementSource::blocks) << which << " as of " << seq.value_or(-1);
        const StatementResult ledger = result(which, seq, StatementSource::ledger, from, to);
        EXPECT_EQ(ledger.source_used, StatementSource::ledger);
        return {render_json(blocks.document), render_json(ledger.document)};
    }
    void expect_every_seq_alike(std::int64_t head) {
        for (std::int64_t seq = 0; seq <= head; ++seq)
            for (const std::string which : {"neutrality", "commitments"})
                for (const auto& [from, to] : {std::pair{"2023-01", "2023-02"}, std::pair{"2023-02", "2023-02"}}) {
                    const auto [blocks, ledger] = both(which, seq, from, to);
                    EXPECT_EQ(blocks, ledger) << which << " " << from << ".." << to << " as of seq " << seq;
                }
    }

    std::unique_ptr<Store> store;
};

TEST_F(AsOf, EverySeqOfTheTwoMonthCaseFromBlocksIsTheStatementOfThePostings) {
    const std::vector<std::string> events = golden_events();
    ASSERT_EQ(events.size(), 25u);
    const std::vector<std::string> first(events.begin(), events.begin() + 13);
    const std::vector<std::string> rest(events.begin() + 13, events.end());
    ASSERT_EQ(append_lines(first), first.size());
    Projections projections(projector_url, 4);  // blocks of 4 seqs: 0..5 and tails of 0..3 events
    projections.rebuild();
    ASSERT_EQ(append_lines(rest), rest.size());
    // The checkpoint at 13: blocks up to seq 12 at most, the postings after them up to the seq.
    expect_every_seq_alike(25);
    projections.catch_up(3);  // in pieces that cross the blocks' bounds
    EXPECT_EQ(count("SELECT count(DISTINCT block) FROM projection.block_event_counts WHERE level = 0"), 7);
    expect_every_seq_alike(25);
    EXPECT_TRUE(projections.check_consistency().empty());
}

// Blocks of one seq: 25 blocks of level 0, 7 of level 1 (of 4 seqs, the last one partial), 2
// of level 2 and one each of levels 3 and 4 (partial), so that the seqs read blocks of up to
// three levels, and a wrong decomposition or a level's wrong sum shows.
TEST_F(AsOf, EverySeqFromBlocksOfOneSeqOverThreeLevelsIsTheStatementOfThePostings) {
    const std::vector<std::string> events = golden_events();
    ASSERT_EQ(append_lines(events), events.size());
    Projections projections(projector_url, 1);
    projections.rebuild();
    EXPECT_EQ(count("SELECT count(DISTINCT (level, block)) FROM projection.block_event_counts"), 25 + 7 + 2 + 1 + 1);
    expect_every_seq_alike(25);
    EXPECT_TRUE(projections.check_consistency().empty());
}

// Every block of every level is the sum of the level-0 blocks it holds.
void expect_levels_sum_their_blocks(const std::function<pqxx::result(const std::string&)>& query) {
    const pqxx::result r = query(
        "WITH up AS (SELECT l.level, b.block / (4 ^ l.level)::bigint AS block, b.scheme, b.period, b.party, "
        " b.account_class, b.item, sum(b.amount_ore) AS amount_ore, sum(b.postings) AS postings "
        " FROM projection.block_balances b, generate_series(1, 4) l(level) WHERE b.level = 0 "
        " GROUP BY 1, 2, 3, 4, 5, 6, 7), "
        "stored AS (SELECT level, block, scheme, period, party, account_class, item, amount_ore::numeric, "
        " postings::numeric FROM projection.block_balances WHERE level > 0) "
        "SELECT (SELECT count(*) FROM up), (SELECT count(*) FROM stored), "
        " (SELECT count(*) FROM (SELECT * FROM up EXCEPT SELECT * FROM stored) d), "
        " (SELECT count(DISTINCT level) FROM stored)");
    EXPECT_GT(r[0][0].as<std::int64_t>(), 0);
    EXPECT_EQ(r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>());
    EXPECT_EQ(r[0][2].as<std::int64_t>(), 0);
    EXPECT_EQ(r[0][3].as<std::int64_t>(), 4);
}

// blocks_below holds every level-0 block below the count exactly once, with at most
// block_fanout - 1 blocks a level below the top.
TEST(Blocks, TheBlocksBelowACountHoldEachLevelZeroBlockOnce) {
    for (std::int64_t count = 0; count <= 3000; ++count) {
        std::vector<int> held(static_cast<std::size_t>(count), 0);
        std::map<int, int> per_level;
        for (const BlockAt& b : blocks_below(count)) {
            ++per_level[b.level];
            const std::int64_t span = blocks_per_block(b.level);
            for (std::int64_t i = b.block * span; i < (b.block + 1) * span; ++i) {
                ASSERT_LT(i, count) << "count " << count << ": level " << b.level << " block " << b.block;
                ++held[static_cast<std::size_t>(i)];
            }
        }
        for (std::int64_t i = 0; i < count; ++i) ASSERT_EQ(held[static_cast<std::size_t>(i)], 1) << count << " " << i;
        for (const auto& [level, n] : per_level)
            if (level < block_top_level) {
                EXPECT_LT(n, block_fanout) << "count " << count << " level " << level;
            }
    }
    EXPECT_EQ(blocks_below(58), (std::vector<BlockAt>{{2, 0}, {2, 1}, {2, 2}, {1, 12}, {1, 13}, {0, 56}, {0, 57}}));
    EXPECT_EQ(blocks_below(600).size(), 2u + 1u + 1u + 2u);  // 2·256 + 1·64 + 1·16 + 2·4
}

TEST_F(AsOf, RandomSeqsOfTwoSampleYearsFromBlocksAreTheStatementsOfThePostings) {
    std::vector<std::string> events = generate_sample(SampleSpec{"SE-Z", 2022, 1});
    for (auto& line : generate_sample(SampleSpec{"SE-Z", 2023, 1})) events.push_back(std::move(line));
    Store writer(url);
    for (std::size_t at = 0; at < events.size(); at += 500) {
        std::vector<Incoming> batch;
        for (std::size_t i = at; i < std::min(events.size(), at + 500); ++i) batch.push_back({events[i], Source{}});
        writer.append(batch);  // the second year's registrations are rejected: the parties exist
    }
    const std::int64_t head = writer.head("SE-Z").seq;
    ASSERT_GT(head, 1000);
    Projections projections(projector_url, 4);  // blocks of every level, several of the top one
    projections.rebuild();
    EXPECT_GT(count("SELECT count(*) FROM projection.block_event_counts WHERE level = 4"), 1);
    expect_levels_sum_their_blocks([&](const std::string& sql) { return query(sql); });
    const std::uint64_t seed = test_seed(20240301);
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<std::int64_t> seqs(1, head);
    for (int i = 0; i < 12; ++i) {
        const std::int64_t seq = i == 0 ? head : seqs(random);
        for (const std::string which : {"neutrality", "commitments"})
            for (const auto& [from, to] : {std::pair{"2022-01", "2023-12"}, std::pair{"2023-03", "2023-07"}}) {
                const auto [blocks, ledger] = both(which, seq, from, to);
                ASSERT_EQ(blocks, ledger)
                    << which << " " << from << ".." << to << " as of seq " << seq << "; " << replay_hint(seed);
            }
    }
}

// The block size is the layout's: a runner that would build with another size catches up
// with the one the projections were built with.
TEST_F(AsOf, TheRebuildWritesTheBlocksThatTheRunnerWroteInPieces) {
    const std::vector<std::string> events = generate_sample(SampleSpec{"SE-Z", 2022, 1});
    Projections projections(projector_url, 64);
    projections.rebuild();
    ASSERT_EQ(append_lines(events), events.size());
    Projections(projector_url, 1000).catch_up(97);
    EXPECT_EQ(count("SELECT block_seqs FROM projection.layout"), 64);
    const std::string tables[] = {"block_balances",      "block_listings",         "block_event_counts",
                                  "block_decision_refs", "block_commitment_facts", "block_cross_subsidies"};
    std::map<std::string, std::string> pieces;
    for (const auto& table : tables) {
        EXPECT_GT(count("SELECT count(*) FROM projection." + table), 0) << table;
        pieces[table] =
            query("SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM projection." + table + " t")[0][0].c_str();
    }
    EXPECT_EQ(count("SELECT max(block) FROM projection.block_event_counts WHERE level = 0"),
              (static_cast<std::int64_t>(events.size()) - 1) / 64);
    projections.rebuild();
    for (const auto& table : tables)
        EXPECT_EQ(
            query("SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM projection." + table + " t")[0][0].c_str(),
            pieces[table])
            << table;
}

TEST_F(AsOf, TheConsistencyCheckNamesABlockTableThatDiffersFromAReplay) {
    const std::vector<std::string> events = golden_events();
    ASSERT_EQ(append_lines(events), events.size());
    Projections projections(projector_url, 4);
    projections.rebuild();
    EXPECT_TRUE(projections.check_consistency().empty());
    query(
        "UPDATE projection.block_balances SET amount_ore = amount_ore + 1 "
        "WHERE ctid = (SELECT ctid FROM projection.block_balances LIMIT 1)");
    query("DELETE FROM projection.block_listings WHERE ctid = (SELECT ctid FROM projection.block_listings LIMIT 1)");
    const std::vector<std::string> problems = Projections(reader_url).check_consistency();
    ASSERT_EQ(problems.size(), 2u) << ::testing::PrintToString(problems);
    EXPECT_NE(problems[0].find("projection.block_balances: "), std::string::npos) << problems[0];
    EXPECT_NE(problems[1].find("projection.block_listings: 0 rows not in a fresh replay, "), std::string::npos)
        << problems[1];
    // and `likvard verify` fails on it
    const RunResult verify = run(std::string(LIKVARD_BIN) + " verify --database-url " + shell_quote(reader_url));
    EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
    EXPECT_NE((verify.out + verify.err).find("block_balances"), std::string::npos) << verify.out << verify.err;
}

TEST_F(AsOf, ABlockSizeBelowOneIsRefused) { EXPECT_THROW(Projections(projector_url, 0), std::invalid_argument); }

// ---- as of a moment: the last seq before the first event recorded after it ----

class AsOfTime : public AsOf {
protected:
    // The golden case recorded a minute apart from 10:01 UTC on 2024-03-01 (seq n at 10:0n).
    void SetUp() override {
        AsOf::SetUp();
        const std::vector<std::string> events = golden_events();
        ASSERT_EQ(append_lines(events), events.size());
        query(
            "SET session_replication_role = replica; UPDATE ledger.events "
            "SET recorded_at = '2024-03-01T10:00:00Z'::timestamptz + seq * interval '1 minute'");
        Projections(projector_url, 4).rebuild();
    }
    StatementResult at(const std::string& time, const std::string& which = "neutrality") {
        StatementQuery query{which, "SE-Z", "primary_care", "2023-01", "2023-02", std::nullopt};
        query.as_of_time = time;
        return make_statement(*store, query, "test");
    }
    static std::string provenance(const Document& d, const std::string& key) {
        for (const auto& [k, v] : d.provenance)
            if (k == key) return v;
        return "(missing)";
    }
    std::string failure(const std::string& time, std::optional<std::int64_t> as_of = std::nullopt) {
        StatementQuery query{"neutrality", "SE-Z", "primary_care", "2023-01", "2023-02", as_of};
        query.as_of_time = time;
        try {
            make_statement(*store, query, "test");
        } catch (const std::invalid_argument& error) {
            return error.what();
        }
        return "(no failure)";
    }
};

TEST_F(AsOfTime, AMomentIsTheSeqItResolvedToNamedInTheProvenance) {
    const StatementResult five = at("2024-03-01T10:05:00Z");
    EXPECT_EQ(five.source_used, StatementSource::blocks);
    EXPECT_EQ(provenance(five.document, "as_of_seq"), "5");
    EXPECT_EQ(provenance(five.document, "as_of_time"), "2024-03-01T10:05:00Z");
    // The same figures as --as-of 5; only the provenance (and so the content hash) names the moment.
    const Document seq = result("neutrality", 5, StatementSource::ledger, "2023-01", "2023-02").document;
    EXPECT_EQ(provenance(seq, "as_of_time"), "(missing)");
    ASSERT_EQ(five.document.tables.size(), seq.tables.size());
    for (std::size_t i = 0; i < seq.tables.size(); ++i)
        EXPECT_EQ(render_csv(five.document.tables[i]), render_csv(seq.tables[i])) << seq.tables[i].name;
    EXPECT_NE(five.document.content_hash, seq.content_hash);
    // Milliseconds and an offset: the same moment, said in UTC.
    const Document ms = at("2024-03-01T11:12:30.250+01:00", "commitments").document;
    EXPECT_EQ(provenance(ms, "as_of_seq"), "12");
    EXPECT_EQ(provenance(ms, "as_of_time"), "2024-03-01T10:12:30.25Z");
    EXPECT_EQ(provenance(at("2024-03-01T10:12:30.250Z", "commitments").document, "as_of_time"),
              "2024-03-01T10:12:30.25Z");
    // After the last event: the head.
    EXPECT_EQ(provenance(at("2030-01-01T00:00:00Z").document, "as_of_seq"), "25");
    EXPECT_EQ(provenance(at("2024-03-01T10:01:00Z").document, "as_of_seq"), "1");
}

TEST_F(AsOfTime, AnEventRecordedLaterThanTheNextSeqEndsThePrefixBeforeIt) {
    // A transaction that waited for the region's writer lock keeps its earlier start time.
    query(
        "SET session_replication_role = replica; UPDATE ledger.events "
        "SET recorded_at = '2024-03-01T10:30:00Z' WHERE seq = 3");
    EXPECT_EQ(provenance(at("2024-03-01T10:05:00Z").document, "as_of_seq"), "2");
    EXPECT_EQ(provenance(at("2024-03-01T10:30:00Z").document, "as_of_seq"), "25");
}

TEST_F(AsOfTime, AMomentBeforeTheFirstEventABadMomentAndBothPositionsAreErrorsNamingAsOfTime) {
    EXPECT_EQ(failure("2024-03-01T10:00:59Z"),
              "as_of_time: 2024-03-01T10:00:59Z is before the first event of SE-Z, recorded at 2024-03-01T10:01:00Z");
    for (const std::string bad : {"2024-03-01 10:05:00Z", "2024-03-01T10:05Z", "2024-03-01T10:05:00", "yesterday",
                                  "2024-03-01T10:05:00.1234567Z", "2024-13-01T10:05:00Z"})
        EXPECT_EQ(failure(bad).rfind("as_of_time: '" + bad + "' is not an RFC 3339 time like 2024-03-01T12:00:00Z", 0),
                  0u)
            << bad << ": " << failure(bad);
    EXPECT_EQ(failure("2024-02-30T10:05:00Z").rfind("as_of_time: '2024-02-30T10:05:00Z' is not a time: ", 0), 0u)
        << failure("2024-02-30T10:05:00Z");
    EXPECT_EQ(failure("2024-03-01T10:05:00Z", 5), "as_of_time: cannot be given with as_of: one position at a time");
    StatementQuery query{"neutrality", "SE-Y", "primary_care", "2023-01", "2023-02", std::nullopt};
    query.as_of_time = "2024-03-01T10:05:00Z";
    EXPECT_THROW(make_statement(*store, query, "test"), LedgerScopeError);  // a region without events
}

TEST_F(AsOfTime, TheCliTakesAMomentAndRefusesItBesideASeq) {
    const std::string cli = std::string(LIKVARD_BIN) +
                            " statement neutrality --region SE-Z --scheme primary_care --from 2023-01 --to 2023-02"
                            " --database-url " +
                            shell_quote(reader_url);
    const RunResult ok = run(cli + " --as-of-time 2024-03-01T10:05:00Z");
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.out.find(R"("as_of_time":"2024-03-01T10:05:00Z")"), std::string::npos) << ok.out;
    EXPECT_NE(ok.out.find(R"("as_of_seq":"5")"), std::string::npos) << ok.out;
    const RunResult both = run(cli + " --as-of 5 --as-of-time 2024-03-01T10:05:00Z");
    EXPECT_EQ(both.exit_code, 2) << both.err;
    EXPECT_NE(both.err.find("--as-of and --as-of-time: give one of them, not both"), std::string::npos) << both.err;
    const RunResult early = run(cli + " --as-of-time 2024-03-01T09:00:00Z");
    EXPECT_EQ(early.exit_code, 1) << early.err;
    EXPECT_NE(early.err.find("before the first event of SE-Z"), std::string::npos) << early.err;
}

}  // namespace
