#pragma once
// ConsoleReport: what a person reads on the terminal: the analytic estimate before a
// run, the main metrics with their 95% intervals after it, and paired differences.
#include <ostream>
#include <vector>

#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/TrafficEstimate.hpp"

namespace salesflow::app {

void print_estimate(std::ostream& os, const model::ScenarioConfig& cfg, const model::TrafficEstimate& est);
void print_summary(std::ostream& os, const model::ScenarioConfig& cfg, const std::vector<model::MetricSummary>& s);

// One row of a paired comparison against the first scenario.
struct ComparisonRow {
    std::string metric;
    std::string scenario;
    double mean = 0, ci_low = 0, ci_high = 0;
    double diff = 0, diff_ci_low = 0, diff_ci_high = 0, rel_change = 0;
};
void print_comparison(std::ostream& os, const std::vector<ComparisonRow>& rows, const std::vector<std::string>& metrics);

// The metrics shown on the terminal, in order (all metrics are in the file).
std::vector<std::string> headline_metrics(const model::ScenarioConfig& cfg);

}  // namespace salesflow::app
