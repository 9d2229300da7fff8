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
