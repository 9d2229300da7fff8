#include "app/Progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace salesflow::app {

Progress::Progress(bool quiet, std::string unit)
    : quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0), unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void Progress::update(long long done, long long total) {
    if (quiet_) return;
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    const double since_last = std::chrono::duration<double>(now - last_).count();
    // Redraw at most 10 times a second on a terminal; a line every 5 s in a log.
    if (done < total && since_last < (tty_ ? 0.1 : 5.0)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
    if (tty_) {
        const int width = 30;
        const int filled = total > 0 ? static_cast<int>(static_cast<double>(width) * static_cast<double>(done) / static_cast<double>(total)) : width;
        std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld %s  %.1f/s  %.0f s left ", filled,
                     "##############################", width - filled, "", done, total, unit_.c_str(), rate, left);
        drawn_ = true;
    } else {
        std::fprintf(stderr, "progress: %lld/%lld %s, %.1f/s, %.0f s left\n", done, total, unit_.c_str(), rate, left);
    }
    std::fflush(stderr);
}

void Progress::finish() {
    if (quiet_) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (tty_ && drawn_) std::fprintf(stderr, "\n");
}

}  // namespace salesflow::app
