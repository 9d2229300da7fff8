#include "models/analysis/Explanation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "models/ReplicationRunner.hpp"
#include "models/SalesModel.hpp"
#include "models/TrafficEstimate.hpp"

namespace salesflow::model::analysis {

namespace {

std::string num(double v) {
    char buf[48];
    const double a = std::fabs(v);
    if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
    else if (a >= 1e4) std::snprintf(buf, sizeof buf, "%.0fk", v / 1e3);
    else if (a >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (a >= 10) std::snprintf(buf, sizeof buf, "%.1f", v);
    else std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}
// Strings built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
std::string signed_num(double v) {
    std::string s = v >= 0 ? "+" : "";
    s += num(v);
    return s;
}
std::string interval(const kernel::Summary& s) {
    std::string t = "[";
    t += signed_num(s.ci_low);
    t += ", ";
    t += signed_num(s.ci_high);
    t += ']';
    return t;
}
std::string step(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

}  // namespace

std::vector<Lever> one_step_levers(const ScenarioConfig& cfg) {
    std::vector<Lever> out;
    for (const auto& r : cfg.roles) {
        out.push_back({r.name + " +1 person", "roles." + r.name + ".headcount", std::to_string(r.headcount + 1)});
        if (r.headcount >= 2)
            out.push_back({r.name + " -1 person", "roles." + r.name + ".headcount", std::to_string(r.headcount - 1)});
    }
    for (const auto& s : cfg.stages) {
        if (!s.gate.enabled) continue;
        for (double d : {0.05, -0.05}) {
            const double v = s.gate.threshold + d;
            if (v < -1e-12 || v > 1.0 + 1e-12) continue;
            out.push_back({s.name + " gate threshold " + (d > 0 ? "+0.05" : "-0.05"), "stages." + s.name + ".gate.threshold",
                           step(std::clamp(v, 0.0, 1.0))});
        }
    }
    for (const auto& r : cfg.roles) {
        if (r.wip_limit <= 0) continue;
        out.push_back({r.name + " WIP limit +1", "roles." + r.name + ".wip_limit", std::to_string(r.wip_limit + 1)});
        if (r.wip_limit >= 2)
            out.push_back({r.name + " WIP limit -1", "roles." + r.name + ".wip_limit", std::to_string(r.wip_limit - 1)});
    }
    for (const auto& s : cfg.stages) {
        if (s.wip_limit <= 0) continue;
        out.push_back({s.name + " stage WIP limit +1", "stages." + s.name + ".wip_limit", std::to_string(s.wip_limit + 1)});
        if (s.wip_limit >= 2)
            out.push_back({s.name + " stage WIP limit -1", "stages." + s.name + ".wip_limit", std::to_string(s.wip_limit - 1)});
    }
    for (const auto& r : cfg.roles) {
        if (r.prospecting != ProspectingPolicy::reserved) continue;
        for (double d : {0.1, -0.1}) {
            const double v = r.prospecting_share + d;
            if (v < -1e-12 || v > 1.0 + 1e-12) continue;
            out.push_back({r.name + " prospecting share " + (d > 0 ? "+0.1" : "-0.1"), "roles." + r.name + ".prospecting.share",
                           step(std::clamp(v, 0.0, 1.0))});
        }
    }
    // The disciplines in the order of the enum (the words of roles[].discipline).
    static const char* const disciplines[] = {"fifo", "oldest_lead_first", "latest_stage_first", "highest_value_first",
                                              "wsjf"};
    for (const auto& r : cfg.roles) {
        if (r.headcount <= 0) continue;
        for (int d = 0; d < 5; ++d)
            if (static_cast<int>(r.discipline) != d)
                out.push_back({r.name + " discipline " + disciplines[d], "roles." + r.name + ".discipline", disciplines[d]});
    }
    return out;
}

const std::vector<std::string>& headline_metric_names() {
    static const std::vector<std::string> names = {"profit", "revenue_per_cost", "revenue_per_quota_person"};
    return names;
}

namespace {

// The blocks that run: 0 (the base), then 1 + i for every lever i with a variant.
std::vector<std::size_t> blocks_that_run(const ExplainRequest& req) {
    std::vector<std::size_t> ran{0};
    for (std::size_t i = 0; i < req.variants.size(); ++i)
        if (req.variants[i]) ran.push_back(i + 1);
    return ran;
}

}  // namespace

OrderedExecutor::Compute explain_items(const ScenarioConfig& base, const ExplainRequest& req) {
    const long long reps = base.simulation.replications;
    ModelOptions with_events;
    with_events.record_events = true;
    return [&base, &req, reps, with_events, ran = blocks_that_run(req), id = next_run_id()](long long item) {
        const std::size_t g = ran[static_cast<std::size_t>(item / reps)];
        const int rep = static_cast<int>(item % reps);
        if (g == 0) return run_on_thread_model(id, 0, [&] { return base; }, rep, with_events);
        return run_on_thread_model(id, static_cast<long long>(g), [&] { return *req.variants[g - 1]; }, rep);
    };
}

std::string objective_problem(const ScenarioConfig& cfg, const std::string& objective) {
    const MetricCatalog catalog(cfg);
    const int m = catalog.index_of(objective);
    if (m < 0) return "--objective: unknown metric, got '" + objective + "' (e.g. profit, wins, revenue, lead_time_mean_h)";
    if (catalog.info(static_cast<std::size_t>(m)).direction == Direction::neither)
        return "--objective: metric '" + objective + "' has no direction (neither higher nor lower is better), got '" +
               objective + "'";
    return "";
}

kernel::Summary unpaired_difference(const std::vector<double>& a, const std::vector<double>& b) {
    const kernel::Summary sa = kernel::summarize(a), sb = kernel::summarize(b);
    kernel::Summary d;
    d.mean = sb.mean - sa.mean;
    d.n = std::min(sa.n, sb.n);
    const double va = sa.n > 0 ? sa.sd * sa.sd / static_cast<double>(sa.n) : 0.0;
    const double vb = sb.n > 0 ? sb.sd * sb.sd / static_cast<double>(sb.n) : 0.0;
    const double se = std::sqrt(va + vb);
    d.sd = se;
    if (sa.n < 2 || sb.n < 2 || se == 0.0) {
        d.ci_low = d.ci_high = d.mean;
        return d;
    }
    const double df = (va + vb) * (va + vb) /
                      (va * va / static_cast<double>(sa.n - 1) + vb * vb / static_cast<double>(sb.n - 1));
    const double t = kernel::student_t_quantile(0.975, df);
    d.ci_low = d.mean - t * se;
    d.ci_high = d.mean + t * se;
    return d;
}

Explanation explain(const ScenarioConfig& base, const ExplainRequest& req) {
    const MetricCatalog catalog(base);
    Explanation ex;
    ex.name = base.name;
    ex.objective = req.objective;
    ex.replications = base.simulation.replications;
    ex.seed = base.simulation.seed;
    const int obj = catalog.index_of(req.objective);
    ex.direction = catalog.info(static_cast<std::size_t>(obj)).direction;
    const std::size_t groups = 1 + req.variants.size();
    const long long reps = base.simulation.replications;
    // rows[g][rep]: metric rows of scenario g (0 = base), in its own catalogue's order.
    std::vector<std::vector<std::vector<double>>> rows(groups);
    std::vector<MetricCatalog> catalogs(groups);
    catalogs[0] = catalog;
    const std::vector<std::size_t> ran = blocks_that_run(req);   // the groups that run, in item order
    for (std::size_t b = 1; b < ran.size(); ++b) catalogs[ran[b]] = MetricCatalog(*req.variants[ran[b] - 1]);
    ValueStream stream(base);
    auto emit = [&](long long item, ReplicationOutput&& o) {
        const std::size_t g = ran[static_cast<std::size_t>(item / reps)];
        if (g == 0) stream.add_replication(o.flow_events);
        rows[g].push_back(std::move(o.metrics));
    };
    OrderedExecutor exec(0, static_cast<long long>(ran.size()) * reps, emit, req.stop);
    const auto compute = explain_items(base, req);
    const ExecutorStats stats = req.execute ? req.execute(exec, compute) : exec.run(std::max(1, req.threads), compute);
    if (stats.stopped) throw ExplainInterrupted{};
    ex.runs = static_cast<long long>(ran.size()) * reps;

    auto column = [&](std::size_t g, const std::string& metric) {
        std::vector<double> c;
        const int m = catalogs[g].index_of(metric);
        if (m < 0) return c;
        for (const auto& r : rows[g]) c.push_back(r[static_cast<std::size_t>(m)]);
        return c;
    };
    const auto base_obj = column(0, req.objective);
    const auto base_wins = column(0, "wins");
    const auto base_cost = column(0, "cost");
    ex.objective_base = kernel::summarize(base_obj);
    ex.wins_base = kernel::summarize(base_wins);
    ex.stream = {stream.figures(0), stream.figures(1)};
    ex.funnel = stream.funnel();
    for (const auto& s : base.stages) ex.stage_names.push_back(s.name);
    const TrafficEstimate estimate = estimate_traffic(base);
    for (const auto& r : base.roles) {
        RoleFigures f;
        f.role = r.name;
        f.headcount = r.headcount;
        f.offered_load = estimate.roles[ex.roles.size()].load;
        f.utilisation = kernel::summarize(column(0, MetricCatalog::role_metric(r.name, "utilisation")));
        f.prospecting_share = kernel::summarize(column(0, MetricCatalog::role_metric(r.name, "prospecting_share")));
        f.queue_mean = kernel::summarize(column(0, MetricCatalog::role_metric(r.name, "queue_mean")));
        f.pipeline_share = kernel::summarize(column(0, MetricCatalog::role_metric(r.name, "pipeline_share")));
        f.handoff_share = kernel::summarize(column(0, MetricCatalog::role_metric(r.name, "handoff_share")));
        f.switch_loss_share = kernel::summarize(column(0, MetricCatalog::role_metric(r.name, "switch_loss_share")));
        f.idle_share = kernel::summarize(column(0, MetricCatalog::role_metric(r.name, "idle_share")));
        f.deals_owned = kernel::summarize(column(0, MetricCatalog::role_metric(r.name, "deals_owned_mean")));
        ex.roles.push_back(f);
    }
    for (const auto& h : headline_metric_names()) ex.headline.emplace_back(h, kernel::summarize(column(0, h)));
    auto paired = [](const std::vector<double>& a, const std::vector<double>& b) {
        std::vector<double> d(std::min(a.size(), b.size()));
        for (std::size_t r = 0; r < d.size(); ++r) d[r] = b[r] - a[r];
        return kernel::summarize(d);
    };
    for (std::size_t i = 0; i < req.levers.size(); ++i) {
        LeverEffect le;
        le.lever = req.levers[i];
        if (!req.variants[i]) {
            le.skipped = i < req.skipped.size() && !req.skipped[i].empty() ? req.skipped[i] : "not run";
            le.effect_per_cost = NAN;
            ex.levers.push_back(le);
            continue;
        }
        const auto v_obj = column(i + 1, req.objective);
        le.effect = paired(base_obj, v_obj);
        le.unpaired = unpaired_difference(base_obj, v_obj);
        le.wins = paired(base_wins, column(i + 1, "wins"));
        le.cost_change = paired(base_cost, column(i + 1, "cost")).mean;
        le.effect_per_cost = std::fabs(le.cost_change) > 1e-9 ? le.effect.mean / le.cost_change : NAN;
        ex.levers.push_back(le);
    }
    const double sign = ex.direction == Direction::lower ? -1.0 : 1.0;
    std::stable_sort(ex.levers.begin(), ex.levers.end(), [&](const LeverEffect& a, const LeverEffect& b) {
        if (a.skipped.empty() != b.skipped.empty()) return a.skipped.empty();
        if (!a.skipped.empty()) return false;
        return sign * a.effect.mean > sign * b.effect.mean;
    });

    // The "why" chain, from the numbers above.
    const auto& all = ex.stream[0];
    ex.why.push_back(ex.objective + " is " + num(ex.objective_base.mean) + " [" + num(ex.objective_base.ci_low) + ", " +
                     num(ex.objective_base.ci_high) + "] per run (" + std::to_string(ex.replications) +
                     " replications); mean lead time " + num(all.lead_time.mean) + " h over " + num(all.leads.mean) +
                     " closed leads.");
    std::size_t longest = 0;
    for (std::size_t s = 0; s < all.stages.size(); ++s)
        if (all.stages[s].total.mean > all.stages[longest].total.mean) longest = s;
    if (!all.stages.empty() && all.lead_time.mean > 0) {
        const auto& st = all.stages[longest];
        ex.why.push_back("most of a lead's time is spent at " + ex.stage_names[longest] + ": " + num(st.total.mean) +
                         " h of " + num(all.lead_time.mean) + " h (" +
                         num(100.0 * st.total.mean / all.lead_time.mean) + "%), of which " +
                         num(st.part[static_cast<std::size_t>(StreamPart::queue)].mean) + " h in line, " +
                         num(st.part[static_cast<std::size_t>(StreamPart::handoff)].mean) + " h in handoff delays and " +
                         num(st.part[static_cast<std::size_t>(StreamPart::between)].mean) +
                         " h between sessions (the buyer's response, batch holds).");
    }
    const auto good = [&](const LeverEffect& l) {
        return l.skipped.empty() && (sign > 0 ? l.effect.ci_low > 0 : l.effect.ci_high < 0);
    };
    const LeverEffect* best = nullptr;
    for (const auto& l : ex.levers)
        if (good(l)) { best = &l; break; }
    if (!best) {
        ex.why.push_back("no one-step lever changes " + ex.objective + " for the better with 95% confidence.");
    } else {
        const std::string tail = ": " + signed_num(best->effect.mean) + " " + ex.objective + " " + interval(best->effect) +
                                 ", " + signed_num(best->wins.mean) + " wins " + interval(best->wins) + ", cost " +
                                 signed_num(best->cost_change) + ".";
        const std::string suffix = " +1 person";
        const auto& label = best->lever.label;
        if (label.size() > suffix.size() && label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0) {
            const std::string role = label.substr(0, label.size() - suffix.size());
            const int r = base.role_index(role);
            std::string s = ex.objective + " is limited by the " + role + " role";
            if (r >= 0) {
                const auto& rf = ex.roles[static_cast<std::size_t>(r)];
                s += ": utilisation " + num(rf.utilisation.mean) + ", " + num(rf.queue_mean.mean) +
                     " leads waiting for it on average";
                // The stage it works where leads wait longest in line.
                int ws = -1;
                for (std::size_t k = 0; k < base.stages.size(); ++k) {
                    const auto& rs = base.stages[k].roles;
                    if (std::find(rs.begin(), rs.end(), r) == rs.end()) continue;
                    if (ws < 0 || all.stages[k].part[0].mean > all.stages[static_cast<std::size_t>(ws)].part[0].mean)
                        ws = static_cast<int>(k);
                }
                if (ws >= 0) {
                    const auto wsz = static_cast<std::size_t>(ws);
                    s += "; at " + ex.stage_names[wsz] + " a lead waits " + num(all.stages[wsz].part[0].mean) +
                         " h in line";
                    const double ab = ex.funnel[wsz].ended[static_cast<std::size_t>(Outcome::abandoned)].mean;
                    if (ab > 0) s += " and " + num(ab) + " buyers per run give up there";
                }
            }
            ex.why.push_back(s + ".");
            ex.why.push_back("one more " + role + tail);
        } else {
            ex.why.push_back("the lever that pays most is " + label + tail);
        }
    }
    // Slack: a role that can lose a person without a measurable loss.
    for (const auto& l : ex.levers) {
        const std::string suffix = " -1 person";
        const auto& label = l.lever.label;
        if (!l.skipped.empty() || label.size() <= suffix.size() ||
            label.compare(label.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const bool no_loss = sign > 0 ? l.effect.ci_high >= 0 : l.effect.ci_low <= 0;
        if (!no_loss) continue;
        const std::string role = label.substr(0, label.size() - suffix.size());
        const int r = base.role_index(role);
        ex.why.push_back("one " + role + " fewer loses nothing measurable" +
                         (r >= 0 ? " (utilisation " + num(ex.roles[static_cast<std::size_t>(r)].utilisation.mean) + ")" : "") +
                         ": " + ex.objective + " changes by " + signed_num(l.effect.mean) + " " +
                         interval(l.effect) + ", cost " + signed_num(l.cost_change) + ".");
    }
    return ex;
}

}  // namespace salesflow::model::analysis
