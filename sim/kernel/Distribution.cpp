#include "kernel/Distribution.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>

namespace salesflow::kernel {

// Gamma(shape, 1) by Marsaglia and Tsang (2000), "A simple method for generating gamma
// variables", ACM TOMS 26(3): for shape >= 1, d = shape - 1/3 and c = 1/sqrt(9d); draw a
// standard normal x, v = (1 + c x)^3, accept d v when v > 0 and u < 1 - 0.0331 x^4 (the
// squeeze, taken ~98% of the time) or log u < x^2/2 + d (1 - v + log v). Exact, and about
// a tenth of the work of Boost.Random's gamma (rejection with tan()). For shape < 1,
// Gamma(shape) = Gamma(shape + 1) U^(1/shape). Beta(a, b) = X / (X + Y) with X, Y gamma.
double standard_gamma(double shape, Engine& e) {
    if (shape < 1.0) {
        const double u = 1.0 - uniform01(e);  // (0, 1]
        return standard_gamma(shape + 1.0, e) * std::pow(u, 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    boost::random::normal_distribution<double> normal(0.0, 1.0);
    for (;;) {
        double x, v;
        do {
            x = normal(e);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = uniform01(e);
        const double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
        if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
    }
}

namespace {
double beta_draw(double a, double b, Engine& e) {
    const double x = standard_gamma(a, e);
    const double y = standard_gamma(b, e);
    const double s = x + y;
    return s > 0.0 ? x / s : (a >= b ? 1.0 : 0.0);  // both underflowed (tiny shapes): the likelier end
}
}  // namespace

// Parameter layout after construction:
//   constant a=value; exponential a=rate; uniform a=min b=max; triangular a=min b=mode c=max;
//   pert a=alpha b=beta of the underlying Beta, values_ = {min, max - min}; lognormal a=mu b=sigma (of the log); gamma a=shape b=scale; beta a, b.
Distribution::Distribution(const DistributionSpec& s) : family_(s.family) {
    switch (s.family) {
        case DistFamily::constant:
            a_ = s.p1;
            mean_ = s.p1;
            variance_ = 0.0;
            break;
        case DistFamily::exponential:
            if (!(s.p1 > 0.0)) throw std::invalid_argument("exponential mean must be > 0");
            a_ = 1.0 / s.p1;
            mean_ = s.p1;
            variance_ = s.p1 * s.p1;
            break;
        case DistFamily::uniform:
            if (!(s.p1 <= s.p2)) throw std::invalid_argument("uniform needs min <= max");
            a_ = s.p1;
            b_ = s.p2;
            mean_ = 0.5 * (s.p1 + s.p2);
            variance_ = (s.p2 - s.p1) * (s.p2 - s.p1) / 12.0;
            break;
        case DistFamily::triangular:
            if (!(s.p1 <= s.p2 && s.p2 <= s.p3 && s.p1 < s.p3))
                throw std::invalid_argument("triangular needs min <= mode <= max, min < max");
            a_ = s.p1;
            b_ = s.p2;
            c_ = s.p3;
            mean_ = (s.p1 + s.p2 + s.p3) / 3.0;
            variance_ = (s.p1 * s.p1 + s.p2 * s.p2 + s.p3 * s.p3 - s.p1 * s.p2 - s.p1 * s.p3 - s.p2 * s.p3) / 18.0;
            break;
        case DistFamily::pert: {
            if (!(s.p1 <= s.p2 && s.p2 <= s.p3 && s.p1 < s.p3))
                throw std::invalid_argument("pert needs min <= mode <= max, min < max");
            const double range = s.p3 - s.p1;
            const double alpha = 1.0 + 4.0 * (s.p2 - s.p1) / range;
            const double beta = 1.0 + 4.0 * (s.p3 - s.p2) / range;
            a_ = alpha;
            b_ = beta;
            values_ = {s.p1, range};
            mean_ = s.p1 + range * alpha / (alpha + beta);
            variance_ = range * range * alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1.0));
            break;
        }
        case DistFamily::lognormal: {
            if (!(s.p1 > 0.0) || !(s.p2 >= 0.0)) throw std::invalid_argument("lognormal needs mean > 0, sd >= 0");
            const double sigma2 = std::log1p((s.p2 * s.p2) / (s.p1 * s.p1));
            a_ = std::log(s.p1) - 0.5 * sigma2;
            b_ = std::sqrt(sigma2);
            mean_ = s.p1;
            variance_ = s.p2 * s.p2;
            if (b_ == 0.0) {  // degenerate: a constant
                family_ = DistFamily::constant;
                a_ = s.p1;
            }
            break;
        }
        case DistFamily::gamma:
            if (!(s.p1 > 0.0) || !(s.p2 > 0.0)) throw std::invalid_argument("gamma needs mean > 0, sd > 0");
            a_ = (s.p1 * s.p1) / (s.p2 * s.p2);  // shape
            b_ = (s.p2 * s.p2) / s.p1;           // scale
            mean_ = s.p1;
            variance_ = s.p2 * s.p2;
            break;
        case DistFamily::beta:
            if (!(s.p1 > 0.0) || !(s.p2 > 0.0)) throw std::invalid_argument("beta needs a > 0, b > 0");
            a_ = s.p1;
            b_ = s.p2;
            mean_ = s.p1 / (s.p1 + s.p2);
            variance_ = s.p1 * s.p2 / ((s.p1 + s.p2) * (s.p1 + s.p2) * (s.p1 + s.p2 + 1.0));
            break;
        case DistFamily::empirical: {
            if (s.values.empty()) throw std::invalid_argument("empirical needs at least one value");
            values_ = s.values;
            const double n = static_cast<double>(values_.size());
            mean_ = std::accumulate(values_.begin(), values_.end(), 0.0) / n;
            double ss = 0.0;
            for (double v : values_) ss += (v - mean_) * (v - mean_);
            variance_ = ss / n;  // the resampled population's variance
            break;
        }
    }
}

double Distribution::sample_other(Engine& e) const {
    switch (family_) {
        case DistFamily::constant:
            return a_;
        case DistFamily::exponential:
            return boost::random::exponential_distribution<double>(a_)(e);
        case DistFamily::uniform:
            return a_ + (b_ - a_) * uniform01(e);
        case DistFamily::triangular:
            return boost::random::triangle_distribution<double>(a_, b_, c_)(e);
        case DistFamily::pert:
            return values_[0] + values_[1] * beta_draw(a_, b_, e);
        case DistFamily::lognormal:
            return boost::random::lognormal_distribution<double>(a_, b_)(e);
        case DistFamily::gamma:
            return standard_gamma(a_, e) * b_;
        case DistFamily::beta:
            return beta_draw(a_, b_, e);
        case DistFamily::empirical: {
            auto i = static_cast<std::size_t>(uniform01(e) * static_cast<double>(values_.size()));
            if (i >= values_.size()) i = values_.size() - 1;
            return values_[i];
        }
    }
    return 0.0;
}

}  // namespace salesflow::kernel
