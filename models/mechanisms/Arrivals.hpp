#pragma once
// Arrivals: leads from Poisson sources (with monthly seasonality and a share of leads in
// working hours, both by thinning), campaign bursts and trace files. Prospecting sources
// are fed by people (Prospecting).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <boost/random/exponential_distribution.hpp>

#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/mechanisms/SpeedToLead.hpp"
#include "kernel/Time.hpp"
#include "kernel/WorkingCalendar.hpp"

namespace salesflow::model::mechanisms {

class Arrivals {
public:
    static constexpr std::uint32_t event_kinds = 3;
    enum Local : std::uint32_t { arrival, campaign, trace };  // a = source; b = campaign / row

    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        rng_.resize(cfg.sources.size());
        max_rate_.assign(cfg.sources.size(), 0.0);
        rate_.assign(cfg.sources.size(), 0.0);
        in_factor_.assign(cfg.sources.size(), 1.0);
        out_factor_.assign(cfg.sources.size(), 1.0);
        hours_.assign(cfg.sources.size(), 0);
        working_ = kernel::WorkingCalendar(cfg.simulation.calendar);
        const double w = working_.hours_per_week() / kernel::hours_per_week;
        for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
            const auto& sc = cfg.sources[i];
            rng_[i] = kernel::make_engine(cfg.simulation.seed, static_cast<std::uint64_t>(e.replication()),
                                          "source/" + sc.name + "/arrivals");
            double mult = 1.0;
            if (!sc.seasonality.empty()) mult = *std::max_element(sc.seasonality.begin(), sc.seasonality.end());
            // speed_to_lead.normalise: typical scales the written rate (SpeedToLead.hpp).
            rate_[i] = sc.rate_per_h * SpeedToLead::arrival_scale(sc);
            // working_hours_share p: rate x p / w inside working hours, x (1 - p) / (1 - w)
            // outside; the envelope is the larger of the two (validation: w < 1 unless p = 1).
            if (sc.working_hours_share && !working_.always() && w > 0.0 && w < 1.0) {
                const double p = *sc.working_hours_share;
                hours_[i] = 1;
                in_factor_[i] = p / w;
                out_factor_[i] = (1.0 - p) / (1.0 - w);
                mult *= std::max(in_factor_[i], out_factor_[i]);
            }
            max_rate_[i] = rate_[i] * mult;
        }
    }

    template <class E> void start(E& e) {
        const auto& cfg = e.cfg();
        const double horizon = e.horizon();
        for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
            const auto& sc = cfg.sources[i];
            const auto si = static_cast<std::uint32_t>(i);
            if (sc.kind == SourceKind::poisson && max_rate_[i] > 0.0) {
                const double t = boost::random::exponential_distribution<double>(max_rate_[i])(rng_[i]);
                if (t <= horizon) e.calendar().schedule(t, e.template event_kind<Arrivals>(arrival), si);
            }
            if (sc.kind == SourceKind::trace && !sc.trace.empty() && sc.trace[0].arrival_h <= horizon)
                e.calendar().schedule(sc.trace[0].arrival_h, e.template event_kind<Arrivals>(trace), si, 0);
            for (std::size_t c = 0; c < sc.campaigns.size(); ++c)
                if (sc.campaigns[c].at_h <= horizon)
                    e.calendar().schedule(sc.campaigns[c].at_h, e.template event_kind<Arrivals>(campaign), si,
                                          static_cast<std::uint32_t>(c));
        }
    }

    template <class E> void handle(E& e, std::uint32_t local, const kernel::Event& ev) {
        const auto& sc = e.cfg().sources[ev.a];
        switch (local) {
            case arrival: {
                auto& rng = rng_[ev.a];
                const double now = e.now();
                // Seasonality by thinning: candidates at the peak rate, kept with the
                // month's share of it.
                // With working_hours_share the kept share also follows the working calendar.
                bool accept = true;
                if (!sc.seasonality.empty() || hours_[ev.a]) {
                    double target = rate_[ev.a];
                    if (!sc.seasonality.empty()) {
                        const auto month =
                            static_cast<std::size_t>(std::fmod(std::floor(now / kernel::hours_per_month), 12.0));
                        target *= sc.seasonality[month];
                    }
                    if (hours_[ev.a]) target *= working_.is_working(now) ? in_factor_[ev.a] : out_factor_[ev.a];
                    accept = kernel::uniform01(rng) * max_rate_[ev.a] < target;
                }
                const double next = now + boost::random::exponential_distribution<double>(max_rate_[ev.a])(rng);
                if (next <= e.horizon()) e.calendar().schedule(next, ev.kind, ev.a);
                if (accept) e.lead_arrives(static_cast<int>(ev.a));
                break;
            }
            case campaign:
                for (int k = 0; k < sc.campaigns[ev.b].leads; ++k) e.lead_arrives(static_cast<int>(ev.a));
                break;
            case trace: {
                const auto& row = sc.trace[ev.b];
                auto& ss = e.source(static_cast<int>(ev.a));
                // Draw attributes even when the trace gives them, so streams stay aligned.
                double q = ss.quality.sample(ss.quality_rng);
                double v = ss.value.sample(ss.value_rng);
                if (row.quality) q = *row.quality;
                if (row.value) v = *row.value;
                if (ev.b + 1 < sc.trace.size() && sc.trace[ev.b + 1].arrival_h <= e.horizon())
                    e.calendar().schedule(std::max(e.now(), sc.trace[ev.b + 1].arrival_h), ev.kind, ev.a, ev.b + 1);
                e.lead_arrives_with(static_cast<int>(ev.a), q, v);
                break;
            }
            default: break;
        }
    }

private:
    std::vector<kernel::Engine> rng_;   // per source
    std::vector<double> max_rate_;      // per source: peak rate (thinning envelope)
    std::vector<double> rate_;          // per source: the written rate x SpeedToLead::arrival_scale
    std::vector<double> in_factor_;     // per source: p / w inside working hours (1 without the key)
    std::vector<double> out_factor_;    // per source: (1 - p) / (1 - w) outside them
    std::vector<char> hours_;           // per source: working_hours_share applies
    kernel::WorkingCalendar working_;   // simulation.calendar
};

}  // namespace salesflow::model::mechanisms
