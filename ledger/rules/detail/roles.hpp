// Internal to rules/: the parties an event names, with the kind and side each role needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/rules.hpp"

namespace likvard {

struct Role {
    std::string pointer;  // JSON pointer of the field naming the party
    std::string party_id;
    unsigned kinds;  // bit per Kind allowed
    unsigned sides;  // bit per Side allowed
    bool receiver;   // a retired party may not receive
};

std::vector<Role> party_roles(const Event& event);
std::optional<Rejection> check_role(const Role& role, const Event& event, const RegionState& state);

}  // namespace likvard
