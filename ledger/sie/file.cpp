// The one place ledger/sie touches the file system: a file's bytes for read_sie, with the
// size limit checked before anything is read.
#include <fstream>
#include <system_error>

#include "sie/sie.hpp"

namespace likvard::sie {

FileRead read_sie_file(const std::filesystem::path& path, const ReadOptions& options) {
    FileRead read;
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error) {
        read.error = "cannot read " + path.string() + ": " + error.message();
        return read;
    }
    if (size > options.limits.file_bytes) {
        read.result.problems_total = 1;
        read.result.problems.push_back({0, "",
                                        "the file is " + std::to_string(size) + " bytes, more than the limit of " +
                                            std::to_string(options.limits.file_bytes) + " bytes; it is not read"});
        return read;
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!in || in.gcount() != static_cast<std::streamsize>(bytes.size())) {
        read.error = "cannot read " + path.string();
        return read;
    }
    read.result = read_sie(bytes, options);
    return read;
}

}  // namespace likvard::sie
