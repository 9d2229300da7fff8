// `salesflow run`: one scenario, its replications, one results file.
#include <chrono>
#include <iostream>

#include "app/Commands.hpp"
#include "app/ConsoleReport.hpp"
#include "app/Progress.hpp"
#include "app/ScenarioInput.hpp"
#include "app/Version.hpp"
#include "input/InputError.hpp"
#include "models/ReplicationRunner.hpp"
#include "models/TrafficEstimate.hpp"
#include "output/Hdf5Recorder.hpp"
#include "output/ResultsFile.hpp"

namespace salesflow::app {

int run_command(const CommandLine& cl) {
    model::ScenarioConfig cfg;
    try {
        cfg = load_for_command(cl.files[0], cl);
    } catch (const input::InputError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    const auto est = model::estimate_traffic(cfg);
    if (!cl.quiet) print_estimate(std::cout, cfg, est);
    if (cl.estimate_only) return 0;

    const std::string out = cl.output.empty() ? "results/" + cfg.name + ".h5" : cl.output;
    // Everything goes to a temporary file that only a complete run renames into place.
    auto file = output::ResultsFile::create(out, version_string, cl.invocation);
    output::Hdf5Recorder recorder(file);
    const model::MetricCatalog catalog(cfg);
    const int reps = cfg.simulation.replications;
    recorder.begin_run(model::run_info(cfg, catalog, reps));

    Progress progress(cl.quiet, "replications");
    model::RunOptions opt;
    opt.threads = cl.threads;
    opt.model.record_leads = cl.leads;
    opt.progress = [&](int done, int total) { progress.update(done, total); };
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = model::run_replications(cfg, catalog, opt, &recorder);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.finish();
    const auto summary = model::summarise(catalog, result.rows);
    recorder.end_run(summary);
    file.commit();

    if (!cl.quiet) {
        std::cout << "\n" << cfg.name << ": " << reps << " replications of " << cfg.simulation.horizon_h / 168.0
                  << " weeks (warm-up " << cfg.simulation.warmup_h / 168.0 << "), seed " << cfg.simulation.seed
                  << ", " << secs << " s, " << static_cast<double>(result.events) / secs / 1e6
                  << " M events/s on " << cl.threads << " thread(s)\n";
        print_summary(std::cout, cfg, summary);
        std::cout << "results: " << out << "\n";
    }
    return 0;
}

}  // namespace salesflow::app
