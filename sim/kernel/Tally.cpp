#include "kernel/Tally.hpp"

#include <cmath>

namespace salesflow::kernel {

double Tally::variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }
double Tally::sd() const { return std::sqrt(variance()); }

}  // namespace salesflow::kernel
