#pragma once
// Context switching (`roles.X.context_switching`): a person who owns n >= 1 open deals
// loses a share of their efficiency, so a session's work is divided by (1 - loss(n)),
// taken when the session starts (the deal it starts counts among the n):
//  - a list of losses (Weinberg's curve or the scenario's own):
//        loss(n) = list[min(n, len) - 1];
//  - the gentler per-open-deal curve (`{curve: per_open_deal, loss: c, max: m}`):
//        loss(n) = min(m, c x (n - 1)).
#include <algorithm>

#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class ContextSwitching {
public:
    template <class E> void on_session_start(E& e, int p, std::uint32_t, double& work) {
        engine::Person& person = e.person(p);
        person.switch_work = 0.0;
        if (person.owned <= 0) return;
        const auto& rc = e.cfg().roles[static_cast<std::size_t>(person.role)];
        const double before = work;
        if (rc.context_switch_per_deal > 0.0) {
            const double lost = std::min(rc.context_switch_max, rc.context_switch_per_deal * (person.owned - 1));
            work /= std::max(1e-6, 1.0 - lost);
            person.switch_work = work - before;  // the loss, for RoleStatistics
            return;
        }
        const auto& loss = rc.context_switch_loss;
        if (loss.empty()) return;
        const double lost = loss[std::min<std::size_t>(static_cast<std::size_t>(person.owned), loss.size()) - 1];
        work /= std::max(1e-6, 1.0 - lost);
        person.switch_work = work - before;  // the loss, for RoleStatistics
    }
};

}  // namespace salesflow::model::mechanisms
