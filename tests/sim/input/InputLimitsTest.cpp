// Inputs at and beyond the documented limits (docs/limits.md) are refused with a clear
// message, in time and memory that do not grow with the square of their size.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include "TestSupport.hpp"
#include "input/ConfigNode.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/SetOverride.hpp"
#include "input/TreeLoader.hpp"
#include "input/YamlParser.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {



}  // namespace

TEST_CASE("a map of 190,000 keys is refused at the node limit; duplicates are found among 90,000 keys") {
    std::string big = "name: x\nextra:\n";
    for (int i = 0; i < 190'000; ++i) big += "  k" + std::to_string(i) + ": 1\n";
    Diagnostics diags;
    CHECK_FALSE(parse_yaml(big, "big.yaml", diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags.items()[0].str() == "big.yaml:100000:11: the document is too large (more than 200000 values, counting "
                                    "expanded aliases)");
    std::string dup = "extra:\n";
    for (int i = 0; i < 90'000; ++i) dup += "  k" + std::to_string(i) + ": 1\n";
    dup += "  k123: 2\n";
    Diagnostics d2;
    const auto tree = parse_yaml(dup, "dup.yaml", d2);
    REQUIRE(tree);
    CHECK(tree->find("extra")->entries().size() == 90'000);
    REQUIRE(d2.size() == 1);
    CHECK(d2.items()[0].str() == "dup.yaml:90002:3: extra.k123: duplicate key 'k123' (first written at line 125, column 3)");
}

TEST_CASE("a --set path of 40,000 segments is refused without quadratic memory") {
    std::string path = "a";
    for (int i = 1; i < 40'000; ++i) path += ".a";
    ConfigNode root = load_tree(data_dir + "/base.yaml");
    const long before = peak_kb();
    const auto ds = errors_of([&] { apply_set_argument(root, path + "=1"); });
    CHECK(peak_kb() - before < 16 * 1024);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].str() == "--set:1:1: the path 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a....' has "
                         "40000 segments and indexes; at most 64 are allowed");
    // 64 segments are still a path (here one that creates new keys, which validation judges).
    std::string ok = "simulation";
    for (int i = 1; i < 64; ++i) ok += ".x";
    CHECK_NOTHROW(apply_set_argument(root, ok + "=1"));
}

TEST_CASE("a source that would bring more than 10^8 leads per replication is refused") {
    TempDir dir;
    const std::string f = dir.write("rate.yaml", mini_with("arrivals: 10/w", "arrivals: 1e300/h"));
    auto ds = errors_of([&] { load_scenario(f); });
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].str() == f + ":6:15: sources.web.arrivals: would bring about 6.72e+302 leads per replication (rate x "
                             "horizon); at most 1e+08 are allowed, got '1e300/h'");
    const std::string g = dir.write("camp.yaml", mini_with("    arrivals: 10/w\n",
                                                           "    campaigns:\n" + [] {
                                                               std::string c;
                                                               for (int i = 0; i < 101; ++i) c += "      - {at: 1d, leads: 1000000}\n";
                                                               return c;
                                                           }()));
    ds = errors_of([&] { load_scenario(g); });
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].str() == g + ":7:7: sources.web.campaigns: would bring about 1.01e+08 leads per replication (the "
                             "campaigns' leads); at most 1e+08 are allowed, got a list");
    // Just below the limit: 10^8 leads in 4 weeks.
    const std::string h = dir.write("ok.yaml", mini_with("arrivals: 10/w", "arrivals: 25000000/w"));
    CHECK(load_scenario(h).sources[0].rate_per_h > 0);
}
