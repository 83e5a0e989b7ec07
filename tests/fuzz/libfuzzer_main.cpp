// libFuzzer entry point for `likvard check`'s path. Build with the `fuzz` preset and run
// ops/fuzz (seeds: tests/data/check/).
#include "check_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    likvard::fuzz::check_bytes(data, size);
    return 0;
}
