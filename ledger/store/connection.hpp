// The Store's connection, for the two folders that hold SQL: store/ and projections/.
// Everything else reads through named functions (store/reads.hpp, projections/projections.hpp).
#pragma once

#include <pqxx/connection.hxx>

#include "store/store.hpp"

namespace likvard {

pqxx::connection& store_connection(Store& store);

}  // namespace likvard
