#pragma once
// The small sales process the mechanism tests share, and a run that keeps the lead log.
#include "../ModelTestSupport.hpp"
#include "../ScenarioFixtures.hpp"

namespace salesflow::test {


// A small sales process: qualify -> discover -> close (advance: quality), two roles.
inline model::ScenarioConfig sales(double inbound_per_h = 0.25, double horizon = 26 * 168.0) {
    auto cfg = queueing_scenario("sales", inbound_per_h, horizon, 8);
    cfg.simulation.calendar = kernel::CalendarSpec::always();
    cfg.sources[0].quality = DistributionSpec::beta(2, 3);
    cfg.sources[0].value = DistributionSpec::lognormal(20000, 10000);
    cfg.roles = {role("sdr", 1), role("ae", 3)};
    auto q = stage("qualify", 0, DistributionSpec::exponential(0.5));
    auto d = stage("discover", 1, DistributionSpec::exponential(4.0), 0.6);
    auto c = stage("close", 1, DistributionSpec::exponential(3.0));
    c.advance_by_quality = true;
    // Two touches at discovery and close, the buyer answering in between: while a buyer
    // answers, the person takes other work, so work competes and changes hands.
    d.touches = 2;
    c.touches = 2;
    cfg.sources[0].response_time = DistributionSpec::exponential(8.0);
    cfg.stages = {q, d, c};
    return finish(cfg);
}

inline model::MemoryRecorder run_logged(const model::ScenarioConfig& cfg) {
    model::ModelOptions o;
    o.record_leads = true;
    return run_in_memory(cfg, 2, o);
}


}  // namespace salesflow::test
