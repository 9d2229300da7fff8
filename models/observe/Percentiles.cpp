#include "models/observe/Percentiles.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace salesflow::model::observe {

std::vector<double> percentiles(std::vector<double>& v, std::initializer_list<double> qs) {
    std::vector<double> out;
    std::size_t from = 0;
    for (double q : qs) {
        if (v.empty()) {
            out.push_back(0.0);
            continue;
        }
        const double pos = q * static_cast<double>(v.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const auto first = v.begin() + static_cast<std::ptrdiff_t>(from);
        std::nth_element(first, v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
        const double a = v[lo];
        double b = a;
        if (lo + 1 < v.size()) b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
        out.push_back(a + (b - a) * (pos - static_cast<double>(lo)));
        from = lo;
    }
    return out;
}

}  // namespace salesflow::model::observe
