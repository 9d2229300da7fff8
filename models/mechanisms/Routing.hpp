#pragma once
// Routing and rework: where a lead goes when a visit ends. With probability
// `rework.probability` back to `rework.to`; otherwise it advances with probability
// `advance` (a number, or its current win chance for `advance: quality`) to the next
// stage (from the last stage: won) and is lost otherwise.
#include <string>
#include <vector>

#include "kernel/RandomStreams.hpp"
#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Routing {
public:
    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        rng_.resize(cfg.stages.size());
        certain_.assign(cfg.stages.size(), false);
        for (std::size_t s = 0; s < cfg.stages.size(); ++s) {
            const auto& sc = cfg.stages[s];
            certain_[s] = !sc.has_rework && !sc.advance_by_quality && sc.advance_probability >= 1.0 &&
                          !advance_adjusted(cfg, static_cast<int>(s));
            if (certain_[s]) continue;  // never draws: no stream needed
            rng_[s] = kernel::make_engine(cfg.simulation.seed, static_cast<std::uint64_t>(e.replication()),
                                          "stage/" + cfg.stages[s].name + "/routing");
        }
    }
    // Always decides: the lead moves on or exits.
    template <class E> bool decide_visit(E& e, std::uint32_t l) {
        engine::Lead& lead = e.lead(l);
        const int s = lead.stage;
        const auto& sc = e.cfg().stages[static_cast<std::size_t>(s)];
        auto& rng = rng_[static_cast<std::size_t>(s)];
        // Where routing can go two ways both draws are always made, so routing streams
        // stay aligned across scenarios; a stage that always advances needs none (its
        // stream is then never read, so skipping changes no other draw).
        const bool certain = certain_[static_cast<std::size_t>(s)];
        const double u_rework = sc.has_rework ? kernel::uniform01(rng) : 1.0;
        const double u_advance = certain ? 0.0 : kernel::uniform01(rng);
        if (sc.has_rework && u_rework < sc.rework_probability) {
            e.move_to(l, s, sc.rework_to);
            return true;
        }
        const double p_advance =
            e.advance_chance(l, sc.advance_by_quality ? e.effective_quality(lead) : sc.advance_probability);
        if (u_advance < p_advance) {
            if (s == e.last_stage()) e.exit_lead(l, Outcome::won);
            else e.move_to(l, s, s + 1);
        } else {
            e.exit_lead(l, Outcome::lost);
        }
        return true;
    }

private:
    // Skill, ramp-up or quarter-end pressure may change the stage's advance chance
    // (Engine::advance_chance): the stage then always draws.
    static bool advance_adjusted(const ScenarioConfig& cfg, int s) {
        if (cfg.quarter_end.enabled && cfg.quarter_end.extra_loss > 0.0 && s == static_cast<int>(cfg.stages.size()) - 1)
            return true;
        for (int r : cfg.stages[static_cast<std::size_t>(s)].roles) {
            const auto& rc = cfg.roles[static_cast<std::size_t>(r)];
            if (!rc.skill.empty() && rc.skill[static_cast<std::size_t>(s)] != 1.0) return true;
            if (rc.ramp.time_h > 0.0 && rc.ramp.skill_from != 1.0) return true;
        }
        return false;
    }
    std::vector<kernel::Engine> rng_;  // per stage
    std::vector<bool> certain_;        // per stage: it always advances, no draw
};

}  // namespace salesflow::model::mechanisms
