#pragma once
// The engine's state: leads, people, and what the flow needs per stage, role and source.
// Mechanisms (models/mechanisms/) keep their own state; the few per-lead fields that a
// mechanism owns sit here, next to the lead, and say which mechanism writes them.
#include <cstdint>
#include <limits>
#include <vector>

#include "kernel/Distribution.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "kernel/WaitingLine.hpp"
#include "kernel/WorkingCalendar.hpp"

namespace salesflow::model::engine {

constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

// A queue entry: the lead and the ticket it had when queued; a lead that left the queue
// (abandoned) has a new ticket, so its old entry is skipped when it reaches the front.
struct QueueEntry {
    std::uint32_t lead;
    std::uint32_t ticket;
    double since;
};
using Line = kernel::WaitingLine<QueueEntry>;

enum class TaskKind : std::uint8_t { none, pipeline, prospecting };

struct Lead {
    std::int64_t id = 0;
    double arrival = 0.0;
    double quality = 0.0;      // NaN when nothing reads it (Engine::reads_quality)
    double value = 0.0;
    double waited = 0.0;       // total hours waiting for us (drives win-chance decay)
    std::int32_t ended_as = -1;  // Nurture: the outcome (model::Outcome) a nurtured lead ended with before entering the pool
    double work = 0.0;         // working hours spent on it
    double queued_at = 0.0;    // when the current wait began
    double visit_effort = 0.0; // effort drawn for the current visit
    double visit_work = 0.0;
    double patience = 0.0;     // Patience: the buyer's patience in any one queue (infinite without)
    double held_since = 0.0;   // Batching: when the lead joined its stage's batch
    double visit_hold = 0.0;   // Batching: hours this visit was held for a batch
    std::int32_t source = 0;
    std::int32_t stage = -1;
    std::int32_t touch = 0;
    std::int32_t owner = -1;        // Ownership: the person who owns the deal now
    std::int32_t owned_by = -1;     // Ownership: the owner, kept after exit for the lead log
    std::int32_t last_person = -1;
    std::int32_t hands = 0;         // changes of person so far
    std::int32_t queued_role = -1;  // role whose queue holds it (for queue statistics), -1 blocked
    std::uint32_t ticket = 0;
    kernel::EventHandle patience_timer;  // Patience
    bool waiting = false;      // in a queue for a person, or blocked before a full stage
    bool blocked = false;      // StageWipLimit: waiting for room before a full stage
    bool counted = false;      // arrived after warm-up
    bool reached_proposal = false;     // FlowStatistics: entered the proposal stage once
    bool reached_opportunity = false;  // FlowStatistics: entered the opportunity stage once
    bool first_session_of_visit = true;
    bool handoff_cleared = false;    // Handoffs: the delay of this change of hands has passed
    std::int32_t handoff_to = -1;    // Handoffs: the person the lead waits for during a handoff delay
    double visit_handoff = 0.0;      // Handoffs: handoff delay in the current visit, hours
    double visit_queue = 0.0;        // queue wait of the current visit so far, hours
    bool alive = true;
};

struct Person {
    std::int32_t role = 0;
    TaskKind task = TaskKind::none;
    std::uint32_t lead = no_index;
    double start = 0.0;         // calendar start of the current session
    double start_wh = 0.0;      // the role calendar's working hours until `start` (computed once)
    double session_work = 0.0;  // effort hours of the session (before availability)
    std::int32_t owned = 0;     // Ownership: open deals this person owns
    double busy_h = 0.0;        // working hours busy (pipeline + prospecting), after warm-up
    double prospect_h = 0.0;    // working hours prospecting, after warm-up
    double prospect_total_h = 0.0;  // Prospecting: working hours prospecting since time 0 (reserved share)
    double prospect_left = 0.0;     // Prospecting: effort left to find the current prospect
    double switch_work = 0.0;       // ContextSwitching: effort hours it added to the current session
    double handoff_work = 0.0;      // Handoffs: effort hours it added to the current session
    Line own;                   // Ownership: owned deals' work waiting for this person
};

struct StageState {
    Line line;                  // unowned work waiting for any eligible person
    std::int32_t count = 0;     // leads in the stage
    std::int32_t live_queued = 0;
    kernel::Distribution effort;
    kernel::Engine effort_rng;
};

// A role's people work in its calendar's hours, at its availability: a session of w
// effort hours takes w x elapsed_factor working hours of the calendar.
struct RoleState {
    std::vector<double> work_factor;    // per stage: 1 / (touches x efficiency)
    double elapsed_factor = 1.0;        // 1 / availability
    kernel::WorkingCalendar calendar;
    std::int32_t first_person = 0;
    std::int32_t headcount = 0;
    std::vector<std::int32_t> stages;   // stages this role may work, ascending
    std::int32_t idle = 0;
    std::int32_t queued = 0;
};

struct SourceState {
    kernel::Engine quality_rng;
    kernel::Engine value_rng;
    kernel::Engine response_rng;
    kernel::Distribution quality;
    kernel::Distribution value;
    kernel::Distribution response;
};

}  // namespace salesflow::model::engine
