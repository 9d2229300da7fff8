#include "app/CompareSets.hpp"

#include <filesystem>
#include <optional>

#include "app/CommandLine.hpp"
#include "input/Diagnostics.hpp"
#include "input/InputError.hpp"
#include "input/SetOverride.hpp"
#include "input/TreeLoader.hpp"

namespace salesflow::app {

namespace {

std::string stem_of(const std::string& file) {
    const std::filesystem::path p(file);
    const auto ext = p.extension().string();
    return ext == ".yaml" || ext == ".yml" ? p.stem().string() : p.filename().string();
}

std::string list(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
}

}  // namespace

ScopedSet split_scope(const std::string& argument) {
    const auto eq = argument.find('=');
    const auto colon = argument.find(':');
    if (colon == std::string::npos || colon > eq) return {false, "", argument};
    return {true, argument.substr(0, colon), argument.substr(colon + 1)};
}

std::vector<std::vector<std::string>> compare_sets(const std::vector<std::string>& files,
                                                   const std::vector<std::string>& sets) {
    std::vector<std::vector<std::string>> out(files.size());
    bool scoped = false, plain = false;
    for (const auto& s : sets) (split_scope(s).scoped ? scoped : plain) = true;
    if (!scoped && !plain) return out;
    // Each file's tree (its extends chain merged), its scenario name and its stem.
    std::vector<input::ConfigNode> trees;
    std::vector<std::string> names, stems;
    for (const auto& f : files) {
        trees.push_back(input::load_tree(f));
        const input::ConfigNode* n = trees.back().is_map() ? trees.back().find("name") : nullptr;
        names.push_back(n && n->is_scalar() ? n->text() : "");
        stems.push_back(stem_of(f));
    }
    for (const auto& argument : sets) {
        const ScopedSet s = split_scope(argument);
        if (s.scoped && s.scope.empty())
            throw UsageError("--set " + argument + ": the NAME before ':' is empty (NAME:PATH=VALUE)");
        if (!s.scoped) {
            // A path every file can take, or none (then loading reports it as usual).
            std::vector<std::string> have;
            std::optional<input::Diagnostic> refused;
            std::string refused_file;
            for (std::size_t k = 0; k < files.size(); ++k) {
                input::Diagnostics diags;
                auto copy = trees[k];
                auto arg = input::parse_set_argument(s.set, diags);
                if (arg && input::apply_set(copy, arg->path, arg->value, arg->path_pos, diags)) {
                    have.push_back(names[k].empty() ? stems[k] : names[k]);
                } else if (!refused && !diags.empty()) {
                    refused = diags.items().front();
                    refused_file = files[k];
                }
            }
            if (!have.empty() && refused) {
                input::Diagnostic d = *refused;
                d.message += " in " + refused_file + "; only " + list(have) +
                             " of the compared files can take it: write --set NAME:" + s.set +
                             " to change one file (NAME: its scenario name or file stem)";
                throw input::InputError({d});
            }
            for (auto& o : out) o.push_back(s.set);
            continue;
        }
        std::vector<std::size_t> match;
        for (std::size_t k = 0; k < files.size(); ++k)
            if (names[k] == s.scope || stems[k] == s.scope) match.push_back(k);
        if (match.empty())
            throw UsageError("--set " + argument + ": no compared file has the scenario name or file stem '" + s.scope +
                             "' (scenario names: " + list(names) + "; file stems: " + list(stems) + ")");
        if (match.size() > 1) {
            std::vector<std::string> which;
            for (auto k : match) which.push_back(files[k]);
            throw UsageError("--set " + argument + ": '" + s.scope + "' names more than one compared file (" + list(which) +
                             "); use a name or stem that only one of them has");
        }
        out[match.front()].push_back(s.set);
    }
    return out;
}

}  // namespace salesflow::app
