#pragma once
// Precision: replication control. Replications are added in batches until the 95%
// Student-t half-width of a metric's mean (or of a paired difference) is at most a target
// percentage of that mean, with a cap. Answers "how many replications do I need?".
#include <span>

namespace salesflow::app {

struct PrecisionCheck {
    bool enough = false;
    double relative_half_width = 0.0;  // half-width / |mean|, in percent (inf when the mean is 0)
};

// With fewer than 2 values the answer is never enough.
PrecisionCheck check_precision(std::span<const double> values, double target_percent);

// How many replications to have next: the classic n * (h / target)^2 estimate, at least
// `min_step` more than now, at most `cap`.
int next_replication_count(int n, double relative_half_width, double target_percent, int min_step, int cap);

}  // namespace salesflow::app
