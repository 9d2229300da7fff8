// Invariants that hold in every single run, whatever the parameters: Little's law and
// conservation of leads.
#include <doctest/doctest.h>

#include "ModelTestSupport.hpp"
#include "ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
model::ScenarioConfig busy_network(double horizon) {
    auto cfg = queueing_scenario("network", 0.5, horizon, 6);
    cfg.simulation.calendar = kernel::CalendarSpec{};  // 8 h x 5 d
    cfg.roles = {role("sdr", 1), role("ae", 2)};
    auto q = stage("qualify", 0, DistributionSpec::exponential(0.3), 0.6);
    auto d = stage("discover", 1, DistributionSpec::lognormal(2.0, 1.0), 0.7);
    d.has_rework = true;
    d.rework_to = 0;
    d.rework_probability = 0.1;
    auto c = stage("close", 1, DistributionSpec::pert(0.5, 1.0, 3.0));
    c.advance_by_quality = true;
    cfg.stages = {q, d, c};
    cfg.sources[0].quality = DistributionSpec::beta(2, 3);
    return finish(cfg);
}
}  // namespace

TEST_CASE("conservation: arrived = won + lost + disqualified + abandoned + open, in every run") {
    auto cfg = busy_network(4000.0);
    SUBCASE("plain") {}
    SUBCASE("with abandonment and a gate") {
        cfg.sources[0].patience = DistributionSpec::exponential(20.0);
        cfg.stages[0].gate = model::GateConfig{true, 0.3, 0.1};
    }
    SUBCASE("overloaded, leads left open at the end") { cfg.sources[0].rate_per_h = 3.0; }
    SUBCASE("every mechanism at once") {
        cfg.sources[0].patience = DistributionSpec::exponential(40.0);
        cfg.sources[0].half_life_h = 100.0;
        cfg.sources[0].response_time = DistributionSpec::exponential(8.0);
        cfg.sources[0].seasonality = {1, 2, 1, 0.5, 1, 1, 1, 1, 1, 1, 1, 1};
        cfg.sources[0].campaigns = {model::CampaignConfig{500.0, 30}};
        model::SourceConfig out;
        out.name = "outbound";
        out.kind = model::SourceKind::prospecting;
        out.prospecting_effort = DistributionSpec::exponential(5.0);
        cfg.sources.push_back(out);
        cfg.roles[0].prospecting = model::ProspectingPolicy::reserved;
        cfg.roles[0].prospecting_share = 0.3;
        cfg.roles[0].prospecting_source = 1;
        cfg.roles[1].wip_limit = 3;
        cfg.roles[1].context_switch_loss = model::weinberg_curve();
        cfg.roles[1].discipline = model::Discipline::wsjf;
        cfg.roles[1].availability = 0.6;
        cfg.roles.push_back(role("gen", 1));
        cfg.roles.back().efficiency = {1.0, 0.8, 0.8};
        cfg.stages[1].roles = {1, 2};
        cfg.stages[1].touches = 2;
        cfg.stages[1].wip_limit = 4;
        cfg.stages[2].batch_every_h = 24.0;
        cfg.stages[0].gate = model::GateConfig{true, 0.2, 0.15};
        cfg.ownership = model::OwnershipConfig{true, 1};
        cfg.handoff.effort = DistributionSpec::constant(0.25);
        cfg.handoff.delay = DistributionSpec::exponential(12.0);
        cfg = finish(cfg);
    }
    auto rec = run_in_memory(cfg);
    const auto arrived = rec.column("leads_arrived");
    const auto exited = rec.column("leads_exited");
    const auto wins = rec.column("wins"), losses = rec.column("losses"), dq = rec.column("disqualified"),
               ab = rec.column("abandoned"), open = rec.column("leads_open_at_end");
    REQUIRE(arrived.size() == 6);
    for (std::size_t i = 0; i < arrived.size(); ++i) {
        CHECK(arrived[i] > 0);
        CHECK(exited[i] == wins[i] + losses[i] + dq[i] + ab[i]);
        CHECK(arrived[i] == exited[i] + open[i]);
    }
}

TEST_CASE("Little's law holds exactly in every run: area under WIP = total time spent by leads") {
    // Over [0, T] with no warm-up, the integral of the number in system equals the sum over
    // leads of the time each spent inside before T (open leads counted up to T).
    auto cfg = busy_network(3000.0);
    SUBCASE("working calendar") {}
    SUBCASE("24/7, overloaded") {
        cfg.simulation.calendar = kernel::CalendarSpec::always();
        cfg.sources[0].rate_per_h = 2.0;
    }
    model::ModelOptions opts;
    opts.record_leads = true;
    auto rec = run_in_memory(cfg, 2, opts);
    const auto wip = rec.column("wip_mean");
    REQUIRE(wip.size() == 6);
    std::vector<double> inside(wip.size(), 0.0);
    for (const auto& l : rec.lead_records) inside[static_cast<std::size_t>(l.replication)] += l.exit_h - l.arrival_h;
    for (std::size_t i = 0; i < wip.size(); ++i) {
        CAPTURE(i);
        CHECK(wip[i] * 3000.0 == doctest::Approx(inside[i]).epsilon(1e-9));
    }
}
