// The projection layout (schemas/projections/*.sql), embedded at build time.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace likvard {

std::vector<std::pair<std::string, std::string_view>> embedded_projection_layout();

}  // namespace likvard
