#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/Distribution.hpp"

using salesflow::kernel::DistFamily;
using salesflow::kernel::Distribution;
using salesflow::kernel::DistributionSpec;
using salesflow::kernel::Engine;
using salesflow::kernel::make_engine;

namespace {
#ifdef SALESFLOW_SANITIZED
constexpr int draws = 50000;
#else
constexpr int draws = 200000;
#endif

struct Moments {
    double mean = 0, var = 0, m4 = 0, lo = 0, hi = 0;
};

// Two-pass sample moments (mean, unbiased variance, 4th central moment, range).
Moments sample_moments(const Distribution& d, Engine& e, int n) {
    std::vector<double> x(static_cast<std::size_t>(n));
    for (auto& v : x) v = d.sample(e);
    Moments m;
    m.lo = m.hi = x[0];
    for (double v : x) {
        m.mean += v;
        m.lo = std::min(m.lo, v);
        m.hi = std::max(m.hi, v);
    }
    m.mean /= n;
    double s2 = 0, s4 = 0;
    for (double v : x) {
        const double d2 = (v - m.mean) * (v - m.mean);
        s2 += d2;
        s4 += d2 * d2;
    }
    m.var = s2 / (n - 1);
    m.m4 = s4 / n;
    return m;
}

// The sample mean and variance of `draws` draws agree with mean()/variance() within 5
// standard errors: se(mean) = sqrt(var/n), se(s^2) = sqrt((mu4 - var^2)/n) with mu4 estimated.
void check_moments(const Distribution& d, const std::string& label) {
    CAPTURE(label);
    Engine e = make_engine(99, 0, "test/distribution/" + label);
    const Moments m = sample_moments(d, e, draws);
    const double n = draws;
    const double se_mean = std::sqrt(d.variance() / n);
    const double se_var = std::sqrt(std::max(m.m4 - m.var * m.var, 0.0) / n);
    CAPTURE(m.mean);
    CAPTURE(m.var);
    CHECK(std::abs(m.mean - d.mean()) <= 5.0 * se_mean);
    CHECK(std::abs(m.var - d.variance()) <= 5.0 * se_var);
}

Moments draw(const Distribution& d, const std::string& label, int n = 20000) {
    Engine e = make_engine(98, 0, "test/distribution/range/" + label);
    return sample_moments(d, e, n);
}
}  // namespace

TEST_CASE("Distribution: mean() and variance() are the closed forms") {
    SUBCASE("default is constant 0; constant") {
        Distribution z;
        Engine e = make_engine(1, 0, "x");
        CHECK(z.is_constant());
        CHECK(z.mean() == 0.0);
        CHECK(z.sample(e) == 0.0);
        Distribution c(DistributionSpec::constant(3.5));
        CHECK(c.family() == DistFamily::constant);
        CHECK(c.mean() == 3.5);
        CHECK(c.variance() == 0.0);
        CHECK(c.scv() == 0.0);
        for (int i = 0; i < 10; ++i) CHECK(c.sample(e) == 3.5);
    }
    SUBCASE("exponential(mean 3)") {
        Distribution d(DistributionSpec::exponential(3.0));
        CHECK(d.mean() == doctest::Approx(3.0).epsilon(1e-14));
        CHECK(d.variance() == doctest::Approx(9.0).epsilon(1e-14));
        CHECK(d.scv() == doctest::Approx(1.0).epsilon(1e-14));
    }
    SUBCASE("uniform(2, 5)") {
        Distribution d(DistributionSpec::uniform(2.0, 5.0));
        CHECK(d.mean() == doctest::Approx(3.5).epsilon(1e-14));
        CHECK(d.variance() == doctest::Approx(0.75).epsilon(1e-14));
    }
    SUBCASE("triangular(1, 2, 6): mean (a+m+b)/3, variance (a²+m²+b²-am-ab-mb)/18") {
        Distribution d(DistributionSpec::triangular(1.0, 2.0, 6.0));
        CHECK(d.mean() == doctest::Approx(3.0).epsilon(1e-14));
        CHECK(d.variance() == doctest::Approx(21.0 / 18.0).epsilon(1e-14));
    }
    SUBCASE("pert(2, 5, 14): mean (min + 4 mode + max)/6; Beta(2, 4) scaled by 12") {
        Distribution d(DistributionSpec::pert(2.0, 5.0, 14.0));
        CHECK(d.mean() == doctest::Approx((2.0 + 4.0 * 5.0 + 14.0) / 6.0).epsilon(1e-14));
        // alpha = 1 + 4 (5-2)/12 = 2, beta = 1 + 4 (14-5)/12 = 4: var = 144 * 8 / (36 * 7).
        CHECK(d.variance() == doctest::Approx(144.0 * 8.0 / (36.0 * 7.0)).epsilon(1e-14));
        Distribution sym(DistributionSpec::pert(0.0, 5.0, 10.0));  // Beta(3,3): var = 100/28
        CHECK(sym.mean() == doctest::Approx(5.0).epsilon(1e-14));
        CHECK(sym.variance() == doctest::Approx(100.0 / 28.0).epsilon(1e-14));
    }
    SUBCASE("lognormal: mean and sd of the value, as the user gave them") {
        Distribution d(DistributionSpec::lognormal(10.0, 5.0));
        CHECK(d.mean() == doctest::Approx(10.0).epsilon(1e-14));
        CHECK(d.variance() == doctest::Approx(25.0).epsilon(1e-14));
        CHECK(d.scv() == doctest::Approx(0.25).epsilon(1e-14));
        Distribution c(DistributionSpec::lognormal(4.0, 0.0));  // degenerate: a constant
        Engine e = make_engine(1, 0, "x");
        CHECK(c.is_constant());
        CHECK(c.sample(e) == 4.0);
        CHECK(c.mean() == 4.0);
    }
    SUBCASE("gamma(mean 4, sd 2) and gamma(mean 1, sd 2)") {
        Distribution d(DistributionSpec::gamma(4.0, 2.0));
        CHECK(d.mean() == doctest::Approx(4.0).epsilon(1e-14));
        CHECK(d.variance() == doctest::Approx(4.0).epsilon(1e-14));
        Distribution s(DistributionSpec::gamma(1.0, 2.0));
        CHECK(s.variance() == doctest::Approx(4.0).epsilon(1e-14));
        CHECK(s.scv() == doctest::Approx(4.0).epsilon(1e-14));
    }
    SUBCASE("beta(2, 5): mean a/(a+b), variance ab/((a+b)²(a+b+1))") {
        Distribution d(DistributionSpec::beta(2.0, 5.0));
        CHECK(d.mean() == doctest::Approx(2.0 / 7.0).epsilon(1e-14));
        CHECK(d.variance() == doctest::Approx(10.0 / (49.0 * 8.0)).epsilon(1e-14));
    }
    SUBCASE("empirical {1, 2, 2, 7}: population mean and variance") {
        Distribution d(DistributionSpec::empirical({1.0, 2.0, 2.0, 7.0}));
        CHECK(d.mean() == doctest::Approx(3.0).epsilon(1e-14));
        CHECK(d.variance() == doctest::Approx(5.5).epsilon(1e-14));
    }
}

TEST_CASE("Distribution: sample mean and variance match mean() and variance()") {
    check_moments(Distribution(DistributionSpec::exponential(3.0)), "exponential");
    check_moments(Distribution(DistributionSpec::exponential(0.01)), "exponential-small");
    check_moments(Distribution(DistributionSpec::uniform(2.0, 5.0)), "uniform");
    check_moments(Distribution(DistributionSpec::uniform(-1.0, 1.0)), "uniform-symmetric");
    check_moments(Distribution(DistributionSpec::triangular(1.0, 2.0, 6.0)), "triangular");
    check_moments(Distribution(DistributionSpec::triangular(0.0, 0.0, 1.0)), "triangular-mode-at-min");
    check_moments(Distribution(DistributionSpec::triangular(0.0, 1.0, 1.0)), "triangular-mode-at-max");
    check_moments(Distribution(DistributionSpec::pert(2.0, 5.0, 14.0)), "pert");
    check_moments(Distribution(DistributionSpec::pert(0.0, 0.0, 10.0)), "pert-mode-at-min");
    check_moments(Distribution(DistributionSpec::lognormal(10.0, 5.0)), "lognormal");
    check_moments(Distribution(DistributionSpec::lognormal(2.0, 0.2)), "lognormal-narrow");
    check_moments(Distribution(DistributionSpec::gamma(4.0, 2.0)), "gamma-shape-4");
    check_moments(Distribution(DistributionSpec::gamma(1.0, 2.0)), "gamma-shape-0.25");
    check_moments(Distribution(DistributionSpec::gamma(3.0, 3.0)), "gamma-shape-1");
    check_moments(Distribution(DistributionSpec::beta(2.0, 5.0)), "beta");
    check_moments(Distribution(DistributionSpec::beta(0.5, 0.5)), "beta-arcsine");
    check_moments(Distribution(DistributionSpec::empirical({1.0, 2.0, 2.0, 7.0})), "empirical");
}

TEST_CASE("Distribution: support is respected") {
    SUBCASE("bounded families stay within [min, max] and get close to both ends") {
        const Moments u = draw(Distribution(DistributionSpec::uniform(2.0, 5.0)), "u");
        CHECK(u.lo >= 2.0);
        CHECK(u.hi < 5.0);
        CHECK(u.lo < 2.01);
        CHECK(u.hi > 4.99);
        const Moments t = draw(Distribution(DistributionSpec::triangular(1.0, 2.0, 6.0)), "t");
        CHECK(t.lo >= 1.0);
        CHECK(t.hi <= 6.0);
        CHECK(t.lo < 1.1);
        CHECK(t.hi > 5.8);
        const Moments p = draw(Distribution(DistributionSpec::pert(2.0, 5.0, 14.0)), "p");
        CHECK(p.lo >= 2.0);
        CHECK(p.hi <= 14.0);
        const Moments b = draw(Distribution(DistributionSpec::beta(0.5, 0.5)), "b");
        CHECK(b.lo >= 0.0);
        CHECK(b.hi <= 1.0);
        CHECK(b.lo < 1e-6);
        CHECK(b.hi > 1.0 - 1e-6);
    }
    SUBCASE("positive families are positive") {
        CHECK(draw(Distribution(DistributionSpec::exponential(1.0)), "e").lo >= 0.0);
        CHECK(draw(Distribution(DistributionSpec::lognormal(1.0, 3.0)), "l").lo > 0.0);
        CHECK(draw(Distribution(DistributionSpec::gamma(1.0, 3.0)), "g").lo >= 0.0);
    }
    SUBCASE("a degenerate uniform is its point") {
        const Moments u = draw(Distribution(DistributionSpec::uniform(3.0, 3.0)), "u0", 100);
        CHECK(u.lo == 3.0);
        CHECK(u.hi == 3.0);
    }
}

TEST_CASE("Distribution: empirical resamples only its values, uniformly") {
    const std::vector<double> values = {1.0, 2.0, 2.0, 7.0, -3.5};
    Distribution d(DistributionSpec::empirical(values));
    Engine e = make_engine(5, 0, "test/distribution/empirical");
    std::map<double, int> counts;
    const int n = draws;
    for (int i = 0; i < n; ++i) ++counts[d.sample(e)];
    REQUIRE(counts.size() == 4);  // exactly the distinct values, nothing else
    const std::map<double, double> p = {{-3.5, 0.2}, {1.0, 0.2}, {2.0, 0.4}, {7.0, 0.2}};
    for (const auto& [v, c] : counts) {
        CAPTURE(v);
        REQUIRE(p.count(v) == 1);
        const double pv = p.at(v);
        CHECK(std::abs(c / static_cast<double>(n) - pv) < 5.0 * std::sqrt(pv * (1 - pv) / n));
    }
    Distribution one(DistributionSpec::empirical({4.25}));
    CHECK(one.sample(e) == 4.25);
    CHECK(one.variance() == 0.0);
}

TEST_CASE("Distribution: same engine state gives the same draws") {
    Distribution d(DistributionSpec::gamma(2.0, 1.5));
    Engine a = make_engine(3, 1, "p");
    Engine b = make_engine(3, 1, "p");
    for (int i = 0; i < 1000; ++i) REQUIRE(d.sample(a) == d.sample(b));
}

TEST_CASE("Distribution: invalid parameters throw std::invalid_argument") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    using S = DistributionSpec;
    CHECK_THROWS_AS(Distribution(S::exponential(0.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::exponential(-1.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::exponential(nan)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::uniform(3.0, 2.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::uniform(nan, 2.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::triangular(1.0, 0.5, 2.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::triangular(1.0, 2.5, 2.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::triangular(1.0, 1.0, 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::pert(5.0, 6.0, 5.5)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::pert(2.0, 2.0, 2.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::pert(nan, 1.0, 2.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::lognormal(0.0, 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::lognormal(1.0, -1.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::lognormal(1.0, nan)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::gamma(1.0, 0.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::gamma(-1.0, 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::beta(0.0, 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::beta(1.0, -2.0)), std::invalid_argument);
    CHECK_THROWS_AS(Distribution(S::empirical({})), std::invalid_argument);
    // Valid edge cases do not throw.
    CHECK_NOTHROW(Distribution(S::uniform(2.0, 2.0)));
    CHECK_NOTHROW(Distribution(S::triangular(0.0, 0.0, 1.0)));
    CHECK_NOTHROW(Distribution(S::lognormal(1.0, 0.0)));
}

#include <algorithm>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>

namespace {
// Kolmogorov-Smirnov distance between the sample and a CDF.
template <class Cdf> double ks_distance(std::vector<double> x, Cdf cdf) {
    std::sort(x.begin(), x.end());
    const double n = static_cast<double>(x.size());
    double d = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double f = cdf(x[i]);
        d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
    }
    return d;
}
}  // namespace

TEST_CASE("Distribution: gamma and beta draws (Marsaglia-Tsang) follow their exact CDFs (Kolmogorov-Smirnov)") {
    // With n = 50,000 draws, the KS distance exceeds 1.63 / sqrt(n) = 0.0073 with
    // probability 1% under the null; the bound below is that critical value.
    const int n = 50000;
    const double critical = 1.63 / std::sqrt(static_cast<double>(n));
    struct Case { const char* label; double mean, sd; };
    for (const Case c : {Case{"shape-4", 4.0, 2.0}, Case{"shape-0.25", 1.0, 2.0}, Case{"shape-1", 3.0, 3.0},
                         Case{"shape-100", 10.0, 1.0}, Case{"shape-0.01", 1.0, 10.0}}) {
        CAPTURE(c.label);
        Distribution d(DistributionSpec::gamma(c.mean, c.sd));
        Engine e = make_engine(7, 0, std::string("test/ks/gamma/") + c.label);
        std::vector<double> x(n);
        for (auto& v : x) v = d.sample(e);
        const double shape = c.mean * c.mean / (c.sd * c.sd), scale = c.sd * c.sd / c.mean;
        const boost::math::gamma_distribution<double> g(shape, scale);
        CHECK(ks_distance(x, [&](double v) { return boost::math::cdf(g, std::max(v, 0.0)); }) < critical);
    }
    struct BetaCase { const char* label; double a, b; };
    for (const BetaCase c : {BetaCase{"2-3", 2.0, 3.0}, BetaCase{"0.5-0.5", 0.5, 0.5}, BetaCase{"20-1", 20.0, 1.0}}) {
        CAPTURE(c.label);
        Distribution d(DistributionSpec::beta(c.a, c.b));
        Engine e = make_engine(7, 0, std::string("test/ks/beta/") + c.label);
        std::vector<double> x(n);
        for (auto& v : x) v = d.sample(e);
        const boost::math::beta_distribution<double> bd(c.a, c.b);
        CHECK(ks_distance(x, [&](double v) { return boost::math::cdf(bd, std::clamp(v, 0.0, 1.0)); }) < critical);
    }
}
