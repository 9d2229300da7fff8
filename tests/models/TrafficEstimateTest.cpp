// The analytic estimate against closed forms of the traffic equations.
#include <doctest/doctest.h>

#include <cmath>

#include "ModelTestSupport.hpp"
#include "ScenarioFixtures.hpp"
#include "models/TrafficEstimate.hpp"
#include "models/mechanisms/SpeedToLead.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("tandem with loss: visits are products of advance probabilities") {
    auto cfg = queueing_scenario("t", 2.0, 1000.0, 1);
    cfg.roles = {role("a", 1), role("b", 3)};
    cfg.stages = {stage("s1", 0, DistributionSpec::exponential(0.25), 0.5),
                  stage("s2", 1, DistributionSpec::exponential(2.0), 0.4),
                  stage("s3", 1, DistributionSpec::constant(1.0))};
    cfg = finish(cfg);
    const auto est = model::estimate_traffic(cfg);
    REQUIRE(est.visits.size() == 3);
    CHECK(est.visits[0] == doctest::Approx(1.0));
    CHECK(est.visits[1] == doctest::Approx(0.5));
    CHECK(est.visits[2] == doctest::Approx(0.2));
    CHECK(est.arrivals_per_h == doctest::Approx(2.0));
    // Role a: 2/h x 0.25 h = 0.5 of one person; role b: 2 x (0.5 x 2 + 0.2 x 1) = 2.4 of 3.
    CHECK(est.roles[0].load == doctest::Approx(0.5));
    CHECK(est.roles[1].load == doctest::Approx(0.8));
    CHECK(est.roles[1].offered_h_per_week == doctest::Approx(2.4 * 168));
    CHECK(est.stable);
}

TEST_CASE("rework loops: geometric visits, and a feedback network solved exactly") {
    auto cfg = queueing_scenario("r", 1.0, 1000.0, 1);
    cfg.roles = {role("a", 1), role("b", 2), role("c", 1)};
    auto s1 = stage("s1", 0, DistributionSpec::exponential(0.5), 0.5);
    auto s2 = stage("s2", 1, DistributionSpec::exponential(1.5), 0.8);
    s2.has_rework = true;
    s2.rework_to = 1;
    s2.rework_probability = 0.25;
    auto s3 = stage("s3", 2, DistributionSpec::exponential(1.0), 0.5);
    s3.has_rework = true;
    s3.rework_to = 1;
    s3.rework_probability = 0.2;
    cfg.stages = {s1, s2, s3};
    cfg = finish(cfg);
    const auto est = model::estimate_traffic(cfg);
    // v2 = 0.5 + 0.25 v2 + 0.2 v3, v3 = 0.75 x 0.8 x v2.
    const double v2 = 0.5 / (1.0 - 0.25 - 0.2 * 0.6);
    CHECK(est.visits[1] == doctest::Approx(v2));
    CHECK(est.visits[2] == doctest::Approx(0.6 * v2));
    SUBCASE("self-loop only") {
        cfg.stages = {s1};
        cfg.stages[0].has_rework = true;
        cfg.stages[0].rework_to = 0;
        cfg.stages[0].rework_probability = 0.75;
        cfg = finish(cfg);
        CHECK(model::estimate_traffic(cfg).visits[0] == doctest::Approx(4.0));
    }
}

TEST_CASE("overload is flagged, calendars and availability scale capacity") {
    auto cfg = queueing_scenario("o", 0.2, 1000.0, 1);
    cfg.simulation.calendar = kernel::CalendarSpec{};  // 40 h a week
    cfg.roles = {role("ae", 1)};
    cfg.stages = {stage("close", 0, DistributionSpec::exponential(1.0))};
    cfg = finish(cfg);
    auto est = model::estimate_traffic(cfg);
    CHECK(est.roles[0].capacity_h_per_week == doctest::Approx(40.0));
    CHECK(est.roles[0].load == doctest::Approx(0.2 * 168 / 40));  // 0.84
    CHECK(est.stable);
    cfg.roles[0].availability = 0.5;
    est = model::estimate_traffic(cfg);
    CHECK(est.roles[0].load == doctest::Approx(2 * 0.84));
    CHECK_FALSE(est.stable);
    REQUIRE_FALSE(est.warnings.empty());
    CHECK(est.warnings[0].find("ae") != std::string::npos);
    cfg.roles[0].headcount = 0;
    est = model::estimate_traffic(cfg);
    CHECK(std::isinf(est.roles[0].load));
}

TEST_CASE("quality-driven advance and gates: pass rates from the quality distribution") {
    auto cfg = queueing_scenario("q", 1.0, 1000.0, 1);
    cfg.sources[0].quality = DistributionSpec::uniform(0.0, 1.0);
    cfg.roles = {role("a", 5)};
    auto s1 = stage("qualify", 0, DistributionSpec::constant(0.1));
    s1.gate = model::GateConfig{true, 0.5, 0.0};        // keeps half, those above 0.5
    auto s2 = stage("close", 0, DistributionSpec::constant(1.0));
    s2.advance_by_quality = true;
    auto s3 = stage("after", 0, DistributionSpec::constant(1.0));
    cfg.stages = {s1, s2, s3};
    cfg = finish(cfg);
    const auto est = model::estimate_traffic(cfg);
    CHECK(est.visits[1] == doctest::Approx(0.5).epsilon(0.002));
    // E[q | q > 0.5] = 0.75 for a uniform quality.
    CHECK(est.visits[2] == doctest::Approx(0.5 * 0.75).epsilon(0.002));
    SUBCASE("a noisy gate: pass = integral of Phi((q - 0.5) / sd) = 1/2 by symmetry") {
        cfg.stages[0].gate.noise_sd = 0.2;
        CHECK(model::estimate_traffic(cfg).visits[1] == doctest::Approx(0.5).epsilon(0.002));
    }
    SUBCASE("beta(2, 3) quality, no gate: advance = E[q] = 0.4; then E[q^2] / E[q] = 0.5") {
        cfg.sources[0].quality = DistributionSpec::beta(2, 3);
        cfg.stages[0].gate.enabled = false;
        const auto e2 = model::estimate_traffic(cfg);
        CHECK(e2.visits[2] == doctest::Approx(0.4).epsilon(0.002));
    }
    SUBCASE("quality clamped to [0, 1]: a uniform on [-1, 1] puts half its mass at 0") {
        cfg.sources[0].quality = DistributionSpec::uniform(-1.0, 1.0);
        cfg.stages[0].gate.enabled = false;
        // E[clamp(q)] = 0.5 x 0 + 0.5 x 0.5 = 0.25.
        CHECK(model::estimate_traffic(cfg).visits[2] == doctest::Approx(0.25).epsilon(0.002));
    }
}

TEST_CASE("estimate warnings: near capacity, a WIP limit that cannot bind, a stage nobody works, a source with no lead") {
    auto cfg = queueing_scenario("w", 0.9, 1000.0, 1);
    cfg.roles = {role("a", 1), role("b", 0)};
    cfg.stages = {stage("one", 0, DistributionSpec::constant(1.0))};
    cfg = finish(cfg);
    auto has = [](const model::TrafficEstimate& e, const std::string& part) {
        for (const auto& w : e.warnings)
            if (w.find(part) != std::string::npos) return true;
        return false;
    };
    auto est = model::estimate_traffic(cfg);
    CHECK(has(est, "role 'a' is near capacity (load 0.9)"));
    CHECK(est.stable);
    cfg.roles[0].wip_limit = 3;
    CHECK(has(model::estimate_traffic(cfg), "role 'a' has a personal wip_limit of 3 that cannot bind: there is no ownership"));
    cfg.ownership = model::OwnershipConfig{true, 0};
    CHECK_FALSE(has(model::estimate_traffic(cfg), "cannot bind"));
    cfg.stages.push_back(stage("two", 1, DistributionSpec::constant(1.0)));
    cfg.roles[0].efficiency.clear();
    cfg.roles[1].efficiency.clear();
    cfg = finish(cfg);
    CHECK(has(model::estimate_traffic(cfg), "stage 'two' has no one to work it"));
    cfg.sources[0].rate_per_h = 0.0;
    CHECK(has(model::estimate_traffic(cfg), "source 'inbound' brings no lead within the horizon"));
    cfg.sources[0].rate_per_h = 0.3;
    CHECK_FALSE(has(model::estimate_traffic(cfg), "near capacity"));
}

TEST_CASE("speed to lead normalised to a typical firm: the raw rate at the first stage, the written rate after it") {
    auto cfg = queueing_scenario("t", 2.0, 1000.0, 1);
    cfg.roles = {role("a", 1), role("b", 3)};
    cfg.stages = {stage("s1", 0, DistributionSpec::exponential(0.1), 0.5),
                  stage("s2", 1, DistributionSpec::exponential(2.0))};
    cfg.sources[0].speed_to_lead = model::published_speed_to_lead_curve();
    cfg = finish(cfg);
    // A curve without normalise is not in the estimate.
    auto est = model::estimate_traffic(cfg);
    CHECK(est.arrivals_per_h == doctest::Approx(2.0));
    CHECK(est.visits[1] == doctest::Approx(0.5));
    cfg.sources[0].speed_to_lead_normalise = model::SpeedToLeadNormalise::typical;
    const double p = model::mechanisms::SpeedToLead::typical_chance(cfg.sources[0].speed_to_lead, 1.0);
    est = model::estimate_traffic(cfg);
    CHECK(est.arrivals_per_h == doctest::Approx(2.0 / p));
    CHECK(est.visits[1] == doctest::Approx(0.5 * p));
    // The second stage sees the written rate: 2/h x 0.5 x 2 h = 2 of 3 people.
    CHECK(est.stage_rate_per_h[1] == doctest::Approx(1.0));
    CHECK(est.roles[1].load == doctest::Approx(2.0 / 3.0));
    CHECK(est.roles[0].load == doctest::Approx(2.0 / p * 0.1));
}
