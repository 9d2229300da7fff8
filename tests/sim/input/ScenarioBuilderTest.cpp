// Valid scenarios: every key converted to the config struct in hours / per hour, every
// default filled, references resolved to indices, traces loaded, resolved YAML reloads.
#include <doctest/doctest.h>

#include <filesystem>

#include "TestSupport.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/SetOverride.hpp"
#include "input/TreeLoader.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;
using namespace salesflow;
using kernel::DistFamily;

TEST_CASE("the full example converts every key") {
    const std::string file = data_dir + "/valid.yaml";
    const model::ScenarioConfig c = load_scenario(file);
    CHECK(c.name == "full-example");
    CHECK(c.description == "Every key, with values chosen so each converts to a distinct number.");
    CHECK(c.source_file == file);

    const auto& s = c.simulation;
    CHECK(s.horizon_h == 52.0 * 168.0);
    CHECK(s.warmup_h == 4.0 * 168.0);
    CHECK(s.replications == 20);
    CHECK(s.seed == 42u);
    CHECK(s.calendar.hours_per_day == 7.5);
    CHECK(s.calendar.days_per_week == 5);
    CHECK(s.calendar.day_start_h == 8.5);
    CHECK(s.sample_every_h == 24.0);

    REQUIRE(c.sources.size() == 3);
    const auto& in = c.sources[0];
    CHECK(in.name == "inbound");
    CHECK(in.kind == model::SourceKind::poisson);
    CHECK(in.rate_per_h == doctest::Approx(30.0 / 168.0));
    REQUIRE(in.seasonality.size() == 12);
    CHECK(in.seasonality[2] == 1.2);
    CHECK(in.seasonality[6] == 0.5);
    REQUIRE(in.campaigns.size() == 1);
    CHECK(in.campaigns[0].at_h == 10.0 * 168.0);
    CHECK(in.campaigns[0].leads == 40);
    CHECK(in.quality.family == DistFamily::beta);
    CHECK(in.quality.p1 == 2.0);
    CHECK(in.quality.p2 == 5.0);
    CHECK(in.value.family == DistFamily::lognormal);
    CHECK(in.value.p1 == 40000.0);
    CHECK(in.value.p2 == 20000.0);
    CHECK(in.half_life_h == 72.0);
    REQUIRE(in.patience.has_value());
    CHECK(in.patience->family == DistFamily::exponential);
    CHECK(in.patience->p1 == 336.0);
    CHECK(in.response_time.family == DistFamily::uniform);
    CHECK(in.response_time.p1 == 1.0);
    CHECK(in.response_time.p2 == 24.0);

    const auto& out = c.sources[1];
    CHECK(out.kind == model::SourceKind::prospecting);
    CHECK(out.prospecting_effort.family == DistFamily::triangular);
    CHECK(out.prospecting_effort.p1 == 0.5);
    CHECK(out.prospecting_effort.p2 == 1.0);
    CHECK(out.prospecting_effort.p3 == 3.0);
    CHECK(out.quality.family == DistFamily::uniform);
    CHECK(out.quality.p2 == 0.4);
    CHECK_FALSE(out.patience.has_value());

    const auto& ev = c.sources[2];
    CHECK(ev.kind == model::SourceKind::poisson);  // campaigns only
    CHECK(ev.rate_per_h == 0.0);
    REQUIRE(ev.campaigns.size() == 1);
    CHECK(ev.campaigns[0].at_h == 20.0 * 168.0);
    CHECK(ev.campaigns[0].leads == 100);

    REQUIRE(c.stages.size() == 3);
    const auto& q = c.stages[0];
    CHECK(q.roles == std::vector<int>{0});
    CHECK(q.effort.family == DistFamily::exponential);
    CHECK(q.effort.p1 == 1.0);
    CHECK(q.advance_probability == 0.35);
    CHECK_FALSE(q.advance_by_quality);
    CHECK(q.gate.enabled);
    CHECK(q.gate.threshold == 0.2);
    CHECK(q.gate.noise_sd == 0.1);
    CHECK_FALSE(q.has_rework);
    const auto& d = c.stages[1];
    CHECK(d.roles == std::vector<int>{1, 2});
    CHECK(d.effort.family == DistFamily::pert);
    CHECK(d.effort.p1 == 2.0);
    CHECK(d.effort.p2 == 4.0);
    CHECK(d.effort.p3 == 8.0);
    CHECK(d.touches == 2);
    CHECK(d.wip_limit == 30);
    CHECK(d.has_rework);
    CHECK(d.rework_to == 0);
    CHECK(d.rework_probability == 0.1);
    CHECK_FALSE(d.gate.enabled);
    const auto& cl = c.stages[2];
    CHECK(cl.roles == std::vector<int>{1});
    CHECK(cl.effort.family == DistFamily::gamma);
    CHECK(cl.effort.p1 == 3.0);
    CHECK(cl.effort.p2 == 1.5);
    CHECK(cl.advance_by_quality);

    REQUIRE(c.roles.size() == 3);
    const auto& sdr = c.roles[0];
    CHECK(sdr.headcount == 2);
    CHECK(sdr.cost_per_year == 60000.0);
    CHECK(sdr.prospecting == model::ProspectingPolicy::reserved);
    CHECK(sdr.prospecting_share == 0.25);
    CHECK(sdr.prospecting_source == 1);
    CHECK(sdr.discipline == model::Discipline::oldest_lead_first);
    CHECK(sdr.efficiency == std::vector<double>{1.0, 1.0, 1.0});
    CHECK_FALSE(sdr.calendar.has_value());
    CHECK(sdr.context_switch_loss.empty());
    const auto& ae = c.roles[1];
    CHECK(ae.availability == 0.35);
    CHECK(ae.efficiency == std::vector<double>{1.0, 0.8, 1.5});
    REQUIRE(ae.calendar.has_value());
    CHECK(ae.calendar->is_always());
    CHECK(ae.wip_limit == 12);
    CHECK(ae.discipline == model::Discipline::wsjf);
    CHECK(ae.context_switch_loss == model::weinberg_curve());
    CHECK(ae.prospecting == model::ProspectingPolicy::none);
    CHECK(ae.prospecting_source == -1);
    CHECK(c.roles[2].context_switch_loss == std::vector<double>{0.0, 0.1, 0.3});

    CHECK(c.ownership.enabled);
    CHECK(c.ownership.from_stage == 1);
    CHECK(c.handoff.effort.family == DistFamily::constant);
    CHECK(c.handoff.effort.p1 == 0.5);
    CHECK(c.handoff.delay.family == DistFamily::empirical);
    CHECK(c.handoff.delay.values == std::vector<double>{0.0, 1.0, 2.0, 24.0});
    CHECK(c.handoff.enabled());
}

TEST_CASE("defaults are filled for everything not written") {
    TempDir dir;
    const auto p = dir.write("mini.yaml", minimal_scenario());
    const auto c = load_scenario(p);
    CHECK(c.description.empty());
    CHECK(c.simulation.horizon_h == 672.0);
    CHECK(c.simulation.warmup_h == 0.0);
    CHECK(c.simulation.replications == 10);
    CHECK(c.simulation.seed == 1u);
    CHECK(c.simulation.calendar.hours_per_day == 8.0);
    CHECK(c.simulation.calendar.days_per_week == 5);
    CHECK(c.simulation.calendar.day_start_h == 9.0);
    CHECK(c.simulation.sample_every_h == 0.0);
    const auto& src = c.sources[0];
    CHECK(src.kind == model::SourceKind::poisson);
    CHECK(src.seasonality.empty());
    CHECK(src.campaigns.empty());
    CHECK(src.quality.family == DistFamily::beta);
    CHECK(src.quality.p1 == 2.0);
    CHECK(src.quality.p2 == 3.0);
    CHECK(src.value.family == DistFamily::constant);
    CHECK(src.value.p1 == 1.0);
    CHECK(src.half_life_h == 0.0);
    CHECK_FALSE(src.patience.has_value());
    CHECK(src.response_time.is_constant_zero());
    const auto& st = c.stages[0];
    CHECK(st.advance_probability == 1.0);
    CHECK_FALSE(st.advance_by_quality);
    CHECK_FALSE(st.has_rework);
    CHECK(st.touches == 1);
    CHECK(st.wip_limit == 0);
    CHECK_FALSE(st.gate.enabled);
    const auto& r = c.roles[0];
    CHECK(r.cost_per_year == 0.0);
    CHECK(r.availability == 1.0);
    CHECK(r.efficiency == std::vector<double>{1.0});
    CHECK_FALSE(r.calendar.has_value());
    CHECK(r.wip_limit == 0);
    CHECK(r.discipline == model::Discipline::fifo);
    CHECK(r.prospecting == model::ProspectingPolicy::none);
    CHECK(r.prospecting_source == -1);
    CHECK(r.context_switch_loss.empty());
    CHECK_FALSE(c.ownership.enabled);
    CHECK_FALSE(c.handoff.enabled());
}

TEST_CASE("quantity forms inside a scenario") {
    TempDir dir;
    auto with = [&](const std::string& from, const std::string& to) {
        std::string text = minimal_scenario();
        text.replace(text.find(from), from.size(), to);
        return load_scenario(dir.write("s.yaml", text));
    };
    CHECK(with("horizon: 4w", "horizon: 100").simulation.horizon_h == 100.0);
    CHECK(with("horizon: 4w", "horizon: \"2y\"").simulation.horizon_h == 2.0 * 8760.0);
    CHECK(with("arrivals: 10/w", "arrivals: 0.25").sources[0].rate_per_h == 0.25);
    CHECK(with("arrivals: 10/w", "arrivals: 73/month").sources[0].rate_per_h == doctest::Approx(0.1));
    CHECK(with("effort: {exponential: {mean: 2h}}", "effort: 90min").stages[0].effort.p1 == 1.5);
    CHECK(with("effort: {exponential: {mean: 2h}}", "effort: {constant: 3d}").stages[0].effort.p1 == 72.0);
    CHECK(with("effort: {exponential: {mean: 2h}}", "effort: {constant: {value: 2}}").stages[0].effort.p1 == 2.0);
    const auto ln = with("effort: {exponential: {mean: 2h}}", "effort: {lognormal: {mean: 2h, sd: 45min}}").stages[0].effort;
    CHECK(ln.family == DistFamily::lognormal);
    CHECK(ln.p1 == 2.0);
    CHECK(ln.p2 == 0.75);
    CHECK(with("    headcount: 2\n", "    headcount: 2\n    calendar: {hours_per_day: 16}\n").roles[0].calendar->day_start_h == 8.0);
    CHECK(with("horizon: 4w", "horizon: 4w\n  calendar: {days_per_week: 7, day_start: 6}").simulation.calendar.day_start_h == 6.0);
    CHECK(with("horizon: 4w", "horizon: 4w\n  seed: 18446744073709551615").simulation.seed == 18446744073709551615ull);
    CHECK(with("    headcount: 2\n", "    headcount: 2\n    context_switching: true\n").roles[0].context_switch_loss ==
          model::weinberg_curve());
    CHECK(with("    headcount: 2\n", "    headcount: 2\n    context_switching: false\n").roles[0].context_switch_loss.empty());
    CHECK(with("role: rep", "roles: [rep]").stages[0].roles == std::vector<int>{0});
    CHECK(with("    role: rep\n", "    role: rep\n    rework: {to: work, probability: 0.3}\n").stages[0].rework_to == 0);
    CHECK(with("    role: rep\n", "    role: rep\n    advance: 0\n").stages[0].advance_probability == 0.0);
    const auto q = with("    arrivals: 10/w\n", "    arrivals: 10/w\n    quality: 0.3\n    value: {empirical: [10, 20]}\n").sources[0];
    CHECK(q.quality.family == DistFamily::constant);
    CHECK(q.quality.p1 == 0.3);
    CHECK(q.value.values == std::vector<double>{10.0, 20.0});
}

TEST_CASE("prospecting: the only prospecting source is the default; when_idle needs no share") {
    TempDir dir;
    const auto p = dir.write("p.yaml",
                             "name: p\nsimulation: {horizon: 4w}\n"
                             "sources:\n  - {name: web, arrivals: 1/d}\n  - {name: cold, prospecting: {effort: 2h}}\n"
                             "stages:\n  - {name: work, role: rep, effort: 1h}\n"
                             "roles:\n  - {name: rep, headcount: 1, prospecting: {policy: when_idle}}\n");
    const auto c = load_scenario(p);
    CHECK(c.sources[1].kind == model::SourceKind::prospecting);
    CHECK(c.sources[1].prospecting_effort.p1 == 2.0);
    CHECK(c.roles[0].prospecting == model::ProspectingPolicy::when_idle);
    CHECK(c.roles[0].prospecting_source == 1);
    CHECK(c.roles[0].prospecting_share == 0.0);
}

TEST_CASE("a trace source loads its CSV relative to the scenario file") {
    const auto c = load_scenario(data_dir + "/trace.yaml");
    REQUIRE(c.sources.size() == 1);
    const auto& s = c.sources[0];
    CHECK(s.kind == model::SourceKind::trace);
    CHECK(s.trace_path == std::filesystem::absolute(data_dir + "/leads.csv").lexically_normal().string());
    REQUIRE(s.trace.size() == 4);
    CHECK(s.trace[0].arrival_h == 0.0);
    CHECK(s.trace[0].quality == 0.5);
    CHECK(s.trace[0].value == 1000.0);
    CHECK(s.trace[1].arrival_h == 1.5);
    CHECK_FALSE(s.trace[1].quality.has_value());
    CHECK(s.trace[1].value == 2000.0);
    CHECK(s.trace[2].arrival_h == 72.0);
    CHECK_FALSE(s.trace[2].value.has_value());
    CHECK(s.trace[3].arrival_h == 72.0);  // equal arrivals are sorted
    // The resolved YAML names the trace by its absolute path, so it reloads anywhere.
    CHECK(contains(c.resolved_yaml, "trace: \"" + s.trace_path + "\""));
    const auto again = load_scenario_text(c.resolved_yaml, "/tmp/elsewhere/x.yaml");
    CHECK(again.sources[0].trace.size() == 4);
}

TEST_CASE("resolved_yaml reloads to the same configuration") {
    const auto c = load_scenario(data_dir + "/valid.yaml", {"roles.ae.headcount=6"});
    const auto again = load_scenario_text(c.resolved_yaml, "resolved.yaml");
    CHECK(again.resolved_yaml == c.resolved_yaml);
    CHECK(again.name == c.name);
    CHECK(again.simulation.horizon_h == c.simulation.horizon_h);
    CHECK(again.simulation.calendar.day_start_h == c.simulation.calendar.day_start_h);
    CHECK(again.roles[1].headcount == 6);
    CHECK(again.roles[1].efficiency == c.roles[1].efficiency);
    CHECK(again.roles[0].prospecting_source == c.roles[0].prospecting_source);
    CHECK(again.stages[1].roles == c.stages[1].roles);
    CHECK(again.sources[0].seasonality == c.sources[0].seasonality);
    CHECK(again.handoff.delay.values == c.handoff.delay.values);
    CHECK(again.sources[0].value.p2 == c.sources[0].value.p2);
}

TEST_CASE("build_scenario on a tree: the sweep path (load once, set per point)") {
    const ConfigNode base = load_tree(data_dir + "/base.yaml");
    for (const int h : {2, 4, 8}) {
        ConfigNode point = base;
        apply_set(point, "roles.ae.headcount", ConfigNode::scalar(std::to_string(h), false, Position{"sweep.yaml", 5, 3}));
        const auto c = build_scenario(point, "base.yaml");
        CHECK(c.roles[1].headcount == h);
    }
}
