#include <doctest/doctest.h>

#include <cmath>

#include "design/Claims.hpp"

using namespace salesflow::design;

TEST_CASE("claims parse to a comparison and a number") {
    CHECK(parse_claim(">= 2").op == Comparison::greater_equal);
    CHECK(parse_claim(">= 2").threshold == 2.0);
    CHECK(parse_claim("> 0").op == Comparison::greater);
    CHECK(parse_claim("<= -0.1").threshold == -0.1);
    CHECK(parse_claim("<= -0.1").op == Comparison::less_equal);
    CHECK(parse_claim("==0").op == Comparison::equal);
    CHECK(parse_claim(" < +1.5e2 ").threshold == 150.0);
    CHECK(parse_claim(">=.5").threshold == 0.5);
    CHECK(parse_claim("<= -0.1").text() == "<= -0.1");
    CHECK(parse_claim(">=2.50").text() == ">= 2.5");
}

TEST_CASE("anything else is refused with one clear message") {
    for (const char* bad : {"", "2", ">=", "=> 2", "= 2", "!= 2", ">= 2%", ">= two", ">= inf", ">= nan", ">= 1e", ">= 2 3",
                            ">= 0x10", ">== 2", ">= -", ">= 1.2.3"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(parse_claim(bad),
                             (std::string("expected a comparison and a number, like \">= 2\", \"> 0\", \"<= -0.1\" or \"== 0\", got \"") + bad + "\"")
                                 .c_str(),
                             ClaimError);
    }
}

TEST_CASE("claims hold as written; NaN never holds") {
    CHECK(parse_claim(">= 2").holds(2.0));
    CHECK_FALSE(parse_claim("> 2").holds(2.0));
    CHECK(parse_claim("< 0").holds(-1e-300));
    CHECK(parse_claim("== 0").holds(-0.0));
    CHECK_FALSE(parse_claim(">= 2").holds(std::nan("")));
    CHECK_FALSE(parse_claim("<= 2").holds(std::nan("")));
}

TEST_CASE("Wilson interval: textbook values and edges") {
    // 8 of 10 at 95% (z = 1.959964): centre 0.7156, half 0.2253 -> [0.4902, 0.9433] (Wilson 1927; Newcombe 1998 table).
    const Proportion p = wilson_interval(8, 10);
    CHECK(p.estimate == doctest::Approx(0.8));
    CHECK(p.lower == doctest::Approx(0.4902).epsilon(1e-3));
    CHECK(p.upper == doctest::Approx(0.9433).epsilon(1e-3));
    // 0 of 20: lower 0, upper z^2/(n + z^2) = 3.8415/23.8415 = 0.1611.
    const Proportion zero = wilson_interval(0, 20);
    CHECK(zero.lower == 0.0);
    CHECK(zero.upper == doctest::Approx(0.16113).epsilon(1e-4));
    const Proportion all = wilson_interval(20, 20);
    CHECK(all.upper == 1.0);
    CHECK(all.lower == doctest::Approx(1.0 - 0.16113).epsilon(1e-4));
    const Proportion none = wilson_interval(0, 0);
    CHECK(std::isnan(none.estimate));
    CHECK(none.lower == 0.0);
    CHECK(none.upper == 1.0);
    CHECK_THROWS_AS(wilson_interval(3, 2), std::invalid_argument);
}

TEST_CASE("claim probability over a sample leaves NaN out") {
    const std::vector<double> xs = {0.5, 2.0, 3.0, std::nan(""), 1.9, 2.5};
    const ClaimProbability cp = claim_probability(parse_claim(">= 2"), xs);
    CHECK(cp.p.hits == 3);
    CHECK(cp.p.n == 5);
    CHECK(cp.missing == 1);
    CHECK(cp.p.estimate == doctest::Approx(0.6));
    CHECK(cp.p.lower < 0.6);
    CHECK(cp.p.upper > 0.6);
}

TEST_CASE("type-7 quantiles equal R's quantile(x, type = 7)") {
    // R: quantile(c(1, 3, 4, 10), c(0, 0.1, 0.5, 0.9, 1)) = 1.0 1.6 3.5 8.2 10.0
    const std::vector<double> xs = {10.0, 3.0, std::nan(""), 1.0, 4.0};
    const std::vector<double> qs = {0.0, 0.1, 0.5, 0.9, 1.0};
    const std::vector<double> got = quantiles(xs, qs);
    CHECK(got[0] == 1.0);
    CHECK(got[1] == doctest::Approx(1.6));
    CHECK(got[2] == doctest::Approx(3.5));
    CHECK(got[3] == doctest::Approx(8.2));
    CHECK(got[4] == 10.0);
    CHECK(std::isnan(quantiles(std::vector<double>{}, qs)[0]));
    CHECK_THROWS_AS(quantile_sorted(std::vector<double>{1.0}, 1.5), std::invalid_argument);
}
