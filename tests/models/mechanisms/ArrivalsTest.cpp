// Arrivals: Poisson with seasonality, campaigns and traces.
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

TEST_CASE("arrivals: seasonality follows the monthly multipliers; a campaign adds a burst") {
    auto cfg = sales(0.2, 8760.0);
    cfg.simulation.replications = 4;
    cfg.sources[0].seasonality = {2, 2, 2, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    const auto r = run_logged(cfg);
    std::map<int, int> per_month;
    for (const auto& l : r.lead_records) per_month[static_cast<int>(l.arrival_h / 730.0)]++;
    const double reps = 4.0, expect_peak = 0.2 * 2 * 730 * reps;
    CHECK(per_month[0] == doctest::Approx(expect_peak).epsilon(0.1));
    CHECK(per_month[4] == 0);
    CHECK(per_month[8] == doctest::Approx(expect_peak / 2).epsilon(0.12));
    auto camp = sales(0.0, 1000.0);
    camp.sources[0].campaigns = {model::CampaignConfig{100.0, 40}};
    const auto c = run_logged(camp);
    CHECK(mean_of(c, "leads_arrived") == 40.0);
    for (const auto& l : c.lead_records) CHECK(l.arrival_h == 100.0);
}

TEST_CASE("trace-driven arrivals reproduce the trace") {
    auto cfg = sales(0.0, 500.0);
    cfg.sources[0].kind = model::SourceKind::trace;
    for (int i = 0; i < 30; ++i) cfg.sources[0].trace.push_back(model::TraceLead{10.0 * i + 1.0, 0.9, 1000.0 + i});
    cfg.simulation.replications = 2;
    const auto r = run_logged(cfg);
    std::vector<model::LeadRecord> rep0;
    for (const auto& l : r.lead_records)
        if (l.replication == 0) rep0.push_back(l);
    REQUIRE(rep0.size() == 30);
    // Records come in exit order; the trace is in arrival (= lead number) order.
    std::sort(rep0.begin(), rep0.end(), [](const auto& a, const auto& b) { return a.lead < b.lead; });
    for (int i = 0; i < 30; ++i) {
        CHECK(rep0[i].arrival_h == 10.0 * i + 1.0);
        CHECK(rep0[i].quality == 0.9);
        CHECK(rep0[i].value == 1000.0 + i);
    }
}
