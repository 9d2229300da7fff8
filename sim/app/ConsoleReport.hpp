#pragma once
// ConsoleReport: what a person reads on the terminal: the analytic estimate before a
// run, the main metrics with their 95% intervals after it, and paired differences.
#include <cmath>
#include <ostream>
#include <vector>

#include "models/MetricCatalog.hpp"
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
    model::Direction direction = model::Direction::neither;
    double mean = 0, ci_low = 0, ci_high = 0;
    double diff = 0, diff_ci_low = 0, diff_ci_high = 0, rel_change = 0;   // NaN: the first scenario lacks the metric
    double best = NAN, best_ci_low = NAN, best_ci_high = NAN;   // share of replications it is best (NaN: no direction)
};
// The rows of `metrics`, in that order. A change whose paired 95% interval excludes 0 is
// marked `better` or `worse` by the metric's direction (green or red with `colour`);
// metrics without a direction are never marked. The mean lead time's line also shows
// the lead time of won deals (which then has no block of its own).
void print_comparison(std::ostream& os, const std::vector<ComparisonRow>& rows, const std::vector<std::string>& metrics,
                      bool colour = false);
// The probability that each scenario is best on `objective`, from the rows.
void print_best(std::ostream& os, const std::vector<ComparisonRow>& rows, const std::string& objective, int replications);
// "better", "worse" or "" for a paired difference [lo, hi] of a metric with this direction.
const char* change_mark(model::Direction d, double lo, double hi);

// The metrics shown on the terminal, in order (all metrics are in the file): the
// headline metrics first (profit, revenue_per_cost, revenue_per_quota_person).
std::vector<std::string> headline_metrics(const model::ScenarioConfig& cfg);

}  // namespace salesflow::app
