#pragma once
// SalesModel: one replication of a sales organisation working its market.
//
// Leads arrive from sources (Poisson with seasonality and campaigns, a trace, or people's
// prospecting), carry a latent quality (the buyer's chance to buy) and a value, and visit
// stages in order. A visit is `touches` work sessions separated by the buyer's response
// time; each session is done by one person of one of the stage's roles. People are
// scarce, so work waits in queues ordered by the role's discipline. While a lead waits,
// its win chance decays (half-life) and its buyer may abandon (patience). Ownership keeps
// a deal with one person from a chosen stage on, bounded by a per-person WIP limit; a
// stage WIP limit blocks leads upstream (pull); a gate disqualifies leads whose estimated
// quality is too low. People work only in their calendar's hours, at their availability,
// faster at stages they are efficient at, slower with many open deals (context switching).
//
// The model reports through a ReplicationOutput (metrics in MetricCatalog order, time
// series, per-lead records); it never sees YAML or HDF5. The engine and its components
// live in models/engine, models/mechanisms and models/observe (docs/architecture.md).
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "models/FlowEvent.hpp"
#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::model {

struct ReplicationOutput {
    std::vector<double> metrics;        // MetricCatalog order
    TimeSeries series;                  // empty unless simulation.sample_every > 0
    std::vector<LeadRecord> leads;      // empty unless lead records were asked for
    std::vector<FlowEvent> flow_events; // empty unless flow events were asked for (and no sink)
    std::uint64_t events = 0;           // events processed by the kernel
    bool stopped = false;               // ended early by ModelOptions::stop (metrics then partial)
};

struct ModelOptions {
    bool record_leads = false;
    // With a sink, lead records leave the model in chunks of `lead_chunk` as the run goes
    // (memory does not grow with the horizon); without one they stay in the output.
    std::function<void(int rep, std::span<const LeadRecord>)> lead_sink;
    std::size_t lead_chunk = 4096;
    // The event log: with a sink, events leave in chunks of `event_chunk`; without one
    // they stay in the output.
    bool record_events = false;
    std::function<void(int rep, std::span<const FlowEvent>)> event_sink;
    std::size_t event_chunk = 4096;
    // Checked every few thousand events: when set, the replication ends at once.
    const std::atomic<bool>* stop = nullptr;
};

class SalesModel {
public:
    SalesModel(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options = {});
    ~SalesModel();
    SalesModel(const SalesModel&) = delete;
    SalesModel& operator=(const SalesModel&) = delete;

    // Runs replication `rep` (0-based) with streams derived from (seed, rep, purpose).
    ReplicationOutput run(int rep);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace salesflow::model
