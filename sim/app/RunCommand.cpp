// `salesflow run`: one scenario, its replications, one results file.
#include <chrono>
#include "kernel/Time.hpp"
#include <iostream>

#include "app/Commands.hpp"
#include "app/ConsoleReport.hpp"
#include "app/Progress.hpp"
#include "app/ScenarioBatch.hpp"
#include "app/ScenarioInput.hpp"
#include "app/Version.hpp"
#include "app/WorkDistribution.hpp"
#include "input/InputError.hpp"
#include "models/MetricCatalog.hpp"
#include "models/TrafficEstimate.hpp"
#include "output/Hdf5Recorder.hpp"
#include "output/ResultsFile.hpp"

namespace salesflow::app {

int run_command(const Settings& settings) {
    model::ScenarioConfig cfg;
    try {
        cfg = load_for_command(settings.files[0], settings.overrides);
    } catch (const input::InputError& e) {
        if (is_root_rank()) std::cerr << e.what() << "\n";
        return 2;
    }
    require_precision_metric({cfg}, settings);
    if (world_size() > 1) {
        if (!is_root_rank()) {
            serve_scenarios({cfg}, settings);
            return 0;
        }
    }
    // The estimate is only printed: with --quiet it is not computed at all.
    if (!settings.quiet) print_estimate(std::cout, cfg, model::estimate_traffic(cfg));
    if (settings.estimate_only) return 0;

    const std::string out = settings.output.empty() ? "results/" + cfg.name + ".h5" : settings.output;
    check_output_path(out);
    // Everything goes to a temporary file that only a complete run renames into place.
    auto file = output::ResultsFile::create(out, version_string, settings.invocation);
    output::Hdf5Recorder recorder(file);
    Progress progress(settings.quiet, "replications");
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = simulate_scenarios({cfg}, settings, recorder, progress);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.finish();
    const std::string group = "/runs/" + cfg.name;
    const auto& done = result.scenarios.front().rows;
    file.set_int_attribute(group, "complete", result.interrupted ? 0 : 1);
    if (result.interrupted) {
        file.set_int_attribute(group, "replications_requested", result.replications);
        file.set_int_attribute(group, "replications", static_cast<std::int64_t>(done.size()));
    }
    if (settings.precision) {
        file.set_double_attribute(group, "precision_target_percent", *settings.precision);
        file.set_string_attribute(group, "precision_metric", settings.metric);
        file.set_double_attribute(group, "precision_achieved_percent", result.achieved_percent);
    }
    file.commit();
    if (result.interrupted) {
        std::cerr << "salesflow: interrupted: " << done.size() << " completed replications kept in " << out
                  << " (marked incomplete)\n";
        return 1;
    }

    if (!settings.quiet) {
        const auto& s = result.scenarios.front();
        std::cout << "\n" << cfg.name << ": " << result.replications << " replications of "
                  << cfg.simulation.horizon_h / kernel::hours_per_week << " weeks (warm-up " << cfg.simulation.warmup_h / kernel::hours_per_week
                  << "), seed " << cfg.simulation.seed << ", " << secs << " s, "
                  << static_cast<double>(s.events) / secs / 1e6 << " M events/s on " << settings.threads << " thread(s)\n";
        if (settings.precision)
            std::cout << "precision: " << result.replications << " replications give a 95% half-width of "
                      << result.achieved_percent << "% of the mean of " << settings.metric << " (target " << *settings.precision
                      << "%" << (result.precision_met ? "" : ", NOT reached: cap --max-replications") << ")\n";
        print_summary(std::cout, cfg, s.summary);
        std::cout << "results: " << out << "\n";
    }
    return 0;
}

}  // namespace salesflow::app
