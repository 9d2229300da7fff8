#pragma once
// ThreadModel: the model a worker thread keeps between work items of the same scenario.
// Items come in runs of replications of one scenario (or sweep point); building the
// scenario's model once per run, not per item, keeps start-up off the per-item path.
// The thread owns its copy of the scenario, so no item depends on another's lifetime.
#include <cstddef>
#include <functional>

#include "app/OrderedExecutor.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::app {

// Metrics of replication `rep` of the scenario identified by (`owner`, `key`); `make`
// builds that scenario when this thread's current one is another. When
// `expected_metrics` is not 0, a scenario with another number of metrics is an error.
ItemResult run_on_thread_model(const void* owner, long long key, const std::function<model::ScenarioConfig()>& make,
                               int rep, std::size_t expected_metrics = 0);

}  // namespace salesflow::app
