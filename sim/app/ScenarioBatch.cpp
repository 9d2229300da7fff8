#include "app/ScenarioBatch.hpp"

#include <algorithm>
#include <cmath>

#include "app/Precision.hpp"
#include "app/Progress.hpp"
#include "app/StopSignal.hpp"
#include "app/ThreadModel.hpp"
#include "app/WorkDistribution.hpp"
#include "input/TextUtil.hpp"
#include "models/MemoryRecorder.hpp"
#include "models/ReplicationRunner.hpp"

namespace salesflow::app {

namespace {

model::RunOptions options(const CommandLine& cl, int first, int count) {
    model::RunOptions opt;
    opt.stop = &install_stop_signal();
    opt.threads = cl.threads;
    opt.first_replication = first;
    opt.count = count;
    opt.model.record_leads = cl.leads;
    return opt;
}

// The whole record of a scenario kept in memory is replayed in replication order, so the
// file is the same as a streamed run with that many replications.
void replay(const model::MemoryRecorder& mem, model::Recorder& rec) {
    rec.begin_run(mem.info);
    for (std::size_t i = 0; i < mem.rows.size(); ++i) {
        const int rep = mem.replication_numbers[i];
        rec.replication(rep, mem.rows[i]);
        if (auto s = mem.series_by_rep.find(rep); s != mem.series_by_rep.end()) rec.series(rep, s->second);
    }
    if (!mem.lead_records.empty()) rec.leads(mem.lead_records);
    rec.end_run(mem.summary);
}

// Item = scenario x replications + replication.
ItemResult compute_item(const std::vector<model::ScenarioConfig>& cfgs, int reps, long long item) {
    const long long k = item / reps;
    return run_on_thread_model(
        &cfgs, k, [&] { return cfgs[static_cast<std::size_t>(k)]; }, static_cast<int>(item % reps));
}

}  // namespace

void require_precision_metric(const std::vector<model::ScenarioConfig>& cfgs, const CommandLine& cl) {
    if (!cl.precision) return;
    for (const auto& cfg : cfgs) {
        const model::MetricCatalog catalog(cfg);
        if (catalog.index_of(cl.metric) < 0)
            throw UsageError("--metric: scenario '" + cfg.name + "' has no metric '" + cl.metric + "'" +
                             input::suggestion(cl.metric, catalog.names()));
    }
}

void serve_scenarios(const std::vector<model::ScenarioConfig>& cfgs, int replications) {
    serve_items([&](long long item) { return compute_item(cfgs, replications, item); });
}

BatchOutcome simulate_scenarios(const std::vector<model::ScenarioConfig>& cfgs, const CommandLine& cl,
                                model::Recorder& recorder, Progress& progress) {
    BatchOutcome out;
    std::vector<model::MetricCatalog> catalogs;
    for (const auto& c : cfgs) catalogs.emplace_back(c);
    require_precision_metric(cfgs, cl);
    std::vector<int> metric_in(cfgs.size(), -1);
    for (std::size_t k = 0; k < cfgs.size() && cl.precision; ++k) metric_in[k] = catalogs[k].index_of(cl.metric);
    const int metric = metric_in[0];
    const int reps = cfgs[0].simulation.replications;

    if (world_size() > 1) {
        // MPI: replications spread over ranks; metric rows only (no series, no lead log).
        const auto& stop = install_stop_signal();
        const long long total = static_cast<long long>(reps) * static_cast<long long>(cfgs.size());
        for (std::size_t k = 0; k < cfgs.size(); ++k) {
            recorder.begin_run(model::run_info(cfgs[k], catalogs[k], reps));
            ScenarioResult s{catalogs[k].names(), {}, {}, 0};
            const long long first = static_cast<long long>(k) * reps;
            auto emit = [&](long long item, ItemResult&& row) {
                recorder.replication(static_cast<int>(item - first), row);
                s.rows.push_back(std::move(row));
                progress.update(static_cast<int>(item + 1), static_cast<int>(total));
            };
            const auto stats = distribute_items(first, first + reps, cl.threads,
                                                [&](long long item) { return compute_item(cfgs, reps, item); },
                                                emit, stop);
            s.summary = model::summarise(catalogs[k], s.rows);
            recorder.end_run(s.summary);
            out.scenarios.push_back(std::move(s));
            if (stats.stopped) {
                out.interrupted = true;
                break;
            }
        }
        out.replications = reps;
        return out;
    }

    if (!cl.precision) {
        const int total = reps * static_cast<int>(cfgs.size());
        int before = 0;
        for (std::size_t k = 0; k < cfgs.size(); ++k) {
            recorder.begin_run(model::run_info(cfgs[k], catalogs[k], reps));
            auto opt = options(cl, 0, reps);
            opt.progress = [&](int done, int) { progress.update(before + done, total); };
            auto r = model::run_replications(cfgs[k], catalogs[k], opt, &recorder);
            ScenarioResult s{catalogs[k].names(), std::move(r.rows), {}, r.events};
            s.summary = model::summarise(catalogs[k], s.rows);
            recorder.end_run(s.summary);
            out.scenarios.push_back(std::move(s));
            before += reps;
            if (!r.complete) {
                // Stopped by a signal: what finished is written, nothing more starts.
                out.interrupted = true;
                break;
            }
        }
        out.replications = reps;
        return out;
    }

    // --precision: batches in memory, every scenario the same replications (paired).
    std::vector<model::MemoryRecorder> mem(cfgs.size());
    for (std::size_t k = 0; k < cfgs.size(); ++k) mem[k].info = model::run_info(cfgs[k], catalogs[k], 0);
    std::vector<std::uint64_t> events(cfgs.size(), 0);
    int n = 0;
    int target = std::min(std::max(reps, 2), cl.max_replications);
    for (;;) {
        for (std::size_t k = 0; k < cfgs.size(); ++k) {
            auto opt = options(cl, n, target - n);
            opt.progress = [&](int done, int) { progress.update(n + done, target); };
            auto r = model::run_replications(cfgs[k], catalogs[k], opt, &mem[k]);
            events[k] += r.events;
            if (!r.complete) out.interrupted = true;
        }
        if (out.interrupted) {
            // Keep the replications every scenario has (pairs stay pairs).
            std::size_t have = mem[0].rows.size();
            for (const auto& mr : mem) have = std::min(have, mr.rows.size());
            n = static_cast<int>(have);
            for (auto& mr : mem) {
                mr.rows.resize(have);
                mr.replication_numbers.resize(have);
                std::erase_if(mr.lead_records, [&](const model::LeadRecord& l) { return l.replication >= n; });
                std::erase_if(mr.series_by_rep, [&](const auto& kv) { return kv.first >= n; });
            }
            out.precision_met = false;
            break;
        }
        n = target;
        // The quantity whose precision is asked: the metric (one scenario) or the paired
        // difference from the first scenario (every other scenario must be precise).
        double worst = 0.0;
        bool enough = true;
        for (std::size_t k = cfgs.size() == 1 ? 0 : 1; k < cfgs.size(); ++k) {
            std::vector<double> v(static_cast<std::size_t>(n));
            for (int r = 0; r < n; ++r) {
                const double x = mem[k].rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(metric_in[k])];
                v[static_cast<std::size_t>(r)] =
                    k == 0 ? x : x - mem[0].rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(metric)];
            }
            const auto c = check_precision(v, *cl.precision);
            enough = enough && c.enough;
            worst = std::max(worst, c.relative_half_width);
        }
        out.achieved_percent = worst;
        if (enough || n >= cl.max_replications) {
            out.precision_met = enough;
            break;
        }
        target = next_replication_count(n, worst, *cl.precision, std::max(1, cl.threads), cl.max_replications);
    }
    out.replications = n;
    for (std::size_t k = 0; k < cfgs.size(); ++k) {
        mem[k].info.replications = n;
        mem[k].summary = model::summarise(catalogs[k], mem[k].rows);
        replay(mem[k], recorder);
        out.scenarios.push_back(ScenarioResult{catalogs[k].names(), mem[k].rows, mem[k].summary, events[k]});
    }
    return out;
}

}  // namespace salesflow::app
