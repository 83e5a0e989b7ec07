// What `likvard check` does with one line, as a function of raw bytes: decode, admit
// against a small registered cast, apply. Shared by the libFuzzer target and the
// seeded mutation test that runs in every build.
#pragma once

#include <cstddef>
#include <cstdint>

namespace likvard::fuzz {

// Never throws and never crashes, whatever the bytes.
void check_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace likvard::fuzz
