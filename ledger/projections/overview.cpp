// G. The region summary and the comparison of regions: the neutrality and commitment
// statements of each scheme (or region) from one slice each, read as make_statement reads
// it (the projections when they stand at the head), then put side by side.
#include <algorithm>
#include <atomic>
#include <exception>
#include <regex>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <pqxx/pqxx>

#include "projections/projections.hpp"
#include "store/connection.hpp"
#include "store/store.hpp"

namespace likvard {
namespace {

const std::vector<std::string> schemes_known{"primary_care", "dental_child_youth", "foot_care", "physiotherapy"};

using Problem = std::optional<std::pair<std::string, std::string>>;

Problem year_problem(const std::string& year) {
    if (!std::regex_match(year, std::regex("[0-9]{4}")))
        return std::make_pair("year", "'" + year + "' is not a year YYYY");
    return std::nullopt;
}

// The problems a statement query of the year would have (region, scheme, as_of, as_of_time).
StatementQuery year_query(const std::string& region, const std::string& scheme, const std::string& year,
                          StatementSource source) {
    StatementQuery q;
    q.statement = "neutrality";
    q.region = region;
    q.scheme = scheme;
    q.from = year + "-01";
    q.to = year + "-12";
    q.source = source;
    return q;
}

StatementSource slowest(StatementSource a, StatementSource b) {
    const auto rank = [](StatementSource s) {
        return s == StatementSource::ledger ? 2 : s == StatementSource::blocks ? 1 : 0;
    };
    return rank(a) >= rank(b) ? a : b;
}

SchemeStatements statements_of(StatementSlice&& read, const std::string& generator) {
    SchemeStatements s;
    s.neutrality = neutrality_statement(read.slice, generator);
    s.commitments = commitment_statement(read.slice, generator);
    s.slice = std::move(read.slice);
    return s;
}

// What the ledger has of a region, per scheme with its months, for an error that names it.
std::string region_holdings(Store& store, const std::string& region) {
    pqxx::work tx(store_connection(store));
    std::string out;
    for (const auto& row : tx.exec_params("SELECT scheme, min(period), max(period) FROM ledger.events "
                                          "WHERE region = $1 GROUP BY scheme ORDER BY scheme",
                                          region))
        out += (out.empty() ? "" : ", ") + row[0].as<std::string>() + " (" + row[1].as<std::string>() + ".." +
               row[2].as<std::string>() + ")";
    return out.empty() ? "none" : out;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? "none" : out;
}

}  // namespace

Problem summary_query_problem(const SummaryQuery& query) {
    if (auto problem = year_problem(query.year)) return problem;
    StatementQuery q = year_query(query.region, "primary_care", query.year, query.source);
    q.as_of = query.as_of;
    q.as_of_time = query.as_of_time;
    return statement_query_problem(q);
}

Problem comparison_query_problem(const ComparisonQuery& query) {
    if (auto problem = year_problem(query.year)) return problem;
    const std::set<std::string> named(query.regions.begin(), query.regions.end());
    if (named.size() != query.regions.size()) return std::make_pair("regions", "names a region twice");
    for (const auto& region : query.regions) {
        StatementQuery q = year_query(region, query.scheme, query.year, query.source);
        if (auto problem = statement_query_problem(q); problem && problem->first == "region")
            return std::make_pair("regions", problem->second);
    }
    for (const auto& [region, seq] : query.as_of) {
        if (!named.empty() && !named.contains(region))
            return std::make_pair("as_of",
                                  region + " is not one of the regions compared (" + joined(query.regions) + ")");
        StatementQuery q = year_query(region, query.scheme, query.year, query.source);
        q.as_of = seq;
        q.as_of_time = query.as_of_time;
        if (auto problem = statement_query_problem(q))
            return std::make_pair(problem->first,
                                  problem->first == "region" ? problem->second : region + ": " + problem->second);
    }
    StatementQuery q = year_query("SE-Z", query.scheme, query.year, query.source);
    q.as_of_time = query.as_of_time;
    return statement_query_problem(q);
}

StatementResult make_region_summary(Store& store, const SummaryQuery& asked, const std::string& generator) {
    if (const auto problem = summary_query_problem(asked))
        throw std::invalid_argument(problem->first + ": " + problem->second);
    store.require_scope(asked.region);
    StatementResult result;
    result.source_used = StatementSource::projections;
    std::vector<SchemeStatements> schemes;
    // The first scheme read fixes the position (the head, the seq or the moment asked); a
    // scheme read at another one (events appended meanwhile) is read again at it.
    std::optional<std::int64_t> position = asked.as_of;
    std::optional<std::string> as_of_time;
    for (const auto& scheme : schemes_known) {
        StatementQuery q = year_query(asked.region, scheme, asked.year, asked.source);
        q.as_of = asked.as_of;
        q.as_of_time = asked.as_of_time;
        if (asked.as_of_time && position) q.as_of = position, q.as_of_time.reset();  // the moment resolved once
        StatementSlice read = read_statement_slice(store, q, SliceParts{}, false);
        if (position && read.slice.as_of_seq != *position) {
            q.as_of = position, q.as_of_time.reset();
            read = read_statement_slice(store, q, SliceParts{}, false);
        }
        if (!position) position = read.slice.as_of_seq, as_of_time = read.slice.as_of_time;
        read.slice.as_of_time = as_of_time;
        result.source_used = slowest(result.source_used, read.source_used);
        if (read.slice.events_counted > 0) schemes.push_back(statements_of(std::move(read), generator));
    }
    if (schemes.empty())
        throw LedgerScopeError("the ledger has no events for region " + asked.region + " in " + asked.year + "; what " +
                               asked.region + " has: " + region_holdings(store, asked.region));
    result.document = region_summary(schemes, generator);
    return result;
}

namespace {

// One region of the comparison: its statements, or nothing when it has no events of the
// scheme in the year (and was not named), or the error that reading it raised.
struct ComparedRegion {
    std::optional<SchemeStatements> statements;
    StatementSource source_used = StatementSource::projections;
    std::exception_ptr error;
};

ComparedRegion compare_region(Store& store, const ComparisonQuery& asked, const std::string& region, bool named,
                              const std::string& generator) {
    ComparedRegion out;
    try {
        if (named) store.require_scope(region, asked.scheme);
        StatementQuery q = year_query(region, asked.scheme, asked.year, asked.source);
        if (const auto seq = asked.as_of.find(region); seq != asked.as_of.end()) q.as_of = seq->second;
        q.as_of_time = asked.as_of_time;
        StatementSlice read = read_statement_slice(store, q, SliceParts{}, false);
        if (read.slice.events_counted == 0) {
            if (named)
                throw LedgerScopeError("the ledger has no events for region " + region + " in scheme " + asked.scheme +
                                       " in " + asked.year + "; what " + region +
                                       " has: " + region_holdings(store, region));
            return out;
        }
        out.source_used = read.source_used;
        out.statements = statements_of(std::move(read), generator);
    } catch (...) {
        out.error = std::current_exception();
    }
    return out;
}

// Every region read on its own, on up to `comparison_connections` connections at once: each
// region is its own chain, read at its own position in its own snapshot (one connection
// or several give the same bytes), and the reads wait on PostgreSQL about as long as they
// compute. The results stay in the order of `regions`.
constexpr std::size_t comparison_connections = 4;

std::vector<ComparedRegion> compare_regions(Store& store, const ComparisonQuery& asked,
                                            const std::vector<std::string>& regions, bool named,
                                            const std::string& generator) {
    std::vector<ComparedRegion> out(regions.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&](Store& own) {
        for (std::size_t i = next++; i < regions.size(); i = next++)
            out[i] = compare_region(own, asked, regions[i], named, generator);
    };
    const std::size_t helpers = std::min(comparison_connections, regions.size()) - (regions.empty() ? 0 : 1);
    std::vector<std::thread> threads;
    const std::string url = store_connection(store).options();
    for (std::size_t h = 0; h < helpers; ++h) {
        try {
            threads.emplace_back([&] {
                std::optional<Store> own;
                try {
                    own.emplace(url);
                } catch (const std::exception&) {
                    return;  // no further connection (e.g. the server's limit): the others read its regions
                }
                work(*own);
            });
        } catch (const std::system_error&) {
            break;  // no further thread: the same
        }
    }
    work(store);
    for (auto& thread : threads) thread.join();
    return out;
}

}  // namespace

StatementResult make_comparison(Store& store, const ComparisonQuery& asked, const std::string& generator) {
    if (const auto problem = comparison_query_problem(asked))
        throw std::invalid_argument(problem->first + ": " + problem->second);
    std::vector<std::string> regions = asked.regions;
    if (regions.empty())
        for (const auto& [region, seq] : asked.as_of) regions.push_back(region);
    const bool named = !regions.empty();
    if (!named) regions = store.regions();
    StatementResult result;
    result.source_used = StatementSource::projections;
    std::vector<SchemeStatements> compared;
    for (auto& region : compare_regions(store, asked, regions, named, generator)) {
        if (region.error) std::rethrow_exception(region.error);  // the first in the order asked
        if (!region.statements) continue;
        result.source_used = slowest(result.source_used, region.source_used);
        compared.push_back(std::move(*region.statements));
    }
    if (compared.empty())
        throw LedgerScopeError("the ledger has no events in scheme " + asked.scheme + " in " + asked.year +
                               "; its regions: " + joined(store.regions()));
    result.document = regions_comparison(compared, generator);
    return result;
}

}  // namespace likvard
