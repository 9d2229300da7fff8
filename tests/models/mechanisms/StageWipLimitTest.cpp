// StageWipLimit: a full stage makes upstream leads wait (pull).
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

TEST_CASE("stage WIP limit: a stage never holds more leads than its limit; upstream waits (pull)") {
    auto cfg = sales(0.3);
    cfg.stages[1].wip_limit = 3;
    cfg.simulation.sample_every_h = 1.0;
    const auto r = run_in_memory(cfg);
    const auto& ts = r.series_by_rep.begin()->second;
    const auto col = std::find(ts.columns.begin(), ts.columns.end(), "stage.discover.wip") - ts.columns.begin();
    double max_wip = 0.0;
    for (std::size_t row = 0; row < ts.rows(); ++row) max_wip = std::max(max_wip, ts.data[row * ts.columns.size() + col]);
    CHECK(max_wip <= 3.0);
    CHECK(max_wip == 3.0);
    CHECK(mean_of(r, "stage.discover.wip_mean") <= 3.0);
}
