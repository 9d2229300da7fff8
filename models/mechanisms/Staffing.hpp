#pragma once
// Staffing over time (`roles.X.hires`, `attrition`, `vacancy`, `ramp`). A role has a slot
// for each of its `headcount` people (present from time 0, fully ramped) and for each
// person it will hire (empty until their `at`). A present person leaves after an
// exponential tenure of mean `attrition.tenure` counted from their start; their slot is
// then empty for a `vacancy` drawn from its distribution, after which a replacement
// starts. Hires and replacements are new people: their tenure starts then, they have done
// no visits yet (learning) and they ramp up (Skill applies `ramp`).
//
// When a person leaves, their open work goes back to the flow at once: every deal they
// own loses its owner (the next person to work it in an owning stage becomes its owner),
// work waiting in their own line asks for a person again (its wait so far counts; the
// buyer's patience starts again in the line it then joins), a lead in a handoff delay
// towards them goes to whoever may take it when the delay ends, and a lead whose last
// worker they were has no last worker any more (its next session is a handoff). A
// person busy with a session when their tenure ends finishes that session and leaves at
// its end; meanwhile they take no new work.
//
// A new person takes over nothing of the slot's last occupant: no half-found prospect,
// and reserved prospecting is counted from their start.
//
// Cost and capacity follow the people present: `cost`, `productivity` and a role's
// `utilisation` use the hours each slot was filled (FlowStatistics, RoleStatistics).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kernel/Distribution.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "models/MetricCatalog.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::observe {
class RoleStatistics;  // told when a leaver's deals stop being owned (deals_owned_mean)
}

namespace salesflow::model::mechanisms {

class Staffing {
public:
    static constexpr std::uint32_t event_kinds = 2;
    enum Local : std::uint32_t { leave, join };  // a = person

    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        on_ = false;
        for (const auto& rc : cfg.roles) on_ = on_ || rc.staffing_changes();
        people_.assign(e.people().size(), PerPerson{});
        roles_.assign(cfg.roles.size(), PerRole{});
        for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
            const auto& rc = cfg.roles[r];
            const auto& state = e.roles()[r];
            auto& rs = roles_[r];
            if (on_) {
                const auto rep = static_cast<std::uint64_t>(e.replication());
                rs.tenure_rng = kernel::make_engine(cfg.simulation.seed, rep, "role/" + rc.name + "/attrition");
                rs.vacancy_rng = kernel::make_engine(cfg.simulation.seed, rep, "role/" + rc.name + "/vacancy");
                rs.vacancy = kernel::Distribution(rc.vacancy);
            }
            for (int k = 0; k < state.headcount; ++k) {
                auto& pp = people_[static_cast<std::size_t>(state.first_person + k)];
                pp.present = k < rc.headcount;
                pp.visits = rc.learning.initial_visits;
                if (pp.present) ++rs.present;
            }
        }
        scratch_.clear();
        scratch_.reserve(64);
    }

    // Departures of the first people, then the hires, per role in order.
    template <class E> void start(E& e) {
        if (!on_) return;
        const auto& cfg = e.cfg();
        for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
            const auto& rc = cfg.roles[r];
            const int first = e.roles()[r].first_person;
            for (int k = 0; k < rc.headcount; ++k) schedule_leave(e, first + k);
            int slot = first + rc.headcount;
            for (const auto& h : rc.hires)
                for (int c = 0; c < h.count; ++c, ++slot)
                    if (h.at_h <= e.horizon()) e.calendar().schedule(h.at_h, e.template event_kind<Staffing>(join), static_cast<std::uint32_t>(slot));
        }
    }

    template <class E> void handle(E& e, std::uint32_t k, const kernel::Event& ev) {
        const int p = static_cast<int>(ev.a);
        if (k == join) {
            auto& pp = people_[static_cast<std::size_t>(p)];
            pp.present = true;
            pp.since = e.now();
            pp.present_since = e.now();
            pp.visits = 0.0;
            // Nor is a new person the last worker of any lead: the lead their predecessor
            // had in hand when the tenure ended got them as its last worker after
            // leave_now, at the end of that session.
            const auto gone = static_cast<std::int32_t>(e.people().size());
            for (std::uint32_t l = 0; l < e.leads().size(); ++l) {
                engine::Lead& lead = e.lead(l);
                if (lead.alive && lead.last_person == p) lead.last_person = gone;
            }
            engine::Person& person = e.person(p);
            ++roles_[static_cast<std::size_t>(person.role)].present;
            // A new person starts afresh: no prospect half found, and with reserved
            // prospecting on track with the role's share from now on.
            const auto& rc = e.cfg().roles[static_cast<std::size_t>(person.role)];
            person.prospect_left = 0.0;
            person.prospect_total_h = rc.prospecting_share * e.working_hours_until(person.role, e.now());
            schedule_leave(e, p);
            e.dispatch(p);
            return;
        }
        leave_now(e, p);
    }

    // An empty slot or a person about to leave takes no work.
    template <class E> bool may_take(const E& e, const engine::Person& person, const engine::Lead&, int) const {
        if (!on_) return true;
        const auto& pp = people_[static_cast<std::size_t>(&person - e.people().data())];
        return pp.present && !pp.leaving;
    }
    template <class E> bool before_pick(E&, int p) const {
        if (!on_) return false;
        const auto& pp = people_[static_cast<std::size_t>(p)];
        return !pp.present || pp.leaving;  // nothing for them
    }
    // A person whose tenure ended during this session leaves at its end.
    template <class E> void on_session_end(E& e, int p, double end, double) {
        if (on_ && people_[static_cast<std::size_t>(p)].leaving) depart(e, p, end);
    }

    template <class E> void on_finish(E& e) {
        const double span = e.horizon() - e.warmup();
        for (std::size_t p = 0; p < people_.size(); ++p)
            if (people_[p].present) add_presence(e, static_cast<int>(p), people_[p].present_since, e.horizon());
        for (auto& rs : roles_) rs.staffed_mean = span > 0.0 ? rs.person_h / span : 0.0;
    }

    // ---- for other components --------------------------------------------------------
    bool changes() const { return on_; }
    // People of role r present now.
    int present(int r) const { return roles_[static_cast<std::size_t>(r)].present; }
    // Calendar hours people of role r were present after the warm-up (after on_finish).
    double person_hours(int r) const { return roles_[static_cast<std::size_t>(r)].person_h; }
    // Working hours of the role's calendar its people were present after the warm-up.
    double working_hours(int r) const { return roles_[static_cast<std::size_t>(r)].work_h; }
    // Share of the ramp-up done by person p at time t (1: fully ramped).
    double ramp_progress(const RoleConfig& rc, int p, double t) const {
        if (rc.ramp.time_h <= 0.0) return 1.0;
        const double since = people_[static_cast<std::size_t>(p)].since;
        if (!std::isfinite(since)) return 1.0;  // present from time 0
        return std::clamp((t - since) / rc.ramp.time_h, 0.0, 1.0);
    }
    // Visits person p has finished since they started (Skill's learning).
    double& visits(int p) { return people_[static_cast<std::size_t>(p)].visits; }
    double visits(int p) const { return people_[static_cast<std::size_t>(p)].visits; }

    template <class Sink> void report(const ScenarioConfig& cfg, Sink& put) const {
        using D = Direction;
        for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
            if (!cfg.roles[r].staffing_changes()) continue;
            const std::string& n = cfg.roles[r].name;
            put({MetricCatalog::role_metric(n, "staffed_mean"), Unit::count, D::neither, "People of " + n + " present, mean"},
                [&] { return roles_[r].staffed_mean; });
            put({MetricCatalog::role_metric(n, "departures"), Unit::count, D::neither, "People of " + n + " who left"},
                [&] { return roles_[r].departures; });
            put({MetricCatalog::role_metric(n, "starts"), Unit::count, D::neither, "People of " + n + " who started (hires and replacements)"},
                [&] { return roles_[r].starts; });
        }
    }

private:
    template <class E> void schedule_leave(E& e, int p) {
        const auto& rc = e.cfg().roles[static_cast<std::size_t>(e.person(p).role)];
        auto& rs = roles_[static_cast<std::size_t>(e.person(p).role)];
        if (people_[static_cast<std::size_t>(p)].since > -1.0 && e.measuring()) rs.starts += 1;  // hires, replacements
        if (rc.attrition_tenure_h <= 0.0) return;
        const double u = kernel::uniform01(rs.tenure_rng);
        const double t = e.now() - rc.attrition_tenure_h * std::log1p(-u);
        if (t <= e.horizon()) e.calendar().schedule(t, e.template event_kind<Staffing>(leave), static_cast<std::uint32_t>(p));
    }

    // The person's tenure ended: their open work goes back to the flow; they leave now,
    // or at the end of the session in hand.
    template <class E> void leave_now(E& e, int p) {
        auto& pp = people_[static_cast<std::size_t>(p)];
        pp.leaving = true;
        engine::Person& person = e.person(p);
        const auto gone = static_cast<std::int32_t>(e.people().size());  // no person: the next session is a handoff
        for (std::uint32_t l = 0; l < e.leads().size(); ++l) {
            engine::Lead& lead = e.lead(l);
            if (!lead.alive) continue;
            if (lead.owner == p) lead.owner = -1;
            if (lead.handoff_to == p) lead.handoff_to = -1;
            if (lead.last_person == p) lead.last_person = gone;
        }
        if (person.owned > 0) e.template get<observe::RoleStatistics>().owner_left(e, person.role, person.owned);
        person.owned = 0;
        scratch_.clear();
        while (!person.own.empty()) {
            const engine::QueueEntry q = person.own.pop();
            const engine::Lead& lead = e.lead(q.lead);
            if (q.ticket == lead.ticket && lead.waiting) scratch_.push_back(q.lead);
        }
        for (const std::uint32_t l : scratch_) {
            engine::Lead& lead = e.lead(l);
            lead.visit_queue += e.now() - lead.queued_at;
            e.stop_waiting(lead);
            lead.queued_at = e.now();
            e.request_work(l);
        }
        if (person.task == engine::TaskKind::none) depart(e, p, e.now());
    }

    template <class E> void depart(E& e, int p, double t) {
        auto& pp = people_[static_cast<std::size_t>(p)];
        pp.leaving = false;
        pp.present = false;
        --roles_[static_cast<std::size_t>(e.person(p).role)].present;
        add_presence(e, p, pp.present_since, t);
        auto& rs = roles_[static_cast<std::size_t>(e.person(p).role)];
        if (t >= e.warmup()) rs.departures += 1;
        const double v = std::max(0.0, rs.vacancy.sample(rs.vacancy_rng));
        if (t + v <= e.horizon()) e.calendar().schedule(t + v, e.template event_kind<Staffing>(join), static_cast<std::uint32_t>(p));
    }

    template <class E> void add_presence(E& e, int p, double from, double to) {
        const int r = e.person(p).role;
        const double a = std::clamp(from, e.warmup(), e.horizon()), b = std::clamp(to, e.warmup(), e.horizon());
        if (b <= a) return;
        auto& rs = roles_[static_cast<std::size_t>(r)];
        rs.person_h += b - a;
        rs.work_h += e.working_hours_until(r, b) - e.working_hours_until(r, a);
    }

    struct PerPerson {
        bool present = false;
        bool leaving = false;
        double since = -std::numeric_limits<double>::infinity();  // start of the current person; -inf: from time 0
        double present_since = 0.0;
        double visits = 0.0;
    };
    struct PerRole {
        kernel::Engine tenure_rng;
        kernel::Engine vacancy_rng;
        kernel::Distribution vacancy;
        double person_h = 0.0, work_h = 0.0;
        double departures = 0.0, starts = 0.0, staffed_mean = 0.0;
        int present = 0;
    };
    bool on_ = false;
    std::vector<PerPerson> people_;
    std::vector<PerRole> roles_;
    std::vector<std::uint32_t> scratch_;
};

}  // namespace salesflow::model::mechanisms
