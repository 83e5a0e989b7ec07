// The drill-down of a figure: for every figure of the rows tables of both statements of the
// sample year, the postings it names sum exactly to the statement's figure (and for
// per-capita figures and averages its listings to the denominator), on a real ledger.
#include "database.hpp"
#include "projections/projections.hpp"
#include "run.hpp"
#include "sample/sample.hpp"
#include "store/reads.hpp"

#include <set>

#include <boost/json.hpp>

using namespace likvard;
using namespace likvard::test;

namespace {

constexpr const char* region = "SE-Z";
constexpr const char* scheme = "primary_care";

std::string money_text(__int128 ore) { return format_scaled(ore, 2); }

class Explain : public DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        const auto events = generate_sample({region, 2022, 1});
        ASSERT_EQ(append_lines(events), events.size());
        reader = std::make_unique<Store>(reader_url);
    }

    // The statement, and every posting and listing of its months: more than any one figure's.
    void read_all(const std::string& statement) {
        slice = reader->read_slice(region, scheme, "2022-01", "2022-12", std::nullopt, slice_parts_for(statement));
        document =
            statement == "neutrality" ? neutrality_statement(slice, "test") : commitment_statement(slice, "test");
        FigurePostingsAsk ask{region, scheme, "2022-01", "2022-12", slice.as_of_seq, {}, {}};
        for (const std::string account_class : {"income", "expense", "benefit"})
            ask.accounts.push_back({account_class, "", true, 1, {}, std::nullopt});
        postings = figure_postings(*reader, ask);
        listings = figure_listings(*reader, ask);
        ASSERT_FALSE(postings.empty());
        ASSERT_FALSE(listings.empty());
    }

    Explanation explained(const std::string& row, const std::string& column) {
        auto selected = select_figure(slice, document, row, column);
        if (const auto* problem = std::get_if<FigureProblem>(&selected)) ADD_FAILURE() << problem->message;
        return explain_figure(slice, std::get<FigureSelection>(selected), postings, listings);
    }

    // Through the store, as the CLI and the HTTP route do: fte and decision references need
    // the events that the postings do not carry.
    Explanation from_store(const std::string& statement, const std::string& row, const std::string& column) {
        FigureQuery query;
        query.statement.statement = statement;
        query.statement.region = region;
        query.statement.scheme = scheme;
        query.statement.from = "2022-01";
        query.statement.to = "2022-12";
        query.row = row;
        query.column = column;
        return explain_statement_figure(*reader, query, "test");
    }

    const Table& table(const std::string& name) const {
        for (const auto& t : document.tables)
            if (t.name == name) return t;
        throw std::logic_error("no table " + name);
    }

    std::unique_ptr<Store> reader;
    LedgerSlice slice;
    Document document;
    std::vector<FigurePosting> postings;
    std::vector<FigureListing> listings;
};

__int128 counted_sum(const Explanation& e) {
    __int128 sum = 0;
    for (const auto& p : e.postings) sum += p.counted;
    return sum;
}

std::string neutrality_row_name(const std::vector<std::optional<std::string>>& row) {
    if (row[0] == "party") return *row[1];
    if (row[0] == "subtotal") return "subtotal:" + *row[3];
    return "total";
}

std::size_t index_of(const Table& table, const std::string& column) {
    return static_cast<std::size_t>(std::find(table.columns.begin(), table.columns.end(), column) -
                                    table.columns.begin());
}

}  // namespace

TEST_F(Explain, EveryFigureOfTheNeutralityRowsIsTheSumOfItsPostings) {
    read_all("neutrality");
    const Table& rows = table("rows");
    std::size_t explained_figures = 0;
    for (const auto& row : rows.rows) {
        const std::string name = neutrality_row_name(row);
        for (std::size_t c = index_of(rows, "listed_avg"); c < rows.columns.size(); ++c) {
            const std::string& column = rows.columns[c];
            const Explanation e = explained(name, column);
            const std::size_t months = 12;
            if (column == "listed_avg") {
                EXPECT_EQ(format_scaled(divide_round_half_away(e.listed_sum * 100, months), 2), row[c]) << name;
            } else if (column == "weighted_listed_avg") {
                EXPECT_EQ(format_scaled(divide_round_half_away(e.weighted_sum, months), 4), row[c]) << name;
            } else if (column == "net_per_weighted_listed") {
                // The numerator is the row's net_resources, the denominator its weighted listing.
                EXPECT_EQ(money_text(counted_sum(e)), row[index_of(rows, "net_resources")]) << name;
                EXPECT_EQ(format_scaled(divide_round_half_away(e.weighted_sum, months), 4),
                          row[index_of(rows, "weighted_listed_avg")])
                    << name;
                EXPECT_EQ(e.computed, row[c]) << name;
            } else {
                EXPECT_EQ(money_text(counted_sum(e)), row[c]) << name << " " << column;
            }
            ++explained_figures;
        }
    }
    EXPECT_GT(explained_figures, 17u * 5);
}

TEST_F(Explain, EveryFigureOfTheCommitmentsAndServicesIsTheSumOfItsPostings) {
    read_all("commitments");
    const Table& commitments = table("commitments");
    for (const auto& row : commitments.rows) {
        const std::string name = *row[0] == "total" ? "total" : "commitment:" + *row[0];
        for (std::size_t c = 1; c < commitments.columns.size(); ++c) {
            const std::string& column = commitments.columns[c];
            if (column == "fte" || column == "decision_refs") continue;
            const Explanation e = explained(name, column);
            if (column == "share_of_total_percent") {
                EXPECT_EQ(money_text(counted_sum(e)), row[index_of(commitments, "cost")]) << name;
                EXPECT_EQ(e.computed, row[c]) << name;
            } else {
                EXPECT_EQ(money_text(counted_sum(e)), row[c]) << name << " " << column;
            }
        }
    }
    const Table& services = table("services");
    ASSERT_FALSE(services.rows.empty());
    for (const auto& row : services.rows)
        for (std::size_t c = 1; c < services.columns.size(); ++c)
            EXPECT_EQ(money_text(counted_sum(explained("service:" + *row[0], services.columns[c]))), row[c])
                << *row[0] << " " << services.columns[c];
}

// The sample year carries an fte on the BT director of studies only (0.20 in each month) and
// cites RS/773/2021 on every commitment cost.
TEST_F(Explain, EveryFteAndDecisionRefOfTheCommitmentsIsResolvedByItsEvents) {
    read_all("commitments");
    const Table& commitments = table("commitments");
    const std::size_t fte = index_of(commitments, "fte"), refs = index_of(commitments, "decision_refs");
    std::size_t fte_cells = 0;
    for (const auto& row : commitments.rows) {
        const std::string name = *row[0] == "total" ? "total" : "commitment:" + *row[0];
        const Explanation cited = from_store("commitments", name, "decision_refs");
        EXPECT_EQ(cited.computed, row[refs]) << name;
        for (const auto& event : cited.events) {
            EXPECT_EQ(event.decision_ref, "RS/773/2021") << name;
            if (name != "total") {
                EXPECT_EQ(event.commitment, *row[0]) << name;
            }
        }
        if (name == "total") continue;
        const Explanation e = from_store("commitments", name, "fte");
        EXPECT_EQ(e.computed, row[fte]) << name;
        if (!row[fte]) {
            EXPECT_TRUE(e.events.empty()) << name;
            continue;
        }
        ++fte_cells;
        EXPECT_EQ(name, "commitment:bt_director_of_studies");
        EXPECT_EQ(row[fte], "0.2000");
        ASSERT_EQ(e.events.size(), 12u);
        for (const auto& event : e.events) {
            EXPECT_EQ(event.type, "commitment.cost_incurred");
            EXPECT_EQ(event.fte, "0.2000");
            EXPECT_EQ(event.source_system, "raindance");
        }
        EXPECT_EQ(format_scaled(e.fte_sum, 4), "2.4000");
        EXPECT_EQ(e.fte_months, 12u);
    }
    EXPECT_EQ(fte_cells, 1u);
}

// Each decision reference the statement names resolves to the events citing it; with those
// without one they are every event the statement counts.
TEST_F(Explain, EveryDecisionRefOfTheStatementResolvesToTheEventsCitingIt) {
    read_all("commitments");
    ASSERT_FALSE(document.decision_refs.empty());
    std::int64_t events = 0;
    std::set<std::int64_t> seqs;
    for (const auto& ref : document.decision_refs) {
        const Explanation e = from_store("commitments", "decision:" + ref, "events");
        EXPECT_EQ(e.computed, ref);
        EXPECT_EQ(e.selection.figure, ref);
        ASSERT_FALSE(e.events.empty()) << ref;
        for (const auto& event : e.events) {
            EXPECT_EQ(event.decision_ref, ref);
            EXPECT_NE(event.type, "budget.set");
            EXPECT_TRUE(seqs.insert(event.seq).second) << event.seq;
        }
        events += static_cast<std::int64_t>(e.events.size());
    }
    const std::int64_t without = count(
        "SELECT count(*) FROM ledger.events WHERE region = 'SE-Z' AND scheme = 'primary_care' AND decision_ref IS NULL "
        "AND period BETWEEN '2022-01' AND '2022-12' AND type <> 'budget.set'");
    EXPECT_EQ(events + without, slice.events_counted);
    const Explanation neutrality = from_store("neutrality", "decision:" + document.decision_refs.front(), "events");
    EXPECT_EQ(neutrality.computed, document.decision_refs.front());
}

// A reversed commitment cost counts its fte negatively in the reversal's month, as the
// statement does: March carries 0.20 − 0.20, so the average is 2.20 / 12 = 0.18333… → 0.1833.
TEST_F(Explain, AReversedCommitmentCostShowsItsNegatedFteAndTheAverageFollows) {
    const auto reversed = query(
        "SELECT event_id::text FROM ledger.events WHERE type = 'commitment.cost_incurred' AND period = '2022-03' "
        "AND convert_from(canonical, 'UTF8')::jsonb->'data'->>'commitment' = 'bt_director_of_studies'");
    ASSERT_EQ(reversed.size(), 1u);
    const std::string id = reversed[0][0].c_str();
    const std::string line =
        R"({"event_id":"7d1c2f3e-0000-4000-8000-000000000001","type":"entry.reversed","schema_version":1,)"
        R"("region":"SE-Z","scheme":"primary_care","period":"2022-03","occurred_on":"2022-03-31",)"
        R"("source":{"system":"raindance","reference":"VER-REV-1"},"data":{"reverses":")" +
        id + R"(","reason":"The BT director's March cost was booked on the wrong line"}})";
    ASSERT_EQ(append_lines({line}), 1u);
    read_all("commitments");
    const Table& commitments = table("commitments");
    const auto* bt = &commitments.rows.front();
    for (const auto& row : commitments.rows)
        if (row[0] == "bt_director_of_studies") bt = &row;
    EXPECT_EQ((*bt)[index_of(commitments, "fte")], "0.1833");
    const Explanation e = from_store("commitments", "commitment:bt_director_of_studies", "fte");
    EXPECT_EQ(e.computed, "0.1833");
    ASSERT_EQ(e.events.size(), 13u);
    const FigureEvent& reversal = e.events.back();
    EXPECT_EQ(reversal.type, "entry.reversed");
    EXPECT_EQ(reversal.reverses, id);
    EXPECT_EQ(reversal.fte, "-0.2000");
    EXPECT_EQ(reversal.period, "2022-03");
    EXPECT_EQ(format_scaled(e.fte_sum, 4), "2.2000");
    EXPECT_EQ(e.fte_months, 12u);
    const auto json = boost::json::parse(render_explanation_json(e)).as_object();
    EXPECT_EQ(json.at("computed_as"), "fte_average");
    EXPECT_EQ(json.at("events").as_array().size(), 13u);
    EXPECT_EQ(json.at("fte_sum"), "2.2000");
}

TEST_F(Explain, AnUnknownDecisionOrAColumnWithoutFiguresIsRefusedNamingIt) {
    read_all("commitments");
    const auto problem = [&](const std::string& row, const std::string& column) {
        auto selected = select_figure(slice, document, row, column);
        const auto* found = std::get_if<FigureProblem>(&selected);
        return found == nullptr ? FigureProblem{"", ""} : *found;
    };
    const auto unknown = problem("decision:RS/1/1999", "events");
    EXPECT_EQ(unknown.field, "row");
    EXPECT_NE(unknown.message.find("RS/773/2021"), std::string::npos) << unknown.message;
    EXPECT_EQ(problem("decision:RS/773/2021", "cost").field, "column");
    const auto total = problem("total", "fte");
    EXPECT_EQ(total.field, "column");
    EXPECT_NE(total.message.find("blank"), std::string::npos) << total.message;
}

TEST_F(Explain, TheStoreReadsExactlyThePostingsOfTheFigure) {
    read_all("neutrality");
    const Table& rows = table("rows");
    // A provider of primary care: the first party row with a per-capita figure (the
    // organisation comes first, and other schemes' providers have no money in primary care).
    std::string party;
    for (const auto& r : rows.rows)
        if (party.empty() && r[0] == "party" && r[4] == "provider" && r.back()) party = *r[1];
    ASSERT_FALSE(party.empty());
    for (const std::string& row : {party, std::string("subtotal:private"), std::string("total")})
        for (const std::string column :
             {"capitation", "internal_charges", "net_resources", "net_per_weighted_listed"}) {
            const Explanation from_all = explained(row, column);
            FigureQuery query;
            query.statement.statement = "neutrality";
            query.statement.region = region;
            query.statement.scheme = scheme;
            query.statement.from = "2022-01";
            query.statement.to = "2022-12";
            query.row = row;
            query.column = column;
            const Explanation read = explain_statement_figure(*reader, query, "test");
            EXPECT_EQ(read.postings.size(), from_all.postings.size()) << row << " " << column;
            EXPECT_EQ(read.listings.size(), from_all.listings.size()) << row << " " << column;
            EXPECT_EQ(read.computed, from_all.selection.figure) << row << " " << column;
            if (from_all.selection.figure != "0.00") {
                EXPECT_FALSE(read.postings.empty()) << row << " " << column;
            }
        }
}

TEST_F(Explain, TheCliListsThePostingsWithTheirEventsAndTheirSumIsTheFigure) {
    read_all("neutrality");
    const std::string options = std::string(LIKVARD_BIN) +
                                " explain neutrality --region SE-Z --scheme primary_care "
                                "--from 2022-01 --to 2022-12 --database-url '" +
                                reader_url + "'";
    const auto result = run(options + " --row subtotal:region_run --column overhead_compensation --format json");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto json = boost::json::parse(result.out).as_object();
    const auto& rows = table("rows");
    const auto* subtotal = &rows.rows.front();
    for (const auto& row : rows.rows)
        if (row[0] == "subtotal" && row[3] == "region_run") subtotal = &row;
    EXPECT_EQ(json.at("figure").as_string(), *(*subtotal)[index_of(rows, "overhead_compensation")]);
    __int128 sum = 0;
    for (const auto& p : json.at("postings").as_array()) {
        const auto& posting = p.as_object();
        for (const char* key : {"seq", "event_id", "type", "period", "source_system", "source_reference",
                                "decision_ref", "account", "amount"})
            EXPECT_TRUE(posting.contains(key)) << key;
        sum += Money::parse(std::string(posting.at("amount").as_string())).value->ore();
    }
    EXPECT_EQ(money_text(sum), std::string(json.at("figure").as_string()));
    const auto text = run(options + " --row total --column net_per_weighted_listed");
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("listings ("), std::string::npos) << text.out;
}

TEST_F(Explain, AnUnknownRowOrColumnIsAUsageErrorNamingIt) {
    const std::string options = std::string(LIKVARD_BIN) +
                                " explain neutrality --region SE-Z --scheme primary_care "
                                "--from 2022-01 --to 2022-12 --database-url '" +
                                reader_url + "'";
    const auto row = run(options + " --row hc-nowhere --column capitation");
    EXPECT_EQ(row.exit_code, 2);
    EXPECT_NE(row.err.find("--row 'hc-nowhere' is not a row"), std::string::npos) << row.err;
    const auto column = run(options + " --row total --column name");
    EXPECT_EQ(column.exit_code, 2);
    EXPECT_NE(column.err.find("--column 'name' is not a figure"), std::string::npos) << column.err;
    const auto side = run(options + " --row subtotal:purchaser --column capitation");
    EXPECT_EQ(side.exit_code, 2);
    EXPECT_NE(side.err.find("--row 'subtotal:purchaser'"), std::string::npos) << side.err;
    const auto commitments = run(std::string(LIKVARD_BIN) +
                                 " explain commitments --region SE-Z --scheme primary_care "
                                 "--from 2022-01 --to 2022-12 --database-url '" +
                                 reader_url + "' --row commitment:total --column cost");
    EXPECT_EQ(commitments.exit_code, 2);
    EXPECT_NE(commitments.err.find("--row 'commitment:total'"), std::string::npos) << commitments.err;
    const auto format = run(options + " --row total --column capitation --format xml");
    EXPECT_EQ(format.exit_code, 2);
    EXPECT_NE(format.err.find("--format 'xml'"), std::string::npos) << format.err;
    const auto missing = run(options + " --column capitation");
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("--row is required"), std::string::npos) << missing.err;
}
