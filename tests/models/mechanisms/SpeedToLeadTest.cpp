// SpeedToLead: the chance that a lead is reached and qualifies falls with its time to
// first contact. A closed form on the lead log (wins = the sum of the curve over the
// leads' times to first contact, within a binomial bound) and paired runs on common
// random numbers: each fails if the mechanism were ignored or inverted.
#include <doctest/doctest.h>

#include <cmath>

#include "MechanismFixtures.hpp"
#include "models/mechanisms/SpeedToLead.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;
using model::mechanisms::SpeedToLead;

TEST_CASE("speed to lead: the curve is linear between its points and flat outside them") {
    const std::vector<model::CurvePoint> c{{0.5, 0.9}, {1.0, 0.5}, {3.0, 0.1}};
    CHECK(SpeedToLead::chance(c, 0.0) == 0.9);
    CHECK(SpeedToLead::chance(c, 0.75) == doctest::Approx(0.7));
    CHECK(SpeedToLead::chance(c, 2.0) == doctest::Approx(0.3));
    CHECK(SpeedToLead::chance(c, 3.0) == 0.1);
    CHECK(SpeedToLead::chance(c, 1e9) == 0.1);
    const auto hbr = model::published_speed_to_lead_curve();
    CHECK(SpeedToLead::chance(hbr, 0.0) / SpeedToLead::chance(hbr, 1.0) == doctest::Approx(7.0));
    CHECK(SpeedToLead::chance(hbr, 0.0) / SpeedToLead::chance(hbr, 24.0) == doctest::Approx(60.0));
    // The worked example of scenarios/README.md (Speed to lead).
    CHECK(SpeedToLead::chance(hbr, 0.5) == doctest::Approx(0.5714).epsilon(1e-4));
    CHECK(SpeedToLead::chance(hbr, 16.0) == doctest::Approx(0.0606).epsilon(1e-3));
    CHECK(SpeedToLead::chance(hbr, 63.0) == doctest::Approx(1.0 / 60.0));
}

TEST_CASE("speed to lead: wins are the sum of the curve over each lead's time to first contact") {
    // One stage that always wins, one person, often busy: times to first contact spread
    // from 0 to many hours. A lead is won exactly when it was reached (chance f(t)).
    auto cfg = queueing_scenario("stl", 0.8, 3000.0, 2);
    cfg.roles = {role("sdr", 1)};
    cfg.stages = {stage("contact", 0, DistributionSpec::exponential(1.0))};
    cfg.sources[0].speed_to_lead = {{0.0, 1.0}, {2.0, 0.5}, {10.0, 0.1}};
    cfg = finish(cfg);
    const auto r = run_logged(cfg);
    double wins = 0, expected = 0, var = 0;
    int closed = 0, at_once = 0;
    for (const auto& l : r.lead_records) {
        if (l.outcome == model::Outcome::open) continue;
        ++closed;
        // One stage of one touch: the wait for us is the time to first contact.
        const double f = SpeedToLead::chance(cfg.sources[0].speed_to_lead, l.wait_h);
        expected += f;
        var += f * (1.0 - f);
        if (l.outcome == model::Outcome::won) wins += 1;
        else CHECK(l.outcome == model::Outcome::disqualified);
        if (l.wait_h == 0.0) {
            ++at_once;
            CHECK(l.outcome == model::Outcome::won);  // f(0) = 1: never lost
        }
    }
    REQUIRE(closed > 3000);
    CHECK(at_once > 100);
    CHECK(expected < 0.8 * closed);  // the curve matters here: ignoring it would win every lead
    CHECK(std::abs(wins - expected) < 4.0 * std::sqrt(var));
    // The metric counts the leads not reached (no warm-up: every one).
    CHECK(mean_of(r, "unreached") * 2 == doctest::Approx(closed - wins));
}

TEST_CASE("speed to lead: on common random numbers, the published curve costs wins, and less with a faster team") {
    auto off = sales(0.3);
    off.stages[0].effort = DistributionSpec::exponential(2.5);  // one SDR 75% busy: waits of hours
    auto slow = off;
    slow.sources[0].speed_to_lead = model::published_speed_to_lead_curve();
    auto fast = slow;
    fast.roles[0].headcount = 3;  // more SDRs: a shorter first wait
    const auto r_off = run_in_memory(off), r_slow = run_in_memory(slow), r_fast = run_in_memory(fast);
    CHECK(r_off.find("unreached") == nullptr);  // off: no metric, no draw
    // The same leads arrive (the mechanism draws from its own stream).
    CHECK(r_off.column("leads_arrived") == r_slow.column("leads_arrived"));
    CHECK(mean_of(r_slow, "wins") < 0.8 * mean_of(r_off, "wins"));
    CHECK(mean_of(r_slow, "unreached") > 0.0);
    CHECK(mean_of(r_fast, "unreached") < 0.7 * mean_of(r_slow, "unreached"));
    CHECK(mean_of(r_fast, "wins") > mean_of(r_slow, "wins"));
}
