#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kernel/MeanTally.hpp"
#include "kernel/RandomStreams.hpp"
#include "kernel/Tally.hpp"

using salesflow::kernel::make_engine;
using salesflow::kernel::MeanTally;
using salesflow::kernel::Tally;
using salesflow::kernel::uniform01;

TEST_CASE("MeanTally: empty, one observation, and the plain mean") {
    MeanTally t;
    CHECK(t.count() == 0);
    CHECK(t.mean() == 0.0);
    t.add(7.5);
    CHECK(t.count() == 1);
    CHECK(t.mean() == 7.5);
    t.add(2.5);
    t.add(3.0);
    CHECK(t.count() == 3);
    CHECK(t.mean() == doctest::Approx(13.0 / 3.0).epsilon(1e-15));
    t.reset();
    CHECK(t.count() == 0);
    CHECK(t.mean() == 0.0);
}

// The model's statistics replaced Tally by MeanTally on the promise that every reported
// mean stays bit for bit the same: checked on skewed data with a large offset (where a
// different summation would round differently).
TEST_CASE("MeanTally: the mean is bit for bit Tally's, for every prefix") {
    auto rng = make_engine(7, 0, "mean-tally");
    Tally a;
    MeanTally b;
    int differ = 0;
    for (int i = 0; i < 100000; ++i) {
        const double u = uniform01(rng);
        const double x = 1e6 + (i % 7 == 0 ? -std::log1p(-u) * 1e4 : u);
        a.add(x);
        b.add(x);
        if (a.mean() != b.mean()) ++differ;
    }
    CHECK(differ == 0);
    CHECK(b.count() == a.count());
}
