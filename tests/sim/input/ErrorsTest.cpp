// Invalid scenarios: each kind of problem reported with its file, line, column, dotted
// path and the offending value quoted; all problems of a file in one pass.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>

#include "TestSupport.hpp"
#include "input/ScenarioLoader.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {
// Writes `text` to a temp file and returns the diagnostics of loading it.
struct Loaded {
    TempDir dir;
    std::string file;
    std::vector<Diagnostic> ds;
};
std::unique_ptr<Loaded> load_bad(const std::string& text, const std::string& name = "bad.yaml") {
    auto l = std::make_unique<Loaded>();
    l->file = l->dir.write(name, text);
    l->ds = errors_of([&] { load_scenario(l->file); });
    return l;
}
}  // namespace

TEST_CASE("many problems in one file are all reported in one pass, sorted by line") {
    const std::string text =
        "name: bad name!\n"                                                        // 1
        "simulation:\n"                                                            // 2
        "  horizon: 0\n"                                                           // 3
        "  warmup: -3h\n"                                                          // 4
        "  replications: 2.5\n"                                                    // 5
        "  seed: -1\n"                                                             // 6
        "  calendar: {hours_per_day: 25, days_per_week: 8}\n"                      // 7
        "  sampel_every: 1d\n"                                                     // 8
        "sources:\n"                                                               // 9
        "  - name: inbound\n"                                                      // 10
        "    arrivals: 30/fortnight\n"                                             // 11
        "    quality: {exponential: {mean: 0.5}}\n"                                // 12
        "    value: {normal: {mean: 3}}\n"                                         // 13
        "  - name: inbound\n"                                                      // 14
        "    arrivals: 3w\n"                                                       // 15
        "stages:\n"                                                                // 16
        "  - name: qualify\n"                                                      // 17
        "    role: sdrr\n"                                                         // 18
        "    effort: {exponential: {mean: 1h}, uniform: {min: 1h, max: 2h}}\n"     // 19
        "    advance: 1.5\n"                                                       // 20
        "    rework: {to: close, probability: 1}\n"                                // 21
        "  - name: close\n"                                                        // 22
        "    roles: [ae, ae]\n"                                                    // 23
        "    effort: {triangular: {min: 3h, mode: 1h, max: 2h}}\n"                 // 24
        "    touches: 0\n"                                                         // 25
        "roles:\n"                                                                 // 26
        "  - name: sdr\n"                                                          // 27
        "    hedcount: 2\n"                                                        // 28
        "  - name: ae\n"                                                           // 29
        "    headcount: -1\n"                                                      // 30
        "    discipline: fifoo\n"                                                  // 31
        "    efficiency: {clos: 2}\n"                                              // 32
        "    context_switching: [0.5, 0.2]\n"                                      // 33
        "    prospecting: {policy: reserved}\n"                                    // 34
        "ownership: {from: nowhere}\n"                                             // 35
        "handoff: {effort: 5m}\n";                                                 // 36
    const auto l = load_bad(text);
    const auto& ds = l->ds;
    const std::string& f = l->file;
    CHECK(ds.size() == 31);
    for (std::size_t i = 1; i < ds.size(); ++i) CHECK(ds[i - 1].line <= ds[i].line);

    CHECK_DIAG(ds, f, 1, 7, "name", "letters, digits, '-' and '_', got 'bad name!'");
    CHECK_DIAG(ds, f, 3, 12, "simulation.horizon", "must be a duration > 0 hours, got '0'");
    CHECK_DIAG(ds, f, 4, 11, "simulation.warmup", "must not be negative, got '-3h'");
    CHECK_DIAG(ds, f, 5, 17, "simulation.replications", "must be an integer >= 1, got '2.5'");
    CHECK_DIAG(ds, f, 6, 9, "simulation.seed", "got '-1'");
    CHECK_DIAG(ds, f, 7, 29, "simulation.calendar.hours_per_day", "must be a duration in (0, 24] hours, got '25'");
    CHECK_DIAG(ds, f, 7, 48, "simulation.calendar.days_per_week", "must be at most 7, got '8'");
    CHECK_DIAG(ds, f, 8, 3, "simulation.sampel_every", "unknown key 'sampel_every' (did you mean 'sample_every'?)");
    CHECK_DIAG(ds, f, 11, 15, "sources.inbound.arrivals", "unknown unit 'fortnight'");
    CHECK_DIAG(ds, f, 11, 15, "sources.inbound.arrivals", "got '30/fortnight'");
    CHECK_DIAG(ds, f, 12, 28, "sources.inbound.quality.exponential", "a quality must lie in [0, 1]");
    CHECK_DIAG(ds, f, 13, 13, "sources.inbound.value.normal",
               "unknown distribution family 'normal' (did you mean 'lognormal'?)");
    CHECK_DIAG(ds, f, 15, 15, "sources.inbound.arrivals", "e.g. 3/w, got '3w'");  // the second 'inbound'
    CHECK_DIAG(ds, f, 18, 11, "stages.qualify.role", "undefined role 'sdrr' (did you mean 'sdr'?)");
    CHECK_DIAG(ds, f, 19, 39, "stages.qualify.effort.uniform",
               "a distribution names exactly one family, got both 'exponential' and 'uniform'");
    CHECK_DIAG(ds, f, 20, 14, "stages.qualify.advance", "must be a probability in [0, 1] or the word quality, got '1.5'");
    CHECK_DIAG(ds, f, 21, 18, "stages.qualify.rework.to", "'close' comes after 'qualify'");
    CHECK_DIAG(ds, f, 21, 38, "stages.qualify.rework.probability", "must be a number in [0, 1), got '1'");
    CHECK_DIAG(ds, f, 23, 17, "stages.close.roles[2]", "the role 'ae' is listed twice");
    CHECK_DIAG(ds, f, 24, 26, "stages.close.effort.triangular",
               "needs min <= mode <= max and min < max, got min '3h', mode '1h' and max '2h'");
    CHECK_DIAG(ds, f, 25, 14, "stages.close.touches", "must be an integer >= 1, got '0'");
    CHECK_DIAG(ds, f, 27, 5, "roles.sdr.headcount", "required key 'headcount' is missing");
    CHECK_DIAG(ds, f, 28, 5, "roles.sdr.hedcount", "unknown key 'hedcount' (did you mean 'headcount'?)");
    CHECK_DIAG(ds, f, 30, 16, "roles.ae.headcount", "must be an integer >= 0, got '-1'");
    CHECK_DIAG(ds, f, 31, 17, "roles.ae.discipline", "unknown discipline 'fifoo' (did you mean 'fifo'?)");
    CHECK_DIAG(ds, f, 32, 18, "roles.ae.efficiency.clos", "undefined stage 'clos' (did you mean 'close'?)");
    CHECK_DIAG(ds, f, 33, 30, "roles.ae.context_switching[2]", "must not decrease");
    CHECK_DIAG(ds, f, 34, 18, "roles.ae.prospecting.share", "required key 'share' is missing");
    CHECK_DIAG(ds, f, 34, 18, "roles.ae.prospecting", "no source has prospecting: {effort}, so there is nothing to prospect for");
    CHECK_DIAG(ds, f, 35, 19, "ownership.from", "undefined stage 'nowhere' (expected one of: qualify, close)");
    CHECK_DIAG(ds, f, 36, 19, "handoff.effort", "ambiguous unit 'm'");

    // The exception's text is every diagnostic, one per line, in the documented format.
    try {
        load_scenario(f);
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(contains(what, f + ":30:16: roles.ae.headcount: must be an integer >= 0, got '-1'\n"));
        CHECK(std::count(what.begin(), what.end(), '\n') == static_cast<long>(ds.size()) - 1);
    }
}

TEST_CASE("missing required keys are reported at the parent map") {
    SUBCASE("top level") {
        const auto l = load_bad("description: nothing else\n");
        CHECK_DIAG(l->ds, l->file, 1, 1, "name", "required key 'name' is missing");
        CHECK_DIAG(l->ds, l->file, 1, 1, "simulation", "required key 'simulation' is missing");
        CHECK_DIAG(l->ds, l->file, 1, 1, "sources", "required key 'sources' is missing");
        CHECK_DIAG(l->ds, l->file, 1, 1, "stages", "required key 'stages' is missing");
        CHECK_DIAG(l->ds, l->file, 1, 1, "roles", "required key 'roles' is missing");
        CHECK(l->ds.size() == 5);
    }
    SUBCASE("nested, and present but empty") {
        const auto l = load_bad(replaced(mini_with("  horizon: 4w\n", "  replications: 3\n"),
                                         "    effort: {exponential: {mean: 2h}}\n", "    effort:\n"));
        CHECK_DIAG(l->ds, l->file, 3, 3, "simulation.horizon", "required key 'horizon' is missing");
        CHECK_DIAG(l->ds, l->file, 10, 5, "stages.work.effort", "required key 'effort' has no value");
    }
    SUBCASE("a stage without role") {
        const auto l = load_bad(mini_with("    role: rep\n", ""));
        CHECK_DIAG(l->ds, l->file, 8, 5, "stages.work.role", "required key 'role' is missing (or give roles");
    }
    SUBCASE("list item without name") {
        const auto l = load_bad(mini_with("  - name: rep\n", "  - nam: rep\n"));
        CHECK_DIAG(l->ds, l->file, 12, 5, "roles[1].name", "required key 'name' is missing");
        CHECK_DIAG(l->ds, l->file, 12, 5, "roles[1].nam", "unknown key 'nam' (did you mean 'name'?)");
        CHECK_DIAG(l->ds, l->file, 9, 11, "stages.work.role", "undefined role 'rep'");
    }
}

TEST_CASE("wrong types") {
    SUBCASE("integer given as text, boolean, float, quoted number, list") {
        for (const auto& [value, shown] : std::vector<std::pair<std::string, std::string>>{
                 {"two", "got 'two'"}, {"true", "got 'true'"}, {"2.0", "got '2.0'"},
                 {"\"2\"", "got '2' (quoted, so it is text)"}, {"[2]", "got a list"}, {"{n: 2}", "got a map"}}) {
            const auto l = load_bad(mini_with("headcount: 2", "headcount: " + value));
            CHECK_DIAG(l->ds, l->file, 13, 16, "roles.rep.headcount", "must be an integer >= 0, " + shown);
        }
    }
    SUBCASE("a list where a map belongs, a map where a list belongs") {
        const auto l = load_bad(mini_with("simulation:\n  horizon: 4w\n", "simulation: [4w]\n"));
        CHECK_DIAG(l->ds, l->file, 2, 13, "simulation", "must be a map with the keys horizon, warmup");
        const auto l2 = load_bad(mini_with("roles:\n  - name: rep\n    headcount: 2\n", "roles: {rep: 2}\n"));
        CHECK_DIAG(l2->ds, l2->file, 11, 8, "roles", "must be a list of roles, each a map with a name, got a map");
        const auto l3 = load_bad(mini_with("roles:\n  - name: rep\n    headcount: 2\n", "roles: []\n"));
        CHECK_DIAG(l3->ds, l3->file, 11, 8, "roles", "must list at least one role");
        const auto l4 = load_bad(mini_with("  - name: rep\n    headcount: 2\n", "  - rep\n"));
        CHECK_DIAG(l4->ds, l4->file, 12, 5, "roles[1]", "each item must be a map with a name, got 'rep'");
    }
    SUBCASE("probability out of range and not a number") {
        const auto l = load_bad(mini_with("    role: rep\n", "    role: rep\n    gate: {threshold: 1.2, noise_sd: -1}\n"));
        CHECK_DIAG(l->ds, l->file, 10, 23, "stages.work.gate.threshold", "must be a number in [0, 1], got '1.2'");
        CHECK_DIAG(l->ds, l->file, 10, 38, "stages.work.gate.noise_sd", "must be a number >= 0, got '-1'");
    }
}

TEST_CASE("bad durations and rates in a scenario") {
    const auto l = load_bad(mini_with("  horizon: 4w\n", "  horizon: 4 weeks\n  warmup: 3m\n  sample_every: .nan\n"));
    CHECK_DIAG(l->ds, l->file, 3, 12, "simulation.horizon", "unknown unit 'weeks'");
    CHECK_DIAG(l->ds, l->file, 3, 12, "simulation.horizon", "got '4 weeks'");
    CHECK_DIAG(l->ds, l->file, 4, 11, "simulation.warmup", "ambiguous unit 'm' (minutes or months?): write 'min'");
    CHECK_DIAG(l->ds, l->file, 5, 17, "simulation.sample_every", "finite duration, got '.nan'");
    const auto r = load_bad(mini_with("arrivals: 10/w", "arrivals: ten per week"));
    CHECK_DIAG(r->ds, r->file, 6, 15, "sources.web.arrivals", "must be a rate such as 30/w");
    CHECK_DIAG(r->ds, r->file, 6, 15, "sources.web.arrivals", "got 'ten per week'");
    const auto n = load_bad(mini_with("arrivals: 10/w", "arrivals: -2/d"));
    CHECK_DIAG(n->ds, n->file, 6, 15, "sources.web.arrivals", "must not be negative, got '-2/d'");
}

TEST_CASE("huge numbers") {
    const auto l = load_bad(mini_with("  horizon: 4w\n", "  horizon: 1e999\n  replications: 99999999999999999999999\n") +
                            "    cost_per_year: 1e400\n");
    CHECK_DIAG(l->ds, l->file, 3, 12, "simulation.horizon", "is too large, got '1e999'");
    CHECK_DIAG(l->ds, l->file, 4, 17, "simulation.replications", "must be at most 10000000, got '99999999999999999999999'");
    CHECK_DIAG(l->ds, l->file, 15, 20, "roles.rep.cost_per_year", "must be a finite number, got '1e400' (too large)");
    const auto h = load_bad(mini_with("headcount: 2", "headcount: 100001"));
    CHECK_DIAG(h->ds, h->file, 13, 16, "roles.rep.headcount", "must be at most 100000, got '100001'");
    const auto y = load_bad(mini_with("horizon: 4w", "horizon: 1001y"));
    CHECK_DIAG(y->ds, y->file, 3, 12, "simulation.horizon", "must be at most 1000y, got '1001y'");
}

TEST_CASE("bad distributions") {
    auto effort = [](const std::string& e) { return mini_with("effort: {exponential: {mean: 2h}}", "effort: " + e); };
    SUBCASE("unknown family with a suggestion") {
        const auto l = load_bad(effort("{expnential: {mean: 2h}}"));
        CHECK_DIAG(l->ds, l->file, 10, 14, "stages.work.effort.expnential",
                   "unknown distribution family 'expnential' (did you mean 'exponential'?)");
    }
    SUBCASE("parameters without a family") {
        const auto l = load_bad(effort("{mean: 2h}"));
        CHECK_DIAG(l->ds, l->file, 10, 14, "stages.work.effort.mean", "name the family first");
    }
    SUBCASE("two families") {
        const auto l = load_bad(effort("{exponential: {mean: 2h}, pert: {min: 1h, mode: 2h, max: 3h}}"));
        CHECK_DIAG(l->ds, l->file, 10, 39, "stages.work.effort.pert", "got both 'exponential' and 'pert'");
    }
    SUBCASE("bad parameters") {
        auto one = [&](const std::string& e, int column, const std::string& path, const std::string& part) {
            const auto l = load_bad(effort(e));
            CHECK_DIAG(l->ds, l->file, 10, column, path, part);
        };
        one("{exponential: {mean: 0}}", 34, "stages.work.effort.exponential.mean", "must be a duration > 0 hours, got '0'");
        one("{exponential: {mean: 2h, sd: 1h}}", 38, "stages.work.effort.exponential.sd", "unknown key 'sd'");
        one("{exponential: 2h}", 27, "stages.work.effort.exponential", "must be a map {mean}, got '2h'");
        one("{uniform: {min: 3h, max: 1h}}", 23, "stages.work.effort.uniform", "min must be <= max, got min '3h' and max '1h'");
        one("{uniform: {min: -1h, max: 1h}}", 29, "stages.work.effort.uniform.min", "must not be negative, got '-1h'");
        one("{uniform: {min: 1h}}", 23, "stages.work.effort.uniform.max", "required key 'max' is missing");
        one("{pert: {min: 2h, mode: 2h, max: 2h}}", 20, "stages.work.effort.pert", "min < max");
        one("{lognormal: {mean: 2h, sd: -1h}}", 40, "stages.work.effort.lognormal.sd", "got '-1h'");
        one("{gamma: {mean: 2h, sd: 0}}", 36, "stages.work.effort.gamma.sd", "must be a duration > 0 hours, got '0'");
        one("{beta: {a: 0, b: 1}}", 24, "stages.work.effort.beta.a", "must be a number > 0, got '0'");
        one("{empirical: []}", 25, "stages.work.effort.empirical", "non-empty list of observed values (durations), got an empty list");
        one("{empirical: [1h, -2h]}", 30, "stages.work.effort.empirical[2]", "must not be negative, got '-2h'");
        one("{}", 13, "stages.work.effort", "got an empty map");
        one("[1h, 2h]", 13, "stages.work.effort", "for a list of observed values write {empirical: [...]}");
        one("-2h", 13, "stages.work.effort", "must not be negative, got '-2h'");
    }
    SUBCASE("qualities stay within [0, 1]") {
        const auto l = load_bad(mini_with("    arrivals: 10/w\n",
                                          "    arrivals: 10/w\n    quality: {uniform: {min: 0.5, max: 2}}\n"
                                          "    value: {lognormal: {mean: 0, sd: 1}}\n"));
        CHECK_DIAG(l->ds, l->file, 7, 40, "sources.web.quality.uniform.max", "must be a number in [0, 1], got '2'");
        CHECK_DIAG(l->ds, l->file, 8, 31, "sources.web.value.lognormal.mean", "must be a number > 0, got '0'");
        const auto g = load_bad(mini_with("    arrivals: 10/w\n", "    arrivals: 10/w\n    quality: {gamma: {mean: 0.5, sd: 0.1}}\n"));
        CHECK_DIAG(g->ds, g->file, 7, 22, "sources.web.quality.gamma", "a gamma distribution is unbounded; use beta");
    }
}

TEST_CASE("undefined references") {
    SUBCASE("undefined role in a stage, in a roles list") {
        const auto l = load_bad(mini_with("role: rep", "roles: [rep, closer]"));
        CHECK_DIAG(l->ds, l->file, 9, 18, "stages.work.roles[2]", "undefined role 'closer'");
        const auto b = load_bad(mini_with("role: rep", "role: rep\n    roles: [rep]"));
        CHECK_DIAG(b->ds, b->file, 10, 5, "stages.work.roles", "give either role");
    }
    SUBCASE("prospecting sources and roles must match") {
        const auto l = load_bad(
            "name: p\nsimulation: {horizon: 4w}\n"
            "sources:\n  - {name: web, arrivals: 1/d}\n  - {name: cold, prospecting: {effort: 0}}\n  - {name: warm, prospecting: {effort: 1h}, arrivals: 2/d}\n"
            "stages:\n  - {name: work, role: rep, effort: 1h}\n"
            "roles:\n  - {name: rep, headcount: 1, prospecting: {policy: reserved, share: 0, source: web}}\n"
            "  - {name: sdr, headcount: 1, prospecting: {policy: sometimes, share: 0.5}}\n");
        CHECK_DIAG(l->ds, l->file, 5, 40, "sources.cold.prospecting.effort", "must take some time on average");
        CHECK_DIAG(l->ds, l->file, 6, 45, "sources.warm.arrivals",
                   "give only one of arrivals, trace and prospecting; got both 'prospecting' and 'arrivals'");
        CHECK_DIAG(l->ds, l->file, 10, 70, "roles.rep.prospecting.share", "must be a number in (0, 1], got '0'");
        CHECK_DIAG(l->ds, l->file, 10, 81, "roles.rep.prospecting.source", "source 'web' has no prospecting");
        CHECK_DIAG(l->ds, l->file, 11, 53, "roles.sdr.prospecting.policy", "unknown policy 'sometimes'");
        CHECK_DIAG(l->ds, l->file, 11, 44, "roles.sdr.prospecting", "several sources have prospecting (cold, warm)");
    }
    SUBCASE("a prospecting source nobody works") {
        const auto l = load_bad(mini_with("    arrivals: 10/w\n", "    prospecting: {effort: 1h}\n"));
        CHECK_DIAG(l->ds, l->file, 6, 5, "sources.web.prospecting", "no role prospects for source 'web'");
    }
    SUBCASE("a source without a way of producing leads") {
        const auto l = load_bad(mini_with("    arrivals: 10/w\n", "    half_life: 2d\n"));
        CHECK_DIAG(l->ds, l->file, 5, 5, "sources.web", "needs one of arrivals");
    }
    SUBCASE("extends given by --set is refused") {
        TempDir dir;
        const auto p = dir.write("s.yaml", minimal_scenario());
        const auto ds = errors_of([&] { load_scenario(p, {"extends=other.yaml"}); });
        CHECK_DIAG(ds, "--set", 1, 1, "extends", "cannot be given here");
    }
}

TEST_CASE("cross-field checks") {
    const auto l = load_bad(mini_with("  horizon: 4w\n",
                                      "  horizon: 4w\n  warmup: 4w\n  sample_every: 5w\n  calendar: {hours_per_day: 10, day_start: 20}\n") +
                            "    context_switching: maybe\n");
    CHECK_DIAG(l->ds, l->file, 4, 11, "simulation.warmup", "must be shorter than the horizon (672 h), got '4w'");
    CHECK_DIAG(l->ds, l->file, 5, 17, "simulation.sample_every", "must be at most the horizon (672 h), got '5w'");
    CHECK_DIAG(l->ds, l->file, 6, 44, "simulation.calendar.day_start", "must end by midnight");
    CHECK_DIAG(l->ds, l->file, 17, 24, "roles.rep.context_switching", "got 'maybe'");
    const auto c = load_bad(mini_with("    arrivals: 10/w\n", "    arrivals: 10/w\n    campaigns: [{at: 5w, leads: 0}]\n    seasonality: [1, 2]\n"));
    CHECK_DIAG(c->ds, c->file, 7, 22, "sources.web.campaigns[1].at", "must be before the end of the horizon (672 h), got '5w'");
    CHECK_DIAG(c->ds, c->file, 7, 33, "sources.web.campaigns[1].leads", "must be an integer >= 1, got '0'");
    CHECK_DIAG(c->ds, c->file, 8, 18, "sources.web.seasonality", "exactly 12 monthly factors >= 0, got 2 values");
    const auto s = load_bad(mini_with("    role: rep\n", "    role: rep\n    rework: {to: later, probability: 0.1}\n"));
    CHECK_DIAG(s->ds, s->file, 10, 18, "stages.work.rework.to", "undefined stage 'later'");
}

TEST_CASE("file-level problems through load_scenario") {
    SUBCASE("YAML syntax error") {
        const auto l = load_bad("name: x\nsimulation: {horizon: 1w\n");
        REQUIRE(l->ds.size() == 1);
        CHECK(l->ds[0].file == l->file);
        CHECK(l->ds[0].line == 3);  // yaml-cpp notices the unclosed '{' at the end of the text
        CHECK(contains(l->ds[0].message, "'{' is not closed by '}'"));
    }
    SUBCASE("empty file") {
        const auto l = load_bad("");
        REQUIRE(l->ds.size() == 1);
        CHECK(l->ds[0].str() == l->file + ":1:1: the file is empty; expected a scenario: a map with name, simulation, sources, stages and roles");
    }
    SUBCASE("binary garbage") {
        std::string garbage;
        for (int i = 0; i < 256; ++i) garbage += static_cast<char>((i * 37) & 0xff);
        const auto l = load_bad(garbage);
        REQUIRE(l->ds.size() == 1);
        CHECK(l->ds[0].line == 1);
        CHECK(l->ds[0].column == 1);
        CHECK(contains(l->ds[0].message, "NUL byte"));
    }
    SUBCASE("duplicate key is reported together with value problems") {
        const auto l = load_bad(mini_with("headcount: 2", "headcount: 2\n    headcount: -4\n    cost_per_year: lots"));
        CHECK_DIAG(l->ds, l->file, 14, 5, "roles.rep.headcount", "duplicate key 'headcount' (first written at line 13, column 5)");
        CHECK_DIAG(l->ds, l->file, 15, 20, "roles.rep.cost_per_year", "got 'lots'");
    }
    SUBCASE("a directory") {
        TempDir dir;
        const auto ds = errors_of([&] { load_scenario(dir.path()); });
        REQUIRE(ds.size() == 1);
        CHECK(contains(ds[0].message, "directory"));
    }
}

TEST_CASE("trace problems are reported in the CSV file") {
    const auto ds = errors_of([] { load_scenario(data_dir + "/bad_trace.yaml"); });
    const std::string csv = data_dir + "/bad_leads.csv";
    REQUIRE(ds.size() == 5);
    CHECK(ds[0].str() == csv + ":3:4: sources.crm.trace: quality must be a number in [0, 1] or empty, got '1.5'");
    CHECK(ds[1].str() == csv + ":4:1: sources.crm.trace: rows must be sorted by arrival: '1h' comes after 2 h on line 3");
    CHECK(ds[2].file == csv);
    CHECK(ds[2].line == 5);
    CHECK(contains(ds[2].message, "got 'abc'"));
    CHECK(ds[3].str() == csv + ":6:1: sources.crm.trace: row has 2 fields but the header has 3, got '5h,0.3'");
    CHECK(ds[4].str() == data_dir + "/bad_trace.yaml:7:12: sources.gone.trace: trace '" + data_dir +
                             "/no_such.csv': cannot open file: No such file or directory");

    TempDir dir;
    dir.write("h.csv", "arrivl,qualty\n1,0.5\n");
    dir.write("e.csv", "arrival\n");
    dir.write("q.csv", "arrival,quality\n1,\"0.5\n");
    const std::string text = "name: t\nsimulation: {horizon: 1w}\n"
                             "sources:\n  - {name: h, trace: h.csv}\n  - {name: e, trace: e.csv}\n  - {name: q, trace: q.csv}\n"
                             "stages:\n  - {name: w, role: r, effort: 1h}\nroles:\n  - {name: r, headcount: 1}\n";
    const auto s = dir.write("t.yaml", text);
    const auto ts = errors_of([&] { load_scenario(s); });
    CHECK_DIAG(ts, dir.path() + "/h.csv", 1, 1, "sources.h.trace", "must name an 'arrival' column");
    CHECK_DIAG(ts, dir.path() + "/e.csv", 1, 1, "sources.e.trace", "header row but no leads");
    CHECK_DIAG(ts, dir.path() + "/q.csv", 2, 3, "sources.q.trace", "quoted field is not closed");
}
