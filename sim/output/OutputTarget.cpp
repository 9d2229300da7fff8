#include "output/OutputTarget.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

namespace salesflow::output {
namespace fs = std::filesystem;

namespace {

#ifndef NAME_MAX
constexpr std::size_t name_max = 255;
#else
constexpr std::size_t name_max = NAME_MAX;
#endif

std::uint64_t fnv1a(const std::string& s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

const char* kind_of(mode_t m) {
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISSOCK(m)) return "a socket";
    return "a special file";
}

}  // namespace

std::string bounded_name(const std::string& name, const std::string& suffix) {
    if (name.size() + suffix.size() <= name_max) return name + suffix;
    char hash[20];
    std::snprintf(hash, sizeof hash, "~%016llx", static_cast<unsigned long long>(fnv1a(name)));
    const std::size_t keep = name_max - suffix.size() - (sizeof hash - 3);
    return name.substr(0, keep) + hash + suffix;
}

void check_output_target(const fs::path& target, const std::vector<FileIdentity>& inputs) {
    const std::string shown = target.string();
    if (shown.empty()) throw OutputPathError("results file name is empty (-o '')");
    const std::string leaf = target.filename().string();
    if (leaf.empty() || leaf == "." || leaf == "..")
        throw OutputPathError("results file '" + shown + "' is a folder, not a file name (give -o FOLDER/NAME.h5)");
    if (leaf.size() > name_max)
        throw OutputPathError("results file name '" + leaf.substr(0, 40) + "...' is longer than " +
                              std::to_string(name_max) + " bytes");
    // Every existing folder on the way must be a folder (not `scenario.yaml/out.h5`), and
    // the nearest one writable (the temporary file and the lock are made there).
    for (fs::path p = target.parent_path().empty() ? fs::path(".") : target.parent_path(); !p.empty(); p = p.parent_path()) {
        struct stat st{};
        if (::stat(p.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                throw OutputPathError("results file '" + shown + "': '" + p.string() + "' is not a folder");
            if (::access(p.c_str(), W_OK | X_OK) != 0)
                throw OutputPathError("results file '" + shown + "': cannot write in the folder '" + p.string() +
                                      "': " + std::strerror(errno));
            break;
        }
        if (errno != ENOENT) throw OutputPathError("results file '" + shown + "': " + p.string() + ": " + std::strerror(errno));
        if (p == p.parent_path()) break;
    }
    struct stat st{};
    if (::stat(target.c_str(), &st) != 0) {
        if (errno == ENOENT) return;  // a new file
        if (errno == ELOOP) throw OutputPathError("results file '" + shown + "' is a symbolic link loop");
        throw OutputPathError("results file '" + shown + "': " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) throw OutputPathError("results file '" + shown + "' is a folder, not a file name");
    if (!S_ISREG(st.st_mode))
        throw OutputPathError("results file '" + shown + "' is " + kind_of(st.st_mode) +
                              ", not a regular file: refusing to replace it");
    for (const auto& in : inputs)
        if (in.device == static_cast<unsigned long long>(st.st_dev) && in.inode == static_cast<unsigned long long>(st.st_ino))
            throw OutputPathError("results file '" + shown + "' is an input of this command ('" + in.path +
                                  "'): refusing to overwrite it");
    // Write-protected (no write permission bit, or none for us): the user protected it.
    if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(target.c_str(), W_OK) != 0)
        throw OutputPathError("results file '" + shown +
                              "' is write-protected: refusing to replace it (remove it or make it writable first)");
}

}  // namespace salesflow::output
