#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernel/RandomStreams.hpp"
#include "kernel/Tally.hpp"

using salesflow::kernel::Engine;
using salesflow::kernel::make_engine;
using salesflow::kernel::Tally;
using salesflow::kernel::uniform01;

namespace {
struct TwoPass {
    double mean = 0, var = 0;
};
// Reference: two-pass with long double accumulation.
TwoPass two_pass(const std::vector<double>& x) {
    long double s = 0;
    for (double v : x) s += v;
    const long double m = s / static_cast<long double>(x.size());
    long double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return {static_cast<double>(m), static_cast<double>(ss / static_cast<long double>(x.size() - 1))};
}
}  // namespace

TEST_CASE("Tally: empty and single observation") {
    Tally t;
    CHECK(t.count() == 0);
    CHECK(t.mean() == 0.0);
    CHECK(t.variance() == 0.0);
    CHECK(t.sd() == 0.0);
    CHECK(t.min() == 0.0);
    CHECK(t.max() == 0.0);
    CHECK(t.sum() == 0.0);
    t.add(-2.5);
    CHECK(t.count() == 1);
    CHECK(t.mean() == -2.5);
    CHECK(t.variance() == 0.0);  // n < 2
    CHECK(t.min() == -2.5);
    CHECK(t.max() == -2.5);
    CHECK(t.sum() == -2.5);
}

TEST_CASE("Tally: small exact example") {
    Tally t;
    for (double v : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) t.add(v);
    CHECK(t.count() == 8);
    CHECK(t.sum() == 40.0);
    CHECK(t.mean() == doctest::Approx(5.0).epsilon(1e-15));
    CHECK(t.variance() == doctest::Approx(32.0 / 7.0).epsilon(1e-14));  // sample variance
    CHECK(t.sd() == doctest::Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-14));
    CHECK(t.min() == 2.0);
    CHECK(t.max() == 9.0);
    t.reset();
    CHECK(t.count() == 0);
    CHECK(t.mean() == 0.0);
    CHECK(t.sum() == 0.0);
    t.add(1.0);
    CHECK(t.min() == 1.0);  // min/max restart too
    CHECK(t.max() == 1.0);
}

TEST_CASE("Tally: agrees with a two-pass computation") {
    Engine e = make_engine(21, 0, "test/tally");
    for (double offset : {0.0, -50.0, 1e3}) {
        CAPTURE(offset);
        std::vector<double> x(100000);
        for (auto& v : x) v = offset + 10.0 * std::log(1.0 / (1.0 - uniform01(e)));  // skewed
        Tally t;
        for (double v : x) t.add(v);
        const TwoPass r = two_pass(x);
        CHECK(t.mean() == doctest::Approx(r.mean).epsilon(1e-12));
        CHECK(t.variance() == doctest::Approx(r.var).epsilon(1e-10));
    }
}

TEST_CASE("Tally: numerically stable with a 1e9 offset") {
    // The textbook sum-of-squares formula loses every digit here (1e18 vs 1/12).
    Engine e = make_engine(22, 0, "test/tally/offset");
    std::vector<double> x(100000);
    for (auto& v : x) v = 1e9 + uniform01(e);
    Tally t;
    for (double v : x) t.add(v);
    const TwoPass r = two_pass(x);
    CHECK(t.mean() == doctest::Approx(r.mean).epsilon(1e-15));
    CHECK(t.variance() == doctest::Approx(r.var).epsilon(1e-6));
    CHECK(t.variance() == doctest::Approx(1.0 / 12.0).epsilon(0.02));
    double naive_sq = 0, naive_s = 0;
    for (double v : x) {
        naive_s += v;
        naive_sq += v * v;
    }
    const double n = static_cast<double>(x.size());
    const double naive = (naive_sq - naive_s * naive_s / n) / (n - 1);
    CHECK(std::abs(naive - r.var) > 1.0);  // shows the test really is hard for a naive sum
}

TEST_CASE("Tally: an unrepresentative first observation costs little accuracy") {
    // The sums are kept relative to an origin; check it with a first value far from the rest
    // (a zero wait followed by waits around 1000 h with sd 1).
    Engine e = make_engine(23, 0, "test/tally/first");
    std::vector<double> x(100000);
    x[0] = 0.0;
    for (std::size_t i = 1; i < x.size(); ++i) x[i] = 1000.0 + (uniform01(e) - 0.5) * std::sqrt(12.0);
    Tally t;
    for (double v : x) t.add(v);
    const TwoPass r = two_pass(x);
    CHECK(t.mean() == doctest::Approx(r.mean).epsilon(1e-12));
    CHECK(t.variance() == doctest::Approx(r.var).epsilon(1e-6));
    CHECK(t.min() == 0.0);
    CHECK(t.sum() == doctest::Approx(r.mean * static_cast<double>(x.size())).epsilon(1e-12));
}
