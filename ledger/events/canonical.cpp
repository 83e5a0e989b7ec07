// Canonical JSON: object keys sorted by UTF-8 bytes (= code points), no insignificant
// whitespace, strings as UTF-8 with only the escapes JSON requires, integers in decimal.
#include "events/canonical.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include <boost/json/serialize.hpp>

namespace likvard {
namespace {

void append_string(std::string& out, std::string_view text) {
    out += '"';
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                    out += escaped;
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

void append_value(std::string& out, const boost::json::value& value);

void append_object(std::string& out, const boost::json::object& object) {
    std::vector<const boost::json::key_value_pair*> members;
    members.reserve(object.size());
    for (const auto& member : object) members.push_back(&member);
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) { return a->key() < b->key(); });
    out += '{';
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out += ',';
        append_string(out, members[i]->key());
        out += ':';
        append_value(out, members[i]->value());
    }
    out += '}';
}

void append_value(std::string& out, const boost::json::value& value) {
    switch (value.kind()) {
        case boost::json::kind::object: append_object(out, value.get_object()); break;
        case boost::json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& element : value.get_array()) {
                if (!first) out += ',';
                first = false;
                append_value(out, element);
            }
            out += ']';
            break;
        }
        case boost::json::kind::string: append_string(out, value.get_string()); break;
        case boost::json::kind::int64: out += std::to_string(value.get_int64()); break;
        case boost::json::kind::uint64: out += std::to_string(value.get_uint64()); break;
        // Valid events carry no fractional numbers (money and decimals are strings).
        case boost::json::kind::double_: out += boost::json::serialize(value); break;
        case boost::json::kind::bool_: out += value.get_bool() ? "true" : "false"; break;
        case boost::json::kind::null: out += "null"; break;
    }
}

}  // namespace

std::string canonical_json(const boost::json::value& value) {
    std::string out;
    append_value(out, value);
    return out;
}

}  // namespace likvard
