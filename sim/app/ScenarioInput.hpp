#pragma once
// ScenarioInput: a scenario as the command line asks for it: the file, then --set, then
// the --replications and --seed shortcuts (applied as sets, so the resolved YAML stored
// with the results says what really ran).
#include <string>
#include <vector>

#include "app/Settings.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::app {

// The --set overrides plus --replications and --seed as sets, in that order.
std::vector<std::string> scenario_overrides(const ScenarioOverrides& o);

// Throws output::OutputPathError (exit 2) when `out` cannot be this command's results
// file: not a usable name, or one of the files read so far (scenarios, the files they
// extend, traces, sweep files), by identity. Call it after loading every input.
void check_output_path(const std::string& out);

// Throws input::InputError when the scenario's metrics (plus `extra_columns`, e.g. a
// sweep's PATH columns) are too many columns, with their names, for one results table
// (output::Table::fits): a scenario that validates can always be written.
void check_results_fit(const model::ScenarioConfig& cfg, const std::vector<std::string>& extra_columns = {});

// Throws input::InputError when the file or an override does not fit, or its results
// would not (check_results_fit).
model::ScenarioConfig load_for_command(const std::string& file, const ScenarioOverrides& o);

}  // namespace salesflow::app
