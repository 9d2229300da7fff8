#include <doctest/doctest.h>

#include <cmath>

#include "design/InverseCdf.hpp"
#include "design/LatinHypercube.hpp"

using salesflow::design::InverseCdf;
using salesflow::kernel::DistributionSpec;

namespace {
// The mean of the quantile function over u in (0, 1) by the midpoint rule: E[X].
double integral_mean(const InverseCdf& q, int n = 20000) {
    double s = 0.0;
    for (int i = 0; i < n; ++i) s += q((i + 0.5) / n);
    return s / n;
}
}  // namespace

TEST_CASE("closed forms: uniform, exponential, triangular, constant, empirical") {
    const InverseCdf uni(DistributionSpec::uniform(2.0, 6.0));
    CHECK(uni(0.25) == doctest::Approx(3.0));
    const InverseCdf ex(DistributionSpec::exponential(3.0));
    CHECK(ex(0.5) == doctest::Approx(3.0 * std::log(2.0)));
    CHECK(std::isfinite(ex(1.0)));
    // Triangular(0, 1, 4): F(x) = x^2/4 on [0, 1], 1 - (4-x)^2/12 on [1, 4].
    const InverseCdf tri(DistributionSpec::triangular(0.0, 1.0, 4.0));
    for (double x : {0.3, 0.9, 1.5, 3.2}) {
        const double f = x <= 1.0 ? x * x / 4.0 : 1.0 - (4.0 - x) * (4.0 - x) / 12.0;
        CHECK(tri(f) == doctest::Approx(x).epsilon(1e-12));
    }
    CHECK(tri(0.0) == 0.0);
    CHECK(tri(1.0) == 4.0);
    const InverseCdf mode_at_min(DistributionSpec::triangular(1.0, 1.0, 2.0));
    CHECK(mode_at_min(0.75) == doctest::Approx(2.0 - std::sqrt(0.25)));
    CHECK(InverseCdf(DistributionSpec::constant(7.5))(0.3) == 7.5);
    const InverseCdf emp(DistributionSpec::empirical({5.0, 1.0, 3.0, 2.0}));
    CHECK(emp(0.0) == 1.0);
    CHECK(emp(0.26) == 2.0);
    CHECK(emp(0.99) == 5.0);
}

TEST_CASE("the quantile function integrates to the kernel's mean for every family") {
    for (const DistributionSpec& s :
         {DistributionSpec::uniform(-1.0, 3.0), DistributionSpec::exponential(2.0), DistributionSpec::triangular(1.0, 2.0, 6.0),
          DistributionSpec::pert(1.0, 2.0, 6.0), DistributionSpec::lognormal(2.0, 0.8), DistributionSpec::gamma(3.0, 1.5),
          DistributionSpec::beta(2.0, 5.0), DistributionSpec::empirical({1.0, 2.0, 4.0, 8.0})}) {
        const InverseCdf q(s);
        CAPTURE(salesflow::kernel::family_name(s.family));
        CHECK(integral_mean(q) == doctest::Approx(q.mean()).epsilon(2e-3));
        double prev = q(0.0);  // non-decreasing
        for (int i = 1; i <= 100; ++i) {
            const double v = q(i / 100.0);
            CHECK(v >= prev);
            prev = v;
        }
    }
}

TEST_CASE("pert, lognormal and gamma quantiles at known points") {
    // PERT(0, 0.5, 1) is Beta(3, 3): symmetric, median 0.5.
    CHECK(InverseCdf(DistributionSpec::pert(0.0, 0.5, 1.0))(0.5) == doctest::Approx(0.5));
    // PERT(0, 0, 1) is Beta(1, 5): F(x) = 1 - (1-x)^5.
    CHECK(InverseCdf(DistributionSpec::pert(0.0, 0.0, 1.0))(1.0 - std::pow(0.7, 5)) == doctest::Approx(0.3));
    // Lognormal median = exp(mu) = mean / sqrt(1 + cv^2).
    CHECK(InverseCdf(DistributionSpec::lognormal(2.0, 1.0))(0.5) == doctest::Approx(2.0 / std::sqrt(1.25)));
    // Gamma with shape 1 is exponential: mean 2, sd 2.
    CHECK(InverseCdf(DistributionSpec::gamma(2.0, 2.0))(0.5) == doctest::Approx(2.0 * std::log(2.0)));
    // A lognormal with sd 0 is its mean.
    CHECK(InverseCdf(DistributionSpec::lognormal(3.0, 0.0))(0.9) == 3.0);
}

TEST_CASE("a Latin hypercube through inverse CDFs has the marginal's mean up to the stratification error") {
    const salesflow::design::LatinHypercube lhs(1000, 1, 9);
    const InverseCdf q(DistributionSpec::triangular(1.0, 2.0, 6.0));
    double s = 0.0;
    for (std::size_t i = 0; i < 1000; ++i) s += q(lhs.value(i, 0));
    CHECK(s / 1000 == doctest::Approx(3.0).epsilon(1e-3));
}

TEST_CASE("impossible parameters are refused with the kernel's messages") {
    CHECK_THROWS_WITH_AS(InverseCdf(DistributionSpec::triangular(3.0, 1.0, 2.0)), "triangular needs min <= mode <= max, min < max",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(InverseCdf(DistributionSpec::beta(0.0, 1.0)), "beta needs a > 0, b > 0", std::invalid_argument);
    CHECK_THROWS_WITH_AS(InverseCdf(DistributionSpec::uniform(0.0, INFINITY)), "uniform parameters must be finite numbers",
                         std::invalid_argument);
    CHECK_THROWS_AS(InverseCdf(DistributionSpec::gamma(1.0, -1.0)), std::invalid_argument);
}
