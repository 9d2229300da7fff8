// Conservation with every mechanism on (the buyer mechanisms: speed to lead, no decision,
// nurture, plus every older one): in every replication, every lead that arrived (new or
// recycled) is won, lost, ended in no decision, disqualified, abandoned, nurtured or still
// open at the end, exactly; the lead log and the flow events tell the outcomes apart.
#include <doctest/doctest.h>

#include <map>

#include "ModelTestSupport.hpp"
#include "ScenarioFixtures.hpp"
#include "models/SalesModel.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
// The golden run's every-mechanism scenario (ScenarioFixtures.hpp) without a warm-up, so
// that every lead counts, plus what conservation needs beyond it: the published speed-to-
// lead curve on inbound and a curve on outbound, lost deals nurtured too, recycled leads
// arriving through a source of their own with a new quality, and the funnel's opportunity
// at the second stage.
model::ScenarioConfig everything() {
    auto cfg = every_mechanism_scenario();
    cfg.name = "conservation";
    cfg.simulation.warmup_h = 0.0;
    cfg.simulation.horizon_h = 3000.0;
    cfg.simulation.replications = 4;
    cfg.simulation.seed = 424242;
    cfg.sources[0].speed_to_lead = model::published_speed_to_lead_curve();
    cfg.sources[1].speed_to_lead = {{0.0, 1.0}, {48.0, 0.5}};
    model::SourceConfig back;
    back.name = "recycled";
    back.patience = DistributionSpec::exponential(80.0);
    cfg.sources.push_back(back);
    cfg.funnel.opportunity_stage = 1;
    cfg.no_decision.from_stage = 1;
    cfg.nurture.lost = 0.3;
    cfg.nurture.quality = DistributionSpec::beta(2, 2);
    cfg.nurture.source = 3;
    return finish(cfg);
}
}  // namespace

TEST_CASE("conservation with every mechanism on: arrived = every outcome + open at the end, in every replication") {
    const auto cfg = everything();
    model::ModelOptions opts;
    opts.record_leads = true;
    const auto r = run_in_memory(cfg, 2, opts);
    const auto col = [&](const char* m) {
        const auto c = r.column(m);
        REQUIRE_MESSAGE(c.size() == 4u, m);
        return c;
    };
    const auto arrived = col("leads_arrived"), wins = col("wins"), losses = col("losses"), nd = col("no_decision"),
               competitor = col("lost_to_competitor"), disq = col("disqualified"), aband = col("abandoned"),
               nurt = col("nurtured"), open = col("leads_open_at_end"), recycled = col("recycled"),
               unreached = col("unreached"), exited = col("leads_exited");
    std::map<int, std::map<model::Outcome, double>> logged;
    for (const auto& l : r.lead_records) logged[l.replication][l.outcome] += 1;
    for (std::size_t i = 0; i < arrived.size(); ++i) {
        CAPTURE(i);
        // The results contract: a nurtured lead is counted as the outcome it ended with.
        CHECK(exited[i] == wins[i] + losses[i] + disq[i] + aband[i]);
        CHECK(arrived[i] == exited[i] + open[i]);  // no warm-up
        CHECK(losses[i] == competitor[i] + nd[i]);  // the three outcomes of a deal, apart
        // Every mechanism did something.
        CHECK(recycled[i] > 0);
        CHECK(nurt[i] > recycled[i]);  // some are still in the pool at the end
        CHECK(nd[i] > 0);
        CHECK(competitor[i] > 0);
        CHECK(unreached[i] > 0);
        CHECK(unreached[i] <= disq[i]);  // not reached in time: disqualified (some then nurtured)
        CHECK(aband[i] > 0);
        CHECK(wins[i] > 0);
        // The lead log has one record per lead with its final outcome: arrived (new and
        // recycled) = won + lost + no decision + disqualified + abandoned + nurtured + open.
        auto& o = logged[static_cast<int>(i)];
        CHECK(arrived[i] == o[model::Outcome::won] + o[model::Outcome::lost] + o[model::Outcome::no_decision] +
                                o[model::Outcome::disqualified] + o[model::Outcome::abandoned] +
                                o[model::Outcome::nurtured] + o[model::Outcome::open]);
        CHECK(o[model::Outcome::won] == wins[i]);
        CHECK(o[model::Outcome::nurtured] == nurt[i]);
        CHECK(o[model::Outcome::open] == open[i]);
        CHECK(o[model::Outcome::lost] <= competitor[i]);
        CHECK(o[model::Outcome::no_decision] <= nd[i]);
        CHECK(o[model::Outcome::disqualified] <= disq[i]);
        CHECK(o[model::Outcome::abandoned] <= aband[i]);
        CHECK(o[model::Outcome::lost] + o[model::Outcome::no_decision] + o[model::Outcome::disqualified] +
                  o[model::Outcome::abandoned] + o[model::Outcome::nurtured] ==
              losses[i] + disq[i] + aband[i]);
    }
}

TEST_CASE("conservation: the flow events' exits carry the three outcomes and nurture apart, as the metrics") {
    const auto cfg = everything();
    const model::MetricCatalog cat(cfg);
    model::ModelOptions opts;
    opts.record_events = true;
    const auto out = model::SalesModel(cfg, cat, opts).run(0);
    const auto plain = model::SalesModel(cfg, cat).run(0);
    CHECK(plain.metrics == out.metrics);  // recording changes nothing
    std::map<int, double> exits;
    double arrivals = 0;
    for (const auto& e : out.flow_events) {
        if (e.type == model::FlowEventType::exit) exits[e.outcome] += 1;
        if (e.type == model::FlowEventType::arrive) arrivals += 1;
    }
    const auto metric = [&](const char* m) { return out.metrics[static_cast<std::size_t>(cat.index_of(m))]; };
    CHECK(exits[static_cast<int>(model::Outcome::won)] == metric("wins"));
    CHECK(exits[static_cast<int>(model::Outcome::lost)] <= metric("lost_to_competitor"));
    CHECK(exits[static_cast<int>(model::Outcome::no_decision)] <= metric("no_decision"));
    CHECK(metric("losses") == metric("lost_to_competitor") + metric("no_decision"));
    CHECK(exits[static_cast<int>(model::Outcome::nurtured)] == metric("nurtured"));
    CHECK(arrivals == metric("leads_arrived"));
    CHECK(std::string(model::outcome_name(model::Outcome::no_decision)) == "no_decision");
    CHECK(std::string(model::outcome_name(model::Outcome::nurtured)) == "nurtured");
}
