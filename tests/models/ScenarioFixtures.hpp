#pragma once
// Scenario builders for model tests: plain queueing networks written as config structs,
// so tests state the textbook model they compare against.
#include <string>
#include <vector>

#include "models/ScenarioConfig.hpp"

namespace salesflow::test {

using model::ScenarioConfig;
using kernel::DistributionSpec;

inline model::StageConfig stage(const std::string& name, int role, DistributionSpec effort, double advance = 1.0) {
    model::StageConfig s;
    s.name = name;
    s.roles = {role};
    s.effort = effort;
    s.advance_probability = advance;
    return s;
}

inline model::RoleConfig role(const std::string& name, int headcount, double cost = 0.0) {
    model::RoleConfig r;
    r.name = name;
    r.headcount = headcount;
    r.cost_per_year = cost;
    return r;
}

// One source with Poisson arrivals at `lambda` per hour, 24/7 calendar, quality 1.
inline ScenarioConfig queueing_scenario(const std::string& name, double lambda, double horizon_h, int reps,
                                        double warmup_h = 0.0) {
    ScenarioConfig c;
    c.name = name;
    c.simulation.horizon_h = horizon_h;
    c.simulation.warmup_h = warmup_h;
    c.simulation.replications = reps;
    c.simulation.seed = 12345;
    c.simulation.calendar = kernel::CalendarSpec::always();
    model::SourceConfig src;
    src.name = "inbound";
    src.rate_per_h = lambda;
    src.quality = DistributionSpec::constant(1.0);
    c.sources.push_back(src);
    return c;
}

// Finishes a config: sizes per-stage vectors as the input layer does.
inline ScenarioConfig finish(ScenarioConfig c) {
    for (auto& r : c.roles)
        if (r.efficiency.empty()) r.efficiency.assign(c.stages.size(), 1.0);
    return c;
}

// M/G/c: one stage, c people, effort distribution `service`.
inline ScenarioConfig mgc(double lambda, DistributionSpec service, int c, double horizon_h, int reps,
                          double warmup_h) {
    auto s = queueing_scenario("mgc", lambda, horizon_h, reps, warmup_h);
    s.roles.push_back(role("server", c));
    s.stages.push_back(stage("serve", 0, service));
    return finish(s);
}

}  // namespace salesflow::test
