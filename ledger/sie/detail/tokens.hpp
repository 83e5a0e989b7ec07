// One SIE line (already decoded to UTF-8) split into its label and fields, as section 5 of
// the specification says: fields apart by spaces or tabs, quotes around a field optional,
// \" a quote inside one, {...} an object list. Internal to ledger/sie.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sie/sie.hpp"

namespace likvard::sie::detail {

struct Field {
    std::string text;  // the content, without quotes and with escapes resolved
    bool quoted = false;
    bool is_list = false;
    std::vector<std::string> items;  // an object list's contents, in order
};

enum class Shape { blank, open_brace, close_brace, record };

struct Line {
    Shape shape = Shape::blank;
    std::string label;  // "#TRANS"; empty when the line does not start with '#'
    std::vector<Field> fields;
    std::string error;                // what makes the line unreadable; empty when it is readable
    bool control_characters = false;  // inside a field (the specification forbids them)
};

// Escapes inside quotes: \" is a quote (the specification), \\ one backslash (what the
// writer uses for a backslash before a quote or at a field's end); any other backslash is
// itself.
Line tokenize(std::string_view text, const Limits& limits);

}  // namespace likvard::sie::detail
