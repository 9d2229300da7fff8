#pragma once
// Queue disciplines (`roles.X.discipline`): the order in which a role's people take
// waiting work. Smallest key first, then the time queued: fifo (every key equal),
// oldest lead first (arrival time), latest stage first, highest value first, and WSJF
// (value x win chance / mean effort of this and the later stages, highest first).
#include <algorithm>
#include <vector>

#include "kernel/Distribution.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Disciplines {
public:
    template <class E> void build(E& e) {
        const auto& stages = e.cfg().stages;
        remaining_.assign(stages.size(), 0.0);
        double remaining = 0.0;
        for (std::size_t s = stages.size(); s-- > 0;) {
            remaining += kernel::Distribution(stages[s].effort).mean();
            remaining_[s] = std::max(remaining, 1e-9);
        }
    }
    template <class E> double queue_key(const E& e, int role, const engine::Lead& lead, int stage) const {
        switch (e.cfg().roles[static_cast<std::size_t>(role)].discipline) {
            case Discipline::fifo: return 0.0;
            case Discipline::oldest_lead_first: return lead.arrival;
            case Discipline::latest_stage_first: return -static_cast<double>(stage);
            case Discipline::highest_value_first: return -lead.value;
            case Discipline::wsjf:
                return -(lead.value * e.effective_quality(lead) / remaining_[static_cast<std::size_t>(stage)]);
        }
        return 0.0;
    }

private:
    std::vector<double> remaining_;  // per stage: mean effort of it and the later stages (WSJF)
};

}  // namespace salesflow::model::mechanisms
