#pragma once
// DistributionLimits: what each distribution family can really sample. The validator's
// ranges (mean > 0, sd >= 0, ...) admit parameters that no sampler reproduces: a gamma
// with sd 1e200 times its mean has a shape parameter that underflows to 0, a lognormal
// or constant of 1e300 overflows to infinity once a run adds a few thousand draws. These
// limits (docs/limits.md, "Distributions") keep every draw, its mean and the sums of a
// run finite and faithful. Kernel-free: it judges a DistributionSpec as plain data.
#include <string>

#include "kernel/DistributionSpec.hpp"

namespace salesflow::input {

struct DistributionLimits {
    // Largest value, bound, mean or sd (hours for times, the currency for amounts): a
    // run's sums (10^8 leads at most) stay far from overflow.
    static constexpr double max_value = 1e15;
    // Smallest mean of exponential, lognormal and gamma (hours: 3.6 microseconds).
    static constexpr double min_mean = 1e-9;
    // Largest coefficient of variation (sd / mean) of lognormal and gamma: beyond it a
    // gamma's shape (mean/sd)^2 is below 1e-4 and its draws underflow to 0, and a
    // lognormal's mean is carried by draws too rare to appear in a run.
    static constexpr double max_cv = 100.0;
    // Shape parameters a and b of beta.
    static constexpr double min_shape = 1e-3;
    static constexpr double max_shape = 1e6;
};

// Why `d` cannot be sampled faithfully (a reason naming the parameter and the limit), or
// empty when it can.
std::string sampling_problem(const kernel::DistributionSpec& d);

}  // namespace salesflow::input
