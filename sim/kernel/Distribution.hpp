#pragma once
// Distribution: a random quantity ready to sample. Built once from a DistributionSpec
// (converting the user's parameters, e.g. mean/sd of a lognormal, into the family's
// natural ones); sampling is a switch on the family with no allocation.
#include <vector>

#include <boost/random/exponential_distribution.hpp>

#include "kernel/DistributionSpec.hpp"
#include "kernel/RandomStreams.hpp"

namespace salesflow::kernel {

// A Gamma(shape, 1) draw (Marsaglia and Tsang 2000); shape > 0.
double standard_gamma(double shape, Engine& e);

class Distribution {
public:
    Distribution() = default;  // constant 0
    explicit Distribution(const DistributionSpec& spec);

    // Constants and exponentials (the most common families on hot paths) inline; the
    // rest out of line.
    double sample(Engine& e) const {
        if (family_ == DistFamily::constant) return a_;
        if (family_ == DistFamily::exponential) return boost::random::exponential_distribution<double>(a_)(e);
        return sample_other(e);
    }
    double mean() const { return mean_; }
    double variance() const { return variance_; }
    // Squared coefficient of variation (variance / mean^2); 0 when the mean is 0.
    double scv() const { return mean_ != 0.0 ? variance_ / (mean_ * mean_) : 0.0; }
    bool is_constant() const { return family_ == DistFamily::constant; }
    DistFamily family() const { return family_; }

private:
    double sample_other(Engine& e) const;

    DistFamily family_ = DistFamily::constant;
    double a_ = 0.0;  // family-natural parameters, see Distribution.cpp
    double b_ = 0.0;
    double c_ = 0.0;
    double mean_ = 0.0;
    double variance_ = 0.0;
    std::vector<double> values_;
};

}  // namespace salesflow::kernel
