#pragma once
// OutputLock: one writer per results file. A process that writes (or resumes) a results
// file holds an exclusive lock (flock) on the hidden file `.NAME.lock` beside it for its
// whole run; a second process asking for the same output gets OutputBusyError at once
// (exit status 1) and the first's work is untouched. The lock file is removed when the
// lock is released. Temporary files (`.NAME.tmp-PID-HEX`) carry their own lock (an
// open-file-description fcntl lock) while their writer lives, so the holder of the
// output's lock can tell the temporary files of dead runs (removed) from live ones.
// Hidden names are bounded to NAME_MAX (see hidden_sibling).
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <utility>
#include <string>

namespace salesflow::output {

class OutputBusyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `.NAME` + suffix in the folder of `target`, NAME shortened (prefix + hash) when the
// whole would exceed NAME_MAX. The same target always gives the same stem.
std::filesystem::path hidden_sibling(const std::filesystem::path& target, const std::string& suffix);

class OutputLock {
public:
    // Throws OutputBusyError when another process holds the lock, std::system_error when
    // the lock file cannot be made.
    static std::shared_ptr<OutputLock> acquire(const std::filesystem::path& target);
    ~OutputLock();
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

    const std::filesystem::path& target() const { return target_; }
    // Removes the temporary files of `target` left by dead runs (their lock is free).
    // Returns how many were removed.
    int remove_stale_temporaries() const;

private:
    OutputLock(std::filesystem::path target, std::filesystem::path lock_path, int fd)
        : target_(std::move(target)), lock_path_(std::move(lock_path)), fd_(fd) {}
    std::filesystem::path target_;
    std::filesystem::path lock_path_;
    int fd_ = -1;
};

// A lock held on a temporary file while its writer lives (see above). Movable.
class TemporaryLock {
public:
    TemporaryLock() = default;
    // Opens `path` and locks it; throws std::system_error on failure.
    explicit TemporaryLock(const std::filesystem::path& path);
    TemporaryLock(TemporaryLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    TemporaryLock& operator=(TemporaryLock&& o) noexcept;
    ~TemporaryLock();
    void release() noexcept;

private:
    int fd_ = -1;
};

}  // namespace salesflow::output
