#pragma once
// Engine: one replication of the sales flow. It owns the lead and person state and the
// flow itself (a lead arrives, enters a stage, waits for a person, is worked in sessions,
// finishes its visit, moves on or exits); every mechanism and every statistic is a
// component (models/mechanisms/, models/observe/) registered in Components.hpp, which
// the engine calls at fixed hook points. Dispatch is static: each hook is a fold over
// the component tuple, resolved at compile time, so a component without a hook costs
// nothing and none costs a virtual call. See docs/architecture.md.
//
// Components see the engine through the public part below: state accessors, the clock,
// scheduling of their own events, and the flow steps they may trigger.
#include <atomic>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "kernel/EventCalendar.hpp"
#include "models/Recorder.hpp"
#include "models/SalesModel.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/Components.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::engine {
// Internal linkage: each variant of the engine is compiled in one file (Engine.cpp: the
// full engine and SalesModel; EngineLean.cpp: the lean engine; both include the steps
// from EngineImpl.hpp), so the compiler may inline its single-caller steps into the
// event loop.
namespace {

// Engine-owned event kinds; components' kinds follow from `first_component_event`.
enum CoreEvent : std::uint32_t {
    ev_work_done,      // a = person
    ev_response_done,  // a = lead: the buyer answered, next touch
    ev_shift_start,    // a = role: its people start a working day
    first_component_event,
};

// Lean = true: the optional mechanisms (Components.hpp, `optional_mechanism`) are compiled
// out of every per-event hook; SalesModel runs this variant when the scenario switches
// none of them on (`optional_mechanisms_off`), where each of their hooks would do
// nothing, so both variants give the same results.
template <bool Lean>
class Engine {
public:
    Engine(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options);
    ReplicationOutput run(int rep);

    // ---- what components see -------------------------------------------------------
    const ScenarioConfig& cfg() const { return cfg_; }
    const ModelOptions& options() const { return opt_; }
    int replication() const { return rep_; }
    double now() const { return cal_.now(); }
    double warmup() const { return warmup_; }
    double horizon() const { return horizon_; }
    bool measuring() const { return cal_.now() >= warmup_; }
    kernel::EventCalendar& calendar() { return cal_; }
    ReplicationOutput& output() { return *out_; }

    Lead& lead(std::uint32_t l) { return leads_[l]; }
    const std::vector<Lead>& leads() const { return leads_; }
    Person& person(int p) { return people_[static_cast<std::size_t>(p)]; }
    const std::vector<Person>& people() const { return people_; }
    StageState& stage(int s) { return stages_[static_cast<std::size_t>(s)]; }
    const std::vector<StageState>& stages() const { return stages_; }
    RoleState& role(int r) { return roles_[static_cast<std::size_t>(r)]; }
    const std::vector<RoleState>& roles() const { return roles_; }
    SourceState& source(int s) { return sources_[static_cast<std::size_t>(s)]; }
    std::int64_t in_system() const { return in_system_; }
    int stage_count() const { return nstages_; }
    int last_stage() const { return nstages_ - 1; }

    // Another component, by type (each type is registered once).
    template <class C> C& get() { return std::get<C>(components_); }
    template <class C> const C& get() const { return std::get<C>(components_); }
    // The event kind of a component's local event k.
    template <class C> static constexpr std::uint32_t event_kind(std::uint32_t k) {
        return event_base<index_of<C>()>() + k;
    }

    // Flow steps components may trigger.
    void lead_arrives(int source);                                     // draws quality and value
    void lead_arrives_with(int source, double quality, double value);
    void enter_stage(std::uint32_t l, int s);
    void request_work(std::uint32_t l);
    void enqueue(std::uint32_t l, Line& line, double key, int role);
    void stop_waiting(Lead& lead);
    // Starts a session of p on l; false when a component deferred it (a handoff delay).
    bool start_session(int p, std::uint32_t l);
    // An idle person of role r who is at work now and may take the lead at stage s
    // (its last worker first), or -1.
    int idle_person(int r, const Lead& lead, int stage);
    // Whether every component lets person p take lead's work at `stage` now.
    bool may_take(const Person& p, const Lead& lead, int stage);
    bool on_shift(const Person& p) const {
        const auto& cal = roles_[static_cast<std::size_t>(p.role)].calendar;
        return cal.always() || cal.is_working(cal_.now());
    }
    // Busy from now with a task of `work` effort hours that takes `working_h` working hours.
    void begin_task(int p, TaskKind kind, double work, double working_h);
    void move_to(std::uint32_t l, int from, int to);
    void exit_lead(std::uint32_t l, Outcome o);
    void abandon(std::uint32_t l);
    void dispatch(int p);
    void warmup_ended();                    // every component restarts its time averages
    void opportunity(std::uint32_t l);      // the lead passed the last gate
    double effective_quality(const Lead& lead) const;
    double queue_key(int role, const Lead& lead, int stage) const;
    // The chance that lead l advances at the end of its visit (from the last stage: is
    // won), from the stage's `chance` as the components adjust it (skill, quarter end).
    double advance_chance(std::uint32_t l, double chance);
    // Working hours of a role's calendar in [0, t), remembered for the last t asked.
    double working_hours_until(int role, double t);

    // Whether component C's per-event hooks are compiled out of this variant.
    template <class C> static constexpr bool skipped() { return Lean && optional_mechanism<C>; }

private:
    template <class C, std::size_t I = 0> static constexpr std::size_t index_of() {
        if constexpr (std::is_same_v<std::tuple_element_t<I, Components>, C>) return I;
        else return index_of<C, I + 1>();
    }
    template <class C> static constexpr std::uint32_t event_kinds_of() {
        if constexpr (requires { C::event_kinds; }) return C::event_kinds;
        else return 0;
    }
    // Component I's events are kinds [event_base<I>, event_base<I> + its event_kinds):
    // blocks in registration order after the engine's own kinds, fixed at compile time.
    template <std::size_t I> static constexpr std::uint32_t event_base() {
        return []<std::size_t... J>(std::index_sequence<J...>) {
            return (static_cast<std::uint32_t>(first_component_event) + ... +
                    event_kinds_of<std::tuple_element_t<J, Components>>());
        }(std::make_index_sequence<I>{});
    }
    // Calls f(component) for every component, in registration order.
    template <class F> void each(F&& f) {
        std::apply([&](auto&... c) { (f(c), ...); }, components_);
    }
    // Calls f(component) in order until one returns true.
    template <class F> bool first(F&& f) {
        return std::apply([&](auto&... c) { return (f(c) || ...); }, components_);
    }

    void build(int rep);
    void dispatch_event(const kernel::Event& e);
    std::uint32_t new_lead(int source, double quality, double value);
    void leave_stage(Lead& lead);
    void finish_session(std::uint32_t l);
    void finish_visit(std::uint32_t l);
    void work_done(int p);
    void end_session(int p, double end);
    void shift_start(int role);
    int find_idle_person(const Lead& lead, int stage);
    bool pick_work(int p);
    int pick_once(int p);
    void set_idle(Person& p, bool idle) { roles_[static_cast<std::size_t>(p.role)].idle += idle ? 1 : -1; }
    void finish(ReplicationOutput& out);

    const ScenarioConfig& cfg_;
    const MetricCatalog& cat_;
    ModelOptions opt_;
    int rep_ = 0;
    double warmup_ = 0.0;
    double horizon_ = 0.0;
    int nstages_ = 0;

    kernel::EventCalendar cal_;
    std::vector<Lead> leads_;
    std::vector<std::uint32_t> free_leads_;
    std::vector<Person> people_;
    std::vector<StageState> stages_;
    std::vector<RoleState> roles_;
    std::vector<SourceState> sources_;
    std::int64_t next_id_ = 0;
    std::int64_t in_system_ = 0;
    bool draw_quality_ = true;        // something reads lead quality (reads_quality)
    bool reads_quality() const;
    std::vector<double> wh_memo_t_;   // per role: last t of working_hours_until
    std::vector<double> wh_memo_;     // per role: its value

    Components components_;
    ReplicationOutput* out_ = nullptr;
};

}  // namespace
}  // namespace salesflow::model::engine
