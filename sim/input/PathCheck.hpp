#pragma once
// PathCheck: the one check that a dotted PATH set to a VALUE keeps a scenario whole, used
// by the sweep file's varied paths (SweepPlan) and the study file's levers (StudyPlan):
// a copy of the scenario's tree gets the value at the path (SetOverride: errors in the
// path point at its place in the file that names it) and is built as a scenario (errors
// of the value point at the value's place). The callers word their own messages around
// the problems returned.
#include <string>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"

namespace salesflow::input {

// The problems of `tree` with `path` set to `value` (empty: a valid scenario). `tree` is
// not changed.
Diagnostics check_setting(const ConfigNode& tree, const std::string& path, const ConfigNode& value,
                          const Position& path_pos);

// Whether `path` can be set in `tree` at all (the named items it goes through exist),
// whatever the value does to the scenario.
bool path_settable(const ConfigNode& tree, const std::string& path, const ConfigNode& value, const Position& path_pos);

}  // namespace salesflow::input
