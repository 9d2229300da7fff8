#pragma once
// Percentiles with linear interpolation between order statistics (numpy's default), by
// selection rather than a full sort.
#include <initializer_list>
#include <vector>

namespace salesflow::model::observe {

// `qs` ascending; each selection only searches above the previous one. Reorders v; 0 for
// an empty v.
std::vector<double> percentiles(std::vector<double>& v, std::initializer_list<double> qs);

inline double ratio(double a, double b) { return b > 0.0 ? a / b : 0.0; }

}  // namespace salesflow::model::observe
