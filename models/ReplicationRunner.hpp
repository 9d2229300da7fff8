#pragma once
// ReplicationRunner: runs the replications of one scenario over a pool of threads and
// reports them to a Recorder in replication order. Each replication draws only from its
// own streams (seed, replication, purpose), so the numbers do not depend on the thread
// count or the order in which threads finish.
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/SalesModel.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::model {

struct RunOptions {
    int threads = 1;
    int first_replication = 0;      // replications [first, first + count)
    int count = -1;                 // -1: simulation.replications
    ModelOptions model;
    std::function<void(int done, int total)> progress;  // called from worker threads, serialised
    const std::atomic<bool>* stop = nullptr;            // set to stop early (no new replication starts)
};

struct RunResult {
    std::vector<std::vector<double>> rows;   // one metric row per finished replication, in order
    std::vector<int> replications;           // replication number of each row
    std::uint64_t events = 0;
    bool complete = true;                    // false when stopped early
};

// Runs and reports: begin_run is the caller's business; replication(), series() and
// leads() are called here in replication order.
RunResult run_replications(const ScenarioConfig& cfg, const MetricCatalog& catalog, const RunOptions& opt,
                           Recorder* recorder);

// Per-metric summary (mean, sd, 95% t interval) over the rows.
std::vector<MetricSummary> summarise(const MetricCatalog& catalog, const std::vector<std::vector<double>>& rows);

// RunInfo for a recorder, from the scenario.
RunInfo run_info(const ScenarioConfig& cfg, const MetricCatalog& catalog, int replications);

}  // namespace salesflow::model
