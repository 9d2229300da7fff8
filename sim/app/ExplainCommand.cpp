// `salesflow explain`: where a lead's time goes, where leads end, each role's load, and
// the constraint found by experiment (models/analysis/Explanation). This file builds the
// lever variants through the input layer (each lever is a `--set PATH=VALUE` after the
// user's), writes /explanations/<name> and prints the tables. Under MPI the items run
// on the one ordered executor across ranks (WorkDistribution); rank 0 alone writes.
#include <chrono>
#include <optional>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/Commands.hpp"
#include "app/StopSignal.hpp"
#include "app/ScenarioInput.hpp"
#include "app/Version.hpp"
#include "app/WorkDistribution.hpp"
#include "input/InputError.hpp"
#include "models/analysis/Explanation.hpp"
#include "output/ResultsFile.hpp"

namespace salesflow::app {

namespace {

using model::analysis::Explanation;
using model::analysis::StreamPart;
using model::analysis::stream_parts;

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

void write_explanation(output::ResultsFile& file, const Explanation& ex) {
    const std::string g = "/explanations/" + ex.name;
    {   // value_stream: one row per (subset, stage)
        output::TableSchema schema;
        schema.add_text("subset").add_text("stage");
        for (std::size_t p = 0; p < stream_parts; ++p) {
            const std::string n = model::analysis::stream_part_name(static_cast<StreamPart>(p));
            schema.add_float64(n + "_h").add_float64(n + "_ci_low").add_float64(n + "_ci_high");
        }
        schema.add_float64("total_h").add_float64("total_ci_low").add_float64("total_ci_high").add_float64("share");
        schema.add_float64("handoffs").add_float64("lead_time_h").add_float64("leads");
        auto t = file.create_table(g + "/value_stream", schema);
        auto b = t.make_batch();
        for (int k = 0; k < 2; ++k) {
            const auto& f = ex.stream[static_cast<std::size_t>(k)];
            for (std::size_t s = 0; s < f.stages.size(); ++s) {
                const auto& st = f.stages[s];
                b.put_text(k == 0 ? "all" : "won").put_text(ex.stage_names[s]);
                for (const auto& p : st.part) b.put_float64(p.mean).put_float64(p.ci_low).put_float64(p.ci_high);
                b.put_float64(st.total.mean).put_float64(st.total.ci_low).put_float64(st.total.ci_high);
                b.put_float64(f.lead_time.mean > 0 ? st.total.mean / f.lead_time.mean : NAN);
                b.put_float64(st.handoffs.mean).put_float64(f.lead_time.mean).put_float64(f.leads.mean);
            }
        }
        t.append(b);
        t.close();
    }
    {   // funnel
        output::TableSchema schema;
        schema.add_text("stage").add_float64("entered").add_float64("conversion");
        for (const char* o : {"won", "lost", "disqualified", "abandoned", "open"}) schema.add_float64(o);
        auto t = file.create_table(g + "/funnel", schema);
        auto b = t.make_batch();
        for (std::size_t s = 0; s < ex.funnel.size(); ++s) {
            const double in = ex.funnel[s].entered.mean;
            const double next = s + 1 < ex.funnel.size() ? ex.funnel[s + 1].entered.mean : ex.funnel[s].ended[0].mean;
            b.put_text(ex.stage_names[s]).put_float64(in).put_float64(in > 0 ? next / in : NAN);
            for (const auto& o : ex.funnel[s].ended) b.put_float64(o.mean);
        }
        t.append(b);
        t.close();
    }
    {   // roles
        output::TableSchema schema;
        schema.add_text("role").add_int64("headcount");
        for (const char* c : {"utilisation", "utilisation_ci_low", "utilisation_ci_high", "prospecting_share", "queue_mean",
                              "queue_mean_ci_low", "queue_mean_ci_high", "pipeline_share", "handoff_share",
                              "switch_loss_share", "idle_share", "deals_owned", "deals_owned_ci_low", "deals_owned_ci_high",
                              "offered_load"})
            schema.add_float64(c);
        auto t = file.create_table(g + "/roles", schema);
        auto b = t.make_batch();
        for (const auto& r : ex.roles) {
            b.put_text(r.role).put_int64(r.headcount);
            for (double v : {r.utilisation.mean, r.utilisation.ci_low, r.utilisation.ci_high, r.prospecting_share.mean,
                             r.queue_mean.mean, r.queue_mean.ci_low, r.queue_mean.ci_high, r.pipeline_share.mean,
                             r.handoff_share.mean, r.switch_loss_share.mean, r.idle_share.mean, r.deals_owned.mean,
                             r.deals_owned.ci_low, r.deals_owned.ci_high, r.offered_load})
                b.put_float64(v);
        }
        t.append(b);
        t.close();
    }
    {   // levers, ranked
        output::TableSchema schema;
        schema.add_int64("rank").add_text("lever").add_text("path").add_text("value");
        for (const char* c : {"effect", "effect_ci_low", "effect_ci_high", "unpaired_ci_low", "unpaired_ci_high",
                              "wins_effect", "wins_ci_low", "wins_ci_high", "cost_change", "effect_per_cost"})
            schema.add_float64(c);
        schema.add_text("skipped");
        auto t = file.create_table(g + "/levers", schema);
        auto b = t.make_batch();
        std::int64_t rank = 0;
        for (const auto& l : ex.levers) {
            const bool run = l.skipped.empty();
            b.put_int64(run ? ++rank : 0).put_text(l.lever.label).put_text(l.lever.path).put_text(l.lever.value);
            for (double v : {l.effect.mean, l.effect.ci_low, l.effect.ci_high, l.unpaired.ci_low, l.unpaired.ci_high,
                             l.wins.mean, l.wins.ci_low, l.wins.ci_high, l.cost_change, l.effect_per_cost})
                b.put_float64(run ? v : NAN);
            b.put_text(l.skipped);
        }
        t.append(b);
        t.close();
    }
    file.set_string_attribute(g + "/levers", "objective", ex.objective);
    file.set_string_attribute(g + "/levers", "direction", model::direction_name(ex.direction));
    file.set_int_attribute(g + "/levers", "replications", ex.replications);
    file.set_uint_attribute(g + "/levers", "seed", ex.seed);
    file.set_int_attribute(g + "/levers", "runs", ex.runs);
    file.set_double_attribute(g + "/levers", "objective_mean", ex.objective_base.mean);
    file.set_double_attribute(g + "/levers", "objective_ci_low", ex.objective_base.ci_low);
    file.set_double_attribute(g + "/levers", "objective_ci_high", ex.objective_base.ci_high);
    file.set_string_array_attribute(g + "/levers", "why", ex.why);
    {   // headline: the base's headline metrics
        output::TableSchema schema;
        schema.add_text("metric").add_float64("mean").add_float64("ci_low").add_float64("ci_high");
        auto t = file.create_table(g + "/headline", schema);
        auto b = t.make_batch();
        for (const auto& [name, s] : ex.headline) b.put_text(name).put_float64(s.mean).put_float64(s.ci_low).put_float64(s.ci_high);
        t.append(b);
        t.close();
    }
}

void print_explanation(std::ostream& os, const Explanation& ex) {
    char buf[256];
    const auto& all = ex.stream[0];
    const auto& won = ex.stream[1];
    os << "headline (mean [95% interval] over " << ex.replications << " replications)\n";
    for (const auto& [name, s] : ex.headline) {
        std::snprintf(buf, sizeof buf, "  %-26s %12.4g  [%.4g, %.4g]\n", name.c_str(), s.mean, s.ci_low, s.ci_high);
        os << buf;
    }
    os << "\nvalue stream: hours per closed lead at each stage (mean over " << ex.replications
       << " replications; won: per won deal)\n";
    std::snprintf(buf, sizeof buf, "%-16s %9s %9s %9s %9s %9s %9s %7s | %9s %7s\n", "stage", "in line", "handoff", "work",
                  "between", "blocked", "total", "share", "won total", "share");
    os << buf;
    const auto part = [](const auto& st, StreamPart p) { return st.part[static_cast<std::size_t>(p)].mean; };
    for (std::size_t s = 0; s < all.stages.size(); ++s) {
        const auto& a = all.stages[s];
        const auto& w = won.stages[s];
        std::snprintf(buf, sizeof buf, "%-16s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %6.1f%% | %9.1f %6.1f%%\n",
                      ex.stage_names[s].c_str(), part(a, StreamPart::queue), part(a, StreamPart::handoff),
                      part(a, StreamPart::work), part(a, StreamPart::between), part(a, StreamPart::blocked),
                      a.total.mean, all.lead_time.mean > 0 ? 100.0 * a.total.mean / all.lead_time.mean : 0.0, w.total.mean,
                      won.lead_time.mean > 0 ? 100.0 * w.total.mean / won.lead_time.mean : 0.0);
        os << buf;
    }
    std::snprintf(buf, sizeof buf, "%-16s %59.1f %7s | %9.1f\n", "lead time", all.lead_time.mean, "", won.lead_time.mean);
    os << buf;
    os << "\nwhere leads end (per replication, leads closed after the warm-up)\n";
    std::snprintf(buf, sizeof buf, "%-16s %8s %10s %8s %8s %8s %8s\n", "stage", "entered", "conversion", "won", "lost",
                  "disqual", "abandon");
    os << buf;
    for (std::size_t s = 0; s < ex.funnel.size(); ++s) {
        const auto& f = ex.funnel[s];
        const double next = s + 1 < ex.funnel.size() ? ex.funnel[s + 1].entered.mean : f.ended[0].mean;
        std::snprintf(buf, sizeof buf, "%-16s %8.1f %9.1f%% %8.1f %8.1f %8.1f %8.1f\n", ex.stage_names[s].c_str(),
                      f.entered.mean, f.entered.mean > 0 ? 100.0 * next / f.entered.mean : 0.0, f.ended[0].mean,
                      f.ended[1].mean, f.ended[2].mean, f.ended[3].mean);
        os << buf;
    }
    os << "\nroles: offered load (analytic estimate); share of available hours (pipeline + prospecting + handoff + "
          "switching + idle = 1); work waiting; open deals owned\n";
    std::snprintf(buf, sizeof buf, "%-16s %6s %7s %8s %9s %8s %8s %9s %6s %7s %7s\n", "role", "people", "offered",
                  "utilis.", "pipeline", "prospect", "handoff", "switching", "idle", "queue", "owned");
    os << buf;
    for (const auto& r : ex.roles) {
        std::snprintf(buf, sizeof buf, "%-16s %6d %7.2f %8.2f %9.2f %8.2f %8.2f %9.2f %6.2f %7.1f %7.1f\n", r.role.c_str(),
                      r.headcount, r.offered_load, r.utilisation.mean, r.pipeline_share.mean, r.prospecting_share.mean,
                      r.handoff_share.mean, r.switch_loss_share.mean, r.idle_share.mean, r.queue_mean.mean,
                      r.deals_owned.mean);
        os << buf;
    }
    os << "\nlevers, ranked by the paired effect on " << ex.objective << " (" << model::direction_name(ex.direction)
       << " is better; base " << ex.objective_base.mean << ")\n";
    std::snprintf(buf, sizeof buf, "%-4s %-34s %12s %26s %10s %12s\n", "rank", "lever", "effect", "95% paired interval",
                  "cost", "per cost");
    os << buf;
    int rank = 0;
    for (const auto& l : ex.levers) {
        if (!l.skipped.empty()) {
            os << "   - " << l.lever.label << ": not run (" << l.skipped << ")\n";
            continue;
        }
        // A lever that costs nothing has no effect per unit of cost: shown as "-".
        char per[32] = "-";
        if (std::isfinite(l.effect_per_cost)) std::snprintf(per, sizeof per, "%.4g", l.effect_per_cost);
        std::snprintf(buf, sizeof buf, "%-4d %-34s %12.4g [%11.4g, %11.4g] %10.4g %12s\n", ++rank, l.lever.label.c_str(),
                      l.effect.mean, l.effect.ci_low, l.effect.ci_high, l.cost_change, per);
        os << buf;
    }
    os << "\nwhy\n";
    for (const auto& w : ex.why) os << "- " << w << "\n";
}

}  // namespace

int explain_command(const Settings& settings) {
    model::ScenarioConfig base;
    model::analysis::ExplainRequest req;
    req.objective = settings.objective.empty() ? "profit" : settings.objective;
    req.threads = settings.threads;
    try {
        base = load_for_command(settings.files[0], settings.overrides);
    } catch (const input::InputError& e) {
        if (is_root_rank()) std::cerr << e.what() << "\n";
        return 2;
    }
    if (const auto problem = model::analysis::objective_problem(base, req.objective); !problem.empty()) {
        if (is_root_rank()) std::cerr << "salesflow: " << problem << "\n";
        return 2;
    }
    req.levers = model::analysis::one_step_levers(base);
    for (const auto& lever : req.levers) {
        ScenarioOverrides o = settings.overrides;
        o.sets.push_back(lever.path + "=" + lever.value);
        o.seed = base.simulation.seed;  // common random numbers: one seed, one replication count
        o.replications = base.simulation.replications;
        try {
            req.variants.emplace_back(load_for_command(settings.files[0], o));
            req.skipped.emplace_back();
        } catch (const input::InputError& e) {
            req.variants.emplace_back(std::nullopt);
            req.skipped.push_back(first_line(e.what()));
        }
    }
    // Under MPI the other ranks compute the items rank 0 hands out (the same request: the
    // same item numbers) and write nothing.
    if (world_size() > 1 && !is_root_rank()) {
        serve_items(model::analysis::explain_items(base, req));
        return 0;
    }
    req.execute = [&](OrderedExecutor& exec, const OrderedExecutor::Compute& compute) {
        return distribute_items(exec, settings.threads, compute);
    };
    const std::string out = settings.output.empty() ? "results/" + base.name + "-explain.h5" : settings.output;
    check_output_path(out);
    auto file = output::ResultsFile::create(out, version_string, settings.invocation);
    const auto t0 = std::chrono::steady_clock::now();
    // SIGINT, SIGTERM, SIGHUP: stop cleanly (it died at once, leaving its temporary and
    // lock files); an explanation needs every replication, so nothing is written.
    req.stop = &install_stop_signal();
    std::optional<Explanation> done;
    try {
        done.emplace(model::analysis::explain(base, req));
    } catch (const model::analysis::ExplainInterrupted&) {
        file.discard();
        std::cerr << "salesflow: interrupted: explain needs every replication, so nothing was written to " << out
                  << " (an earlier file there is as it was); run it again to explain\n";
        return 1;
    }
    const Explanation& ex = *done;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    write_explanation(file, ex);
    file.set_double_attribute("/explanations/" + ex.name + "/levers", "seconds", secs);
    file.commit();
    if (!settings.quiet) {
        std::cout << "explain " << ex.name << ": " << ex.runs << " replications (" << ex.levers.size()
                  << " levers + base, " << ex.replications << " paired replications each, seed " << ex.seed << "), " << secs
                  << " s\n\n";
        print_explanation(std::cout, ex);
        std::cout << "results: " << out << "\n";
    }
    return 0;
}

}  // namespace salesflow::app
