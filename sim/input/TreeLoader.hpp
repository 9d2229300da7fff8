#pragma once
// TreeLoader: reads a scenario file and, through `extends`, every file it builds on,
// into one merged ConfigNode (see TreeMerge for the merge rules). The result has no
// `extends` key left; every node still knows the file it came from.
#include <optional>
#include <string>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"

namespace salesflow::input {

// Scenario files larger than this are refused (no real scenario comes near it).
inline constexpr std::size_t max_scenario_bytes = std::size_t{16} << 20;
// Longest `extends` chain accepted (a guard against runaway chains through symlinks).
inline constexpr int max_extends_depth = 32;

// Loads `path` with its extends chain. Throws InputError when anything is wrong.
ConfigNode load_tree(const std::string& path);

// Same, reporting into `diags`; returns nullopt when no usable tree could be built
// (a file missing or not YAML). Non-fatal problems are reported with a tree returned.
std::optional<ConfigNode> load_tree(const std::string& path, Diagnostics& diags);

// Parses scenario text that is not read from a file (a stored resolved_yaml, a test).
// `file` names it in diagnostics and anchors relative `extends` and `trace` paths.
std::optional<ConfigNode> load_tree_from_text(const std::string& text, const std::string& file, Diagnostics& diags);

}  // namespace salesflow::input
