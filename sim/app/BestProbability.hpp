#pragma once
// BestProbability: over paired replications (replication r of every organisation meets
// the same leads), the share of replications in which each organisation is best on a
// metric, with a Wilson 95% interval. Ties split: when t organisations share the best
// value in a replication, each gets 1/t of it.
#include <vector>

#include "models/MetricCatalog.hpp"

namespace salesflow::app {

struct BestShare {
    double share = 0.0;    // replications in which it is best / replications
    double ci_low = 0.0;   // Wilson score interval, 95%
    double ci_high = 0.0;
};

// values[k][r]: organisation k's value in replication r (every k the same number of
// replications, at least 1). `direction` is higher or lower. One BestShare per k; the
// shares add up to 1.
std::vector<BestShare> best_probability(const std::vector<std::vector<double>>& values, model::Direction direction);

// Wilson's 95% score interval for `successes` (may be fractional: split ties) out of n.
BestShare wilson_interval(double successes, double n);

}  // namespace salesflow::app
