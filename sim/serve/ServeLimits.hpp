#pragma once
// ServeLimits: the bounds of one request to `salesflow serve` (docs/serve.md). A request
// beyond a bound is refused with a message naming the bound; a run that reaches the event
// or time bound while running is stopped (ModelOptions::stop) and refused the same way.
#include <chrono>
#include "kernel/Time.hpp"
#include <cstddef>

namespace salesflow::serve {

struct ServeLimits {
    double max_horizon_h = 260.0 * kernel::hours_per_week;     // 260 weeks (five years), the workshop pack's longest run
    std::size_t max_events = 500'000;          // flow events of one run
    int max_people = 2'000;                    // sum of headcounts
    long max_campaign_leads = 100'000;         // leads of all campaigns together
    std::size_t max_series_rows = 20'000;      // horizon / sample_every
    int max_replication = 9'999;               // replication index 0..this
    std::size_t max_sets = 64;                 // overrides per request
    std::size_t max_set_chars = 1'000;         // characters per override
    std::size_t max_body_bytes = 64 * 1024;    // request body
    std::chrono::milliseconds run_budget{10'000};  // wall-clock time of one run
    std::size_t max_waiting_runs = 64;         // runs queued for a worker; beyond, 503
    std::size_t cache_entries = 64;            // finished runs kept (same scenario, overrides, replication)
    std::size_t cache_bytes = std::size_t{256} << 20;
};

}  // namespace salesflow::serve
