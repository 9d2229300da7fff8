#pragma once
// ScenarioWriter: a Calibration as scenario YAML that loads and runs as it is, with a
// comment beside every estimated key (estimate, 95% interval, n) and a machine-readable
// block of assumptions (what the export cannot tell) with ranges. The mapping from
// elapsed time in a stage onto the scenario format is documented in docs/calibrate.md,
// "From elapsed time to the scenario".
#include <string>
#include <vector>

#include "calibrate/Estimates.hpp"

namespace salesflow::calibrate {

struct WriterOptions {
    std::string name = "calibrated";
    std::string role = "seller";
    std::string command_line;          // recorded in the header comment
    int replications = 40;
    std::uint64_t seed = 1;
    double effort_share = 0.15;        // share of a stage's elapsed time that is our work (calendar time)
    double availability = 0.35;        // share of working time for pipeline work
    double max_load = 0.8;             // offered load above which the effort share is lowered
};

struct Assumption {
    std::string path;     // scenario path (for --set and sweeps) or calibrate.<name> for what has none
    double value = 0.0;
    double min = 0.0, max = 0.0;
    std::string unit;     // "h", "" ...
    std::string why;
};

struct WrittenScenario {
    std::string yaml;
    std::vector<Assumption> assumptions;
    double effort_share = 0.0;         // after the load check
    double load = 0.0;                 // offered load of the role
    double calendar_wait_h = 0.0;      // mean wait for working time after a buyer's answer
    std::vector<int> touches;          // per stage
    double response_mean_h = 0.0;
};

WrittenScenario write_scenario(const Calibration& cal, const WriterOptions& opt);

// The mean wait from a uniformly random moment of the week to the next working hour of
// an hours_per_day x days_per_week calendar starting at day_start (hours).
double mean_calendar_wait_h(double hours_per_day, int days_per_week, double day_start);

// A number with `digits` significant digits, as the scenario format reads it.
std::string num(double v, int digits = 4);

}  // namespace salesflow::calibrate
