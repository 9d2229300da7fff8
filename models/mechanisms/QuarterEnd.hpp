#pragma once
// Quarter-end pressure (`quarter_end`). Quarters are 13-week periods (2184 h) of
// calendar time from time 0; the window is the last `window` hours of each:
//     in_window(t) = (t mod 2184 h) >= 2184 h - window.
// In the window, for leads in the last stage (the closing stage):
//  - priority (default on): work that joins a line in the window goes before all other
//    work of the same people (its queue key is -infinity: among such leads, the earlier
//    queued first); work queued before the window keeps its place;
//  - a session started in the window takes work / `speed`;
//  - the chance to be won at the end of a visit that ends in the window is multiplied by
//    1 - `extra_loss` (after skill);
//  - a deal won in the window is worth (1 - `discount`) of its value.
// Reports the wins in the window and their share of all wins after the warm-up.
#include <cmath>
#include <limits>

#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class QuarterEnd {
public:
    static constexpr double quarter_h = 13.0 * 168.0;

    template <class E> void build(E& e) {
        cfg_ = e.cfg().quarter_end;
        last_ = e.last_stage();
        wins_ = wins_in_window_ = 0.0;
    }
    bool in_window(double t) const { return std::fmod(t, quarter_h) >= quarter_h - cfg_.window_h; }

    template <class E> void adjust_queue_key(const E& e, int, const engine::Lead&, int stage, double& key) const {
        if (cfg_.enabled && cfg_.priority && stage == last_ && in_window(e.now())) key = -std::numeric_limits<double>::infinity();
    }
    template <class E> void on_session_start(E& e, int, std::uint32_t l, double& work) {
        if (cfg_.enabled && cfg_.speed != 1.0 && e.lead(l).stage == last_ && in_window(e.now())) work /= cfg_.speed;
    }
    template <class E> void adjust_advance(E& e, std::uint32_t l, double& chance) {
        if (cfg_.enabled && cfg_.extra_loss > 0.0 && e.lead(l).stage == last_ && in_window(e.now()))
            chance *= 1.0 - cfg_.extra_loss;
    }
    // Before the statistics see the exit: the discounted value is the revenue.
    template <class E> void on_exit(E& e, std::uint32_t l, Outcome o) {
        if (!cfg_.enabled || o != Outcome::won) return;
        const bool window = in_window(e.now());
        if (window) e.lead(l).value *= 1.0 - cfg_.discount;
        if (e.measuring()) {
            wins_ += 1.0;
            if (window) wins_in_window_ += 1.0;
        }
    }

    template <class Sink> void report(const ScenarioConfig& cfg, Sink& put) const {
        if (!cfg.quarter_end.enabled) return;
        using D = Direction;
        put({"wins_in_quarter_end", Unit::count, D::neither, "Wins in the quarter-end window"},
            [&] { return wins_in_window_; });
        put({"wins_in_quarter_end_share", Unit::share, D::neither, "Share of wins in the quarter-end window"},
            [&] { return wins_ > 0.0 ? wins_in_window_ / wins_ : 0.0; });
    }

private:
    QuarterEndConfig cfg_;
    int last_ = 0;
    double wins_ = 0.0, wins_in_window_ = 0.0;
};

}  // namespace salesflow::model::mechanisms
