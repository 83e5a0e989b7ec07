// libFuzzer entry point for the SIE reader and writer. Build with the `fuzz` preset and
// run ops/fuzz --target sie (seeds: tests/data/sie/).
#include "sie_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    likvard::fuzz::sie_bytes(data, size);
    return 0;
}
