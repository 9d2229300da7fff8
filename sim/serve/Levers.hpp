#pragma once
// Levers: the values of a scenario a facilitator can move on the board, each a dotted
// --set path with its current value and a range around it (docs/serve.md lists them):
// headcount and personal WIP limit per role, the reserved prospecting share, WIP limit,
// gate threshold and batch period per stage, the arrival rate of each Poisson source.
#include <string>
#include <vector>

#include "models/ScenarioConfig.hpp"

namespace salesflow::serve {

struct Lever {
    std::string path;     // --set path, e.g. roles.ae.headcount
    std::string label;    // e.g. "ae: people"
    std::string unit;     // shown beside the value: people, deals, leads, per week, hours, share
    std::string suffix;   // appended to the value in the override: "" , "/w" (per week), "h"
    double value = 0.0;   // current value, in the lever's unit
    double min = 0.0;
    double max = 0.0;
    double step = 1.0;
};

std::vector<Lever> levers_for(const model::ScenarioConfig& cfg);

}  // namespace salesflow::serve
