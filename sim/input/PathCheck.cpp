#include "input/PathCheck.hpp"

#include "input/ScenarioBuilder.hpp"
#include "input/SetOverride.hpp"

namespace salesflow::input {

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
