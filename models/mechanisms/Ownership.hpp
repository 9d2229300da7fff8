#pragma once
// Ownership: from `ownership.from_stage` on, a deal stays with the person who started
// its first session there (its owner). An owned deal's later work goes to its owner's
// own line when the owner's role works the stage; the owner is freed of it when it exits.
#include <algorithm>

#include "models/Recorder.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Ownership {
public:
    // An owned deal's work goes to its owner when the owner's role does this stage.
    template <class E> bool route_work(E& e, std::uint32_t l) {
        engine::Lead& lead = e.lead(l);
        if (lead.owner < 0) return false;
        const auto& roles = e.cfg().stages[static_cast<std::size_t>(lead.stage)].roles;
        engine::Person& o = e.person(lead.owner);
        if (std::find(roles.begin(), roles.end(), o.role) == roles.end()) return false;
        if (o.task == engine::TaskKind::none) {
            lead.queued_at = e.now();
            e.start_session(lead.owner, l);
        } else {
            e.enqueue(l, o.own, e.queue_key(o.role, lead, lead.stage), o.role);
        }
        return true;
    }
    // Ownership begins when the first owning stage's work starts.
    template <class E> void on_session_start(E& e, int p, std::uint32_t l, double&) {
        const auto& own = e.cfg().ownership;
        engine::Lead& lead = e.lead(l);
        if (own.enabled && lead.owner < 0 && lead.stage >= own.from_stage) {
            lead.owner = p;
            lead.owned_by = p;
            ++e.person(p).owned;
        }
    }
    // Room under the WIP limit: an idle owner may now pull a new deal.
    template <class E> void on_exit(E& e, std::uint32_t l, Outcome) {
        engine::Lead& lead = e.lead(l);
        const int owner = lead.owner;
        lead.owner = -1;
        if (owner < 0) return;
        engine::Person& p = e.person(owner);
        --p.owned;
        if (p.task == engine::TaskKind::none) e.dispatch(owner);
    }
};

}  // namespace salesflow::model::mechanisms
