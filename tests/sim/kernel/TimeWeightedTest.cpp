#include <doctest/doctest.h>

#include "kernel/TimeWeighted.hpp"

using salesflow::kernel::TimeWeighted;

TEST_CASE("TimeWeighted: exact integral of a step function") {
    TimeWeighted w;
    w.reset(0.0);
    CHECK(w.value() == 0.0);
    CHECK(w.area(5.0) == 0.0);
    w.set(0.0, 2.0);   // 2 on [0, 3)
    w.set(3.0, 5.0);   // 5 on [3, 4)
    w.set(4.0, 1.0);   // 1 on [4, 10)
    CHECK(w.value() == 1.0);
    CHECK(w.area(4.0) == 11.0);
    CHECK(w.area(10.0) == 17.0);
    CHECK(w.mean(10.0) == doctest::Approx(1.7).epsilon(1e-15));
    CHECK(w.area(4.5) == 11.5);  // area() looks ahead with the current value, no change of state
    CHECK(w.area(10.0) == 17.0);
}

TEST_CASE("TimeWeighted: add, repeated changes at one time, and late start") {
    SUBCASE("add changes the value by a delta") {
        TimeWeighted w;
        w.reset(0.0);
        w.add(1.0, 1.0);
        w.add(2.0, 1.0);
        w.add(4.0, -2.0);
        CHECK(w.value() == 0.0);
        CHECK(w.area(6.0) == 1.0 * 1.0 + 2.0 * 2.0);
        CHECK(w.mean(6.0) == doctest::Approx(5.0 / 6.0).epsilon(1e-15));
    }
    SUBCASE("several changes at the same time: only the last value holds") {
        TimeWeighted w;
        w.reset(0.0);
        w.set(1.0, 10.0);
        w.set(1.0, 3.0);
        w.set(1.0, 4.0);
        CHECK(w.area(3.0) == 8.0);
    }
    SUBCASE("observation starting at t > 0") {
        TimeWeighted w;
        w.reset(100.0);
        w.set(100.0, 6.0);
        w.set(102.0, 0.0);
        CHECK(w.mean(104.0) == doctest::Approx(3.0).epsilon(1e-15));
    }
    SUBCASE("mean at the start instant is the current value") {
        TimeWeighted w;
        w.set(0.0, 7.0);
        w.reset(5.0);
        CHECK(w.mean(5.0) == 7.0);
    }
}

TEST_CASE("TimeWeighted: reset keeps the value and restarts the integral") {
    TimeWeighted w;
    w.reset(0.0);
    w.set(0.0, 4.0);
    w.set(10.0, 2.0);
    CHECK(w.area(10.0) == 40.0);
    w.reset(10.0);  // end of warm-up
    CHECK(w.value() == 2.0);
    CHECK(w.area(10.0) == 0.0);
    CHECK(w.area(15.0) == 10.0);
    w.set(15.0, 0.0);
    CHECK(w.area(20.0) == 10.0);
    CHECK(w.mean(20.0) == doctest::Approx(1.0).epsilon(1e-15));
    // Reset in the middle of a constant stretch: only the time after reset counts.
    w.set(20.0, 3.0);
    w.reset(25.0);
    CHECK(w.area(27.0) == 6.0);
    CHECK(w.mean(27.0) == 3.0);
}

TEST_CASE("TimeWeighted: long horizon of many changes equals the exact sum") {
    TimeWeighted w;
    w.reset(0.0);
    double exact = 0.0;
    double t = 0.0;
    for (int i = 0; i < 100000; ++i) {
        const double v = static_cast<double>(i % 7);
        const double dt = 0.25 * static_cast<double>(1 + i % 3);  // exactly representable
        w.set(t, v);
        exact += v * dt;
        t += dt;
    }
    CHECK(w.area(t) == exact);
    CHECK(w.mean(t) == doctest::Approx(exact / t).epsilon(1e-15));
}
