// TimeSeriesSampler: the sampled state agrees with the run's own counts.
#include <doctest/doctest.h>

#include <algorithm>

#include "../ModelTestSupport.hpp"
#include "../ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("time series: one row per period from 0 to the horizon; counts match the metrics") {
    auto cfg = mgc(0.5, DistributionSpec::exponential(1.5), 1, 1000.0, 3, 0.0);
    cfg.simulation.sample_every_h = 10.0;
    const auto rec = run_in_memory(cfg);
    REQUIRE(rec.series_by_rep.size() == 3);
    const auto arrived = rec.column("leads_arrived");
    const auto open = rec.column("leads_open_at_end");
    for (const auto& [rep, ts] : rec.series_by_rep) {
        CAPTURE(rep);
        REQUIRE(ts.rows() == 101);  // t = 0, 10, ..., 1000
        const std::size_t w = ts.columns.size();
        auto col = [&](const char* name) {
            return static_cast<std::size_t>(std::find(ts.columns.begin(), ts.columns.end(), name) - ts.columns.begin());
        };
        CHECK(ts.data[0] == 0.0);
        CHECK(ts.data[(ts.rows() - 1) * w] == 1000.0);
        const auto last = (ts.rows() - 1) * w;
        // No warm-up and no arrival exactly at the horizon: the last sample holds every lead.
        CHECK(ts.data[last + col("arrivals_cum")] == arrived[static_cast<std::size_t>(rep)]);
        CHECK(ts.data[last + col("wip")] == open[static_cast<std::size_t>(rep)]);
        // Conservation in every row: arrived - exited = in the system.
        for (std::size_t r = 0; r < ts.rows(); ++r)
            CHECK(ts.data[r * w + col("arrivals_cum")] - ts.data[r * w + col("exits_cum")] == ts.data[r * w + col("wip")]);
    }
}
