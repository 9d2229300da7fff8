#pragma once
// CurveReader: a curve of values against time, written as a list of [time, value] points
// (`sources[].speed_to_lead.curve`): times are durations that do not decrease from point
// to point (two points at one time are a step: the value jumps there to the second
// point's), values lie in a given range. Reports every problem with its point.
#include <optional>
#include <string>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/Range.hpp"
#include "input/ValueReader.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

// Most points one curve may have (docs/limits.md): each is looked up linearly.
inline constexpr std::size_t max_curve_points = 100;

std::optional<std::vector<model::CurvePoint>> read_curve(ValueReader& values, const ConfigNode& n,
                                                         const std::string& path, const Range& value_range);

}  // namespace salesflow::input
