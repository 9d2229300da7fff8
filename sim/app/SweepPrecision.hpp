#pragma once
// SweepPrecision: `sweep --precision P --metric M [--max-replications N]`, point by point.
// Each point starts with the sweep's replications (at least 2, at most N); after each
// batch the 95% half-width of M's mean (one scenario) or of the paired difference of M
// from the first scenario (several scenarios, the worst of them) is compared with P% of
// that mean, as `run` and `compare` do (app/Precision.hpp); when it is larger and fewer
// than N replications ran, the point grows to next_replication_count(n, achieved, P, 1, N)
// replications and is judged again. The verdict depends only on the point's own numbers,
// so a point's replications do not depend on threads, MPI ranks, or which points ran
// beside it.
#include <cstddef>
#include <string>
#include <vector>

namespace salesflow::app {

struct SweepPrecision {
    double target_percent = 0.0;
    std::string metric;
    int cap = 1000;            // --max-replications
    std::size_t column = 0;    // M's column among the sweep's metrics
};

struct PointVerdict {
    bool done = false;                 // precise enough, or at the cap
    double achieved_percent = 0.0;     // relative half-width now, in percent
    int next = 0;                      // when not done: the replications to have next
};

// The replications a point starts with.
int first_target(int replications, const SweepPrecision& p);

// `values`: M's n x scenarios values of the point so far, replication-major (value
// r x scenarios + s).
PointVerdict judge_point(const SweepPrecision& p, const std::vector<double>& values, int n, std::size_t scenarios);

}  // namespace salesflow::app
