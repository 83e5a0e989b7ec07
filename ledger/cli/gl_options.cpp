// The shared options of the general ledger commands (cli/detail/gl_options.hpp).
#include "cli/detail/gl_options.hpp"

#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

namespace likvard::cli {
namespace {

std::string read_file(const std::string& option, const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw UsageError("cannot open " + option + " " + path);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    return bytes.str();
}

bool print_errors(const std::string& path, const std::vector<gl::MappingError>& errors) {
    for (const auto& error : errors) std::cerr << path << ": " << error.to_string() << "\n";
    return errors.empty();
}

}  // namespace

std::string required_option(const Options& options, const std::string& name) {
    const auto value = options.value(name);
    if (!value) throw UsageError(name + " is required");
    return *value;
}

std::string region_option(const Options& options) {
    const std::string region = required_option(options, "--region");
    if (!std::regex_match(region, std::regex("[A-Z]{2}-[A-Z0-9]{1,3}")))
        throw UsageError("--region '" + region + "' is not an ISO 3166-2 region code like SE-Z");
    return region;
}

std::string month_option(const Options& options, const std::string& name) {
    const std::string month = required_option(options, name);
    if (!std::regex_match(month, std::regex("[0-9]{4}-(0[1-9]|1[0-2])")))
        throw UsageError(name + " '" + month + "' is not a month YYYY-MM");
    return month;
}

void write_output(const Options& options, const std::string& bytes) {
    if (const auto out = options.value("--out")) {
        std::ofstream file(*out, std::ios::binary);
        file << bytes;
        if (!file) throw std::runtime_error("cannot write " + *out);
    } else {
        std::cout << bytes;
    }
}

std::optional<MappingFiles> read_mapping_files(const Options& options) {
    const std::string mapping_path = required_option(options, "--mapping");
    auto mapping = gl::parse_mapping(read_file("--mapping", mapping_path));
    bool ok = print_errors(mapping_path, mapping.errors);
    MappingFiles files;
    if (const auto party_path = options.value("--party-map")) {
        auto party_map = gl::parse_party_map(read_file("--party-map", *party_path));
        ok = print_errors(*party_path, party_map.errors) && ok;
        files.party_map = std::move(party_map.value);
    }
    if (!ok) return std::nullopt;
    files.mapping = std::move(*mapping.value);
    return print_errors(mapping_path, gl::check_against(files.mapping, files.party_map_or_null()))
               ? std::optional(std::move(files))
               : std::nullopt;
}

}  // namespace likvard::cli
