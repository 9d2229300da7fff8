#pragma once
// The registry: every mechanism and statistic of the model, in the order the engine
// calls their hooks (registration order). Adding a mechanism is a new header in
// models/mechanisms/ with the hooks it needs, plus one line here; see
// docs/architecture.md for the hooks and where the order matters.
#include <tuple>
#include <type_traits>

#include "models/mechanisms/Arrivals.hpp"
#include "models/mechanisms/Batching.hpp"
#include "models/mechanisms/ContextSwitching.hpp"
#include "models/mechanisms/Disciplines.hpp"
#include "models/mechanisms/Gate.hpp"
#include "models/mechanisms/Handoffs.hpp"
#include "models/mechanisms/NoDecision.hpp"
#include "models/mechanisms/Nurture.hpp"
#include "models/mechanisms/Ownership.hpp"
#include "models/mechanisms/Patience.hpp"
#include "models/mechanisms/PersonalWipLimit.hpp"
#include "models/mechanisms/Prospecting.hpp"
#include "models/mechanisms/QuarterEnd.hpp"
#include "models/mechanisms/Routing.hpp"
#include "models/mechanisms/SpeedToLead.hpp"
#include "models/mechanisms/Skill.hpp"
#include "models/mechanisms/Staffing.hpp"
#include "models/mechanisms/StageWipLimit.hpp"
#include "models/mechanisms/WinChanceDecay.hpp"
#include "models/observe/EventLog.hpp"
#include "models/observe/FlowStatistics.hpp"
#include "models/observe/LeadLog.hpp"
#include "models/observe/RoleStatistics.hpp"
#include "models/observe/StageStatistics.hpp"
#include "models/observe/TimeSeriesSampler.hpp"
#include "models/observe/WarmUp.hpp"
#include "models/SalesModel.hpp"

namespace salesflow::model::engine {

using Components = std::tuple<
    mechanisms::Arrivals,          // start: first arrivals (before the warm-up event)
    observe::WarmUp,
    mechanisms::Patience,
    mechanisms::WinChanceDecay,
    mechanisms::Staffing,          // before the statistics (presence closed at on_finish) and Prospecting (before_pick)
    mechanisms::Skill,
    mechanisms::QuarterEnd,        // on_exit: the discounted value before the statistics count revenue
    observe::FlowStatistics,       // metrics: the organisation-wide block first,
    observe::StageStatistics,      //   then per stage,
    observe::RoleStatistics,       //   then per role
    observe::LeadLog,              // on_exit: statistics and logs before Ownership frees the owner
    observe::EventLog,
    mechanisms::SpeedToLead,       // decide_visit: reached in time, before the gate
    mechanisms::Gate,              // decide_visit: the gate before routing
    mechanisms::Routing,
    mechanisms::NoDecision,        // redirect_exit: no decision instead of lost, before nurture
    mechanisms::Nurture,
    mechanisms::Ownership,         // on_session_start: ownership, then context switching, then handoffs
    mechanisms::PersonalWipLimit,
    mechanisms::StageWipLimit,     // on_leave_stage: after the stage statistics
    mechanisms::Batching,
    mechanisms::ContextSwitching,
    mechanisms::Handoffs,
    mechanisms::Disciplines,
    mechanisms::Prospecting,
    observe::TimeSeriesSampler>;

// The optional mechanisms (and the event log, an option of the run): each does nothing
// in a per-event hook unless the scenario (or ModelOptions::record_events) switches it
// on; optional_mechanisms_off below says when every one is off. The engine has a lean
// variant with their per-event hooks compiled out (Engine.hpp); their set-up and reports
// run in both variants.
template <class C>
inline constexpr bool optional_mechanism =
    std::is_same_v<C, mechanisms::Patience> || std::is_same_v<C, mechanisms::WinChanceDecay> ||
    std::is_same_v<C, mechanisms::Staffing> || std::is_same_v<C, mechanisms::Skill> ||
    std::is_same_v<C, mechanisms::QuarterEnd> || std::is_same_v<C, mechanisms::SpeedToLead> ||
    std::is_same_v<C, mechanisms::Gate> || std::is_same_v<C, mechanisms::NoDecision> ||
    std::is_same_v<C, mechanisms::Nurture> || std::is_same_v<C, mechanisms::Ownership> ||
    std::is_same_v<C, mechanisms::PersonalWipLimit> || std::is_same_v<C, mechanisms::StageWipLimit> ||
    std::is_same_v<C, mechanisms::Batching> || std::is_same_v<C, mechanisms::ContextSwitching> ||
    std::is_same_v<C, mechanisms::Handoffs> || std::is_same_v<C, mechanisms::Prospecting> ||
    std::is_same_v<C, observe::EventLog>;

// True when every optional mechanism is off in the scenario and the run keeps no event
// log: each of their per-event hooks then returns at once without any effect (no draw,
// no state change), so the lean engine gives the same results. A condition here may be broader than the mechanism's
// own (e.g. context switching configured without ownership): that only picks the full
// engine.
inline bool optional_mechanisms_off(const ScenarioConfig& cfg, const ModelOptions& options) {
    if (options.record_events) return false;  // the event log (serve's board, `explain`)
    if (cfg.ownership.enabled || cfg.quarter_end.enabled || cfg.no_decision.enabled || cfg.nurture.enabled)
        return false;
    if (!cfg.handoff.delay.is_constant_zero() || !cfg.handoff.effort.is_constant_zero()) return false;
    for (const auto& sc : cfg.sources)
        if (sc.patience || sc.half_life_h > 0.0 || !sc.speed_to_lead.empty()) return false;
    for (const auto& st : cfg.stages)
        if (st.gate.enabled || st.wip_limit > 0 || st.batch_every_h > 0.0) return false;
    for (const auto& rc : cfg.roles) {
        if (rc.staffing_changes() || rc.prospecting != ProspectingPolicy::none || rc.wip_limit > 0) return false;
        if (!rc.skill.empty() || rc.learning.max_gain > 0.0 || rc.ramp.time_h > 0.0) return false;
        if (!rc.context_switch_loss.empty() || rc.context_switch_per_deal > 0.0) return false;
    }
    return true;
}

}  // namespace salesflow::model::engine
