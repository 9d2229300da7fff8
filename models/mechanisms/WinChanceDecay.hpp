#pragma once
// WinChanceDecay: while a lead waits for us its buyer moves on: the chance to win
// (the lead's quality, used where a stage advances by quality and by WSJF) halves every
// `half_life` hours of waiting for us (queues, batches, handoff delays; not work and not
// the buyer's own response time).
#include <cmath>

#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class WinChanceDecay {
public:
    template <class E> void adjust_win_chance(const E& e, const engine::Lead& lead, double& chance) const {
        const double hl = e.cfg().sources[static_cast<std::size_t>(lead.source)].half_life_h;
        if (hl > 0.0) chance *= std::exp2(-lead.waited / hl);
    }
};

}  // namespace salesflow::model::mechanisms
