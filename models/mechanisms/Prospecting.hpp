#pragma once
// Prospecting: people of a role with a prospecting policy find leads for a prospecting
// source. `when_idle`: they prospect whenever no pipeline work is waiting for them;
// `reserved`: they also prospect first whenever their prospecting hours since time 0 are
// below the reserved share of their working hours. Finding one prospect takes an effort
// drawn from the source's `prospecting.effort` (at least one minute); it is worked in
// blocks of at most `prospecting.block` working hours, and between blocks the person
// looks at waiting pipeline work first, so prospecting delays a new lead by at most one
// block. When a prospect's effort is done, they answer and become a lead after the
// source's `prospecting.lag` (calendar time).
#include <algorithm>
#include <string>
#include <vector>

#include "kernel/Distribution.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "models/ScenarioConfig.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class Prospecting {
public:
    static constexpr std::uint32_t event_kinds = 1;
    enum Local : std::uint32_t { reply };  // a = source: a prospect found earlier answers

    template <class E> void build(E& e) {
        const auto& cfg = e.cfg();
        const auto seed = cfg.simulation.seed;
        const auto r = static_cast<std::uint64_t>(e.replication());
        sources_.assign(cfg.sources.size(), PerSource{});
        for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
            const auto& sc = cfg.sources[i];
            auto& ps = sources_[i];
            ps.effort = kernel::Distribution(sc.prospecting_effort);
            ps.lag = kernel::Distribution(sc.prospecting_lag);
            // Streams only for a source some role prospects for (the others are never
            // read; a stream depends on its name alone, so skipping one changes no draw).
            bool fed = false;
            for (const auto& rc : cfg.roles) fed = fed || rc.prospecting_source == static_cast<int>(i);
            if (!fed) continue;
            const std::string p = "source/" + sc.name + "/";
            ps.effort_rng = kernel::make_engine(seed, r, p + "prospecting");
            ps.lag_rng = kernel::make_engine(seed, r, p + "prospecting-lag");
        }
    }

    // Reserved share first: prospect whenever behind it.
    template <class E> bool before_pick(E& e, int p) {
        const engine::Person& person = e.person(p);
        const auto& rc = e.cfg().roles[static_cast<std::size_t>(person.role)];
        if (rc.prospecting != ProspectingPolicy::reserved) return false;
        const double worked = e.working_hours_until(person.role, e.now());
        if (person.prospect_total_h < rc.prospecting_share * worked) {
            start(e, p);
            return true;
        }
        return false;
    }

    // No pipeline work: prospect if the role prospects at all.
    template <class E> bool when_idle(E& e, int p) {
        const auto& rc = e.cfg().roles[static_cast<std::size_t>(e.person(p).role)];
        if (rc.prospecting == ProspectingPolicy::none) return false;
        start(e, p);
        return true;
    }

    template <class E> void on_session_end(E& e, int p, double, double end_wh) {
        engine::Person& person = e.person(p);
        if (person.task == engine::TaskKind::prospecting) person.prospect_total_h += end_wh - person.start_wh;
    }

    // A block ended; when the prospect's effort is done, they answer after the lag.
    template <class E> void on_task_done(E& e, int p, engine::TaskKind kind) {
        if (kind != engine::TaskKind::prospecting) return;
        engine::Person& person = e.person(p);
        person.prospect_left -= person.session_work;
        if (person.prospect_left > 1e-9) return;  // more blocks to go
        person.prospect_left = 0.0;
        const int src = e.cfg().roles[static_cast<std::size_t>(person.role)].prospecting_source;
        auto& ps = sources_[static_cast<std::size_t>(src)];
        const double lag = ps.lag.is_constant() ? ps.lag.mean() : std::max(0.0, ps.lag.sample(ps.lag_rng));
        if (lag <= 0.0) {
            e.lead_arrives(src);
        } else if (e.now() + lag <= e.horizon()) {
            e.calendar().schedule(e.now() + lag, e.template event_kind<Prospecting>(reply), static_cast<std::uint32_t>(src));
        }
    }

    template <class E> void handle(E& e, std::uint32_t, const kernel::Event& ev) { e.lead_arrives(static_cast<int>(ev.a)); }

private:
    template <class E> void start(E& e, int p) {
        engine::Person& person = e.person(p);
        const auto& rc = e.cfg().roles[static_cast<std::size_t>(person.role)];
        const auto& sc = e.cfg().sources[static_cast<std::size_t>(rc.prospecting_source)];
        auto& ps = sources_[static_cast<std::size_t>(rc.prospecting_source)];
        // A new prospect: its effort, with a floor that keeps a zero-effort distribution
        // from looping at one instant.
        if (person.prospect_left <= 0.0) person.prospect_left = std::max(1.0 / 60.0, ps.effort.sample(ps.effort_rng));
        const double work = sc.prospecting_block_h > 0.0 ? std::min(person.prospect_left, sc.prospecting_block_h)
                                                          : person.prospect_left;
        e.begin_task(p, engine::TaskKind::prospecting, work, work / rc.availability);
    }

    struct PerSource {
        kernel::Engine effort_rng;
        kernel::Engine lag_rng;
        kernel::Distribution effort;
        kernel::Distribution lag;
    };
    std::vector<PerSource> sources_;
};

}  // namespace salesflow::model::mechanisms
