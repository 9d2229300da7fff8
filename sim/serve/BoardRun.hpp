#pragma once
// BoardRun: one replication of one scenario for the board: the scenario loaded exactly as
// `--set` loads it (plus the seed as `simulation.seed`), checked against the serve limits,
// run with the flow-event log and the per-lead records, and written as the JSON document
// the page reads (docs/serve.md, "POST /api/run").
#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/ScenarioConfig.hpp"
#include "serve/ServeLimits.hpp"

namespace salesflow::serve {

// A request beyond a bound of ServeLimits (HTTP 422), with a message naming the bound.
class LimitError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Why a run stopped early.
enum class StopReason : int { none = 0, deadline = 1, events = 2, shutdown = 3 };

// Shared between the worker running a replication, the watchdog and the server.
struct RunControl {
    std::atomic<bool> stop{false};
    std::atomic<int> reason{0};
    std::atomic<bool> cancelled{false};   // nobody waits any more: skip it if not started
    void request_stop(StopReason r) {
        int none = 0;
        reason.compare_exchange_strong(none, static_cast<int>(r));
        stop.store(true);
    }
};

// Overrides that would make the server read a file the client names (`trace`, `extends`,
// at any depth of the path or of the value) are refused as input errors of `--set`.
// Also bounds their number and length. Throws input::InputError or LimitError.
void check_overrides(const std::vector<std::string>& sets, const ServeLimits& limits);

// The overrides to load with: `sets`, then `simulation.seed=S` when a seed is given.
std::vector<std::string> overrides_with_seed(const std::vector<std::string>& sets, std::optional<std::uint64_t> seed);

// Throws LimitError when the scenario is beyond a bound that can be judged before running.
void check_limits(const model::ScenarioConfig& cfg, const ServeLimits& limits);

// Runs replication `rep` and returns the JSON text of the run (events, series, metrics,
// levers). `file` and `sets` are echoed. Throws LimitError when the run is stopped by
// the event bound, the time budget or the server shutting down.
std::string run_board_json(const model::ScenarioConfig& cfg, const std::string& file,
                           const std::vector<std::string>& sets, int rep, const ServeLimits& limits,
                           RunControl& control);

// The scenario's description for the page: name, horizon, sources, stages, roles and the
// person numbering, and its levers (JSON text of an object).
std::string scenario_json(const model::ScenarioConfig& cfg, const std::string& file, const std::vector<std::string>& sets);

}  // namespace salesflow::serve
