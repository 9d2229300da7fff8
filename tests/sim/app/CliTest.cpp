// The command line as a user meets it: exit statuses, messages that name file, line,
// column and key path, and the promise that bad input writes nothing.
#include <doctest/doctest.h>

#include "AppTestSupport.hpp"

using namespace salesflow::test;
namespace fs = std::filesystem;

namespace {

const char* good_scenario = R"(name: small
simulation:
  horizon: 4w
  replications: 3
  calendar: 24/7
sources:
  - name: inbound
    arrivals: 20/w
stages:
  - name: qualify
    role: sdr
    effort: {exponential: {mean: 30min}}
    advance: 0.5
  - name: close
    role: ae
    effort: 2h
    advance: quality
roles:
  - name: sdr
    headcount: 1
  - name: ae
    headcount: 2
    cost_per_year: 100000
)";

// Replaces the first occurrence of `from` in the good scenario.
std::string with(const std::string& from, const std::string& to) {
    std::string s = good_scenario;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.replace(at, from.size(), to);
    return s;
}

struct BadCase {
    std::string what;
    std::string text;
    std::string expect;  // expected start of the message after the file name
    std::string extra_args = "";
};

}  // namespace

TEST_CASE("help, version and wrong arguments") {
    auto v = run_salesflow("--version");
    CHECK(v.status == 0);
    CHECK(v.out.rfind("salesflow ", 0) == 0);
    auto h = run_salesflow("--help");
    CHECK(h.status == 0);
    CHECK(h.out.find("salesflow run SCENARIO.yaml") != std::string::npos);
    CHECK(run_salesflow("run --help").status == 0);
    CHECK(run_salesflow("frobnicate x.yaml").status == 2);
    CHECK(run_salesflow("run").status == 2);
    CHECK(run_salesflow("run a.yaml --threads -3").status == 2);
    CHECK(run_salesflow("run a.yaml --replications 0").status == 2);
    CHECK(run_salesflow("run a.yaml --no-such-option").status == 2);
    CHECK(run_salesflow("compare a.yaml").status == 2);
}

TEST_CASE("the shipped scenarios validate") {
    for (const char* f : {"scenarios/resource-optimised.yaml", "scenarios/flow-optimised.yaml"}) {
        CAPTURE(f);
        const auto r = run_salesflow("validate " + source_path(f));
        CHECK(r.status == 0);
        CHECK(r.out.find("ok") != std::string::npos);
    }
}

TEST_CASE("bad input: exit 2, FILE:LINE:COLUMN: PATH: reason, and an existing output untouched") {
    const auto dir = scratch("bad-input");
    const std::vector<BadCase> cases = {
        {"syntax", with("arrivals: 20/w", "arrivals: [20/w"), ":9:7: YAML syntax error"},
        {"unknown key", with("    headcount: 2", "    hedcount: 2"), ":22:5: roles.ae.hedcount: unknown key 'hedcount' (did you mean 'headcount'?)"},
        {"wrong type", with("headcount: 1", "headcount: many"), ":20:16: roles.sdr.headcount: must be an integer >= 0, got"},
        {"out of range", with("headcount: 1", "headcount: -1"), ":20:16: roles.sdr.headcount: must be an integer >= 0, got"},
        {"undefined role", with("role: ae", "role: ea"), ":15:11: stages.close.role: undefined role 'ea' (did you mean 'ae'?)"},
        {"bad duration", with("horizon: 4w", "horizon: 4 weeks"), ":3:12: simulation.horizon:"},
        {"bad rate", with("arrivals: 20/w", "arrivals: 20/fortnight"), ":8:15: sources.inbound.arrivals:"},
        {"bad distribution family", with("exponential: {mean: 30min}", "exponentail: {mean: 30min}"), ":12:14: stages.qualify.effort.exponentail: unknown distribution family 'exponentail' (did you mean 'exponential'?)"},
        {"bad distribution parameter", with("exponential: {mean: 30min}", "exponential: {mean: -30min}"), ":12:"},
        {"probability out of range", with("advance: 0.5", "advance: 1.5"), ":13:14: stages.qualify.advance:"},
        {"bad batch", with("advance: 0.5", "advance: 0.5\n    batch: soon"), ":14:12: stages.qualify.batch:"},
        {"huge number", with("replications: 3", "replications: 1e999"), ":4:17: simulation.replications:"},
        {"bad --set path", good_scenario, "--set", "--set roles.cto.headcount=3"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        const auto file = dir / "bad.yaml";
        write_file(file, c.text);
        const auto out = dir / "results.h5";
        write_file(out, "precious earlier results");
        const auto r = run_salesflow("run " + file.string() + " -o " + out.string() + " " + c.extra_args);
        CHECK(r.status == 2);
        if (c.extra_args.empty()) {
            CHECK_MESSAGE(r.out.find(file.string() + c.expect) != std::string::npos, r.out);
        } else {
            CHECK(r.out.find(c.expect) != std::string::npos);
            CHECK(r.out.find("cto") != std::string::npos);
        }
        CHECK(read_file(out) == "precious earlier results");
        int entries = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
        CHECK(entries == 2);  // bad.yaml and results.h5: no temporary file left behind
    }
}

TEST_CASE("missing files and cycles in extends: exit 2 with the position of the cause") {
    const auto dir = scratch("extends");
    CHECK(run_salesflow("validate " + (dir / "nope.yaml").string()).status == 2);
    write_file(dir / "a.yaml", "extends: b.yaml\nname: a\n");
    write_file(dir / "b.yaml", "extends: a.yaml\nname: b\n");
    auto r = run_salesflow("validate " + (dir / "a.yaml").string());
    CHECK(r.status == 2);
    CHECK(r.out.find("cycle") != std::string::npos);
    write_file(dir / "c.yaml", "name: c\nextends: missing-base.yaml\n");
    r = run_salesflow("validate " + (dir / "c.yaml").string());
    CHECK(r.status == 2);
    CHECK_MESSAGE(r.out.find((dir / "c.yaml").string() + ":2:1: extends: cannot load") != std::string::npos, r.out);
}

TEST_CASE("malformed files never crash: empty, binary, deep nesting") {
    const auto dir = scratch("malformed");
    const std::vector<std::string> texts = {"", std::string("\x00\xff\xfe\x01garbage\x80", 12), std::string(5000, '['),
                                            "name: [", "- a\n- b\n", "name: x\nname: y\n", "\t\tname: x"};
    for (std::size_t i = 0; i < texts.size(); ++i) {
        CAPTURE(i);
        const auto f = dir / ("m" + std::to_string(i) + ".yaml");
        write_file(f, texts[i]);
        const auto r = run_salesflow("run " + f.string() + " -o " + (dir / "o.h5").string());
        CHECK(r.status == 2);
        CHECK_FALSE(fs::exists(dir / "o.h5"));
    }
}

TEST_CASE("run writes the results file; an interval line per headline metric") {
    const auto dir = scratch("run");
    write_file(dir / "small.yaml", good_scenario);
    const auto r = run_salesflow("run small.yaml --threads 2", dir);
    CHECK(r.status == 0);
    CHECK(fs::exists(dir / "results" / "small.h5"));
    CHECK(r.out.find("throughput_per_week") != std::string::npos);
    CHECK(r.out.find("analytic estimate") != std::string::npos);
    CHECK(r.out.find("results: results/small.h5") != std::string::npos);
}
