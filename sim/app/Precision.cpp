#include "app/Precision.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernel/Summary.hpp"

namespace salesflow::app {

PrecisionCheck check_precision(std::span<const double> values, double target_percent) {
    PrecisionCheck c;
    if (values.size() < 2) {
        c.relative_half_width = std::numeric_limits<double>::infinity();
        return c;
    }
    const auto s = kernel::summarize(values);
    const double h = s.half_width();
    if (s.mean != 0.0) {
        c.relative_half_width = 100.0 * h / std::abs(s.mean);
    } else {
        // A mean of exactly 0 is precise only if every value is 0.
        c.relative_half_width = h == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
    }
    c.enough = c.relative_half_width <= target_percent;
    return c;
}

int next_replication_count(int n, double relative_half_width, double target_percent, int min_step, int cap) {
    double want = static_cast<double>(n) + min_step;
    if (std::isfinite(relative_half_width) && target_percent > 0.0) {
        // Half-width shrinks like 1/sqrt(n): aim straight at the target, 10% beyond.
        const double ratio = relative_half_width / target_percent;
        want = std::max(want, std::ceil(1.1 * n * ratio * ratio));
    }
    return static_cast<int>(std::min<double>(want, cap));
}

}  // namespace salesflow::app
