#include "input/Range.hpp"

#include <cmath>

#include "input/Quantities.hpp"

namespace salesflow::input {

bool Range::contains(double v) const {
    if (std::isnan(v)) return false;
    if (lo_open ? !(v > lo) : !(v >= lo)) return false;
    if (hi_open ? !(v < hi) : !(v <= hi)) return false;
    return true;
}

std::string Range::str() const {
    const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
    if (has_lo && has_hi)
        return std::string("in ") + (lo_open ? "(" : "[") + format_number(lo) + ", " + format_number(hi) + (hi_open ? ")" : "]");
    if (has_lo) return std::string(lo_open ? "> " : ">= ") + format_number(lo);
    if (has_hi) return std::string(hi_open ? "< " : "<= ") + format_number(hi);
    return {};
}

}  // namespace salesflow::input
