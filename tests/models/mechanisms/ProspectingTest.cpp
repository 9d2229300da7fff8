// Prospecting: people find leads when idle or in a reserved share of their time.
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

TEST_CASE("prospecting only when idle: fewer outbound leads as inbound load rises") {
    auto cfg = sales(0.05);
    model::SourceConfig out;
    out.name = "outbound";
    out.kind = model::SourceKind::prospecting;
    out.prospecting_effort = DistributionSpec::exponential(3.0);
    out.quality = DistributionSpec::beta(1, 5);
    cfg.sources.push_back(out);
    cfg.roles[1].prospecting = model::ProspectingPolicy::when_idle;
    cfg.roles[1].prospecting_source = 1;
    auto busy = cfg;
    busy.sources[0].rate_per_h = 0.3;
    const auto a = run_in_memory(cfg), b = run_in_memory(busy);
    CHECK(mean_of(a, "outbound_leads") > 1.5 * mean_of(b, "outbound_leads"));
    CHECK(mean_of(a, "role.ae.prospecting_share") > mean_of(b, "role.ae.prospecting_share"));
    SUBCASE("a reserved share keeps prospecting going under load") {
        auto reserved = busy;
        reserved.roles[1].prospecting = model::ProspectingPolicy::reserved;
        reserved.roles[1].prospecting_share = 0.3;
        const auto c = run_in_memory(reserved);
        CHECK(mean_of(c, "role.ae.prospecting_share") == doctest::Approx(0.3).epsilon(0.1));
        CHECK(mean_of(c, "outbound_leads") > mean_of(b, "outbound_leads"));
    }
}

TEST_CASE("prospecting lag: a prospect answers later, so the pipeline follows prospecting with a delay") {
    auto cfg = sales(0.05);
    model::SourceConfig out;
    out.name = "outbound";
    out.kind = model::SourceKind::prospecting;
    out.prospecting_effort = DistributionSpec::constant(2.0);
    out.prospecting_lag = DistributionSpec::constant(100.0);
    cfg.sources.push_back(out);
    cfg.roles[1].prospecting = model::ProspectingPolicy::when_idle;
    cfg.roles[1].prospecting_source = 1;
    const auto r = run_logged(cfg);
    int outbound = 0;
    for (const auto& l : r.lead_records)
        if (l.source == 1) {
            ++outbound;
            CHECK(l.arrival_h >= 102.0 - 1e-9);  // the first session ends at 2 h, its reply 100 h later
        }
    CHECK(outbound > 100);
    auto now = cfg;
    now.sources[1].prospecting_lag = DistributionSpec::constant(0.0);
    // Without the lag the first outbound leads arrive as soon as the first sessions end.
    int early = 0;
    for (const auto& l : run_logged(now).lead_records) early += l.source == 1 && l.arrival_h < 100.0 ? 1 : 0;
    CHECK(early > 10);
}

TEST_CASE("prospecting yields to leads: a new lead waits at most one prospecting block") {
    // One person prospects whenever idle; finding a prospect takes 17 working hours. An
    // inbound lead arriving at 5.3 h waits for the current block: at most 1 h with the
    // default block, up to the whole 17 h without blocks.
    auto cfg = queueing_scenario("yield", 0.0, 60.0, 1);
    cfg.sources[0].kind = model::SourceKind::trace;
    cfg.sources[0].trace = {model::TraceLead{5.3, 1.0, 1.0}};
    model::SourceConfig out;
    out.name = "outbound";
    out.kind = model::SourceKind::prospecting;
    out.prospecting_effort = DistributionSpec::constant(17.0);
    out.quality = DistributionSpec::constant(0.0);
    cfg.sources.push_back(out);
    cfg.roles = {role("sdr", 1)};
    cfg.roles[0].prospecting = model::ProspectingPolicy::when_idle;
    cfg.roles[0].prospecting_source = 1;
    cfg.stages = {stage("qualify", 0, DistributionSpec::constant(0.5))};
    cfg = finish(cfg);
    model::ModelOptions logged;
    logged.record_leads = true;
    auto inbound_wait = [&](const model::MemoryRecorder& r) {
        for (const auto& l : r.lead_records)
            if (l.source == 0) return l.wait_h;
        return -1.0;
    };
    const auto blocks = run_in_memory(cfg, 1, logged);
    CHECK(inbound_wait(blocks) == doctest::Approx(0.7));  // the block ends at 6 h
    cfg.sources[1].prospecting_block_h = 0.0;
    const auto whole = run_in_memory(cfg, 1, logged);
    // The first prospect's 17 h end at 17 h; the lead waited from 5.3 h.
    CHECK(inbound_wait(whole) == doctest::Approx(17.0 - 5.3));
}
