// DistributionLimits: parameters the ranges admit but no sampler reproduces are refused
// with the key, the limit and the values as written.
#include <doctest/doctest.h>

#include <initializer_list>
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

// A scenario refused in one way: the minimal scenario with `from` replaced by `to` gives
// `count` diagnostics, and the one at `index` reads in full
// FILE:AT: PATH: MESSAGE, got 'VALUE'.
struct LimitRefusal {
    const char* from;
    const char* to;
    std::size_t count, index;
    const char* at;  // LINE:COLUMN
    const char* path;
    const char* message;
    const char* value;
};

void check_limit_refusals(std::initializer_list<LimitRefusal> cases) {
    std::string f;
    for (const auto& k : cases) {
        CAPTURE(k.to);
        const auto ds = problems_of(k.from, k.to, f);
        REQUIRE(ds.size() == k.count);
        CHECK(ds[k.index] == f + ":" + k.at + ": " + k.path + ": " + k.message + ", got '" + k.value + "'");
    }
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
    check_limit_refusals({
        {"{exponential: {mean: 2h}}", "{gamma: {mean: 1h, sd: 1e200h}}", 1, 0, "10:21", "stages.work.effort.gamma",
         "cannot be sampled faithfully: the sd must be at most 100 times the mean (sd/mean = 1e+200)",
         "{mean: 1h, sd: 1e200h}"},
        {"{exponential: {mean: 2h}}", "{gamma: {mean: 1e-300h, sd: 1h}}", 1, 0, "10:21", "stages.work.effort.gamma",
         "cannot be sampled faithfully: the mean must be from 1e-09 to 1e+15", "{mean: 1e-300h, sd: 1h}"},
        {"    arrivals: 10/w\n", "    arrivals: 10/w\n    value: {lognormal: {mean: 1e300, sd: 1e300}}\n", 1, 0, "7:24",
         "sources.web.value.lognormal", "cannot be sampled faithfully: the mean must be from 1e-09 to 1e+15",
         "{mean: 1e300, sd: 1e300}"},
        {"{exponential: {mean: 2h}}", "1e300h", 1, 0, "10:13", "stages.work.effort", "the value must be at most 1e+15",
         "1e300h"},
    });
}

TEST_CASE("a rework loop that can take no time may not repeat without end") {
    check_limit_refusals({
        {"    effort: {exponential: {mean: 2h}}\n", "    effort: 0\n    rework: {to: work, probability: 0.9999999999}\n", 1,
         0, "11:37", "stages.work.rework.probability",
         "the rework loop work -> work can take no time (every effort in it can be 0), so a lead could go round it "
         "about 9999999173 times at one instant; give the loop an effort that takes time, or a probability of at most "
         "0.999",
         "0.9999999999"},
    });
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

TEST_CASE("a rework loop whose efforts take no time at the people's fastest speed may not repeat without end") {
    // 1 minute of effort, efficiency 1000, learning up to 11x and quarter_end.speed 1000:
    // a session of 1.5e-9 h; at rework probability 0.9999999999 the run never ended.
    const std::string fast = "    headcount: 2\n    efficiency: {work: 1000}\n    learning: {max_gain: 10, visits: 1}\n"
                             "quarter_end: {window: 13w, speed: 1000}\n";
    TempDir dir;
    std::string text = minimal_scenario();
    text.replace(text.find("    effort: {exponential: {mean: 2h}}\n"), 38,
                 "    effort: 1min\n    rework: {to: work, probability: 0.9999999999}\n");
    text.replace(text.find("    headcount: 2\n"), 17, fast);
    const std::string file = dir.write("fast.yaml", text);
    std::vector<std::string> out;
    for (const auto& d : errors_of([&] { load_scenario(file); })) out.push_back(d.str());
    REQUIRE(out.size() == 1);
    CHECK(out[0] == file + ":11:37: stages.work.rework.probability: the rework loop work -> work can take no time "
                           "(every effort in it can take at most 1e-06 h at the fastest speed its people may reach "
                           "(efficiency, learning, quarter_end.speed)), so a lead could go round it about 9999999173 "
                           "times at one instant; give the loop an effort that takes time, or a probability of at most "
                           "0.999, got '0.9999999999'");
    // Efficiency 1000 and learning 11x alone leave 1.5e-6 h: accepted.
    std::string slower = text;
    slower.replace(slower.find("quarter_end"), std::string("quarter_end: {window: 13w, speed: 1000}\n").size(), "");
    const auto c = load_scenario(dir.write("slower.yaml", slower));
    CHECK(c.stages[0].has_rework);
}

TEST_CASE("a batch period or prospecting block is 0 or at least a minute") {
    // batch: 1e-300h released leads without end at one instant (t + 1e-300 == t); 1e-9h
    // was 10^12 releases. The same for a prospecting block.
    const char* const too_short = "must be 0 (off) or at least 1 minute: a shorter period repeats its event without end";
    check_limit_refusals({
        {"    role: rep\n", "    role: rep\n    batch: 1e-300h\n", 1, 0, "10:12", "stages.work.batch", too_short,
         "1e-300h"},
        {"    role: rep\n", "    role: rep\n    batch: 0.016h\n", 1, 0, "10:12", "stages.work.batch", too_short,
         "0.016h"},
        // and a second diagnostic: no role prospects for the source
        {"    arrivals: 10/w\n", "    prospecting: {effort: 1h, block: 1e-9h}\n", 2, 1, "6:38",
         "sources.web.prospecting.block", too_short, "1e-9h"},
    });
    TempDir dir;
    for (const std::string ok : {"0", "1min"}) {
        std::string text = minimal_scenario();
        text.replace(text.find("    role: rep\n"), 14, "    role: rep\n    batch: " + ok + "\n");
        CHECK(load_scenario(dir.write("ok.yaml", text)).stages[0].batch_every_h == (ok == "0" ? 0.0 : 1.0 / 60.0));
    }
}
