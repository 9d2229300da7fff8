#pragma once
// RoleStatistics: per role, utilisation (working hours busy over working hours
// available, after the warm-up), the share of them spent prospecting, and the
// time-average work waiting for the role's people; plus the role's queue for the series.
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
    }
    template <class E> void on_warmup_end(E& e) {
        for (auto& rs : roles_) rs.queue_tw.reset(e.now());
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
        }
    }

private:
    struct PerRole {
        int queued = 0;
        kernel::TimeWeighted queue_tw;
        double busy = 0.0, prospect = 0.0, available = 0.0;
    };
    double horizon_ = 0.0;
    std::vector<PerRole> roles_;
    std::vector<double> busy_h_;      // per person, after warm-up
    std::vector<double> prospect_h_;  // per person, after warm-up
};

}  // namespace salesflow::model::observe
