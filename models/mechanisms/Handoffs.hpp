#pragma once
// Handoffs: a handoff is a change of the person who works a lead. At every session whose
// person differs from the lead's last worker, the lead first waits `handoff.delay`
// calendar hours (its buyer waiting for us: it counts towards decay; the receiver is free
// meanwhile and the lead then waits for that receiver), and the receiver spends
// `handoff.effort` extra working hours in that session. A lead's first session is no
// handoff. Who gets a lead's next work: its last worker when free (Engine::idle_person).
#include <algorithm>

#include "kernel/Distribution.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Handoffs {
public:
    static constexpr std::uint32_t event_kinds = 1;  // a = lead: the handoff delay has passed

    template <class E> void build(E& e) {
        const auto& h = e.cfg().handoff;
        effort_on_ = !h.effort.is_constant_zero();
        delay_on_ = !h.delay.is_constant_zero();
        effort_ = kernel::Distribution(h.effort);
        delay_ = kernel::Distribution(h.delay);
        rng_ = kernel::make_engine(e.cfg().simulation.seed, static_cast<std::uint64_t>(e.replication()), "handoff");
    }
    // A change of hands waits for the delay first.
    template <class E> bool defer_session(E& e, int p, std::uint32_t l) {
        engine::Lead& lead = e.lead(l);
        if (!delay_on_ || lead.handoff_cleared || lead.last_person < 0 || lead.last_person == p) return false;
        const double d = std::max(0.0, delay_.sample(rng_));
        if (d <= 0.0) return false;
        lead.waited += d;  // the buyer waits for us while the deal changes hands
        lead.visit_handoff += d;
        lead.handoff_to = p;
        e.calendar().schedule(e.now() + d, e.template event_kind<Handoffs>(0), l);
        return true;
    }
    template <class E> void on_session_start(E& e, int p, std::uint32_t l, double& work) {
        const engine::Lead& lead = e.lead(l);
        engine::Person& person = e.person(p);
        person.handoff_work = 0.0;
        if (effort_on_ && lead.last_person >= 0 && lead.last_person != p) {
            person.handoff_work = std::max(0.0, effort_.sample(rng_));  // for RoleStatistics
            work += person.handoff_work;
        }
    }
    // The delay has passed: the receiver takes the lead now, or it waits for them.
    template <class E> void handle(E& e, std::uint32_t, const kernel::Event& ev) {
        const std::uint32_t l = ev.a;
        engine::Lead& lead = e.lead(l);
        lead.handoff_cleared = true;
        lead.queued_at = e.now();
        if (lead.handoff_to < 0) {  // the receiver left meanwhile (Staffing): whoever may take it
            e.request_work(l);
            return;
        }
        engine::Person& to = e.person(lead.handoff_to);
        if (!e.may_take(to, lead, lead.stage)) {
            // The receiver may no longer take it (a personal WIP limit reached during the
            // delay): whoever may take it, as a new request (the delay is not repeated).
            lead.handoff_to = -1;
            e.request_work(l);
            return;
        }
        if (to.task == engine::TaskKind::none && e.on_shift(to)) e.start_session(lead.handoff_to, l);
        else e.enqueue(l, to.own, e.queue_key(to.role, lead, lead.stage), to.role);
    }

private:
    bool effort_on_ = false;
    bool delay_on_ = false;
    kernel::Distribution effort_;
    kernel::Distribution delay_;
    kernel::Engine rng_;
};

}  // namespace salesflow::model::mechanisms
