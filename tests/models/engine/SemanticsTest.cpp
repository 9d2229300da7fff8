// The semantics the reference documents, each shown by a small case whose answer is
// known exactly (scenarios/README.md, "How the model works").
#include <doctest/doctest.h>

#include "../mechanisms/MechanismFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
// One lead source fed by a trace; one role of `people` on an 8 h x 5 d calendar
// (Mon-Fri 9:00-17:00, time 0 = Monday 00:00).
model::ScenarioConfig office(std::vector<double> arrivals, int people, double horizon = 400.0) {
    auto cfg = queueing_scenario("office", 0.0, horizon, 1);
    cfg.simulation.calendar = kernel::CalendarSpec{8.0, 5, 9.0};
    cfg.sources[0].kind = model::SourceKind::trace;
    for (double t : arrivals) cfg.sources[0].trace.push_back(model::TraceLead{t, 1.0, 1000.0});
    cfg.roles = {role("rep", people)};
    cfg.stages = {stage("work", 0, DistributionSpec::constant(1.0))};
    return finish(cfg);
}
}  // namespace

TEST_CASE("outside working hours a lead waits for us: a Saturday lead with 10 h patience gives up") {
    // Saturday 10:00 is t = 5 x 24 + 10; the person is free but off until Monday 9:00.
    auto cfg = office({130.0}, 1);
    cfg.sources[0].patience = DistributionSpec::constant(10.0);
    auto rec = run_in_memory(cfg, 1);
    CHECK(mean_of(rec, "abandoned") == 1.0);
    CHECK(mean_of(rec, "wins") == 0.0);
    SUBCASE("with patience until Monday it is worked then, after waiting 47 h") {
        cfg.sources[0].patience = DistributionSpec::constant(100.0);
        rec = run_in_memory(cfg, 1);
        CHECK(mean_of(rec, "wins") == 1.0);
        CHECK(mean_of(rec, "stage.work.wait_mean_h") == doctest::Approx(168.0 + 9.0 - 130.0));
    }
}

TEST_CASE("counts are events after the warm-up: leads that arrived before it and reach proposal after it count") {
    // Two leads arrive at 1 h and 2 h; the warm-up ends at 10 h; each spends 20 h in
    // discovery, then enters the proposal stage (after the warm-up) and is won.
    auto cfg = queueing_scenario("warm", 0.0, 200.0, 1, 10.0);
    cfg.sources[0].kind = model::SourceKind::trace;
    cfg.sources[0].trace = {model::TraceLead{1.0, 1.0, 1.0}, model::TraceLead{2.0, 1.0, 1.0}};
    cfg.roles = {role("rep", 2)};
    cfg.stages = {stage("discover", 0, DistributionSpec::constant(20.0)), stage("proposal", 0, DistributionSpec::constant(1.0))};
    cfg = finish(cfg);
    const auto rec = run_in_memory(cfg, 1);
    CHECK(mean_of(rec, "leads_arrived") == 0.0);  // arrivals before the warm-up
    CHECK(mean_of(rec, "proposals") == 2.0);
    CHECK(mean_of(rec, "wins") == 2.0);
    CHECK(mean_of(rec, "hit_rate") == 1.0);
}

TEST_CASE("one handoff rule: the last worker keeps a lead when free; a change of person is a handoff") {
    auto cfg = office({}, 2, 2000.0);
    cfg.simulation.calendar = kernel::CalendarSpec::always();
    cfg.sources[0].kind = model::SourceKind::poisson;
    cfg.sources[0].rate_per_h = 0.02;  // one lead at a time, mostly
    cfg.stages = {stage("qualify", 0, DistributionSpec::constant(1.0)), stage("discover", 0, DistributionSpec::constant(1.0)),
                  stage("close", 0, DistributionSpec::constant(1.0))};
    cfg.roles[0].efficiency.clear();  // sized again for three stages
    cfg = finish(cfg);
    model::ModelOptions logged;
    logged.record_leads = true;
    SUBCASE("a free last worker takes the next visit: no change of hands at light load") {
        const auto rec = run_in_memory(cfg, 1, logged);
        int hands = 0;
        for (const auto& l : rec.lead_records) hands += l.hands;
        CHECK(rec.lead_records.size() > 20);
        CHECK(hands == 0);
    }
    SUBCASE("within one role a change of person waits for the handoff delay") {
        // Two touches per visit, the buyer answering after 8 h: meanwhile the worker takes
        // other leads, so some second touches go to the other person: a handoff.
        cfg.sources[0].rate_per_h = 0.4;
        for (auto& s : cfg.stages) s.touches = 2;
        cfg.sources[0].response_time = DistributionSpec::constant(8.0);
        auto delayed = cfg;
        delayed.handoff.delay = DistributionSpec::constant(24.0);
        const auto a = run_in_memory(cfg, 1, logged), b = run_in_memory(delayed, 1, logged);
        int hands = 0;
        for (const auto& l : a.lead_records) hands += l.hands;
        CHECK(hands > 10);
        CHECK(mean_of(a, "stage.discover.handoff_delay_mean_h") == 0.0);
        CHECK(mean_of(b, "stage.discover.handoff_delay_mean_h") > 1.0);
        CHECK(mean_of(b, "lead_time_mean_h") > mean_of(a, "lead_time_mean_h") + 5.0);
    }
}

TEST_CASE("ownership respects a stage's order of roles: experts first, then the owning executive") {
    // Proposal work prefers a solution expert (first role), then the account executive
    // who owns the deal. Before this rule every proposal went to its owner.
    auto cfg = sales(0.2);
    cfg.roles = {role("sdr", 1), role("ae", 3), role("se", 2)};
    cfg.stages[2].roles = {2, 1};
    cfg.ownership = model::OwnershipConfig{true, 1};
    cfg = finish(cfg);
    const auto rec = run_in_memory(cfg);
    CHECK(mean_of(rec, "role.se.utilisation") > 0.05);
    CHECK(mean_of(rec, "wins") > 0.0);
}

TEST_CASE("funnel: named stages count opportunities and proposals the same way with or without a gate") {
    // Four stages; discovery advances 60%, proposal 50%. With the funnel named,
    // opportunities = entries into discovery (every lead: qualify always advances) and
    // proposals = entries into proposal (60% of them), whatever the gate does.
    auto cfg = queueing_scenario("funnel", 0.3, 20000.0, 4);
    cfg.roles = {role("p", 4)};
    cfg.stages = {stage("qualify", 0, DistributionSpec::constant(0.2)), stage("discovery", 0, DistributionSpec::constant(0.5), 0.6),
                  stage("proposal", 0, DistributionSpec::constant(0.5), 0.5), stage("close", 0, DistributionSpec::constant(0.5))};
    cfg.funnel = model::FunnelConfig{1, 2};
    cfg = finish(cfg);
    const auto rec = run_in_memory(cfg);
    const double n = mean_of(rec, "leads_arrived");
    CHECK(mean_of(rec, "opportunities") / n == doctest::Approx(1.0).epsilon(0.01));
    CHECK(mean_of(rec, "proposals") / n == doctest::Approx(0.6).epsilon(0.03));
    CHECK(mean_of(rec, "hit_rate") == doctest::Approx(0.5).epsilon(0.04));
    // A gate before discovery (a threshold no lead fails: quality 1) leaves them unchanged.
    auto gated = cfg;
    gated.stages[0].gate = model::GateConfig{true, 0.5, 0.0};
    const auto g = run_in_memory(gated);
    CHECK(mean_of(g, "opportunities") == mean_of(rec, "opportunities"));
    CHECK(mean_of(g, "proposals") == mean_of(rec, "proposals"));
}
