#include "models/MetricCatalog.hpp"

namespace salesflow::model {

MetricCatalog::MetricCatalog(const ScenarioConfig& cfg) {
    names_ = {"leads_arrived", "leads_exited", "wins", "revenue", "lead_time_mean_h", "wip_mean",
              "throughput_per_week", "hit_rate", "losses", "disqualified", "abandoned", "leads_open_at_end",
              "opportunities", "proposals", "win_rate", "cost", "productivity", "cost_per_win", "flow_efficiency",
              "lead_time_won_mean_h", "lead_time_won_p85_h", "outbound_leads", "lead_time_p50_h",
              "lead_time_p85_h", "lead_time_p95_h"};
    for (const auto& s : cfg.stages) {
        const std::string p = "stage." + s.name + ".";
        for (const char* m : {"wait_mean_h", "visits", "work_mean_h", "queue_mean", "wip_mean"}) names_.push_back(p + m);
    }
    role_base_ = static_cast<int>(names_.size());
    for (const auto& r : cfg.roles) {
        const std::string p = "role." + r.name + ".";
        for (const char* m : {"utilisation", "prospecting_share", "queue_mean"}) names_.push_back(p + m);
    }
}

int MetricCatalog::index_of(const std::string& name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == name) return static_cast<int>(i);
    return -1;
}

}  // namespace salesflow::model
