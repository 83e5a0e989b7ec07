// Progress on stderr (cli/detail/progress.hpp).
#include "cli/detail/progress.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace likvard::cli {
namespace {

constexpr std::int64_t seconds_per_minute = 60;
constexpr std::int64_t seconds_per_hour = 3'600;

std::string duration_text(std::int64_t seconds) {
    if (seconds < seconds_per_minute) return std::to_string(seconds) + " s";
    if (seconds < seconds_per_hour)
        return std::to_string(seconds / seconds_per_minute) + " min " + std::to_string(seconds % seconds_per_minute) +
               " s";
    return std::to_string(seconds / seconds_per_hour) + " h " +
           std::to_string(seconds % seconds_per_hour / seconds_per_minute) + " min";
}

}  // namespace

bool progress_wanted() {
    const char* setting = std::getenv("LIKVARD_PROGRESS");
    if (setting != nullptr && std::string_view(setting) == "always") return true;
    if (setting != nullptr && std::string_view(setting) == "never") return false;
    return isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::string unit, std::optional<std::int64_t> total, bool shown, std::FILE* out)
    : unit_(std::move(unit)),
      total_(total),
      shown_(shown),
      out_(out),
      started_(std::chrono::steady_clock::now()),
      drawn_(started_) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::int64_t done) {
    done_ += done;
    if (!shown_ || finished_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - drawn_ < std::chrono::milliseconds(progress_redraw_interval_ms)) return;
    drawn_ = now;
    draw(false);
}

void Progress::finish() {
    if (finished_) return;
    finished_ = true;
    if (shown_) draw(true);
}

std::string Progress::line(std::int64_t done, std::optional<std::int64_t> total, double seconds,
                           const std::string& unit) {
    std::string text = std::to_string(done) + (total ? "/" + std::to_string(*total) : "") + " " + unit;
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;  // shown only, never summed
    text += ", " + std::to_string(static_cast<std::int64_t>(rate)) + " " + unit + "/s";
    if (total && rate > 0 && *total > done)
        text += ", " + duration_text(static_cast<std::int64_t>(static_cast<double>(*total - done) / rate)) + " left";
    return text;
}

void Progress::draw(bool last) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    std::string text = line(done_, total_, seconds, unit_);
    if (last) text += " in " + duration_text(static_cast<std::int64_t>(seconds));
    const std::size_t width = text.size();
    if (width < width_) text.append(width_ - width, ' ');
    width_ = width;
    std::fprintf(out_, "\r%s%s", text.c_str(), last ? "\n" : "");
    std::fflush(out_);
}

}  // namespace likvard::cli
