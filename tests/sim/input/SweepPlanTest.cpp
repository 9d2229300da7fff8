// SweepPlan: points computed on demand (a grid or hypercube at the documented maximum
// costs no memory per point), every point checked before anything runs (an invalid
// combination far beyond the first points is found), one number grammar, positions.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <cmath>
#include <set>

#include "TestSupport.hpp"
#include "input/SweepPlan.hpp"
#include "input/TraceReader.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {

const std::string base = data_dir + "/base.yaml";


std::string list_of(int from, int count) {
    std::string out = "[";
    for (int i = 0; i < count; ++i) out += (i ? ", " : "") + std::to_string(from + i);
    return out + "]";
}

std::vector<std::string> messages(const std::vector<Diagnostic>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds) out.push_back(d.str());
    return out;
}

}  // namespace

TEST_CASE("a grid at the documented maximum is planned without storing its points") {
    TempDir dir;
    // 1000 x 10000 = 10,000,000 points, the maximum.
    const std::string file = dir.write("g.yaml", "name: g\nscenario: " + base + "\nvary:\n  roles.ae.headcount: " +
                                                     list_of(0, 1000) + "\n  roles.sdr.headcount: " + list_of(0, 10000) + "\n");
    const long before = peak_kb();
    const SweepPlan plan = SweepPlan::load(file);
    const long grown = peak_kb() - before;
    CHECK(plan.points() == 10'000'000);
    CHECK(plan.value_text(0, 0) == "0");
    CHECK(plan.value_text(9'999'999, 0) == "999");
    CHECK(plan.value_text(9'999'999, 1) == "9999");
    CHECK(plan.value_number(12'345, 0) == 1.0);
    CHECK(plan.value_number(12'345, 1) == 2345.0);
    CHECK(plan.scenario(12'345).roles[1].headcount == 1);
    CHECK(plan.scenario(12'345).roles[0].headcount == 2345);
    // Its identity is the design, not ten million rows.
    CHECK(plan.resolved_yaml().size() < 200'000);
    // Storing the points would take gigabytes; the plan holds its 11,000 values.
    CHECK_MESSAGE(grown < 64 * 1024, "peak memory grew by ", grown, " kB");
}

TEST_CASE("a Latin hypercube at the documented maximum: one value per stratum, computed on demand") {
    TempDir dir;
    const std::string file = dir.write("l.yaml", "name: l\nscenario: " + base +
                                                     "\ndesign:\n  latin_hypercube:\n    points: 10000000\n    seed: 7\n"
                                                     "    ranges:\n      roles.ae.headcount: {min: 2, max: 10}\n"
                                                     "      stages.qualify.advance: {min: 0.1, max: 0.5}\n");
    const long before = peak_kb();
    const SweepPlan plan = SweepPlan::load(file);
    CHECK(peak_kb() - before < 64 * 1024);
    CHECK(plan.points() == 10'000'000);
    for (std::size_t p : {std::size_t{0}, std::size_t{4'999'999}, std::size_t{9'999'999}}) {
        const double h = plan.value_number(p, 0), a = plan.value_number(p, 1);
        CHECK(h == std::round(h));
        CHECK(h >= 2);
        CHECK(h <= 10);
        CHECK(a >= 0.1);
        CHECK(a < 0.5);
    }
    // A small hypercube: every stratum of every range used exactly once.
    const std::string small = dir.write("s.yaml", "name: s\nscenario: " + base +
                                                      "\ndesign:\n  latin_hypercube:\n    points: 1000\n    seed: 3\n"
                                                      "    ranges:\n      roles.sdr.cost_per_year: {min: 0.5, max: 1000.5}\n"
                                                      "      roles.ae.cost_per_year: {min: 100.5, max: 200.5}\n");
    const SweepPlan s = SweepPlan::load(small);
    std::set<long> a, b;
    for (std::size_t p = 0; p < 1000; ++p) {
        a.insert(static_cast<long>(std::floor(s.value_number(p, 0) - 0.5)));
        b.insert(static_cast<long>(std::floor((s.value_number(p, 1) - 100.5) * 10)));
    }
    CHECK(a.size() == 1000);
    CHECK(b.size() == 1000);
    CHECK(*a.begin() == 0);
    CHECK(*a.rbegin() == 999);
    // The same file gives the same points.
    CHECK(SweepPlan::load(small).value_number(321, 1) == s.value_number(321, 1));
}

TEST_CASE("an invalid combination far beyond the first points is refused before anything runs") {
    TempDir dir;
    // horizon x warmup x 1500 headcounts: point 4501 (horizon 10w, warmup 20w) is invalid;
    // each value is fine on its own.
    const std::string file = dir.write("c.yaml", "name: c\nscenario: " + base +
                                                     "\nvary:\n  simulation.horizon: [26w, 10w]\n"
                                                     "  simulation.warmup: [0, 20w]\n  roles.ae.headcount: " +
                                                     list_of(1, 1500) + "\n");
    const auto ds = errors_of([&] { SweepPlan::load(file); });
    REQUIRE(ds.size() == 2);
    CHECK(ds[0].str() == file + ":4:3: point 4501 is not a valid scenario: with simulation.horizon=10w, "
                                "simulation.warmup=20w (reported above)");
    CHECK(ds[1].str() == file + ":5:26: simulation.warmup: must be shorter than the horizon (1680 h), got '20w'");
}

TEST_CASE("a hypercube over a key checked only with others is refused when its points are too many to check") {
    TempDir dir;
    const std::string file = dir.write("w.yaml", "name: w\nscenario: " + base +
                                                     "\ndesign:\n  latin_hypercube:\n    points: 200000\n"
                                                     "    ranges:\n      simulation.warmup: {min: 0, max: 100}\n");
    const auto ds = errors_of([&] { SweepPlan::load(file); });
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].str() == file + ":4:3: design: cannot check every point before running: the values of "
                                "simulation.warmup depend on other keys, so each of their 200000 combinations would "
                                "be built (at most 20000); use fewer points, or vary keys checked alone "
                                "(docs/limits.md)");
}

TEST_CASE("the size of a grid is computed without overflow") {
    TempDir dir;
    std::string vary;
    for (int i = 0; i < 64; ++i) vary += "  simulation.p" + std::to_string(i) + ": [1, 2]\n";  // 2^64 points
    const std::string file = dir.write("o.yaml", "name: o\nscenario: " + base + "\nvary:\n" + vary);
    const auto ds = errors_of([&] { SweepPlan::load(file); });
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].str() == file + ":4:3: vary: the grid has more than 10000000 points (the product of the list lengths); "
                                "a sweep has at most 10000000 points");
}

TEST_CASE("sweep files read numbers with the scenario's grammar") {
    TempDir dir;
    const std::string file = dir.write("n.yaml", "name: n\nscenario: " + base +
                                                     "\nreplications: 0x10\ndesign:\n  latin_hypercube:\n"
                                                     "    points: 1e1\n    seed: -1\n    ranges:\n"
                                                     "      roles.ae.headcount: {min: 1, max: 1e400}\n");
    const auto ds = errors_of([&] { SweepPlan::load(file); });
    const auto m = messages(ds);
    REQUIRE(m.size() == 4);
    CHECK(m[0] == file + ":3:15: replications: must be an integer >= 1, got '0x10'");
    CHECK(m[1] == file + ":6:13: design.latin_hypercube.points: must be an integer >= 1, got '1e1'");
    CHECK(m[2] == file + ":7:11: design.latin_hypercube.seed: must be an integer from 0 to 18446744073709551615, got '-1'");
    CHECK(m[3] == file + ":9:27: design.latin_hypercube.ranges.roles.ae.headcount: must be {min: NUMBER, max: NUMBER}");
}

TEST_CASE("a base scenario that is not a file is reported at the sweep's scenario key") {
    TempDir dir;
    const std::string file = dir.write("d.yaml", "name: d\nscenario: .\nvary:\n  roles.ae.headcount: [1]\n");
    const auto ds = errors_of([&] { SweepPlan::load(file); });
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].str() == file + ":2:11: scenario: cannot load '.': cannot read file: it is a directory");
}

TEST_CASE("a sweep reads its trace once, not once per point; a changed file is read again") {
    TempDir dir;
    const std::string csv = dir.write("leads.csv", "arrival,value\n1h,10\n2h,20\n3d,30\n");
    dir.write("t.yaml", "name: t\nsimulation: {horizon: 4w}\nsources:\n  - {name: crm, trace: leads.csv}\n"
                        "stages:\n  - {name: work, role: rep, effort: 2h}\nroles:\n  - {name: rep, headcount: 1}\n");
    const std::string file = dir.write("s.yaml", "name: s\nscenario: t.yaml\nvary:\n  roles.rep.headcount: " +
                                                     list_of(1, 40) + "\n  stages.work.effort: [1h, 2h]\n");
    const std::size_t before = trace_parses();
    const SweepPlan plan = SweepPlan::load(file);
    for (std::size_t p = 0; p < plan.points(); ++p) CHECK(plan.scenario(p).sources[0].trace.size() == 3);
    CHECK(trace_parses() - before == 1);
    // Another content (another size) is another file.
    dir.write("leads.csv", "arrival,value\n1h,10\n2h,20\n");
    CHECK(plan.scenario(0).sources[0].trace.size() == 2);
    CHECK(trace_parses() - before == 2);
    (void)csv;
}

TEST_CASE("a key checked alone is still set in the base once: a gate without its threshold is refused") {
    TempDir dir;
    const std::string file = dir.write("g.yaml", "name: g\nscenario: " + base +
                                                     "\nvary:\n  stages.qualify.gate.noise_sd: [0.1, 0.2]\n");
    const auto ds = errors_of([&] { SweepPlan::load(file); });
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].str() == file + ":4:34: stages.qualify.gate.threshold: required key 'threshold' is missing");
}

TEST_CASE("a value that switches a mechanism with metrics of its own on or off is refused before anything runs") {
    // nurture, no_decision and quarter_end add metrics; the results table has the base's
    // columns, so such a point failed the sweep part way (exit 1).
    TempDir dir;
    for (const std::string vary : {"nurture: [~, default]", "quarter_end: [{window: 2w}]", "no_decision.share: [0.3]"}) {
        CAPTURE(vary);
        const std::string file = dir.write("m.yaml", "name: m\nscenario: " + base + "\nvary:\n  " + vary + "\n");
        const auto ds = errors_of([&] { SweepPlan::load(file); });
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].str().find(": this value changes the scenario's metrics (the columns of the results): a sweep may "
                               "not switch a mechanism with metrics of its own, such as nurture, no_decision or "
                               "quarter_end, on or off; set it in the scenario, got ") != std::string::npos);
    }
    const std::string file = dir.write("m.yaml", "name: m\nscenario: " + base + "\nvary:\n  nurture: [~, default]\n");
    const auto ds = errors_of([&] { SweepPlan::load(file); });
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].str() == file + ":4:16: nurture: this value changes the scenario's metrics (the columns of the results): "
                                "a sweep may not switch a mechanism with metrics of its own, such as nurture, "
                                "no_decision or quarter_end, on or off; set it in the scenario, got 'default'");
    // A value that keeps the metrics is fine.
    const std::string ok = dir.write("ok.yaml", "name: m\nscenario: " + base + "\nvary:\n  roles.ae.learning: [~, {max_gain: 1, visits: 3}]\n");
    CHECK(SweepPlan::load(ok).points() == 2);
}
