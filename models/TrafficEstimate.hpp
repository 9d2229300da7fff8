#pragma once
// TrafficEstimate: what the stage network must carry, before any simulation. Solves the
// traffic equations of the network (Jackson: visits v = e + P^T v, with P the routing
// probabilities from `advance`, `rework` and gates) with Eigen, then turns visits into
// offered working hours per week and offered load per role. A load at or above 1 means
// the role's queue grows without bound.
#include <string>
#include <vector>

#include "models/ScenarioConfig.hpp"

namespace salesflow::model {

struct RoleLoad {
    double offered_h_per_week = 0.0;   // working hours of demand per week (after efficiency, availability)
    double capacity_h_per_week = 0.0;  // headcount x working hours per week
    double load = 0.0;                 // offered / capacity (infinity when capacity is 0 and demand > 0)
};

struct TrafficEstimate {
    double arrivals_per_h = 0.0;            // external arrivals (prospecting excluded)
    std::vector<double> routing;            // n x n, row-major: P[i][j]
    std::vector<double> visits;             // expected visits per lead, per stage
    std::vector<double> stage_rate_per_h;   // arrivals_per_h x visits
    std::vector<RoleLoad> roles;
    bool stable = true;                      // every load < 1 and visits finite
    std::vector<std::string> warnings;
};

// Pass rates of gates and quality-driven advance are integrated over the arriving
// leads' quality distribution (its CDF on 512 intervals of [0, 1]): deterministic, and
// no sampling.
TrafficEstimate estimate_traffic(const ScenarioConfig& cfg);

}  // namespace salesflow::model
