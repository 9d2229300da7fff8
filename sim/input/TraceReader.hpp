#pragma once
// TraceReader: a recorded stream of leads for a `trace` source, as CSV. The header row
// names the columns: `arrival` (required: hours since the start, or a duration such as
// 3d), `quality` and `value` (optional; an empty cell means "draw from the source's
// distribution"). Rows must be sorted by arrival. Blank lines and lines starting with
// '#' are skipped. Problems are reported at the CSV's own line and column.
#include <optional>
#include <string>
#include <vector>

#include "input/Diagnostics.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

// `csv_path` is the path to open and to name in diagnostics; `key_path` the scenario key
// (`sources.web.trace`); `where` the position of the trace value in the scenario, used
// when the file cannot be opened.
std::optional<std::vector<model::TraceLead>> read_trace(const std::string& csv_path, const std::string& key_path,
                                                        const Position& where, Diagnostics& diags);

}  // namespace salesflow::input
