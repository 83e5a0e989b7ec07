// The log of likvard-ingest: spdlog to stderr, plain text or JSON lines.
#pragma once

namespace likvard::ingest {

void setup_logging(bool json);

}  // namespace likvard::ingest
