// Ownership: a deal stays with its owner from the owning stage on.
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

TEST_CASE("ownership: owned deals never change person; without it they do") {
    auto cfg = sales(0.3);
    cfg.roles = {role("gen", 4)};
    for (auto& s : cfg.stages) s.roles = {0};
    cfg = finish(cfg);
    auto owned = cfg;
    owned.ownership = model::OwnershipConfig{true, 0};
    const auto a = run_logged(owned), b = run_logged(cfg);
    int changes_without = 0;
    for (const auto& l : a.lead_records) CHECK(l.hands == 0);
    for (const auto& l : b.lead_records) changes_without += l.hands;
    CHECK(changes_without > 100);
}
