#pragma once
// Settings: what a command needs to know, as plain values: built from the parsed command
// line (settings_from in CommandLine.hpp), by a test, or by another command. Commands
// and the simulation layer take these, never the command line itself.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salesflow::app {

// How a scenario file is turned into the scenario that runs: the file, then `sets`
// (PATH=VALUE, in order), then the replications and seed shortcuts (applied as sets, so
// the resolved YAML stored with the results says what really ran).
struct ScenarioOverrides {
    std::vector<std::string> sets;
    std::optional<int> replications;
    std::optional<std::uint64_t> seed;
};

struct Settings {
    std::vector<std::string> files;      // scenario (or sweep) files
    std::string output;                  // results file; empty: results/<name>.h5
    ScenarioOverrides overrides;
    int threads = 1;                     // >= 1
    bool leads = false;                  // write the per-lead log
    bool quiet = false;
    bool estimate_only = false;
    std::optional<double> precision;     // stop when the 95% half-width <= precision % of the mean
    std::string metric;                  // the metric `precision` looks at
    std::string objective;               // explain: the metric to explain (default profit)
    int max_replications = 1000;         // cap for `precision`
    bool resume = false;                 // sweep, study: continue an interrupted output file
    bool quick = false;                  // study: the study file's `quick:` settings
    std::string invocation;              // the whole command line, for the results file
};

}  // namespace salesflow::app
