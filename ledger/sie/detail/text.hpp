// Character sets of SIE files: CP437 (PC8, the specification's only one), ISO-8859-1 and
// UTF-8 decoded to UTF-8, and UTF-8 encoded back to CP437. Internal to ledger/sie.
#pragma once

#include <string>
#include <string_view>

#include "sie/sie.hpp"

namespace likvard::sie::detail {

// Decodes one line's bytes to UTF-8. Invalid UTF-8 becomes U+FFFD and sets `invalid`.
std::string decode(std::string_view raw, Encoding encoding, bool& invalid);

// UTF-8 text to CP437 bytes: a character CP437 lacks becomes '?', and so does a byte of
// invalid UTF-8. With `controls_to_space`, characters 0-31 and 127 become ' '.
std::string to_cp437(std::string_view utf8, bool controls_to_space);

// Valid UTF-8 with at least one multi-byte sequence: CP437 text with Swedish letters
// (0x80-0xBF after a letter) is never that.
bool looks_like_utf8(std::string_view bytes);

bool is_control(unsigned char c);

}  // namespace likvard::sie::detail
