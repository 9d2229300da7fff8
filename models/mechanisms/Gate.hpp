#pragma once
// Gate: at the end of a visit to a stage with a gate, the qualifier estimates the lead's
// quality with normal noise (sd `noise_sd`) and disqualifies it when the estimate is
// below `threshold`. A lead that passes the last gate of the flow is an opportunity.
#include <string>
#include <vector>

#include <boost/random/normal_distribution.hpp>

#include "kernel/RandomStreams.hpp"
#include "models/Recorder.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Gate {
public:
    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        last_gate_ = -1;
        rng_.resize(cfg.stages.size());
        for (std::size_t s = 0; s < cfg.stages.size(); ++s) {
            if (!cfg.stages[s].gate.enabled) continue;  // no gate: its stream is never read
            last_gate_ = static_cast<int>(s);
            rng_[s] = kernel::make_engine(cfg.simulation.seed, static_cast<std::uint64_t>(e.replication()),
                                          "stage/" + cfg.stages[s].name + "/gate");
        }
    }
    // Returns true when the lead was disqualified (it has left).
    template <class E> bool decide_visit(E& e, std::uint32_t l) {
        engine::Lead& lead = e.lead(l);
        const int s = lead.stage;
        const auto& gate = e.cfg().stages[static_cast<std::size_t>(s)].gate;
        if (!gate.enabled) return false;
        const double noise = gate.noise_sd > 0.0
                                 ? boost::random::normal_distribution<double>(0.0, gate.noise_sd)(rng_[static_cast<std::size_t>(s)])
                                 : 0.0;
        if (lead.quality + noise < gate.threshold) {
            e.exit_lead(l, Outcome::disqualified);
            return true;
        }
        if (s == last_gate_) e.opportunity(l);
        return false;
    }

private:
    int last_gate_ = -1;
    std::vector<kernel::Engine> rng_;  // per stage
};

}  // namespace salesflow::model::mechanisms
