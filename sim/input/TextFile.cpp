#include "input/TextFile.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <sys/stat.h>

namespace salesflow::input {

namespace {
std::mutex read_mu;
std::vector<ReadFileIdentity> read_files;

void remember(const std::string& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return;
    std::lock_guard<std::mutex> lock(read_mu);
    for (const auto& r : read_files)
        if (r.device == static_cast<unsigned long long>(st.st_dev) && r.inode == static_cast<unsigned long long>(st.st_ino))
            return;
    read_files.push_back({static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino), path});
}
}  // namespace

std::vector<ReadFileIdentity> files_read() {
    std::lock_guard<std::mutex> lock(read_mu);
    return read_files;
}

std::optional<std::string> read_text_file(const std::string& path, std::size_t max_bytes, std::string& error) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec == std::errc::too_many_symbolic_link_levels) {
        error = "cannot open file: it is a loop of symbolic links";
        return std::nullopt;
    }
    if (ec && ec != std::errc::no_such_file_or_directory) {
        error = "cannot open file: " + ec.message();
        return std::nullopt;
    }
    if (ec || !fs::exists(status)) {
        // A dangling symbolic link is a missing file with a name: say where it points.
        const auto link = fs::symlink_status(path, ec);
        if (!ec && fs::is_symlink(link)) {
            const auto target = fs::read_symlink(path, ec);
            error = "cannot open file: it is a symbolic link to " + (ec ? std::string("a missing file") : "'" + target.string() + "', which does not exist");
            return std::nullopt;
        }
        error = "cannot open file: No such file or directory";
        return std::nullopt;
    }
    if (fs::is_directory(status)) {
        error = "cannot read file: it is a directory";
        return std::nullopt;
    }
    // Opening a FIFO waits for a writer, and reading it may never end: refuse it (and
    // sockets). Devices are read up to the size cap like any file.
    if (fs::is_fifo(status) || fs::is_socket(status)) {
        error = std::string("cannot read file: it is a ") + (fs::is_fifo(status) ? "FIFO" : "socket") +
                ", not a regular file";
        return std::nullopt;
    }
    remember(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::string("cannot open file: ") + std::strerror(errno);
        return std::nullopt;
    }
    // Read in chunks up to the cap rather than trusting the file size: devices and pipes
    // report 0 and may never end.
    std::string out;
    char buf[1 << 16];
    while (in) {
        in.read(buf, sizeof buf);
        const auto got = static_cast<std::size_t>(in.gcount());
        if (out.size() + got > max_bytes) {
            error = "cannot read file: it is larger than " + std::to_string(max_bytes >> 20) + " MiB";
            return std::nullopt;
        }
        out.append(buf, got);
    }
    if (in.bad()) {
        error = "cannot read file: read error";
        return std::nullopt;
    }
    return out;
}

std::string path_relative_to(const std::string& file, const std::string& target) {
    namespace fs = std::filesystem;
    const fs::path t(target);
    if (t.is_absolute()) return t.lexically_normal().string();
    return (fs::path(file).parent_path() / t).lexically_normal().string();
}

}  // namespace salesflow::input
