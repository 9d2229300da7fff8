// DistributionLimits: parameters the ranges admit but no sampler reproduces are refused
// with the key, the limit and the values as written.
#include <doctest/doctest.h>

#include <memory>

#include "TestSupport.hpp"
#include "input/DistributionLimits.hpp"
#include "input/ScenarioLoader.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;
using salesflow::kernel::DistributionSpec;

namespace {

std::vector<std::string> problems_of(const std::string& from, const std::string& to, std::string& file) {
    static TempDir dir;
    std::string text = minimal_scenario();
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    file = dir.write("limits.yaml", text);
    std::vector<std::string> out;
    for (const auto& d : errors_of([&] { load_scenario(file); })) out.push_back(d.str());
    return out;
}

}  // namespace

TEST_CASE("sampling_problem: the limits of each family") {
    CHECK(sampling_problem(DistributionSpec::gamma(1.0, 100.0)).empty());
    CHECK(sampling_problem(DistributionSpec::gamma(1.0, 100.0001)) ==
          "the sd must be at most 100 times the mean (sd/mean = 100.0001)");
    CHECK(sampling_problem(DistributionSpec::lognormal(1e15, 0.0)).empty());
    CHECK(sampling_problem(DistributionSpec::lognormal(1e300, 1e300)) == "the mean must be from 1e-09 to 1e+15");
    CHECK(sampling_problem(DistributionSpec::exponential(1e-10)) == "the mean must be from 1e-09 to 1e+15");
    CHECK(sampling_problem(DistributionSpec::constant(2e15)) == "the value must be at most 1e+15");
    CHECK(sampling_problem(DistributionSpec::uniform(0, 1e16)) == "min and max must be at most 1e+15");
    CHECK(sampling_problem(DistributionSpec::beta(1e-300, 2)) == "a and b must be from 0.001 to 1e+06");
    CHECK(sampling_problem(DistributionSpec::empirical({1, 1e300})) == "every value must be at most 1e+15");
}

TEST_CASE("a scenario with a distribution that cannot be sampled is refused at the key") {
    std::string f;
    auto ds = problems_of("{exponential: {mean: 2h}}", "{gamma: {mean: 1h, sd: 1e200h}}", f);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == f + ":10:21: stages.work.effort.gamma: cannot be sampled faithfully: the sd must be at most 100 "
                       "times the mean (sd/mean = 1e+200), got '{mean: 1h, sd: 1e200h}'");
    ds = problems_of("{exponential: {mean: 2h}}", "{gamma: {mean: 1e-300h, sd: 1h}}", f);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == f + ":10:21: stages.work.effort.gamma: cannot be sampled faithfully: the mean must be from 1e-09 "
                       "to 1e+15, got '{mean: 1e-300h, sd: 1h}'");
    ds = problems_of("    arrivals: 10/w\n", "    arrivals: 10/w\n    value: {lognormal: {mean: 1e300, sd: 1e300}}\n", f);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == f + ":7:24: sources.web.value.lognormal: cannot be sampled faithfully: the mean must be from 1e-09 "
                       "to 1e+15, got '{mean: 1e300, sd: 1e300}'");
    ds = problems_of("{exponential: {mean: 2h}}", "1e300h", f);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == f + ":10:13: stages.work.effort: the value must be at most 1e+15, got '1e300h'");
}

TEST_CASE("a rework loop that can take no time may not repeat without end") {
    std::string f;
    auto ds = problems_of("    effort: {exponential: {mean: 2h}}\n",
                          "    effort: 0\n    rework: {to: work, probability: 0.9999999999}\n", f);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == f + ":11:37: stages.work.rework.probability: the rework loop work -> work can take no time (every "
                       "effort in it can be 0), so a lead could go round it about 9999999173 times at one instant; give "
                       "the loop an effort that takes time, or a probability of at most 0.999, got '0.9999999999'");
    // With a lower probability, or an effort that takes time, the loop is fine.
    TempDir dir;
    std::string text = minimal_scenario();
    const std::string from = "    effort: {exponential: {mean: 2h}}\n";
    for (const std::string to : {"    effort: 0\n    rework: {to: work, probability: 0.999}\n",
                                 "    effort: {uniform: {min: 0, max: 1h}}\n    rework: {to: work, probability: 0.9999999999}\n"}) {
        std::string t = text;
        t.replace(t.find(from), from.size(), to);
        const auto c = load_scenario(dir.write("ok.yaml", t));
        CHECK(c.stages[0].has_rework);
    }
}
