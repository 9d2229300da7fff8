#pragma once
// FlowEvent: one step of one lead's life, for the optional event log (the live board,
// a CRM-style stage history). Kept apart from the metrics: recording them changes no
// number of a run.
#include <cstdint>

#include "models/Recorder.hpp"

namespace salesflow::model {

enum class FlowEventType : std::int32_t {
    arrive = 0,    // a lead arrives (source set)
    enter = 1,     // it enters a stage (after any handoff delay or wait for room)
    queue = 2,     // it starts waiting for a person of `role`
    start = 3,     // a work session starts (person, role)
    end = 4,       // a work session ends (person, role)
    handoff = 5,   // the session that starts is by another person than the last one
    exit = 6,      // it leaves with `outcome`
    handoff_delay = 7,  // a handoff delay starts: the session of (person, role) waits `handoff.delay` first
};
inline constexpr int flow_event_type_count = 8;
const char* flow_event_name(FlowEventType t);  // "arrive", "enter", ...

struct FlowEvent {
    double time_h = 0.0;
    std::int64_t lead = 0;        // LeadRecord::lead
    FlowEventType type = FlowEventType::arrive;
    std::int32_t source = 0;
    std::int32_t stage = -1;      // stage index, -1 where none
    std::int32_t person = -1;     // person index (people numbered role by role), -1 where none
    std::int32_t role = -1;
    std::int32_t outcome = -1;    // Outcome for exit, -1 otherwise
};

}  // namespace salesflow::model
