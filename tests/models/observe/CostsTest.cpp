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

TEST_CASE("revenue_per_quota_person: revenue per quota-carrying person-year; by default the roles of the last stage") {
    auto cfg = queueing_scenario("quota", 0.2, 8760.0 * 1.5, 3, 8760.0 * 0.5);  // one measured year
    cfg.roles = {role("sdr", 2), role("ae", 3)};
    cfg.stages = {stage("qualify", 0, DistributionSpec::exponential(0.5)), stage("close", 1, DistributionSpec::exponential(2.0))};
    cfg.sources[0].value = DistributionSpec::constant(5000.0);
    cfg = finish(cfg);
    auto check = [](const model::MemoryRecorder& rec, double people) {
        const auto revenue = rec.column("revenue"), per = rec.column("revenue_per_quota_person");
        REQUIRE(revenue.size() == 3);
        for (std::size_t i = 0; i < revenue.size(); ++i) CHECK(per[i] == doctest::Approx(revenue[i] / people / 1.0));
        CHECK(per[0] > 0.0);
    };
    check(run_in_memory(cfg), 3.0);             // default: the AEs, who work the last stage
    cfg.roles[0].quota = true;                  // explicit: SDRs too
    check(run_in_memory(cfg), 5.0);
    cfg.roles[1].quota = false;                 // only the SDRs
    check(run_in_memory(cfg), 2.0);
    cfg.roles[0].quota = false;                 // nobody: 0, as productivity without people
    const auto none = run_in_memory(cfg).column("revenue_per_quota_person");
    for (double v : none) CHECK(v == 0.0);
}

TEST_CASE("the headline metrics lead the catalogue: profit, revenue_per_cost, revenue_per_quota_person") {
    const model::MetricCatalog catalog(mgc(0.2, DistributionSpec::exponential(2.0), 2, 100.0, 1, 0.0));
    REQUIRE(catalog.size() > 3);
    CHECK(catalog.names()[0] == "profit");
    CHECK(catalog.names()[1] == "revenue_per_cost");
    CHECK(catalog.names()[2] == "revenue_per_quota_person");
    CHECK(catalog.info(2).direction == model::Direction::higher);
    CHECK(catalog.info(2).unit == model::Unit::money_per_person_year);
}
