// Batching: leads wait for the periodic release of their stage.
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

TEST_CASE("batching: leads wait for the weekly release, half a week on average") {
    auto cfg = queueing_scenario("batch", 0.5, 52 * 168.0, 4);
    cfg.roles = {role("team", 200)};
    cfg.stages = {stage("triage", 0, DistributionSpec::constant(0.1))};
    cfg.stages[0].batch_every_h = 168.0;
    cfg = finish(cfg);
    const auto r = run_logged(cfg);
    // Poisson arrivals wait uniformly up to the next release: 84 h on average.
    CHECK(mean_of(r, "stage.triage.wait_mean_h") == doctest::Approx(84.0).epsilon(0.04));
    int exited = 0;
    for (const auto& l : r.lead_records) {
        if (l.outcome == model::Outcome::open) continue;
        ++exited;
        const double since_release = std::fmod(l.exit_h, 168.0);
        CHECK(since_release == doctest::Approx(0.1).epsilon(1e-6));  // all worked at once at the release
    }
    CHECK(exited > 1000);
    auto flowing = cfg;
    flowing.stages[0].batch_every_h = 0.0;
    CHECK(mean_of(run_in_memory(flowing), "lead_time_mean_h") < 1.0);
}
