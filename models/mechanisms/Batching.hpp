#pragma once
// Batching (`stages.X.batch`): a stage with a batch period works its leads in batches:
// a lead entering it waits (its buyer waiting for us) until the next release, at every
// multiple of the period; then all leads held are released to the stage's queues.
#include <vector>

#include "kernel/EventCalendar.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Batching {
public:
    static constexpr std::uint32_t event_kinds = 1;  // a = stage: release

    template <class E> void build(E& e) {
        held_.resize(e.cfg().stages.size());
        for (auto& h : held_) h.clear();
    }
    template <class E> void start(E& e) {
        for (int s = 0; s < e.stage_count(); ++s) {
            const double every = e.cfg().stages[static_cast<std::size_t>(s)].batch_every_h;
            if (every > 0.0 && every <= e.horizon())
                e.calendar().schedule(every, e.template event_kind<Batching>(0), static_cast<std::uint32_t>(s));
        }
    }
    // Returns true when the lead is held for the next release.
    template <class E> bool hold_in_stage(E& e, std::uint32_t l, int s) {
        engine::Lead& lead = e.lead(l);
        lead.visit_hold = 0.0;
        if (e.cfg().stages[static_cast<std::size_t>(s)].batch_every_h <= 0.0) return false;
        lead.held_since = e.now();
        held_[static_cast<std::size_t>(s)].push_back(l);
        return true;
    }
    template <class E> void handle(E& e, std::uint32_t, const kernel::Event& ev) {
        auto& held = held_[ev.a];
        const double every = e.cfg().stages[ev.a].batch_every_h;
        if (e.now() + every <= e.horizon()) e.calendar().schedule(e.now() + every, ev.kind, ev.a);
        released_.clear();
        released_.swap(held);
        for (std::uint32_t l : released_) {
            engine::Lead& lead = e.lead(l);
            const double h = e.now() - lead.held_since;
            lead.waited += h;  // the buyer waits for us while the batch fills
            lead.visit_hold = h;
            e.request_work(l);
        }
        released_.clear();
        if (held.empty()) held.swap(released_);  // keep the storage
    }

private:
    std::vector<std::vector<std::uint32_t>> held_;  // per stage
    std::vector<std::uint32_t> released_;
};

}  // namespace salesflow::model::mechanisms
