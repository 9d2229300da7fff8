#pragma once
// Nurture and recycling: a lead about to end `disqualified`, `abandoned`, `lost` or in
// `no_decision` enters the nurture pool instead with that outcome's share (one uniform
// draw per such exit from the stream nurture/enter, made whenever the share is > 0); it
// then leaves with the outcome `nurtured`. After a delay (stream nurture/delay) it comes
// back as a NEW lead of the nurture source (its own source when none is named), with the
// same value and the same quality (or one drawn from nurture/quality). A return after the
// horizon does not happen. Off without the key: nothing is drawn.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernel/Distribution.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Nurture {
public:
    static constexpr std::uint32_t event_kinds = 1;  // a = pool slot: the lead comes back

    // The share of leads ending with `o` that enter the pool.
    static double share(const NurtureConfig& c, Outcome o) {
        switch (o) {
            case Outcome::disqualified: return c.disqualified;
            case Outcome::abandoned: return c.abandoned;
            case Outcome::lost: return c.lost;
            case Outcome::no_decision: return c.no_decision;
            default: return 0.0;
        }
    }

    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        const auto& c = cfg.nurture;
        on_ = c.enabled;
        nurtured_ = recycled_ = 0.0;
        returning_ = false;
        pool_.clear();
        free_.clear();
        if (!on_) return;
        const auto seed = cfg.simulation.seed;
        const auto rep = static_cast<std::uint64_t>(e.replication());
        enter_rng_ = kernel::make_engine(seed, rep, "nurture/enter");
        delay_rng_ = kernel::make_engine(seed, rep, "nurture/delay");
        quality_rng_ = kernel::make_engine(seed, rep, "nurture/quality");
        delay_ = kernel::Distribution(c.delay);
        if (c.quality) quality_ = kernel::Distribution(*c.quality);
        pool_.reserve(1024);
        free_.reserve(1024);
    }
    template <class E> void redirect_exit(E& e, std::uint32_t l, Outcome& o) {
        if (!on_) return;
        const auto& c = e.cfg().nurture;
        const double p = share(c, o);
        if (p <= 0.0 || kernel::uniform01(enter_rng_) >= p) return;
        e.lead(l).ended_as = static_cast<std::int32_t>(o);  // still counted as that outcome (losses, disqualified, ...)
        o = Outcome::nurtured;
        const engine::Lead& lead = e.lead(l);
        const double q = c.quality ? std::clamp(quality_.sample(quality_rng_), 0.0, 1.0) : lead.quality;
        const double back = e.now() + std::max(0.0, delay_.sample(delay_rng_));
        if (back > e.horizon()) return;
        std::uint32_t slot;
        if (!free_.empty()) {
            slot = free_.back();
            free_.pop_back();
        } else {
            slot = static_cast<std::uint32_t>(pool_.size());
            pool_.emplace_back();
        }
        pool_[slot] = Waiting{q, lead.value, c.source >= 0 ? c.source : lead.source};
        e.calendar().schedule(back, e.template event_kind<Nurture>(0), slot);
    }
    template <class E> void on_exit(E& e, std::uint32_t, Outcome o) {
        if (o == Outcome::nurtured && e.measuring()) nurtured_ += 1.0;
    }
    template <class E> void handle(E& e, std::uint32_t, const kernel::Event& ev) {
        const Waiting w = pool_[ev.a];
        free_.push_back(ev.a);
        returning_ = true;
        e.lead_arrives_with(w.source, w.quality, w.value);
    }
    template <class E> void on_arrival(E& e, std::uint32_t l) {
        if (!returning_) return;
        returning_ = false;
        if (e.lead(l).counted) recycled_ += 1.0;
    }

    template <class Sink> void report(const ScenarioConfig& cfg, Sink& put) const {
        if (!cfg.nurture.enabled) return;
        put({"nurtured", Unit::count, Direction::neither, "Leads put into nurture"}, [&] { return nurtured_; });
        put({"recycled", Unit::count, Direction::neither, "Leads back from nurture"}, [&] { return recycled_; });
    }

private:
    struct Waiting {
        double quality = 0.0;
        double value = 0.0;
        int source = 0;
    };
    bool on_ = false;
    bool returning_ = false;  // the next arrival comes from the pool
    kernel::Engine enter_rng_, delay_rng_, quality_rng_;
    kernel::Distribution delay_, quality_;
    std::vector<Waiting> pool_;         // leads waiting to come back, by slot
    std::vector<std::uint32_t> free_;   // free slots of pool_
    double nurtured_ = 0.0, recycled_ = 0.0;
};

}  // namespace salesflow::model::mechanisms
