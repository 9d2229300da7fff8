#include "serve/Levers.hpp"

#include <algorithm>
#include <cmath>

#include "kernel/Time.hpp"

namespace salesflow::serve {

namespace {

double round_to(double v, double step) { return std::round(v / step) * step; }

}  // namespace

std::vector<Lever> levers_for(const model::ScenarioConfig& cfg) {
    std::vector<Lever> out;
    for (const auto& r : cfg.roles) {
        const double hc = r.headcount;
        out.push_back({"roles." + r.name + ".headcount", r.name + ": people", "people", "", hc, 0.0,
                       std::min(100.0, std::max(2.0 * hc, hc + 4.0)), 1.0});
        if (cfg.ownership.enabled || r.wip_limit > 0) {
            const double w = r.wip_limit;
            out.push_back({"roles." + r.name + ".wip_limit", r.name + ": open deals per person (0 = no limit)", "deals", "",
                           w, 0.0, std::max(12.0, 2.0 * w), 1.0});
        }
        if (r.prospecting == model::ProspectingPolicy::reserved)
            out.push_back({"roles." + r.name + ".prospecting.share", r.name + ": share of time reserved for prospecting",
                           "share", "", r.prospecting_share, 0.05, 0.95, 0.05});
    }
    for (std::size_t s = 0; s < cfg.stages.size(); ++s) {
        const auto& st = cfg.stages[s];
        const double w = st.wip_limit;
        out.push_back({"stages." + st.name + ".wip_limit", st.name + ": WIP limit of the stage (0 = no limit)", "leads", "",
                       w, 0.0, std::max(30.0, 2.0 * w), 1.0});
        if (st.gate.enabled)
            out.push_back({"stages." + st.name + ".gate.threshold", st.name + ": gate, disqualify below this estimated chance",
                           "share", "", st.gate.threshold, 0.0, 0.6, 0.05});
        if (s == 0 || st.batch_every_h > 0.0)
            out.push_back({"stages." + st.name + ".batch", st.name + ": batch period (0 = as they come)", "hours", "h",
                           st.batch_every_h, 0.0, std::max(kernel::hours_per_week, st.batch_every_h), 8.0});
    }
    for (const auto& src : cfg.sources) {
        if (src.kind != model::SourceKind::poisson) continue;
        const double per_week = src.rate_per_h * kernel::hours_per_week;
        const double step = per_week < 4.0 ? 0.1 : 0.5;
        out.push_back({"sources." + src.name + ".arrivals", src.name + ": leads arriving per week", "per week", "/w",
                       round_to(per_week, 1e-6), 0.0, std::max(1.0, round_to(3.0 * per_week, step)), step});
    }
    return out;
}

}  // namespace salesflow::serve
