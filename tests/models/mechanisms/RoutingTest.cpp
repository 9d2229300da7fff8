// Routing and rework: where a lead goes when a visit ends, against closed forms.
#include <doctest/doctest.h>

#include "MechanismFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("routing: visits per lead follow the geometric rework loop and the advance probability") {
    // Stage 1 sends a lead back to itself with probability r, so it is visited
    // 1 / (1 - r) times per lead; it then advances with probability a, so a share a of
    // the leads reaches stage 2. Light load, no warm-up effects: counts are exact ratios.
    const double r = 0.25, a = 0.6;
    auto cfg = queueing_scenario("routing", 0.2, 40000.0, 4);
    cfg.roles = {role("p", 3)};
    auto s1 = stage("first", 0, DistributionSpec::exponential(0.5), a);
    s1.has_rework = true;
    s1.rework_to = 0;
    s1.rework_probability = r;
    auto s2 = stage("second", 0, DistributionSpec::exponential(0.5));
    cfg.stages = {s1, s2};
    cfg = finish(cfg);
    const auto rec = run_in_memory(cfg);
    const double leads = mean_of(rec, "leads_arrived");
    REQUIRE(leads > 5000);
    // Binomial/geometric sampling error at ~8000 leads is about 1%: 4% bounds.
    CHECK(mean_of(rec, "stage.first.visits") / leads == doctest::Approx(1.0 / (1.0 - r)).epsilon(0.04));
    CHECK(mean_of(rec, "stage.second.visits") / leads == doctest::Approx(a).epsilon(0.04));
    CHECK(mean_of(rec, "wins") / leads == doctest::Approx(a).epsilon(0.04));
    CHECK(mean_of(rec, "losses") / leads == doctest::Approx(1.0 - a).epsilon(0.06));
}

TEST_CASE("routing: `advance: quality` advances a lead with its win chance") {
    // Quality uniform on [0, 1] and no decay: the share advancing is E[q] = 0.5.
    auto cfg = queueing_scenario("by-quality", 0.2, 40000.0, 4);
    cfg.sources[0].quality = DistributionSpec::uniform(0.0, 1.0);
    cfg.roles = {role("p", 2)};
    auto s = stage("close", 0, DistributionSpec::exponential(0.5));
    s.advance_by_quality = true;
    cfg.stages = {s};
    cfg = finish(cfg);
    const auto rec = run_in_memory(cfg);
    CHECK(mean_of(rec, "wins") / mean_of(rec, "leads_exited") == doctest::Approx(0.5).epsilon(0.04));
}
