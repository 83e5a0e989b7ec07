// The board's report printed to PDF by headless Chromium: the HTML (html.cpp) is written to a
// temporary directory with a fresh browser profile, Chromium runs in its own process group
// without network and within a time limit, and the PDF is read back. Errors are values.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "statements/statements.hpp"

namespace likvard {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t wait_poll_ms = 20;
constexpr std::size_t stderr_quoted_bytes_max = 600;  // of Chromium's complaints, in an error

// The program to run: a path as it is, a name found in PATH; nullopt when there is none.
std::optional<std::string> program_path(const std::string& chromium) {
    if (chromium.find('/') != std::string::npos)
        return access(chromium.c_str(), X_OK) == 0 ? std::optional(chromium) : std::nullopt;
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + chromium;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

// Headless printing of one local file: no network (every host resolves to nothing, no
// proxy), no first-run work, a profile of its own, no header or footer on the pages.
std::vector<std::string> chromium_arguments(const std::string& program, const fs::path& dir) {
    return {program,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--no-proxy-server",
            "--user-data-dir=" + (dir / "profile").string(),
            "--no-pdf-header-footer",
            "--print-to-pdf=" + (dir / "report.pdf").string(),
            "file://" + (dir / "report.html").string()};
}

// Its own process group (a time-out ends Chromium's helpers too), stderr to a file, and an
// environment whose home is the temporary directory: nothing of the user's profile is used.
// posix_spawn, not fork: the HTTP server prints from one of its threads.
std::optional<pid_t> spawn(const std::vector<std::string>& arguments, const fs::path& dir) {
    std::vector<std::string> environment{"HOME=" + dir.string(), "XDG_CONFIG_HOME=" + dir.string(),
                                         "XDG_CACHE_HOME=" + dir.string(), "PATH=/usr/bin:/bin", "LANG=C.UTF-8"};
    std::vector<char*> argv, envp;
    for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    for (const auto& variable : environment) envp.push_back(const_cast<char*>(variable.c_str()));
    argv.push_back(nullptr), envp.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
    const std::string log = (dir / "stderr.txt").string();
    posix_spawn_file_actions_addopen(&files, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    pid_t child = 0;
    const int failed = posix_spawn(&child, argv[0], &files, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attributes);
    if (failed) return errno = failed, std::nullopt;
    return child;
}

// The child's exit status, or nullopt when it ran past the deadline (then it is killed).
std::optional<int> wait_for(pid_t child, std::int64_t timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    int status = 0;
    while (waitpid(child, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
            kill(-child, SIGKILL);
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(wait_poll_ms));
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string quoted_stderr(const fs::path& dir) {
    std::string text = read_all(dir / "stderr.txt");
    if (text.size() > stderr_quoted_bytes_max) text = "..." + text.substr(text.size() - stderr_quoted_bytes_max);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text.empty() ? "" : ": " + text;
}

PdfResult failure(std::string error) { return {std::nullopt, std::move(error)}; }

PdfResult print_in(const fs::path& dir, const std::string& program, const std::string& html,
                   const PdfPrinter& printer) {
    std::ofstream(dir / "report.html", std::ios::binary) << html;
    const std::vector<std::string> arguments = chromium_arguments(program, dir);
    const auto child = spawn(arguments, dir);
    if (!child) return failure(std::string("cannot start ") + program + ": " + std::strerror(errno));
    const auto status = wait_for(*child, printer.timeout_ms);
    if (!status)
        return failure(program + " did not print the PDF within " + std::to_string(printer.timeout_ms) + " ms");
    if (*status != 0) return failure(program + " exited with status " + std::to_string(*status) + quoted_stderr(dir));
    std::string pdf = read_all(dir / "report.pdf");
    if (!pdf.starts_with("%PDF-")) return failure(program + " wrote no PDF" + quoted_stderr(dir));
    return {std::move(pdf), ""};
}

}  // namespace

PdfPrinter pdf_printer_from_environment() {
    PdfPrinter printer;
    if (const char* chromium = std::getenv("LIKVARD_CHROMIUM"); chromium && *chromium) printer.chromium = chromium;
    return printer;
}

PdfResult print_pdf(const std::string& html, const PdfPrinter& printer) {
    const auto program = program_path(printer.chromium);
    if (!program)
        return failure("cannot print the PDF: " + printer.chromium +
                       " is not installed (Debian package chromium; ops/setup installs it)");
    std::string pattern = (fs::temp_directory_path() / "likvard-pdf-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        return failure(std::string("cannot make a temporary directory: ") + std::strerror(errno));
    const fs::path dir = pattern;
    PdfResult result = print_in(dir, *program, html, printer);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return result;
}

}  // namespace likvard
