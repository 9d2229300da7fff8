#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <boost/random/normal_distribution.hpp>

#include "kernel/RandomStreams.hpp"
#include "kernel/Summary.hpp"

using salesflow::kernel::Engine;
using salesflow::kernel::make_engine;
using salesflow::kernel::student_t_quantile;
using salesflow::kernel::summarize;
using salesflow::kernel::Summary;

TEST_CASE("Summary: Student-t quantiles") {
    CHECK(student_t_quantile(0.975, 1) == doctest::Approx(12.706204736174707).epsilon(1e-12));
    CHECK(student_t_quantile(0.975, 2) == doctest::Approx(4.302652729749464).epsilon(1e-12));
    CHECK(student_t_quantile(0.975, 9) == doctest::Approx(2.2621571627982053).epsilon(1e-12));
    CHECK(student_t_quantile(0.975, 29) == doctest::Approx(2.045229642132703).epsilon(1e-12));
    CHECK(student_t_quantile(0.95, 9) == doctest::Approx(1.8331129326536335).epsilon(1e-12));
    CHECK(student_t_quantile(0.5, 5) == doctest::Approx(0.0));
    CHECK(student_t_quantile(0.975, 1e7) == doctest::Approx(1.959963984540054).epsilon(1e-6));
}

TEST_CASE("Summary: CI is mean ± t(0.975, n-1) sd / sqrt(n)") {
    SUBCASE("1..10") {
        std::vector<double> x;
        for (int i = 1; i <= 10; ++i) x.push_back(i);
        const Summary s = summarize(x);
        const double sd = std::sqrt(82.5 / 9.0);
        const double h = 2.2621571627982053 * sd / std::sqrt(10.0);
        CHECK(s.n == 10);
        CHECK(s.mean == doctest::Approx(5.5).epsilon(1e-15));
        CHECK(s.sd == doctest::Approx(sd).epsilon(1e-14));
        CHECK(s.ci_low == doctest::Approx(5.5 - h).epsilon(1e-12));
        CHECK(s.ci_high == doctest::Approx(5.5 + h).epsilon(1e-12));
        CHECK(s.half_width() == doctest::Approx(h).epsilon(1e-12));
    }
    SUBCASE("n = 2 uses t(0.975, 1) = 12.7062") {
        const std::vector<double> x = {1.0, 3.0};
        const Summary s = summarize(x);
        const double h = 12.706204736174707 * std::sqrt(2.0) / std::sqrt(2.0);
        CHECK(s.mean == 2.0);
        CHECK(s.sd == doctest::Approx(std::sqrt(2.0)).epsilon(1e-15));
        CHECK(s.half_width() == doctest::Approx(h).epsilon(1e-12));
    }
    SUBCASE("another confidence level") {
        std::vector<double> x;
        for (int i = 1; i <= 10; ++i) x.push_back(i);
        const Summary s = summarize(x, 0.90);
        CHECK(s.half_width() == doctest::Approx(1.8331129326536335 * std::sqrt(82.5 / 9.0) / std::sqrt(10.0)).epsilon(1e-12));
    }
    SUBCASE("n = 1 collapses to the mean; n = 0 is all zero") {
        const std::vector<double> one = {4.5};
        const Summary s = summarize(one);
        CHECK(s.n == 1);
        CHECK(s.mean == 4.5);
        CHECK(s.sd == 0.0);
        CHECK(s.ci_low == 4.5);
        CHECK(s.ci_high == 4.5);
        CHECK(s.half_width() == 0.0);
        const Summary z = summarize(std::vector<double>{});
        CHECK(z.n == 0);
        CHECK(z.mean == 0.0);
        CHECK(z.half_width() == 0.0);
    }
    SUBCASE("identical values: zero width") {
        const std::vector<double> x(5, 3.25);
        const Summary s = summarize(x);
        CHECK(s.mean == 3.25);
        CHECK(s.sd == 0.0);
        CHECK(s.ci_low == 3.25);
        CHECK(s.ci_high == 3.25);
    }
}

TEST_CASE("Summary: 95% intervals cover the true mean about 95% of the time") {
    Engine e = make_engine(31, 0, "test/summary/coverage");
    boost::random::normal_distribution<double> normal(0.0, 1.0);
    const int trials = 2000;
    int covered = 0;
    std::vector<double> x(10);
    for (int k = 0; k < trials; ++k) {
        for (auto& v : x) v = normal(e);
        const Summary s = summarize(x);
        if (s.ci_low <= 0.0 && 0.0 <= s.ci_high) ++covered;
    }
    const double coverage = covered / static_cast<double>(trials);
    CAPTURE(coverage);
    CHECK(std::abs(coverage - 0.95) <= 0.015);  // sd of the coverage is 0.0049
}
