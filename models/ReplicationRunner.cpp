#include "models/ReplicationRunner.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "kernel/Summary.hpp"

namespace salesflow::model {

RunResult run_replications(const ScenarioConfig& cfg, const MetricCatalog& catalog, const RunOptions& opt,
                           Recorder* recorder) {
    const int first = opt.first_replication;
    const int count = opt.count >= 0 ? opt.count : cfg.simulation.replications;
    const int threads = std::max(1, std::min(opt.threads, count));

    RunResult result;
    std::atomic<int> next{0};
    std::mutex mu;
    // Finished replications wait here until every earlier one is reported, so the recorder
    // sees them in order whatever the threads do.
    std::map<int, ReplicationOutput> pending;
    int reported = 0;
    int done = 0;
    std::exception_ptr failure;

    // Lead records stream: the replication next in line writes its chunks straight to the
    // recorder; later ones hold theirs until their turn comes.
    std::map<int, std::vector<LeadRecord>> held_leads;
    ModelOptions mopt = opt.model;
    if (mopt.record_leads && recorder) {
        mopt.lead_sink = [&](int rep, std::span<const LeadRecord> chunk) {
            std::lock_guard<std::mutex> lock(mu);
            if (rep == first + reported) {
                recorder->leads(chunk);
            } else {
                auto& held = held_leads[rep];
                held.insert(held.end(), chunk.begin(), chunk.end());
            }
        };
    }

    auto worker = [&]() {
        SalesModel model(cfg, catalog, mopt);
        for (;;) {
            if (opt.stop && opt.stop->load()) return;
            const int i = next.fetch_add(1);
            if (i >= count) return;
            ReplicationOutput out;
            try {
                out = model.run(first + i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mu);
                if (!failure) failure = std::current_exception();
                next.store(count);
                return;
            }
            std::lock_guard<std::mutex> lock(mu);
            if (failure) return;
            pending.emplace(i, std::move(out));
            // The recorder may fail (a full disk): the error goes to the caller's thread.
            try {
            while (!pending.empty() && pending.begin()->first == reported) {
                auto node = pending.extract(pending.begin());
                ReplicationOutput& o = node.mapped();
                const int rep = first + reported;
                if (recorder) {
                    recorder->replication(rep, o.metrics);
                    if (o.series.rows() > 0) recorder->series(rep, o.series);
                    if (!o.leads.empty()) recorder->leads(o.leads);
                }
                result.rows.push_back(std::move(o.metrics));
                result.replications.push_back(rep);
                result.events += o.events;
                ++reported;
                if (auto h = held_leads.find(first + reported); h != held_leads.end()) {
                    if (recorder) recorder->leads(h->second);
                    held_leads.erase(h);
                }
            }
            } catch (...) {
                if (!failure) failure = std::current_exception();
                next.store(count);
                return;
            }
            ++done;
            if (opt.progress) opt.progress(done, count);
        }
    };

    if (threads == 1) {
        worker();
    } else {
        std::vector<std::thread> pool;
        pool.reserve(static_cast<std::size_t>(threads));
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
        for (auto& t : pool) t.join();
    }
    if (failure) std::rethrow_exception(failure);
    result.complete = reported == count;
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
    for (const auto& s : cfg.sources) info.source_names.push_back(s.name);
    for (const auto& s : cfg.stages) info.stage_names.push_back(s.name);
    for (const auto& r : cfg.roles) info.role_names.push_back(r.name);
    return info;
}

}  // namespace salesflow::model
