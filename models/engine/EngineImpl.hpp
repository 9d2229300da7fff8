#pragma once
// The engine's steps (the member templates of Engine<Lean>), included by the two files
// that each compile one variant in its own translation unit: Engine.cpp (the full engine,
// and SalesModel) and EngineLean.cpp (the lean one). Each variant's steps are inlined
// into its own event loop without sharing the compiler's inlining budget with the other.
#include "models/engine/Engine.hpp"
#include "models/engine/EngineVariant.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace salesflow::model::engine {

using kernel::Event;

// Hook calls: `each(HOOK(name, args))` calls c.name(*this, args) on every component that
// has such a hook; components without it are skipped at compile time, and so are the
// optional mechanisms in the lean variant (per-event hooks only: SETUP calls every one).
#define SALESFLOW_HOOK(name, ...)                                                            \
    [&](auto& c) {                                                                           \
        if constexpr (!skipped<std::remove_cvref_t<decltype(c)>>())                          \
            if constexpr (requires { c.name(*this __VA_OPT__(, ) __VA_ARGS__); })            \
                c.name(*this __VA_OPT__(, ) __VA_ARGS__);                                    \
    }
// Set-up and end-of-run hooks (build, start, warm-up end, finish): every component.
#define SALESFLOW_SETUP(name, ...)                                                           \
    [&](auto& c) {                                                                           \
        if constexpr (requires { c.name(*this __VA_OPT__(, ) __VA_ARGS__); })                \
            c.name(*this __VA_OPT__(, ) __VA_ARGS__);                                        \
    }
// For hooks that answer a question: the first component that answers true ends the call.
#define SALESFLOW_ASK(name, ...)                                                             \
    [&](auto& c) -> bool {                                                                   \
        if constexpr (skipped<std::remove_cvref_t<decltype(c)>>())                           \
            return false;                                                                    \
        else if constexpr (requires { c.name(*this __VA_OPT__(, ) __VA_ARGS__); })           \
            return c.name(*this __VA_OPT__(, ) __VA_ARGS__);                                 \
        else                                                                                 \
            return false;                                                                    \
    }

template <bool Lean> Engine<Lean>::Engine(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options)
    : cfg_(cfg), cat_(catalog), opt_(std::move(options)) {}

// Every member but the constructor and run() is `inline`: all their callers are in the
// variant's file (components are templates instantiated there), and as inline functions the
// compiler may fold the single-caller steps of the flow into the event loop.

// ---------------------------------------------------------------------------------------
// set-up and the run

template <bool Lean> inline void Engine<Lean>::build(int rep) {
    rep_ = rep;
    const auto seed = cfg_.simulation.seed;
    const auto r = static_cast<std::uint64_t>(rep);
    warmup_ = cfg_.simulation.warmup_h;
    horizon_ = cfg_.simulation.horizon_h;
    nstages_ = static_cast<int>(cfg_.stages.size());

    cal_.clear();
    cal_.reserve(1024);
    // Plain events in a later 1024th of the horizon than the calendar's heap's (leads
    // nurtured for half a year, work ending after a night or a weekend) wait in buckets
    // beside the heap until it runs empty: a shallower heap to sift through, the same order
    // of events (EventCalendar::set_far_span).
    cal_.set_far_span(horizon_ / 1024.0);
    leads_.clear();
    leads_.reserve(1024);
    free_leads_.clear();

    // Streams are named after what they drive, not their position, so two scenarios that
    // share a source or stage name share its random numbers (common random numbers).
    sources_.assign(cfg_.sources.size(), SourceState{});
    for (std::size_t i = 0; i < cfg_.sources.size(); ++i) {
        const auto& sc = cfg_.sources[i];
        auto& ss = sources_[i];
        const std::string p = "source/" + sc.name + "/";
        ss.quality_rng = kernel::make_engine(seed, r, p + "quality");
        ss.value_rng = kernel::make_engine(seed, r, p + "value");
        ss.response_rng = kernel::make_engine(seed, r, p + "response");
        ss.quality = kernel::Distribution(sc.quality);
        ss.value = kernel::Distribution(sc.value);
        ss.response = kernel::Distribution(sc.response_time);
    }

    stages_.assign(cfg_.stages.size(), StageState{});
    for (int s = 0; s < nstages_; ++s) {
        const auto& sc = cfg_.stages[static_cast<std::size_t>(s)];
        auto& st = stages_[static_cast<std::size_t>(s)];
        st.effort = kernel::Distribution(sc.effort);
        st.effort_rng = kernel::make_engine(seed, r, "stage/" + sc.name + "/effort");
        st.line.reserve(64);
    }

    roles_.assign(cfg_.roles.size(), RoleState{});
    people_.clear();
    for (std::size_t i = 0; i < cfg_.roles.size(); ++i) {
        const auto& rc = cfg_.roles[i];
        auto& rs = roles_[i];
        rs.first_person = static_cast<std::int32_t>(people_.size());
        // Slots for everyone who may work in the role: its headcount and later hires
        // (Staffing keeps the hires' slots empty until they start).
        rs.headcount = rc.slots();
        rs.calendar = kernel::WorkingCalendar(rc.calendar ? *rc.calendar : cfg_.simulation.calendar);
        rs.idle = rs.headcount;
        rs.elapsed_factor = 1.0 / rc.availability;
        rs.work_factor.assign(static_cast<std::size_t>(nstages_), 1.0);
        for (int s = 0; s < nstages_; ++s) {
            const double eff = rc.efficiency.empty() ? 1.0 : rc.efficiency[static_cast<std::size_t>(s)];
            rs.work_factor[static_cast<std::size_t>(s)] = 1.0 / (cfg_.stages[static_cast<std::size_t>(s)].touches * eff);
        }
        for (int s = 0; s < nstages_; ++s) {
            const auto& roles = cfg_.stages[static_cast<std::size_t>(s)].roles;
            if (std::find(roles.begin(), roles.end(), static_cast<int>(i)) != roles.end()) rs.stages.push_back(s);
        }
        for (int k = 0; k < rs.headcount; ++k) {
            Person p;
            p.role = static_cast<std::int32_t>(i);
            people_.push_back(std::move(p));
        }
    }
    wh_memo_t_.assign(cfg_.roles.size(), -1.0);
    wh_memo_.assign(cfg_.roles.size(), 0.0);

    next_id_ = 0;
    in_system_ = 0;
    draw_quality_ = reads_quality();

    each(SALESFLOW_SETUP(build));
    // First events, in registration order.
    each(SALESFLOW_SETUP(start));
    // People are at work only in their calendar's hours: each working day's start wakes
    // the idle ones of the role.
    for (std::size_t role = 0; role < roles_.size(); ++role) {
        const double t = roles_[role].calendar.next_start_after(0.0);
        if (t <= horizon_) cal_.schedule(t, ev_shift_start, static_cast<std::uint32_t>(role));
    }
    // People who prospect start at once.
    for (std::size_t p = 0; p < people_.size(); ++p) dispatch(static_cast<int>(p));
}

template <bool Lean> ReplicationOutput Engine<Lean>::run(int rep) {
    ReplicationOutput out;
    out_ = &out;
    if (opt_.record_leads) out.leads.reserve(1024);
    build(rep);
    Event e;
    const std::atomic<bool>* stop = opt_.stop;
    std::uint32_t until_check = 4096;
    while (cal_.pop_until(horizon_, e)) {
        dispatch_event(e);
        // A stop request (SIGINT, SIGTERM) ends even a replication that never ends.
        if (stop && --until_check == 0) {
            until_check = 4096;
            if (stop->load(std::memory_order_relaxed)) {
                out.stopped = true;
                break;
            }
        }
    }
    finish(out);
    out.events = cal_.processed();
    out_ = nullptr;
    return out;
}

template <bool Lean> inline void Engine<Lean>::dispatch_event(const Event& e) {
    if (e.kind == ev_work_done) {
        work_done(static_cast<int>(e.a));
        return;
    }
    if (e.kind == ev_response_done) {
        request_work(e.a);
        return;
    }
    if (e.kind == ev_shift_start) {
        shift_start(static_cast<int>(e.a));
        return;
    }
    // The component whose block of kinds holds e.kind handles it (constant bounds).
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (([&] {
             using C = std::tuple_element_t<I, Components>;
             if constexpr (event_kinds_of<C>() > 0) {
                 if (e.kind - event_base<I>() < event_kinds_of<C>()) {
                     std::get<I>(components_).handle(*this, e.kind - event_base<I>(), e);
                     return true;
                 }
             }
             return false;
         }()) || ...);
    }(std::make_index_sequence<std::tuple_size_v<Components>>{});
}

template <bool Lean> inline void Engine<Lean>::shift_start(int role) {
    const auto& rs = roles_[static_cast<std::size_t>(role)];
    const double next = rs.calendar.next_start_after(cal_.now());
    if (next <= horizon_) cal_.schedule(next, ev_shift_start, static_cast<std::uint32_t>(role));
    for (int k = 0; k < rs.headcount; ++k) dispatch(rs.first_person + k);
}

template <bool Lean> inline void Engine<Lean>::warmup_ended() { each(SALESFLOW_SETUP(on_warmup_end)); }

template <bool Lean> inline void Engine<Lean>::opportunity(std::uint32_t l) { each(SALESFLOW_HOOK(on_opportunity, l)); }

template <bool Lean> inline double Engine<Lean>::working_hours_until(int role, double t) {
    const auto r = static_cast<std::size_t>(role);
    if (roles_[r].calendar.always()) return t;  // round the clock: W(t) = t
    if (wh_memo_t_[r] != t) {
        wh_memo_t_[r] = t;
        wh_memo_[r] = roles_[r].calendar.working_hours_until(t);
    }
    return wh_memo_[r];
}

// ---------------------------------------------------------------------------------------
// leads

template <bool Lean> inline std::uint32_t Engine<Lean>::new_lead(int source, double quality, double value) {
    std::uint32_t l;
    if (!free_leads_.empty()) {
        l = free_leads_.back();
        free_leads_.pop_back();
        const std::uint32_t ticket = leads_[l].ticket + 1;  // keep tickets unique per slot
        leads_[l] = Lead{};
        leads_[l].ticket = ticket;
    } else {
        l = static_cast<std::uint32_t>(leads_.size());
        leads_.emplace_back();
    }
    Lead& lead = leads_[l];
    lead.id = next_id_++;
    lead.source = source;
    lead.arrival = cal_.now();
    lead.quality = std::clamp(quality, 0.0, 1.0);
    lead.value = value;
    lead.counted = measuring();
    ++in_system_;
    each(SALESFLOW_HOOK(on_arrival, l));
    return l;
}

// Does anything read a lead's quality in this scenario? The gate (its estimate), routing by
// quality and WSJF (through effective_quality), nurture (a lead that comes back with the
// same quality) and the lead log (its `quality` column, which the CRM export, the
// explanation and the board read). Nothing else does.
template <bool Lean> inline bool Engine<Lean>::reads_quality() const {
    if (opt_.record_leads || cfg_.nurture.enabled) return true;
    for (const auto& sc : cfg_.stages)
        if (sc.gate.enabled || sc.advance_by_quality) return true;
    for (const auto& rc : cfg_.roles)
        if (rc.discipline == Discipline::wsjf) return true;
    return false;
}

template <bool Lean> inline void Engine<Lean>::lead_arrives(int source) {
    auto& ss = sources_[static_cast<std::size_t>(source)];
    // Quality and value come from the source's own streams in arrival order, whatever
    // happens to the lead later: the same seed gives the same leads to every scenario.
    // Quality is drawn only where something reads it (reads_quality): its stream is the
    // source's own, so skipping it moves no other draw (a plain M/M/1 saves a beta draw,
    // two gamma draws, per lead). Undrawn, it is NaN.
    const double q = draw_quality_ ? ss.quality.sample(ss.quality_rng) : std::numeric_limits<double>::quiet_NaN();
    const double v = ss.value.sample(ss.value_rng);
    lead_arrives_with(source, q, v);
}

template <bool Lean> inline void Engine<Lean>::lead_arrives_with(int source, double quality, double value) {
    const std::uint32_t l = new_lead(source, quality, value);
    enter_stage(l, 0);
}

template <bool Lean> inline void Engine<Lean>::enter_stage(std::uint32_t l, int s) {
    leads_[l].stage = s;
    if (first(SALESFLOW_ASK(hold_before_stage, l, s))) return;  // e.g. a full stage
    ++stages_[static_cast<std::size_t>(s)].count;
    Lead& lead = leads_[l];
    lead.touch = 0;
    lead.visit_work = 0.0;
    lead.visit_handoff = 0.0;
    lead.visit_queue = 0.0;
    lead.first_session_of_visit = true;
    each(SALESFLOW_HOOK(on_enter_stage, l, s));
    if (first(SALESFLOW_ASK(hold_in_stage, l, s))) return;  // e.g. waiting for a batch
    request_work(l);
}

template <bool Lean> inline double Engine<Lean>::effective_quality(const Lead& lead) const {
    double chance = lead.quality;
    std::apply([&](const auto&... c) {
        ([&](const auto& component) {
            if constexpr (!skipped<std::remove_cvref_t<decltype(component)>>() &&
                          requires { component.adjust_win_chance(*this, lead, chance); })
                component.adjust_win_chance(*this, lead, chance);
        }(c), ...);
    }, components_);
    return chance;
}

template <bool Lean> inline double Engine<Lean>::queue_key(int role, const Lead& lead, int stage) const {
    double key = 0.0;
    std::apply([&](const auto&... c) {
        ([&](const auto& component) {
            if constexpr (!skipped<std::remove_cvref_t<decltype(component)>>() &&
                          requires { component.queue_key(*this, role, lead, stage); })
                key = component.queue_key(*this, role, lead, stage);
        }(c), ...);
    }, components_);
    // Then components that shift the discipline's key (e.g. quarter-end priority).
    std::apply([&](const auto&... c) {
        ([&](const auto& component) {
            if constexpr (!skipped<std::remove_cvref_t<decltype(component)>>() &&
                          requires { component.adjust_queue_key(*this, role, lead, stage, key); })
                component.adjust_queue_key(*this, role, lead, stage, key);
        }(c), ...);
    }, components_);
    return key;
}

template <bool Lean> inline double Engine<Lean>::advance_chance(std::uint32_t l, double chance) {
    each(SALESFLOW_HOOK(adjust_advance, l, chance));
    return chance;
}

template <bool Lean> inline void Engine<Lean>::enqueue(std::uint32_t l, Line& line, double key, int role) {
    Lead& lead = leads_[l];
    const double now = cal_.now();
    lead.waiting = true;
    lead.queued_at = now;
    lead.queued_role = role;
    line.push(key, QueueEntry{l, lead.ticket, now});
    each(SALESFLOW_HOOK(on_enqueue, l));
}

// The lead stops waiting (it starts work, is admitted to a full stage, or gives up): its
// wait counts towards decay, its queue entry goes stale.
template <bool Lean> inline void Engine<Lean>::stop_waiting(Lead& lead) {
    each(SALESFLOW_HOOK(on_stop_waiting, lead));
    lead.waited += cal_.now() - lead.queued_at;
    lead.queued_role = -1;
    lead.waiting = false;
    ++lead.ticket;
}

template <bool Lean> inline void Engine<Lean>::abandon(std::uint32_t l) {
    Lead& lead = leads_[l];
    if (!lead.waiting) return;
    stop_waiting(lead);
    if (lead.blocked) {
        // It never entered the stage it was blocked before: nothing to leave there.
        lead.blocked = false;
        lead.stage = -1;
    }
    exit_lead(l, Outcome::abandoned);
}

template <bool Lean> inline void Engine<Lean>::request_work(std::uint32_t l) {
    if (first(SALESFLOW_ASK(route_work, l))) return;  // e.g. to the deal's owner
    Lead& lead = leads_[l];
    const int s = lead.stage;
    const int p = find_idle_person(lead, s);
    if (p >= 0) {
        lead.queued_at = cal_.now();
        start_session(p, l);  // started, or held by the component that deferred it
        return;
    }
    const int primary = cfg_.stages[static_cast<std::size_t>(s)].roles.front();
    enqueue(l, stages_[static_cast<std::size_t>(s)].line, queue_key(primary, lead, s), primary);
}

template <bool Lean> inline void Engine<Lean>::finish_session(std::uint32_t l) {
    Lead& lead = leads_[l];
    const auto& sc = cfg_.stages[static_cast<std::size_t>(lead.stage)];
    ++lead.touch;
    if (lead.touch < sc.touches) {
        // The buyer answers after their own response time (calendar hours).
        auto& ss = sources_[static_cast<std::size_t>(lead.source)];
        const double rt = std::max(0.0, ss.response.sample(ss.response_rng));
        if (rt > 0.0) {
            cal_.schedule(cal_.now() + rt, ev_response_done, l);
        } else {
            request_work(l);
        }
        return;
    }
    finish_visit(l);
}

template <bool Lean> inline void Engine<Lean>::finish_visit(std::uint32_t l) {
    each(SALESFLOW_HOOK(on_visit_done, l));
    first(SALESFLOW_ASK(decide_visit, l));  // the gate, then routing (which always decides)
}

template <bool Lean> inline void Engine<Lean>::leave_stage(Lead& lead) {
    if (lead.stage < 0 || lead.blocked) return;
    const int s = lead.stage;
    --stages_[static_cast<std::size_t>(s)].count;
    each(SALESFLOW_HOOK(on_leave_stage, s));
}

template <bool Lean> inline void Engine<Lean>::move_to(std::uint32_t l, int from, int to) {
    leave_stage(leads_[l]);
    leads_[l].stage = -1;
    if (first(SALESFLOW_ASK(on_move, l, from, to))) return;  // e.g. a handoff delay
    enter_stage(l, to);
}

template <bool Lean> inline void Engine<Lean>::exit_lead(std::uint32_t l, Outcome o) {
    each(SALESFLOW_HOOK(redirect_exit, l, o));  // e.g. no decision instead of lost, or into nurture
    leave_stage(leads_[l]);
    --in_system_;
    each(SALESFLOW_HOOK(on_exit, l, o));
    Lead& ld = leads_[l];
    ld.stage = -1;
    ++ld.ticket;
    ld.alive = false;
    free_leads_.push_back(l);
}

// ---------------------------------------------------------------------------------------
// people

template <bool Lean> inline bool Engine<Lean>::may_take(const Person& p, const Lead& lead, int stage) {
    return !first([&](auto& c) -> bool {
        if constexpr (!skipped<std::remove_cvref_t<decltype(c)>>() && requires { c.may_take(*this, p, lead, stage); })
            return !c.may_take(*this, p, lead, stage);
        else return false;
    });
}

template <bool Lean> inline int Engine<Lean>::idle_person(int r, const Lead& lead, int stage) {
    auto& rs = roles_[static_cast<std::size_t>(r)];
    if (rs.idle == 0) return -1;
    if (!rs.calendar.always() && !rs.calendar.is_working(cal_.now())) return -1;  // off work
    // Continuity: the lead's last worker takes its next work when free.
    const int last = lead.last_person;
    if (last >= rs.first_person && last < rs.first_person + rs.headcount &&
        people_[static_cast<std::size_t>(last)].task == TaskKind::none &&
        may_take(people_[static_cast<std::size_t>(last)], lead, stage))
        return last;
    for (int k = 0; k < rs.headcount; ++k) {
        const int p = rs.first_person + k;
        if (people_[static_cast<std::size_t>(p)].task == TaskKind::none && may_take(people_[static_cast<std::size_t>(p)], lead, stage))
            return p;
    }
    return -1;
}

template <bool Lean> inline int Engine<Lean>::find_idle_person(const Lead& lead, int stage) {
    for (int r : cfg_.stages[static_cast<std::size_t>(stage)].roles) {
        const int p = idle_person(r, lead, stage);
        if (p >= 0) return p;
    }
    return -1;
}

template <bool Lean> inline bool Engine<Lean>::start_session(int pi, std::uint32_t l) {
    Lead& lead = leads_[l];
    const int s = lead.stage;
    auto& st = stages_[static_cast<std::size_t>(s)];

    // Work that starts at once (not queued) has queued_at = now: a wait of 0.
    // A visit's queue wait adds up over the lines it waited in (before and after a
    // handoff delay).
    lead.visit_queue += cal_.now() - lead.queued_at;
    if (lead.waiting) stop_waiting(lead);
    if (first(SALESFLOW_ASK(defer_session, pi, l))) {  // e.g. a handoff delay first
        each(SALESFLOW_HOOK(on_session_deferred, pi, l));
        return false;
    }
    if (lead.first_session_of_visit) {
        lead.visit_effort = st.effort.sample(st.effort_rng);
        each(SALESFLOW_HOOK(on_visit_start, l, lead.visit_queue));
    }
    const auto& rs = roles_[static_cast<std::size_t>(people_[static_cast<std::size_t>(pi)].role)];
    double work = std::max(0.0, lead.visit_effort) * rs.work_factor[static_cast<std::size_t>(s)];
    each(SALESFLOW_HOOK(on_session_start, pi, l, work));  // ownership, context switching, handoff effort
    if (lead.last_person >= 0 && lead.last_person != pi) ++lead.hands;
    lead.first_session_of_visit = false;
    lead.handoff_cleared = false;
    people_[static_cast<std::size_t>(pi)].lead = l;
    begin_task(pi, TaskKind::pipeline, work, work * rs.elapsed_factor);
    return true;
}

template <bool Lean> inline void Engine<Lean>::begin_task(int pi, TaskKind kind, double work, double working_h) {
    Person& p = people_[static_cast<std::size_t>(pi)];
    const double now = cal_.now();
    if (p.task == TaskKind::none) set_idle(p, false);
    p.task = kind;
    if (kind != TaskKind::pipeline) p.lead = no_index;
    p.start = now;
    p.start_wh = working_hours_until(p.role, now);
    p.session_work = work;
    const double end = roles_[static_cast<std::size_t>(p.role)].calendar.advance_from(now, p.start_wh, working_h);
    cal_.schedule(end, ev_work_done, static_cast<std::uint32_t>(pi));
}

template <bool Lean> inline void Engine<Lean>::end_session(int pi, double end) {
    const double end_wh = working_hours_until(people_[static_cast<std::size_t>(pi)].role, end);
    each(SALESFLOW_HOOK(on_session_end, pi, end, end_wh));
}

template <bool Lean> inline void Engine<Lean>::work_done(int pi) {
    end_session(pi, cal_.now());
    Person& p = people_[static_cast<std::size_t>(pi)];
    const TaskKind kind = p.task;
    const std::uint32_t l = p.lead;
    const double session_work = p.session_work;
    // After pipeline work the person is free as the lead moves on, so they may take its
    // next work themselves (continuity: see idle_person). After other work (a prospect
    // found) they are still busy while its result enters, so it does not jump the
    // queue. Then they look for work.
    if (kind != TaskKind::pipeline) each(SALESFLOW_HOOK(on_task_done, pi, kind));
    Person& q = people_[static_cast<std::size_t>(pi)];
    q.task = TaskKind::none;
    q.lead = no_index;
    set_idle(q, true);
    if (kind == TaskKind::pipeline) {
        Lead& lead = leads_[l];
        lead.work += session_work;
        lead.visit_work += session_work;
        lead.last_person = pi;
        finish_session(l);
    }
    dispatch(pi);
}

template <bool Lean> inline void Engine<Lean>::dispatch(int pi) {
    const Person& person = people_[static_cast<std::size_t>(pi)];
    if (person.task != TaskKind::none) return;
    if (!on_shift(person)) return;  // the role's next shift start dispatches them
    if (first(SALESFLOW_ASK(before_pick, pi))) return;  // e.g. reserved prospecting time
    if (pick_work(pi)) return;
    first(SALESFLOW_ASK(when_idle, pi));  // e.g. prospecting when idle
}

template <bool Lean> inline bool Engine<Lean>::pick_work(int pi) {
    // A start that a component defers (a handoff delay) leaves the person free: look again.
    for (;;) {
        const int picked = pick_once(pi);
        if (picked != 0) return picked > 0;
    }
}

// 1: started work; -1: nothing to take; 0: took a lead whose start was deferred.
template <bool Lean> inline int Engine<Lean>::pick_once(int pi) {
    Person& p = people_[static_cast<std::size_t>(pi)];
    // Candidates: the first lead the person may take in their own line and in every stage
    // line the role may serve; the smallest (key, time queued) wins, keys from each line's
    // discipline. A lead at the front that the person may not take (another owner's deal,
    // or a new deal beyond their WIP limit) does not block the leads behind it.
    Line* best = nullptr;
    std::uint32_t best_lead = 0;
    bool best_is_front = false;
    double best_key = 0.0, best_since = 0.0;
    auto offer = [&](Line& line, const Line::Item& it, bool front) {
        if (!best || it.key < best_key || (it.key == best_key && it.payload.since < best_since)) {
            best = &line;
            best_lead = it.payload.lead;
            best_is_front = front;
            best_key = it.key;
            best_since = it.payload.since;
        }
    };
    // stage_for_check < 0: the person's own line, whose deals they own already or wait
    // for them after a handoff delay; a deal they do not own yet is taken only where
    // they may take it (a personal WIP limit reached meanwhile keeps it waiting).
    auto allowed = [&](const Lead& ld, int stage_for_check) {
        if (stage_for_check < 0) return ld.owner >= 0 || may_take(p, ld, ld.stage);
        return may_take(p, ld, stage_for_check);
    };
    auto consider = [&](Line& line, int stage_for_check) {
        while (!line.empty()) {
            const auto& f = line.front();
            const Lead& ld = leads_[f.payload.lead];
            if (f.payload.ticket != ld.ticket || !ld.waiting) {
                line.pop();  // stale: the lead left this line
                continue;
            }
            if (allowed(ld, stage_for_check)) {
                offer(line, f, true);
                return;
            }
            const auto* it = line.first_where([&](const QueueEntry& e) {
                const Lead& x = leads_[e.lead];
                return e.ticket == x.ticket && x.waiting && allowed(x, stage_for_check);
            });
            if (it) offer(line, *it, false);
            return;
        }
    };
    consider(p.own, -1);
    for (int s : roles_[static_cast<std::size_t>(p.role)].stages) consider(stages_[static_cast<std::size_t>(s)].line, s);
    if (!best) return -1;
    if (best_is_front) best->pop();  // otherwise its entry goes stale as the lead stops waiting
    return start_session(pi, best_lead) ? 1 : 0;
}

// ---------------------------------------------------------------------------------------
// the end of a replication

template <bool Lean> inline void Engine<Lean>::finish(ReplicationOutput& out) {
    // Sessions still running at the horizon count as busy up to it.
    for (std::size_t p = 0; p < people_.size(); ++p)
        if (people_[p].task != TaskKind::none) {
            end_session(static_cast<int>(p), horizon_);
            people_[p].start = horizon_;
        }
    each(SALESFLOW_SETUP(on_finish));
    out.metrics.clear();
    out.metrics.reserve(cat_.size());
    WriteMetrics sink{out.metrics};
    each([&](auto& c) {
        if constexpr (requires { c.report(cfg_, sink); }) c.report(cfg_, sink);
    });
}

#undef SALESFLOW_HOOK
#undef SALESFLOW_ASK
#undef SALESFLOW_SETUP

}  // namespace salesflow::model::engine
