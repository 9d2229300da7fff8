#pragma once
// DistributionSpec: a random quantity as the user wrote it (family plus the parameters
// the user thinks in: mean and sd, three-point estimates, ...). Plain data; a kernel
// Distribution is built once from it and sampled many times.
#include <string>
#include <vector>

namespace salesflow::kernel {

enum class DistFamily { constant, exponential, uniform, triangular, pert, lognormal, gamma, beta, empirical };

struct DistributionSpec {
    DistFamily family = DistFamily::constant;
    // Parameter meaning per family:
    //   constant: p1 = value;        exponential: p1 = mean
    //   uniform: p1 = min, p2 = max; triangular/pert: p1 = min, p2 = mode, p3 = max
    //   lognormal/gamma: p1 = mean, p2 = sd;  beta: p1 = a, p2 = b
    //   empirical: values
    double p1 = 0.0;
    double p2 = 0.0;
    double p3 = 0.0;
    std::vector<double> values;

    static DistributionSpec constant(double v) { return {DistFamily::constant, v, 0, 0, {}}; }
    static DistributionSpec exponential(double mean) { return {DistFamily::exponential, mean, 0, 0, {}}; }
    static DistributionSpec uniform(double lo, double hi) { return {DistFamily::uniform, lo, hi, 0, {}}; }
    static DistributionSpec triangular(double lo, double mode, double hi) { return {DistFamily::triangular, lo, mode, hi, {}}; }
    static DistributionSpec pert(double lo, double mode, double hi) { return {DistFamily::pert, lo, mode, hi, {}}; }
    static DistributionSpec lognormal(double mean, double sd) { return {DistFamily::lognormal, mean, sd, 0, {}}; }
    static DistributionSpec gamma(double mean, double sd) { return {DistFamily::gamma, mean, sd, 0, {}}; }
    static DistributionSpec beta(double a, double b) { return {DistFamily::beta, a, b, 0, {}}; }
    static DistributionSpec empirical(std::vector<double> v) { return {DistFamily::empirical, 0, 0, 0, std::move(v)}; }

    bool is_constant_zero() const { return family == DistFamily::constant && p1 == 0.0; }
};

// Name of a family as written in scenario files ("lognormal", ...).
const char* family_name(DistFamily f);

}  // namespace salesflow::kernel
