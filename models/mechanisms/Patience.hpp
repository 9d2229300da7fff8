#pragma once
// Patience: a buyer gives up (outcome `abandoned`) after waiting longer than their
// patience in any one queue. Patience is the buyer's, drawn once at arrival from the
// source's stream, so every organisation facing the same market meets the same impatient
// buyers; the timer runs while the lead waits for a person or for room in a full stage.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kernel/Distribution.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Patience {
public:
    static constexpr std::uint32_t event_kinds = 1;  // a = lead: the buyer stops waiting

    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        sources_.assign(cfg.sources.size(), PerSource{});
        for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
            const auto& sc = cfg.sources[i];
            auto& ps = sources_[i];
            ps.has = sc.patience.has_value();
            if (!ps.has) continue;  // no patience: its stream is never read
            ps.rng = kernel::make_engine(cfg.simulation.seed, static_cast<std::uint64_t>(e.replication()),
                                         "source/" + sc.name + "/patience");
            ps.patience = kernel::Distribution(*sc.patience);
        }
    }
    template <class E> void on_arrival(E& e, std::uint32_t l) {
        engine::Lead& lead = e.lead(l);
        auto& ps = sources_[static_cast<std::size_t>(lead.source)];
        lead.patience = ps.has ? std::max(0.0, ps.patience.sample(ps.rng)) : std::numeric_limits<double>::infinity();
    }
    template <class E> void on_enqueue(E& e, std::uint32_t l) {
        engine::Lead& lead = e.lead(l);
        if (std::isfinite(lead.patience))
            lead.patience_timer = e.calendar().schedule_cancellable(e.now() + lead.patience, e.template event_kind<Patience>(0), l);
    }
    template <class E> void on_stop_waiting(E& e, engine::Lead& lead) { e.calendar().cancel(lead.patience_timer); }
    template <class E> void handle(E& e, std::uint32_t, const kernel::Event& ev) { e.abandon(ev.a); }

private:
    struct PerSource {
        kernel::Engine rng;
        kernel::Distribution patience;
        bool has = false;
    };
    std::vector<PerSource> sources_;
};

}  // namespace salesflow::model::mechanisms
