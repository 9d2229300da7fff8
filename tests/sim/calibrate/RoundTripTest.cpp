#include <doctest/doctest.h>

#include <fstream>

#include "AppTestSupport.hpp"
#include "calibrate/CrmExport.hpp"
#include "calibrate/Estimates.hpp"
#include "calibrate/ExportScanner.hpp"
#include "calibrate/FitCheck.hpp"
#include "calibrate/Mapping.hpp"
#include "calibrate/ScenarioWriter.hpp"
#include "input/ScenarioLoader.hpp"

using namespace salesflow::calibrate;
namespace t = salesflow::test;

namespace {

// A known scenario without queues (200 people, 24/7, availability 1), patience, gates or
// decay: conversion at each stage is its `advance`, and the elapsed time in a stage has the
// mean effort + (touches - 1) x mean response, the generator's split weights.
const char* known = R"(name: roundtrip
simulation: {horizon: 60w, replications: 1, seed: 11, calendar: 24/7}
sources:
  - name: inbound
    arrivals: 20/w
    value: {lognormal: {mean: 10000, sd: 4000}}
    response_time: {exponential: {mean: 2d}}
stages:
  - {name: qualify, role: rep, effort: {exponential: {mean: 4h}}, advance: 0.6}
  - {name: propose, role: rep, effort: {gamma: {mean: 8h, sd: 4h}}, touches: 3, advance: 0.5}
  - {name: close, role: rep, effort: {gamma: {mean: 6h, sd: 3h}}, touches: 2, advance: 0.4}
roles:
  - {name: rep, headcount: 200}
)";

const char* mapping = R"(shape: stage_history
columns: {deal: Deal ID, stage: Deal Stage, timestamp: Stage Entered, amount: Amount, owner: Deal Owner, source: Original Source}
stages:
  Qualify: qualify
  Propose: propose
  Close: close
  Closed Won: won
  Closed Lost: lost
  Disqualified: lost
  Closed - No Decision: no_decision
)";

}  // namespace

TEST_CASE("round trip: simulate a known scenario, export it, calibrate, recover its parameters within their intervals") {
    const auto dir = t::scratch("calibrate-roundtrip");
    const auto cfg = salesflow::input::load_scenario_text(known, (dir / "known.yaml").string());
    CrmExportOptions opt;
    opt.start_h = default_export_start_h();
    opt.export_at_h = 52 * 168.0;   // leads open at the export have their true (later) exits: honest censoring
    {
        std::ofstream f(dir / "export.csv", std::ios::binary);
        const auto st = write_crm_export(cfg, opt, f);
        CHECK(st.leads > 950);
        CHECK(st.open > 0);
        CHECK(st.reopened > 0);
    }
    t::write_file(dir / "map.yaml", mapping);
    const auto data = scan_export((dir / "export.csv").string(), load_mapping((dir / "map.yaml").string()));
    const auto cal = estimate(data);
    CHECK(data.reopened > 0);

    // Arrivals: 20 per week.
    REQUIRE(cal.sources.size() == 1);
    CHECK(cal.sources[0].name == "inbound");
    CHECK(cal.sources[0].rate_per_week.low < 20.0);
    CHECK(cal.sources[0].rate_per_week.high > 20.0);
    CHECK(cal.sources[0].rate_per_week.est == doctest::Approx(20.0).epsilon(0.08));

    // Conversions 0.6, 0.5, 0.4 and stage-time means 4 h, 8 + 2 x 48 h, 6 + 48 h.
    const double conv[] = {0.6, 0.5, 0.4};
    const double mean[] = {4.0, 104.0, 54.0};
    const auto w = stage_weights(cfg, 0);
    REQUIRE(cal.stages.size() == 3);
    for (int s = 0; s < 3; ++s) {
        CAPTURE(s);
        const auto& st = cal.stages[static_cast<std::size_t>(s)];
        CHECK(w[static_cast<std::size_t>(s)] == doctest::Approx(mean[s]));
        CHECK_FALSE(st.conversion.defaulted);
        CHECK(st.conversion.low < conv[s]);
        CHECK(st.conversion.high > conv[s]);
        CHECK_FALSE(st.time_defaulted);
        CHECK(st.time_mean.low < mean[s]);
        CHECK(st.time_mean.high > mean[s]);
        CHECK(st.time_mean.est == doctest::Approx(mean[s]).epsilon(0.1));
    }
    CHECK(cal.stages[1].time.n_censored > 0);
    // Value of won deals: mean 10000.
    CHECK(cal.sources[0].value_mean.low < 10000.0);
    CHECK(cal.sources[0].value_mean.high > 10000.0);
    // Win rate 0.6 x 0.5 x 0.4 = 0.12.
    CHECK(cal.win_rate.low < 0.12);
    CHECK(cal.win_rate.high > 0.12);

    // The written scenario loads through the project's loader and runs; its fit check passes.
    WriterOptions wo;
    wo.name = "recovered";
    wo.role = "seller";
    wo.replications = 30;
    const auto ws = write_scenario(cal, wo);
    const auto back = salesflow::input::load_scenario_text(ws.yaml, (dir / "recovered.yaml").string());
    CHECK(back.name == "recovered");
    REQUIRE(back.stages.size() == 3);
    CHECK(back.stages[0].advance_probability == doctest::Approx(cal.stages[0].conversion.est).epsilon(1e-3));
    CHECK(back.stages[1].advance_probability == doctest::Approx(cal.stages[1].conversion.est).epsilon(1e-3));
    CHECK(back.stages[2].advance_by_quality);
    CHECK(back.sources[0].rate_per_h * 168.0 == doctest::Approx(cal.sources[0].rate_per_week.est).epsilon(1e-4));
    CHECK(back.roles[0].headcount == static_cast<int>(cal.headcount.est));   // distinct owners per month
    CHECK(ws.yaml.find("# --- assumptions") != std::string::npos);
    CHECK(ws.yaml.find("calibrate.no_decision_share") != std::string::npos);
    const auto fit = fit_check(back, cal, 2);
    CHECK(fit.replications == 30);
    CHECK(fit.rows.size() == 7);   // arrivals, 3 conversions, 2 cycle quantiles, win rate
    for (const auto& r : fit.rows) {
        CAPTURE(r.metric);
        CHECK(r.inside);
    }
}
