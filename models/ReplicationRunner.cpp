#include "models/ReplicationRunner.hpp"

#include <cstdlib>
#include <system_error>

#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include "kernel/Summary.hpp"

namespace salesflow::model {

// ---------------------------------------------------------------------------------
// OrderedExecutor

OrderedExecutor::OrderedExecutor(long long first, long long last, Emit emit, const std::atomic<bool>* stop,
                                 long long window)
    : first_(first), next_(first), emitted_(first), last_(last), window_(window), emit_(std::move(emit)),
      stop_(stop) {}

long long OrderedExecutor::take() {
    std::unique_lock<std::mutex> lock(mu_);
    auto stopping = [&] { return stop_ && stop_->load(); };
    room_.wait(lock, [&] { return failure_ || stopping() || next_ >= last_ || next_ - emitted_ < window_; });
    if (failure_ || stopping() || next_ >= last_) return -1;
    return next_++;
}

void OrderedExecutor::complete(long long item, ReplicationOutput&& r) {
    std::lock_guard<std::mutex> lock(mu_);
    if (failure_) return;
    ready_.emplace(item, std::move(r));
    // Emission happens under the lock: one call at a time, in item order.
    while (!failure_ && !ready_.empty() && ready_.begin()->first == emitted_) {
        auto node = ready_.extract(ready_.begin());
        try {
            emit_(emitted_, std::move(node.mapped()));
        } catch (...) {
            failure_ = std::current_exception();
            break;
        }
        ++emitted_;
    }
    room_.notify_all();
}

void OrderedExecutor::fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!failure_) failure_ = e;
    room_.notify_all();
}

ExecutorStats OrderedExecutor::run(int threads, const Compute& compute, const Remote& remote) {
    const long long items = last_ - first_;
    // No more local threads than items (a thread without work costs a model build).
    long long local = std::max(remote ? 0 : 1, threads);
    local = std::min<long long>(local, std::max<long long>(items, remote ? 0 : 1));
    if (window_ <= 0) window_ = 64LL * (local + 8);
    auto worker = [&]() {
        for (long long item; (item = take()) >= 0;) {
            try {
                complete(item, compute(item));
            } catch (...) {
                fail(std::current_exception());
                return;
            }
        }
    };
    std::vector<std::thread> pool;
    // A test seam: SALESFLOW_TEST_THREAD_LIMIT=N makes the system "refuse" every thread
    // after the N-th, so the refusal path is tested without starving the whole process of
    // memory (where glibc itself may abort first).
    static const long long thread_limit = [] {
        const char* v = std::getenv("SALESFLOW_TEST_THREAD_LIMIT");
        return v ? std::atoll(v) : -1LL;
    }();
    auto start = [&](std::function<void()> body, long long which, long long of) {
        try {
            if (thread_limit >= 0 && static_cast<long long>(pool.size()) >= thread_limit)
                throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
            pool.emplace_back(std::move(body));
        } catch (const std::system_error& e) {
            // The system gives no more threads (a process or memory limit): an error,
            // reported like any other once the threads already running have stopped.
            fail(std::make_exception_ptr(std::runtime_error(
                "cannot start thread " + std::to_string(which) + " of " + std::to_string(of) + ": " + e.what() +
                " (use fewer --threads)")));
            return false;
        }
        return true;
    };
    bool started = true;
    if (remote)
        started = start(
            [&] {
                try {
                    remote(*this);
                } catch (...) {
                    fail(std::current_exception());
                }
            },
            1, local + 1);
    for (long long t = 1; started && t < local; ++t) started = start(worker, t + 1, local);
    if (started && local >= 1) worker();
    for (auto& t : pool) t.join();
    if (failure_) std::rethrow_exception(failure_);
    return ExecutorStats{emitted_ - first_, emitted_ < last_};
}

// ---------------------------------------------------------------------------------
// Per-thread models

std::uint64_t next_run_id() {
    static std::atomic<std::uint64_t> id{0};
    return ++id;
}

namespace {
struct Slot {
    std::uint64_t run_id = 0;
    long long group = -1;
    std::unique_ptr<ScenarioConfig> cfg;
    std::unique_ptr<MetricCatalog> catalog;
    std::unique_ptr<SalesModel> model;
};
}  // namespace

ReplicationOutput run_on_thread_model(std::uint64_t run_id, long long group,
                                      const std::function<ScenarioConfig()>& make, int rep,
                                      const ModelOptions& options, std::size_t expected_metrics) {
    thread_local Slot slot;
    if (slot.run_id != run_id || slot.group != group || !slot.model) {
        slot.model.reset();  // it refers to the old scenario and catalogue
        slot.run_id = 0;
        slot.cfg = std::make_unique<ScenarioConfig>(make());
        slot.catalog = std::make_unique<MetricCatalog>(*slot.cfg);
        if (expected_metrics != 0 && slot.catalog->size() != expected_metrics)
            throw std::runtime_error("scenario '" + slot.cfg->name + "' (item group " + std::to_string(group) +
                                     ") has a different set of metrics");
        slot.model = std::make_unique<SalesModel>(*slot.cfg, *slot.catalog, options);
        slot.run_id = run_id;
        slot.group = group;
    }
    return slot.model->run(rep);
}

// ---------------------------------------------------------------------------------
// One scenario on local threads

RunResult run_replications(const ScenarioConfig& cfg, const MetricCatalog& catalog, const RunOptions& opt,
                           Recorder* recorder) {
    (void)catalog;  // each thread builds the model with its own copy of the scenario and catalogue
    const int first = opt.first_replication;
    const int count = opt.count >= 0 ? opt.count : cfg.simulation.replications;
    RunResult result;
    std::map<long long, std::vector<LeadRecord>> held_leads;
    int done = 0;
    auto emit = [&](long long rep, ReplicationOutput&& o) {
        if (recorder) {
            recorder->replication(static_cast<int>(rep), o.metrics);
            if (o.series.rows() > 0) recorder->series(static_cast<int>(rep), o.series);
            if (!o.leads.empty()) recorder->leads(o.leads);
            // The next replication's records held so far follow; its later ones stream.
            if (auto h = held_leads.find(rep + 1); h != held_leads.end()) {
                recorder->leads(h->second);
                held_leads.erase(h);
            }
        }
        result.rows.push_back(std::move(o.metrics));
        result.replications.push_back(static_cast<int>(rep));
        result.events += o.events;
        ++done;
        if (opt.progress) opt.progress(done, count);
    };
    OrderedExecutor exec(first, static_cast<long long>(first) + count, emit, opt.stop);
    ModelOptions mopt = opt.model;
    if (mopt.record_leads && recorder) {
        mopt.lead_sink = [&](int rep, std::span<const LeadRecord> chunk) {
            exec.with_emission_lock([&](long long next) {
                if (rep == next) {
                    recorder->leads(chunk);
                } else {
                    auto& held = held_leads[rep];
                    held.insert(held.end(), chunk.begin(), chunk.end());
                }
            });
        };
    }
    const std::uint64_t id = next_run_id();
    const auto stats = exec.run(std::max(1, opt.threads), [&](long long rep) {
        return run_on_thread_model(id, 0, [&] { return cfg; }, static_cast<int>(rep), mopt);
    });
    result.complete = stats.emitted == count;
    return result;
}

std::vector<MetricSummary> summarise(const MetricCatalog& catalog, const std::vector<std::vector<double>>& rows) {
    std::vector<MetricSummary> out;
    std::vector<double> col(rows.size());
    for (std::size_t m = 0; m < catalog.size(); ++m) {
        for (std::size_t r = 0; r < rows.size(); ++r) col[r] = rows[r][m];
        const kernel::Summary s = kernel::summarize(col);
        out.push_back(MetricSummary{catalog.names()[m], s.mean, s.sd, s.ci_low, s.ci_high, s.n});
    }
    return out;
}

RunInfo run_info(const ScenarioConfig& cfg, const MetricCatalog& catalog, int replications) {
    RunInfo info;
    info.name = cfg.name;
    info.scenario_yaml = cfg.resolved_yaml;
    info.seed = cfg.simulation.seed;
    info.replications = replications;
    info.horizon_h = cfg.simulation.horizon_h;
    info.warmup_h = cfg.simulation.warmup_h;
    info.metric_names = catalog.names();
    info.metrics = catalog.metrics();
    for (const auto& s : cfg.sources) info.source_names.push_back(s.name);
    for (const auto& s : cfg.stages) info.stage_names.push_back(s.name);
    for (const auto& r : cfg.roles) info.role_names.push_back(r.name);
    return info;
}

}  // namespace salesflow::model
