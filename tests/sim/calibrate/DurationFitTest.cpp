#include <doctest/doctest.h>

#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

#include "calibrate/DurationFit.hpp"

using namespace salesflow::calibrate;

namespace {

// Deals created uniformly over [0, T], each staying `d` hours in the stage; at the export
// date T, a deal still in the stage is right-censored at T - created: the open deals are
// the long ones.
template <class Draw>
std::vector<Duration> export_at(Draw draw, int n, double T, boost::random::mt19937_64& rng, double& censored_share) {
    boost::random::uniform_real_distribution<double> u(0.0, T);
    std::vector<Duration> out;
    int c = 0;
    for (int i = 0; i < n; ++i) {
        const double a = u(rng), d = draw(rng);
        if (a + d > T) {
            out.push_back({T - a, true});
            ++c;
        } else {
            out.push_back({d, false});
        }
    }
    censored_share = static_cast<double>(c) / n;
    return out;
}

}  // namespace

TEST_CASE("censoring: the censored estimate is unbiased, the naive mean of finished visits is not (lognormal)") {
    // True time in stage: lognormal with mean 300 h and sd 300 h; deals created over 2000 h.
    const double mean = 300, sd = 300;
    const double s2 = std::log(1 + sd * sd / (mean * mean));
    boost::random::lognormal_distribution<double> ln(std::log(mean) - s2 / 2, std::sqrt(s2));
    boost::random::mt19937_64 rng(42);
    auto draw = [&](auto& g) { return ln(g); };

    // One large export: the truth is inside the 95% interval, the naive mean far below it.
    double share = 0;
    const auto big = export_at(draw, 4000, 2000.0, rng, share);
    const auto e = fit_durations(big);
    REQUIRE(e.best());
    MESSAGE("lognormal, 4000 deals: censored share " << share << ", censored MLE mean " << e.best()->mean << " [" << e.best()->mean_low
            << ", " << e.best()->mean_high << "], naive mean " << e.naive_mean << " (truth 300)");
    CHECK(share == doctest::Approx(0.15).epsilon(0.2));            // about 15% of the deals are still open
    CHECK(e.n_censored == static_cast<std::int64_t>(share * 4000 + 0.5));
    CHECK(e.best()->family == "lognormal");                         // AIC picks the true family
    CHECK(e.best()->mean_low < mean);
    CHECK(e.best()->mean_high > mean);
    CHECK(e.best()->mean == doctest::Approx(mean).epsilon(0.05));
    CHECK(e.naive_mean < 0.9 * mean);                               // finished visits are the short ones: 15% low
    CHECK(e.naive_mean < e.best()->mean_low);

    // Over 40 exports of 500 deals: mean estimate within 3% of the truth, naive mean >= 10% low,
    // and the 95% interval covers the truth in at least 34 of 40 (38 expected).
    double sum = 0, naive = 0;
    int covered = 0;
    for (int k = 0; k < 40; ++k) {
        const auto d = export_at(draw, 500, 2000.0, rng, share);
        const auto f = fit_durations(d);
        sum += f.lognormal.mean;
        naive += f.naive_mean;
        covered += f.lognormal.mean_low <= mean && mean <= f.lognormal.mean_high;
    }
    MESSAGE("40 exports of 500: mean of censored estimates " << sum / 40 << ", of naive means " << naive / 40 << ", intervals covering "
            << covered << " of 40");
    CHECK(sum / 40 == doctest::Approx(mean).epsilon(0.03));
    CHECK(naive / 40 < 0.9 * mean);
    CHECK(covered >= 34);
}

TEST_CASE("censoring: gamma data is fitted by the gamma family, mean within its interval") {
    boost::random::gamma_distribution<double> g(2.0, 60.0);   // mean 120 h, sd 84.9 h
    boost::random::mt19937_64 rng(7);
    double share = 0;
    const auto d = export_at([&](auto& r) { return g(r); }, 4000, 600.0, rng, share);
    const auto e = fit_durations(d);
    REQUIRE(e.best());
    CHECK(share > 0.15);
    CHECK(e.best()->family == "gamma");
    CHECK(e.gamma.mean_low < 120.0);
    CHECK(e.gamma.mean_high > 120.0);
    CHECK(e.gamma.p1 == doctest::Approx(2.0).epsilon(0.1));
    CHECK(e.naive_mean < 0.9 * 120.0);
}

TEST_CASE("fit_durations: no censoring gives the closed-form lognormal MLE") {
    std::vector<Duration> d;
    for (double x : {10.0, 20.0, 40.0, 80.0}) d.push_back({x, false});
    const auto e = fit_durations(d);
    // mu = mean of logs = log(28.28), sigma^2 = mean squared deviation of logs = 1.25 (log 2)^2.
    CHECK(e.lognormal.p1 == doctest::Approx(std::log(std::sqrt(10.0 * 80.0))).epsilon(1e-5));
    CHECK(e.lognormal.p2 == doctest::Approx(std::sqrt(1.25) * std::log(2.0)).epsilon(1e-4));
    CHECK(e.naive_mean == doctest::Approx(37.5));
}
