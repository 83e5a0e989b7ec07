// The fuzzed SIE path: read_sie in each character set, with the default and with small
// limits, the figures of `sie check`, and the writer's round trip as an invariant.
#include "sie_target.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "sie/sie.hpp"
#include "without_lines.hpp"

namespace likvard::fuzz {
namespace {

using namespace likvard::sie;

ReadOptions small_limits() {
    ReadOptions options;
    options.limits.line_bytes = 256;
    options.limits.fields_per_line = 8;
    options.limits.objects_per_row = 3;
    options.limits.rows_per_verification = 16;
    options.limits.verifications = 8;
    options.limits.problems_kept = 4;
    return options;
}

void figures(const SieDocument& document) {
    try {
        (void)booked_sum_by_account(document);  // throws only past what int64 öre hold
    } catch (const std::overflow_error&) {}
    (void)unbalanced_verifications(document);
}

// What the writer writes of the header, and no line numbers.
SieDocument normalised(SieDocument d) {
    d.flagga = 0;
    d.sietyp = 4;
    d.format = "PC8";
    return test::without_lines(std::move(d));
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "sie round trip: %s\n", what);
    std::abort();
}

// A file read as CP437 without a problem holds only what CP437 can write: the writer
// must give it back the same, with a checksum that verifies.
void round_trip(const ReadResult& first, const ReadOptions& cp437) {
    if (!first.ok() || !first.document.generated_on) return;
    const std::string written = write_sie4(first.document);
    if (written.size() > cp437.limits.line_bytes) return;  // no written line can pass the line limit
    const ReadResult again = read_sie(written, cp437);
    if (!again.ok()) fail("the written file has problems");
    if (again.checksum != Checksum::verified) fail("the written #KSUMMA does not verify");
    if (normalised(again.document) != normalised(first.document)) fail("the document read back differs");
}

}  // namespace

void sie_bytes(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    figures(read_sie(bytes).document);
    figures(read_sie(bytes, small_limits()).document);
    ReadOptions forced;
    for (const Encoding encoding : {Encoding::latin1, Encoding::utf8}) {
        forced.encoding = encoding;
        figures(read_sie(bytes, forced).document);
    }
    forced.encoding = Encoding::cp437;
    const ReadResult cp437 = read_sie(bytes, forced);
    figures(cp437.document);
    round_trip(cp437, forced);
}

}  // namespace likvard::fuzz
