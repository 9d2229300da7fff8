// Invariants that hold in every single run, whatever the parameters: Little's law and
// conservation of leads.
#include <doctest/doctest.h>

#include "ModelTestSupport.hpp"
#include "ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
// The start of the every-mechanism scenario (ScenarioFixtures.hpp) with no mechanism on.
model::ScenarioConfig busy_network(double horizon) { return finish(test::busy_network("network", horizon, 6)); }
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
        cfg.sources.push_back(outbound(DistributionSpec::exponential(5.0)));
        reserve_prospecting(cfg.roles[0], 0.3, 1);
        cfg.roles.push_back(role("gen", 1));
        team_mechanisms(cfg);  // as in the every-mechanism scenario
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
