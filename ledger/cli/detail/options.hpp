// Small, strict option parsing shared by the subcommands: --name value pairs and
// positional arguments; anything unknown is a usage error naming the option.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/detail/commands.hpp"

namespace likvard::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Options {
public:
    // `valued`: options that take a value; `flags`: options without one.
    Options(const Args& args, const std::set<std::string>& valued, const std::set<std::string>& flags);

    bool help() const { return help_; }
    bool flag(const std::string& name) const { return flags_.contains(name); }
    std::optional<std::string> value(const std::string& name) const;     // the last one given
    std::vector<std::string> values(const std::string& name) const;      // every one, in order
    std::optional<std::int64_t> integer(const std::string& name) const;  // UsageError if not an integer
    const std::vector<std::string>& positional() const { return positional_; }

private:
    bool help_ = false;
    std::map<std::string, std::string> values_;
    std::map<std::string, std::vector<std::string>> repeated_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
};

// --database-url, else $LIKVARD_DATABASE_URL; UsageError when neither is set.
std::string database_url(const Options& options);
// The projector's database (docs/operating.md, "Roles"): the value of `option`, else
// $LIKVARD_PROJECTOR_DATABASE_URL; UsageError naming both when neither is set, so that the
// runner never falls back to another role's URL.
std::string projector_database_url(const Options& options, const std::string& option);

}  // namespace likvard::cli
