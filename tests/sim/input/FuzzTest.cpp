// Robustness: mutated scenarios (truncated at every byte, bytes replaced, lines dropped
// or repeated, random bytes, mutated traces and --set arguments) either load or throw
// InputError with at least one diagnostic; nothing else may escape, nothing may crash.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "TestSupport.hpp"
#include "input/ScenarioLoader.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// 0 = loaded, 1 = InputError; anything else fails the test with the input shown.
int outcome(const std::string& yaml, const std::string& file, const std::vector<std::string>& sets = {}) {
    try {
        load_scenario_text(yaml, file, sets);
        return 0;
    } catch (const InputError& e) {
        CHECK_FALSE(e.diagnostics().empty());
        CHECK(std::string(e.what()).size() > 0);
        return 1;
    } catch (const std::exception& e) {
        FAIL_CHECK("unexpected exception " << e.what() << " for input:\n" << yaml);
    } catch (...) {
        FAIL_CHECK("unexpected non-standard exception for input:\n" << yaml);
    }
    return 2;
}

}  // namespace

TEST_CASE("fuzz: truncation at every byte offset") {
    const std::string text = read(data_dir + "/valid.yaml");
    REQUIRE(text.size() > 1000);
    const std::string label = data_dir + "/fuzz.yaml";
    CHECK(outcome(text, label) == 0);
    int failures = 0;
    for (std::size_t n = 0; n < text.size(); ++n) failures += outcome(text.substr(0, n), label);
    CHECK(failures > 0);
}

TEST_CASE("fuzz: each byte replaced by a troublesome one") {
    const std::string text = read(data_dir + "/valid.yaml");
    const std::string label = data_dir + "/fuzz.yaml";
    const std::string specials = std::string("\0\xff\x80 :-[]{}\"'\t\n&*#!|>,%@`?", 24);
    std::mt19937 rng(12345);
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::string m = text;
        m[i] = specials[rng() % specials.size()];
        outcome(m, label);
        std::string flipped = text;
        flipped[i] = static_cast<char>(flipped[i] ^ (1 << (rng() % 8)));
        outcome(flipped, label);
    }
}

TEST_CASE("fuzz: lines dropped, repeated and swapped") {
    const std::string text = read(data_dir + "/valid.yaml");
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l + "\n");
    const std::string label = data_dir + "/fuzz.yaml";
    auto join_lines = [](const std::vector<std::string>& ls) {
        std::string out;
        for (const auto& l : ls) out += l;
        return out;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto dropped = lines;
        dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(i));
        outcome(join_lines(dropped), label);
        auto repeated = lines;
        repeated.insert(repeated.begin() + static_cast<std::ptrdiff_t>(i), lines[i]);
        outcome(join_lines(repeated), label);
        if (i + 1 < lines.size()) {
            auto swapped = lines;
            std::swap(swapped[i], swapped[i + 1]);
            outcome(join_lines(swapped), label);
        }
        auto indented = lines;
        indented[i] = " " + indented[i];
        outcome(join_lines(indented), label);
    }
}

TEST_CASE("fuzz: random bytes and random splices") {
    const std::string text = read(data_dir + "/valid.yaml");
    const std::string label = data_dir + "/fuzz.yaml";
    std::mt19937 rng(987);
    for (int round = 0; round < 300; ++round) {
        std::string junk(rng() % 400, '\0');
        for (auto& c : junk) c = static_cast<char>(rng() & 0xff);
        outcome(junk, label);
        std::string m = text;
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits && !m.empty(); ++e) {
            const std::size_t at = rng() % m.size();
            const std::size_t from = rng() % text.size();
            const std::size_t len = rng() % 40;
            if (rng() % 2) m.insert(at, text.substr(from, len));
            else m.erase(at, len);
        }
        outcome(m, label);
    }
}

TEST_CASE("fuzz: --set arguments") {
    const std::string text = read(data_dir + "/valid.yaml");
    const std::string label = data_dir + "/fuzz.yaml";
    const std::vector<std::string> args{
        "", "=", "==", ".=1", "a.b.c.d.e.f=1", "roles=", "roles=[]", "roles={}", "roles.ae=~", "roles.ae=[1]",
        "roles.ae.efficiency.close=0", "stages.qualify.rework={to: close, probability: 0.5}", "sources[1]=1",
        "sources.inbound.seasonality[12]=x", "sources.inbound.seasonality[99999999999]=1", "sources.inbound.seasonality[-1]=1",
        "sources.inbound.seasonality[]=1", "sources.inbound.seasonality[1=1", "name=" + std::string(1000, '['),
        "name=\"unterminated\n", "name=a\0b", "simulation.horizon=&a [*a]", "name=*x", "name=---\n---",
        "roles.ae.headcount=1e999", "simulation.seed=18446744073709551616", "roles.se={remove: true}",
        std::string("name=\xff\xfe"), "simulation=24/7"};
    for (const auto& a : args) outcome(text, label, {a});
    std::mt19937 rng(4242);
    for (int round = 0; round < 300; ++round) {
        std::string a = args[rng() % args.size()];
        for (int e = 0; e < 3 && !a.empty(); ++e) a[rng() % a.size()] = static_cast<char>(rng() & 0xff);
        outcome(text, label, {a});
    }
}

TEST_CASE("fuzz: mutated trace files and extends chains through real files") {
    TempDir dir;
    const std::string csv = read(data_dir + "/leads.csv");
    const std::string scenario = read(data_dir + "/trace.yaml");
    const std::string path = dir.write("trace.yaml", scenario);
    std::mt19937 rng(77);
    auto run = [&] {
        try {
            load_scenario(path);
        } catch (const InputError&) {
        } catch (const std::exception& e) {
            FAIL_CHECK("unexpected exception " << e.what());
        }
    };
    for (std::size_t n = 0; n <= csv.size(); ++n) {
        dir.write("leads.csv", csv.substr(0, n));
        run();
    }
    for (int round = 0; round < 200; ++round) {
        std::string m = csv;
        m[rng() % m.size()] = static_cast<char>(rng() & 0xff);
        dir.write("leads.csv", m);
        run();
    }
    // A base file mutated under an extending one.
    const std::string base = read(data_dir + "/base.yaml");
    const std::string child = read(data_dir + "/child.yaml");
    const std::string child_path = dir.write("child.yaml", child);
    for (int round = 0; round < 200; ++round) {
        std::string m = base;
        m[rng() % m.size()] = "\0:-[{\"\n "[rng() % 8];
        dir.write("base.yaml", m);
        try {
            load_scenario(child_path);
        } catch (const InputError&) {
        } catch (const std::exception& e) {
            FAIL_CHECK("unexpected exception " << e.what());
        }
    }
}
