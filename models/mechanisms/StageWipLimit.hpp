#pragma once
// Stage WIP limit (`stages.X.wip_limit`): at most that many leads in the stage at once.
// A lead that finds it full waits before it, in arrival order (its buyer's patience
// runs), and enters when a lead leaves the stage (pull).
#include <vector>

#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class StageWipLimit {
public:
    template <class E> void build(E& e) {
        blocked_.resize(e.cfg().stages.size());
        for (auto& b : blocked_) b.clear();
    }
    // Returns true when the stage is full: the lead now waits before it.
    template <class E> bool hold_before_stage(E& e, std::uint32_t l, int s) {
        const int limit = e.cfg().stages[static_cast<std::size_t>(s)].wip_limit;
        if (limit <= 0 || e.stage(s).count < limit) return false;
        e.lead(l).blocked = true;
        e.enqueue(l, blocked_[static_cast<std::size_t>(s)], 0.0, -1);
        return true;
    }
    template <class E> void on_leave_stage(E& e, int s) {
        auto& blocked = blocked_[static_cast<std::size_t>(s)];
        const int limit = e.cfg().stages[static_cast<std::size_t>(s)].wip_limit;
        while (!blocked.empty() && (limit == 0 || e.stage(s).count < limit)) {
            const engine::QueueEntry q = blocked.pop();
            engine::Lead& lead = e.lead(q.lead);
            if (q.ticket != lead.ticket || !lead.waiting) continue;  // abandoned meanwhile
            e.stop_waiting(lead);
            lead.blocked = false;
            e.enter_stage(q.lead, s);
        }
    }

private:
    std::vector<engine::Line> blocked_;  // per stage
};

}  // namespace salesflow::model::mechanisms
