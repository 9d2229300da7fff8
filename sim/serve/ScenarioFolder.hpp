#pragma once
// ScenarioFolder: the one folder `salesflow serve` reads scenarios from. A client names a
// scenario by its path relative to the folder (`02-wip.yaml`, `board/flow-optimised.yaml`);
// resolve() refuses anything that is not a plain relative name of a .yaml/.yml file whose
// real path (symlinks followed) lies inside the folder: `..`, absolute paths, backslashes,
// percent signs, hidden files, symlinks leading out. (A scenario file inside the folder
// may still `extends` a file outside it: the shipped workshop files extend ../market.yaml.)
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace salesflow::serve {

// A name the client may not use, or a file that does not exist.
class AccessError : public std::runtime_error {
public:
    AccessError(int status, const std::string& what) : std::runtime_error(what), status_(status) {}
    int status() const { return status_; }   // 403 refused, 404 no such scenario

private:
    int status_;
};

class ScenarioFolder {
public:
    // Throws std::invalid_argument when `folder` is not a readable directory.
    explicit ScenarioFolder(const std::string& folder);

    const std::string& given() const { return given_; }           // as given (messages, loading)
    const std::filesystem::path& root() const { return root_; }   // canonical

    // The file path to load for a client's `name` (`given()/name`), or throws AccessError.
    std::string resolve(const std::string& name) const;

    // Relative names of the .yaml/.yml files in the folder and its direct subfolders
    // (hidden entries skipped, only names resolve() accepts), sorted.
    std::vector<std::string> list() const;

private:
    std::string given_;
    std::filesystem::path root_;
};

}  // namespace salesflow::serve
