#pragma once
// StageStatistics: per stage, the wait in its queue (from joining it, or from entering a
// batching stage, to the first session of the visit), visits, work per visit, and the
// time-average number of leads waiting in and present at the stage; plus the stage's
// cumulative arrivals and departures for the time series.
#include <string>
#include <vector>

#include "kernel/MeanTally.hpp"
#include "kernel/TimeWeighted.hpp"
#include "models/MetricCatalog.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::observe {

class StageStatistics {
public:
    template <class E> void build(E& e) {
        horizon_ = e.horizon();
        stages_.assign(e.cfg().stages.size(), PerStage{});
    }
    template <class E> void on_enter_stage(E& e, std::uint32_t, int s) {
        auto& st = stages_[static_cast<std::size_t>(s)];
        st.wip_tw.set(e.now(), e.stage(s).count);
        st.arrivals_cum += 1;
        if (e.measuring()) st.visits += 1;
    }
    template <class E> void on_visit_start(E& e, std::uint32_t l, double wait) {
        const engine::Lead& lead = e.lead(l);
        if (e.measuring()) stages_[static_cast<std::size_t>(lead.stage)].wait.add(wait + lead.visit_hold);
    }
    template <class E> void on_visit_done(E& e, std::uint32_t l) {
        const engine::Lead& lead = e.lead(l);
        if (!e.measuring()) return;
        auto& st = stages_[static_cast<std::size_t>(lead.stage)];
        st.work.add(lead.visit_work);
        st.handoff.add(lead.visit_handoff);
    }
    template <class E> void on_enqueue(E& e, std::uint32_t l) {
        const engine::Lead& lead = e.lead(l);
        if (lead.queued_role < 0) return;
        auto& st = stages_[static_cast<std::size_t>(lead.stage)];
        ++st.live_queued;
        st.queue_tw.set(e.now(), st.live_queued);
    }
    template <class E> void on_stop_waiting(E& e, engine::Lead& lead) {
        if (lead.queued_role < 0) return;
        auto& st = stages_[static_cast<std::size_t>(lead.stage)];
        --st.live_queued;
        st.queue_tw.set(e.now(), st.live_queued);
    }
    template <class E> void on_leave_stage(E& e, int s) {
        auto& st = stages_[static_cast<std::size_t>(s)];
        st.wip_tw.set(e.now(), e.stage(s).count);
        st.departures_cum += 1;
    }
    template <class E> void on_warmup_end(E& e) {
        for (auto& st : stages_) {
            st.queue_tw.reset(e.now());
            st.wip_tw.reset(e.now());
        }
    }

    // For the time series.
    int queued(int s) const { return stages_[static_cast<std::size_t>(s)].live_queued; }
    double arrivals_cum(int s) const { return stages_[static_cast<std::size_t>(s)].arrivals_cum; }
    double departures_cum(int s) const { return stages_[static_cast<std::size_t>(s)].departures_cum; }

    template <class Sink> void report(const ScenarioConfig& cfg, Sink& put) const {
        using enum Unit;
        using D = Direction;
        for (std::size_t s = 0; s < cfg.stages.size(); ++s) {
            const std::string& n = cfg.stages[s].name;
            const auto at = [&]() -> const PerStage& { return stages_[s]; };
            put({MetricCatalog::stage_metric(n, "wait_mean_h"), hours, D::lower, "Wait at " + n + ", mean"},
                [&] { return at().wait.mean(); });
            put({MetricCatalog::stage_metric(n, "handoff_delay_mean_h"), hours, D::lower, "Handoff delay in " + n + ", mean"},
                [&] { return at().handoff.mean(); });
            put({MetricCatalog::stage_metric(n, "visits"), count, D::neither, "Visits to " + n},
                [&] { return at().visits; });
            put({MetricCatalog::stage_metric(n, "work_mean_h"), hours, D::neither, "Work per visit to " + n + ", mean"},
                [&] { return at().work.mean(); });
            put({MetricCatalog::stage_metric(n, "queue_mean"), leads, D::lower, "Leads waiting at " + n + ", mean"},
                [&] { return at().queue_tw.mean(horizon_); });
            put({MetricCatalog::stage_metric(n, "wip_mean"), leads, D::neither, "Leads in " + n + ", mean"},
                [&] { return at().wip_tw.mean(horizon_); });
        }
    }

private:
    struct PerStage {
        kernel::MeanTally wait, work, handoff;  // only their means are reported
        kernel::TimeWeighted queue_tw, wip_tw;
        double visits = 0.0, arrivals_cum = 0.0, departures_cum = 0.0;
        int live_queued = 0;
    };
    double horizon_ = 0.0;
    std::vector<PerStage> stages_;
};

}  // namespace salesflow::model::observe
