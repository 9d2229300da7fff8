// Clear answers to inputs that used to get a misleading one: a clock time out of range,
// a symbolic link loop, bytes that are not UTF-8 (shown by offset, never echoed), a
// trace with no lead inside the horizon, values that would overflow a run's sums.
#include <doctest/doctest.h>

#include <filesystem>

#include "TestSupport.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/TextUtil.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {


std::vector<std::string> clear_problems(const std::string& file) {
    std::vector<std::string> out;
    for (const auto& d : errors_of([&] { load_scenario(file); })) out.push_back(d.str());
    return out;
}

}  // namespace

TEST_CASE("a clock time out of range is named as a clock time") {
    TempDir dir;
    for (const auto& [text, column] : std::vector<std::pair<std::string, int>>{{"\"25:00\"", 43}, {"\"8:5\"", 43}, {"24:00", 43}}) {
        CAPTURE(text);
        const std::string f = dir.write(
            "c.yaml", mini_with("  horizon: 4w\n", "  horizon: 4w\n  calendar: {hours_per_day: 8, day_start: " + text + "}\n"));
        const auto ds = clear_problems(f);
        REQUIRE(ds.size() == 1);
        const std::string shown = text.front() == '"' ? text.substr(1, text.size() - 2) : text;
        CHECK(ds[0] == f + ":4:" + std::to_string(column) +
                           ": simulation.calendar.day_start: must be a time of day from 00:00 to 23:59 (HH:MM), got '" +
                           shown + "'");
    }
    const std::string ok = dir.write("ok.yaml", mini_with("  horizon: 4w\n", "  horizon: 4w\n  calendar: {day_start: \"07:45\"}\n"));
    CHECK(load_scenario(ok).simulation.calendar.day_start_h == 7.75);
}

TEST_CASE("a loop of symbolic links and a dangling link are named as such") {
    TempDir dir;
    std::filesystem::create_symlink(dir.path() + "/b.yaml", dir.path() + "/a.yaml");
    std::filesystem::create_symlink(dir.path() + "/a.yaml", dir.path() + "/b.yaml");
    auto ds = clear_problems(dir.path() + "/a.yaml");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == dir.path() + "/a.yaml: cannot open file: it is a loop of symbolic links");
    const std::string f = dir.write("x.yaml", "extends: a.yaml\n");
    ds = clear_problems(f);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == f + ":1:1: extends: cannot load '" + dir.path() + "/a.yaml': it is a loop of symbolic links");
    std::filesystem::create_symlink(dir.path() + "/gone.yaml", dir.path() + "/d.yaml");
    ds = clear_problems(dir.path() + "/d.yaml");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == dir.path() + "/d.yaml: cannot open file: it is a symbolic link to '" + dir.path() +
                       "/gone.yaml', which does not exist");
}

TEST_CASE("bytes that are not UTF-8 are reported by offset and never echoed") {
    TempDir dir;
    const std::string f = dir.write("u.yaml", "name: caf\xe9 au lait\n");
    const auto ds = clear_problems(f);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == f + ":1:10: the file is not valid UTF-8 text (byte 0xe9) at byte offset 9");
    // Wherever a message quotes a value, a byte that is not UTF-8 is escaped.
    CHECK(quote("caf\xe9 \xff\xfe ok \xc3\xa9") == "'caf\\xe9 \\xff\\xfe ok \xc3\xa9'");
    // A trace (not parsed as YAML) quoting such a cell.
    dir.write("l.csv", "arrival\n1h\n\xff\xfe" "2h\n");
    const std::string t = dir.write("t.yaml", mini_with("    arrivals: 10/w\n", "    trace: l.csv\n"));
    const auto tr = clear_problems(t);
    REQUIRE(tr.size() == 1);
    CHECK(tr[0] == dir.path() + "/l.csv:3:1: sources.web.trace: arrival must be a duration such as 90min, 2.5h, 3d, 6w or "
                                "1y (a bare number is hours), got '\\xff\\xfe2h'");
}

TEST_CASE("a trace with no lead inside the horizon is refused") {
    TempDir dir;
    dir.write("late.csv", "arrival\n5w\n6w\n");
    const std::string f = dir.write("t.yaml", mini_with("    arrivals: 10/w\n", "    trace: late.csv\n"));
    const auto ds = clear_problems(f);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0] == f + ":6:12: sources.web.trace: no lead of the trace arrives within the horizon (672 h): the first "
                       "arrives at 840 h (a bare number is hours), got 'late.csv'");
}

TEST_CASE("values that would make a run's sums infinite are refused") {
    TempDir dir;
    const std::string f = dir.write("o.yaml", mini_with("    headcount: 2\n",
                                                        "    headcount: 2\n    cost_per_year: 1e300\n"
                                                        "    efficiency: {work: 1e300}\n"));
    const auto ds = clear_problems(f);
    REQUIRE(ds.size() == 2);
    CHECK(ds[0] == f + ":14:20: roles.rep.cost_per_year: must be a number in [0, 1e+15], got '1e300'");
    CHECK(ds[1] == f + ":15:24: roles.rep.efficiency.work: must be a number in (0, 1000], got '1e300'");
}
