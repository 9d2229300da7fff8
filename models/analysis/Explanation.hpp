#pragma once
// Explanation: `salesflow explain` without the command line. For one organisation it
// measures where a lead's time goes and where leads end (ValueStream, from the base
// run's flow events), each role's load (metrics), and the constraint by experiment: the
// base scenario and every one-step lever variant run on common random numbers (the same
// seed and replication numbers: the same arriving leads), each lever's paired effect on
// the objective over replications with its 95% interval, ranked. The variants are built
// by the caller (the input layer applies a lever as a `--set PATH=VALUE`).
#include <cstdint>
#include <atomic>
#include <functional>
#include <stdexcept>
#include <optional>
#include <string>
#include <vector>

#include "kernel/Summary.hpp"
#include "models/MetricCatalog.hpp"
#include "models/ReplicationRunner.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/analysis/ValueStream.hpp"

namespace salesflow::model::analysis {

// One policy lever moved one step: applied as `path=value`.
struct Lever {
    std::string label;   // e.g. "se +1 person", "qualify gate threshold -0.05"
    std::string path;    // e.g. "roles.se.headcount"
    std::string value;   // e.g. "4"
};

// Every one-step lever of the scenario, in this order: per role +1 and -1 person (-1
// only from 2 or more); per stage with a gate, threshold +0.05 and -0.05 (within [0, 1]);
// per role with a personal WIP limit, +1 and -1 (-1 only from 2: 0 means no limit); per
// stage with a WIP limit, the same; per role with reserved prospecting, share +0.1 and
// -0.1 (within [0, 1]); per role with people, each other queue discipline.
std::vector<Lever> one_step_levers(const ScenarioConfig& cfg);

// "" when `objective` can be explained, else why not (unknown, or no direction).
std::string objective_problem(const ScenarioConfig& cfg, const std::string& objective);

struct LeverEffect {
    Lever lever;
    std::string skipped;          // not run: why (the variant did not validate); else empty
    kernel::Summary effect;       // paired: variant - base, replication by replication
    kernel::Summary unpaired;     // the same difference of means with a Welch interval
    kernel::Summary wins;         // paired effect on wins
    double cost_change = 0.0;     // mean paired change of the `cost` metric
    double effect_per_cost = 0.0; // effect.mean / cost_change; NaN when the cost does not change
};

struct RoleFigures {
    std::string role;
    int headcount = 0;
    kernel::Summary utilisation, prospecting_share, queue_mean;
    // The split of available hours (adds up to 1): pipeline work, prospecting (above),
    // handoff effort, context-switch loss, idle; and the open deals its people own.
    kernel::Summary pipeline_share, handoff_share, switch_loss_share, idle_share, deals_owned;
    double offered_load = 0.0;   // the analytic estimate's offered load (TrafficEstimate)
};

// The headline metrics, in the order every summary shows them.
const std::vector<std::string>& headline_metric_names();  // profit, revenue_per_cost, revenue_per_quota_person

struct Explanation {
    std::string name;
    std::string objective;
    Direction direction = Direction::higher;
    int replications = 0;
    std::uint64_t seed = 0;
    long long runs = 0;                     // replications simulated in all (base + variants)
    kernel::Summary objective_base;
    kernel::Summary wins_base;
    std::vector<std::pair<std::string, kernel::Summary>> headline;   // the base's headline metrics
    std::vector<ValueStream::Figures> stream;   // [0] all closed leads, [1] won deals
    std::vector<ValueStream::FunnelStage> funnel;
    std::vector<std::string> stage_names;
    std::vector<RoleFigures> roles;
    std::vector<LeverEffect> levers;        // ranked: best for the objective first; skipped last
    std::vector<std::string> why;           // sentences
};

struct ExplainRequest {
    std::string objective = "profit";
    int threads = 1;
    std::vector<Lever> levers;
    // variants[i]: the base with levers[i] applied, or nullopt with skipped[i] saying why.
    std::vector<std::optional<ScenarioConfig>> variants;
    std::vector<std::string> skipped;
    // Runs the items on the executor: local threads when empty; the command line passes
    // its MPI distribution (sim/app/WorkDistribution).
    std::function<ExecutorStats(OrderedExecutor&, const OrderedExecutor::Compute&)> execute;
    // When set (SIGINT, SIGTERM), no new replication starts and explain() throws
    // ExplainInterrupted once those running have finished: an explanation needs them all.
    const std::atomic<bool>* stop = nullptr;
};

struct ExplainInterrupted : std::runtime_error {
    ExplainInterrupted() : std::runtime_error("explain interrupted before every replication ran") {}
};

Explanation explain(const ScenarioConfig& base, const ExplainRequest& request);

// The work items of explain(base, request): item = block x replications + replication,
// block 0 the base (with flow events) and then each lever that runs, in lever order.
// Worker ranks under MPI compute the items the root sends with this (both sides build
// the same request, so item numbers agree). `base` and `request` must outlive it.
OrderedExecutor::Compute explain_items(const ScenarioConfig& base, const ExplainRequest& request);

// Welch's interval for mean(b) - mean(a) of two independent samples.
kernel::Summary unpaired_difference(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace salesflow::model::analysis
