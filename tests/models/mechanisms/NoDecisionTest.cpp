// NoDecision: a failing deal ends without a decision with a chance that grows with the
// weeks it waited for us and its weeks since arrival. A closed form on the lead log (the
// no-decision count is the sum of each failing lead's chance, within a binomial bound)
// and a paired run on common random numbers that splits the losses and changes nothing
// else: each fails if the mechanism were ignored or inverted.
#include <doctest/doctest.h>

#include <cmath>

#include "MechanismFixtures.hpp"
#include "models/mechanisms/NoDecision.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;
using model::mechanisms::NoDecision;

TEST_CASE("no decision: the chance grows with the weeks waited and the weeks since arrival, capped at 1") {
    model::NoDecisionConfig c;
    c.share = 0.2;
    c.per_week_waited = 0.1;
    c.per_week_lead_time = 0.05;
    CHECK(NoDecision::chance(c, 0.0, 0.0) == doctest::Approx(0.2));
    CHECK(NoDecision::chance(c, 168.0, 336.0) == doctest::Approx(0.2 + 0.1 + 0.1));
    CHECK(NoDecision::chance(c, 168.0 * 20, 0.0) == 1.0);
    // The worked example of scenarios/README.md (No decision): the defaults, 2 weeks
    // waited, 60 days since arrival.
    CHECK(NoDecision::chance(model::NoDecisionConfig{}, 336.0, 1440.0) == doctest::Approx(0.4829).epsilon(1e-4));
}

TEST_CASE("no decision: the count of no decisions is the sum of each failing lead's chance") {
    // Two stages; close never wins, so every lead that reaches it fails there. One closer,
    // often busy, so waits and lead times spread over weeks.
    auto cfg = queueing_scenario("nd", 0.05, 20000.0, 2);
    cfg.roles = {role("sdr", 1), role("ae", 1)};
    cfg.stages = {stage("qualify", 0, DistributionSpec::exponential(1.0), 0.5),
                  stage("close", 1, DistributionSpec::exponential(35.0), 0.0)};
    cfg.no_decision.enabled = true;
    cfg.no_decision.share = 0.1;
    cfg.no_decision.per_week_waited = 0.15;
    cfg.no_decision.per_week_lead_time = 0.1;
    cfg = finish(cfg);
    const auto r = run_logged(cfg);
    double nd = 0, expected = 0, var = 0;
    int failed = 0, early_lost = 0;
    for (const auto& l : r.lead_records) {
        if (l.outcome == model::Outcome::lost && l.last_stage == 0) {
            ++early_lost;  // before `from` (the last stage): always lost
            continue;
        }
        if (l.outcome != model::Outcome::lost && l.outcome != model::Outcome::no_decision) continue;
        REQUIRE(l.last_stage == 1);
        ++failed;
        const double p = NoDecision::chance(cfg.no_decision, l.wait_h, l.exit_h - l.arrival_h);
        expected += p;
        var += p * (1.0 - p);
        if (l.outcome == model::Outcome::no_decision) nd += 1;
    }
    REQUIRE(failed > 700);
    CHECK(early_lost > 700);
    CHECK(expected > 0.2 * failed);  // the waits matter: the base share alone gives 0.1
    CHECK(expected < 0.9 * failed);
    CHECK(std::abs(nd - expected) < 4.0 * std::sqrt(var));
    CHECK(mean_of(r, "no_decision") * 2 == doctest::Approx(nd));
}

TEST_CASE("no decision: on common random numbers it splits the losses and changes nothing else") {
    auto off = sales(0.3);
    auto on = off;
    on.no_decision.enabled = true;  // the documented defaults
    const auto r_off = run_in_memory(off), r_on = run_in_memory(on);
    CHECK(r_off.find("no_decision") == nullptr);
    CHECK(r_on.column("wins") == r_off.column("wins"));
    CHECK(r_on.column("revenue") == r_off.column("revenue"));
    CHECK(r_on.column("disqualified") == r_off.column("disqualified"));
    // losses keep their meaning (every deal that did not advance, the results contract);
    // lost_to_competitor and no_decision split them.
    CHECK(r_on.column("losses") == r_off.column("losses"));
    CHECK(r_off.find("lost_to_competitor") == nullptr);
    const auto lost_off = r_off.column("losses"), lost_on = r_on.column("lost_to_competitor"), nd = r_on.column("no_decision");
    REQUIRE(lost_off.size() == nd.size());
    double share = 0, n = 0;
    for (std::size_t i = 0; i < nd.size(); ++i) {
        CHECK(lost_on[i] + nd[i] == lost_off[i]);
        share += nd[i];
        n += lost_off[i];
    }
    // Losses at discovery stay losses; at close at least the base share (0.4) is no decision.
    CHECK(share > 0.1 * n);
    CHECK(share < 0.9 * n);
}
