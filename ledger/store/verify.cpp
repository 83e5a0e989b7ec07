// `likvard verify`: recompute each region's chain from genesis, compare every stored
// column of its events and postings with the canonical event it came from, re-derive the
// postings from the posting rules, and check that ledger.periods holds exactly the closes
// of the period.closed events; report the first bad seq of a region.
#include <set>

#include "store/connection.hpp"
#include "store/detail/columns.hpp"
#include "store/detail/store_impl.hpp"

namespace likvard {
namespace {

constexpr std::int64_t verify_chunk_events = 10'000;

// Result columns before the event_specs (after the posting_specs) ones.
constexpr int event_chain_columns = 4;     // seq, canonical, prev_hash, hash
constexpr int posting_number_columns = 2;  // seq, line

struct Close {
    std::string scheme;
    std::string period;
};

struct Walk {
    RegionVerification report;
    RegionState state;
    Hash hash{};
    Decoder decoder;
    std::map<std::int64_t, std::vector<Close>> closes;  // stored ledger.periods rows not yet matched, by closed_by_seq

    bool fail(std::int64_t seq, std::string problem) {
        report.ok = false;
        report.bad_seq = seq;
        report.problem = std::move(problem);
        return false;
    }
};

std::string shown(const pqxx::field& stored) { return stored.is_null() ? "NULL" : stored.c_str(); }

std::string shown(columns::Type type, const columns::Value& value) {
    if (type == columns::Type::bigint) return std::to_string(value.number);
    return value.text ? std::string(*value.text) : "NULL";
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

// Dates are read in the ISO form (the transaction sets DateStyle), uuids in PostgreSQL's
// lower-case form.
bool same(const pqxx::field& stored, columns::Type type, const columns::Value& value) {
    if (type == columns::Type::bigint) return !stored.is_null() && stored.as<std::int64_t>() == value.number;
    if (stored.is_null() || !value.text) return stored.is_null() && !value.text;
    const std::string_view text(stored.c_str(), stored.size());
    return type == columns::Type::uuid ? equal_ignoring_case(text, *value.text) : text == *value.text;
}

// The first of `specs`, read from `row` at column `first` on, that differs from what the
// canonical event says: "events.period is 2024-02, the canonical event says 2024-01".
template <std::size_t N>
std::optional<std::string> difference(const pqxx::row& row, int first, std::string_view table,
                                      const std::array<columns::Spec, N>& specs,
                                      const std::array<columns::Value, N>& values, const std::string& where = "") {
    for (std::size_t i = 0; i < N; ++i) {
        const pqxx::field stored = row[static_cast<pqxx::row::size_type>(first) + static_cast<pqxx::row::size_type>(i)];
        if (same(stored, specs[i].type, values[i])) continue;
        return std::string(table) + "." + std::string(specs[i].name) + where + " is " + shown(stored) +
               ", the canonical event says " + shown(specs[i].type, values[i]);
    }
    return std::nullopt;
}

std::vector<Posting> expected_postings(pqxx::work& tx, const Event& event, const RegionState& state,
                                       const std::string& region) {
    DerivationInputs inputs;
    std::vector<Posting> reversed;
    if (const auto* cost = std::get_if<SharedCostIncurred>(&event.data)) {
        auto weights = benefit_weights(event, *cost, state);
        if (auto* rejection = std::get_if<Rejection>(&weights)) throw std::runtime_error(rejection->to_string());
        inputs.benefit_weights = std::get<std::vector<Weight>>(weights);
    }
    if (const auto* reversal = std::get_if<EntryReversed>(&event.data)) {
        const pqxx::result target = tx.exec_params(
            "SELECT seq FROM ledger.events WHERE region = $1 AND event_id = $2::uuid", region, reversal->reverses);
        if (target.empty()) throw std::runtime_error("the reversed event " + reversal->reverses + " is not stored");
        reversed = stored_postings(tx, region, target[0][0].as<std::int64_t>());
        inputs.reversed_postings = &reversed;
    }
    return derive_postings(event, inputs);
}

// The stored postings of one event (rows of postings_in, in line order) against the ones
// the posting rules derive from its canonical event, column by column.
std::optional<std::string> postings_difference(const std::vector<pqxx::row>& stored, const Event& event,
                                               const std::vector<Posting>& expected) {
    for (std::size_t i = 0; i < stored.size(); ++i) {
        const auto line = stored[i][1].as<std::int64_t>();
        if (line != static_cast<std::int64_t>(i + 1))
            return "postings.line is " + std::to_string(line) + ", expected " + std::to_string(i + 1) +
                   " (lines run 1..n)";
    }
    if (stored.size() != expected.size())
        return "postings: " + std::to_string(stored.size()) + " lines stored, the posting rules derive " +
               std::to_string(expected.size());
    std::string account;
    std::int64_t sum_ore = 0;
    for (std::size_t i = 0; i < stored.size(); ++i) {
        const auto values = columns::posting_values(event, expected[i], account);
        const std::string where = " (line " + std::to_string(i + 1) + ")";
        if (auto d = difference(stored[i], posting_number_columns, "postings", columns::posting_specs, values, where))
            return d;
        sum_ore += expected[i].amount.ore();
    }
    if (sum_ore != 0) return "postings do not sum to zero";  // paired with derive_postings' own check
    return std::nullopt;
}

// The ledger.periods rows that name this seq against the close the event is (if it is one).
std::optional<std::string> closes_difference(Walk& walk, std::int64_t seq, const Event& event) {
    const auto at = walk.closes.find(seq);
    std::vector<Close> stored;
    if (at != walk.closes.end()) {
        stored = std::move(at->second);
        walk.closes.erase(at);
    }
    const bool closes = event.type == EventType::period_closed;
    for (const Close& c : stored)
        if (!closes || c.scheme != event.scheme || c.period != event.period)
            return "periods: " + walk.report.region + " " + c.scheme + " " + c.period + " has no period.closed event";
    if (closes && stored.empty())
        return "periods: " + walk.report.region + " " + event.scheme + " " + event.period +
               " is missing (closed by this event)";
    return std::nullopt;
}

// Chain, canonical form and the event's own columns.
std::optional<std::string> event_problem(Walk& walk, const pqxx::row& row, std::int64_t seq,
                                         std::optional<Event>& event) {
    const std::int64_t expected_seq = walk.report.head_seq + 1;
    if (seq != expected_seq) return "seq gap (expected " + std::to_string(expected_seq) + ")";
    const std::string canonical = sql::from_bytea(row[1]);
    const Hash prev = sql::hash_from(row[2]);
    if (prev != walk.hash) return "prev_hash does not match the previous hash";
    if (chain_hash(prev, canonical) != sql::hash_from(row[3]))
        return "hash does not match SHA-256(prev_hash || canonical)";
    DecodeResult decoded = walk.decoder.decode(canonical);
    if (!decoded.event) return "canonical bytes do not decode: " + decoded.rejection->to_string();
    if (decoded.event->canonical != canonical) return "canonical bytes are not in canonical form";
    event = std::move(decoded.event);
    return difference(row, event_chain_columns, "events", columns::event_specs, columns::event_values(*event));
}

bool check_event(pqxx::work& tx, Walk& walk, const pqxx::row& row, const std::vector<pqxx::row>& postings) {
    const auto seq = row[0].as<std::int64_t>();
    std::optional<Event> event;
    if (auto problem = event_problem(walk, row, seq, event)) return walk.fail(seq, std::move(*problem));
    std::vector<Posting> expected;
    try {
        expected = expected_postings(tx, *event, walk.state, walk.report.region);
    } catch (const std::exception& error) {
        return walk.fail(seq, std::string("postings cannot be re-derived: ") + error.what());
    }
    if (auto problem = postings_difference(postings, *event, expected)) return walk.fail(seq, std::move(*problem));
    if (auto problem = closes_difference(walk, seq, *event)) return walk.fail(seq, std::move(*problem));
    walk.state.apply(*event, expected);
    walk.state.events.clear();
    walk.report.head_seq = seq;
    walk.report.head_hash = sql::hash_from(row[3]);
    walk.hash = walk.report.head_hash;
    ++walk.report.events;
    return true;
}

// Postings of seqs (from, to], by seq, in line order: seq, line, then the posting_specs.
std::map<std::int64_t, std::vector<pqxx::row>> postings_in(pqxx::work& tx, const std::string& region, std::int64_t from,
                                                           std::int64_t to) {
    std::map<std::int64_t, std::vector<pqxx::row>> out;
    const pqxx::result rows = tx.exec_params("SELECT seq, line, " + columns::select_list(columns::posting_specs) +
                                                 " FROM ledger.postings WHERE region = $1 AND seq > $2 AND seq <= $3 "
                                                 "ORDER BY seq, line",
                                             region, from, to);
    for (const auto& row : rows) out[row[0].as<std::int64_t>()].push_back(row);
    return out;
}

// The region's ledger.periods rows up to `last`, by closed_by_seq (a small table: one row
// per scheme and closed month).
std::map<std::int64_t, std::vector<Close>> stored_closes(pqxx::work& tx, const std::string& region, std::int64_t last) {
    std::map<std::int64_t, std::vector<Close>> out;
    const pqxx::result rows = tx.exec_params(
        "SELECT closed_by_seq, scheme, period FROM ledger.periods WHERE region = $1 AND closed_by_seq <= $2 "
        "ORDER BY closed_by_seq, scheme, period",
        region, last);
    for (const auto& row : rows)
        out[row[0].as<std::int64_t>()].push_back({row[1].as<std::string>(), row[2].as<std::string>()});
    return out;
}

// Walks the chain a chunk at a time; false at the first problem (in walk.report).
bool walk_events(pqxx::work& tx, Walk& walk, std::int64_t last) {
    const std::string& region = walk.report.region;
    for (std::int64_t from = 0; from < last;) {
        const std::int64_t to = std::min(last, from + verify_chunk_events);
        const pqxx::result rows =
            tx.exec_params("SELECT seq, canonical, prev_hash, hash, " + columns::select_list(columns::event_specs) +
                               " FROM ledger.events WHERE region = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
                           region, from, to);
        if (rows.empty()) break;
        auto postings = postings_in(tx, region, from, to);
        for (const auto& row : rows) {
            const auto seq = row[0].as<std::int64_t>();
            if (!check_event(tx, walk, row, postings[seq])) return false;
            postings.erase(seq);
        }
        if (!postings.empty()) return walk.fail(postings.begin()->first, "postings without an event");
        from = to;
    }
    return true;
}

RegionVerification verify_region(pqxx::work& tx, const std::string& region, std::optional<std::int64_t> as_of_seq) {
    Walk walk;
    walk.report.region = region;
    const std::int64_t last = as_of_seq.value_or(INT64_MAX);
    walk.closes = stored_closes(tx, region, last);
    if (!walk_events(tx, walk, last)) return walk.report;
    if (!walk.closes.empty()) {  // rows naming a seq past the head (or none at all)
        const auto& [seq, closes] = *walk.closes.begin();
        walk.fail(seq, "periods: " + region + " " + closes.front().scheme + " " + closes.front().period +
                           " has no period.closed event");
    }
    return walk.report;
}

// The regions with events, and those that only ledger.periods names (whose rows are then
// closes without an event).
std::vector<std::string> regions_to_verify(pqxx::work& tx) {
    std::set<std::string> out;
    for (auto& region : sql::regions(tx)) out.insert(std::move(region));
    for (const auto& row : tx.exec("SELECT DISTINCT region FROM ledger.periods")) out.insert(row[0].as<std::string>());
    return {out.begin(), out.end()};
}

}  // namespace

std::vector<RegionVerification> verify(const std::string& url, const std::optional<std::string>& region,
                                       std::optional<std::int64_t> as_of_seq) {
    Store store(url);
    pqxx::connection& connection = store_connection(store);
    pqxx::work tx(connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    tx.exec("SET LOCAL DateStyle = 'ISO, YMD'");  // occurred_on as YYYY-MM-DD, as the canonical event has it
    const std::vector<std::string> regions = region ? std::vector<std::string>{*region} : regions_to_verify(tx);
    std::vector<RegionVerification> reports;
    for (const auto& r : regions) reports.push_back(verify_region(tx, r, as_of_seq));
    return reports;
}

}  // namespace likvard
