// Skill: a role's skill at a stage multiplies the chance to advance (capped at 1);
// learning and ramp-up change a person's speed. Closed forms on deterministic runs and
// paired runs on common random numbers whose sign fails if the mechanism were ignored
// or inverted.
#include <doctest/doctest.h>

#include <cmath>

#include "MechanismFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
// One stage `close` worked by 5 people, far from capacity; leads of constant quality.
model::ScenarioConfig one_stage(double advance, bool by_quality, double quality = 1.0) {
    auto cfg = queueing_scenario("skill", 1.0, 3000.0, 4);
    cfg.sources[0].quality = DistributionSpec::constant(quality);
    cfg.roles = {role("ae", 5)};
    auto s = stage("close", 0, DistributionSpec::exponential(0.5), advance);
    s.advance_by_quality = by_quality;
    cfg.stages = {s};
    return finish(cfg);
}
// N leads at time 0 for one person, constant effort of 1 h per visit.
model::ScenarioConfig campaign(int n, int headcount) {
    auto cfg = queueing_scenario("campaign", 0.0, 10000.0, 1);
    cfg.sources[0].campaigns = {model::CampaignConfig{0.0, n}};
    cfg.roles = {role("ae", headcount)};
    cfg.stages = {stage("close", 0, DistributionSpec::constant(1.0))};
    return finish(cfg);
}
double win_share(const model::MemoryRecorder& r) { return mean_of(r, "wins") / mean_of(r, "leads_exited"); }
}  // namespace

TEST_CASE("skill multiplies the chance to advance, capped at 1 (closed form)") {
    SUBCASE("a numeric advance: 0.5 x 1.4 = 0.7") {
        auto cfg = one_stage(0.5, false);
        const double base = win_share(run_in_memory(cfg));
        cfg.roles[0].skill = {1.4};
        const double skilled = win_share(run_in_memory(cfg));
        CHECK(base == doctest::Approx(0.5).epsilon(0.03));
        CHECK(skilled == doctest::Approx(0.7).epsilon(0.03));
        cfg.roles[0].skill = {0.6};
        CHECK(win_share(run_in_memory(cfg)) == doctest::Approx(0.3).epsilon(0.04));
    }
    SUBCASE("advance by quality: quality 0.4 x skill 1.5 = 0.6") {
        auto cfg = one_stage(1.0, true, 0.4);
        cfg.roles[0].skill = {1.5};
        CHECK(win_share(run_in_memory(cfg)) == doctest::Approx(0.6).epsilon(0.03));
    }
    SUBCASE("capped at 1: every lead is won") {
        auto cfg = one_stage(0.5, false);
        cfg.roles[0].skill = {3.0};
        const auto r = run_in_memory(cfg);
        CHECK(mean_of(r, "wins") > 1000.0);
        CHECK(mean_of(r, "wins") == mean_of(r, "leads_exited"));
    }
}

TEST_CASE("a better discovery raises wins on common random numbers, a worse one lowers them") {
    auto cfg = sales(0.2);
    const double base = mean_of(run_in_memory(cfg), "wins");
    auto up = cfg, down = cfg;
    up.roles[1].skill = {1.0, 1.3, 1.0};
    down.roles[1].skill = {1.0, 0.7, 1.0};
    const double w_up = mean_of(run_in_memory(up), "wins"), w_down = mean_of(run_in_memory(down), "wins");
    CHECK(w_up > 1.15 * base);
    CHECK(w_down < 0.85 * base);
}

TEST_CASE("learning: efficiency x (1 + g (1 - exp(-visits / n))) (closed form)") {
    const int n = 60;
    auto cfg = campaign(n, 1);
    CHECK(mean_of(run_in_memory(cfg, 1), "stage.close.work_mean_h") == doctest::Approx(1.0));
    cfg.roles[0].learning = model::LearningConfig{1.0, 10.0, 0.0};
    double expected = 0.0;  // visit k is done after k visits
    for (int k = 0; k < n; ++k) expected += 1.0 / (1.0 + 1.0 * (1.0 - std::exp(-k / 10.0)));
    expected /= n;
    CHECK(mean_of(run_in_memory(cfg, 1), "stage.close.work_mean_h") == doctest::Approx(expected).epsilon(1e-9));
    // Visits credited to the people present at time 0.
    cfg.roles[0].learning.initial_visits = 20.0;
    expected = 0.0;
    for (int k = 0; k < n; ++k) expected += 1.0 / (1.0 + (1.0 - std::exp(-(k + 20) / 10.0)));
    CHECK(mean_of(run_in_memory(cfg, 1), "stage.close.work_mean_h") == doctest::Approx(expected / n).epsilon(1e-9));
}

TEST_CASE("ramp-up: a new person's efficiency rises linearly from its start level (closed form)") {
    const int n = 80;
    auto cfg = campaign(n, 0);
    cfg.roles[0].hires = {model::HireConfig{5.0, 1}};  // starts at 5 h, after the leads arrived
    cfg.roles[0].ramp = model::RampConfig{50.0, 0.4, 1.0};
    double t = 5.0, total = 0.0;
    for (int k = 0; k < n; ++k) {
        const double w = 1.0 / (0.4 + 0.6 * std::min(1.0, (t - 5.0) / 50.0));
        total += w;
        t += w;
    }
    const auto r = run_in_memory(cfg, 1);
    CHECK(mean_of(r, "stage.close.work_mean_h") == doctest::Approx(total / n).epsilon(1e-9));
    CHECK(mean_of(r, "role.ae.starts") == 1.0);
    CHECK(mean_of(r, "role.ae.staffed_mean") == doctest::Approx((10000.0 - 5.0) / 10000.0));
}

TEST_CASE("ramp-up of skill lowers the advance chance of new people only") {
    auto cfg = one_stage(0.5, false);
    cfg.roles[0].headcount = 0;
    cfg.roles[0].hires = {model::HireConfig{0.0, 5}};
    auto ramped = cfg;
    ramped.roles[0].ramp = model::RampConfig{1e6, 1.0, 0.5};  // still near the start level at the end
    const double a = win_share(run_in_memory(cfg)), b = win_share(run_in_memory(ramped));
    CHECK(a == doctest::Approx(0.5).epsilon(0.03));
    CHECK(b == doctest::Approx(0.25).epsilon(0.05));  // 0.5 x a skill factor of about 0.5
}
