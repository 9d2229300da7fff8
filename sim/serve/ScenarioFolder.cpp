#include "serve/ScenarioFolder.hpp"

#include <algorithm>
#include <system_error>

namespace fs = std::filesystem;

namespace salesflow::serve {

namespace {

bool segment_ok(const std::string& s) {
    if (s.empty() || s.size() > 100) return false;
    const auto first = static_cast<unsigned char>(s.front());
    if (!std::isalnum(first) && s.front() != '_') return false;   // no '.', '-' first: no `..`, no hidden files
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return std::isalnum(u) || c == '_' || c == '-' || c == '.';
    });
}

bool has_yaml_extension(const std::string& n) {
    auto ends = [&](const char* e) {
        const std::string x(e);
        return n.size() > x.size() && n.compare(n.size() - x.size(), x.size(), x) == 0;
    };
    return ends(".yaml") || ends(".yml");
}

// `inner` lies inside `root` (both canonical): root's components are a prefix of inner's.
bool inside(const fs::path& root, const fs::path& inner) {
    auto r = root.begin(), i = inner.begin();
    for (; r != root.end(); ++r, ++i)
        if (i == inner.end() || *r != *i) return false;
    return i != inner.end();
}

}  // namespace

ScenarioFolder::ScenarioFolder(const std::string& folder) : given_(folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw std::invalid_argument("'" + folder + "' is not a folder");
    root_ = fs::canonical(folder, ec);
    if (ec) throw std::invalid_argument("'" + folder + "': " + ec.message());
}

std::string ScenarioFolder::resolve(const std::string& name) const {
    const std::string refused = "refused: '" + name.substr(0, 200) +
                                "' is not a scenario file of the served folder (a relative name like "
                                "'02-wip.yaml' or 'board/flow-optimised.yaml', without '..')";
    if (name.empty() || name.size() > 300 || !has_yaml_extension(name)) throw AccessError(403, refused);
    std::size_t start = 0;
    int depth = 0;
    while (true) {
        const auto slash = name.find('/', start);
        const std::string seg = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!segment_ok(seg)) throw AccessError(403, refused);
        if (slash == std::string::npos) break;
        if (++depth > 1) throw AccessError(403, refused);   // the folder and its direct subfolders
        start = slash + 1;
    }
    const fs::path p = root_ / name;
    std::error_code ec;
    const fs::path real = fs::canonical(p, ec);
    if (ec) throw AccessError(404, "no scenario '" + name + "' in the served folder");
    if (!inside(root_, real)) throw AccessError(403, refused + ": it leads outside the folder");
    if (!fs::is_regular_file(real, ec)) throw AccessError(404, "no scenario '" + name + "' in the served folder");
    return (fs::path(given_) / name).string();
}

std::vector<std::string> ScenarioFolder::list() const {
    std::vector<std::string> names;
    std::error_code ec;
    auto scan = [&](const fs::path& dir, const std::string& prefix, auto&& self) -> void {
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string n = it->path().filename().string();
            if (!segment_ok(n)) continue;
            std::error_code e2;
            if (it->is_directory(e2) && !it->is_symlink(e2)) {
                if (prefix.empty()) self(it->path(), n + "/", self);
                continue;
            }
            if (!has_yaml_extension(n)) continue;
            try {
                resolve(prefix + n);
                names.push_back(prefix + n);
            } catch (const AccessError&) {
            }
        }
    };
    scan(root_, "", scan);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace salesflow::serve
