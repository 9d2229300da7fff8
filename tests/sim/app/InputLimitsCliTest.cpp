// Input limits and clear answers through the executable: each refused input exits 2 with
// its exact FILE:LINE:COLUMN: PATH: reason line and writes nothing (docs/limits.md).
#include <doctest/doctest.h>

#include "AppTestSupport.hpp"

using namespace salesflow::test;
namespace fs = std::filesystem;

namespace {

const std::string mini =
    "name: mini\nsimulation:\n  horizon: 4w\nsources:\n  - name: web\n    arrivals: 10/w\n"
    "stages:\n  - name: work\n    role: rep\n    effort: {exponential: {mean: 2h}}\n"
    "roles:\n  - name: rep\n    headcount: 2\n";

std::string with(const std::string& from, const std::string& to) {
    std::string t = mini;
    t.replace(t.find(from), from.size(), to);
    return t;
}

}  // namespace

TEST_CASE("refused inputs: exit 2 and the exact message, nothing written") {
    const auto dir = scratch("input-limits");
    struct Case {
        std::string what, text, args, expect;
    };
    const std::vector<Case> cases = {
        {"gamma sd", with("{exponential: {mean: 2h}}", "{gamma: {mean: 1h, sd: 1e200h}}"), "",
         ":10:21: stages.work.effort.gamma: cannot be sampled faithfully: the sd must be at most 100 times the mean "
         "(sd/mean = 1e+200), got '{mean: 1h, sd: 1e200h}'"},
        {"arrivals", with("10/w", "1e300/h"), "",
         ":6:15: sources.web.arrivals: would bring about 6.72e+302 leads per replication (rate x horizon); at most "
         "1e+08 are allowed, got '1e300/h'"},
        {"zero-time loop", with("{exponential: {mean: 2h}}", "0\n    rework: {to: work, probability: 0.9999999999}"), "",
         ":11:37: stages.work.rework.probability: the rework loop work -> work can take no time"},
        {"clock", with("  horizon: 4w\n", "  horizon: 4w\n  calendar: {day_start: \"25:00\"}\n"), "",
         ":4:25: simulation.calendar.day_start: must be a time of day from 00:00 to 23:59 (HH:MM), got '25:00'"},
        {"utf-8", with("name: mini", "name: mini\ndescription: caf\xe9 au lait"), "",
         ":2:17: the file is not valid UTF-8 text (byte 0xe9) at byte offset 27"},
        {"deep --set", mini, "--set " + [] {
             std::string p = "a";
             for (int i = 1; i < 40000; ++i) p += ".a";
             return p;
         }() + "=1",
         "--set:1:1: the path 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a....' has 40000 segments "
         "and indexes; at most 64 are allowed"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        const auto file = dir / "bad.yaml";
        write_file(file, c.text);
        const auto out = dir / "out.h5";
        const auto r = run_salesflow("run " + file.string() + " -o " + out.string() + " " + c.args);
        CHECK(r.status == 2);
        const std::string expect = c.expect.rfind("--set", 0) == 0 ? c.expect : file.string() + c.expect;
        CHECK_MESSAGE(r.out.find(expect) != std::string::npos, r.out.substr(0, 2000));
        CHECK_FALSE(fs::exists(out));
    }
    // A symbolic link loop, and a sweep whose base scenario is a folder.
    fs::create_symlink(dir / "l2.yaml", dir / "l1.yaml");
    fs::create_symlink(dir / "l1.yaml", dir / "l2.yaml");
    auto r = run_salesflow("validate " + (dir / "l1.yaml").string());
    CHECK(r.status == 2);
    CHECK(r.out.find((dir / "l1.yaml").string() + ": cannot open file: it is a loop of symbolic links") != std::string::npos);
    write_file(dir / "s.yaml", "name: s\nscenario: .\nvary:\n  roles.rep.headcount: [1]\n");
    r = run_salesflow("sweep " + (dir / "s.yaml").string() + " -o " + (dir / "s.h5").string());
    CHECK(r.status == 2);
    CHECK_MESSAGE(r.out.find((dir / "s.yaml").string() + ":2:11: scenario: cannot load '.': cannot read file: it is a directory") !=
                      std::string::npos,
                  r.out);
    CHECK_FALSE(fs::exists(dir / "s.h5"));
}
