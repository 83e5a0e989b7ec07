// Internal to statements/: the provenance every statement starts with, and sealing a
// document with the SHA-256 of its canonical JSON body.
#pragma once

#include "statements/statements.hpp"

namespace likvard {

Document start_document(const std::string& statement, const LedgerSlice& slice, const std::string& generator);
void finish_document(Document& document);

}  // namespace likvard
