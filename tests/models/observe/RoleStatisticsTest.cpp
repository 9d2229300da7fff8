// RoleStatistics: the split of a role's available hours (pipeline work, prospecting,
// handoff effort, context-switch loss, idle) adds up to 1 in every replication, and the
// open deals a role owns, against the flow events.
#include <doctest/doctest.h>

#include <map>

#include "../ModelTestSupport.hpp"
#include "../ScenarioFixtures.hpp"
#include "models/SalesModel.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {

// SDRs qualify and prospect (a reserved share), AEs close the deals they own in three
// touches, losing time to context switching between them, and each deal's first close
// session carries handoff effort.
model::ScenarioConfig split_scenario() {
    auto cfg = queueing_scenario("split", 0.25, 2000.0, 3, 100.0);
    cfg.roles = {role("sdr", 1), role("ae", 3)};
    cfg.stages = {stage("qualify", 0, DistributionSpec::exponential(0.3)), stage("close", 1, DistributionSpec::exponential(2.0))};
    model::SourceConfig out;
    out.name = "outbound";
    out.kind = model::SourceKind::prospecting;
    out.prospecting_effort = DistributionSpec::exponential(4.0);
    out.quality = DistributionSpec::constant(1.0);
    cfg.sources.push_back(out);
    cfg.roles[0].prospecting = model::ProspectingPolicy::reserved;
    cfg.roles[0].prospecting_share = 0.2;
    cfg.roles[0].prospecting_source = 1;
    cfg.roles[1].context_switch_loss = model::weinberg_curve();
    cfg.stages[1].touches = 3;                                     // several open deals per AE
    cfg.sources[0].response_time = DistributionSpec::exponential(8.0);
    cfg.roles[1].availability = 0.8;
    cfg.ownership = model::OwnershipConfig{true, 1};
    cfg.handoff.effort = DistributionSpec::constant(0.25);
    return finish(cfg);
}

}  // namespace

TEST_CASE("a role's hours split into pipeline, prospecting, handoff, switching and idle, adding up to 1") {
    const auto cfg = split_scenario();
    const auto rec = run_in_memory(cfg);
    for (const char* r : {"sdr", "ae"}) {
        CAPTURE(r);
        const std::string p = std::string("role.") + r + ".";
        const auto util = rec.column(p + "utilisation"), pipe = rec.column(p + "pipeline_share"),
                   pro = rec.column(p + "prospecting_share"), hand = rec.column(p + "handoff_share"),
                   sw = rec.column(p + "switch_loss_share"), idle = rec.column(p + "idle_share");
        REQUIRE(util.size() == 3);
        for (std::size_t i = 0; i < util.size(); ++i) {
            CHECK(pipe[i] + pro[i] + hand[i] + sw[i] + idle[i] == doctest::Approx(1.0).epsilon(1e-12));
            CHECK(pipe[i] + pro[i] + hand[i] + sw[i] == doctest::Approx(util[i]).epsilon(1e-12));
            CHECK(pipe[i] > 0.0);
        }
    }
    // Only the AEs receive handoffs and switch contexts; only the SDRs prospect.
    CHECK(mean_of(rec, "role.ae.handoff_share") > 0.0);
    CHECK(mean_of(rec, "role.ae.switch_loss_share") > 0.0);
    CHECK(mean_of(rec, "role.sdr.handoff_share") == 0.0);
    CHECK(mean_of(rec, "role.sdr.switch_loss_share") == 0.0);
    CHECK(mean_of(rec, "role.ae.prospecting_share") == 0.0);
    CHECK(mean_of(rec, "role.sdr.prospecting_share") > 0.1);
    CHECK(mean_of(rec, "role.ae.idle_share") > 0.0);
    // Handoff effort: 0.25 h per close visit (each one a change of hands from the SDR),
    // at availability 0.8, over 3 AEs x 1900 h: to within the visits at the edges.
    const double expected = 0.25 / 0.8 * mean_of(rec, "stage.close.visits") / (3.0 * 1900.0);
    CHECK(mean_of(rec, "role.ae.handoff_share") == doctest::Approx(expected).epsilon(0.03));
}

TEST_CASE("deals owned: the time-average of open owned deals equals the ownership spans in the event log") {
    auto cfg = split_scenario();
    cfg.simulation.warmup_h = 0.0;
    const model::MetricCatalog catalog(cfg);
    model::ModelOptions opt;
    opt.record_events = true;
    model::SalesModel m(cfg, catalog, opt);
    const auto ae = static_cast<std::size_t>(catalog.index_of("role.ae.deals_owned_mean"));
    const auto sdr = static_cast<std::size_t>(catalog.index_of("role.sdr.deals_owned_mean"));
    for (int rep = 0; rep < 2; ++rep) {
        const auto out = m.run(rep);
        // Ownership starts with a deal's first session at the close stage (index 1) and
        // ends at its exit (or the horizon).
        std::map<std::int64_t, double> since;
        double area = 0.0;
        for (const auto& ev : out.flow_events) {
            if (ev.type == model::FlowEventType::start && ev.stage >= 1 && !since.count(ev.lead)) since[ev.lead] = ev.time_h;
            if (ev.type == model::FlowEventType::exit)
                if (auto it = since.find(ev.lead); it != since.end()) {
                    area += ev.time_h - it->second;
                    it->second = -1.0;  // done
                }
        }
        for (const auto& [lead, t] : since)
            if (t >= 0.0) area += cfg.simulation.horizon_h - t;
        CHECK(out.metrics[ae] == doctest::Approx(area / cfg.simulation.horizon_h).epsilon(1e-9));
        CHECK(out.metrics[ae] > 1.0);
        CHECK(out.metrics[sdr] == 0.0);
    }
}

TEST_CASE("deals owned: a deal whose owner left is no longer counted") {
    // Three AEs who own the deals they start and all leave within a few weeks, never
    // replaced; two backups take over. Once the last AE has left, the AEs own nothing, so
    // the area under role.ae's open deals is the same over 26 and 52 weeks (the runs are
    // the same up to 26 weeks). Before the fix the deals of a leaver stayed counted for
    // their role until the deal exited with an owner, i.e. mostly for ever.
    auto cfg = queueing_scenario("leavers", 0.1, 26 * 168.0, 3);
    cfg.sources[0].response_time = DistributionSpec::exponential(24.0);
    cfg.roles = {role("ae", 3), role("backup", 2)};
    cfg.roles[0].attrition_tenure_h = 2 * 168.0;
    cfg.roles[0].vacancy = DistributionSpec::constant(1e7);
    cfg.roles[0].availability = 0.15;
    auto s = stage("work", 0, DistributionSpec::exponential(2.0));
    s.roles = {0, 1};
    s.touches = 3;
    cfg.stages = {s};
    cfg.ownership = model::OwnershipConfig{true, 0};
    cfg = finish(cfg);
    auto longer = cfg;
    longer.simulation.horizon_h = 52 * 168.0;
    const model::MetricCatalog catalog(cfg);
    model::SalesModel m26(cfg, catalog, {}), m52(longer, catalog, {});
    const auto ae = static_cast<std::size_t>(catalog.index_of("role.ae.deals_owned_mean"));
    const auto departures = static_cast<std::size_t>(catalog.index_of("role.ae.departures"));
    for (int rep = 0; rep < 3; ++rep) {
        const auto a = m26.run(rep), b = m52.run(rep);
        REQUIRE(a.metrics[departures] == 3.0);  // every AE left within the first 26 weeks
        CHECK(a.metrics[ae] > 0.2);              // they owned deals while there
        CHECK(b.metrics[ae] * 52.0 == doctest::Approx(a.metrics[ae] * 26.0).epsilon(1e-9));
    }
}
