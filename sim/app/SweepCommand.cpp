// `salesflow sweep`: a base scenario at many parameter points. Work items are
// (point, replication), run dynamically over threads (or MPI ranks) and written in item
// order, so the file is the same whatever the parallelism. Rows stream to a temporary
// file and, item by item, to a journal (SweepJournal): SIGINT/SIGTERM/SIGHUP stop cleanly
// with every completed item committed, a kill loses only the items in flight, and
// --resume continues from the file and the journal.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "app/Commands.hpp"
#include "app/Progress.hpp"
#include "app/ScenarioInput.hpp"
#include "app/StopSignal.hpp"
#include "app/SweepWriter.hpp"
#include "app/Version.hpp"
#include "app/WorkDistribution.hpp"
#include "input/InputError.hpp"
#include "input/SweepPlan.hpp"
#include "models/MetricCatalog.hpp"
#include "output/OutputTarget.hpp"

namespace salesflow::app {

namespace {

// Item = point x replications + replication. Metrics only (no series or lead records).
model::ReplicationOutput compute_sweep_item(std::uint64_t run_id, const input::SweepPlan& plan, int reps,
                                            std::size_t metrics, long long item) {
    const long long point = item / reps;
    auto out = model::run_on_thread_model(
        run_id, point, [&] { return plan.scenario(static_cast<std::size_t>(point)); }, static_cast<int>(item % reps),
        {}, metrics);
    out.series = {};
    return out;
}

}  // namespace

int sweep_command(const Settings& settings) {
    std::optional<input::SweepPlan> loaded;
    try {
        // --seed and --replications reach the base scenario like any --set (a sweep's own
        // `replications` still wins over the scenario's, as cli-core.md says).
        loaded = input::SweepPlan::load(settings.files[0], scenario_overrides(settings.overrides));
        auto columns = loaded->paths();
        columns.push_back("point");
        check_results_fit(loaded->base(), columns);
    } catch (const input::InputError& e) {
        if (is_root_rank()) std::cerr << e.what() << "\n";
        return 2;
    }
    const input::SweepPlan& plan = *loaded;
    const int reps = settings.overrides.replications ? *settings.overrides.replications : plan.replications();
    // Both factors are bounded (10 million points, 2^31 - 1 replications): no overflow.
    if (plan.points() == 0 || plan.points() > 10'000'000ULL) throw std::runtime_error("sweep: the plan has no points or too many");
    const long long total = static_cast<long long>(plan.points()) * reps;
    const model::MetricCatalog catalog(plan.base());
    const std::string out = settings.output.empty() ? "results/" + output::bounded_name(plan.name(), ".h5") : settings.output;
    const auto& stop = install_stop_signal();

    // Workers of an MPI run only compute; the root rank decides and writes.
    if (!is_root_rank()) {
        const std::uint64_t id = model::next_run_id();
        serve_items([&](long long item) { return compute_sweep_item(id, plan, reps, catalog.size(), item); });
        return 0;
    }

    check_output_path(out);
    SweepWriter::Identity id{plan.name(), plan.resolved_yaml(), plan.base().resolved_yaml, reps,
                             static_cast<long long>(plan.points())};
    std::unique_ptr<SweepWriter> writer;
    try {
        writer = settings.resume ? SweepWriter::resume(out, id, plan, catalog.metrics(), settings.invocation)
                           : SweepWriter::create(out, id, plan, catalog.metrics(), settings.invocation);
    } catch (const UsageError& e) {
        std::cerr << "salesflow: " << e.what() << "\n";
        stop_workers();
        return 2;
    }
    const long long done_before = writer->completed();
    writer->note_run(world_size(), settings.resume ? done_before : 0);
    if (done_before >= total) {
        if (!settings.quiet) std::cout << "sweep " << plan.name() << ": already complete in " << out << "\n";
        writer->finish(true);
        stop_workers();
        return 0;
    }
    if (!settings.quiet)
        std::cout << "sweep " << plan.name() << ": " << plan.points() << " points x " << reps << " replications = "
                  << total << " items" << (done_before > 0 ? ", resuming after " + std::to_string(done_before) : "")
                  << ", " << describe_parallelism(settings.threads) << "\n";

    Progress progress(settings.quiet, "items");
    const auto t0 = std::chrono::steady_clock::now();
    auto emit = [&](long long item, model::ReplicationOutput&& row) {
        writer->add(item, row.metrics);
        progress.update(item + 1 - done_before, total - done_before);
    };
    const std::uint64_t run_id = model::next_run_id();
    auto compute = [&](long long item) { return compute_sweep_item(run_id, plan, reps, catalog.size(), item); };
    ExecutorStats stats;
    bool complete = false;
    try {
        OrderedExecutor exec(done_before, total, emit, &stop);
        stats = distribute_items(exec, settings.threads, compute);
        progress.finish();
        complete = done_before + stats.emitted >= total;
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
    if (!complete) {
        std::cerr << "salesflow: interrupted: " << done_before + stats.emitted << " of " << total
                  << " items kept in " << out << "; continue with: salesflow sweep " << settings.files[0]
                  << " --resume -o " << out << "\n";
        return 1;
    }
    if (!settings.quiet)
        std::cout << "sweep " << plan.name() << ": " << stats.emitted << " items in " << secs << " s ("
                  << static_cast<double>(stats.emitted) / secs << " replications/s)\nresults: " << out << "\n";
    return 0;
}

}  // namespace salesflow::app
