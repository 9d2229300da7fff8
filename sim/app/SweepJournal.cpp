#include "app/SweepJournal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

#include "output/OutputLock.hpp"

namespace salesflow::app {
namespace fs = std::filesystem;

namespace {

constexpr char magic[8] = {'S', 'F', 'J', 'R', 'N', 'L', '0', '1'};
constexpr std::size_t header_bytes = 8 + 8 + 8 + 8 + 8;  // magic, identity, metrics, base, checksum

std::size_t record_bytes(std::uint64_t metrics) { return 8 + 8 * metrics + 8; }

void put64(std::string& s, std::uint64_t v) { s.append(reinterpret_cast<const char*>(&v), 8); }
std::uint64_t get64(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

void write_all(int fd, const std::string& data, const fs::path& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "writing the sweep journal " + path.string());
        }
        done += static_cast<std::size_t>(n);
    }
}

std::string header_bytes_of(const SweepJournal::Header& h) {
    std::string s(magic, 8);
    put64(s, h.identity);
    put64(s, h.metrics);
    put64(s, static_cast<std::uint64_t>(h.base));
    put64(s, SweepJournal::hash(s));
    return s;
}

}  // namespace

std::uint64_t SweepJournal::hash(std::string_view text, std::uint64_t seed) {
    std::uint64_t h = seed;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

fs::path SweepJournal::path_for(const fs::path& target) { return output::hidden_sibling(target, ".journal"); }

SweepJournal SweepJournal::create(const fs::path& target, const Header& header) {
    SweepJournal j;
    j.path_ = path_for(target);
    j.fd_ = ::open(j.path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (j.fd_ < 0) throw std::system_error(errno, std::generic_category(), "creating the sweep journal " + j.path_.string());
    write_all(j.fd_, header_bytes_of(header), j.path_);
    j.sync();
    return j;
}

std::optional<SweepJournal::Header> SweepJournal::read_header(const fs::path& target) {
    const fs::path p = path_for(target);
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    char buf[header_bytes];
    const ssize_t n = ::pread(fd, buf, sizeof buf, 0);
    ::close(fd);
    if (n != static_cast<ssize_t>(header_bytes) || std::memcmp(buf, magic, 8) != 0) return std::nullopt;
    if (hash(std::string_view(buf, header_bytes - 8)) != get64(buf + header_bytes - 8)) return std::nullopt;
    Header h{get64(buf + 8), get64(buf + 16), static_cast<std::int64_t>(get64(buf + 24))};
    if (h.metrics == 0 || h.metrics > (1u << 20) || h.base < -1) return std::nullopt;
    return h;
}

long long SweepJournal::replay(const fs::path& target, const Header& header,
                               const std::function<void(long long, std::span<const double>)>& record) {
    const fs::path p = path_for(target);
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return 0;
    const std::size_t size = record_bytes(header.metrics);
    std::vector<char> buf(size);
    std::vector<double> metrics(header.metrics);
    long long valid = 0;
    long long expect = header.base < 0 ? 0 : header.base;
    off_t at = static_cast<off_t>(header_bytes);
    for (;;) {
        const ssize_t n = ::pread(fd, buf.data(), size, at);
        if (n != static_cast<ssize_t>(size)) break;  // end, or a torn last record
        if (hash(std::string_view(buf.data(), size - 8)) != get64(buf.data() + size - 8)) break;
        const auto item = static_cast<long long>(get64(buf.data()));
        if (item != expect) break;  // records are consecutive items
        std::memcpy(metrics.data(), buf.data() + 8, 8 * header.metrics);
        record(item, metrics);
        ++valid;
        ++expect;
        at += static_cast<off_t>(size);
    }
    ::close(fd);
    return valid;
}

SweepJournal SweepJournal::append_to(const fs::path& target, const Header& header, long long valid) {
    SweepJournal j;
    j.path_ = path_for(target);
    j.fd_ = ::open(j.path_.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (j.fd_ < 0) throw std::system_error(errno, std::generic_category(), "opening the sweep journal " + j.path_.string());
    const off_t end = static_cast<off_t>(header_bytes + static_cast<std::size_t>(valid) * record_bytes(header.metrics));
    if (::ftruncate(j.fd_, end) != 0 || ::lseek(j.fd_, end, SEEK_SET) != end)
        throw std::system_error(errno, std::generic_category(), "cutting the sweep journal " + j.path_.string());
    j.sync();
    return j;
}

SweepJournal::SweepJournal(SweepJournal&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), path_(std::move(o.path_)), buffer_(std::move(o.buffer_)) {}

SweepJournal& SweepJournal::operator=(SweepJournal&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(o.fd_, -1);
        path_ = std::move(o.path_);
        buffer_ = std::move(o.buffer_);
    }
    return *this;
}

SweepJournal::~SweepJournal() {
    if (fd_ >= 0) ::close(fd_);
}

void SweepJournal::append(long long item, std::span<const double> metrics) {
    buffer_.clear();
    put64(buffer_, static_cast<std::uint64_t>(item));
    buffer_.append(reinterpret_cast<const char*>(metrics.data()), metrics.size_bytes());
    put64(buffer_, hash(buffer_));
    write_all(fd_, buffer_, path_);
}

void SweepJournal::sync() {
    if (fd_ >= 0 && ::fdatasync(fd_) != 0)
        throw std::system_error(errno, std::generic_category(), "syncing the sweep journal " + path_.string());
}

void SweepJournal::remove() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!path_.empty()) ::unlink(path_.c_str());
}

}  // namespace salesflow::app
