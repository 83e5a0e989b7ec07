// The one append path as the commands use it: inputs read in batches on one thread and
// decoded there, each batch written through Store::append_decoded on this one, so that
// `likvard append` and `likvard import csv --append` append exactly alike.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include "cli/detail/progress.hpp"
#include "store/store.hpp"

namespace likvard::cli {

inline constexpr std::int64_t append_batch_events_default = 5'000;
inline constexpr std::int64_t append_batch_events_max = 100'000;

struct AppendTotals {
    std::size_t appended = 0;
    std::size_t duplicates = 0;
    std::size_t rejected = 0;
};

// Fills `next` with the next input; false when there is none.
using NextInput = std::function<bool(Incoming& next)>;
// Called for each rejected input, in input order, after its batch committed.
using OnRejected = std::function<void(const Incoming& input, const ItemResult& result)>;

AppendTotals append_inputs(Store& store, const NextInput& next, std::int64_t batch_events, Progress& progress,
                           const OnRejected& on_rejected);

// The NDJSON lines of a stream (blank lines skipped), each with its file and line number.
NextInput ndjson_lines(std::istream& in, const std::string& path);

// "line N: <event_id or -> <reason_code>: <message>", as `likvard check` prints it.
std::string rejected_line(std::int64_t line, const ItemResult& result);

}  // namespace likvard::cli
