#include "design/InverseCdf.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>

#include "kernel/Distribution.hpp"

namespace salesflow::design {

namespace {
constexpr double tiny = 0x1.0p-53;

double clamp_open(double u) { return std::clamp(u, tiny, 1.0 - tiny); }

void check_finite(const kernel::DistributionSpec& s) {
    const char* name = kernel::family_name(s.family);
    if (!std::isfinite(s.p1) || !std::isfinite(s.p2) || !std::isfinite(s.p3))
        throw std::invalid_argument(std::string(name) + " parameters must be finite numbers");
    for (double v : s.values)
        if (!std::isfinite(v)) throw std::invalid_argument(std::string(name) + " values must be finite numbers");
}
}  // namespace

// Parameter layout: constant a = value; exponential a = mean; uniform a = min, b = max;
// triangular a = min, b = mode, c = max; pert a = alpha, b = beta (of the Beta),
// c = min, mean_ offset by range stored in sorted_ = {range}; lognormal a = mu, b = sigma;
// gamma a = shape, b = scale; beta a, b; empirical sorted_.
InverseCdf::InverseCdf(const kernel::DistributionSpec& s) : family_(s.family) {
    check_finite(s);
    const kernel::Distribution checked(s);  // the kernel's parameter checks and messages
    mean_ = checked.mean();
    family_ = checked.family();             // a lognormal with sd 0 is a constant
    switch (s.family) {
        case kernel::DistFamily::constant: a_ = s.p1; break;
        case kernel::DistFamily::exponential: a_ = s.p1; break;
        case kernel::DistFamily::uniform: a_ = s.p1, b_ = s.p2; break;
        case kernel::DistFamily::triangular: a_ = s.p1, b_ = s.p2, c_ = s.p3; break;
        case kernel::DistFamily::pert: {
            const double range = s.p3 - s.p1;
            a_ = 1.0 + 4.0 * (s.p2 - s.p1) / range;
            b_ = 1.0 + 4.0 * (s.p3 - s.p2) / range;
            c_ = s.p1;
            sorted_ = {range};
            break;
        }
        case kernel::DistFamily::lognormal: {
            const double sigma2 = std::log1p((s.p2 * s.p2) / (s.p1 * s.p1));
            a_ = std::log(s.p1) - 0.5 * sigma2;
            b_ = std::sqrt(sigma2);
            if (family_ == kernel::DistFamily::constant) a_ = s.p1;
            break;
        }
        case kernel::DistFamily::gamma:
            a_ = (s.p1 * s.p1) / (s.p2 * s.p2);
            b_ = (s.p2 * s.p2) / s.p1;
            break;
        case kernel::DistFamily::beta: a_ = s.p1, b_ = s.p2; break;
        case kernel::DistFamily::empirical:
            sorted_ = s.values;
            std::sort(sorted_.begin(), sorted_.end());
            break;
    }
}

double InverseCdf::operator()(double u) const {
    u = std::isnan(u) ? 0.5 : std::clamp(u, 0.0, 1.0);
    switch (family_) {
        case kernel::DistFamily::constant: return a_;
        case kernel::DistFamily::exponential: return -a_ * std::log1p(-clamp_open(u));
        case kernel::DistFamily::uniform: return a_ + u * (b_ - a_);
        case kernel::DistFamily::triangular: {
            const double range = c_ - a_;
            const double split = (b_ - a_) / range;
            if (u < split) return a_ + std::sqrt(u * range * (b_ - a_));
            return c_ - std::sqrt((1.0 - u) * range * (c_ - b_));
        }
        case kernel::DistFamily::pert:
            return c_ + sorted_[0] * boost::math::quantile(boost::math::beta_distribution<double>(a_, b_), u);
        case kernel::DistFamily::lognormal:
            return std::exp(a_ + b_ * boost::math::quantile(boost::math::normal_distribution<double>(), clamp_open(u)));
        case kernel::DistFamily::gamma:
            return boost::math::quantile(boost::math::gamma_distribution<double>(a_, b_), clamp_open(u));
        case kernel::DistFamily::beta:
            return boost::math::quantile(boost::math::beta_distribution<double>(a_, b_), u);
        case kernel::DistFamily::empirical: {
            auto i = static_cast<std::size_t>(u * static_cast<double>(sorted_.size()));
            if (i >= sorted_.size()) i = sorted_.size() - 1;
            return sorted_[i];
        }
    }
    return 0.0;
}

}  // namespace salesflow::design
