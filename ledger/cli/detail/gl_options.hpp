// The options and files the general ledger commands share (import sie, reconcile sie,
// export sie): the region, months, the mapping and party map files, and --out.
#pragma once

#include <optional>
#include <string>

#include "cli/detail/options.hpp"
#include "gl/mapping.hpp"

namespace likvard::cli {

std::string required_option(const Options& options, const std::string& name);
// --region as an ISO 3166-2 code (SE-Z); UsageError otherwise.
std::string region_option(const Options& options);
// A required month option YYYY-MM; UsageError otherwise.
std::string month_option(const Options& options, const std::string& name);
// The bytes of --out FILE, or stdout without it; throws when FILE cannot be written.
void write_output(const Options& options, const std::string& bytes);

// --mapping and --party-map read and parsed; nullopt after printing every error (naming the
// file, line and column) on stderr. A file that cannot be opened is a UsageError.
struct MappingFiles {
    gl::Mapping mapping;
    std::optional<gl::PartyMap> party_map;
    const gl::PartyMap* party_map_or_null() const { return party_map ? &*party_map : nullptr; }
};
std::optional<MappingFiles> read_mapping_files(const Options& options);

}  // namespace likvard::cli
