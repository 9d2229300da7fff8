#pragma once
// Assumptions: the uncertain parameters of a scenario, as a top-level `assumptions:` map
// of a scenario file or the `uncertain:` map of a study file (docs/study.md):
//
//   assumptions:
//     roles.se.efficiency.proposal: {triangular: {min: 1, mode: 1.3, max: 1.8}, why: "specialists are faster"}
//     handoff.delay: {uniform: {min: 4h, max: 2d}}
//
// Each key is a dotted PATH as for --set; each value a distribution of the scenario
// format (any family but `constant`; parameters are numbers or durations, in hours) plus
// an optional `why` text. `run`, `compare` and `sweep` only validate the block; `study`
// samples the paths. Every path must exist in the merged scenario (outside the block).
#include <string>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"
#include "kernel/DistributionSpec.hpp"

namespace salesflow::input {

struct Assumption {
    std::string path;
    Position pos;                   // where the PATH key is written
    kernel::DistributionSpec dist;
    std::string why;
    ConfigNode spec;                // the value as written (the distribution and why)
};

// Reads `block` (a map), reporting every problem into `diags` at its place; `where` is
// the block's own dotted path ("assumptions", "uncertain"). When `root` is given, every
// PATH must lead to an existing value of it. Returns the assumptions that were read
// without problems, in the order written.
std::vector<Assumption> read_assumptions(const ConfigNode& block, const std::string& where, const ConfigNode* root,
                                         Diagnostics& diags);

// One-line YAML of a number for a sampled value (shortest round-trip text).
std::string assumption_value_text(double v);

}  // namespace salesflow::input
