#pragma once
// Scenario builders for model tests: plain queueing networks written as config structs,
// so tests state the textbook model they compare against.
#include <optional>
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

// A prospecting source named "outbound": each lead found takes `effort` working hours of
// someone's prospecting time; `lag` (calendar time until the lead answers) and `quality`
// as given, else SourceConfig's defaults.
inline model::SourceConfig outbound(DistributionSpec effort, std::optional<DistributionSpec> lag = std::nullopt,
                                    std::optional<DistributionSpec> quality = std::nullopt) {
    model::SourceConfig s;
    s.name = "outbound";
    s.kind = model::SourceKind::prospecting;
    s.prospecting_effort = effort;
    if (lag) s.prospecting_lag = *lag;
    if (quality) s.quality = *quality;
    return s;
}

// The role prospects for source `source` in a reserved `share` of its time.
inline void reserve_prospecting(model::RoleConfig& r, double share, int source) {
    r.prospecting = model::ProspectingPolicy::reserved;
    r.prospecting_share = share;
    r.prospecting_source = source;
}

// A busy sales network on the working calendar (8 h x 5 d), not yet finished: inbound
// Poisson leads at 0.5 per hour of quality beta(2, 3); one SDR (60,000 a year)
// qualifies (exponential, mean 0.3 h; 60% advance), two AEs (150,000 a year) discover
// (lognormal, mean 2 h, sd 1 h; 70% advance, 10% back to qualify) and close (PERT
// 0.5, 1, 3 h; advance by the lead's quality).
inline ScenarioConfig busy_network(const std::string& name, double horizon_h, int reps, double warmup_h = 0.0) {
    auto cfg = queueing_scenario(name, 0.5, horizon_h, reps, warmup_h);
    cfg.simulation.calendar = kernel::CalendarSpec{};
    cfg.sources[0].quality = DistributionSpec::beta(2, 3);
    cfg.roles = {role("sdr", 1, 60000), role("ae", 2, 150000)};
    auto q = stage("qualify", 0, DistributionSpec::exponential(0.3), 0.6);
    auto d = stage("discover", 1, DistributionSpec::lognormal(2.0, 1.0), 0.7);
    d.has_rework = true;
    d.rework_to = 0;
    d.rework_probability = 0.1;
    auto c = stage("close", 1, DistributionSpec::pert(0.5, 1.0, 3.0));
    c.advance_by_quality = true;
    cfg.stages = {q, d, c};
    return cfg;
}

// On busy_network() with a third role, a generalist: the AEs work under a personal WIP
// limit of 3 with Weinberg's context-switching loss, WSJF and 60% availability; the
// generalist (efficiency 0.8 at discovery and close) helps the AEs at discovery, which
// takes two touches under a stage WIP limit of 4; close releases leads in daily batches;
// qualification has a noisy gate; deals are owned from discovery; handoffs take effort
// and a delay.
inline void team_mechanisms(ScenarioConfig& cfg) {
    cfg.roles[1].wip_limit = 3;
    cfg.roles[1].context_switch_loss = model::weinberg_curve();
    cfg.roles[1].discipline = model::Discipline::wsjf;
    cfg.roles[1].availability = 0.6;
    cfg.roles[2].efficiency = {1.0, 0.8, 0.8};
    cfg.stages[1].roles = {1, 2};
    cfg.stages[1].touches = 2;
    cfg.stages[1].wip_limit = 4;
    cfg.stages[2].batch_every_h = 24.0;
    cfg.stages[0].gate = model::GateConfig{true, 0.2, 0.15};
    cfg.ownership = model::OwnershipConfig{true, 1};
    cfg.handoff.effort = DistributionSpec::constant(0.25);
    cfg.handoff.delay = DistributionSpec::exponential(12.0);
}

// Every mechanism at once (those the first golden run leaves out too: prospecting with a
// lag, seasonality, campaigns, a trace, context switching, availability, several roles
// per stage, a stage WIP limit, batching, handoff effort, WSJF), with the time series and
// the lead log, so a restructuring of the engine shows any change in any of them; and
// the mechanisms of wave 2 (speed to lead, no decision, nurture, skill and learning,
// hires, attrition with vacancy and ramp-up, quarter-end pressure, the per-open-deal
// context-switching curve).
inline ScenarioConfig every_mechanism_scenario() {
    auto cfg = busy_network("every-mechanism", 2500.0, 3, 100.0);
    cfg.simulation.seed = 20261129;
    cfg.simulation.sample_every_h = 50.0;
    cfg.roles.push_back(role("gen", 1, 100000));
    auto& in = cfg.sources[0];
    in.value = DistributionSpec::gamma(20000, 8000);
    in.patience = DistributionSpec::exponential(40.0);
    in.half_life_h = 100.0;
    in.response_time = DistributionSpec::exponential(8.0);
    in.seasonality = {1, 2, 1, 0.5, 1, 1, 1, 1, 1, 1, 1, 1};
    in.campaigns = {model::CampaignConfig{500.0, 30}, model::CampaignConfig{1500.0, 10}};
    cfg.sources.push_back(outbound(DistributionSpec::exponential(5.0), DistributionSpec::exponential(48.0),
                                   DistributionSpec::uniform(0.1, 0.6)));
    model::SourceConfig tr;
    tr.name = "events";
    tr.kind = model::SourceKind::trace;
    for (int i = 0; i < 40; ++i)
        tr.trace.push_back(model::TraceLead{37.0 * i + 5.0, i % 3 == 0 ? std::optional<double>(0.9) : std::nullopt,
                                            i % 4 == 0 ? std::optional<double>(50000.0) : std::nullopt});
    cfg.sources.push_back(tr);
    reserve_prospecting(cfg.roles[0], 0.3, 1);
    cfg.roles[2].prospecting = model::ProspectingPolicy::when_idle;
    cfg.roles[2].prospecting_source = 1;
    team_mechanisms(cfg);
    cfg.roles[2].discipline = model::Discipline::latest_stage_first;
    cfg.roles[0].discipline = model::Discipline::highest_value_first;
    // The buyer and organisation mechanisms of wave 2.
    cfg.sources[0].speed_to_lead = {{0.0, 1.0}, {2.0, 0.6}, {48.0, 0.2}};
    cfg.no_decision.enabled = true;
    cfg.no_decision.from_stage = 2;
    cfg.nurture.enabled = true;
    cfg.nurture.delay = DistributionSpec::exponential(300.0);
    cfg.roles[1].skill = {1.0, 1.1, 1.2};
    cfg.roles[1].learning = model::LearningConfig{0.3, 50.0, 10.0};
    cfg.roles[2].hires = {model::HireConfig{800.0, 1}};
    cfg.roles[2].ramp = model::RampConfig{300.0, 0.5, 0.8};
    cfg.roles[2].context_switch_per_deal = 0.05;
    cfg.roles[0].attrition_tenure_h = 1500.0;
    cfg.roles[0].vacancy = DistributionSpec::exponential(200.0);
    cfg.roles[0].ramp = model::RampConfig{200.0, 0.6, 1.0};
    cfg.quarter_end = model::QuarterEndConfig{true, 168.0, 0.1, 0.05, true, 1.5};
    return finish(cfg);
}

}  // namespace salesflow::test
