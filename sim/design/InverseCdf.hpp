#pragma once
// InverseCdf: turns a unit value u in [0, 1) into a value of a distribution by its
// quantile function, so that a Latin hypercube over [0, 1)^d becomes one over the
// uncertain assumptions (docs/study-method.md, "Inverse CDFs"). The distribution is a
// kernel::DistributionSpec with the kernel's parameter meanings (DistributionSpec.hpp):
//   constant      value
//   exponential   -mean * log(1 - u)
//   uniform       min + u (max - min)
//   triangular    closed form: min + sqrt(u (max-min)(mode-min)) when u < (mode-min)/(max-min),
//                 else max - sqrt((1-u)(max-min)(max-mode))
//   pert          min + (max - min) * Beta(1 + 4 (mode-min)/(max-min), 1 + 4 (max-mode)/(max-min)) quantile
//   lognormal     exp(mu + sigma * Phi^-1(u)), sigma^2 = log(1 + sd^2/mean^2), mu = log(mean) - sigma^2/2
//   gamma         Gamma(shape = mean^2/sd^2, scale = sd^2/mean) quantile
//   beta          Beta(a, b) quantile
//   empirical     the sorted values v_(0..m-1): v_(floor(u m))
// (Boost.Math quantiles.) For families unbounded below or above, u is first clamped to
// [2^-53, 1 - 2^-53] so the result is finite. The parameters are checked as the kernel
// checks them (kernel::Distribution's constructor): impossible ones throw
// std::invalid_argument with the kernel's message. mean() is the distribution's mean.
#include <stdexcept>
#include <vector>

#include "kernel/DistributionSpec.hpp"

namespace salesflow::design {

class InverseCdf {
public:
    explicit InverseCdf(const kernel::DistributionSpec& spec);  // throws std::invalid_argument

    // The u-quantile, u in [0, 1] (values outside are clamped). No allocation.
    double operator()(double u) const;
    double mean() const { return mean_; }
    kernel::DistFamily family() const { return family_; }

private:
    kernel::DistFamily family_;
    double a_ = 0.0, b_ = 0.0, c_ = 0.0;  // family-natural parameters (InverseCdf.cpp)
    double mean_ = 0.0;
    std::vector<double> sorted_;          // empirical
};

}  // namespace salesflow::design
