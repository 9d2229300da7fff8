#pragma once
// MetricCatalog: the names and order of the per-replication metrics of a scenario
// (results-core.md plus salesflow's additions). One place, so the model, the summary,
// the recorders and the command line agree on columns.
#include <string>
#include <vector>

#include "models/ScenarioConfig.hpp"

namespace salesflow::model {

class MetricCatalog {
public:
    explicit MetricCatalog(const ScenarioConfig& cfg);

    const std::vector<std::string>& names() const { return names_; }
    std::size_t size() const { return names_.size(); }
    // Index of a metric name, or -1.
    int index_of(const std::string& name) const;

    // Fixed leading block: index of each scenario-independent metric.
    enum Fixed : int {
        leads_arrived, leads_exited, wins, revenue, lead_time_mean_h, wip_mean, throughput_per_week, hit_rate,
        losses, disqualified, abandoned, leads_open_at_end, opportunities, proposals, win_rate, cost,
        productivity, cost_per_win, flow_efficiency, lead_time_won_mean_h, lead_time_won_p85_h, outbound_leads,
        lead_time_p50_h, lead_time_p85_h, lead_time_p95_h, fixed_count
    };
    // Per-stage block: wait_mean_h, visits, work_mean_h, queue_mean, wip_mean.
    static constexpr int per_stage = 5;
    int stage_base(int s) const { return fixed_count + s * per_stage; }
    // Per-role block: utilisation, prospecting_share, queue_mean.
    static constexpr int per_role = 3;
    int role_base(int r) const { return role_base_ + r * per_role; }

private:
    std::vector<std::string> names_;
    int role_base_ = 0;
};

}  // namespace salesflow::model
