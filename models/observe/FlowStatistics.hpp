#pragma once
// FlowStatistics: the organisation-wide metrics: leads in and out, outcomes, revenue,
// lead times and their percentiles, WIP, the funnel counts, cost and productivity; and
// the cumulative counts of the time series. Counts are of events after the warm-up
// except where a metric says otherwise (see docs/results-format.md).
#include <algorithm>
#include <vector>

#include "kernel/MeanTally.hpp"
#include "kernel/TimeWeighted.hpp"
#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"
#include "models/mechanisms/SpeedToLead.hpp"
#include "models/mechanisms/Staffing.hpp"
#include "kernel/Time.hpp"
#include "models/observe/Percentiles.hpp"

namespace salesflow::model::observe {

class FlowStatistics {
public:
    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        // Start afresh, keeping the lists' storage from the last replication.
        auto won = std::move(won_times_);
        auto exits = std::move(exit_times_);
        *this = FlowStatistics{};
        won_times_ = std::move(won);
        exit_times_ = std::move(exits);
        won_times_.clear();
        exit_times_.clear();
        warmup_ = e.warmup();
        horizon_ = e.horizon();
        last_gate_ = -1;
        for (std::size_t s = 0; s < cfg.stages.size(); ++s)
            if (cfg.stages[s].gate.enabled) last_gate_ = static_cast<int>(s);
        opportunity_stage_ = cfg.funnel.opportunity_stage;
        proposal_stage_ = cfg.funnel.proposal_stage >= 0 ? cfg.funnel.proposal_stage : static_cast<int>(cfg.stages.size()) - 1;
        // Room for the exits to expect, so the list does not grow by copying during the run.
        double expected = 0.0;
        for (const auto& sc : cfg.sources)
            expected += sc.rate_per_h * mechanisms::SpeedToLead::arrival_scale(sc) * (horizon_ - warmup_);
        exit_times_.reserve(static_cast<std::size_t>(std::min(expected * 1.1, 5e7)));
        wip_tw_.reset(0.0);
    }
    template <class E> void on_arrival(E& e, std::uint32_t l) {
        const engine::Lead& lead = e.lead(l);
        wip_tw_.set(e.now(), static_cast<double>(e.in_system()));
        arrivals_cum_ += 1;
        if (lead.counted) {
            arrived_ += 1;
            if (opportunity_stage_ < 0 && last_gate_ < 0) opportunities_ += 1;
            if (e.cfg().sources[static_cast<std::size_t>(lead.source)].kind == SourceKind::prospecting) outbound_ += 1;
        }
    }
    template <class E> void on_enter_stage(E& e, std::uint32_t l, int s) {
        engine::Lead& lead = e.lead(l);
        if (s == proposal_stage_ && !lead.reached_proposal) {
            lead.reached_proposal = true;
            if (e.measuring()) proposals_ += 1;  // a first entry after the warm-up
        }
        if (s == opportunity_stage_ && !lead.reached_opportunity) {
            lead.reached_opportunity = true;
            if (e.measuring()) opportunities_ += 1;
        }
    }
    template <class E> void on_opportunity(E& e, std::uint32_t) {
        // A pass of the last gate after the warm-up, unless the funnel names the stage.
        if (opportunity_stage_ < 0 && e.measuring()) opportunities_ += 1;
    }
    template <class E> void on_exit(E& e, std::uint32_t l, Outcome o) {
        const engine::Lead& ld = e.lead(l);
        const double now = e.now();
        wip_tw_.set(now, static_cast<double>(e.in_system()));
        exits_cum_ += 1;
        if (o == Outcome::won) {
            wins_cum_ += 1;
            revenue_cum_ += ld.value;
        }
        if (now < warmup_) return;
        const double lt = now - ld.arrival;
        exited_ += 1;
        lead_time_.add(lt);
        exit_times_.push_back(lt);
        flow_eff_.add(lt > 0.0 ? std::min(1.0, ld.work / lt) : 1.0);
        // A nurtured lead counts as the outcome it ended with (the results contract:
        // leads_exited = wins + losses + disqualified + abandoned); `nurtured` counts them
        // again apart. A deal ended in no decision is a loss (it did not advance).
        const Outcome counted = o == Outcome::nurtured && ld.ended_as >= 0 ? static_cast<Outcome>(ld.ended_as) : o;
        if (counted == Outcome::lost) lost_to_competitor_ += 1;
        switch (counted) {
            case Outcome::won:
                wins_ += 1;
                revenue_ += ld.value;
                lead_time_won_.add(lt);
                won_times_.push_back(lt);
                break;
            case Outcome::lost: losses_ += 1; break;
            case Outcome::disqualified: disqualified_ += 1; break;
            case Outcome::abandoned: abandoned_ += 1; break;
            case Outcome::no_decision: losses_ += 1; break;  // also counted apart by NoDecision
            case Outcome::open:
            case Outcome::nurtured: break;
        }
    }
    template <class E> void on_warmup_end(E& e) { wip_tw_.reset(e.now()); }
    template <class E> void on_finish(E& e) {
        // With staffing changes, cost and productivity follow the hours people were present.
        staffed_h_.clear();
        if (const auto& staffing = e.template get<mechanisms::Staffing>(); staffing.changes())
            for (std::size_t r = 0; r < e.cfg().roles.size(); ++r) staffed_h_.push_back(staffing.person_hours(static_cast<int>(r)));
        open_at_end_ = static_cast<double>(e.in_system());
        won_p85_ = percentiles(won_times_, {0.85})[0];
        const auto p = percentiles(exit_times_, {0.50, 0.85, 0.95});
        p50_ = p[0];
        p85_ = p[1];
        p95_ = p[2];
    }

    // The cumulative counts since time 0, for the time series.
    double arrivals_cum() const { return arrivals_cum_; }
    double exits_cum() const { return exits_cum_; }
    double wins_cum() const { return wins_cum_; }
    double revenue_cum() const { return revenue_cum_; }

    template <class Sink> void report(const ScenarioConfig& cfg, Sink& put) const {
        using enum Unit;
        using D = Direction;
        const double span = horizon_ - warmup_;
        double fte = 0.0, cost_rate = 0.0;
        for (const auto& rc : cfg.roles) {
            fte += rc.headcount;
            cost_rate += rc.headcount * rc.cost_per_year;
        }
        cost_rate += fte * cfg.costs.overhead_per_person_per_year;
        const double years = span / kernel::hours_per_year;
        double cost = cost_rate * years + cfg.costs.reorganisation;
        if (!staffed_h_.empty()) {
            // Person-years present in the measured span, per role: fte is their mean.
            double person_years = 0.0;
            cost = cfg.costs.reorganisation;
            for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
                const double py = staffed_h_[r] / kernel::hours_per_year;
                person_years += py;
                cost += py * (cfg.roles[r].cost_per_year + cfg.costs.overhead_per_person_per_year);
            }
            fte = years > 0.0 ? person_years / years : 0.0;
        }
        // Quota-carrying people: roles with `quota: true`, by default those of the last stage.
        double quota_people = 0.0;
        for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
            bool closes = false;
            if (!cfg.stages.empty())
                for (int k : cfg.stages.back().roles) closes = closes || k == static_cast<int>(r);
            if (!cfg.roles[r].quota.value_or(closes)) continue;
            // With hires or attrition: the people present on average over the measured span.
            quota_people += staffed_h_.empty() ? cfg.roles[r].headcount : (span > 0.0 ? staffed_h_[r] / span : 0.0);
        }
        // The headline metrics lead the catalogue.
        put({"profit", money, D::higher, "Profit (revenue - cost)"}, [&] { return revenue_ - cost; });
        put({"revenue_per_cost", ratio, D::higher, "Revenue per unit of cost"}, [&] { return observe::ratio(revenue_, cost); });
        put({"revenue_per_quota_person", money_per_person_year, D::higher, "Revenue per quota-carrying person per year"},
            [&] { return quota_people > 0.0 && years > 0.0 ? revenue_ / quota_people / years : 0.0; });
        put({"leads_arrived", count, D::neither, "Leads arrived"}, [&] { return arrived_; });
        put({"leads_exited", count, D::neither, "Leads closed"}, [&] { return exited_; });
        put({"wins", count, D::higher, "Wins"}, [&] { return wins_; });
        put({"revenue", money, D::higher, "Revenue"}, [&] { return revenue_; });
        put({"lead_time_mean_h", hours, D::lower, "Lead time, mean"}, [&] { return lead_time_.mean(); });
        put({"wip_mean", leads, D::neither, "Leads in progress, mean"}, [&] { return wip_tw_.mean(horizon_); });
        put({"throughput_per_week", per_week, D::neither, "Leads closed per week"},
            [&] { return observe::ratio(exited_, span / kernel::hours_per_week); });
        put({"hit_rate", share, D::higher, "Hit rate (wins per proposal)"}, [&] { return observe::ratio(wins_, proposals_); });
        put({"losses", count, D::neither, "Deals lost"}, [&] { return losses_; });
        if (cfg.no_decision.enabled)
            put({"lost_to_competitor", count, D::lower, "Deals lost to a competitor"}, [&] { return lost_to_competitor_; });
        put({"disqualified", count, D::neither, "Leads disqualified"}, [&] { return disqualified_; });
        put({"abandoned", count, D::lower, "Buyers who gave up waiting"}, [&] { return abandoned_; });
        put({"leads_open_at_end", count, D::neither, "Leads open at the end"}, [&] { return open_at_end_; });
        put({"opportunities", count, D::neither, "Opportunities"}, [&] { return opportunities_; });
        put({"proposals", count, D::neither, "Proposals"}, [&] { return proposals_; });
        put({"win_rate", share, D::higher, "Win rate (wins per opportunity)"}, [&] { return observe::ratio(wins_, opportunities_); });
        put({"cost", money, D::neither, "Cost of the team"}, [&] { return cost; });
        put({"productivity", money_per_person_year, D::higher, "Revenue per person per year"},
            [&] { return fte > 0.0 && years > 0.0 ? revenue_ / fte / years : 0.0; });
        put({"cost_per_win", money_per_win, D::lower, "Cost per win"}, [&] { return observe::ratio(cost, wins_); });
        put({"flow_efficiency", share, D::higher, "Flow efficiency (work / lead time)"}, [&] { return flow_eff_.mean(); });
        put({"lead_time_won_mean_h", hours, D::lower, "Lead time of won deals, mean"}, [&] { return lead_time_won_.mean(); });
        put({"lead_time_won_p85_h", hours, D::lower, "Lead time of won deals, 85th percentile"}, [&] { return won_p85_; });
        put({"outbound_leads", count, D::neither, "Outbound leads"}, [&] { return outbound_; });
        put({"lead_time_p50_h", hours, D::lower, "Lead time, median"}, [&] { return p50_; });
        put({"lead_time_p85_h", hours, D::lower, "Lead time, 85th percentile"}, [&] { return p85_; });
        put({"lead_time_p95_h", hours, D::lower, "Lead time, 95th percentile"}, [&] { return p95_; });
    }

private:
    double warmup_ = 0.0, horizon_ = 0.0;
    int last_gate_ = -1;
    int opportunity_stage_ = -1, proposal_stage_ = -1;
    kernel::TimeWeighted wip_tw_;
    double arrived_ = 0, exited_ = 0, wins_ = 0, revenue_ = 0, losses_ = 0, lost_to_competitor_ = 0, disqualified_ = 0, abandoned_ = 0;
    double opportunities_ = 0, proposals_ = 0, outbound_ = 0;
    double arrivals_cum_ = 0, exits_cum_ = 0, wins_cum_ = 0, revenue_cum_ = 0;  // from time 0
    kernel::MeanTally lead_time_, lead_time_won_, flow_eff_;  // only their means are reported
    std::vector<double> won_times_, exit_times_;
    std::vector<double> staffed_h_;  // per role: hours present after the warm-up (staffing changes only)
    double open_at_end_ = 0, won_p85_ = 0, p50_ = 0, p85_ = 0, p95_ = 0;
};

}  // namespace salesflow::model::observe
