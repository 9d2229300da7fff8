// `salesflow sweep`: one or more scenarios at many parameter points. Work items are
// (point, replication, scenario), run dynamically over threads (or MPI ranks) and written
// in item order, so the file is the same whatever the parallelism. Every scenario of a
// point runs replication r on the same random numbers (the first scenario's seed, as
// compare), so its paired differences are compare's. Rows stream to a temporary file
// and, item by item, to a journal (SweepJournal): SIGINT/SIGTERM/SIGHUP stop cleanly
// with every completed item committed, a kill loses only the items in flight, and
// --resume continues from the file and the journal.
//
// Under --precision a point's replications are not known in advance (SweepPrecision):
// points run in chunks, each chunk in rounds (every unfinished point of the chunk adds
// its next batch; the rule judges each point on its own numbers), and a chunk's finished
// points are written in point order. A stop keeps the finished points at the front of
// the chunk; the rows of the others are computed again by --resume.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "app/Commands.hpp"
#include "app/Progress.hpp"
#include "app/ScenarioInput.hpp"
#include "app/StopSignal.hpp"
#include "app/SweepPrecision.hpp"
#include "app/SweepWriter.hpp"
#include "app/Version.hpp"
#include "app/WorkDistribution.hpp"
#include "input/InputError.hpp"
#include "input/SweepPlan.hpp"
#include "input/TextUtil.hpp"
#include "models/MetricCatalog.hpp"
#include "models/SalesModel.hpp"
#include "output/Table.hpp"
#include "output/OutputTarget.hpp"

namespace salesflow::app {

namespace {

// The metrics of a sweep: every metric of any of its scenarios, the first one's in its
// order, then those only later ones have, in order of appearance (as compare's table);
// a scenario without a metric reports NaN in its column.
struct SweepMetrics {
    std::vector<model::MetricInfo> infos;
    std::vector<std::vector<std::size_t>> column;   // [scenario][its metric] -> sweep column
    std::vector<std::size_t> count;                 // metrics of each scenario's base
    int index_of(const std::string& name) const {
        for (std::size_t i = 0; i < infos.size(); ++i)
            if (infos[i].name == name) return static_cast<int>(i);
        return -1;
    }
};

SweepMetrics sweep_metrics(const input::SweepPlan& plan) {
    SweepMetrics m;
    std::map<std::string, std::size_t> at;
    for (std::size_t s = 0; s < plan.scenario_count(); ++s) {
        const model::MetricCatalog catalog(plan.base(s));
        m.column.emplace_back();
        m.count.push_back(catalog.size());
        for (const auto& info : catalog.metrics()) {
            auto [it, fresh] = at.emplace(info.name, m.infos.size());
            if (fresh) m.infos.push_back(info);
            m.column.back().push_back(it->second);
        }
    }
    return m;
}

// One model per scenario per thread, rebuilt when the point changes.
struct Slot {
    std::uint64_t run_id = 0;
    long long point = -1;
    std::unique_ptr<model::ScenarioConfig> cfg;
    std::unique_ptr<model::MetricCatalog> catalog;
    std::unique_ptr<model::SalesModel> model;
};

// Replication `rep` of scenario `s` at `point`, its metrics in the sweep's columns.
// Metrics only (no series or lead records).
model::ReplicationOutput compute_sweep_item(std::uint64_t run_id, const input::SweepPlan& plan, const SweepMetrics& metrics,
                                            long long point, std::size_t s, int rep) {
    thread_local std::vector<Slot> slots;
    if (slots.size() < plan.scenario_count()) slots.resize(plan.scenario_count());
    Slot& slot = slots[s];
    if (slot.run_id != run_id || slot.point != point || !slot.model) {
        slot.model.reset();  // it refers to the old scenario and catalogue
        slot.run_id = 0;
        slot.cfg = std::make_unique<model::ScenarioConfig>(plan.scenario(static_cast<std::size_t>(point), s));
        slot.catalog = std::make_unique<model::MetricCatalog>(*slot.cfg);
        if (slot.catalog->size() != metrics.count[s])
            throw std::runtime_error("scenario '" + slot.cfg->name + "' at point " + std::to_string(point) +
                                     " has a different set of metrics");
        slot.model = std::make_unique<model::SalesModel>(*slot.cfg, *slot.catalog);
        slot.run_id = run_id;
        slot.point = point;
    }
    auto out = slot.model->run(rep);
    out.series = {};
    if (plan.scenario_count() > 1) {
        std::vector<double> row(metrics.infos.size(), NAN);
        for (std::size_t k = 0; k < out.metrics.size(); ++k) row[metrics.column[s][k]] = out.metrics[k];
        out.metrics = std::move(row);
    }
    return out;
}

// Item numbers. Without --precision: ((point x replications) + replication) x scenarios
// + scenario, the order of the tables. Under --precision the number other ranks know an
// item by uses the cap as stride: ((point x cap) + replication) x scenarios + scenario.
struct ItemCode {
    long long reps = 1;
    long long scenarios = 1;
    long long encode(long long point, long long rep, long long s) const { return (point * reps + rep) * scenarios + s; }
    void decode(long long item, long long& point, int& rep, std::size_t& s) const {
        s = static_cast<std::size_t>(item % scenarios);
        rep = static_cast<int>((item / scenarios) % reps);
        point = item / scenarios / reps;
    }
};

}  // namespace

int sweep_command(const Settings& settings) {
    std::optional<input::SweepPlan> loaded;
    SweepMetrics metrics;
    std::optional<SweepPrecision> precision;
    try {
        // --seed and --replications reach the base scenario like any --set (a sweep's own
        // `replications` still wins over the scenario's, as cli-core.md says).
        loaded = input::SweepPlan::load(settings.files[0], scenario_overrides(settings.overrides));
        auto columns = loaded->paths();
        columns.push_back("point");
        if (loaded->listed()) columns.push_back("scenario");
        if (settings.precision) {
            columns.push_back("replications");
            columns.push_back("precision_achieved_percent");
        }
        for (std::size_t s = 0; s < loaded->scenario_count(); ++s) check_results_fit(loaded->base(s), columns);
        metrics = sweep_metrics(*loaded);
        if (loaded->scenario_count() > 1) {
            output::TableSchema schema;
            schema.add_int64("replication");
            for (const auto& c : columns) schema.add_text(c);
            for (const auto& m : metrics.infos) schema.add_float64(m.name);
            if (!output::Table::fits(schema))
                throw input::InputError({input::Diagnostic(
                    input::Position{settings.files[0], 0, 0}, "scenarios",
                    "the listed scenarios have " + std::to_string(metrics.infos.size()) +
                        " metrics together: more columns than one results table can describe; list fewer scenarios")});
        }
    } catch (const input::InputError& e) {
        if (is_root_rank()) std::cerr << e.what() << "\n";
        return 2;
    }
    const input::SweepPlan& plan = *loaded;
    if (settings.precision) {
        // The metric must be one that every listed scenario reports.
        for (std::size_t s = 0; s < plan.scenario_count(); ++s) {
            const model::MetricCatalog catalog(plan.base(s));
            if (catalog.index_of(settings.metric) < 0) {
                if (is_root_rank())
                    std::cerr << "salesflow: --metric: scenario '" << plan.base(s).name << "' has no metric '" << settings.metric
                              << "'" << input::suggestion(settings.metric, catalog.names()) << "\n";
                return 2;
            }
        }
        precision = SweepPrecision{*settings.precision, settings.metric, settings.max_replications,
                                   static_cast<std::size_t>(metrics.index_of(settings.metric))};
    }
    const int reps = settings.overrides.replications ? *settings.overrides.replications : plan.replications();
    const long long S = static_cast<long long>(plan.scenario_count());
    // Every factor is bounded (10 million points, 2^31 - 1 replications, 8 scenarios): no overflow.
    if (plan.points() == 0 || plan.points() > 10'000'000ULL) throw std::runtime_error("sweep: the plan has no points or too many");
    const long long points = static_cast<long long>(plan.points());
    const long long total = points * reps * S;   // items without --precision
    const std::string out = settings.output.empty() ? "results/" + output::bounded_name(plan.name(), ".h5") : settings.output;
    const auto& stop = install_stop_signal();
    const ItemCode code{precision ? precision->cap : reps, S};

    // Workers of an MPI run only compute; the root rank decides and writes.
    if (!is_root_rank()) {
        const std::uint64_t id = model::next_run_id();
        serve_items([&](long long item) {
            long long point = 0;
            int rep = 0;
            std::size_t s = 0;
            code.decode(item, point, rep, s);
            return compute_sweep_item(id, plan, metrics, point, s, rep);
        });
        return 0;
    }

    check_output_path(out);
    SweepWriter::Identity id{plan.name(), plan.resolved_yaml(), plan.base().resolved_yaml, {}, reps, points, precision};
    for (std::size_t s = 0; s < plan.scenario_count(); ++s) id.scenarios_yaml.push_back(plan.base(s).resolved_yaml);
    std::unique_ptr<SweepWriter> writer;
    try {
        writer = settings.resume ? SweepWriter::resume(out, id, plan, metrics.infos, settings.invocation)
                                 : SweepWriter::create(out, id, plan, metrics.infos, settings.invocation);
    } catch (const UsageError& e) {
        std::cerr << "salesflow: " << e.what() << "\n";
        stop_workers();
        return 2;
    }
    const long long done_before = writer->completed();
    const long long points_before = writer->completed_points();
    writer->note_run(world_size(), settings.resume ? done_before : 0);
    if (points_before >= points) {
        if (!settings.quiet) std::cout << "sweep " << plan.name() << ": already complete in " << out << "\n";
        writer->finish(true);
        stop_workers();
        return 0;
    }
    if (!settings.quiet) {
        std::cout << "sweep " << plan.name() << ": " << points << " points x ";
        if (S > 1) std::cout << S << " scenarios x ";
        if (precision)
            std::cout << "replications until the 95% half-width of " << precision->metric
                      << (S > 1 ? " (paired difference)" : "") << " is within " << precision->target_percent
                      << "% (from " << first_target(reps, *precision) << ", at most " << precision->cap << ")";
        else
            std::cout << reps << " replications = " << total << " items";
        std::cout << (done_before > 0 ? ", resuming after " + std::to_string(done_before) : "") << ", "
                  << describe_parallelism(settings.threads) << "\n";
    }

    Progress progress(settings.quiet, precision ? "points" : "items");
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t run_id = model::next_run_id();
    long long emitted = 0;
    bool complete = false;
    try {
        if (!precision) {
            auto emit = [&](long long item, model::ReplicationOutput&& row) {
                writer->add(item, row.metrics);
                progress.update(item + 1 - done_before, total - done_before);
            };
            auto compute = [&](long long item) {
                long long point = 0;
                int rep = 0;
                std::size_t s = 0;
                code.decode(item, point, rep, s);
                return compute_sweep_item(run_id, plan, metrics, point, s, rep);
            };
            OrderedExecutor exec(done_before, total, emit, &stop);
            const auto stats = distribute_items(exec, settings.threads, compute);
            emitted = stats.emitted;
            complete = done_before + stats.emitted >= total;
        } else {
            // Chunks of points in rounds (see the top of this file). The chunk size only
            // sets how many points run side by side, never a point's numbers.
            const long long chunk = std::max<long long>(16, 4LL * settings.threads * world_size());
            long long next = points_before, row = done_before;
            bool stopped = false;
            while (next < points && !stopped) {
                const long long end = std::min(points, next + chunk);
                struct PointState {
                    int have = 0, target = 0;
                    bool done = false;
                    double achieved = 0.0;
                    std::vector<std::vector<double>> rows;   // replication-major
                };
                std::vector<PointState> st(static_cast<std::size_t>(end - next));
                for (auto& p : st) p.target = first_target(reps, *precision);
                for (;;) {
                    struct Item {
                        long long point;
                        int rep;
                        std::size_t s;
                    };
                    std::vector<Item> items;
                    for (long long p = next; p < end; ++p) {
                        auto& ps = st[static_cast<std::size_t>(p - next)];
                        if (ps.done) continue;
                        ps.rows.resize(static_cast<std::size_t>(ps.target * S));
                        for (int r = ps.have; r < ps.target; ++r)
                            for (std::size_t s = 0; s < static_cast<std::size_t>(S); ++s) items.push_back({p, r, s});
                    }
                    if (items.empty()) break;
                    auto emit = [&](long long j, model::ReplicationOutput&& o) {
                        const Item& it = items[static_cast<std::size_t>(j)];
                        st[static_cast<std::size_t>(it.point - next)].rows[static_cast<std::size_t>(it.rep) * static_cast<std::size_t>(S) + it.s] =
                            std::move(o.metrics);
                    };
                    auto compute = [&](long long j) {
                        const Item& it = items[static_cast<std::size_t>(j)];
                        return compute_sweep_item(run_id, plan, metrics, it.point, it.s, it.rep);
                    };
                    auto wire = [&](long long j) {
                        const Item& it = items[static_cast<std::size_t>(j)];
                        return code.encode(it.point, it.rep, static_cast<long long>(it.s));
                    };
                    OrderedExecutor exec(0, static_cast<long long>(items.size()), emit, &stop);
                    const auto stats = distribute_items(exec, settings.threads, compute, wire);
                    if (stats.stopped) {
                        stopped = true;
                        break;
                    }
                    for (auto& ps : st) {
                        if (ps.done) continue;
                        ps.have = ps.target;
                        std::vector<double> vals;
                        for (const auto& r : ps.rows) vals.push_back(r[precision->column]);
                        const auto v = judge_point(*precision, vals, ps.have, static_cast<std::size_t>(S));
                        if (v.done) {
                            ps.done = true;
                            ps.achieved = v.achieved_percent;
                        } else {
                            ps.target = v.next;
                        }
                    }
                }
                // The finished points at the front of the chunk, in point order.
                for (auto& ps : st) {
                    if (!ps.done) break;
                    for (const auto& r : ps.rows) writer->add(row++, r);
                    ++next;
                    ++emitted;
                    progress.update(next - points_before, points - points_before);
                }
            }
            complete = next >= points;
        }
        progress.finish();
        writer->finish(complete);
    } catch (const std::exception& e) {
        // A full disk, a file-size limit, a failing item: the results file is not
        // replaced, but every item completed so far is in the journal.
        progress.finish();
        std::cerr << "salesflow: error: " << e.what() << "\nsalesflow: the " << writer->completed()
                  << " items completed are kept in the journal beside " << out
                  << "; once the cause is fixed, continue with: salesflow sweep " << settings.files[0] << " --resume -o "
                  << out << "\n";
        writer.reset();
        stop_workers();
        return 1;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const long long items_now = writer->completed();
    if (!complete) {
        std::cerr << "salesflow: interrupted: " << items_now << (precision ? "" : " of " + std::to_string(total))
                  << " items kept in " << out << "; continue with: salesflow sweep " << settings.files[0]
                  << " --resume -o " << out << "\n";
        return 1;
    }
    if (!settings.quiet) {
        const long long ran = items_now - done_before;
        std::cout << "sweep " << plan.name() << ": " << ran << " items in " << secs << " s ("
                  << static_cast<double>(ran) / secs << " replications/s)";
        if (precision) std::cout << ", " << emitted << " points";
        std::cout << "\nresults: " << out << "\n";
    }
    return 0;
}

}  // namespace salesflow::app
