#include "kernel/Distribution.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/beta_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>

namespace salesflow::kernel {

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
            return values_[0] + values_[1] * boost::random::beta_distribution<double>(a_, b_)(e);
        case DistFamily::lognormal:
            return boost::random::lognormal_distribution<double>(a_, b_)(e);
        case DistFamily::gamma:
            return boost::random::gamma_distribution<double>(a_, b_)(e);
        case DistFamily::beta:
            return boost::random::beta_distribution<double>(a_, b_)(e);
        case DistFamily::empirical: {
            auto i = static_cast<std::size_t>(uniform01(e) * static_cast<double>(values_.size()));
            if (i >= values_.size()) i = values_.size() - 1;
            return values_[i];
        }
    }
    return 0.0;
}

}  // namespace salesflow::kernel
