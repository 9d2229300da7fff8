#pragma once
// Context switching (`roles.X.context_switch_loss`): a person who owns n open deals
// loses the share loss[min(n, len) - 1] of their efficiency, so a session's work is
// divided by (1 - loss).
#include <algorithm>

#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class ContextSwitching {
public:
    template <class E> void on_session_start(E& e, int p, std::uint32_t, double& work) {
        engine::Person& person = e.person(p);
        person.switch_work = 0.0;
        const auto& loss = e.cfg().roles[static_cast<std::size_t>(person.role)].context_switch_loss;
        if (loss.empty() || person.owned <= 0) return;
        const double lost = loss[std::min<std::size_t>(static_cast<std::size_t>(person.owned), loss.size()) - 1];
        const double before = work;
        work /= std::max(1e-6, 1.0 - lost);
        person.switch_work = work - before;  // the loss, for RoleStatistics
    }
};

}  // namespace salesflow::model::mechanisms
