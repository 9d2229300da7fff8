#pragma once
// Handoffs: when a visit's first session goes to another person than the lead's last
// worker, the receiver spends `handoff.effort` extra working hours; when a lead moves to
// a stage whose first role differs from the stage it leaves, it waits `handoff.delay`
// calendar hours first (its buyer waiting for us).
#include <algorithm>

#include "kernel/Distribution.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Handoffs {
public:
    static constexpr std::uint32_t event_kinds = 1;  // a = lead, b = stage it enters

    template <class E> void build(E& e) {
        const auto& h = e.cfg().handoff;
        enabled_ = h.enabled();
        effort_ = kernel::Distribution(h.effort);
        delay_ = kernel::Distribution(h.delay);
        rng_ = kernel::make_engine(e.cfg().simulation.seed, static_cast<std::uint64_t>(e.replication()), "handoff");
    }
    template <class E> void on_session_start(E& e, int p, std::uint32_t l, double& work) {
        const engine::Lead& lead = e.lead(l);
        if (enabled_ && lead.first_session_of_visit && lead.last_person >= 0 && lead.last_person != p)
            work += std::max(0.0, effort_.sample(rng_));
    }
    // Returns true when the lead waits for the handoff before entering `to`.
    template <class E> bool on_move(E& e, std::uint32_t l, int from, int to) {
        const auto& stages = e.cfg().stages;
        if (!enabled_ || stages[static_cast<std::size_t>(from)].roles.front() == stages[static_cast<std::size_t>(to)].roles.front())
            return false;
        const double d = std::max(0.0, delay_.sample(rng_));
        if (d <= 0.0) return false;
        e.lead(l).waited += d;  // the buyer waits for us while the deal changes hands
        e.calendar().schedule(e.now() + d, e.template event_kind<Handoffs>(0), l, static_cast<std::uint32_t>(to));
        return true;
    }
    template <class E> void handle(E& e, std::uint32_t, const kernel::Event& ev) { e.enter_stage(ev.a, static_cast<int>(ev.b)); }

private:
    bool enabled_ = false;
    kernel::Distribution effort_;
    kernel::Distribution delay_;
    kernel::Engine rng_;
};

}  // namespace salesflow::model::mechanisms
