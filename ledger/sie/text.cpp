// CP437, ISO-8859-1 and UTF-8 for the SIE reader and writer: table-driven, byte by byte.
#include <algorithm>
#include <array>
#include <utility>

#include "sie/detail/text.hpp"

namespace likvard::sie::detail {
namespace {

constexpr char32_t replacement_character = 0xFFFD;

// Code points of the CP437 bytes 0x80-0xFF (0x00-0x7F are ASCII).
constexpr std::array<char32_t, 128> cp437_high = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE,
    0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6,
    0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA,
    0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592, 0x2593, 0x2502,
    0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510, 0x2514,
    0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550,
    0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C,
    0x2588, 0x2584, 0x258C, 0x2590, 0x2580, 0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
    0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320,
    0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

using Reverse = std::array<std::pair<char32_t, unsigned char>, 128>;

const Reverse& cp437_reverse() {
    static const Reverse table = [] {
        Reverse pairs{};
        for (std::size_t i = 0; i < cp437_high.size(); ++i)
            pairs[i] = {cp437_high[i], static_cast<unsigned char>(0x80 + i)};
        std::sort(pairs.begin(), pairs.end());
        return pairs;
    }();
    return table;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// The code point starting at text[at] and its length in bytes; length 0 when invalid
// (overlong forms, surrogates and values past U+10FFFF are invalid too).
std::pair<char32_t, std::size_t> next_code_point(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) return {lead, 1};
    std::size_t length = 0;
    char32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2, cp = lead & 0x1F;
    else if (lead >= 0xE0 && lead <= 0xEF)
        length = 3, cp = lead & 0x0F;
    else if (lead >= 0xF0 && lead <= 0xF4)
        length = 4, cp = lead & 0x07;
    else
        return {0, 0};
    if (at + length > text.size()) return {0, 0};
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xC0) != 0x80) return {0, 0};
        cp = (cp << 6) | (next & 0x3F);
    }
    const char32_t shortest_min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (cp < shortest_min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 0};
    return {cp, length};
}

std::string decode_utf8(std::string_view raw, bool& invalid) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t at = 0; at < raw.size();) {
        const auto [cp, length] = next_code_point(raw, at);
        if (length == 0) {
            invalid = true;
            append_utf8(out, replacement_character);
            ++at;
        } else {
            out.append(raw.substr(at, length));
            at += length;
        }
    }
    return out;
}

unsigned char cp437_byte(char32_t cp) {
    if (cp < 0x80) return static_cast<unsigned char>(cp);
    const Reverse& table = cp437_reverse();
    const auto found = std::lower_bound(table.begin(), table.end(), std::pair<char32_t, unsigned char>{cp, 0});
    return found != table.end() && found->first == cp ? found->second : '?';
}

}  // namespace

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

std::string decode(std::string_view raw, Encoding encoding, bool& invalid) {
    if (encoding == Encoding::utf8) return decode_utf8(raw, invalid);
    std::string out;
    out.reserve(raw.size() + raw.size() / 4);
    for (const char byte : raw) {
        const auto c = static_cast<unsigned char>(byte);
        if (c < 0x80)
            out.push_back(byte);
        else
            append_utf8(out, encoding == Encoding::latin1 ? char32_t(c) : cp437_high[c - 0x80]);
    }
    return out;
}

std::string to_cp437(std::string_view utf8, bool controls_to_space) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t at = 0; at < utf8.size();) {
        const auto [cp, length] = next_code_point(utf8, at);
        at += length == 0 ? 1 : length;
        const unsigned char byte = length == 0 ? '?' : cp437_byte(cp);
        out.push_back(static_cast<char>(controls_to_space && is_control(byte) ? ' ' : byte));
    }
    return out;
}

bool looks_like_utf8(std::string_view bytes) {
    bool multi_byte = false;
    for (std::size_t at = 0; at < bytes.size();) {
        const auto [cp, length] = next_code_point(bytes, at);
        if (length == 0) return false;
        multi_byte = multi_byte || length > 1;
        at += length;
    }
    return multi_byte;
}

}  // namespace likvard::sie::detail

namespace likvard::sie {

std::string_view encoding_name(Encoding encoding) {
    switch (encoding) {
        case Encoding::cp437: return "cp437";
        case Encoding::latin1: return "latin1";
        case Encoding::utf8: return "utf-8";
    }
    return "cp437";
}

std::optional<Encoding> encoding_from_name(std::string_view name) {
    std::string lower;
    for (char c : name) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    if (lower == "pc8" || lower == "cp437" || lower == "ibm437") return Encoding::cp437;
    if (lower == "utf-8" || lower == "utf8") return Encoding::utf8;
    if (lower == "latin1" || lower == "latin-1" || lower == "iso-8859-1" || lower == "iso8859-1")
        return Encoding::latin1;
    return std::nullopt;
}

}  // namespace likvard::sie
