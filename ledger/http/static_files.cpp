// GET / and GET /assets/{path}: files compiled into the binary (static_assets.cpp), never
// read from disk, so a path cannot reach outside them; traversal attempts are refused
// before the lookup anyway.
#include "http/message.hpp"
#include "http/static_files.hpp"

namespace likvard::http {

std::optional<std::string> safe_asset_name(std::string_view encoded_tail) {
    std::string name;
    std::size_t start = 0;
    while (start <= encoded_tail.size()) {
        const std::size_t slash = std::min(encoded_tail.find('/', start), encoded_tail.size());
        const auto segment = percent_decode(encoded_tail.substr(start, slash - start), false);
        if (!segment || segment->empty() || *segment == "." || *segment == ".." ||
            segment->find_first_of(std::string_view("/\\\0:", 4)) != std::string::npos)
            return std::nullopt;
        name += (name.empty() ? "" : "/") + *segment;
        start = slash + 1;
    }
    return name;
}

}  // namespace likvard::http
