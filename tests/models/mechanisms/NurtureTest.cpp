// Nurture: leads that end badly come back later as new leads. A closed form (a delayed
// feedback loop: the steady-state arrival rate is the external rate / (1 - the recycled
// share)) and checks that the returning leads come as the named source with the new
// quality: each fails if the mechanism were ignored or inverted.
#include <doctest/doctest.h>

#include <cmath>

#include "MechanismFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
// Every lead is lost at once (advance 0, plenty of people); a share r of them recycles.
model::ScenarioConfig loop(double r, int reps, double warmup) {
    auto cfg = queueing_scenario("loop", 1.0, 3000.0, reps, warmup);
    cfg.roles = {role("rep", 40)};
    cfg.stages = {stage("work", 0, DistributionSpec::exponential(0.5), 0.0)};
    cfg.nurture.enabled = true;
    cfg.nurture.disqualified = cfg.nurture.abandoned = cfg.nurture.no_decision = 0.0;
    cfg.nurture.lost = r;
    cfg.nurture.delay = DistributionSpec::exponential(20.0);
    return finish(cfg);
}
}  // namespace

TEST_CASE("nurture: a recycled share r makes the arrival rate external / (1 - r)") {
    for (const double r : {0.5, 0.8}) {
        CAPTURE(r);
        const auto rec = run_in_memory(loop(r, 30, 500.0));
        const double span = 2500.0;
        const auto* arrived = rec.find("leads_arrived");
        REQUIRE(arrived != nullptr);
        const double want = 1.0 / (1.0 - r) * span;
        // The interval of the mean over replications holds the closed form (with a margin
        // of one more half-width for the interval's own uncertainty).
        const double half = arrived->ci_high - arrived->mean;
        CHECK(std::abs(arrived->mean - want) < 2.0 * half);
        CHECK(std::abs(arrived->mean - want) < 0.03 * want);
        // Recycled arrivals are the share r of all arrivals; nurtured exits the share r of all exits.
        CHECK(mean_of(rec, "recycled") == doctest::Approx(r * want).epsilon(0.03));
        CHECK(mean_of(rec, "nurtured") / mean_of(rec, "leads_exited") == doctest::Approx(r).epsilon(0.02));
    }
}

TEST_CASE("nurture: leads come back as the named source, with the new quality, after the delay") {
    auto cfg = loop(0.5, 2, 0.0);
    model::SourceConfig back;
    back.name = "recycled";
    back.rate_per_h = 0.0;
    back.quality = DistributionSpec::constant(1.0);
    cfg.sources.push_back(back);
    cfg.nurture.source = 1;
    cfg.nurture.quality = DistributionSpec::constant(0.25);
    cfg.nurture.delay = DistributionSpec::constant(100.0);
    cfg.sources[0].quality = DistributionSpec::constant(0.75);
    const auto rec = run_logged(cfg);
    double from_pool = 0, nurtured = 0;
    for (const auto& l : rec.lead_records) {
        if (l.source == 1) {
            from_pool += 1;
            CHECK(l.quality == 0.25);
            CHECK(l.arrival_h >= 100.0);  // nothing comes back before the delay
        } else {
            CHECK(l.quality == 0.75);
        }
        if (l.outcome == model::Outcome::nurtured) {
            nurtured += 1;
            CHECK(l.exit_h - l.arrival_h < 30.0);  // left at once (the work), not held
        }
    }
    CHECK(from_pool == 2 * mean_of(rec, "recycled"));
    CHECK(nurtured == 2 * mean_of(rec, "nurtured"));
    // Every nurtured lead returns 100 h later unless that is past the horizon.
    CHECK(from_pool > 0.9 * nurtured);
    CHECK(from_pool <= nurtured);
}

TEST_CASE("nurture: off, nothing is recycled and no metric is declared; on, half the lost leads are nurtured and still count as losses") {
    auto off = loop(0.5, 4, 500.0);
    off.nurture = model::NurtureConfig{};
    const auto r_off = run_in_memory(off);
    CHECK(r_off.find("nurtured") == nullptr);
    CHECK(r_off.find("recycled") == nullptr);
    CHECK(mean_of(r_off, "leads_arrived") == doctest::Approx(2500.0).epsilon(0.03));
    const auto r_on = run_in_memory(loop(0.5, 4, 500.0));
    CHECK(mean_of(r_on, "nurtured") / mean_of(r_on, "leads_exited") == doctest::Approx(0.5).epsilon(0.03));
    CHECK(mean_of(r_on, "losses") == mean_of(r_on, "leads_exited"));  // the outcome they ended with
    CHECK(mean_of(r_off, "losses") == mean_of(r_off, "leads_exited"));
}
