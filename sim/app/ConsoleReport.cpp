#include "app/ConsoleReport.hpp"
#include "kernel/Time.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace salesflow::app {

namespace {
std::string fmt(double v) {
    char buf[64];
    const double a = std::abs(v);
    if (v == 0.0) return "0";
    if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.4g", v);
    else if (a >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (a >= 1) std::snprintf(buf, sizeof buf, "%.2f", v);
    else std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}
std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }
std::string lpad(const std::string& s, std::size_t w) { return s.size() >= w ? s : std::string(w - s.size(), ' ') + s; }
}  // namespace

std::vector<std::string> headline_metrics(const model::ScenarioConfig& cfg) {
    std::vector<std::string> m = {"profit", "revenue_per_cost", "revenue_per_quota_person", "leads_arrived", "wins", "hit_rate", "win_rate", "revenue", "productivity",
                                  "cost", "lead_time_mean_h", "lead_time_won_mean_h", "wip_mean",
                                  "throughput_per_week", "flow_efficiency"};
    bool lossy = false;
    for (const auto& s : cfg.sources) lossy = lossy || s.patience.has_value();
    for (const auto& s : cfg.stages) lossy = lossy || s.gate.enabled;
    if (lossy) {
        m.push_back("disqualified");
        m.push_back("abandoned");
    }
    // The buyer mechanisms' metrics, when their keys are given.
    bool speed = false;
    for (const auto& s : cfg.sources) speed = speed || !s.speed_to_lead.empty();
    if (speed) m.push_back("unreached");
    if (cfg.no_decision.enabled) {
        m.push_back("losses");
        m.push_back("no_decision");
    }
    if (cfg.nurture.enabled) {
        m.push_back("nurtured");
        m.push_back("recycled");
    }
    for (const auto& r : cfg.roles) m.push_back(model::MetricCatalog::role_metric(r.name, "utilisation"));
    return m;
}

void print_estimate(std::ostream& os, const model::ScenarioConfig& cfg, const model::TrafficEstimate& est) {
    os << "analytic estimate (traffic equations, before simulating):\n";
    os << "  external arrivals " << fmt(est.arrivals_per_h * kernel::hours_per_week) << " leads/week\n";
    os << "  " << pad("stage", 18) << lpad("visits/lead", 12) << lpad("visits/week", 13) << "\n";
    for (std::size_t i = 0; i < cfg.stages.size(); ++i)
        os << "  " << pad(cfg.stages[i].name, 18) << lpad(fmt(est.visits[i]), 12)
           << lpad(fmt(est.stage_rate_per_h[i] * kernel::hours_per_week), 13) << "\n";
    os << "  " << pad("role", 18) << lpad("offered h/wk", 12) << lpad("capacity h/wk", 14) << lpad("load", 8) << "\n";
    for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
        const auto& rl = est.roles[r];
        os << "  " << pad(cfg.roles[r].name, 18) << lpad(fmt(rl.offered_h_per_week), 12)
           << lpad(fmt(rl.capacity_h_per_week), 14) << lpad(std::isinf(rl.load) ? "inf" : fmt(rl.load), 8)
           << (rl.load >= 1.0 ? "  OVERLOADED" : rl.load >= 0.85 ? "  near capacity" : "") << "\n";
    }
    for (const auto& w : est.warnings) os << "  warning: " << w << "\n";
}

void print_summary(std::ostream& os, const model::ScenarioConfig& cfg, const std::vector<model::MetricSummary>& s) {
    os << "  " << pad("metric", 30) << lpad("mean", 12) << "   95% interval\n";
    for (const auto& name : headline_metrics(cfg))
        for (const auto& m : s)
            if (m.metric == name)
                os << "  " << pad(m.metric, 30) << lpad(fmt(m.mean), 12) << "   [" << fmt(m.ci_low) << ", "
                   << fmt(m.ci_high) << "]\n";
}

const char* change_mark(model::Direction d, double lo, double hi) {
    if (d == model::Direction::neither || !std::isfinite(lo) || !std::isfinite(hi)) return "";
    if (lo > 0.0) return d == model::Direction::higher ? "better" : "worse";
    if (hi < 0.0) return d == model::Direction::lower ? "better" : "worse";
    return "";
}

namespace {
std::string interval(double lo, double hi) {   // appended: GCC 12 warns falsely (-Wrestrict) on "[" + std::string
    std::string t = "[";
    t += fmt(lo);
    t += ", ";
    t += fmt(hi);
    t += ']';
    return t;
}
std::string diff_text(const ComparisonRow& r, bool colour) {
    if (!std::isfinite(r.diff)) return "   diff n/a (not in the first scenario)";
    char pct[32];
    std::snprintf(pct, sizeof pct, "%+.1f%%", r.rel_change);
    std::string s = "   diff " + fmt(r.diff) + " " + interval(r.diff_ci_low, r.diff_ci_high) + " " +
                    (std::isfinite(r.rel_change) ? pct : "n/a");
    const std::string mark = change_mark(r.direction, r.diff_ci_low, r.diff_ci_high);
    if (!mark.empty()) {
        const char* on = mark == "better" ? "\033[32m" : "\033[31m";
        s += colour ? "  " + std::string(on) + mark + "\033[0m" : "  " + mark;
    }
    return s;
}
}  // namespace

void print_comparison(std::ostream& os, const std::vector<ComparisonRow>& rows, const std::vector<std::string>& metrics,
                      bool colour) {
    const auto row_of = [&](const std::string& metric, const std::string& scenario) -> const ComparisonRow* {
        for (const auto& r : rows)
            if (r.metric == metric && r.scenario == scenario) return &r;
        return nullptr;
    };
    for (const auto& name : metrics) {
        if (name == "lead_time_won_mean_h") continue;  // shown with lead_time_mean_h
        bool baseline = true;  // the first row of each metric is the first scenario's (it has every metric shown)
        for (const auto& r : rows) {
            if (r.metric != name) continue;
            if (baseline) os << "  " << name << (name == "lead_time_mean_h" ? "   | won deals: lead_time_won_mean_h" : "") << "\n";
            os << "    " << pad(r.scenario, 24) << lpad(fmt(r.mean), 12) << "  " << interval(r.ci_low, r.ci_high);
            if (!baseline) os << diff_text(r, colour);
            if (name == "lead_time_mean_h")
                if (const ComparisonRow* w = row_of("lead_time_won_mean_h", r.scenario); w && std::isfinite(w->mean)) {
                    os << "   | won " << fmt(w->mean) << " " << interval(w->ci_low, w->ci_high);
                    if (!baseline) os << diff_text(*w, colour);
                }
            os << "\n";
            baseline = false;
        }
    }
}

void print_best(std::ostream& os, const std::vector<ComparisonRow>& rows, const std::string& objective, int replications) {
    bool any = false;
    for (const auto& r : rows) {
        if (r.metric != objective || !std::isfinite(r.best)) continue;
        if (!any)
            os << "  probability of being best on " << objective << " (" << model::direction_name(r.direction)
               << " is better): share of " << replications << " paired replications, ties split, Wilson 95% interval\n";
        any = true;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%.2f [%.2f, %.2f]", r.best, r.best_ci_low, r.best_ci_high);
        os << "    " << pad(r.scenario, 24) << lpad(buf, 20) << "\n";
    }
}

}  // namespace salesflow::app
