// PersonalWipLimit: an owner at the limit takes no new deal.
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

TEST_CASE("per-person WIP limit with context switching: less WIP, shorter lead time, as Little's law says") {
    auto cfg = sales(0.3);
    cfg.ownership = model::OwnershipConfig{true, 1};
    cfg.roles[1].context_switch_loss = model::weinberg_curve();
    auto limited = cfg;
    limited.roles[1].wip_limit = 3;
    const auto a = run_in_memory(cfg), b = run_in_memory(limited);
    // Owners who start every deal at once juggle many and work slower (context
    // switching); a limit keeps deals waiting before the owners instead, in a line that
    // moves faster: less WIP and shorter lead times at the same throughput.
    CHECK(mean_of(b, "wip_mean") < 0.8 * mean_of(a, "wip_mean"));
    CHECK(mean_of(b, "lead_time_mean_h") < 0.8 * mean_of(a, "lead_time_mean_h"));
    CHECK(mean_of(b, "throughput_per_week") >= 0.98 * mean_of(a, "throughput_per_week"));
    CHECK(mean_of(b, "stage.discover.work_mean_h") < mean_of(a, "stage.discover.work_mean_h"));
    // Little's law on the limited (stable) organisation: L = lambda W.
    const double lambda = mean_of(b, "leads_arrived") / b.info.horizon_h;
    CHECK(mean_of(b, "wip_mean") == doctest::Approx(lambda * mean_of(b, "lead_time_mean_h")).epsilon(0.1));
}

TEST_CASE("per-person WIP limit holds through handoff delays: nobody owns more than the limit") {
    // Every deal changes hands from the SDR to an AE at discovery, so it first waits a
    // handoff delay for the AE chosen as its receiver; meanwhile that AE may take other
    // new deals. Overloaded AEs (limit 2 each) must still never own more than 2: the time
    // average of the deals the role owns is at most 2 per AE. Before the fix the receiver
    // took the deal after the delay whatever it owned by then (about 2.6 per AE here).
    auto cfg = sales(0.6);
    cfg.ownership = model::OwnershipConfig{true, 1};
    cfg.roles[1].wip_limit = 2;
    cfg.handoff.delay = DistributionSpec::constant(24.0);
    const auto r = run_in_memory(cfg);
    const double per_ae = mean_of(r, "role.ae.deals_owned_mean") / 3.0;
    CHECK(per_ae <= 2.0 + 1e-9);
    CHECK(per_ae > 1.5);  // and the limit binds: the AEs are loaded
    // Without the delay (no receiver reserved) the same bound holds, as before.
    cfg.handoff.delay = DistributionSpec::constant(0.0);
    CHECK(mean_of(run_in_memory(cfg), "role.ae.deals_owned_mean") / 3.0 <= 2.0 + 1e-9);
}
