// The one place ledger/sie touches the file system: a file's bytes for read_sie, with the
// size limit checked before anything is read.
#include <fstream>
#include <iterator>
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
        read.result.problems.push_back({0, "", "the file is " + std::to_string(size) +
                                                   " bytes, more than the limit of " +
                                                   std::to_string(options.limits.file_bytes) + " bytes; it is not read"});
        return read;
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes;
    bytes.reserve(static_cast<std::size_t>(size));
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
        read.error = "cannot read " + path.string();
        return read;
    }
    read.result = read_sie(bytes, options);
    return read;
}

}  // namespace likvard::sie
