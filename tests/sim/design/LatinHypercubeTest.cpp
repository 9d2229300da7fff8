#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <stdexcept>

#include "design/LatinHypercube.hpp"

using salesflow::design::LatinHypercube;

TEST_CASE("every stratum of every dimension holds exactly one point, values in [0, 1)") {
    for (std::size_t n : {1u, 2u, 3u, 7u, 64u, 1000u}) {
        const LatinHypercube lhs(n, 4, 11);
        for (std::size_t k = 0; k < 4; ++k) {
            std::vector<int> hits(n, 0);
            for (std::size_t i = 0; i < n; ++i) {
                const double v = lhs.value(i, k);
                REQUIRE(v >= 0.0);
                REQUIRE(v < 1.0);
                ++hits[static_cast<std::size_t>(v * static_cast<double>(n))];
            }
            CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
        }
    }
}

TEST_CASE("deterministic from the seed; other seeds and other dimensions pair strata differently") {
    const LatinHypercube a(50, 3, 5), b(50, 3, 5), c(50, 3, 6);
    CHECK(a.matrix() == b.matrix());
    CHECK(a.matrix() != c.matrix());
    std::size_t same = 0;  // two dimensions of one design are not the same permutation
    for (std::size_t i = 0; i < 50; ++i)
        same += static_cast<std::size_t>(a.value(i, 0) * 50) == static_cast<std::size_t>(a.value(i, 1) * 50);
    CHECK(same < 10);
    std::vector<double> p(3);
    a.point(17, p);
    CHECK(p[2] == a.value(17, 2));
}

TEST_CASE("the feistel permutation is a bijection of [0, n)") {
    for (std::uint64_t n : {1u, 2u, 5u, 16u, 17u, 1000u}) {
        std::set<std::uint64_t> seen;
        for (std::uint64_t i = 0; i < n; ++i) seen.insert(salesflow::design::feistel_permute(i, n, 99));
        CHECK(seen.size() == n);
        CHECK(*seen.rbegin() == n - 1);
    }
}

TEST_CASE("the sample mean and variance of one coordinate are those of U(0,1) within the stratification error") {
    const std::size_t n = 2000;
    const LatinHypercube lhs(n, 2, 3);
    double s = 0.0, s2 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double v = lhs.value(i, 1);
        s += v;
        s2 += v * v;
    }
    // Exactly one point per stratum: the mean is 0.5 within 1/(2n) and the second moment 1/3 within 1/n.
    CHECK(std::abs(s / n - 0.5) < 0.5 / n);
    CHECK(std::abs(s2 / n - 1.0 / 3.0) < 1.0 / n);
}

TEST_CASE("bad sizes are refused") {
    CHECK_THROWS_AS(LatinHypercube(0, 2, 1), std::invalid_argument);
    CHECK_THROWS_AS(LatinHypercube(3, 0, 1), std::invalid_argument);
    const LatinHypercube lhs(3, 2, 1);
    CHECK_THROWS_AS((void)lhs.value(3, 0), std::out_of_range);
    std::vector<double> p(3);
    CHECK_THROWS_AS(lhs.point(0, p), std::invalid_argument);
}
