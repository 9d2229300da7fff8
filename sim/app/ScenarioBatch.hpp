#pragma once
// ScenarioBatch: simulates one or more scenarios (a run, or the organisations of a
// comparison) and hands their replications to a recorder, either streamed as they finish
// or, under --precision, in batches kept in memory until the target precision is reached
// (of the metric itself for one scenario, of its paired differences from the first
// scenario for several), then written.
#include <cstdint>
#include <string>
#include <vector>

#include "app/Settings.hpp"
#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::app {

class Progress;

struct ScenarioResult {
    std::vector<std::string> metrics;
    std::vector<std::vector<double>> rows;
    std::vector<model::MetricSummary> summary;
    std::uint64_t events = 0;
};

struct BatchOutcome {
    std::vector<ScenarioResult> scenarios;
    int replications = 0;
    double achieved_percent = 0.0;   // --precision: final relative half-width
    bool precision_met = true;
    bool interrupted = false;        // SIGINT/SIGTERM: only `replications` (or fewer, see rows) ran
};

// Under MPI, every rank but the root calls this instead: it computes the replications the
// root hands out (metrics, series and, with --leads, lead records) and returns when
// released. It must be given the same scenarios and options as the root.
void serve_scenarios(const std::vector<model::ScenarioConfig>& cfgs, const Settings& s);

// With --precision: throws UsageError (with the nearest metric name) when --metric names
// no metric of one of the scenarios. Commands call it before they create any file.
void require_precision_metric(const std::vector<model::ScenarioConfig>& cfgs, const Settings& s);

// Throws UsageError as require_precision_metric does (before anything runs).
BatchOutcome simulate_scenarios(const std::vector<model::ScenarioConfig>& cfgs, const Settings& s,
                                model::Recorder& recorder, Progress& progress);

}  // namespace salesflow::app
