#pragma once
// The registry: every mechanism and statistic of the model, in the order the engine
// calls their hooks (registration order). Adding a mechanism is a new header in
// models/mechanisms/ with the hooks it needs, plus one line here; see
// docs/architecture.md for the hooks and where the order matters.
#include <tuple>

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

}  // namespace salesflow::model::engine
