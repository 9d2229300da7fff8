// WarmUp: metrics count only what happens after the warm-up.
#include <doctest/doctest.h>

#include "../ModelTestSupport.hpp"
#include "../ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("warm-up: arrivals counted only after it, time averages only over the measured span") {
    // Poisson arrivals at 2/h over 10,000 h with a 6,000 h warm-up: about 8,000 counted,
    // not 20,000. An M/M/1 at rho = 0.5 has mean WIP 1 whatever the span.
    auto cfg = mgc(2.0, DistributionSpec::exponential(0.25), 1, 10000.0, 8, 6000.0);
    const auto rec = run_in_memory(cfg);
    CHECK(mean_of(rec, "leads_arrived") == doctest::Approx(8000.0).epsilon(0.02));
    CHECK(mean_of(rec, "throughput_per_week") == doctest::Approx(2.0 * 168.0).epsilon(0.02));
    CHECK(mean_of(rec, "wip_mean") == doctest::Approx(1.0).epsilon(0.06));
}
