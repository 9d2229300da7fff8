#pragma once
// Ownership: from `ownership.from_stage` on, a deal stays with the person who started its
// first session there (its owner). Its later work follows the stage's order of roles:
// an idle person of a role before the owner's takes it; when the order reaches the
// owner's role, the owner does it (at once if free, else in their own line when their
// role is the stage's first, else in the stage's line, where no other person of the
// owner's role may take it). The owner is freed of the deal when it exits.
#include <algorithm>

#include "models/Recorder.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Ownership {
public:
    template <class E> bool route_work(E& e, std::uint32_t l) {
        engine::Lead& lead = e.lead(l);
        if (lead.owner < 0) return false;
        const int s = lead.stage;
        const auto& roles = e.cfg().stages[static_cast<std::size_t>(s)].roles;
        engine::Person& o = e.person(lead.owner);
        if (std::find(roles.begin(), roles.end(), o.role) == roles.end()) return false;  // not the owner's kind of work
        for (int r : roles) {
            if (r == o.role) {
                if (o.task == engine::TaskKind::none && e.on_shift(o)) {
                    lead.queued_at = e.now();
                    e.start_session(lead.owner, l);
                } else if (r == roles.front()) {
                    e.enqueue(l, o.own, e.queue_key(o.role, lead, s), o.role);
                } else {
                    e.enqueue(l, e.stage(s).line, e.queue_key(roles.front(), lead, s), roles.front());
                }
                return true;
            }
            const int p = e.idle_person(r, lead, s);
            if (p >= 0) {
                lead.queued_at = e.now();
                e.start_session(p, l);
                return true;
            }
        }
        return false;
    }
    // Another person of the owner's role may not take an owned deal.
    template <class E> bool may_take(E& e, const engine::Person& p, const engine::Lead& lead, int) {
        if (lead.owner < 0) return true;
        const engine::Person& o = e.person(lead.owner);
        return p.role != o.role || &p == &o;
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
