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

TEST_CASE("ownership: an owner's deal in a stage's shared line is not blocked by another owner's deal ahead of it") {
    // Close is worked by the owning AE. Written `roles: [ae]`, the owner's role is the
    // stage's first, so owned work waits in the owner's own line. Written `roles: [se, ae]`
    // with no experts staffed, the same work waits in the stage's shared line, where each
    // AE may take only their own deals: every AE must find their first deal in that line
    // even when another AE's deal is at its front. The two runs are then the same, lead
    // for lead (before the fix, an AE waited behind other owners' deals: fewer wins).
    auto base = sales(0.35);
    base.roles = {role("sdr", 1), role("ae", 3), role("se", 0)};
    base.ownership = model::OwnershipConfig{true, 1};
    auto own_line = base, shared = base;
    own_line.stages[2].roles = {1};
    shared.stages[2].roles = {2, 1};
    const auto a = run_logged(finish(own_line)), b = run_logged(finish(shared));
    for (const char* m : {"wins", "revenue", "lead_time_mean_h", "leads_exited"}) {
        const auto x = a.column(m), y = b.column(m);
        REQUIRE(x.size() == y.size());
        for (std::size_t r = 0; r < x.size(); ++r) CHECK(x[r] == doctest::Approx(y[r]).epsilon(1e-12));
    }
    CHECK(mean_of(b, "wins") > 20);
}
