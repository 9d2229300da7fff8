#pragma once
// ReplicationRunner: salesflow's one ordered executor, and replications run on it.
//
// OrderedExecutor runs work items [first, last) dynamically (each worker takes the next
// item when it is free) and hands the results to `emit` in item order, one call at a
// time. Workers are local threads and, optionally, a remote driver (the MPI layer in
// sim/app/WorkDistribution) that takes items from the same executor and completes them
// with results computed elsewhere. At most `window` items run ahead of the emitted ones,
// so memory stays bounded however long the list. When `stop` is set, no new item starts;
// items already started finish and are emitted, so the emitted items are always a prefix.
// Every error of any thread (an item that throws, an emit that throws because the disk is
// full, a thread the system refuses to start) stops the run and is rethrown to the
// caller's thread. Local threads are capped by the number of items.
//
// run, compare and sweep all run on it (sim/app); run_replications below is its simplest
// use (one scenario on local threads), for tests and benchmarks. Each replication draws
// only from its own streams (seed, replication, purpose), so the numbers do not depend on
// the thread count, the number of ranks or the order in which workers finish.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/SalesModel.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::model {

struct ExecutorStats {
    long long emitted = 0;   // items emitted: first .. first + emitted - 1
    bool stopped = false;    // stopped before the last item
};

class OrderedExecutor {
public:
    using Compute = std::function<ReplicationOutput(long long item)>;
    using Emit = std::function<void(long long item, ReplicationOutput&& result)>;
    using Remote = std::function<void(OrderedExecutor&)>;

    // window <= 0: 64 x (threads + 8).
    OrderedExecutor(long long first, long long last, Emit emit, const std::atomic<bool>* stop = nullptr,
                    long long window = 0);

    // Computes every item with `threads` local threads (at least one unless `remote` is
    // given; at most one per item) and `remote`, if any, on a thread of its own.
    // Rethrows the first error of any of them.
    ExecutorStats run(int threads, const Compute& compute, const Remote& remote = {});

    // For remote drivers: the next item to compute, or -1 when there is none (done,
    // stopped or failed); a computed item; an error.
    long long take();
    void complete(long long item, ReplicationOutput&& result);
    void fail(std::exception_ptr e);

    // Runs f(next item to emit) under the emission lock (emit runs under it too): a
    // worker streaming a replication's lead records can write them straight to the
    // recorder when its item is next in line, and hold them otherwise.
    template <class F>
    void with_emission_lock(F&& f) {
        std::lock_guard<std::mutex> lock(mu_);
        f(emitted_);
    }

private:
    std::mutex mu_;
    std::condition_variable room_;
    long long first_;
    long long next_;
    long long emitted_;
    long long last_;
    long long window_;
    std::map<long long, ReplicationOutput> ready_;
    std::exception_ptr failure_;
    Emit emit_;
    const std::atomic<bool>* stop_;
};

// The model a worker thread keeps between items of the same group: items come in runs of
// replications of one scenario (or sweep point); building the model once per run of
// items, not per item, keeps start-up off the per-item path. `run_id` names the calling
// run (next_run_id(): unique in the process), `group` the scenario within it; `make`
// builds that scenario when the thread's current model is another's. When
// `expected_metrics` is not 0, a scenario with another number of metrics is an error.
std::uint64_t next_run_id();
ReplicationOutput run_on_thread_model(std::uint64_t run_id, long long group,
                                      const std::function<ScenarioConfig()>& make, int rep,
                                      const ModelOptions& options = {}, std::size_t expected_metrics = 0);

struct RunOptions {
    int threads = 1;
    int first_replication = 0;      // replications [first, first + count)
    int count = -1;                 // -1: simulation.replications
    ModelOptions model;
    std::function<void(int done, int total)> progress;  // called under the emission lock
    const std::atomic<bool>* stop = nullptr;            // set to stop early (no new replication starts)
};

struct RunResult {
    std::vector<std::vector<double>> rows;   // one metric row per finished replication, in order
    std::vector<int> replications;           // replication number of each row
    std::uint64_t events = 0;
    bool complete = true;                    // false when stopped early
};

// One scenario on local threads. begin_run is the caller's business; replication(),
// series() and leads() are called here in replication order (lead records stream: the
// replication next in line writes its chunks straight to the recorder).
RunResult run_replications(const ScenarioConfig& cfg, const MetricCatalog& catalog, const RunOptions& opt,
                           Recorder* recorder);

// Per-metric summary (mean, sd, 95% t interval) over the rows.
std::vector<MetricSummary> summarise(const MetricCatalog& catalog, const std::vector<std::vector<double>>& rows);

// RunInfo for a recorder, from the scenario.
RunInfo run_info(const ScenarioConfig& cfg, const MetricCatalog& catalog, int replications);

}  // namespace salesflow::model
