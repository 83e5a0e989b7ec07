// Roles and bearer tokens: who may call which route (docs/operating.md, "The HTTP server: tokens and TLS").
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace likvard::http {

enum class Role { none, reader, auditor, writer, admin };  // none: a public route
std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);
// admin may do everything, auditor what a reader may, the others only their own.
bool role_grants(Role held, Role required);

struct Identity {
    std::string name;  // the token's name from the tokens file; never the token
    std::vector<Role> roles;
    bool may(Role required) const;
};

// The tokens file: `<sha256 hex of the token> <name> <role>[,<role>...]` per line, `#`
// starts a comment. Tokens are compared by the SHA-256 of the presented token, in constant
// time (CRYPTO_memcmp) against every entry.
class TokenTable {
public:
    static TokenTable load(const std::string& path);  // std::runtime_error naming the line
    static TokenTable parse(std::string_view text, const std::string& origin);
    std::optional<Identity> authenticate(std::string_view token) const;
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::array<unsigned char, 32> digest{};
        Identity identity;
    };
    std::vector<Entry> entries_;
};

std::string sha256_hex(std::string_view bytes);

}  // namespace likvard::http
