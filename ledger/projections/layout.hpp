// The projection layout (schemas/projections/*.sql), embedded at build time, and what both
// `likvard migrate` (which creates the tables as the owner) and the projection runner
// (which writes their rows as likvard_projector) need to agree on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace likvard {

std::vector<std::pair<std::string, std::string_view>> embedded_projection_layout();

// The schema the dashboards and the statements read.
inline constexpr const char* projection_schema = "projection";
// One runner (or migration of the layout) at a time: an advisory lock, "likvproj".
inline constexpr std::int64_t projection_runner_lock_key = 0x6c696b7670726f6a;

// The layout's SQL with {schema} replaced, and the SHA-256 (hex) of the layout files.
std::string projection_layout_sql(const std::string& schema);
std::string projection_layout_sha256();

// The tables the runner writes, in the order a rebuild empties them.
const std::vector<std::string>& projection_tables();

}  // namespace likvard
