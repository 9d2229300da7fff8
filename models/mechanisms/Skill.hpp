#pragma once
// Skill beside speed (`roles.X.skill`, `learning`, `ramp`).
//
// Skill: when a visit to stage s ends, the chance that the lead advances (from the last
// stage: is won) is multiplied by the skill at s of the person who did the visit's last
// session, times their ramp-up skill factor, and capped at 1:
//     chance' = min(1, chance x skill[s] x ramp_skill)
// where chance is the stage's `advance` (or, for `advance: quality`, the lead's current
// win chance). Skill 1 (the default) changes nothing.
//
// Speed: a session's work is divided by the person's learning and ramp-up factors, taken
// when the session starts:
//     learning   = 1 + max_gain x (1 - exp(-visits / visits_scale))
//     ramp_eff   = efficiency_from + (1 - efficiency_from) x progress
//     ramp_skill = skill_from + (1 - skill_from) x progress
// `visits` counts the visits the person has finished (any stage; for the people present
// at time 0 it starts at `learning.initial`, for hires and replacements at 0), and
// progress = min(1, time since the person started / ramp.time) (1 for the people
// present at time 0). Staffing keeps who started when.
#include <algorithm>
#include <cmath>

#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"
#include "models/mechanisms/Staffing.hpp"

namespace salesflow::model::mechanisms {

class Skill {
public:
    template <class E> void build(E& e) {
        speed_ = advance_ = learning_ = false;
        for (const auto& rc : e.cfg().roles) {
            const bool ramp = rc.ramp.time_h > 0.0;
            learning_ = learning_ || rc.learning.max_gain > 0.0;
            speed_ = speed_ || rc.learning.max_gain > 0.0 || (ramp && rc.ramp.efficiency_from != 1.0);
            advance_ = advance_ || !rc.skill.empty() || (ramp && rc.ramp.skill_from != 1.0);
        }
    }

    template <class E> void on_session_start(E& e, int p, std::uint32_t, double& work) {
        if (!speed_) return;
        const auto& rc = e.cfg().roles[static_cast<std::size_t>(e.person(p).role)];
        const auto& staffing = e.template get<Staffing>();
        double factor = 1.0;
        if (rc.learning.max_gain > 0.0)
            factor *= 1.0 + rc.learning.max_gain * (1.0 - std::exp(-staffing.visits(p) / rc.learning.visits_scale));
        if (rc.ramp.time_h > 0.0 && rc.ramp.efficiency_from != 1.0)
            factor *= rc.ramp.efficiency_from + (1.0 - rc.ramp.efficiency_from) * staffing.ramp_progress(rc, p, e.now());
        work /= factor;
    }

    template <class E> void on_visit_done(E& e, std::uint32_t l) {
        if (!learning_) return;
        const int p = e.lead(l).last_person;
        if (p >= 0 && p < static_cast<int>(e.people().size())) e.template get<Staffing>().visits(p) += 1.0;
    }

    template <class E> void adjust_advance(E& e, std::uint32_t l, double& chance) {
        if (!advance_) return;
        const engine::Lead& lead = e.lead(l);
        const int p = lead.last_person;
        if (p < 0 || p >= static_cast<int>(e.people().size())) return;
        const auto& rc = e.cfg().roles[static_cast<std::size_t>(e.person(p).role)];
        double m = rc.skill.empty() ? 1.0 : rc.skill[static_cast<std::size_t>(lead.stage)];
        if (rc.ramp.time_h > 0.0 && rc.ramp.skill_from != 1.0)
            m *= rc.ramp.skill_from + (1.0 - rc.ramp.skill_from) * e.template get<Staffing>().ramp_progress(rc, p, e.now());
        if (m != 1.0) chance = std::min(1.0, chance * m);
    }

private:
    bool speed_ = false, advance_ = false, learning_ = false;
};

}  // namespace salesflow::model::mechanisms
