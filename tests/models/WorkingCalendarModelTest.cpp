// Working calendars in the model: people work 40 of 168 hours, work pauses outside them,
// leads keep arriving at any hour.
#include <doctest/doctest.h>

#include "ModelTestSupport.hpp"
#include "ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("a role working 8 h x 5 d: utilisation is load per working hour, waits grow") {
    const double lambda = 0.1;  // per calendar hour: 16.8 leads a week
    const double horizon = sanitized() ? 20000.0 : 100000.0;
    auto always = mgc(lambda, DistributionSpec::exponential(1.5), 1, horizon, 6, 2000.0);
    auto office = always;
    office.simulation.calendar = kernel::CalendarSpec{};  // 40 of 168 hours
    const auto ra = run_in_memory(always);
    const auto ro = run_in_memory(office);
    // Offered work per week is the same; the office role has 40 h to do it in.
    const double rho_always = lambda * 1.5;
    const double rho_office = lambda * 1.5 * 168.0 / 40.0;  // 0.63
    CHECK(mean_of(ra, "role.server.utilisation") == doctest::Approx(rho_always).epsilon(0.02));
    CHECK(mean_of(ro, "role.server.utilisation") == doctest::Approx(rho_office).epsilon(0.02));
    // Same throughput (stable either way), much longer waits: a lead arriving on Friday
    // evening waits for Monday 9:00.
    CHECK(mean_of(ro, "throughput_per_week") == doctest::Approx(mean_of(ra, "throughput_per_week")).epsilon(0.02));
    const double wq_always = mmc_wq(lambda, 1.0 / 1.5, 1);
    CHECK(mean_of(ra, "stage.serve.wait_mean_h") == doctest::Approx(wq_always).epsilon(0.06));
    // At least the mean time from a random instant to the next opening hour... the closed
    // window alone makes the mean wait exceed the off-hours share times half the mean gap.
    const double off_hours_wait = (128.0 / 168.0) * 0.5 * (16.0 * 4 * 16.0 + 64.0 * 64.0) / 128.0;
    CHECK(mean_of(ro, "stage.serve.wait_mean_h") > off_hours_wait);
    CHECK(mean_of(ro, "stage.serve.wait_mean_h") > 5.0 * wq_always);
}
