// FieldTable: a map's keys declared once give the allowed keys, the reading with defaults
// and ranges, the messages, and a check of one value alone; the scenario's own tables are
// the reference the documentation must cover.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "TestSupport.hpp"
#include "input/FieldTable.hpp"
#include "input/ScenarioBuilder.hpp"
#include "input/YamlParser.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {

enum class Colour { red, green };

struct Toy {
    int count = 3;
    double share = 0.5;
    double wait_h = 0.0;
    Colour colour = Colour::red;
    salesflow::kernel::DistributionSpec effort = salesflow::kernel::DistributionSpec::constant(1.0);
};

const FieldTable<Toy>& toy_table() {
    static const FieldTable<Toy> table = [] {
        FieldTable<Toy> t("a map {count, share, wait, colour, effort}");
        t.integer("count", 1, 10, &Toy::count, "3", "how many").required()
            .number("share", Range::probability(), &Toy::share, "0.5", "a share")
            .duration("wait", Range::at_least(0), &Toy::wait_h, "0", "a wait")
            .choice("colour", {"red", "green"}, "colour", &Toy::colour, "red", "a colour")
            .distribution("effort", QuantityKind::time, &Toy::effort, "1", "work");
        return t;
    }();
    return table;
}

struct Read {
    Toy toy;
    std::vector<Diagnostic> ds;
};

Read read_toy(const std::string& yaml) {
    Diagnostics diags;
    auto tree = parse_yaml(yaml, "toy.yaml", diags);
    REQUIRE(tree);
    ValueReader values(diags);
    DistributionReader dists(values);
    FieldReaders r{values, dists, diags};
    Read out;
    const auto& t = toy_table();
    t.read(t.map(*tree, "toy", diags), r, out.toy);
    out.ds = diags.sorted();
    return out;
}

}  // namespace

TEST_CASE("a field table reads declared keys into their members and keeps defaults") {
    const auto r = read_toy("count: 7\nwait: 2d\ncolour: green\neffort: {exponential: {mean: 90min}}\n");
    CHECK(r.ds.empty());
    CHECK(r.toy.count == 7);
    CHECK(r.toy.share == 0.5);  // default kept
    CHECK(r.toy.wait_h == 48.0);
    CHECK(r.toy.colour == Colour::green);
    CHECK(r.toy.effort.family == salesflow::kernel::DistFamily::exponential);
    CHECK(r.toy.effort.p1 == 1.5);
    CHECK(toy_table().keys() == std::vector<std::string>{"count", "share", "wait", "colour", "effort"});
}

TEST_CASE("a field table reports unknown keys, missing required keys and values out of range") {
    const auto r = read_toy("share: 1.5\ncolor: red\ncolour: blue\n");
    REQUIRE(r.ds.size() == 4);
    CHECK(r.ds[0].str() == "toy.yaml:1:1: toy.count: required key 'count' is missing");
    CHECK(r.ds[1].str() == "toy.yaml:1:8: toy.share: must be a number in [0, 1], got '1.5'");
    CHECK(r.ds[2].str() == "toy.yaml:2:1: toy.color: unknown key 'color' (did you mean 'colour'?)");
    CHECK(r.ds[3].str() == "toy.yaml:3:9: toy.colour: unknown colour 'blue' (expected one of: red, green)");
    CHECK(r.toy.share == 0.5);
    const auto bad = read_toy("count: 1\nwait: -1h\n");
    REQUIRE(bad.ds.size() == 1);
    CHECK(bad.ds[0].str() == "toy.yaml:2:7: toy.wait: must not be negative, got '-1h'");
}

TEST_CASE("check_value: an independent field's value is checked alone; others are left to the caller") {
    Diagnostics diags;
    ValueReader values(diags);
    DistributionReader dists(values);
    FieldReaders r{values, dists, diags};
    const Position at{"sweep.yaml", 4, 9};
    CHECK(toy_table().check_value("count", ConfigNode::scalar("11", false, at), "vary.count", r));
    CHECK(toy_table().check_value("count", ConfigNode::scalar("10", false, at), "vary.count", r));
    CHECK_FALSE(toy_table().check_value("effort", ConfigNode::scalar("1h", false, at), "vary.effort", r));
    CHECK_FALSE(toy_table().check_value("nothing", ConfigNode::scalar("1", false, at), "vary.nothing", r));
    REQUIRE(diags.size() == 1);
    CHECK(diags.items()[0].str() == "sweep.yaml:4:9: vary.count: must be at most 10, got '11'");
}

TEST_CASE("every key of the scenario's field tables is documented in scenarios/README.md") {
    std::ifstream in(std::string(SALESFLOW_INPUT_DATA) + "/../../../../scenarios/README.md");
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string readme = ss.str();
    const auto keys = ScenarioBuilder::reference();
    CHECK(keys.size() > 60);
    // Where each section's keys are documented: a heading or the line that opens its
    // table, up to the next heading or the next `roles[].X` table. The keys of the small
    // maps written inline ({effort: D, lag: L, block: B}) are in their parent's table row.
    const std::map<std::string, std::string> anchor{
        {"", "#### Top level"},
        {"simulation", "#### `simulation`"},
        {"simulation.calendar", "#### Calendars"},
        {"sources[]", "#### `sources[]`"},
        {"sources[].speed_to_lead", "#### `sources[].speed_to_lead`"},
        {"stages[]", "#### `stages[]`"},
        {"roles[]", "#### `roles[]`"},
        {"roles[].context_switching", "\n`roles[].context_switching`"},
        {"roles[].learning", "\n`roles[].learning`"},
        {"roles[].hires[]", "\n`roles[].hires[]`"},
        {"roles[].attrition", "\n`roles[].attrition`"},
        {"roles[].ramp", "\n`roles[].ramp`"},
        {"ownership", "#### `ownership`"},
        {"handoff", "#### `handoff`"},
        {"costs", "#### `costs`"},
        {"funnel", "#### `funnel`"},
        {"no_decision", "#### `no_decision`"},
        {"nurture", "#### `nurture`"},
        {"quarter_end", "#### `quarter_end`"}};
    const std::map<std::string, std::pair<std::string, std::string>> inline_map{
        {"sources[].prospecting", {"sources[]", "prospecting"}},
        {"sources[].campaigns[]", {"sources[]", "campaigns"}},
        {"stages[].rework", {"stages[]", "rework"}},
        {"stages[].gate", {"stages[]", "gate"}},
        {"roles[].prospecting", {"roles[]", "prospecting"}}};
    const auto region = [&](const std::string& section) -> std::string {
        const auto a = anchor.find(section);
        if (a == anchor.end()) return {};
        const auto from = readme.find(a->second);
        if (from == std::string::npos) return {};
        const auto to = std::min(readme.find("\n#### ", from + 1), readme.find("\n`roles[].", from + 1));
        return readme.substr(from, to == std::string::npos ? std::string::npos : to - from);
    };
    for (const auto& k : keys) {
        CAPTURE(k.section);
        CAPTURE(k.key);
        CHECK(!k.doc.empty());
        if (const auto m = inline_map.find(k.section); m != inline_map.end()) {
            // The parent's row, e.g. | `prospecting` | ... `{effort: D, lag: L, block: B}` ...
            const std::string r = region(m->second.first);
            const auto row = r.find("| `" + m->second.second + "` |");
            REQUIRE(row != std::string::npos);
            const std::string line = r.substr(row, r.find('\n', row) - row);
            CHECK((contains(line, "{" + k.key + ":") || contains(line, ", " + k.key + ":") ||
                   contains(line, "{" + k.key + ",") || contains(line, ", " + k.key + ",") ||
                   contains(line, " " + k.key + "}")));
            continue;
        }
        // A row of the section's own key table.
        CHECK(contains(region(k.section), "| `" + k.key + "` |"));
    }
}
