#pragma once
// ScenarioLoader: the input layer's front door. A scenario file (with its extends chain)
// plus --set overrides becomes a validated model::ScenarioConfig, or an InputError that
// lists every problem found. Pipeline: parse each file into a ConfigNode tree, merge the
// extends chain, apply the overrides in order, validate and convert in one pass, record
// the resolved tree as YAML.
#include <string>
#include <vector>

#include "input/ConfigNode.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

// `sets` are `PATH=VALUE` strings as given to --set. Throws InputError.
model::ScenarioConfig load_scenario(const std::string& path, const std::vector<std::string>& sets = {});

// Same for scenario text held in memory (a stored resolved_yaml, a test); `file` names
// it in messages and anchors relative paths (extends, trace).
model::ScenarioConfig load_scenario_text(const std::string& yaml, const std::string& file,
                                         const std::vector<std::string>& sets = {});

// Validates and converts an already resolved tree (for sweeps: load_tree once, then
// apply_set per point). `source_file` is recorded in the result. Throws InputError.
model::ScenarioConfig build_scenario(const ConfigNode& root, const std::string& source_file);

// The tree that resolved_yaml records: `root` with every trace path made absolute, so
// that the text loads to the same scenario from any folder.
ConfigNode tree_for_record(const ConfigNode& root);

}  // namespace salesflow::input
