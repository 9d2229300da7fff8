// Costs, profit and revenue per cost, against their definitions.
#include <doctest/doctest.h>

#include "../ModelTestSupport.hpp"
#include "../ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

TEST_CASE("cost = (role costs + overhead per person) x measured years + reorganisation; profit = revenue - cost") {
    auto cfg = mgc(0.2, DistributionSpec::exponential(2.0), 2, 8760.0 * 1.5, 3, 8760.0 * 0.5);  // one measured year
    cfg.roles[0].cost_per_year = 100000.0;
    cfg.sources[0].value = DistributionSpec::constant(5000.0);
    cfg.costs.overhead_per_person_per_year = 20000.0;
    cfg.costs.reorganisation = 50000.0;
    const auto rec = run_in_memory(cfg);
    const auto cost = rec.column("cost"), revenue = rec.column("revenue"), profit = rec.column("profit"),
               per_cost = rec.column("revenue_per_cost");
    for (std::size_t i = 0; i < cost.size(); ++i) {
        CHECK(cost[i] == doctest::Approx(2 * (100000.0 + 20000.0) * 1.0 + 50000.0));
        CHECK(profit[i] == doctest::Approx(revenue[i] - cost[i]));
        CHECK(per_cost[i] == doctest::Approx(revenue[i] / cost[i]));
    }
    CHECK(mean_of(rec, "revenue") > 0.0);
}
