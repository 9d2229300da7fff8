// The engine's visits: touches separated by the buyer's response time.
// Paired runs on common random numbers: each test fails if the mechanism were ignored
// or inverted.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "../mechanisms/MechanismFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("buyer latency: touches separated by response time add calendar time, not work") {
    auto cfg = sales(0.1);
    auto slow = cfg;
    slow.stages[1].touches = 3;
    slow.sources[0].response_time = DistributionSpec::constant(24.0);
    const auto a = run_in_memory(cfg), b = run_in_memory(slow);
    CHECK(mean_of(b, "stage.discover.work_mean_h") == doctest::Approx(mean_of(a, "stage.discover.work_mean_h")).epsilon(0.05));
    // Every lead that finishes discovery waited 2 x 24 h for the buyer.
    CHECK(mean_of(b, "lead_time_won_mean_h") > mean_of(a, "lead_time_won_mean_h") + 40.0);
}
