// WinChanceDecay: the win chance halves per half-life of waiting for us.
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

TEST_CASE("buyers move on: a shorter half-life lowers the win rate") {
    auto slow = sales(0.5);  // busy AEs: leads wait
    slow.sources[0].half_life_h = 10000.0;
    auto fast = slow;
    fast.sources[0].half_life_h = 20.0;
    const auto a = run_in_memory(slow), b = run_in_memory(fast);
    CHECK(mean_of(a, "leads_arrived") == mean_of(b, "leads_arrived"));  // same leads
    CHECK(mean_of(b, "win_rate") < 0.8 * mean_of(a, "win_rate"));
    CHECK(mean_of(b, "hit_rate") < mean_of(a, "hit_rate"));
}
