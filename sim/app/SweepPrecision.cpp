#include "app/SweepPrecision.hpp"

#include <algorithm>

#include "app/Precision.hpp"

namespace salesflow::app {

int first_target(int replications, const SweepPrecision& p) { return std::min(std::max(replications, 2), p.cap); }

PointVerdict judge_point(const SweepPrecision& p, const std::vector<double>& m, int n, std::size_t scenarios) {
    PointVerdict v;
    bool enough = true;
    std::vector<double> values(static_cast<std::size_t>(n));
    for (std::size_t s = scenarios == 1 ? 0 : 1; s < scenarios; ++s) {
        for (int r = 0; r < n; ++r) {
            const auto at = static_cast<std::size_t>(r) * scenarios;
            const double x = m[at + s];
            values[static_cast<std::size_t>(r)] = scenarios == 1 ? x : x - m[at];
        }
        const auto c = check_precision(values, p.target_percent);
        enough = enough && c.enough;
        v.achieved_percent = std::max(v.achieved_percent, c.relative_half_width);
    }
    v.done = enough || n >= p.cap;
    if (!v.done) v.next = next_replication_count(n, v.achieved_percent, p.target_percent, 1, p.cap);
    return v;
}

}  // namespace salesflow::app
