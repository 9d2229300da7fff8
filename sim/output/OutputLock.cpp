#include "output/OutputLock.hpp"

#include "output/OutputTarget.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace salesflow::output {
namespace fs = std::filesystem;

namespace {

// The longest suffix a hidden sibling gets: ".tmp-" + a pid + "-" + 8 hex digits.
constexpr std::size_t reserved_suffix = 32;

bool all_of(const std::string& s, std::size_t from, std::size_t to, bool hex) {
    if (from >= to) return false;
    for (std::size_t i = from; i < to; ++i) {
        const char c = s[i];
        const bool ok = (c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f');
        if (!ok) return false;
    }
    return true;
}

// Takes an open-file-description write lock on `fd` without waiting.
bool ofd_lock(int fd) {
    struct flock fl{};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 0;
    return ::fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

}  // namespace

fs::path hidden_sibling(const fs::path& target, const std::string& suffix) {
    std::string stem = bounded_name(target.filename().string(), std::string(reserved_suffix, '.'));
    stem.resize(stem.size() - reserved_suffix);
    return target.parent_path() / ("." + stem + suffix);
}

std::shared_ptr<OutputLock> OutputLock::acquire(const fs::path& target) {
    const fs::path lock_path = hidden_sibling(target, ".lock");
    // The lock lives beside the target: its folder is made first (results/ by default).
    if (!target.parent_path().empty()) fs::create_directories(target.parent_path());
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
            throw std::system_error(errno, std::generic_category(), "creating the lock file " + lock_path.string());
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            ::close(fd);
            if (err == EWOULDBLOCK)
                throw OutputBusyError("results file '" + target.string() +
                                      "' is being written by another salesflow process (lock " + lock_path.string() +
                                      "); wait for it to finish or choose another -o");
            throw std::system_error(err, std::generic_category(), "locking " + lock_path.string());
        }
        // The previous holder may have removed the file between our open and our lock:
        // the lock only counts on the file that is still at that name.
        struct stat held{}, named{};
        if (::fstat(fd, &held) == 0 && ::stat(lock_path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            // Write our pid for humans looking at the lock file.
            const std::string pid = std::to_string(::getpid()) + "\n";
            if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
            return std::shared_ptr<OutputLock>(new OutputLock(target, lock_path, fd));
        }
        ::close(fd);
    }
    throw OutputBusyError("results file '" + target.string() + "': could not take its lock " + lock_path.string());
}

OutputLock::~OutputLock() {
    // Remove the name first, then release: a process that opened the old file retries.
    ::unlink(lock_path_.c_str());
    ::close(fd_);
}

int OutputLock::remove_stale_temporaries() const {
    const fs::path stem = hidden_sibling(target_, ".tmp-");
    const std::string prefix = stem.filename().string();
    const fs::path dir = target_.parent_path().empty() ? fs::path(".") : target_.parent_path();
    int removed = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        // The rest must be exactly PID-HEX8, as make_temp_path writes it.
        const std::size_t dash = name.find('-', prefix.size());
        if (dash == std::string::npos || !all_of(name, prefix.size(), dash, false) || name.size() - dash - 1 != 8 ||
            !all_of(name, dash + 1, name.size(), true))
            continue;
        const int fd = ::open(e.path().c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0) continue;
        struct stat st{};
        const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
        if (regular && ofd_lock(fd) && ::unlink(e.path().c_str()) == 0) ++removed;
        ::close(fd);
    }
    return removed;
}

TemporaryLock::TemporaryLock(const fs::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "opening " + path.string() + " to lock it");
    if (!ofd_lock(fd_)) {
        const int err = errno;
        release();
        throw std::system_error(err, std::generic_category(), "locking " + path.string());
    }
}

TemporaryLock& TemporaryLock::operator=(TemporaryLock&& o) noexcept {
    if (this != &o) {
        release();
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

TemporaryLock::~TemporaryLock() { release(); }

void TemporaryLock::release() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

}  // namespace salesflow::output
