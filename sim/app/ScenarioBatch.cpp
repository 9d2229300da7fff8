#include "app/ScenarioBatch.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <utility>

#include "app/CommandLine.hpp"
#include "app/Precision.hpp"
#include "app/Progress.hpp"
#include "app/StopSignal.hpp"
#include "app/WorkDistribution.hpp"
#include "input/TextUtil.hpp"
#include "models/MemoryRecorder.hpp"
#include "models/ReplicationRunner.hpp"

namespace salesflow::app {

namespace {

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

// Item numbers the other ranks know a (scenario, replication) by: scenario x stride +
// replication, the same in every batch. Under --precision the stride is the replication
// cap, so that later batches do not renumber earlier items.
long long stride_of(const std::vector<model::ScenarioConfig>& cfgs, const Settings& settings) {
    const long long reps = cfgs[0].simulation.replications;
    return settings.precision ? std::max<long long>(reps, settings.max_replications) : reps;
}

model::ModelOptions model_options(const Settings& settings) {
    model::ModelOptions o;
    o.record_leads = settings.leads;
    return o;
}

// One batch of items [0, count): item j is replication rep of scenario k.
struct Batch {
    long long count = 0;
    std::function<std::pair<int, int>(long long j)> decode;   // j -> (k, rep)
    std::function<long long(int k, int rep)> encode;          // (k, rep) -> j
};

// Runs a batch on the one executor (threads, and MPI ranks when there are any) and hands
// each item to `row` in item order. With --leads, lead records stream: the worker whose
// item is next in line passes its chunks to `leads` at once, the others hold theirs until
// their item comes next.
ExecutorStats run_batch(const std::vector<model::ScenarioConfig>& cfgs, const Settings& settings, const Batch& b,
                        const std::function<void(int k, int rep, model::ReplicationOutput&&)>& row,
                        const std::function<void(int k, std::span<const model::LeadRecord>)>& leads,
                        const std::function<void(long long emitted)>& progress) {
    const long long stride = stride_of(cfgs, settings);
    std::map<long long, std::vector<model::LeadRecord>> held;
    auto emit = [&](long long j, model::ReplicationOutput&& o) {
        const auto [k, rep] = b.decode(j);
        row(k, rep, std::move(o));
        if (auto h = held.find(j + 1); h != held.end()) {
            leads(b.decode(j + 1).first, h->second);
            held.erase(h);
        }
        progress(j + 1);
    };
    // With lead logs in flight, fewer items run ahead of the emitted one: what they hold
    // is in memory until their turn.
    const long long window = settings.leads ? 4LL * std::max(1, settings.threads) + 8 : 0;
    OrderedExecutor exec(0, b.count, emit, &install_stop_signal(), window);
    std::vector<model::ModelOptions> opts(cfgs.size(), model_options(settings));
    if (settings.leads)
        for (std::size_t k = 0; k < cfgs.size(); ++k)
            opts[k].lead_sink = [&, k](int rep, std::span<const model::LeadRecord> chunk) {
                const long long j = b.encode(static_cast<int>(k), rep);
                exec.with_emission_lock([&](long long next) {
                    if (j == next) {
                        leads(static_cast<int>(k), chunk);
                    } else {
                        auto& h = held[j];
                        h.insert(h.end(), chunk.begin(), chunk.end());
                    }
                });
            };
    const std::uint64_t id = model::next_run_id();
    auto compute = [&](long long j) {
        const auto [k, rep] = b.decode(j);
        return model::run_on_thread_model(
            id, k, [&, k = k] { return cfgs[static_cast<std::size_t>(k)]; }, rep, opts[static_cast<std::size_t>(k)]);
    };
    auto wire = [&](long long j) {
        const auto [k, rep] = b.decode(j);
        return static_cast<long long>(k) * stride + rep;
    };
    return distribute_items(exec, settings.threads, compute, wire);
}

}  // namespace

void require_precision_metric(const std::vector<model::ScenarioConfig>& cfgs, const Settings& settings) {
    if (!settings.precision) return;
    for (const auto& cfg : cfgs) {
        const model::MetricCatalog catalog(cfg);
        if (catalog.index_of(settings.metric) < 0)
            throw UsageError("--metric: scenario '" + cfg.name + "' has no metric '" + settings.metric + "'" +
                             input::suggestion(settings.metric, catalog.names()));
    }
}

void serve_scenarios(const std::vector<model::ScenarioConfig>& cfgs, const Settings& settings) {
    // Other ranks compute whole replications (with series and lead records) and send them.
    const long long stride = stride_of(cfgs, settings);
    const auto opt = model_options(settings);
    const std::uint64_t id = model::next_run_id();
    serve_items([&](long long wire) {
        const long long k = wire / stride;
        if (k < 0 || k >= static_cast<long long>(cfgs.size())) throw std::runtime_error("item out of range");
        return model::run_on_thread_model(
            id, k, [&] { return cfgs[static_cast<std::size_t>(k)]; }, static_cast<int>(wire % stride), opt);
    });
}

BatchOutcome simulate_scenarios(const std::vector<model::ScenarioConfig>& cfgs, const Settings& settings,
                                model::Recorder& recorder, Progress& progress) {
    BatchOutcome out;
    std::vector<model::MetricCatalog> catalogs;
    for (const auto& c : cfgs) catalogs.emplace_back(c);
    require_precision_metric(cfgs, settings);
    const int scenarios = static_cast<int>(cfgs.size());
    std::vector<int> metric_in(cfgs.size(), -1);
    for (std::size_t k = 0; k < cfgs.size() && settings.precision; ++k) metric_in[k] = catalogs[k].index_of(settings.metric);
    const int metric = metric_in[0];
    const int reps = cfgs[0].simulation.replications;

    if (!settings.precision) {
        // Scenario-major: every replication of the first scenario, then the next's; each
        // scenario's run is opened when its first record arrives and closed with its last.
        const long long total = static_cast<long long>(reps) * scenarios;
        std::vector<ScenarioResult> results;
        int open = -1;
        auto close = [&] {
            auto& s = results.back();
            s.summary = model::summarise(catalogs[static_cast<std::size_t>(open)], s.rows);
            recorder.end_run(s.summary);
        };
        auto ensure = [&](int k) {
            while (open < k) {
                if (open >= 0) close();
                ++open;
                const auto& cat = catalogs[static_cast<std::size_t>(open)];
                recorder.begin_run(model::run_info(cfgs[static_cast<std::size_t>(open)], cat, reps));
                results.push_back(ScenarioResult{cat.names(), {}, {}, 0});
            }
        };
        ensure(0);
        Batch b;
        b.count = total;
        b.decode = [&](long long j) { return std::pair<int, int>(static_cast<int>(j / reps), static_cast<int>(j % reps)); };
        b.encode = [&](int k, int rep) { return static_cast<long long>(k) * reps + rep; };
        const auto stats = run_batch(
            cfgs, settings, b,
            [&](int k, int rep, model::ReplicationOutput&& o) {
                ensure(k);
                recorder.replication(rep, o.metrics);
                if (o.series.rows() > 0) recorder.series(rep, o.series);
                if (!o.leads.empty()) recorder.leads(o.leads);
                results.back().rows.push_back(std::move(o.metrics));
                results.back().events += o.events;
            },
            [&](int k, std::span<const model::LeadRecord> chunk) {
                ensure(k);
                recorder.leads(chunk);
            },
            [&](long long done) { progress.update(done, total); });
        close();
        out.scenarios = std::move(results);
        out.interrupted = stats.stopped;
        out.replications = reps;
        return out;
    }

    // --precision: batches in memory, every scenario the same replications (paired),
    // replication-major so that a stop loses at most one incomplete pair.
    std::vector<model::MemoryRecorder> mem(cfgs.size());
    for (std::size_t k = 0; k < cfgs.size(); ++k) mem[k].info = model::run_info(cfgs[k], catalogs[k], 0);
    std::vector<std::uint64_t> events(cfgs.size(), 0);
    int n = 0;
    int target = std::min(std::max(reps, 2), settings.max_replications);
    for (;;) {
        Batch b;
        b.count = static_cast<long long>(target - n) * scenarios;
        const int from = n;
        b.decode = [&](long long j) { return std::pair<int, int>(static_cast<int>(j % scenarios), from + static_cast<int>(j / scenarios)); };
        b.encode = [&](int k, int rep) { return static_cast<long long>(rep - from) * scenarios + k; };
        const auto stats = run_batch(
            cfgs, settings, b,
            [&](int k, int rep, model::ReplicationOutput&& o) {
                auto& m = mem[static_cast<std::size_t>(k)];
                m.replication(rep, o.metrics);
                if (o.series.rows() > 0) m.series(rep, o.series);
                if (!o.leads.empty()) m.leads(o.leads);
                events[static_cast<std::size_t>(k)] += o.events;
            },
            [&](int k, std::span<const model::LeadRecord> chunk) { mem[static_cast<std::size_t>(k)].leads(chunk); },
            [&](long long done) {
                progress.update(static_cast<long long>(from) * scenarios + done, static_cast<long long>(target) * scenarios);
            });
        if (stats.stopped) {
            out.interrupted = true;
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
            const auto c = check_precision(v, *settings.precision);
            enough = enough && c.enough;
            worst = std::max(worst, c.relative_half_width);
        }
        out.achieved_percent = worst;
        if (enough || n >= settings.max_replications) {
            out.precision_met = enough;
            break;
        }
        target = next_replication_count(n, worst, *settings.precision, std::max(1, settings.threads), settings.max_replications);
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
