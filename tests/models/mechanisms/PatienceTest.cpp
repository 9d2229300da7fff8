// Patience: buyers give up after waiting longer than their patience.
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

TEST_CASE("buyer patience: abandoned leads waited at least their patience, and more leave when it is short") {
    auto cfg = sales(0.6);  // overloaded
    cfg.sources[0].patience = DistributionSpec::constant(30.0);
    const auto r = run_logged(cfg);
    int abandoned = 0;
    for (const auto& l : r.lead_records)
        if (l.outcome == model::Outcome::abandoned) {
            ++abandoned;
            CHECK(l.wait_h >= 30.0 - 1e-9);
            CHECK(l.exit_h - l.arrival_h >= 30.0 - 1e-9);
        }
    CHECK(abandoned > 20);
    auto longer = cfg;
    longer.sources[0].patience = DistributionSpec::constant(300.0);
    CHECK(mean_of(run_in_memory(longer), "abandoned") < 0.5 * mean_of(r, "abandoned"));
}
