// The drill-down of a figure: for every figure of the rows tables of both statements of the
// sample year, the postings it names sum exactly to the statement's figure (and for
// per-capita figures and averages its listings to the denominator), on a real ledger.
#include "database.hpp"
#include "projections/projections.hpp"
#include "run.hpp"
#include "sample/sample.hpp"
#include "store/reads.hpp"

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
