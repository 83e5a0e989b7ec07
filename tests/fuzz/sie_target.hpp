// What `likvard sie check` does with a file, as a function of raw bytes: read it in every
// character set and with small limits, and write back what reads without a problem.
// Shared by the libFuzzer target and the seeded mutation test of every build.
#pragma once

#include <cstddef>
#include <cstdint>

namespace likvard::fuzz {

// Never throws and never crashes, whatever the bytes. Aborts when a file that reads
// without a problem does not come back the same through the writer, or its #KSUMMA does
// not verify.
void sie_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace likvard::fuzz
