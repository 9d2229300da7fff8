#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>

#include "design/LatinHypercube.hpp"
#include "design/Sensitivity.hpp"

using namespace salesflow::design;

namespace {

constexpr double pi = std::numbers::pi;

// Ishigami and Homma (1990): Y = sin X1 + a sin^2 X2 + b X3^4 sin X1, X_i ~ U(-pi, pi).
// Closed form (Sobol' and Levitan 1999): V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,
// V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V3 = 0 (X3 acts only jointly with X1).
struct Ishigami {
    double a = 7.0, b = 0.1;
    double operator()(double x1, double x2, double x3) const {
        return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
    }
    double variance() const { return a * a / 8 + b * std::pow(pi, 4) / 5 + b * b * std::pow(pi, 8) / 18 + 0.5; }
    double s1() const { return 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2) / variance(); }
    double s2() const { return a * a / 8 / variance(); }
};

struct Sample {
    std::vector<double> x, y;
};

Sample ishigami_sample(std::size_t n, std::uint64_t seed) {
    const LatinHypercube lhs(n, 3, seed);
    Sample s;
    s.x.resize(n * 3);
    s.y.resize(n);
    const Ishigami f;
    for (std::size_t p = 0; p < n; ++p) {
        for (std::size_t i = 0; i < 3; ++i) s.x[p * 3 + i] = -pi + 2 * pi * lhs.value(p, i);
        s.y[p] = f(s.x[p * 3], s.x[p * 3 + 1], s.x[p * 3 + 2]);
    }
    return s;
}

}  // namespace

TEST_CASE("Ishigami: the closed-form first-order indices lie in the estimates' 95% intervals") {
    const Ishigami f;
    const double truth[3] = {f.s1(), f.s2(), 0.0};
    CHECK(truth[0] == doctest::Approx(0.3139).epsilon(1e-3));  // the published values
    CHECK(truth[1] == doctest::Approx(0.4424).epsilon(1e-3));
    const Sample s = ishigami_sample(5000, 2024);
    SensitivityOptions o;
    o.bootstrap = 1000;
    o.seed = 7;
    const SensitivityResult r = first_order_indices(s.x, 3, s.y, o);
    CHECK(r.bins == 71);  // round(sqrt(5000))
    CHECK(r.variance == doctest::Approx(f.variance()).epsilon(0.03));
    for (std::size_t i = 0; i < 3; ++i) {
        const InputSensitivity& e = r.inputs[i];
        std::printf("Ishigami N=5000 M=%zu: S%zu = %.4f [%.4f, %.4f] (closed form %.4f)\n", r.bins, i + 1, e.first_order,
                    e.lower, e.upper, truth[i]);
        CHECK(e.lower <= truth[i]);
        CHECK(truth[i] <= e.upper);
        CHECK(e.upper - e.lower < 0.08);  // informative, not just wide
    }
}

TEST_CASE("a linear model: S_i = c_i^2 Var X_i / Var Y, and an input without effect gets about 0") {
    // Y = X1 + 2 X2 with X_i ~ U(0, 1) independent: S1 = 1/5, S2 = 4/5, S3 = 0.
    const std::size_t n = 4000;
    const LatinHypercube lhs(n, 3, 5);
    std::vector<double> x(n * 3), y(n);
    for (std::size_t p = 0; p < n; ++p) {
        lhs.point(p, std::span<double>(x.data() + p * 3, 3));
        y[p] = x[p * 3] + 2 * x[p * 3 + 1];
    }
    SensitivityOptions o;
    o.bootstrap = 300;
    const SensitivityResult r = first_order_indices(x, 3, y, o);
    CHECK(r.inputs[0].first_order == doctest::Approx(0.2).epsilon(0.02));
    CHECK(r.inputs[1].first_order == doctest::Approx(0.8).epsilon(0.02));
    CHECK(std::abs(r.inputs[2].first_order) < 0.01);
    CHECK(r.inputs[2].lower <= 0.0);
    CHECK(r.inputs[2].upper >= 0.0);
    // The raw ratio of an input without effect is about (M - 1)/N; the correction removes it.
    CHECK(r.inputs[2].raw == doctest::Approx(static_cast<double>(r.bins - 1) / n).epsilon(0.5));
    // Tornado: the lowest 10% of X2 have X2 in [0, 0.1) (one point per stratum: mean exactly
    // 0.05 within 1/(2n)); Y there averages 1 * 0.5 + 2 * 0.05 = 0.6 up to the X1 noise.
    CHECK(r.inputs[1].low_x == doctest::Approx(0.05).epsilon(0.02));
    CHECK(r.inputs[1].high_x == doctest::Approx(0.95).epsilon(0.02));
    CHECK(r.inputs[1].low_mean == doctest::Approx(0.6).epsilon(0.05));
    CHECK(r.inputs[1].high_mean == doctest::Approx(2.4).epsilon(0.05));
    CHECK(r.mean == doctest::Approx(1.5).epsilon(1e-3));
}

TEST_CASE("deterministic from the data and the seed; the bootstrap seed moves only the intervals") {
    const Sample s = ishigami_sample(500, 3);
    SensitivityOptions o;
    o.bootstrap = 200;
    const SensitivityResult a = first_order_indices(s.x, 3, s.y, o);
    const SensitivityResult b = first_order_indices(s.x, 3, s.y, o);
    o.seed = 2;
    const SensitivityResult c = first_order_indices(s.x, 3, s.y, o);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(a.inputs[i].first_order == b.inputs[i].first_order);
        CHECK(a.inputs[i].lower == b.inputs[i].lower);
        CHECK(a.inputs[i].upper == b.inputs[i].upper);
        CHECK(a.inputs[i].first_order == c.inputs[i].first_order);
        CHECK(a.inputs[i].lower != c.inputs[i].lower);
    }
}

TEST_CASE("a constant output has every index 0; bad data is refused with a message") {
    std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8}, y(8, 3.0);
    const SensitivityResult r = first_order_indices(x, 1, y);
    CHECK(r.inputs[0].first_order == 0.0);
    CHECK(r.inputs[0].lower == 0.0);
    CHECK(r.variance == 0.0);
    CHECK_THROWS_WITH_AS(first_order_indices(std::span<const double>(x.data(), 7), 1, y),
                         "sensitivity indices: expected 8 input values for 8 outputs and 1 inputs, got 7", std::invalid_argument);
    CHECK_THROWS_WITH_AS(first_order_indices(std::span<const double>(x.data(), 3), 1, std::span<const double>(y.data(), 3)),
                         "sensitivity indices: needs at least 4 points, got 3", std::invalid_argument);
    y[2] = std::nan("");
    CHECK_THROWS_WITH_AS(first_order_indices(x, 1, y), "sensitivity indices: an output value is not a finite number",
                         std::invalid_argument);
    y[2] = 3.0;
    SensitivityOptions o;
    o.bins = 5;
    CHECK_THROWS_WITH_AS(first_order_indices(x, 1, y, o), "sensitivity indices: the number of classes must be between 2 and N/2 = 4",
                         std::invalid_argument);
}
