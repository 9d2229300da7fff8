// Handoffs: a delay and receiver work where hands change.
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

TEST_CASE("handoffs: a delay and receiver work where hands change") {
    auto cfg = sales(0.1);
    auto h = cfg;
    h.handoff.delay = DistributionSpec::constant(24.0);
    h.handoff.effort = DistributionSpec::constant(1.0);
    const auto a = run_in_memory(cfg), b = run_in_memory(h);
    // qualify (sdr) -> discover (ae) changes role: +24 h; discover -> close stays with ae.
    CHECK(mean_of(b, "lead_time_won_mean_h") > mean_of(a, "lead_time_won_mean_h") + 20.0);
    CHECK(mean_of(b, "stage.discover.work_mean_h") > mean_of(a, "stage.discover.work_mean_h") + 0.8);
}
