#include "input/PathCheck.hpp"

#include "input/InputError.hpp"
#include "input/ScenarioBuilder.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/SetOverride.hpp"
#include "input/TextFile.hpp"
#include "input/TextUtil.hpp"
#include "input/TreeLoader.hpp"

namespace salesflow::input {

std::optional<NamedScenario> load_named_scenario(const std::string& from_file, const ConfigNode& name,
                                                 const std::string& key, const std::vector<std::string>& sets,
                                                 Diagnostics& diags) {
    const std::string file = path_relative_to(from_file, name.text());
    try {
        NamedScenario out{load_scenario(file, sets), load_tree(file)};
        for (const auto& s : sets) apply_set_argument(out.tree, s);
        return out;
    } catch (const InputError& e) {
        // A problem with the file itself has no place in it: report it at the key that
        // names the file.
        for (const auto& d : e.diagnostics()) {
            if (d.line == 0 && d.file == file)
                diags.add(name.pos(), key, "cannot load " + quote(name.text()) + ": " + d.message);
            else
                diags.add(d);
        }
        return std::nullopt;
    }
}

Diagnostics check_setting(const ConfigNode& tree, const std::string& path, const ConfigNode& value,
                          const Position& path_pos) {
    ConfigNode t = tree;
    Diagnostics one;
    if (apply_set(t, path, value, path_pos, one)) (void)ScenarioBuilder(one).build(t);
    return one;
}

bool path_settable(const ConfigNode& tree, const std::string& path, const ConfigNode& value, const Position& path_pos) {
    ConfigNode t = tree;
    Diagnostics ignored;
    return apply_set(t, path, value, path_pos, ignored);
}

}  // namespace salesflow::input
