// What each event type a GL row can be needs from a mapping row: its value fields with
// their allowed values, its two party fields and the ledger accounts of its debit and
// credit postings (docs/statements.md, "The account chart"). Internal to ledger/gl.
#pragma once

#include <string_view>
#include <vector>

#include "events/events.hpp"

namespace likvard::gl::detail {

struct ValueField {
    std::string_view name;
    bool required = true;
    std::vector<std::string_view> allowed;  // empty: any text the contract allows
};

struct TypeShape {
    EventType type;
    std::vector<ValueField> values;
    std::string_view item_field;    // the value the posting items are named after
    std::string_view debit_party;   // the party whose expense the debit is
    std::string_view credit_party;  // the party whose income (or settlement) the credit is
    std::string_view debit_family;  // posting item families: "compensation" + "." + item
    std::string_view credit_family;
    std::string_view credit_class;  // "income", or "settlement" for a commitment
};

// The shapes of the single-row types, or nullptr for a type a GL row cannot be.
const TypeShape* shape_of(EventType type);
const std::vector<TypeShape>& shapes();

// Every column a mapping may have, in the order the documentation lists them.
const std::vector<std::string_view>& mapping_columns();
// The party columns among them.
const std::vector<std::string_view>& party_columns();

}  // namespace likvard::gl::detail
