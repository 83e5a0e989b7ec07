// `likvard import csv` in a build without the spreadsheet import: a usage error that says so.
#include "cli/detail/options.hpp"

namespace likvard::cli {

int import_csv(const Args&) { throw UsageError("likvard import csv is not available in this build"); }

}  // namespace likvard::cli
