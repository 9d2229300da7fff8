// The lean engine (optional mechanisms compiled out of the per-event hooks, Engine.hpp)
// gives exactly the results of the full engine: a scenario the lean engine runs is run
// again with an optional mechanism switched on in a way that changes nothing (a stage
// WIP limit that never binds, a patience no buyer reaches, context switching without
// ownership, or the event log kept), which makes SalesModel pick the full engine; every metric, every
// time-series value and every lead record must be bit-identical.
#include <doctest/doctest.h>

#include <atomic>
#include <span>

#include "../mechanisms/MechanismFixtures.hpp"
#include "models/engine/Components.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {

model::ScenarioConfig plain() {
    auto cfg = sales(0.2, 3000.0);
    cfg.simulation.replications = 3;
    cfg.simulation.warmup_h = 200.0;
    cfg.simulation.sample_every_h = 100.0;
    cfg.simulation.calendar = kernel::CalendarSpec{};  // working hours, not round the clock
    cfg.stages[1].has_rework = true;
    cfg.stages[1].rework_to = 0;
    cfg.stages[1].rework_probability = 0.1;
    cfg.roles[1].discipline = model::Discipline::wsjf;
    cfg.roles[0].discipline = model::Discipline::highest_value_first;
    return finish(cfg);
}

void check_same(const model::MemoryRecorder& a, const model::MemoryRecorder& b) {
    REQUIRE(a.info.metric_names == b.info.metric_names);
    REQUIRE(a.rows.size() == b.rows.size());
    for (std::size_t r = 0; r < a.rows.size(); ++r)
        for (std::size_t m = 0; m < a.rows[r].size(); ++m) {
            INFO(a.info.metric_names[m]);
            CHECK(a.rows[r][m] == b.rows[r][m]);
        }
    REQUIRE(a.series_by_rep.size() == b.series_by_rep.size());
    for (const auto& [rep, ts] : a.series_by_rep) CHECK(ts.data == b.series_by_rep.at(rep).data);
    REQUIRE(a.lead_records.size() == b.lead_records.size());
    CHECK(a.lead_records.size() > 1000);
    int differ = 0;
    for (std::size_t i = 0; i < a.lead_records.size(); ++i) {
        const auto &x = a.lead_records[i], &y = b.lead_records[i];
        if (x.lead != y.lead || x.outcome != y.outcome || x.exit_h != y.exit_h || x.work_h != y.work_h ||
            x.wait_h != y.wait_h || x.hands != y.hands || x.last_stage != y.last_stage)
            ++differ;
    }
    CHECK(differ == 0);
}

}  // namespace

TEST_CASE("lean engine: a scenario with every optional mechanism off runs lean, and one switched on does not") {
    const auto cfg = plain();
    CHECK(model::engine::optional_mechanisms_off(cfg, {}));
    auto wip = cfg;
    wip.stages[1].wip_limit = 1000000;
    CHECK_FALSE(model::engine::optional_mechanisms_off(wip, {}));
    auto patient = cfg;
    patient.sources[0].patience = DistributionSpec::constant(1e9);
    CHECK_FALSE(model::engine::optional_mechanisms_off(patient, {}));
    model::ModelOptions events;
    events.record_events = true;
    CHECK_FALSE(model::engine::optional_mechanisms_off(cfg, events));
    auto owned = cfg;
    owned.ownership = model::OwnershipConfig{true, 1};
    CHECK_FALSE(model::engine::optional_mechanisms_off(owned, {}));
}

TEST_CASE("lean engine: the same metrics, time series and lead log as the full engine") {
    const auto cfg = plain();
    const auto lean = run_logged(cfg);
    CHECK(lean.rows.size() == 3);
    SUBCASE("a stage WIP limit that never binds") {
        auto full = cfg;
        full.stages[1].wip_limit = 1000000;
        check_same(lean, run_logged(full));
    }
    SUBCASE("a patience no buyer reaches (its timers are scheduled and cancelled)") {
        auto full = cfg;
        full.sources[0].patience = DistributionSpec::constant(1e9);
        check_same(lean, run_logged(full));
    }
    SUBCASE("the event log kept (the lead log is kept in every run here)") {
        model::ModelOptions o;
        o.record_leads = true;
        o.record_events = true;
        std::atomic<std::size_t> events{0};
        o.event_sink = [&](int, std::span<const model::FlowEvent> v) { events += v.size(); };
        check_same(lean, run_in_memory(cfg, 2, o));
        CHECK(events.load() > 10000);
    }
    SUBCASE("context switching without ownership (nobody owns a deal)") {
        auto full = cfg;
        full.roles[1].context_switch_per_deal = 0.05;
        check_same(lean, run_logged(full));
    }
}
