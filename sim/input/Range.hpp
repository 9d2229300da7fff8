#pragma once
// Range: the interval a number must lie in, with its wording for messages (">= 0",
// "> 0", "in [0, 1]", "in (0, 1]").
#include <limits>
#include <string>

namespace salesflow::input {

struct Range {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool lo_open = false;  // lo itself excluded
    bool hi_open = false;  // hi itself excluded

    static Range any() { return {}; }
    static Range at_least(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, false}; }
    static Range above(double lo) { return {lo, std::numeric_limits<double>::infinity(), true, false}; }
    static Range closed(double lo, double hi) { return {lo, hi, false, false}; }
    static Range probability() { return closed(0.0, 1.0); }

    bool contains(double v) const;
    // ">= 0", "> 0", "<= 24", "in [0, 1]"; empty for the whole line.
    std::string str() const;
};

}  // namespace salesflow::input
