// Text forms for PostgreSQL and the application role.
#include "store/sql.hpp"

#include <openssl/sha.h>
#include <stdexcept>

namespace likvard {

Hash chain_hash(const Hash& prev, std::string_view canonical) {
    std::string buffer;
    buffer.reserve(prev.size() + canonical.size());
    buffer.append(reinterpret_cast<const char*>(prev.data()), prev.size());
    buffer.append(canonical);
    return sha256(buffer);
}

std::string hash_hex(const Hash& hash) { return to_hex(hash.data(), hash.size()); }

namespace sql {

Field number(std::int64_t n) { return Field(std::to_string(n)); }

Field bytea(std::string_view bytes) {
    return Field("\\x" + to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
}

Field bytea(const Hash& hash) { return Field("\\x" + hash_hex(hash)); }

std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += items[i];
    }
    return out + "}";
}

std::string from_bytea(const pqxx::field& field) {
    const pqxx::binarystring binary(field);
    return binary.str();
}

Hash hash_from(const pqxx::field& field) {
    const std::string bytes = from_bytea(field);
    if (bytes.size() != 32) throw std::runtime_error("stored hash is not 32 bytes");
    Hash hash{};
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    return hash;
}

void act_as_app_role(pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    tx.exec("SET ROLE " + std::string(app_role));
}

}  // namespace sql
}  // namespace likvard
