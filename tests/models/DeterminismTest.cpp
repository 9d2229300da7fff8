// Reproducibility: the same seed gives bit-identical results whatever the thread count,
// and scenarios sharing a source see the same leads (common random numbers).
#include <doctest/doctest.h>

#include <algorithm>
#include <tuple>

#include "ModelTestSupport.hpp"
#include "ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
model::ScenarioConfig scenario() {
    auto cfg = queueing_scenario("det", 0.7, 2000.0, 7);
    cfg.simulation.calendar = kernel::CalendarSpec{};
    cfg.sources[0].quality = DistributionSpec::beta(2, 3);
    cfg.sources[0].value = DistributionSpec::lognormal(40000, 20000);
    cfg.sources[0].patience = DistributionSpec::exponential(30.0);
    cfg.roles = {role("sdr", 1), role("ae", 2)};
    auto q = stage("qualify", 0, DistributionSpec::exponential(0.5), 0.6);
    q.gate = model::GateConfig{true, 0.25, 0.1};
    auto c = stage("close", 1, DistributionSpec::gamma(3.0, 2.0));
    c.advance_by_quality = true;
    cfg.stages = {q, c};
    return finish(cfg);
}
}  // namespace

TEST_CASE("same seed: bit-identical metric rows for 1, 2 and 4 threads") {
    const auto cfg = scenario();
    const auto one = run_in_memory(cfg, 1);
    for (int threads : {2, 4}) {
        CAPTURE(threads);
        const auto many = run_in_memory(cfg, threads);
        REQUIRE(many.rows.size() == one.rows.size());
        for (std::size_t r = 0; r < one.rows.size(); ++r) {
            REQUIRE(many.rows[r].size() == one.rows[r].size());
            for (std::size_t m = 0; m < one.rows[r].size(); ++m) CHECK(many.rows[r][m] == one.rows[r][m]);
        }
        CHECK(many.replication_numbers == one.replication_numbers);
    }
}

TEST_CASE("different seeds or replications give different runs") {
    auto cfg = scenario();
    const auto a = run_in_memory(cfg, 2);
    cfg.simulation.seed = 99;
    const auto b = run_in_memory(cfg, 2);
    CHECK(a.rows[0] != b.rows[0]);
    CHECK(a.rows[0] != a.rows[1]);
}

TEST_CASE("common random numbers: another organisation sees the same leads") {
    auto a = scenario();
    auto b = scenario();
    b.name = "other";
    b.roles[1].headcount = 5;                           // a different organisation...
    b.stages[1].effort = DistributionSpec::exponential(1.0);
    b.stages[0].gate.enabled = false;
    model::ModelOptions opts;
    opts.record_leads = true;
    auto ra = run_in_memory(a, 2, opts);
    auto rb = run_in_memory(b, 2, opts);
    // Records come in exit order; line them up by arrival order.
    for (auto* r : {&ra, &rb})
        std::sort(r->lead_records.begin(), r->lead_records.end(), [](const auto& x, const auto& y) {
            return std::tie(x.replication, x.lead) < std::tie(y.replication, y.lead);
        });
    // ...gets the same stream of arriving leads: arrival times, qualities and values.
    REQUIRE(ra.lead_records.size() > 100);
    std::size_t compared = 0;
    for (std::size_t i = 0; i < 50; ++i) {
        const auto& x = ra.lead_records[i];
        const auto& y = rb.lead_records[i];
        REQUIRE(x.replication == y.replication);
        REQUIRE(x.lead == y.lead);
        CHECK(x.arrival_h == y.arrival_h);
        CHECK(x.quality == y.quality);
        CHECK(x.value == y.value);
        ++compared;
    }
    CHECK(compared == 50);
    CHECK(mean_of(ra, "leads_arrived") == mean_of(rb, "leads_arrived"));
}

TEST_CASE("lead records stream out in bounded chunks, one per lead, with threads or without") {
    auto cfg = scenario();
    const model::MetricCatalog cat(cfg);
    model::ModelOptions opts;
    opts.record_leads = true;
    opts.lead_chunk = 50;
    std::size_t total = 0, largest = 0, calls = 0;
    opts.lead_sink = [&](int rep, std::span<const model::LeadRecord> chunk) {
        CHECK(rep == 3);
        total += chunk.size();
        largest = std::max(largest, chunk.size());
        ++calls;
    };
    model::SalesModel m(cfg, cat, opts);
    const auto out = m.run(3);
    CHECK(out.leads.empty());  // nothing held back in memory
    CHECK(largest <= 50);
    CHECK(calls > 5);
    // One record per lead that arrived (no warm-up: arrived counts every lead).
    CHECK(static_cast<double>(total) == out.metrics[static_cast<std::size_t>(cat.index_of("leads_arrived"))]);
    // Through the runner, 1 and 3 threads give the same records in the same order.
    opts = {};
    opts.record_leads = true;
    const auto one = run_in_memory(cfg, 1, opts);
    const auto three = run_in_memory(cfg, 3, opts);
    REQUIRE(one.lead_records.size() == three.lead_records.size());
    for (std::size_t i = 0; i < one.lead_records.size(); ++i) {
        CHECK(one.lead_records[i].replication == three.lead_records[i].replication);
        CHECK(one.lead_records[i].lead == three.lead_records[i].lead);
        CHECK(one.lead_records[i].exit_h == three.lead_records[i].exit_h);
    }
}

TEST_CASE("a lead's quality is drawn only where read: the same metrics without it, the same qualities with it") {
    // One stage, no gate, no routing by quality, FIFO, no nurture: nothing reads quality,
    // so the run skips its draws (the source's own stream: no other draw moves).
    auto plain = mgc(0.8, DistributionSpec::exponential(1.0), 1, 3000.0, 2, 0.0);
    plain.sources[0].quality = DistributionSpec::beta(2, 3);
    const auto without_log = run_in_memory(plain, 1);
    model::ModelOptions log;
    log.record_leads = true;  // the lead log reads quality: now it is drawn
    const auto with_log = run_in_memory(plain, 1, log);
    REQUIRE(without_log.rows.size() == with_log.rows.size());
    for (std::size_t r = 0; r < with_log.rows.size(); ++r) CHECK(without_log.rows[r] == with_log.rows[r]);
    // A gate that lets every lead through (threshold 0, no noise) reads quality too: the
    // logged qualities are the same draws, in [0, 1], none of them NaN.
    auto gated = plain;
    gated.stages[0].gate = model::GateConfig{true, 0.0, 0.0};
    const auto gated_log = run_in_memory(gated, 1, log);
    auto by_lead = [](std::vector<model::LeadRecord> v) {
        std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) {
            return std::tie(x.replication, x.lead) < std::tie(y.replication, y.lead);
        });
        return v;
    };
    const auto a = by_lead(with_log.lead_records), b = by_lead(gated_log.lead_records);
    REQUIRE(a.size() == b.size());
    REQUIRE(a.size() > 1000);
    int differ = 0, outside = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!(a[i].quality == b[i].quality)) ++differ;
        if (!(a[i].quality >= 0.0 && a[i].quality <= 1.0)) ++outside;
    }
    CHECK(differ == 0);
    CHECK(outside == 0);
}
