// Runs a command the way a user would and captures its exit code, stdout and stderr.
#pragma once

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace likvard::test {

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// `command` goes to /bin/sh; stderr is captured through a temporary file.
inline RunResult run(const std::string& command) {
    char err_path[] = "/tmp/likvard-e2e-XXXXXX";
    const int fd = mkstemp(err_path);
    close(fd);
    RunResult result;
    FILE* pipe = popen((command + " 2>" + err_path).c_str(), "r");
    std::array<char, 65536> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.err = read_file(err_path);
    unlink(err_path);
    return result;
}

inline std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace likvard::test
