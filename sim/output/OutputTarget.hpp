#pragma once
// OutputTarget: may a path become a results file? The rules that keep `-o` from ever
// destroying a user's file (README, "Output files"):
//   - the name is not empty, not a folder (`.`, `..`, `dir/`, an existing folder), not
//     longer than NAME_MAX bytes, and every existing folder on the way is a folder;
//   - an existing target is a regular file (following symbolic links), not a device,
//     FIFO, socket or other special file, and is not write-protected;
//   - the target is none of the command's input files, compared by identity (device and
//     inode, following symbolic links, so hard links and other spellings count too).
// Breaking a rule raises OutputPathError (exit status 2, nothing written).
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace salesflow::output {

class OutputPathError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// The identity of a file (st_dev, st_ino), with the name it was known by.
struct FileIdentity {
    unsigned long long device = 0;
    unsigned long long inode = 0;
    std::string path;
};

// Throws OutputPathError when `target` is not a usable results file name or is the
// same file as one of `inputs`.
void check_output_target(const std::filesystem::path& target, const std::vector<FileIdentity>& inputs = {});

// A file name derived from `name` that fits in NAME_MAX bytes together with `suffix`:
// `name` itself when it fits, else a prefix of it and a hash of the whole.
std::string bounded_name(const std::string& name, const std::string& suffix);

}  // namespace salesflow::output
