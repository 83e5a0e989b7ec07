// Projecting a range of one region's seqs: the one code path of the runner's catch-up, the
// rebuild and the consistency check (ledger/projections/README.md, "One code path").
#pragma once

#include <cstdint>
#include <string>

#include <pqxx/transaction>

#include "store/store.hpp"

namespace likvard {

// Projects the seqs after + 1 .. upto of `region` into the tables of `schema` (`projection`,
// or `pg_temp` for the consistency check) and their sums per block of `block_seqs` seqs into
// its block_* tables, and moves the region's checkpoint to upto with its hash, all in `tx`.
void project_range(pqxx::work& tx, const std::string& schema, const std::string& region, std::int64_t after,
                   std::int64_t upto, const Hash& upto_hash, std::int64_t block_seqs);

}  // namespace likvard
