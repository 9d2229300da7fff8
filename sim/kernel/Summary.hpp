#pragma once
// Summary: what a set of independent replications says about a quantity: mean, sample
// sd and the two-sided 95% Student-t confidence interval of the mean.
#include <cstdint>
#include <span>

namespace salesflow::kernel {

struct Summary {
    double mean = 0.0;
    double sd = 0.0;
    double ci_low = 0.0;
    double ci_high = 0.0;
    std::int64_t n = 0;
    double half_width() const { return 0.5 * (ci_high - ci_low); }
};

// Quantile of Student's t with df degrees of freedom (Boost.Math), e.g. p = 0.975.
double student_t_quantile(double p, double df);

// Summary of observations; with n < 2 the interval collapses to the mean.
Summary summarize(std::span<const double> x, double confidence = 0.95);

}  // namespace salesflow::kernel
