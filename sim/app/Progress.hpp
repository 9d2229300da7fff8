#pragma once
// Progress: done/total, rate and time left on stderr. A redrawn bar on a terminal, a
// plain line every few seconds otherwise, nothing with --quiet. Thread-safe.
#include <chrono>
#include <mutex>
#include <string>

namespace salesflow::app {

class Progress {
public:
    Progress(bool quiet, std::string unit);
    void update(long long done, long long total);
    void finish();

private:
    bool quiet_;
    bool tty_;
    std::string unit_;
    std::mutex mu_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
    bool drawn_ = false;
};

}  // namespace salesflow::app
