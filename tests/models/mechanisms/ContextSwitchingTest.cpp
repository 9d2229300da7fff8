// ContextSwitching: owners with many open deals work slower.
// Paired runs on common random numbers: each test fails if the mechanism were ignored
// or inverted.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "MechanismFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("context switching lowers throughput of owners with many open deals") {
    auto cfg = sales(0.45);
    cfg.ownership = model::OwnershipConfig{true, 1};
    auto cs = cfg;
    cs.roles[1].context_switch_loss = model::weinberg_curve();
    const auto a = run_in_memory(cfg), b = run_in_memory(cs);
    CHECK(mean_of(b, "wins") < 0.95 * mean_of(a, "wins"));
    CHECK(mean_of(b, "stage.discover.work_mean_h") > 1.2 * mean_of(a, "stage.discover.work_mean_h"));
}

TEST_CASE("the per-open-deal curve: work / (1 - min(max, c (n - 1))) (closed form)") {
    // N leads at time 0 for one owner, two touches each and a buyer who answers only
    // after every first touch is done: lead k's first touch starts with k open deals,
    // its second with N - k + 1, so the mean work per visit is
    // (w / N) x sum over k of 1 / (1 - loss(k)).
    const int n = 20;
    auto cfg = queueing_scenario("cs", 0.0, 10000.0, 1);
    cfg.sources[0].campaigns = {model::CampaignConfig{0.0, n}};
    cfg.sources[0].response_time = DistributionSpec::constant(1000.0);
    cfg.roles = {role("ae", 1)};
    auto s = stage("close", 0, DistributionSpec::constant(2.0));
    s.touches = 2;
    cfg.stages = {s};
    cfg.ownership = model::OwnershipConfig{true, 0};
    cfg = finish(cfg);
    CHECK(mean_of(run_in_memory(cfg, 1), "stage.close.work_mean_h") == doctest::Approx(2.0));
    cfg.roles[0].context_switch_per_deal = 0.03;
    cfg.roles[0].context_switch_max = 0.4;
    double expected = 0.0;
    for (int k = 1; k <= n; ++k) expected += 1.0 / (1.0 - std::min(0.4, 0.03 * (k - 1)));
    expected *= 2.0 / n;
    const double measured = mean_of(run_in_memory(cfg, 1), "stage.close.work_mean_h");
    CHECK(measured == doctest::Approx(expected).epsilon(1e-9));
    CHECK(measured > 2.0);
    // Gentler than Weinberg's curve on the same flow.
    cfg.roles[0].context_switch_per_deal = 0.0;
    cfg.roles[0].context_switch_loss = model::weinberg_curve();
    CHECK(mean_of(run_in_memory(cfg, 1), "stage.close.work_mean_h") > 1.5 * measured);
}
