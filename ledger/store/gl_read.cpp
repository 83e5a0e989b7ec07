// The general ledger bridge's one read of the database (gl/gl.hpp): a region's postings of
// some months with their events' type, scheme and dates, and the names of its parties, in
// one read-only snapshot. Here in store/, since SQL lives only in store/ and projections/.
#include <pqxx/pqxx>

#include "gl/gl.hpp"
#include "store/connection.hpp"

namespace likvard::gl {

LedgerExtract read_ledger_postings(Store& store, const std::string& region, const std::string& from,
                                   const std::string& to) {
    pqxx::work tx(store_connection(store));
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    LedgerExtract extract;
    extract.region = region;
    const pqxx::result rows = tx.exec_params(
        "SELECT p.seq, p.line, p.event_id::text, e.type, p.scheme, p.period, e.occurred_on::text, p.party, "
        "p.account_class, p.item, p.amount "
        "FROM ledger.postings p JOIN ledger.events e ON e.region = p.region AND e.seq = p.seq "
        "WHERE p.region = $1 AND p.period >= $2 AND p.period <= $3 ORDER BY p.seq, p.line",
        region, from, to);
    extract.postings.reserve(rows.size());
    for (const auto& r : rows)
        extract.postings.push_back(
            {r[0].as<std::int64_t>(), r[1].as<int>(), r[2].as<std::string>(), r[3].as<std::string>(),
             r[4].as<std::string>(), r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<std::string>(),
             ChartAccount{r[8].as<std::string>(), r[9].as<std::string>()}, Money::from_ore(r[10].as<std::int64_t>())});
    const pqxx::result parties = tx.exec_params(
        "SELECT convert_from(canonical, 'UTF8')::jsonb #>> '{data,party_id}', "
        "convert_from(canonical, 'UTF8')::jsonb #>> '{data,name}' "
        "FROM ledger.events WHERE region = $1 AND type = 'party.registered' ORDER BY seq",
        region);
    for (const auto& p : parties) extract.party_names.emplace(p[0].as<std::string>(), p[1].as<std::string>());
    tx.commit();
    return extract;
}

}  // namespace likvard::gl
