#pragma once
// TimeSeriesSampler: with `simulation.sample_every` > 0, samples the state every period
// from time 0 to the horizon: leads in the system, cumulative arrivals, exits, wins and
// revenue; per stage leads present, waiting, cumulative arrivals and departures; per role
// work waiting and people busy, and for a role with hires or attrition the people present.
#include <string>

#include "kernel/EventCalendar.hpp"
#include "models/SalesModel.hpp"
#include "models/observe/FlowStatistics.hpp"
#include "models/observe/RoleStatistics.hpp"
#include "models/observe/StageStatistics.hpp"
#include "models/mechanisms/Staffing.hpp"

namespace salesflow::model::observe {

class TimeSeriesSampler {
public:
    static constexpr std::uint32_t event_kinds = 1;

    template <class E> void build(E& e) {
        every_ = e.cfg().simulation.sample_every_h;
        if (every_ <= 0.0) return;
        auto& c = e.output().series.columns;
        c = {"time_h", "wip", "arrivals_cum", "exits_cum", "wins_cum", "revenue_cum"};
        for (const auto& s : e.cfg().stages) {
            c.push_back("stage." + s.name + ".wip");
            c.push_back("stage." + s.name + ".queue");
            c.push_back("stage." + s.name + ".arrivals_cum");
            c.push_back("stage." + s.name + ".departures_cum");
        }
        for (const auto& r : e.cfg().roles) {
            c.push_back("role." + r.name + ".queue");
            c.push_back("role." + r.name + ".busy");
            if (r.staffing_changes()) c.push_back("role." + r.name + ".staffed");
        }
    }
    template <class E> void start(E& e) {
        if (every_ > 0.0) e.calendar().schedule(0.0, e.template event_kind<TimeSeriesSampler>(0));
    }
    template <class E> void handle(E& e, std::uint32_t, const kernel::Event& ev) {
        sample(e);
        if (e.now() + every_ <= e.horizon() + 1e-9) e.calendar().schedule(e.now() + every_, ev.kind);
    }

private:
    template <class E> void sample(E& e) {
        const auto& flow = e.template get<FlowStatistics>();
        const auto& stages = e.template get<StageStatistics>();
        const auto& roles = e.template get<RoleStatistics>();
        auto& d = e.output().series.data;
        d.push_back(e.now());
        d.push_back(static_cast<double>(e.in_system()));
        d.push_back(flow.arrivals_cum());
        d.push_back(flow.exits_cum());
        d.push_back(flow.wins_cum());
        d.push_back(flow.revenue_cum());
        for (int s = 0; s < e.stage_count(); ++s) {
            d.push_back(e.stage(s).count);
            d.push_back(stages.queued(s));
            d.push_back(stages.arrivals_cum(s));
            d.push_back(stages.departures_cum(s));
        }
        for (int r = 0; r < static_cast<int>(e.roles().size()); ++r) {
            d.push_back(roles.queued(r));
            d.push_back(e.role(r).headcount - e.role(r).idle);
            if (e.cfg().roles[static_cast<std::size_t>(r)].staffing_changes())
                d.push_back(e.template get<mechanisms::Staffing>().present(r));
        }
    }

    double every_ = 0.0;
};

}  // namespace salesflow::model::observe
