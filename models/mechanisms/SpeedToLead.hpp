#pragma once
// SpeedToLead: a lead's chance to be reached and to qualify falls with its time to first
// contact: the calendar hours from its arrival to the start of its first work session.
// At the end of the lead's first visit (before any gate) it is kept with the relative
// chance f(t) of its source's `speed_to_lead` curve (linear between points, the first
// value before the first point, the last after the last), one uniform draw per lead from
// the stream source/<name>/speed_to_lead; otherwise it leaves as `disqualified` (not
// reached, or not qualified in time). So the chance to advance past the stage of first
// contact is multiplied by f(t). Off for a source without the key: nothing is drawn.
#include <cstdint>
#include <string>
#include <vector>

#include "kernel/RandomStreams.hpp"
#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class SpeedToLead {
public:
    // The relative chance at time to first contact t (hours) on a validated curve.
    static double chance(const std::vector<CurvePoint>& curve, double t) {
        if (t <= curve.front().at_h) return curve.front().value;
        for (std::size_t i = 1; i < curve.size(); ++i) {
            const auto& a = curve[i - 1];
            const auto& b = curve[i];
            if (t < b.at_h) return a.value + (b.value - a.value) * (t - a.at_h) / (b.at_h - a.at_h);
        }
        return curve.back().value;
    }

    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        active_ = false;
        unreached_ = 0.0;
        sources_.assign(cfg.sources.size(), PerSource{});
        for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
            if (cfg.sources[i].speed_to_lead.empty()) continue;
            active_ = true;
            sources_[i].on = true;
            sources_[i].rng = kernel::make_engine(cfg.simulation.seed, static_cast<std::uint64_t>(e.replication()),
                                                  "source/" + cfg.sources[i].name + "/speed_to_lead");
        }
        contact_.clear();
        if (active_) contact_.reserve(1024);
    }
    template <class E> void on_arrival(E&, std::uint32_t l) {
        if (!active_) return;
        if (l >= contact_.size()) contact_.resize(static_cast<std::size_t>(l) + 1);
        contact_[l] = not_contacted;
    }
    template <class E> void on_session_start(E& e, int, std::uint32_t l, double&) {
        if (active_ && contact_[l] == not_contacted) contact_[l] = e.now() - e.lead(l).arrival;
    }
    // The end of the lead's first visit: reached in time, or it leaves (true).
    template <class E> bool decide_visit(E& e, std::uint32_t l) {
        if (!active_ || contact_[l] < 0.0) return false;
        const double t = contact_[l];
        contact_[l] = decided;
        const engine::Lead& lead = e.lead(l);
        auto& ps = sources_[static_cast<std::size_t>(lead.source)];
        if (!ps.on) return false;
        const double u = kernel::uniform01(ps.rng);
        if (u < chance(e.cfg().sources[static_cast<std::size_t>(lead.source)].speed_to_lead, t)) return false;
        if (e.measuring()) unreached_ += 1.0;
        e.exit_lead(l, Outcome::disqualified);
        return true;
    }

    template <class Sink> void report(const ScenarioConfig& cfg, Sink& put) const {
        bool any = false;
        for (const auto& sc : cfg.sources) any = any || !sc.speed_to_lead.empty();
        if (!any) return;
        put({"unreached", Unit::count, Direction::lower, "Leads lost to a slow first contact"}, [&] { return unreached_; });
    }

private:
    static constexpr double not_contacted = -1.0;
    static constexpr double decided = -2.0;
    struct PerSource {
        kernel::Engine rng;
        bool on = false;
    };
    bool active_ = false;
    std::vector<PerSource> sources_;
    std::vector<double> contact_;  // per lead slot: hours to first contact, or a sentinel
    double unreached_ = 0.0;
};

}  // namespace salesflow::model::mechanisms
