#pragma once
// SpeedToLead: a lead's chance to be reached and to qualify falls with its time to first
// contact: the calendar hours from its arrival to the start of its first work session.
// At the end of the lead's first visit (before any gate) it is kept with the relative
// chance f(t)^s of its source's `speed_to_lead` curve f (linear between points, a step
// where two points share a time, the first value before the first point, the last after
// the last) and strength s in [0, 1] (1 = the curve, 0 = flat), one uniform draw per lead
// from the stream source/<name>/speed_to_lead (also at strength 0); otherwise it leaves
// as `disqualified` (not reached, or not qualified in time). So the chance to advance
// past the stage of first contact is multiplied by f(t)^s. Off for a source without the
// key: nothing is drawn.
//
// With `normalise: typical` the source's Poisson rate is divided by typical_chance(f, s),
// the chance that a lead of a typical firm is kept (HBR 2011's response times of the
// firms that answered), so that `arrivals` counts the leads a typical firm reaches.
#include <cmath>
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
    // f(t)^s (s = 1 exactly: f(t); s = 0: 1, also where f(t) = 0).
    static double chance(const std::vector<CurvePoint>& curve, double t, double strength) {
        const double f = chance(curve, t);
        return strength == 1.0 ? f : std::pow(f, strength);
    }

    // The reference distribution of times to first contact (HBR 2011, "The Short Life of
    // Online Sales Leads": of 2,241 firms 37% answered within an hour, 16% within 1 to 24
    // hours, 24% after more than 24 hours, 23% never; the firms that answered took 42
    // hours on average). Among the firms that answered: 37/77 uniform on [0, 1 h], 16/77
    // uniform on [1 h, 24 h], 24/77 at 24 h plus an exponential whose mean makes the
    // overall mean 42 h (typical_tail_mean_h, 101.65 h).
    static constexpr double typical_share_hour = 37.0 / 77.0;
    static constexpr double typical_share_day = 16.0 / 77.0;
    static constexpr double typical_share_late = 24.0 / 77.0;
    static constexpr double typical_mean_h = 42.0;
    static constexpr double typical_tail_mean_h =
        (typical_mean_h - typical_share_hour * 0.5 - typical_share_day * 12.5) / typical_share_late - 24.0;

    // E[f(T)^s] for T of the reference distribution: the midpoint rule with 4096 points
    // on each uniform part and on the exponential tail's quantiles (deterministic).
    static double typical_chance(const std::vector<CurvePoint>& curve, double strength) {
        if (curve.empty()) return 1.0;
        constexpr int n = 4096;
        double hour = 0.0, day = 0.0, late = 0.0;
        for (int i = 0; i < n; ++i) {
            const double u = (i + 0.5) / n;
            hour += chance(curve, u, strength);
            day += chance(curve, 1.0 + 23.0 * u, strength);
            late += chance(curve, 24.0 - typical_tail_mean_h * std::log1p(-u), strength);
        }
        return (typical_share_hour * hour + typical_share_day * day + typical_share_late * late) / n;
    }

    // What a source's Poisson rate is multiplied by: 1 / typical_chance with
    // `normalise: typical` (and a chance above 0), else 1.
    // typical_chance costs about 350,000 instructions and every replication asks it twice
    // per source (Arrivals, FlowStatistics): the answers for the curves seen last are kept
    // per thread (the same numbers, computed once).
    static double arrival_scale(const SourceConfig& sc) {
        if (sc.speed_to_lead.empty() || sc.speed_to_lead_normalise != SpeedToLeadNormalise::typical) return 1.0;
        const double p = typical_chance_memo(sc.speed_to_lead, sc.speed_to_lead_strength);
        return p > 0.0 ? 1.0 / p : 1.0;
    }
    static double typical_chance_memo(const std::vector<CurvePoint>& curve, double strength) {
        struct Known {
            std::vector<CurvePoint> curve;
            double strength;
            double chance;
        };
        thread_local std::vector<Known> known;
        const auto same = [&](const Known& k) {
            if (!(k.strength == strength) || k.curve.size() != curve.size()) return false;
            for (std::size_t i = 0; i < curve.size(); ++i)
                if (!(k.curve[i].at_h == curve[i].at_h && k.curve[i].value == curve[i].value)) return false;
            return true;
        };
        for (const auto& k : known)
            if (same(k)) return k.chance;
        if (known.size() >= 16) known.clear();
        known.push_back(Known{curve, strength, typical_chance(curve, strength)});
        return known.back().chance;
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
        const auto& sc = e.cfg().sources[static_cast<std::size_t>(lead.source)];
        if (u < chance(sc.speed_to_lead, t, sc.speed_to_lead_strength)) return false;
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
