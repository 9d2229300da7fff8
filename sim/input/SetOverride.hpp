#pragma once
// SetOverride: changing one value of a loaded scenario tree by its dotted path, the
// meaning of `--set PATH=VALUE` (and of the varied paths of sweep files). Map keys are
// path segments; items of a list of named things (sources, stages, roles) are addressed
// by their name (`roles.ae.headcount`); items of other lists by a 1-based index in
// brackets (`sources.web.seasonality[3]`). A missing map key is created (validation then
// judges it); a list item name that does not exist, or a path that goes into a plain
// value, is an error.
#include <cstddef>
#include <optional>
#include <string>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"

namespace salesflow::input {

// Most segments and [N] indexes in one PATH (the nesting depth a scenario file may have).
inline constexpr std::size_t max_path_segments = 64;

// A parsed `PATH=VALUE` argument. VALUE is YAML; its positions are in file `--set`,
// line 1, with columns counted in the whole argument.
struct SetArgument {
    std::string path;
    Position path_pos;   // where PATH starts
    ConfigNode value;
};

// Splits and parses one --set argument; reports and returns nullopt when it is malformed.
std::optional<SetArgument> parse_set_argument(const std::string& argument, Diagnostics& diags);

// Sets `path` in `root` to `value`. `path_pos` is where the path is written (errors in a
// path segment point at that segment's column). Returns false after reporting.
bool apply_set(ConfigNode& root, const std::string& path, const ConfigNode& value, const Position& path_pos,
               Diagnostics& diags);

// Same, throwing InputError; positions are reported as `--set:1:COLUMN`.
void apply_set(ConfigNode& root, const std::string& path, const ConfigNode& value);

// The node `path` addresses in `root` (as apply_set would find it), or nullptr when
// the path is malformed or leads nowhere (nothing is created or reported).
const ConfigNode* find_path(const ConfigNode& root, const std::string& path);

// parse_set_argument then apply_set, throwing InputError.
void apply_set_argument(ConfigNode& root, const std::string& argument);

}  // namespace salesflow::input
