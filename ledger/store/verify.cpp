// `likvard verify`: recompute each region's chain from genesis and re-derive every
// event's postings from the posting rules; report the first bad seq of a region.
#include "store/store_impl.hpp"

namespace likvard {
namespace {

constexpr std::int64_t verify_chunk_events = 10'000;

struct StoredEvent {
    std::int64_t seq;
    std::string canonical;
    Hash prev;
    Hash hash;
};

struct Walk {
    RegionVerification report;
    RegionState state;
    Hash hash{};
    Decoder decoder;

    bool fail(std::int64_t seq, std::string problem) {
        report.ok = false;
        report.bad_seq = seq;
        report.problem = std::move(problem);
        return false;
    }
};

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

bool check_event(pqxx::work& tx, Walk& walk, const StoredEvent& stored, const std::vector<Posting>& postings) {
    const std::int64_t expected_seq = walk.report.head_seq + 1;
    if (stored.seq != expected_seq) return walk.fail(stored.seq, "seq gap (expected " + std::to_string(expected_seq) + ")");
    if (stored.prev != walk.hash) return walk.fail(stored.seq, "prev_hash does not match the previous hash");
    if (chain_hash(stored.prev, stored.canonical) != stored.hash)
        return walk.fail(stored.seq, "hash does not match SHA-256(prev_hash || canonical)");
    DecodeResult decoded = walk.decoder.decode(stored.canonical);
    if (!decoded.event) return walk.fail(stored.seq, "canonical bytes do not decode: " + decoded.rejection->to_string());
    if (decoded.event->canonical != stored.canonical)
        return walk.fail(stored.seq, "canonical bytes are not in canonical form");
    if (postings_sum(postings).ore() != 0) return walk.fail(stored.seq, "postings do not sum to zero");
    std::vector<Posting> expected;
    try {
        expected = expected_postings(tx, *decoded.event, walk.state, walk.report.region);
    } catch (const std::exception& error) {
        return walk.fail(stored.seq, std::string("postings cannot be re-derived: ") + error.what());
    }
    if (expected != postings) return walk.fail(stored.seq, "postings differ from the posting rules");
    walk.state.apply(*decoded.event, postings);
    walk.state.events.clear();
    walk.report.head_seq = stored.seq;
    walk.report.head_hash = stored.hash;
    walk.hash = stored.hash;
    ++walk.report.events;
    return true;
}

// Postings of seqs (from, to], by seq. A posting whose account name disagrees with its
// parts is reported as a posting that differs.
std::map<std::int64_t, std::vector<Posting>> postings_in(pqxx::work& tx, const std::string& region, std::int64_t from,
                                                         std::int64_t to) {
    std::map<std::int64_t, std::vector<Posting>> out;
    const pqxx::result rows = tx.exec_params(
        "SELECT seq, party, account_class, item, amount, account FROM ledger.postings "
        "WHERE region = $1 AND seq > $2 AND seq <= $3 ORDER BY seq, line",
        region, from, to);
    for (const auto& row : rows) {
        Posting p{row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>(),
                  Money::from_ore(row[4].as<std::int64_t>())};
        if (p.account() != row[5].as<std::string>()) p.item += " (account name " + row[5].as<std::string>() + ")";
        out[row[0].as<std::int64_t>()].push_back(std::move(p));
    }
    return out;
}

RegionVerification verify_region(pqxx::work& tx, const std::string& region, std::optional<std::int64_t> as_of_seq) {
    Walk walk;
    walk.report.region = region;
    const std::int64_t last = as_of_seq.value_or(INT64_MAX);
    std::int64_t from = 0;
    while (from < last) {
        const std::int64_t to = std::min(last, from + verify_chunk_events);
        const pqxx::result rows = tx.exec_params(
            "SELECT seq, canonical, prev_hash, hash FROM ledger.events WHERE region = $1 AND seq > $2 AND seq <= $3 "
            "ORDER BY seq",
            region, from, to);
        if (rows.empty()) break;
        auto postings = postings_in(tx, region, from, to);
        for (const auto& row : rows) {
            const StoredEvent stored{row[0].as<std::int64_t>(), sql::from_bytea(row[1]), sql::hash_from(row[2]),
                                     sql::hash_from(row[3])};
            if (!check_event(tx, walk, stored, postings[stored.seq])) return walk.report;
            postings.erase(stored.seq);
        }
        if (!postings.empty())
            return walk.fail(postings.begin()->first, "postings without an event"), walk.report;
        from = to;
    }
    return walk.report;
}

}  // namespace

std::vector<RegionVerification> verify(const std::string& url, const std::optional<std::string>& region,
                                       std::optional<std::int64_t> as_of_seq) {
    Store store(url);
    const std::vector<std::string> regions = region ? std::vector<std::string>{*region} : store.regions();
    pqxx::connection& connection = store.connection();
    pqxx::work tx(connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    std::vector<RegionVerification> reports;
    for (const auto& r : regions) reports.push_back(verify_region(tx, r, as_of_seq));
    return reports;
}

}  // namespace likvard
