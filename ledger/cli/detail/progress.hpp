// Progress of a long command on stderr: rows done (of how many), rows per second and the
// time left, redrawn in place with '\r' at most a few times a second, ended by a newline.
// Shown only when stderr is a terminal, so that logs and pipes stay quiet;
// LIKVARD_PROGRESS=always or =never decides instead (tests, scripts).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace likvard::cli {

inline constexpr std::int64_t progress_redraw_interval_ms = 250;

// Whether progress is shown: LIKVARD_PROGRESS=always|never, else whether stderr is a terminal.
bool progress_wanted();

class Progress {
public:
    // `unit` names what is counted ("rows", "events"); `total` when it is known beforehand.
    Progress(std::string unit, std::optional<std::int64_t> total, bool shown = progress_wanted(),
             std::FILE* out = stderr);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void advance(std::int64_t done = 1);
    void set_total(std::int64_t total) { total_ = total; }
    std::int64_t done() const { return done_; }
    // Draws the last state and ends the line; later calls do nothing.
    void finish();

    // "1200/5000 rows, 400 rows/s, 9 s left" (or "1200 rows, 400 rows/s" without a total).
    static std::string line(std::int64_t done, std::optional<std::int64_t> total, double seconds,
                            const std::string& unit);

private:
    void draw(bool last);

    std::string unit_;
    std::optional<std::int64_t> total_;
    bool shown_;
    std::FILE* out_;
    std::int64_t done_ = 0;
    std::chrono::steady_clock::time_point started_, drawn_;
    std::size_t width_ = 0;  // of the line drawn last, to blank what a shorter one leaves
    bool finished_ = false;
};

}  // namespace likvard::cli
