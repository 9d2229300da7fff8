// `salesflow compare`: several organisations facing the same market, with common random
// numbers, so that differences are measured on the same leads and their intervals are
// paired (replication r of each scenario sees the same arrivals). `--set NAME:PATH=VALUE`
// changes one file (CompareSets); every metric of any file is in the comparison table;
// the probability that each organisation is best comes from BestProbability.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>

#include "app/BestProbability.hpp"
#include "app/Commands.hpp"
#include "app/CompareSets.hpp"
#include "app/ConsoleReport.hpp"
#include "app/Progress.hpp"
#include "app/ScenarioBatch.hpp"
#include "app/ScenarioInput.hpp"
#include "app/Version.hpp"
#include "app/WorkDistribution.hpp"
#include "input/Diagnostic.hpp"
#include "input/InputError.hpp"
#include "input/TextUtil.hpp"
#include "input/TreeLoader.hpp"
#include "models/MetricCatalog.hpp"
#include "kernel/Summary.hpp"
#include "models/TrafficEstimate.hpp"
#include "models/analysis/Explanation.hpp"
#include "output/Hdf5Recorder.hpp"
#include "output/ResultsFile.hpp"
#include "output/OutputTarget.hpp"

namespace salesflow::app {

namespace {

// One row per (metric, scenario that has it) for every metric of any scenario: the
// first scenario's metrics in its order, then those only later ones have, in order of
// appearance. A scenario without the metric (a stage or role it does not have) has no
// row; a paired difference needs the metric in both it and the first scenario (else NaN).
// For a metric with a direction that every scenario has, each row also carries the
// probability over paired replications that its scenario is best on it.
std::vector<ComparisonRow> paired_rows(const std::vector<model::ScenarioConfig>& cfgs,
                                       const std::vector<ScenarioResult>& runs) {
    std::vector<ComparisonRow> out;
    std::vector<std::string> names;
    std::vector<std::map<std::string, std::size_t>> index(runs.size());
    std::map<std::string, model::Direction> direction;
    for (std::size_t s = 0; s < runs.size(); ++s) {
        const model::MetricCatalog catalog(cfgs[s]);
        for (std::size_t k = 0; k < runs[s].metrics.size(); ++k) {
            const std::string& name = runs[s].metrics[k];
            index[s][name] = k;
            if (direction.emplace(name, catalog.info(k).direction).second) names.push_back(name);
        }
    }
    const auto& base = runs.front();
    for (const auto& name : names) {
        const auto mb = index[0].find(name);
        std::vector<std::vector<double>> values;
        for (std::size_t s = 0; s < runs.size(); ++s) {
            const auto mk = index[s].find(name);
            if (mk == index[s].end()) break;
            values.emplace_back();
            for (const auto& row : runs[s].rows) values.back().push_back(row[mk->second]);
        }
        std::vector<BestShare> best;
        if (values.size() == runs.size() && direction[name] != model::Direction::neither)
            best = best_probability(values, direction[name]);
        for (std::size_t s = 0; s < runs.size(); ++s) {
            const auto& run = runs[s];
            ComparisonRow row;
            row.metric = name;
            row.scenario = cfgs[s].name;
            row.direction = direction[name];
            const auto mk = index[s].find(name);
            if (mk == index[s].end()) continue;  // no row for a scenario without the metric
            const std::size_t k = mk->second;
            row.mean = run.summary[k].mean;
            row.ci_low = run.summary[k].ci_low;
            row.ci_high = run.summary[k].ci_high;
            if (!best.empty()) {
                row.best = best[s].share;
                row.best_ci_low = best[s].ci_low;
                row.best_ci_high = best[s].ci_high;
            }
            if (mb == index[0].end()) {
                row.diff = row.diff_ci_low = row.diff_ci_high = row.rel_change = NAN;
                out.push_back(row);
                continue;
            }
            const std::size_t m = mb->second;
            std::vector<double> diff(run.rows.size());
            for (std::size_t r = 0; r < run.rows.size(); ++r) diff[r] = run.rows[r][k] - base.rows[r][m];
            const auto d = kernel::summarize(diff);
            row.diff = d.mean;
            row.diff_ci_low = d.ci_low;
            row.diff_ci_high = d.ci_high;
            const double ref = base.summary[m].mean;
            row.rel_change = ref != 0.0 ? 100.0 * d.mean / std::abs(ref) : (d.mean == 0.0 ? 0.0 : NAN);
            out.push_back(row);
        }
    }
    return out;
}

// Colour on a terminal that allows it (NO_COLOR unset).
bool use_colour() { return ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr; }

}  // namespace

int compare_command(const Settings& settings) {
    std::vector<model::ScenarioConfig> cfgs;
    const std::string objective = settings.objective.empty() ? "profit" : settings.objective;
    try {
        // Each file's own sets: the plain ones and those addressed to it by NAME:.
        const auto sets = compare_sets(settings.files, settings.overrides.sets);
        ScenarioOverrides first = settings.overrides;
        first.sets = sets[0];
        cfgs.push_back(load_for_command(settings.files[0], first));
        // Common random numbers need one seed and one replication count for all.
        ScenarioOverrides rest = settings.overrides;
        rest.seed = cfgs[0].simulation.seed;
        rest.replications = cfgs[0].simulation.replications;
        for (std::size_t i = 1; i < settings.files.size(); ++i) {
            rest.sets = sets[i];
            cfgs.push_back(load_for_command(settings.files[i], rest));
        }
    } catch (const input::InputError& e) {
        if (is_root_rank()) std::cerr << e.what() << "\n";
        return 2;
    }
    for (const auto& c : cfgs)
        if (const auto problem = model::analysis::objective_problem(c, objective); !problem.empty()) {
            if (is_root_rank()) std::cerr << "salesflow: " << c.name << ": " << problem << "\n";
            return 2;
        }
    std::map<std::string, std::size_t> names;
    std::string cmp_name;
    for (std::size_t i = 0; i < cfgs.size(); ++i) {
        const auto& c = cfgs[i];
        if (const auto [at, fresh] = names.emplace(c.name, i); !fresh) {
            // Reported where the later file's name is written (it may come from a file it
            // extends, or from --set).
            input::Position where{settings.files[i], 1, 1};
            input::Diagnostics ignored;
            if (const auto tree = input::load_tree(settings.files[i], ignored))
                if (const input::ConfigNode* n = tree->find("name"); n && n->is_scalar() && n->text() == c.name)
                    where = n->pos();
            if (is_root_rank())
                std::cerr << input::Diagnostic(where, "name",
                                               "two compared scenarios are named " + input::quote(c.name) + " (" +
                                                   settings.files[at->second] + " and " + settings.files[i] +
                                                   "); names must differ: give one another name (--set STEM:name=OTHER "
                                                   "changes the file with that file stem), got " + input::quote(c.name))
                                 .str()
                          << "\n";
            return 2;
        }
        cmp_name += (cmp_name.empty() ? "" : "-vs-") + c.name;
    }
    if (world_size() > 1) {
        if (!is_root_rank()) {
            serve_scenarios(cfgs, settings);
            return 0;
        }
    }
    require_precision_metric(cfgs, settings);
    const std::string out = settings.output.empty() ? "results/" + output::bounded_name(cmp_name, ".h5") : settings.output;
    check_output_path(out);
    for (const auto& cfg : cfgs)
        for (const auto& w : model::estimate_traffic(cfg).warnings)
            if (!settings.quiet) std::cerr << cfg.name << ": warning: " << w << "\n";
    auto file = output::ResultsFile::create(out, version_string, settings.invocation);
    output::Hdf5Recorder recorder(file);
    Progress progress(settings.quiet, "replications");
    const auto t0 = std::chrono::steady_clock::now();
    const auto batch = simulate_scenarios(cfgs, settings, recorder, progress);
    progress.finish();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const int reps = batch.replications;
    if (batch.interrupted) {
        // Keep the runs simulated so far, marked incomplete; no comparison is drawn.
        for (std::size_t k = 0; k < batch.scenarios.size(); ++k) {
            const std::string group = "/runs/" + cfgs[k].name;
            file.set_int_attribute(group, "complete", 0);
            file.set_int_attribute(group, "replications", static_cast<std::int64_t>(batch.scenarios[k].rows.size()));
        }
        file.commit();
        std::cerr << "salesflow: interrupted: the completed replications are kept in " << out
                  << " (marked incomplete), without the comparison table\n";
        return 1;
    }
    const auto rows = paired_rows(cfgs, batch.scenarios);
    const std::string table = "/comparisons/" + cmp_name;
    output::TableSchema schema;
    schema.add_text("metric").add_text("scenario");
    for (const char* c : {"mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high", "rel_change", "best_share",
                          "best_ci_low", "best_ci_high"})
        schema.add_float64(c);
    auto t = file.create_table(table, schema);
    auto table_rows = t.make_batch();
    for (const auto& r : rows) {
        table_rows.put_text(r.metric).put_text(r.scenario);
        for (double v : {r.mean, r.ci_low, r.ci_high, r.diff, r.diff_ci_low, r.diff_ci_high, r.rel_change, r.best,
                         r.best_ci_low, r.best_ci_high})
            table_rows.put_float64(v);
    }
    t.append(table_rows);
    t.close();
    std::vector<std::string> scenario_names;
    for (const auto& c : cfgs) scenario_names.push_back(c.name);
    file.set_string_array_attribute(table, "scenarios", scenario_names);
    file.set_string_attribute(table, "baseline", cfgs[0].name);
    file.set_int_attribute(table, "replications", reps);
    file.set_uint_attribute(table, "seed", cfgs[0].simulation.seed);
    file.set_string_attribute(table, "objective", objective);
    for (const auto& c : cfgs) file.set_int_attribute("/runs/" + c.name, "complete", 1);
    if (settings.precision) {
        file.set_double_attribute(table, "precision_target_percent", *settings.precision);
        file.set_string_attribute(table, "precision_metric", settings.metric);
        file.set_double_attribute(table, "precision_achieved_percent", batch.achieved_percent);
    }
    file.commit();

    if (!settings.quiet) {
        std::cout << "comparison " << cmp_name << ": " << reps << " paired replications each (seed "
                  << cfgs[0].simulation.seed << ", common random numbers), " << secs << " s\n"
                  << "mean [95% interval]; diff = paired difference from " << cfgs[0].name
                  << " [95% interval], relative change\n";
        if (settings.precision)
            std::cout << "precision: " << reps << " paired replications give a 95% half-width of "
                      << batch.achieved_percent << "% of the mean difference in " << settings.metric << " (target "
                      << *settings.precision << "%" << (batch.precision_met ? "" : ", NOT reached: cap --max-replications")
                      << ")\n";
        print_comparison(std::cout, rows, headline_metrics(cfgs[0]), use_colour());
        print_best(std::cout, rows, objective, reps);
        // Roles differ between organisations: each one's utilisation on its own line.
        for (std::size_t k = 0; k < cfgs.size(); ++k) {
            const model::MetricCatalog catalog(cfgs[k]);
            std::cout << "  utilisation, " << cfgs[k].name << ":";
            for (std::size_t r = 0; r < cfgs[k].roles.size(); ++r) {
                char buf[32];
                const int m = catalog.index_of(model::MetricCatalog::role_metric(cfgs[k].roles[r].name, "utilisation"));
                std::snprintf(buf, sizeof buf, " %.2f", batch.scenarios[k].summary[static_cast<std::size_t>(m)].mean);
                std::cout << " " << cfgs[k].roles[r].name << buf;
            }
            std::cout << "\n";
        }
        std::cout << "results: " << out << "\n";
    }
    return 0;
}

}  // namespace salesflow::app
