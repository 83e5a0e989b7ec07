// Internal to store/: small helpers between C++ values and PostgreSQL text forms, and a
// nullable text field that libpqxx's COPY stream (stream_to) writes as \N when empty.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "store/store.hpp"

namespace likvard::sql {

// A COPY field: text, or SQL NULL.
struct Field {
    std::optional<std::string> value;
    Field() = default;
    Field(std::string text) : value(std::move(text)) {}
    Field(const char* text) : value(text) {}
    Field(std::optional<std::string> text) : value(std::move(text)) {}
};
// A COPY row; libpqxx 6.4 streams tuple-like rows, so the width is part of the type.
template <std::size_t N>
using Row = std::array<Field, N>;

Field number(std::int64_t n);
Field bytea(std::string_view bytes);  // "\x<hex>"
Field bytea(const Hash& hash);

std::string array_literal(const std::vector<std::string>& items);  // {a,b,c}; items must need no quoting
std::string from_bytea(const pqxx::field& field);
Hash hash_from(const pqxx::field& field);

// The connection acts as likvard_app for everything it writes (INSERT/SELECT only on the ledger).
void act_as_app_role(pqxx::connection& connection);
inline constexpr const char* app_role = "likvard_app";

}  // namespace likvard::sql

namespace pqxx {
template <>
struct string_traits<likvard::sql::Field> {
    static constexpr const char* name() noexcept { return "likvard::sql::Field"; }
    static constexpr bool has_null() noexcept { return true; }
    static bool is_null(const likvard::sql::Field& f) { return !f.value.has_value(); }
    static likvard::sql::Field null() { return {}; }
    static void from_string(const char* text, likvard::sql::Field& f) { f.value = text; }
    static std::string to_string(const likvard::sql::Field& f) { return f.value.value_or(""); }
};
}  // namespace pqxx
