#pragma once
// CommandLine: the `salesflow` command line (shared/design/cli-core.md) parsed into
// plain options. Wrong arguments raise UsageError (exit status 2).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/Settings.hpp"

namespace salesflow::app {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommandLine {
    std::string command;                 // run, compare, sweep, validate, serve; empty with --help/--version
    std::vector<std::string> files;      // scenario (or sweep) files
    std::string output;                  // -o; empty: results/<name>.h5
    std::optional<int> replications;
    std::optional<std::uint64_t> seed;
    int threads = 0;                     // 0: all cores
    std::vector<std::string> sets;       // PATH=VALUE
    bool leads = false;                  // write the per-lead log
    bool quiet = false;
    bool estimate_only = false;
    std::optional<double> precision;     // --precision P: stop when the 95% half-width <= P% of the mean
    std::string metric;                  // --metric M: the metric --precision looks at
    std::string objective;               // explain --objective METRIC
    int max_replications = 1000;         // cap for --precision
    bool resume = false;                 // sweep: continue an interrupted output file
    bool quick = false;                  // study --quick
    std::string text;                    // help or version text to print, when set
    std::string invocation;              // the whole command line, for the results file
    std::vector<std::string> args;       // calibrate, crm-export, serve: the arguments after the command (parsed there)
};

// Parses argv; never exits. Help and version requests come back with `text` set.
CommandLine parse_command_line(int argc, const char* const* argv);

// The plain settings the commands take.
Settings settings_from(const CommandLine& cl);

}  // namespace salesflow::app
