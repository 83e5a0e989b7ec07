// Bearer tokens and roles: the tokens file holds only SHA-256 digests of the tokens, so
// the file does not give a token away; a presented token is hashed and compared with every
// entry in constant time.
#include <fstream>
#include <sstream>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "http/tokens.hpp"

namespace likvard::http {
namespace {

constexpr std::size_t tokens_file_bytes_max = 1024 * 1024;
constexpr std::size_t tokens_max = 10'000;

std::optional<std::array<unsigned char, 32>> digest_from_hex(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    std::array<unsigned char, 32> out{};
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int high = nibble(hex[2 * i]);
        const int low = nibble(hex[2 * i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        out[i] = static_cast<unsigned char>(high * 16 + low);
    }
    return out;
}

std::array<unsigned char, 32> sha256(std::string_view bytes) {
    std::array<unsigned char, 32> out{};
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out.data());
    return out;
}

std::vector<Role> parse_roles(const std::string& list, const std::string& where) {
    std::vector<Role> roles;
    std::stringstream in(list);
    std::string name;
    while (std::getline(in, name, ',')) {
        const auto role = role_from_name(name);
        if (!role || *role == Role::none)
            throw std::runtime_error(where + ": unknown role '" + name + "' (reader, auditor, writer, admin)");
        roles.push_back(*role);
    }
    if (roles.empty()) throw std::runtime_error(where + ": no role");
    return roles;
}

}  // namespace

std::string_view role_name(Role role) {
    switch (role) {
        case Role::none: return "none";
        case Role::reader: return "reader";
        case Role::auditor: return "auditor";
        case Role::writer: return "writer";
        case Role::admin: return "admin";
    }
    return "none";
}

std::optional<Role> role_from_name(std::string_view name) {
    for (const Role role : {Role::reader, Role::auditor, Role::writer, Role::admin})
        if (role_name(role) == name) return role;
    return std::nullopt;
}

bool role_grants(Role held, Role required) {
    if (required == Role::none || held == Role::admin) return true;
    if (held == Role::auditor) return required == Role::auditor || required == Role::reader;
    return held == required;
}

bool Identity::may(Role required) const {
    for (const Role role : roles)
        if (role_grants(role, required)) return true;
    return required == Role::none;
}

std::string sha256_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char byte : sha256(bytes)) {
        out += digits[byte >> 4];
        out += digits[byte & 0x0f];
    }
    return out;
}

TokenTable TokenTable::parse(std::string_view text, const std::string& origin) {
    TokenTable table;
    std::istringstream in{std::string(text)};
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        std::istringstream fields(line);
        std::string hex, name, roles, extra;
        if (!(fields >> hex)) continue;  // blank or comment
        const std::string where = origin + " line " + std::to_string(number);
        if (!(fields >> name >> roles) || (fields >> extra))
            throw std::runtime_error(where + ": expected '<sha256 hex> <name> <role>[,<role>...]'");
        const auto digest = digest_from_hex(hex);
        if (!digest) throw std::runtime_error(where + ": the first field is not 64 hex digits (SHA-256)");
        if (table.entries_.size() == tokens_max) throw std::runtime_error(where + ": more than 10,000 tokens");
        table.entries_.push_back({*digest, Identity{name, parse_roles(roles, where)}});
    }
    return table;
}

TokenTable TokenTable::load(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read the tokens file " + path);
    std::string text(tokens_file_bytes_max + 1, '\0');
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(file.gcount()));
    if (text.size() > tokens_file_bytes_max) throw std::runtime_error("the tokens file " + path + " is over 1 MiB");
    return parse(text, path);
}

std::optional<Identity> TokenTable::authenticate(std::string_view token) const {
    const auto digest = sha256(token);
    const Entry* found = nullptr;
    // Every entry is compared, so the time does not say which one matched.
    for (const Entry& entry : entries_) {
        const bool same = CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0;
        if (same && found == nullptr) found = &entry;
    }
    if (found == nullptr) return std::nullopt;
    return found->identity;
}

}  // namespace likvard::http
