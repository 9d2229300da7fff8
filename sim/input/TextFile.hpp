#pragma once
// TextFile: reading a whole input file (scenario or trace) into memory with a size cap,
// so that pointing the simulator at /dev/zero or a huge binary fails quickly and politely.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace salesflow::input {

// The file's content, or nullopt with `error` set ("No such file or directory", "is a
// directory", "is larger than 16 MiB", ...).
std::optional<std::string> read_text_file(const std::string& path, std::size_t max_bytes, std::string& error);

// The files read so far by read_text_file in this process (scenarios, files they
// extend, traces, sweep files), as (device, inode) with the name they were read by:
// the command checks that its output is none of them (output/OutputTarget.hpp).
struct ReadFileIdentity {
    unsigned long long device = 0;
    unsigned long long inode = 0;
    std::string path;
};
std::vector<ReadFileIdentity> files_read();

// `target` as seen from the folder of `file` (unchanged when absolute), normalised:
// how `extends` and `trace` paths are resolved. A `file` without folder (`--set`)
// leaves `target` relative to the current folder.
std::string path_relative_to(const std::string& file, const std::string& target);

}  // namespace salesflow::input
