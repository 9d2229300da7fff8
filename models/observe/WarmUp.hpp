#pragma once
// WarmUp: at the end of the warm-up every statistic restarts its time averages; counts
// and tallies look at the time of each event themselves (`measuring()`).
#include "kernel/EventCalendar.hpp"

namespace salesflow::model::observe {

class WarmUp {
public:
    static constexpr std::uint32_t event_kinds = 1;
    template <class E> void start(E& e) {
        if (e.warmup() > 0.0) e.calendar().schedule(e.warmup(), e.template event_kind<WarmUp>(0));
    }
    template <class E> void handle(E& e, std::uint32_t, const kernel::Event&) { e.warmup_ended(); }
};

}  // namespace salesflow::model::observe
