// Staffing over time: hires, attrition with a vacancy before the replacement, and cost
// that follows the people present. A closed form (renewal-reward) and paired runs on
// common random numbers whose sign fails if the mechanism were ignored or inverted.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "MechanismFixtures.hpp"
#include "models/TrafficEstimate.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
// 20 people who leave after an exponential tenure of 26 weeks; a vacancy of 8 weeks on
// average; almost no work, so nobody is busy when their tenure ends.
model::ScenarioConfig turnover() {
    auto cfg = queueing_scenario("turnover", 0.01, 12 * 8760.0, 6, 2 * 8760.0);
    cfg.roles = {role("ae", 20, 100000.0)};
    cfg.roles[0].attrition_tenure_h = 26 * 168.0;
    cfg.roles[0].vacancy = DistributionSpec::exponential(8 * 168.0);
    cfg.stages = {stage("close", 0, DistributionSpec::exponential(0.5))};
    cfg.costs.overhead_per_person_per_year = 20000.0;
    return finish(cfg);
}
}  // namespace

TEST_CASE("attrition and vacancy: the staffed share is tenure / (tenure + vacancy) (renewal-reward)") {
    const auto cfg = turnover();
    const auto r = run_in_memory(cfg);
    const double expected = 20.0 * 26.0 / (26.0 + 8.0);  // 15.29 people present on average
    const auto* s = r.find("role.ae.staffed_mean");
    REQUIRE(s);
    CHECK(s->ci_low <= expected);
    CHECK(expected <= s->ci_high);
    CHECK(s->mean == doctest::Approx(expected).epsilon(0.02));
    // About 20 x 10 y / (26 w + 8 w) departures in the measured 10 years.
    CHECK(mean_of(r, "role.ae.departures") == doctest::Approx(20.0 * 10 * 8760.0 / (34 * 168.0)).epsilon(0.05));
}

TEST_CASE("cost follows the people present") {
    const auto cfg = turnover();
    const auto r = run_in_memory(cfg);
    const double years = 10.0;
    // cost = person-years present x (cost_per_year + overhead_per_person)
    CHECK(mean_of(r, "cost") == doctest::Approx(mean_of(r, "role.ae.staffed_mean") * years * 120000.0).epsilon(1e-9));
    auto none = cfg;
    none.roles[0].attrition_tenure_h = 0.0;
    none.roles[0].vacancy = DistributionSpec::constant(0.0);
    CHECK(mean_of(run_in_memory(none), "cost") == doctest::Approx(20.0 * years * 120000.0));
}

TEST_CASE("attrition lowers output, hires raise it (paired)") {
    auto cfg = sales(0.6);  // more leads than three AEs can work
    cfg.ownership = model::OwnershipConfig{true, 1};
    const auto base = run_in_memory(cfg);
    auto leave = cfg;
    leave.roles[1].attrition_tenure_h = 8 * 168.0;
    leave.roles[1].vacancy = DistributionSpec::exponential(6 * 168.0);
    const auto left = run_in_memory(leave);
    CHECK(mean_of(left, "wins") < 0.9 * mean_of(base, "wins"));
    CHECK(mean_of(left, "role.ae.staffed_mean") < 3.0 * 0.7);
    // Work never sticks with someone who left: every lead is closed or open at the end.
    CHECK(mean_of(left, "leads_arrived") == mean_of(left, "leads_exited") + mean_of(left, "leads_open_at_end"));
    auto hire = cfg;
    hire.roles[1].hires = {model::HireConfig{4 * 168.0, 2}};
    const auto hired = run_in_memory(hire);
    CHECK(mean_of(hired, "wins") > 1.05 * mean_of(base, "wins"));
    CHECK(mean_of(hired, "role.ae.staffed_mean") == doctest::Approx(3.0 + 2.0 * (26 - 4) / 26.0));
    CHECK(mean_of(hired, "role.ae.starts") == 2.0);
}

TEST_CASE("utilisation is measured against the hours people were present") {
    // Utilisation is busy hours over the working hours people were present, so a hire
    // half-way raises the hours available from then on.
    auto cfg = queueing_scenario("util", 0.6, 4000.0, 4);
    cfg.roles = {role("ae", 2)};
    cfg.roles[0].attrition_tenure_h = 1e9;  // a tenure longer than any horizon: nobody leaves
    cfg.stages = {stage("close", 0, DistributionSpec::exponential(1.0))};
    cfg = finish(cfg);
    const auto r = run_in_memory(cfg);
    // Offered load 0.6 on 2 people: utilisation 0.3 against 2 present people.
    CHECK(mean_of(r, "role.ae.utilisation") == doctest::Approx(0.3).epsilon(0.05));
    CHECK(mean_of(r, "role.ae.staffed_mean") == doctest::Approx(2.0));
    auto hire = cfg;
    hire.roles[0].headcount = 1;
    hire.roles[0].hires = {model::HireConfig{2000.0, 1}};
    const auto h = run_in_memory(hire);
    // 1 person for 2000 h, then 2: 6000 person-hours present for 2400 h of work.
    CHECK(mean_of(h, "role.ae.staffed_mean") == doctest::Approx(1.5));
    CHECK(mean_of(h, "role.ae.utilisation") == doctest::Approx(0.6 * 4000.0 / 6000.0).epsilon(0.06));
}

TEST_CASE("the time series holds the people present") {
    auto cfg = queueing_scenario("series", 0.2, 500.0, 1);
    cfg.simulation.sample_every_h = 50.0;
    cfg.roles = {role("ae", 1)};
    cfg.roles[0].hires = {model::HireConfig{120.0, 1}, model::HireConfig{260.0, 2}};
    cfg.stages = {stage("close", 0, DistributionSpec::exponential(1.0))};
    const auto rec = run_in_memory(finish(cfg), 1);
    REQUIRE(rec.series_by_rep.size() == 1);
    const auto& ts = rec.series_by_rep.begin()->second;
    const auto it = std::find(ts.columns.begin(), ts.columns.end(), "role.ae.staffed");
    REQUIRE(it != ts.columns.end());
    const auto c = static_cast<std::size_t>(it - ts.columns.begin());
    for (std::size_t r = 0; r < ts.rows(); ++r) {
        const double t = ts.data[r * ts.columns.size()];
        CAPTURE(t);
        CHECK(ts.data[r * ts.columns.size() + c] == (t < 120.0 ? 1.0 : t < 260.0 ? 2.0 : 4.0));
    }
}

TEST_CASE("every organisation mechanism at once: leads are conserved, runs repeat exactly") {
    auto cfg = sales(0.5, 52 * 168.0);
    cfg.simulation.calendar = kernel::CalendarSpec{};  // 8 h x 5 d: people leave and start off shift too
    cfg.simulation.sample_every_h = 168.0;
    cfg.sources.push_back(outbound(DistributionSpec::exponential(4.0), DistributionSpec::exponential(24.0),
                                   DistributionSpec::uniform(0.1, 0.5)));
    cfg.sources[0].patience = DistributionSpec::exponential(200.0);
    cfg.sources[0].half_life_h = 500.0;
    cfg.ownership = model::OwnershipConfig{true, 1};
    cfg.handoff.delay = DistributionSpec::exponential(8.0);
    cfg.handoff.effort = DistributionSpec::constant(0.5);
    auto& sdr = cfg.roles[0];
    sdr.headcount = 2;
    reserve_prospecting(sdr, 0.3, 1);
    sdr.attrition_tenure_h = 12 * 168.0;
    sdr.vacancy = DistributionSpec::exponential(3 * 168.0);
    sdr.ramp = model::RampConfig{13 * 168.0, 0.5, 0.8};
    auto& ae = cfg.roles[1];
    ae.wip_limit = 5;
    ae.attrition_tenure_h = 10 * 168.0;
    ae.vacancy = DistributionSpec::uniform(2 * 168.0, 6 * 168.0);
    ae.hires = {model::HireConfig{20 * 168.0, 1}};
    ae.ramp = model::RampConfig{22 * 168.0, 0.5, 0.9};
    ae.skill = {1.0, 1.2, 1.1};
    ae.learning = model::LearningConfig{0.3, 20.0, 40.0};
    ae.context_switch_per_deal = 0.03;
    cfg.quarter_end = model::QuarterEndConfig{true, 2 * 168.0, 0.1, 0.05, true, 1.5};
    cfg = finish(cfg);
    const auto a = run_in_memory(cfg, 2), b = run_in_memory(cfg, 1);
    for (const char* m : {"wins", "revenue", "cost", "role.ae.staffed_mean", "role.sdr.departures", "outbound_leads"})
        CHECK(mean_of(a, m) == mean_of(b, m));
    const auto arrived = a.column("leads_arrived"), exited = a.column("leads_exited"), open = a.column("leads_open_at_end");
    const auto won = a.column("wins"), lost = a.column("losses"), disq = a.column("disqualified"), aband = a.column("abandoned");
    for (std::size_t r = 0; r < arrived.size(); ++r) {
        CHECK(exited[r] == won[r] + lost[r] + disq[r] + aband[r]);
        CHECK(arrived[r] == exited[r] + open[r]);  // no warm-up: every lead is counted
    }
    CHECK(mean_of(a, "wins") > 20.0);
    CHECK(mean_of(a, "role.sdr.departures") > 2.0);
    CHECK(mean_of(a, "role.ae.departures") > 3.0);
    CHECK(mean_of(a, "role.ae.staffed_mean") < 4.0);
    CHECK(mean_of(a, "role.ae.utilisation") <= 1.0);
}

TEST_CASE("the traffic estimate says it uses the headcount as written when staffing changes") {
    auto cfg = turnover();
    const auto est = model::estimate_traffic(cfg);
    bool said = false;
    for (const auto& w : est.warnings) said = said || w.find("role 'ae' changes over time") != std::string::npos;
    CHECK(said);
    cfg.roles[0].attrition_tenure_h = 0.0;
    for (const auto& w : model::estimate_traffic(cfg).warnings) CHECK(w.find("changes over time") == std::string::npos);
}

TEST_CASE("a person who leaves drops their deals back to the flow") {
    // Three AEs who all leave within weeks and are never replaced, and two backups who
    // stay. The AEs own the deals they start and their waiting work sits in their own
    // lines: unless leaving releases it, those deals would stay open to the end.
    auto cfg = queueing_scenario("leavers", 0.1, 26 * 168.0, 4);
    cfg.sources[0].response_time = DistributionSpec::exponential(24.0);
    cfg.roles = {role("ae", 3), role("backup", 2)};
    cfg.roles[0].attrition_tenure_h = 4 * 168.0;
    cfg.roles[0].vacancy = DistributionSpec::constant(1e7);
    cfg.roles[0].availability = 0.15;  // long sessions: an owner's own line is rarely empty
    auto s = stage("work", 0, DistributionSpec::exponential(2.0));
    s.roles = {0, 1};
    s.touches = 3;
    cfg.stages = {s};
    cfg.ownership = model::OwnershipConfig{true, 0};
    cfg.simulation.sample_every_h = 12.0;
    cfg = finish(cfg);
    model::ModelOptions logged;
    logged.record_leads = true;
    const auto r = run_in_memory(cfg, 2, logged);
    // No lead waits for someone who left: a lead still open at the end arrived lately.
    int stale = 0;
    for (const auto& l : r.lead_records) stale += l.outcome == model::Outcome::open && l.arrival_h < 20 * 168.0;
    CHECK(stale == 0);
    // Nobody who left works: at every sample the AEs busy are at most the AEs present.
    for (const auto& [rep, ts] : r.series_by_rep) {
        const auto col = [&](const char* name) {
            return static_cast<std::size_t>(std::find(ts.columns.begin(), ts.columns.end(), name) - ts.columns.begin());
        };
        const std::size_t w = ts.columns.size(), busy = col("role.ae.busy"), staffed = col("role.ae.staffed");
        REQUIRE(staffed < w);
        for (std::size_t row = 0; row < ts.rows(); ++row) CHECK(ts.data[row * w + busy] <= ts.data[row * w + staffed]);
    }
    CHECK(mean_of(r, "role.ae.departures") == doctest::Approx(3.0).epsilon(0.01));
    CHECK(mean_of(r, "leads_arrived") > 400.0);
    CHECK(mean_of(r, "leads_open_at_end") < 10.0);  // only the leads in progress at the end
    CHECK(mean_of(r, "wins") == mean_of(r, "leads_exited"));
}

TEST_CASE("a replacement is not the last worker of the lead their predecessor had in hand") {
    // One lead, one place, two touches of 500 h each, a tenure of about a day and no
    // vacancy: the first person leaves at the end of the first touch, the replacement
    // starts at once in the same place and works the second touch an hour later. That
    // touch changes hands (scenarios/README.md: a lead whose last worker left has no last
    // worker, so its next session is a handoff), also for the lead in hand at the
    // departure, whose session ended after the tenure did.
    auto cfg = queueing_scenario("in-hand", 0.0, 5000.0, 3);
    cfg.sources[0].kind = model::SourceKind::trace;
    cfg.sources[0].trace = {model::TraceLead{0.0, 1.0, 1.0}};
    cfg.sources[0].response_time = DistributionSpec::constant(1.0);
    cfg.roles = {role("ae", 1)};
    cfg.roles[0].attrition_tenure_h = 24.0;
    cfg.roles[0].vacancy = DistributionSpec::constant(0.0);
    auto s = stage("work", 0, DistributionSpec::constant(1000.0));
    s.touches = 2;
    cfg.stages = {s};
    cfg = finish(cfg);
    model::ModelOptions logged;
    logged.record_leads = true;
    const auto r = run_in_memory(cfg, 1, logged);
    REQUIRE(r.lead_records.size() == 3);
    for (const auto& l : r.lead_records) {
        CHECK(l.outcome == model::Outcome::won);
        CHECK(l.exit_h == doctest::Approx(1001.0));
        CHECK(l.hands == 1);  // was 0: the replacement counted as the lead's last worker
    }
}
