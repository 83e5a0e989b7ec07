// CRC-32 of #KSUMMA, as section 10 of the SIE specification gives it: generator polynomial
// EDB88320 (reflected), preset to FFFFFFFF, inverted at the end. It equals zlib's crc32.
#include <array>

#include "sie/sie.hpp"

namespace likvard::sie {
namespace {

constexpr std::uint32_t polynomial = 0xEDB88320u;

constexpr std::array<std::uint32_t, 256> make_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < table.size(); ++i) {
        std::uint32_t crc = i;
        for (int bit = 0; bit < 8; ++bit) crc = (crc & 1u) != 0 ? (crc >> 1) ^ polynomial : crc >> 1;
        table[i] = crc;
    }
    return table;
}

constexpr auto table = make_table();

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc_previous) {
    std::uint32_t crc = ~crc_previous;
    for (const char byte : bytes) crc = (crc >> 8) ^ table[(crc ^ static_cast<unsigned char>(byte)) & 0xFFu];
    return ~crc;
}

}  // namespace likvard::sie

namespace likvard::sie {

std::string_view checksum_name(Checksum checksum) {
    switch (checksum) {
        case Checksum::absent: return "absent";
        case Checksum::verified: return "verified";
        case Checksum::mismatch: return "mismatch";
        case Checksum::unterminated: return "unterminated";
    }
    return "absent";
}

}  // namespace likvard::sie
