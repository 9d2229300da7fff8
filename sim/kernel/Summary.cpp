#include "kernel/Summary.hpp"

#include <cmath>

#include <boost/math/distributions/students_t.hpp>

#include "kernel/Tally.hpp"

namespace salesflow::kernel {

double student_t_quantile(double p, double df) {
    boost::math::students_t dist(df);
    return boost::math::quantile(dist, p);
}

Summary summarize(std::span<const double> x, double confidence) {
    Tally t;
    for (double v : x) t.add(v);
    Summary s;
    s.n = t.count();
    s.mean = t.mean();
    s.sd = t.sd();
    s.ci_low = s.ci_high = s.mean;
    if (s.n >= 2) {
        const double q = student_t_quantile(0.5 + 0.5 * confidence, static_cast<double>(s.n - 1));
        const double h = q * s.sd / std::sqrt(static_cast<double>(s.n));
        s.ci_low = s.mean - h;
        s.ci_high = s.mean + h;
    }
    return s;
}

}  // namespace salesflow::kernel
