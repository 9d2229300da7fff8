// Gate: leads estimated below the threshold are disqualified.
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

TEST_CASE("qualification gate: removes leads estimated below the threshold, raises the hit rate") {
    auto open = sales(0.3);
    auto gated = open;
    gated.stages[0].gate = model::GateConfig{true, 0.4, 0.0};
    const auto a = run_logged(open), b = run_logged(gated);
    int dq = 0;
    for (const auto& l : b.lead_records) {
        if (l.outcome == model::Outcome::disqualified) {
            ++dq;
            CHECK(l.quality < 0.4);  // no noise: exactly those below
        } else if (l.outcome != model::Outcome::open && l.last_stage > 0) {
            CHECK(l.quality >= 0.4);
        }
    }
    CHECK(dq > 50);
    CHECK(mean_of(b, "hit_rate") > mean_of(a, "hit_rate") + 0.05);
    CHECK(mean_of(b, "opportunities") < mean_of(b, "leads_arrived"));
    SUBCASE("with estimation noise some good leads are lost and some bad ones pass") {
        auto noisy = gated;
        noisy.stages[0].gate.noise_sd = 0.2;
        const auto n = run_logged(noisy);
        int good_lost = 0, bad_passed = 0;
        for (const auto& l : n.lead_records) {
            if (l.outcome == model::Outcome::disqualified && l.quality >= 0.4) ++good_lost;
            if (l.outcome != model::Outcome::disqualified && l.last_stage > 0 && l.quality < 0.4) ++bad_passed;
        }
        CHECK(good_lost > 0);
        CHECK(bad_passed > 0);
    }
}
