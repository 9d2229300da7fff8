// EventLog: the flow events of a run add up, and recording them changes nothing.
#include <doctest/doctest.h>

#include <map>

#include "../ModelTestSupport.hpp"
#include "../ScenarioFixtures.hpp"
#include "models/SalesModel.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
model::ScenarioConfig network() {
    auto cfg = queueing_scenario("events", 0.6, 2000.0, 1);
    cfg.simulation.calendar = kernel::CalendarSpec{};
    cfg.sources[0].quality = DistributionSpec::beta(2, 3);
    cfg.sources[0].patience = DistributionSpec::exponential(30.0);
    cfg.roles = {role("sdr", 1), role("ae", 2)};
    auto q = stage("qualify", 0, DistributionSpec::exponential(0.3));
    q.gate = model::GateConfig{true, 0.3, 0.1};
    auto d = stage("discover", 1, DistributionSpec::exponential(2.0), 0.7);
    d.touches = 2;
    auto c = stage("close", 1, DistributionSpec::exponential(1.0));
    c.advance_by_quality = true;
    cfg.stages = {q, d, c};
    cfg.handoff.delay = DistributionSpec::constant(4.0);
    return finish(cfg);
}
}  // namespace

TEST_CASE("event log: one arrival and at most one exit per lead, outcomes as the metrics, nothing changed") {
    const auto cfg = network();
    const model::MetricCatalog cat(cfg);
    const auto plain = model::SalesModel(cfg, cat).run(0);
    model::ModelOptions opts;
    opts.record_events = true;
    const auto logged = model::SalesModel(cfg, cat, opts).run(0);
    CHECK(plain.metrics == logged.metrics);  // bit for bit
    CHECK(plain.events == logged.events);
    REQUIRE(!logged.flow_events.empty());

    std::map<std::int64_t, int> arrivals, exits;
    std::map<int, double> by_outcome;
    int starts = 0, ends = 0;
    double last = 0.0;
    for (const auto& e : logged.flow_events) {
        CHECK(e.time_h >= last);  // in time order
        last = e.time_h;
        switch (e.type) {
            case model::FlowEventType::arrive: ++arrivals[e.lead]; break;
            case model::FlowEventType::exit:
                ++exits[e.lead];
                by_outcome[e.outcome] += 1;
                CHECK(arrivals.count(e.lead) == 1);
                break;
            case model::FlowEventType::start: ++starts; CHECK(e.person >= 0); break;
            case model::FlowEventType::end: ++ends; break;
            default: break;
        }
    }
    for (const auto& [lead, n] : arrivals) CHECK(n == 1);
    for (const auto& [lead, n] : exits) CHECK(n == 1);
    auto metric = [&](const char* m) { return logged.metrics[static_cast<std::size_t>(cat.index_of(m))]; };
    // No warm-up: the metrics count every lead.
    CHECK(static_cast<double>(arrivals.size()) == metric("leads_arrived"));
    CHECK(static_cast<double>(exits.size()) == metric("leads_exited"));
    CHECK(static_cast<double>(arrivals.size() - exits.size()) == metric("leads_open_at_end"));
    CHECK(by_outcome[static_cast<int>(model::Outcome::won)] == metric("wins"));
    CHECK(by_outcome[static_cast<int>(model::Outcome::abandoned)] == metric("abandoned"));
    CHECK(by_outcome[static_cast<int>(model::Outcome::disqualified)] == metric("disqualified"));
    // Every session ends, except those running at the horizon (at most one per person).
    CHECK(starts - ends >= 0);
    CHECK(starts - ends <= 3);
}

TEST_CASE("event log: a sink receives the events in chunks, none kept in memory") {
    const auto cfg = network();
    const model::MetricCatalog cat(cfg);
    model::ModelOptions opts;
    opts.record_events = true;
    const auto kept = model::SalesModel(cfg, cat, opts).run(2);
    std::size_t total = 0, largest = 0;
    opts.event_chunk = 100;
    opts.event_sink = [&](int rep, std::span<const model::FlowEvent> chunk) {
        CHECK(rep == 2);
        total += chunk.size();
        largest = std::max(largest, chunk.size());
    };
    const auto streamed = model::SalesModel(cfg, cat, opts).run(2);
    CHECK(streamed.flow_events.empty());
    CHECK(total == kept.flow_events.size());
    CHECK(largest <= 100);
}
