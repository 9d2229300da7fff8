#pragma once
// EventLog: with ModelOptions::record_events, every step of every lead as a FlowEvent
// (arrive, enter a stage, queue, start and end of a session, handoff, the start of a
// handoff delay, exit), handed to
// the event sink in chunks as the run goes.
#include "models/FlowEvent.hpp"
#include "models/SalesModel.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::observe {

class EventLog {
public:
    template <class E> void build(E& e) { on_ = e.options().record_events; }
    template <class E> void on_arrival(E& e, std::uint32_t l) {
        if (on_) add(e, e.lead(l), FlowEventType::arrive, -1);
    }
    template <class E> void on_enter_stage(E& e, std::uint32_t l, int) {
        if (on_) add(e, e.lead(l), FlowEventType::enter, -1);
    }
    template <class E> void on_enqueue(E& e, std::uint32_t l) {
        if (!on_) return;
        const engine::Lead& lead = e.lead(l);
        if (lead.queued_role >= 0) add(e, lead, FlowEventType::queue, -1, lead.queued_role);
    }
    template <class E> void on_session_start(E& e, int p, std::uint32_t l, double&) {
        if (!on_) return;
        const engine::Lead& lead = e.lead(l);
        if (lead.last_person >= 0 && lead.last_person != p) add(e, lead, FlowEventType::handoff, p, e.person(p).role);
        add(e, lead, FlowEventType::start, p, e.person(p).role);
    }
    // A handoff delay starts (Handoffs deferred the session of p on l).
    template <class E> void on_session_deferred(E& e, int p, std::uint32_t l) {
        if (on_) add(e, e.lead(l), FlowEventType::handoff_delay, p, e.person(p).role);
    }
    template <class E> void on_session_end(E& e, int p, double, double) {
        if (!on_) return;
        const engine::Person& person = e.person(p);
        if (person.task == engine::TaskKind::pipeline) add(e, e.lead(person.lead), FlowEventType::end, p, person.role);
    }
    template <class E> void on_exit(E& e, std::uint32_t l, Outcome o) {
        if (on_) add(e, e.lead(l), FlowEventType::exit, -1, -1, static_cast<std::int32_t>(o));
    }
    template <class E> void on_finish(E& e) {
        if (on_ && e.options().event_sink) flush(e);
    }

private:
    template <class E>
    void add(E& e, const engine::Lead& lead, FlowEventType t, int person, int role = -1, std::int32_t outcome = -1) {
        auto& v = e.output().flow_events;
        v.push_back(FlowEvent{e.now(), lead.id, t, lead.source, lead.stage, person, role, outcome});
        if (e.options().event_sink && v.size() >= e.options().event_chunk) flush(e);
    }
    template <class E> static void flush(E& e) {
        auto& v = e.output().flow_events;
        if (v.empty()) return;
        e.options().event_sink(e.replication(), v);
        v.clear();
    }
    bool on_ = false;
};

}  // namespace salesflow::model::observe
