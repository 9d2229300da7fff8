#include "app/BestProbability.hpp"

#include <algorithm>
#include <cmath>

namespace salesflow::app {

BestShare wilson_interval(double successes, double n) {
    BestShare b;
    if (n <= 0.0) return BestShare{NAN, NAN, NAN};
    const double z = 1.959963984540054;
    const double p = successes / n;
    const double z2n = z * z / n;
    const double centre = (p + z2n / 2.0) / (1.0 + z2n);
    const double half = z / (1.0 + z2n) * std::sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n));
    b.share = p;
    b.ci_low = std::max(0.0, centre - half);
    b.ci_high = std::min(1.0, centre + half);
    return b;
}

std::vector<BestShare> best_probability(const std::vector<std::vector<double>>& values, model::Direction direction) {
    const std::size_t k = values.size();
    std::size_t reps = k == 0 ? 0 : values[0].size();
    for (const auto& v : values) reps = std::min(reps, v.size());
    std::vector<double> wins(k, 0.0);
    const double sign = direction == model::Direction::lower ? -1.0 : 1.0;
    for (std::size_t r = 0; r < reps; ++r) {
        double best = -INFINITY;
        for (std::size_t s = 0; s < k; ++s) best = std::max(best, sign * values[s][r]);
        std::size_t tied = 0;
        for (std::size_t s = 0; s < k; ++s) tied += sign * values[s][r] == best ? 1 : 0;
        if (tied == 0) continue;  // every value NaN
        for (std::size_t s = 0; s < k; ++s)
            if (sign * values[s][r] == best) wins[s] += 1.0 / static_cast<double>(tied);
    }
    std::vector<BestShare> out;
    for (std::size_t s = 0; s < k; ++s) out.push_back(wilson_interval(wins[s], static_cast<double>(reps)));
    return out;
}

}  // namespace salesflow::app
