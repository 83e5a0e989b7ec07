// Static files of the dashboard (GET / and /assets/...), embedded at build time.
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

struct StaticFile {
    std::string content_type;
    std::string_view bytes;
};
// Files by name ("index.html", "app.js", "assets/chart.js"); filled by static_assets.cpp,
// which the dashboard replaces (docs/reference/http.md).
const std::map<std::string, StaticFile>& static_files();
// The safe file name of a request path below /assets/, or nullopt for traversal
// attempts (".." or "." segments, encoded '/', '\\', NUL, empty segments).
std::optional<std::string> safe_asset_name(std::string_view encoded_tail);

}  // namespace likvard::http
