#pragma once
// PathCheck: what sweep files (SweepPlan) and study files (StudyPlan) share about the
// scenarios they name. load_named_scenario reads a scenario named in such a file, with
// the --set overrides, reporting a file that cannot be read at the key that names it.
// check_setting is the one check that a dotted PATH set to a VALUE keeps a scenario whole,
// used by the sweep file's varied paths and the study file's levers:
// a copy of the scenario's tree gets the value at the path (SetOverride: errors in the
// path point at its place in the file that names it) and is built as a scenario (errors
// of the value point at the value's place). The callers word their own messages around
// the problems returned.
#include <optional>
#include <string>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

struct NamedScenario {
    model::ScenarioConfig config;   // built, with the sets
    ConfigNode tree;                // its merged tree, with the sets
};

// The scenario file `name` (a scalar of the file `from_file`, relative to it) with `sets`
// (PATH=VALUE) applied. A file that cannot be read (missing, a folder, too large) is
// reported at `name` as "KEY: cannot load 'FILE': reason"; problems inside it at their
// place. Returns nullopt after reporting.
std::optional<NamedScenario> load_named_scenario(const std::string& from_file, const ConfigNode& name,
                                                 const std::string& key, const std::vector<std::string>& sets,
                                                 Diagnostics& diags);

// The problems of `tree` with `path` set to `value` (empty: a valid scenario). `tree` is
// not changed.
Diagnostics check_setting(const ConfigNode& tree, const std::string& path, const ConfigNode& value,
                          const Position& path_pos);

// Whether `path` can be set in `tree` at all (the named items it goes through exist),
// whatever the value does to the scenario.
bool path_settable(const ConfigNode& tree, const std::string& path, const ConfigNode& value, const Position& path_pos);

}  // namespace salesflow::input
