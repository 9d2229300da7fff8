// The engine's working time: availability, efficiency and a role's own calendar.
// Paired runs on common random numbers: each test fails if the mechanism were ignored
// or inverted.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "../mechanisms/MechanismFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("availability and efficiency scale the time work takes") {
    auto cfg = sales(0.1);
    auto spec = cfg;
    spec.roles[1].efficiency = {1.0, 2.0, 1.0};
    const auto a = run_in_memory(cfg), b = run_in_memory(spec);
    CHECK(mean_of(b, "stage.discover.work_mean_h") == doctest::Approx(0.5 * mean_of(a, "stage.discover.work_mean_h")).epsilon(0.05));
    auto part = cfg;
    part.roles[1].availability = 0.5;
    const auto c = run_in_memory(part);
    CHECK(mean_of(c, "role.ae.utilisation") == doctest::Approx(2.0 * mean_of(a, "role.ae.utilisation")).epsilon(0.05));
}

TEST_CASE("a role's own calendar: half the working hours, twice the utilisation") {
    auto cfg = sales(0.05);
    cfg.simulation.calendar = kernel::CalendarSpec{};        // everyone 8 h x 5 d...
    auto part = cfg;
    part.roles[1].calendar = kernel::CalendarSpec{4.0, 5, 9.0};  // ...but these AEs 4 h x 5 d
    const auto a = run_in_memory(cfg), b = run_in_memory(part);
    CHECK(mean_of(b, "role.ae.utilisation") == doctest::Approx(2.0 * mean_of(a, "role.ae.utilisation")).epsilon(0.06));
    CHECK(mean_of(b, "role.sdr.utilisation") == doctest::Approx(mean_of(a, "role.sdr.utilisation")).epsilon(0.02));
    CHECK(mean_of(b, "stage.discover.wait_mean_h") > mean_of(a, "stage.discover.wait_mean_h"));
}
