#pragma once
// RoleStatistics: per role, utilisation (working hours busy over working hours
// available, after the warm-up), the share of them spent prospecting, and the
// time-average work waiting for the role's people; plus the role's queue for the series.
// The split of the available hours: pipeline work, prospecting, handoff effort and
// context-switch loss (the parts of a session that Handoffs and ContextSwitching added,
// pro rata) and idle, adding up to 1; and the time-average open deals its people own.
#include <algorithm>
#include <string>
#include <vector>

#include "kernel/TimeWeighted.hpp"
#include "models/MetricCatalog.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"
#include "models/mechanisms/Staffing.hpp"
#include "models/observe/Percentiles.hpp"

namespace salesflow::model::observe {

class RoleStatistics {
public:
    template <class E> void build(E& e) {
        horizon_ = e.horizon();
        roles_.assign(e.cfg().roles.size(), PerRole{});
        busy_h_.assign(e.people().size(), 0.0);
        own_on_ = e.cfg().ownership.enabled;
        own_from_ = e.cfg().ownership.from_stage;
        prospect_h_.assign(e.people().size(), 0.0);
    }
    template <class E> void on_enqueue(E& e, std::uint32_t l) {
        const int r = e.lead(l).queued_role;
        if (r < 0) return;
        auto& rs = roles_[static_cast<std::size_t>(r)];
        ++rs.queued;
        rs.queue_tw.set(e.now(), rs.queued);
    }
    template <class E> void on_stop_waiting(E& e, engine::Lead& lead) {
        if (lead.queued_role < 0) return;
        auto& rs = roles_[static_cast<std::size_t>(lead.queued_role)];
        --rs.queued;
        rs.queue_tw.set(e.now(), rs.queued);
    }
    // Busy working hours of the session, after the warm-up.
    template <class E> void on_session_end(E& e, int p, double end, double end_wh) {
        const engine::Person& person = e.person(p);
        const double w = e.warmup();
        const double a = std::max(person.start, w), b = std::max(end, w);
        const double wa = a == person.start ? person.start_wh : e.working_hours_until(person.role, a);
        const double wb = b == end ? end_wh : e.working_hours_until(person.role, b);
        const double h = wb - wa;
        busy_h_[static_cast<std::size_t>(p)] += h;
        if (person.task == engine::TaskKind::prospecting) prospect_h_[static_cast<std::size_t>(p)] += h;
        if (person.task == engine::TaskKind::pipeline && person.session_work > 0.0) {
            auto& rs = roles_[static_cast<std::size_t>(person.role)];
            rs.handoff += h * person.handoff_work / person.session_work;
            rs.switching += h * person.switch_work / person.session_work;
        }
    }
    // Deals owned: Ownership (registered after this) makes p the owner of l in this
    // hook when ownership is on, l has no owner and its stage is an owning one.
    template <class E> void on_session_start(E& e, int p, std::uint32_t l, double&) {
        const engine::Lead& lead = e.lead(l);
        if (own_on_ && lead.owner < 0 && lead.stage >= own_from_) change_owned(e, e.person(p).role, +1);
    }
    // ... and frees the owner when the deal exits.
    template <class E> void on_exit(E& e, std::uint32_t l, Outcome) {
        const engine::Lead& lead = e.lead(l);
        if (lead.owner >= 0) change_owned(e, e.person(lead.owner).role, -1);
    }
    // ... and stops counting the deals of a person who leaves (Staffing): they have no
    // owner until someone works them again in an owning stage.
    template <class E> void owner_left(E& e, int role, int deals) { change_owned(e, role, -deals); }
    template <class E> void on_warmup_end(E& e) {
        for (auto& rs : roles_) {
            rs.queue_tw.reset(e.now());
            rs.owned_tw.reset(e.now());
        }
    }
    template <class E> void on_finish(E& e) {
        for (std::size_t r = 0; r < roles_.size(); ++r) {
            const auto& state = e.roles()[r];
            auto& rs = roles_[r];
            rs.busy = rs.prospect = 0.0;
            for (int k = 0; k < state.headcount; ++k) {
                rs.busy += busy_h_[static_cast<std::size_t>(state.first_person + k)];
                rs.prospect += prospect_h_[static_cast<std::size_t>(state.first_person + k)];
            }
            // With staffing changes: the working hours its people were present.
            const auto& staffing = e.template get<mechanisms::Staffing>();
            rs.available = staffing.changes() ? staffing.working_hours(static_cast<int>(r))
                                              : state.headcount * state.calendar.working_hours(e.warmup(), e.horizon());
        }
    }

    int queued(int r) const { return roles_[static_cast<std::size_t>(r)].queued; }

    template <class Sink> void report(const ScenarioConfig& cfg, Sink& put) const {
        using enum Unit;
        using D = Direction;
        for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
            const std::string& n = cfg.roles[r].name;
            const auto at = [&]() -> const PerRole& { return roles_[r]; };
            put({MetricCatalog::role_metric(n, "utilisation"), share, D::neither, "Utilisation of " + n},
                [&] { return std::clamp(observe::ratio(at().busy, at().available), 0.0, 1.0); });
            put({MetricCatalog::role_metric(n, "prospecting_share"), share, D::neither, "Share of " + n + " time prospecting"},
                [&] { return std::clamp(observe::ratio(at().prospect, at().available), 0.0, 1.0); });
            put({MetricCatalog::role_metric(n, "queue_mean"), leads, D::lower, "Work waiting for " + n + ", mean"},
                [&] { return at().queue_tw.mean(horizon_); });
            put({MetricCatalog::role_metric(n, "pipeline_share"), share, D::neither, "Share of " + n + " time on pipeline work"},
                [&] {
                    const auto& x = at();
                    return std::clamp(observe::ratio(x.busy - x.prospect - x.handoff - x.switching, x.available), 0.0, 1.0);
                });
            put({MetricCatalog::role_metric(n, "handoff_share"), share, D::lower, "Share of " + n + " time on handoff effort"},
                [&] { return std::clamp(observe::ratio(at().handoff, at().available), 0.0, 1.0); });
            put({MetricCatalog::role_metric(n, "switch_loss_share"), share, D::lower,
                 "Share of " + n + " time lost to context switching"},
                [&] { return std::clamp(observe::ratio(at().switching, at().available), 0.0, 1.0); });
            put({MetricCatalog::role_metric(n, "idle_share"), share, D::neither, "Share of " + n + " time idle"},
                [&] {
                    const auto& x = at();
                    return x.available > 0.0 ? 1.0 - std::clamp(x.busy / x.available, 0.0, 1.0) : 0.0;
                });
            put({MetricCatalog::role_metric(n, "deals_owned_mean"), leads, D::neither, "Open deals " + n + " own, mean"},
                [&] { return at().owned_tw.mean(horizon_); });
        }
    }

private:
    template <class E> void change_owned(E& e, int role, int by) {
        auto& rs = roles_[static_cast<std::size_t>(role)];
        rs.owned += by;
        rs.owned_tw.set(e.now(), rs.owned);
    }
    struct PerRole {
        int queued = 0;
        int owned = 0;
        kernel::TimeWeighted queue_tw, owned_tw;
        double busy = 0.0, prospect = 0.0, available = 0.0;
        double handoff = 0.0, switching = 0.0;   // busy working hours of handoff effort, context-switch loss
    };
    bool own_on_ = false;
    int own_from_ = 0;
    double horizon_ = 0.0;
    std::vector<PerRole> roles_;
    std::vector<double> busy_h_;      // per person, after warm-up
    std::vector<double> prospect_h_;  // per person, after warm-up
};

}  // namespace salesflow::model::observe
