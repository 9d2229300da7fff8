#pragma once
// NoDecision: a deal that is not won does not always go to a competitor. A lead that
// fails to advance at the `no_decision.from` stage or a later one (Routing's `lost`)
// ends in `no_decision` instead with probability
//   p = min(1, share + per_week_waited x W + per_week_lead_time x A),
// W the weeks (168 h) it waited for us in all, A the weeks since its arrival; one uniform
// draw per such lead from the stream `no_decision`. Off without the key: every such lead
// stays `lost` and nothing is drawn.
#include <algorithm>
#include <cstdint>

#include "kernel/RandomStreams.hpp"
#include "kernel/Time.hpp"
#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class NoDecision {
public:
    // The chance that a failing deal ends in no decision.
    static double chance(const NoDecisionConfig& c, double waited_h, double age_h) {
        const double p = c.share + c.per_week_waited * waited_h / kernel::hours_per_week +
                         c.per_week_lead_time * age_h / kernel::hours_per_week;
        return std::clamp(p, 0.0, 1.0);
    }

    template <class E> void build(E& e) {
        const auto& c = e.cfg().no_decision;
        on_ = c.enabled;
        count_ = 0.0;
        from_ = c.from_stage >= 0 ? c.from_stage : e.last_stage();
        if (on_)
            rng_ = kernel::make_engine(e.cfg().simulation.seed, static_cast<std::uint64_t>(e.replication()), "no_decision");
    }
    template <class E> void redirect_exit(E& e, std::uint32_t l, Outcome& o) {
        if (!on_ || o != Outcome::lost) return;
        const engine::Lead& lead = e.lead(l);
        if (lead.stage < from_) return;
        if (kernel::uniform01(rng_) < chance(e.cfg().no_decision, lead.waited, e.now() - lead.arrival))
            o = Outcome::no_decision;
    }
    // Counted whether or not the lead then goes to nurture.
    template <class E> void on_exit(E& e, std::uint32_t l, Outcome o) {
        if (!e.measuring()) return;
        if (o == Outcome::no_decision ||
            (o == Outcome::nurtured && e.lead(l).ended_as == static_cast<std::int32_t>(Outcome::no_decision)))
            count_ += 1.0;
    }

    template <class Sink> void report(const ScenarioConfig& cfg, Sink& put) const {
        if (!cfg.no_decision.enabled) return;
        put({"no_decision", Unit::count, Direction::lower, "Deals ended without a decision"}, [&] { return count_; });
    }

private:
    bool on_ = false;
    int from_ = 0;
    kernel::Engine rng_;
    double count_ = 0.0;
};

}  // namespace salesflow::model::mechanisms
