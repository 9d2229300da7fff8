#pragma once
// TraceReader: a recorded stream of leads for a `trace` source, as CSV. The header row
// names the columns: `arrival` (required: hours since the start, or a duration such as
// 3d), `quality` and `value` (optional; an empty cell means "draw from the source's
// distribution"). Rows must be sorted by arrival. Blank lines and lines starting with
// '#' are skipped. Problems are reported at the CSV's own line and column.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "input/Diagnostics.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

// `csv_path` is the path to open and to name in diagnostics; `key_path` the scenario key
// (`sources.web.trace`); `where` the position of the trace value in the scenario, used
// when the file cannot be opened.
// A file read before is not parsed again while its identity (canonical path, device,
// inode, size and modification time) is unchanged: a sweep reads its trace once, not once
// per point. Thread-safe; the last 8 traces read without problems are kept.
std::optional<std::vector<model::TraceLead>> read_trace(const std::string& csv_path, const std::string& key_path,
                                                        const Position& where, Diagnostics& diags);

// How many times this process has parsed a trace file (for tests).
std::size_t trace_parses();

}  // namespace salesflow::input
