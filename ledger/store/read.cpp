// Reads of the stored ledger: heads (as of a seq), regions, consumer offsets.
#include <algorithm>

#include "store/connection.hpp"
#include "store/detail/store_impl.hpp"

namespace likvard {

Head read_head(pqxx::work& tx, const std::string& region, std::optional<std::int64_t> as_of_seq) {
    const pqxx::result rows =
        tx.exec_params("SELECT seq, hash FROM ledger.events WHERE region = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1",
                       region, as_of_seq.value_or(INT64_MAX));
    if (rows.empty()) return Head{};
    return Head{rows[0][0].as<std::int64_t>(), sql::hash_from(rows[0][1])};
}

Store::Store(const std::string& url) : impl_(std::make_unique<Impl>(url)) {}
Store::~Store() = default;

pqxx::connection& store_connection(Store& store) { return store.impl_->connection; }
bool Store::connected() { return impl_->connection.is_open(); }

Head Store::head(const std::string& region, std::optional<std::int64_t> as_of_seq) {
    pqxx::work tx(impl_->connection);
    return read_head(tx, region, as_of_seq);
}

namespace sql {

std::vector<std::string> regions(pqxx::transaction_base& tx) {
    std::vector<std::string> out;
    // A loose index scan: one probe per region instead of reading every event.
    const pqxx::result rows = tx.exec(
        "WITH RECURSIVE r(region) AS ("
        " (SELECT region FROM ledger.events ORDER BY region LIMIT 1)"
        " UNION ALL"
        " SELECT (SELECT region FROM ledger.events WHERE region > r.region ORDER BY region LIMIT 1) FROM r"
        " WHERE r.region IS NOT NULL) "
        "SELECT region FROM r WHERE region IS NOT NULL");
    for (const auto& row : rows) out.push_back(row[0].as<std::string>());
    return out;
}

}  // namespace sql

std::vector<std::string> Store::regions() {
    pqxx::work tx(impl_->connection);
    return sql::regions(tx);
}

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? "none" : out;
}

}  // namespace

void Store::require_scope(const std::string& region, const std::optional<std::string>& scheme) {
    pqxx::work tx(impl_->connection);
    const std::vector<std::string> known = sql::regions(tx);
    if (std::find(known.begin(), known.end(), region) == known.end())
        throw LedgerScopeError("the ledger has no events for region " + region + "; its regions: " + joined(known));
    if (!scheme) return;
    if (tx.exec_params1("SELECT EXISTS (SELECT 1 FROM ledger.events WHERE region = $1 AND scheme = $2)", region,
                        *scheme)[0]
            .as<bool>())
        return;
    std::vector<std::string> schemes;
    for (const auto& row :
         tx.exec_params("SELECT DISTINCT scheme FROM ledger.events WHERE region = $1 ORDER BY scheme", region))
        schemes.push_back(row[0].as<std::string>());
    throw LedgerScopeError("the ledger has no events for region " + region + " in scheme " + *scheme +
                           "; the schemes of " + region + ": " + joined(schemes));
}

std::map<std::pair<std::string, std::int32_t>, std::int64_t> Store::consumer_offsets(const std::string& group) {
    pqxx::work tx(impl_->connection);
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> out;
    const pqxx::result rows = tx.exec_params(
        "SELECT topic, partition, offset_next FROM ledger.consumer_offsets WHERE consumer_group = $1", group);
    for (const auto& row : rows) out[{row[0].as<std::string>(), row[1].as<std::int32_t>()}] = row[2].as<std::int64_t>();
    return out;
}

}  // namespace likvard
