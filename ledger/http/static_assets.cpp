// The files behind GET / and GET /assets/{path}: the dashboard of ledger/http/dashboard/
// (index.html, assets/app.js, assets/style.css) and Chart.js (assets/chart.umd.js, from
// npm), compiled into the binary by ledger/http/dashboard/embed.cmake. Nothing is read from
// disk or fetched from elsewhere at run time.
#include <cassert>

#include "http/static_files.hpp"

namespace likvard::http {

// Generated (embedded_dashboard.cpp): served name -> bytes.
std::vector<std::pair<std::string_view, std::string_view>> embedded_dashboard();

namespace {

std::string content_type_of(std::string_view name) {
    const auto ends_with = [name](std::string_view suffix) {
        return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
    };
    if (ends_with(".html")) return "text/html; charset=utf-8";
    if (ends_with(".js")) return "text/javascript; charset=utf-8";
    if (ends_with(".css")) return "text/css; charset=utf-8";
    return "application/octet-stream";
}

}  // namespace

const std::map<std::string, StaticFile>& static_files() {
    static const std::map<std::string, StaticFile> files = [] {
        std::map<std::string, StaticFile> out;
        for (const auto& [name, bytes] : embedded_dashboard())
            out.emplace(std::string(name), StaticFile{content_type_of(name), bytes});
        assert(out.count("index.html") == 1 && out.count("assets/chart.umd.js") == 1);
        return out;
    }();
    return files;
}

}  // namespace likvard::http
