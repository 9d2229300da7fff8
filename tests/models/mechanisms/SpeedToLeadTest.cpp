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
    // Two points at one time: a step (the second point's value from that time on).
    const std::vector<model::CurvePoint> step{{1.0, 1.0}, {1.0, 0.2}, {3.0, 0.1}};
    CHECK(SpeedToLead::chance(step, 0.99) == 1.0);
    CHECK(SpeedToLead::chance(step, 1.01) == doctest::Approx(0.2 - 0.1 * 0.01 / 2.0));
    CHECK(SpeedToLead::chance(step, 2.0) == doctest::Approx(0.15));
    // HBR 2011: within the first hour 7 times as likely as in the second hour, 60 times as
    // likely as after 24 hours or more; linear from 1/7 at 2 h to 1/60 at 24 h.
    const auto hbr = model::published_speed_to_lead_curve();
    for (double t : {0.0, 0.5, 0.999}) CHECK(SpeedToLead::chance(hbr, t) == 1.0);
    for (double t : {1.001, 1.5, 2.0}) CHECK(SpeedToLead::chance(hbr, t) == doctest::Approx(1.0 / 7.0));
    CHECK(SpeedToLead::chance(hbr, 13.0) == doctest::Approx((1.0 / 7.0 + 1.0 / 60.0) / 2.0));
    for (double t : {24.0, 48.0, 1e6}) CHECK(SpeedToLead::chance(hbr, t) == doctest::Approx(1.0 / 60.0));
    // The worked example of scenarios/README.md (Speed to lead), strengths 1 and 0.5.
    CHECK(SpeedToLead::chance(hbr, 0.5) == 1.0);
    CHECK(SpeedToLead::chance(hbr, 16.0) == doctest::Approx(0.0626).epsilon(1e-3));
    CHECK(SpeedToLead::chance(hbr, 63.0) == doctest::Approx(1.0 / 60.0));
    CHECK(SpeedToLead::chance(hbr, 1.5, 0.5) == doctest::Approx(0.3780).epsilon(1e-4));
    CHECK(SpeedToLead::chance(hbr, 16.0, 0.5) == doctest::Approx(0.2501).epsilon(1e-3));
    CHECK(SpeedToLead::chance(hbr, 63.0, 0.5) == doctest::Approx(0.1291).epsilon(1e-3));
    // The strength: f^s; s = 0 is flat (also where f = 0).
    CHECK(SpeedToLead::chance(hbr, 30.0, 0.5) == doctest::Approx(std::sqrt(1.0 / 60.0)));
    CHECK(SpeedToLead::chance(hbr, 30.0, 0.0) == 1.0);
    CHECK(SpeedToLead::chance({{0.0, 0.0}}, 5.0, 0.0) == 1.0);
}

TEST_CASE("speed to lead: the typical firm's chance is the curve over HBR 2011's response times") {
    // The reference: 37/77 within the hour, 16/77 in 1-24 h (uniform), 24/77 later, with
    // the mean of the firms that answered, 42 h.
    const double mean = SpeedToLead::typical_share_hour * 0.5 + SpeedToLead::typical_share_day * 12.5 +
                        SpeedToLead::typical_share_late * (24.0 + SpeedToLead::typical_tail_mean_h);
    CHECK(mean == doctest::Approx(42.0));
    CHECK(SpeedToLead::typical_tail_mean_h == doctest::Approx(101.646).epsilon(1e-4));
    // Closed form for the published curve: 1 in the first hour; in 1-24 h the mean of
    // 1/7 over [1, 2] and of the line from 1/7 to 1/60 over [2, 24]; 1/60 later.
    const auto hbr = model::published_speed_to_lead_curve();
    const double day = (1.0 / 7.0 + 22.0 * (1.0 / 7.0 + 1.0 / 60.0) / 2.0) / 23.0;
    const double expected = (37.0 + 16.0 * day + 24.0 / 60.0) / 77.0;
    CHECK(SpeedToLead::typical_chance(hbr, 1.0) == doctest::Approx(expected).epsilon(1e-4));
    CHECK(expected == doctest::Approx(0.503).epsilon(1e-3));
    CHECK(SpeedToLead::typical_chance(hbr, 0.0) == doctest::Approx(1.0));
    // A flat curve: exactly its value to the power s.
    CHECK(SpeedToLead::typical_chance({{0.0, 0.25}}, 0.5) == doctest::Approx(0.5));
    // A weaker curve loses fewer leads: the chance rises as the strength falls.
    CHECK(SpeedToLead::typical_chance(hbr, 0.5) > expected);
    CHECK(SpeedToLead::typical_chance(hbr, 0.5) < 1.0);
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

TEST_CASE("speed to lead: on common random numbers, strength 0 is no curve and strength 0.5 lies between") {
    auto off = sales(0.3);
    off.stages[0].effort = DistributionSpec::exponential(2.5);  // one SDR 75% busy: waits of hours
    auto full = off;
    full.sources[0].speed_to_lead = model::published_speed_to_lead_curve();
    auto flat = full;
    flat.sources[0].speed_to_lead_strength = 0.0;
    auto half = full;
    half.sources[0].speed_to_lead_strength = 0.5;
    const auto r_off = run_in_memory(off), r_full = run_in_memory(full), r_flat = run_in_memory(flat),
               r_half = run_in_memory(half);
    // Strength 0: every lead is kept, the draw comes from the mechanism's own stream, so
    // the run is that without a curve.
    CHECK(r_flat.column("wins") == r_off.column("wins"));
    CHECK(r_flat.column("revenue") == r_off.column("revenue"));
    CHECK(mean_of(r_flat, "unreached") == 0.0);
    // Strength 0.5: f^0.5 >= f, so fewer leads lost than with the curve, more than none.
    CHECK(mean_of(r_half, "unreached") > 0.0);
    CHECK(mean_of(r_half, "unreached") < 0.8 * mean_of(r_full, "unreached"));
    CHECK(mean_of(r_half, "wins") > mean_of(r_full, "wins"));
    CHECK(mean_of(r_half, "wins") < mean_of(r_off, "wins"));
}

TEST_CASE("speed to lead: normalise typical divides the Poisson rate by the typical firm's chance") {
    auto plain = sales(0.3);
    plain.sources[0].speed_to_lead = model::published_speed_to_lead_curve();
    auto norm = plain;
    norm.sources[0].speed_to_lead_normalise = model::SpeedToLeadNormalise::typical;
    const double p = SpeedToLead::typical_chance(norm.sources[0].speed_to_lead, 1.0);
    CHECK(SpeedToLead::arrival_scale(plain.sources[0]) == 1.0);
    CHECK(SpeedToLead::arrival_scale(norm.sources[0]) == doctest::Approx(1.0 / p));
    // The same uniforms drive the inter-arrival times, scaled by p: the counts scale by 1/p
    // up to the leads at the ends of the measured window.
    const auto r_plain = run_in_memory(plain), r_norm = run_in_memory(norm);
    const double a = mean_of(r_plain, "leads_arrived"), b = mean_of(r_norm, "leads_arrived");
    CHECK(a > 1000);
    CHECK(b / a == doctest::Approx(1.0 / p).epsilon(0.01));
    // At strength 0 the typical firm keeps every lead: nothing is scaled.
    norm.sources[0].speed_to_lead_strength = 0.0;
    CHECK(SpeedToLead::arrival_scale(norm.sources[0]) == doctest::Approx(1.0));
}

TEST_CASE("SpeedToLead: arrival_scale remembers typical_chance per curve, bit for bit") {
    // Several sources with different curves and strengths, asked in turn, as the builds of
    // successive replications do: every answer is 1 / typical_chance of its own curve.
    const auto hbr = model::published_speed_to_lead_curve();
    std::vector<model::SourceConfig> sources(3);
    sources[0].speed_to_lead = hbr;
    sources[1].speed_to_lead = hbr;
    sources[1].speed_to_lead_strength = 0.5;
    sources[2].speed_to_lead = {{0.0, 0.8}, {10.0, 0.2}};
    for (auto& s : sources) s.speed_to_lead_normalise = model::SpeedToLeadNormalise::typical;
    for (int round = 0; round < 3; ++round)
        for (const auto& s : sources)
            CHECK(SpeedToLead::arrival_scale(s) == 1.0 / SpeedToLead::typical_chance(s.speed_to_lead, s.speed_to_lead_strength));
    // A curve that changes (same size, another value) gets its own answer.
    auto changed = sources[2];
    changed.speed_to_lead[1].value = 0.4;
    CHECK(SpeedToLead::arrival_scale(changed) == 1.0 / SpeedToLead::typical_chance(changed.speed_to_lead, 1.0));
    CHECK(SpeedToLead::arrival_scale(changed) != SpeedToLead::arrival_scale(sources[2]));
}
