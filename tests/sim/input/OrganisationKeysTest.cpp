// The organisation keys (roles[].skill, learning, hires, attrition, vacancy, ramp, the
// per-open-deal context-switching curve, quarter_end): read into the config with their
// defaults, and refused with a precise message when wrong.
#include <doctest/doctest.h>

#include "TestSupport.hpp"
#include "input/ScenarioLoader.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {
std::string with_rep(const std::string& extra, const std::string& top = "") {
    return minimal_scenario() + extra + top;  // extra: lines of the role `rep` (indent 4)
}
std::vector<Diagnostic> organisation_problems(const std::string& text) {
    return errors_of([&] { load_scenario_text(text, "org.yaml"); });
}
}  // namespace

TEST_CASE("organisation keys are read with their documented meaning and defaults") {
    const auto plain = load_scenario_text(minimal_scenario(), "org.yaml");
    const auto& r0 = plain.roles[0];
    CHECK(r0.skill.empty());
    CHECK(r0.learning.max_gain == 0.0);
    CHECK(r0.hires.empty());
    CHECK(r0.attrition_tenure_h == 0.0);
    CHECK(r0.ramp.time_h == 0.0);
    CHECK(r0.context_switch_per_deal == 0.0);
    CHECK(!plain.quarter_end.enabled);

    const auto cfg = load_scenario_text(
        with_rep("    skill: {work: 1.2}\n"
                 "    learning: {max_gain: 0.3, visits: 50}\n"
                 "    hires: [{at: 3w, count: 2}, {at: 1w, count: 1}]\n"
                 "    attrition: {tenure: 1.5y}\n"
                 "    vacancy: {exponential: {mean: 8w}}\n"
                 "    ramp: {time: 22w}\n"
                 "    context_switching: {curve: per_open_deal, loss: 0.02}\n",
                 "quarter_end: {window: 2w, discount: 0.1, extra_loss: 0.05}\n"),
        "org.yaml");
    const auto& r = cfg.roles[0];
    REQUIRE(r.skill.size() == 1);
    CHECK(r.skill[0] == 1.2);
    CHECK(r.learning.max_gain == 0.3);
    CHECK(r.learning.visits_scale == 50.0);
    CHECK(r.learning.initial_visits == 0.0);
    REQUIRE(r.hires.size() == 2);  // sorted by date
    CHECK(r.hires[0].at_h == 168.0);
    CHECK(r.hires[1].count == 2);
    CHECK(r.slots() == 5);
    CHECK(r.attrition_tenure_h == 1.5 * 8760.0);
    CHECK(r.vacancy.p1 == 8 * 168.0);
    CHECK(r.ramp.time_h == 22 * 168.0);
    CHECK(r.ramp.efficiency_from == 0.5);
    CHECK(r.ramp.skill_from == 1.0);
    CHECK(r.context_switch_per_deal == 0.02);
    CHECK(r.context_switch_max == 0.75);
    CHECK(cfg.quarter_end.enabled);
    CHECK(cfg.quarter_end.window_h == 336.0);
    CHECK(cfg.quarter_end.discount == 0.1);
    CHECK(cfg.quarter_end.extra_loss == 0.05);
    CHECK(cfg.quarter_end.priority);
    CHECK(cfg.quarter_end.speed == 1.0);

    // The map form of the older curves.
    const auto w = load_scenario_text(with_rep("    context_switching: {curve: weinberg}\n"), "org.yaml");
    CHECK(w.roles[0].context_switch_loss.size() == 5);
}

TEST_CASE("organisation keys refuse wrong values with file, line, column, path and value") {
    // where: the text goes into the role `rep` (indent 4) or at the top level.
    struct Case {
        bool in_role;
        const char* text;
        int line, column;
        const char* path;
        const char* message;
    };
    const Case cases[] = {
        {true, "    skill: {wrok: 1.2}\n", 14, 13, "roles.rep.skill.wrok",
         "undefined stage 'wrok' (did you mean 'work'?)"},
        {true, "    skill: {work: 0}\n", 14, 19, "roles.rep.skill.work",
         "must be a number in (0, 1000], got '0'"},
        {true, "    vacancy: 8w\n", 14, 5, "roles.rep.vacancy",
         "vacancy only applies with attrition"},
        {true, "    attrition: {tenure: 2h}\n", 14, 25, "roles.rep.attrition.tenure",
         "must be a duration >= 24 hours, got '2h'"},
        {true, "    hires: [{at: 5w, count: 1}]\n", 14, 18, "roles.rep.hires[1].at",
         "must be before the end of the horizon (672 h), got '5w'"},
        {true, "    hires: [{at: 1w, count: 0}]\n", 14, 29, "roles.rep.hires[1].count",
         "must be an integer >= 1, got '0'"},
        {true, "    learning: {max_gain: 0.3}\n", 14, 15, "roles.rep.learning.visits",
         "required key 'visits' is missing"},
        {true, "    ramp: {time: 5w, efficiency: 0}\n", 14, 34, "roles.rep.ramp.efficiency",
         "must be a number in (0, 1], got '0'"},
        {true, "    context_switching: {curve: per_open_deal}\n", 14, 24, "roles.rep.context_switching.loss",
         "required key 'loss' is missing"},
        {true, "    context_switching: {curve: weinberg, loss: 0.1}\n", 14, 42, "roles.rep.context_switching.loss",
         "loss only applies to curve: per_open_deal"},
        {false, "quarter_end: {window: 14w}\n", 14, 23, "quarter_end.window",
         "got '14w'"},
        {false, "quarter_end: {window: 2w, discount: 1}\n", 14, 37, "quarter_end.discount",
         "must be a number in [0, 1), got '1'"},
        {false, "quarter_end: {windw: 2w}\n", 14, 15, "quarter_end.windw",
         "unknown key 'windw' (did you mean 'window'?)"},
    };
    for (const auto& k : cases) {
        CAPTURE(k.text);
        const auto ds = organisation_problems(k.in_role ? with_rep(k.text) : minimal_scenario() + k.text);
        CHECK_DIAG(ds, "org.yaml", k.line, k.column, k.path, k.message);
    }
}
