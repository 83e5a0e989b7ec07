#include "cli/detail/options.hpp"

#include <cstdlib>

namespace likvard::cli {

Options::Options(const Args& args, const std::set<std::string>& valued, const std::set<std::string>& flags) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            help_ = true;
        } else if (valued.contains(arg)) {
            if (i + 1 >= args.size()) throw UsageError(arg + " needs a value");
            values_[arg] = args[++i];
            repeated_[arg].push_back(args[i]);
        } else if (flags.contains(arg)) {
            flags_.insert(arg);
        } else if (arg.size() > 1 && arg[0] == '-') {
            throw UsageError("unknown option " + arg);
        } else {
            positional_.push_back(arg);
        }
    }
}

std::optional<std::string> Options::value(const std::string& name) const {
    const auto found = values_.find(name);
    if (found == values_.end()) return std::nullopt;
    return found->second;
}

std::vector<std::string> Options::values(const std::string& name) const {
    const auto found = repeated_.find(name);
    return found == repeated_.end() ? std::vector<std::string>() : found->second;
}

std::optional<std::int64_t> Options::integer(const std::string& name) const {
    const auto text = value(name);
    if (!text) return std::nullopt;
    std::size_t used = 0;
    std::int64_t number = 0;
    try {
        number = std::stoll(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text->size() || text->empty()) throw UsageError(name + " must be an integer, got '" + *text + "'");
    return number;
}

std::string database_url(const Options& options) {
    if (auto url = options.value("--database-url")) return *url;
    if (const char* env = std::getenv("LIKVARD_DATABASE_URL"); env != nullptr && *env != '\0') return env;
    throw UsageError(
        "no database: set LIKVARD_DATABASE_URL (e.g. export LIKVARD_DATABASE_URL=$(ops/pg start)) "
        "or pass --database-url");
}

std::string projector_database_url(const Options& options, const std::string& option) {
    if (auto url = options.value(option)) return *url;
    if (const char* env = std::getenv("LIKVARD_PROJECTOR_DATABASE_URL"); env != nullptr && *env != '\0') return env;
    throw UsageError(
        "no database for the projection runner: set LIKVARD_PROJECTOR_DATABASE_URL (e.g. export "
        "LIKVARD_PROJECTOR_DATABASE_URL=$(ops/pg url --role projector)) or pass " +
        option + ", the URL of the role likvard_projector");
}

}  // namespace likvard::cli
