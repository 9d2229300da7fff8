// extends: merge rules, chains, cycles, missing files; --set: paths, values, errors.
#include <doctest/doctest.h>

#include "TestSupport.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/SetOverride.hpp"
#include "input/TreeLoader.hpp"
#include "input/YamlParser.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;
using salesflow::kernel::DistFamily;

namespace {
std::vector<std::string> item_names(const ConfigNode& list) {
    std::vector<std::string> out;
    for (const auto& i : list.items()) out.push_back(i.item_name());
    return out;
}
const ConfigNode& item(const ConfigNode& list, const std::string& name) {
    for (const auto& i : list.items())
        if (i.item_name() == name) return i;
    FAIL("no item " << name);
    return list;
}
ConfigNode tree_of(const std::string& text) {
    Diagnostics d;
    auto t = parse_yaml(text, "t.yaml", d);
    REQUIRE(t);
    return *t;
}
ConfigNode set_value(const std::string& yaml) {
    Diagnostics d;
    YamlParseOptions o;
    o.top_level_map = false;
    auto t = parse_yaml(yaml, "--set", d, o);
    REQUIRE(t);
    return *t;
}
}  // namespace

TEST_CASE("extends merges maps by key and named lists by name") {
    const ConfigNode t = load_tree(data_dir + "/child.yaml");
    CHECK(t.find("extends") == nullptr);  // consumed
    CHECK(t.find("name")->text() == "child-market");
    CHECK(t.find("description")->text() == "the inherited market");  // inherited
    const ConfigNode& cal = *t.find("simulation")->find("calendar");
    CHECK(cal.find("hours_per_day")->text() == "8");   // from base
    CHECK(cal.find("days_per_week")->text() == "6");   // from child
    CHECK(t.find("simulation")->find("horizon")->pos().file == data_dir + "/base.yaml");
    CHECK(t.find("simulation")->find("calendar")->find("days_per_week")->pos().file == data_dir + "/child.yaml");

    // partners removed, events appended; order kept.
    CHECK(item_names(*t.find("sources")) == std::vector<std::string>{"inbound", "events"});
    // qualify merged: role from base, lognormal mean from base, sd from child.
    const ConfigNode& qualify = item(*t.find("stages"), "qualify");
    CHECK(qualify.find("role")->text() == "sdr");
    CHECK(qualify.find("effort")->find("lognormal")->find("mean")->text() == "1h");
    CHECK(qualify.find("effort")->find("lognormal")->find("sd")->text() == "15min");
    CHECK(item_names(*t.find("stages")) == std::vector<std::string>{"qualify", "close", "demo"});
    CHECK(item(*t.find("roles"), "ae").find("headcount")->text() == "5");
    CHECK(item(*t.find("roles"), "ae").find("cost_per_year")->text() == "250000");
    CHECK(item_names(*t.find("roles")) == std::vector<std::string>{"sdr", "ae", "se"});
}

TEST_CASE("extends chains: a file in another folder extending a chain") {
    const auto cfg = load_scenario(data_dir + "/nested/grandchild.yaml");
    CHECK(cfg.name == "grandchild");
    CHECK(cfg.simulation.horizon_h == 26.0 * 168.0);
    CHECK(cfg.simulation.replications == 5);
    CHECK(cfg.simulation.calendar.days_per_week == 6);
    REQUIRE(cfg.sources.size() == 2);
    CHECK(cfg.sources[1].name == "events");
    REQUIRE(cfg.stages.size() == 2);  // demo removed
    CHECK(cfg.stages[1].name == "close");
    // A different family replaces the inherited distribution instead of adding a second.
    CHECK(cfg.stages[1].effort.family == DistFamily::uniform);
    CHECK(cfg.stages[1].effort.p1 == 1.0);
    CHECK(cfg.stages[1].effort.p2 == 5.0);
    CHECK(cfg.stages[0].effort.family == DistFamily::lognormal);
    CHECK(cfg.stages[0].effort.p2 == 0.25);
    REQUIRE(cfg.roles.size() == 2);  // se removed
    CHECK(cfg.roles[1].name == "ae");
    CHECK(cfg.roles[1].headcount == 5);
    CHECK(cfg.roles[1].cost_per_year == 280000.0);
    // The resolved YAML has no extends and loads to the same scenario from anywhere.
    CHECK_FALSE(contains(cfg.resolved_yaml, "extends"));
    const auto again = load_scenario_text(cfg.resolved_yaml, "/elsewhere/resolved.yaml");
    CHECK(again.resolved_yaml == cfg.resolved_yaml);
    CHECK(again.roles[1].cost_per_year == 280000.0);
}

TEST_CASE("extends problems") {
    SUBCASE("cycle: the message lists the chain") {
        const auto ds = errors_of([] { load_tree(data_dir + "/cycle_a.yaml"); });
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].file == data_dir + "/cycle_b.yaml");
        CHECK(ds[0].line == 2);
        CHECK(ds[0].column == 1);
        CHECK(ds[0].path == "extends");
        CHECK(ds[0].message == "the files extend each other in a cycle: " + data_dir + "/cycle_a.yaml -> " + data_dir +
                                   "/cycle_b.yaml -> " + data_dir + "/cycle_a.yaml");
    }
    SUBCASE("a file extending itself") {
        TempDir dir;
        const auto p = dir.write("self.yaml", "name: s\nextends: ./self.yaml\n");
        const auto ds = errors_of([&] { load_tree(p); });
        REQUIRE(ds.size() == 1);
        CHECK(contains(ds[0].message, "cycle"));
    }
    SUBCASE("missing file: at the extends key") {
        const auto ds = errors_of([] { load_scenario(data_dir + "/missing_base.yaml"); });
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].file == data_dir + "/missing_base.yaml");
        CHECK(ds[0].line == 3);
        CHECK(ds[0].column == 1);
        CHECK(ds[0].path == "extends");
        CHECK(ds[0].message == "cannot load '" + data_dir + "/nowhere/base.yaml': No such file or directory");
    }
    SUBCASE("the scenario file itself is missing") {
        const auto ds = errors_of([] { load_scenario("/no/such/scenario.yaml"); });
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].file == "/no/such/scenario.yaml");
        CHECK(ds[0].line == 0);
        CHECK(ds[0].str() == "/no/such/scenario.yaml: cannot open file: No such file or directory");
    }
    SUBCASE("a syntax error in the extended file names that file") {
        TempDir dir;
        dir.write("base.yaml", "name: b\nsimulation: {horizon: 1w\n");
        const auto p = dir.write("top.yaml", "extends: base.yaml\nname: t\n");
        const auto ds = errors_of([&] { load_scenario(p); });
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].file == dir.path() + "/base.yaml");
        CHECK(contains(ds[0].message, "YAML syntax error"));
    }
    SUBCASE("extends is not a path") {
        TempDir dir;
        const auto p = dir.write("x.yaml", "name: x\nextends: [a, b]\n");
        const auto ds = errors_of([&] { load_tree(p); });
        CHECK_DIAG(ds, p, 2, 10, "extends", "must be the path of a scenario file, got a list");
    }
    SUBCASE("remove of an item that is not inherited, repeated names, bad remove") {
        TempDir dir;
        dir.write("base.yaml", minimal_scenario());
        const auto p = dir.write("top.yaml",
                                 "extends: base.yaml\n"
                                 "roles:\n"
                                 "  - name: rpe\n"
                                 "    remove: true\n"
                                 "  - {name: x, headcount: 1}\n"
                                 "  - {name: x, headcount: 2}\n"
                                 "  - {name: rep, remove: maybe}\n");
        const auto ds = errors_of([&] { load_scenario(p); });
        CHECK_DIAG(ds, p, 4, 5, "roles.rpe.remove", "no inherited item named 'rpe' to remove (did you mean 'rep'?)");
        CHECK_DIAG(ds, p, 6, 12, "roles.x", "the name 'x' is given twice");
        CHECK_DIAG(ds, p, 7, 25, "roles.rep.remove", "must be true or false, got 'maybe'");
    }
    SUBCASE("remove in a file that extends nothing") {
        TempDir dir;
        std::string text = minimal_scenario();
        text += "    remove: true\n";
        const auto p = dir.write("x.yaml", text);
        const auto ds = errors_of([&] { load_scenario(p); });
        CHECK_DIAG(ds, p, 14, 5, "roles.rep.remove", "only meaningful in a file that extends another");
    }
}

TEST_CASE("same-family distributions merge parameters, other families replace") {
    TempDir dir;
    dir.write("base.yaml", minimal_scenario());
    const auto p = dir.write("top.yaml",
                             "extends: base.yaml\n"
                             "stages:\n"
                             "  - name: work\n"
                             "    effort: {exponential: {mean: 3h}}\n"
                             "sources:\n"
                             "  - name: web\n"
                             "    quality: {beta: {a: 1, b: 1}}\n");
    const auto cfg = load_scenario(p);
    CHECK(cfg.stages[0].effort.family == DistFamily::exponential);
    CHECK(cfg.stages[0].effort.p1 == 3.0);
    CHECK(cfg.sources[0].quality.p1 == 1.0);
    CHECK(cfg.sources[0].rate_per_h == doctest::Approx(10.0 / 168.0));
}

TEST_CASE("an empty value in an extending file resets the key to its default") {
    TempDir dir;
    std::string base = minimal_scenario();
    base.insert(base.find("sources:"), "  replications: 7\n");
    dir.write("base.yaml", base);
    const auto p = dir.write("top.yaml", "extends: base.yaml\nsimulation: {replications: ~}\n");
    CHECK(load_scenario(dir.path() + "/base.yaml").simulation.replications == 7);
    CHECK(load_scenario(p).simulation.replications == 10);
}

TEST_CASE("apply_set addresses map keys, named items and indexes") {
    ConfigNode t = tree_of(
        "simulation: {horizon: 1w}\n"
        "sources:\n  - {name: web, seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}\n"
        "roles:\n  - {name: sdr, headcount: 1}\n  - {name: ae, headcount: 2}\n");
    apply_set(t, "roles.ae.headcount", set_value("6"));
    CHECK(t.find("roles")->items()[1].find("headcount")->text() == "6");
    apply_set(t, "simulation.calendar", set_value("24/7"));
    CHECK(t.find("simulation")->find("calendar")->text() == "24/7");
    apply_set(t, "sources.web.seasonality[3]", set_value("2.5"));
    CHECK(t.find("sources")->items()[0].find("seasonality")->items()[2].text() == "2.5");
    apply_set(t, "ownership.from", set_value("qualify"));  // creates the missing map
    CHECK(t.find("ownership")->find("from")->text() == "qualify");
    // Replacing a whole named item keeps its name.
    apply_set(t, "roles.sdr", set_value("{headcount: 9}"));
    CHECK(t.find("roles")->items()[0].item_name() == "sdr");
    CHECK(t.find("roles")->items()[0].find("headcount")->text() == "9");
}

TEST_CASE("bad --set paths are errors at the failing segment") {
    ConfigNode t = tree_of("simulation: {horizon: 1w}\nroles:\n  - {name: ae, headcount: 2}\n");
    SUBCASE("unknown item name, with a suggestion") {
        const auto ds = errors_of([&] { apply_set_argument(t, "roles.aa.headcount=6"); });
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].str() == "--set:1:7: roles.aa.headcount: there is no item named 'aa' in 'roles' (did you mean 'ae'?)");
    }
    SUBCASE("going into a plain value") {
        const auto ds = errors_of([&] { apply_set_argument(t, "roles.ae.headcount.max=6"); });
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].column == 20);
        CHECK(ds[0].message == "'roles.ae.headcount' is the value '2', so it has no key 'max'");
    }
    SUBCASE("index out of range, index into a non-list, list without names") {
        ConfigNode u = tree_of("a: [1, 2]\nb: {c: 1}\n");
        auto ds = errors_of([&] { apply_set_argument(u, "a[3]=1"); });
        CHECK(contains(ds[0].message, "'a' has 2 items, so it has no item [3]"));
        ds = errors_of([&] { apply_set_argument(u, "b[1]=1"); });
        CHECK(contains(ds[0].message, "is not a list"));
        ds = errors_of([&] { apply_set_argument(u, "a.x=1"); });
        CHECK(contains(ds[0].message, "address its items as 'a[N]'"));
        ds = errors_of([&] { apply_set_argument(u, "a[0]=1"); });
        CHECK(contains(ds[0].message, "from 1"));
    }
    SUBCASE("malformed arguments") {
        auto ds = errors_of([&] { apply_set_argument(t, "roles.ae.headcount"); });
        CHECK(ds[0].str() == "--set:1:1: expected PATH=VALUE, got 'roles.ae.headcount'");
        ds = errors_of([&] { apply_set_argument(t, "=3"); });
        CHECK(contains(ds[0].message, "empty"));
        ds = errors_of([&] { apply_set_argument(t, "roles..x=3"); });
        CHECK(ds[0].column == 7);
        CHECK(contains(ds[0].message, "empty segment"));
        ds = errors_of([&] { apply_set_argument(t, "roles.=3"); });
        CHECK(contains(ds[0].message, "ends with '.'"));
    }
    SUBCASE("a value that is not YAML") {
        const auto ds = errors_of([&] { apply_set_argument(t, "roles.ae.headcount=[1"); });
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].file == "--set");
        CHECK(ds[0].line == 1);
        CHECK(ds[0].column >= 20);
        CHECK(contains(ds[0].message, "YAML syntax error"));
    }
}

TEST_CASE("--set through load_scenario: applied in order, validated with --set positions") {
    const std::string file = data_dir + "/base.yaml";
    const auto cfg = load_scenario(file, {"roles.ae.headcount=6", "stages.qualify.advance=0.4",
                                          "simulation.replications=50", "simulation.calendar=24/7",
                                          "stages.close.effort={exponential: {mean: 2h}}",
                                          "roles.ae.headcount=7"});
    CHECK(cfg.roles[1].headcount == 7);  // the later one wins
    CHECK(cfg.stages[0].advance_probability == 0.4);
    CHECK(cfg.simulation.replications == 50);
    CHECK(cfg.simulation.calendar.is_always());
    CHECK(cfg.stages[1].effort.family == DistFamily::exponential);
    CHECK(cfg.stages[1].effort.p1 == 2.0);
    CHECK(contains(cfg.resolved_yaml, "replications: 50"));

    const auto ds = errors_of([&] {
        load_scenario(file, {"roles.ae.headcount=-1", "roles.ae.hedcount=3", "stages.close.effort={exponential: {mean: 2m}}",
                             "roles.nobody.headcount=1"});
    });
    REQUIRE(ds.size() == 4);
    CHECK_DIAG(ds, "--set", 1, 20, "roles.ae.headcount", "must be an integer >= 0, got '-1'");
    CHECK_DIAG(ds, "--set", 1, 10, "roles.ae.hedcount", "unknown key 'hedcount' (did you mean 'headcount'?)");
    CHECK_DIAG(ds, "--set", 1, 42, "stages.close.effort.exponential.mean", "'2m'");
    CHECK_DIAG(ds, "--set", 1, 7, "roles.nobody.headcount", "no item named 'nobody'");
}

TEST_CASE("--set into a `default` word: no_decision, nurture and speed_to_lead start the map of defaults") {
    // `KEY: default` means `KEY: {}`; a key set into it said "'no_decision' is the value
    // 'default', so it has no key 'from'".
    TempDir dir;
    const std::string file = dir.write("d.yaml", "extends: " + data_dir + "/base.yaml\nno_decision: default\n"
                                                 "nurture: default\nsources:\n  - name: inbound\n    speed_to_lead: default\n");
    const auto cfg = load_scenario(file, {"no_decision.from=qualify", "nurture.lost=0.3",
                                          "sources.inbound.speed_to_lead.curve=[[0h, 1], [2h, 0.1]]"});
    CHECK(cfg.no_decision.enabled);
    CHECK(cfg.no_decision.from_stage == 0);
    CHECK(cfg.no_decision.share == 0.4);  // the others keep their defaults
    CHECK(cfg.nurture.enabled);
    CHECK(cfg.nurture.lost == 0.3);
    CHECK(cfg.nurture.disqualified == 0.5);
    REQUIRE(cfg.sources[0].speed_to_lead.size() == 2);
    CHECK(cfg.sources[0].speed_to_lead[1].at_h == 2.0);
    // A value is still checked; a plain text value is still not a map.
    const auto ds = errors_of([&] { load_scenario(file, {"nurture.lost=2", "description.x=1"}); });
    REQUIRE(ds.size() == 2);
    CHECK_DIAG(ds, "--set", 1, 14, "nurture.lost", "must be a number in [0, 0.99], got '2'");
    CHECK_DIAG(ds, "--set", 1, 13, "description.x", "'description' is the value 'the inherited market', so it has no key 'x'");
}
