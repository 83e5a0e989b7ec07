// Name-based UUIDs, version 5 (RFC 9562, section 5.5): SHA-1 of the namespace's 16 bytes and
// the name, the version and variant bits set. Python's uuid.uuid5 gives the same ids.
#include <openssl/sha.h>

#include <stdexcept>

#include "csv/csv.hpp"

namespace likvard::csv {
namespace {

constexpr std::size_t uuid_bytes = 16;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string namespace_bytes(std::string_view text) {
    std::string bytes;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '-') continue;
        const int high = hex_value(text[i]);
        const int low = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        if (high < 0 || low < 0) throw std::invalid_argument("not a UUID: " + std::string(text));
        bytes += static_cast<char>(high * 16 + low);
        ++i;
    }
    if (bytes.size() != uuid_bytes) throw std::invalid_argument("not a UUID: " + std::string(text));
    return bytes;
}

}  // namespace

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
    const std::string input = namespace_bytes(namespace_uuid) + std::string(name);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
    digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
    digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // variant RFC 9562
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < uuid_bytes; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += digits[digest[i] >> 4];
        out += digits[digest[i] & 0x0F];
    }
    return out;
}

}  // namespace likvard::csv
