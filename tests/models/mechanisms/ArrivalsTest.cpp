// Arrivals: Poisson with seasonality, campaigns and traces.
// Paired runs on common random numbers: each test fails if the mechanism were ignored
// or inverted.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "MechanismFixtures.hpp"
#include "kernel/WorkingCalendar.hpp"

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

namespace {
// Leads of every replication, and how many arrived inside the 8 h x 5 d working calendar.
struct HoursCount {
    double leads = 0.0;
    double inside = 0.0;
};
HoursCount count_hours(const model::MemoryRecorder& r) {
    const kernel::WorkingCalendar cal{kernel::CalendarSpec{}};
    HoursCount c;
    for (const auto& l : r.lead_records) {
        c.leads += 1.0;
        if (cal.is_working(l.arrival_h)) c.inside += 1.0;
    }
    return c;
}
model::ScenarioConfig office_hours(std::optional<double> share) {
    auto cfg = sales(0.25, 52 * 168.0);  // 2 replications x about 2,184 leads
    cfg.simulation.calendar = kernel::CalendarSpec{};  // 8 h x 5 d from 9:00, for everyone
    cfg.sources[0].working_hours_share = share;
    cfg.simulation.replications = 2;
    return cfg;
}
}  // namespace

TEST_CASE("arrivals: working_hours_share puts a share p of the leads in working hours and keeps the rate") {
    const double w = 40.0 / 168.0;
    for (const double p : {0.8, 0.0, 1.0}) {
        CAPTURE(p);
        const auto c = count_hours(run_logged(office_hours(p)));
        // The count: Poisson with mean rate x horizon x replications (4 sd).
        const double mean = 0.25 * 52 * 168.0 * 2;
        CHECK(std::abs(c.leads - mean) < 4.0 * std::sqrt(mean));
        // The share inside: binomial around p (4 sd; exact at 0 and 1).
        CHECK(std::abs(c.inside / c.leads - p) <= 4.0 * std::sqrt(p * (1 - p) / c.leads));
    }
    // p = w: the same distribution as no key (both shares near w).
    for (const std::optional<double> p : {std::optional<double>{}, std::optional<double>{w}}) {
        const auto c = count_hours(run_logged(office_hours(p)));
        CHECK(std::abs(c.inside / c.leads - w) < 4.0 * std::sqrt(w * (1 - w) / c.leads));
    }
    // Without the key no thinning draw is made: the arrivals are those of a run with p on a
    // 24/7 calendar at p = 1 (the key has no effect there either).
    auto plain = office_hours(std::nullopt);
    plain.simulation.calendar = kernel::CalendarSpec::always();
    auto one = plain;
    one.sources[0].working_hours_share = 1.0;
    const auto a = run_logged(plain), b = run_logged(one);
    REQUIRE(a.lead_records.size() == b.lead_records.size());
    for (std::size_t i = 0; i < a.lead_records.size(); ++i) CHECK(a.lead_records[i].arrival_h == b.lead_records[i].arrival_h);
}

TEST_CASE("arrivals: with speed to lead, leads arriving in working hours are reached more often (same seeds)") {
    auto off = office_hours(std::nullopt);
    off.simulation.horizon_h = 26 * 168.0;
    off.sources[0].speed_to_lead = model::published_speed_to_lead_curve();
    auto office = off;
    office.sources[0].working_hours_share = 0.9;
    const auto r_off = run_in_memory(off), r_office = run_in_memory(office);
    const double reached_off = 1.0 - mean_of(r_off, "unreached") / mean_of(r_off, "leads_arrived");
    const double reached_office = 1.0 - mean_of(r_office, "unreached") / mean_of(r_office, "leads_arrived");
    CHECK(reached_office > reached_off + 0.2);
    CHECK(mean_of(r_office, "wins") > mean_of(r_off, "wins"));
}
