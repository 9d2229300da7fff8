// QuarterEnd: pressure to close in the last weeks of each 13-week quarter. Paired runs
// on common random numbers: closing work pulled forward concentrates wins in the window,
// the discount lowers revenue by exactly the discount of the window's revenue, and the
// extra loss removes wins only inside the window.
#include <doctest/doctest.h>

#include "MechanismFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;

namespace {
// A year (four quarters) of the sales process with more leads than the three AEs can
// work, so closing work waits and priority matters; the quarter-end window is on but
// every effect is off: the reference for the paired runs.
model::ScenarioConfig year() {
    auto cfg = sales(0.6, 52 * 168.0);
    cfg.quarter_end = model::QuarterEndConfig{true, 2 * 168.0, 0.0, 0.0, false, 1.0};
    return cfg;
}
}  // namespace

TEST_CASE("closing work pulled forward concentrates wins in the window") {
    const auto base_cfg = year();
    auto pushed = base_cfg;
    pushed.quarter_end.priority = true;
    pushed.quarter_end.speed = 2.0;
    const auto base = run_in_memory(base_cfg), push = run_in_memory(pushed);
    const double time_share = 2.0 / 13.0;
    const double share_base = mean_of(base, "wins_in_quarter_end_share");
    const double share_push = mean_of(push, "wins_in_quarter_end_share");
    CHECK(share_base == doctest::Approx(time_share).epsilon(0.25));
    CHECK(share_push > 1.5 * time_share);
    CHECK(share_push > 1.5 * share_base);
    CHECK(mean_of(push, "wins") > mean_of(base, "wins"));  // faster closing in the window
}

TEST_CASE("the discount lowers revenue by the discount of the window's revenue (linear in the discount)") {
    auto cfg = year();
    const double r0 = mean_of(run_in_memory(cfg), "revenue");
    cfg.quarter_end.discount = 0.2;
    const auto d2 = run_in_memory(cfg);
    cfg.quarter_end.discount = 0.4;
    const auto d4 = run_in_memory(cfg);
    const double r2 = mean_of(d2, "revenue"), r4 = mean_of(d4, "revenue");
    // The discount changes no flow: revenue = R - discount x (revenue won in the window).
    CHECK(r0 - r2 == doctest::Approx(0.5 * (r0 - r4)).epsilon(1e-9));
    CHECK(r2 < r0);
    CHECK(mean_of(d2, "wins") == mean_of(run_in_memory(year()), "wins"));
    // Revenue per win is lower.
    CHECK(r2 / mean_of(d2, "wins") < r0 / mean_of(d2, "wins"));
}

TEST_CASE("the extra loss removes wins inside the window only") {
    const auto base_cfg = year();
    auto lossy = base_cfg;
    lossy.quarter_end.extra_loss = 0.3;
    const auto a = run_in_memory(base_cfg), b = run_in_memory(lossy);
    const double in_a = mean_of(a, "wins_in_quarter_end"), in_b = mean_of(b, "wins_in_quarter_end");
    // A lost deal leaves when a won one would: the flow is the same, the routing draws too.
    CHECK(mean_of(a, "wins") - in_a == doctest::Approx(mean_of(b, "wins") - in_b));
    CHECK(in_b < in_a);
    CHECK(in_b / in_a == doctest::Approx(0.7).epsilon(0.12));
}
