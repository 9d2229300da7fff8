#include "kernel/Tally.hpp"

#include <algorithm>
#include <cmath>

namespace salesflow::kernel {

double Tally::variance() const {
    if (n_ < 2) return 0.0;
    const double n = static_cast<double>(n_);
    return std::max(0.0, (s2_ - s1_ * s1_ / n) / (n - 1.0));
}
double Tally::sd() const { return std::sqrt(variance()); }

}  // namespace salesflow::kernel
