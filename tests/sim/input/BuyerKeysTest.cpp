// The buyer-side keys (sources[].speed_to_lead, no_decision, nurture): converted with
// their documented defaults, and each kind of mistake reported at its place.
#include <doctest/doctest.h>

#include "TestSupport.hpp"
#include "input/ScenarioLoader.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;
using namespace salesflow;

namespace {
// The minimal scenario (13 lines) with `extra` appended to its source (at line 7) and
// `top` appended at the end (from line 14).
std::string with(const std::string& extra, const std::string& top = "") {
    std::string t = minimal_scenario();
    t.insert(t.find("stages:"), extra);
    return t + top;
}
model::ScenarioConfig load(const std::string& text) { return load_scenario_text(text, "buyers.yaml"); }
std::vector<Diagnostic> bad(const std::string& text) {
    return errors_of([&] { load(text); });
}
// `text` on a 24/7 calendar: one line more before `sources:`, so that what with() adds
// to the source is at line 8.
std::string round_the_clock(std::string text) {
    text.insert(text.find("sources:"), "  calendar: 24/7\n");
    return text;
}
// A scenario refused in one way: the diagnostic at LINE:COLUMN names the path and has
// `message` in its text.
struct BuyerRefusal {
    std::string text;
    int line, column;
    const char* path;
    const char* message;
};
void check_buyer_refusals(const std::vector<BuyerRefusal>& cases) {
    for (const auto& k : cases) {
        CAPTURE(k.text);
        const auto ds = bad(k.text);
        CHECK_DIAG(ds, "buyers.yaml", k.line, k.column, k.path, k.message);
    }
}
}  // namespace

TEST_CASE("buyer keys: off unless given") {
    const auto c = load(minimal_scenario());
    CHECK(c.sources[0].speed_to_lead.empty());
    CHECK_FALSE(c.no_decision.enabled);
    CHECK_FALSE(c.nurture.enabled);
}

TEST_CASE("speed_to_lead: the word default is the published curve; a curve converts its times to hours") {
    // HBR 2011: 1 within the first hour, 1/7 in the second, 1/60 from 24 h on.
    auto c = load(with("    speed_to_lead: default\n"));
    REQUIRE(c.sources[0].speed_to_lead.size() == 4);
    CHECK(c.sources[0].speed_to_lead[0].at_h == 1.0);
    CHECK(c.sources[0].speed_to_lead[0].value == 1.0);
    CHECK(c.sources[0].speed_to_lead[1].at_h == 1.0);
    CHECK(c.sources[0].speed_to_lead[1].value == doctest::Approx(1.0 / 7.0));
    CHECK(c.sources[0].speed_to_lead[2].at_h == 2.0);
    CHECK(c.sources[0].speed_to_lead[2].value == doctest::Approx(1.0 / 7.0));
    CHECK(c.sources[0].speed_to_lead[3].at_h == 24.0);
    CHECK(c.sources[0].speed_to_lead[3].value == doctest::Approx(1.0 / 60.0));
    CHECK(c.sources[0].speed_to_lead_strength == 1.0);
    CHECK(c.sources[0].speed_to_lead_normalise == model::SpeedToLeadNormalise::none);
    c = load(with("    speed_to_lead: {}\n"));
    CHECK(c.sources[0].speed_to_lead.size() == 4);
    c = load(with("    speed_to_lead: {curve: default, strength: 0.5, normalise: typical}\n"));
    CHECK(c.sources[0].speed_to_lead.size() == 4);
    CHECK(c.sources[0].speed_to_lead_strength == 0.5);
    CHECK(c.sources[0].speed_to_lead_normalise == model::SpeedToLeadNormalise::typical);
    c = load(with("    speed_to_lead: {strength: 0}\n"));
    CHECK(c.sources[0].speed_to_lead.size() == 4);  // strength 0 keeps the curve (flat in effect)
    CHECK(c.sources[0].speed_to_lead_strength == 0.0);
    // Two points at one time are a step.
    c = load(with("    speed_to_lead: {curve: [[1h, 1], [1h, 0.2], [3h, 0.1]]}\n"));
    REQUIRE(c.sources[0].speed_to_lead.size() == 3);
    CHECK(c.sources[0].speed_to_lead[1].at_h == 1.0);
    CHECK(c.sources[0].speed_to_lead[1].value == 0.2);
    c = load(with("    speed_to_lead: {curve: [[5min, 1], [30min, 0.01], [1d, 0]]}\n"));
    REQUIRE(c.sources[0].speed_to_lead.size() == 3);
    CHECK(c.sources[0].speed_to_lead[0].at_h == doctest::Approx(5.0 / 60.0));
    CHECK(c.sources[0].speed_to_lead[1].value == 0.01);
    CHECK(c.sources[0].speed_to_lead[2].at_h == 24.0);
}

TEST_CASE("speed_to_lead: mistakes are reported at the point") {
    check_buyer_refusals({
        {with("    speed_to_lead: {curve: [[0, 1], [2h, 0.5], [1h, 0.1]]}\n"), 7, 49,
         "sources.web.speed_to_lead.curve[3][1]", "times must increase from point to point: 1 h comes after 2 h, got '1h'"},
        {with("    speed_to_lead: {curve: [[0, 1.5]]}\n"), 7, 33, "sources.web.speed_to_lead.curve[1][2]", "'1.5'"},
        {with("    speed_to_lead: {curve: [0, 1]}\n"), 7, 29, "sources.web.speed_to_lead.curve[1]",
         "must be a point [time, value], got '0'"},
        {with("    speed_to_lead: {curve: []}\n"), 7, 28, "sources.web.speed_to_lead.curve",
         "must be a list of 1 to 100 points"},
        {with("    speed_to_lead: fast\n"), 7, 20, "sources.web.speed_to_lead", "'fast'"},
        {with("    speed_to_lead: {curv: []}\n"), 7, 21, "sources.web.speed_to_lead.curv", "curve"},
        {with("    speed_to_lead: {curve: [[1h, 1], [1h, 0.5], [1h, 0.1]]}\n"), 7, 50,
         "sources.web.speed_to_lead.curve[3][1]", "at most two points may share a time (a step): three at 1 h, got '1h'"},
        {with("    speed_to_lead: {curve: fast}\n"), 7, 28, "sources.web.speed_to_lead.curve",
         "must be a list of 1 to 100 points"},
        {with("    speed_to_lead: {strength: 1.5}\n"), 7, 31, "sources.web.speed_to_lead.strength", "'1.5'"},
        {with("    speed_to_lead: {strength: -0.1}\n"), 7, 31, "sources.web.speed_to_lead.strength", "'-0.1'"},
        {with("    speed_to_lead: {normalise: typcal}\n"), 7, 32, "sources.web.speed_to_lead.normalise",
         "unknown normalisation 'typcal' (did you mean 'typical'?)"},
    });
}

TEST_CASE("no_decision: the documented defaults, and from names a stage") {
    auto c = load(with("", "no_decision: default\n"));
    CHECK(c.no_decision.enabled);
    CHECK(c.no_decision.share == 0.4);
    CHECK(c.no_decision.per_week_waited == 0.02);
    CHECK(c.no_decision.per_week_lead_time == 0.005);
    CHECK(c.no_decision.from_stage == -1);
    c = load(with("", "no_decision: {share: 0.5, per_week_waited: 0.1, per_week_lead_time: 0, from: work}\n"));
    CHECK(c.no_decision.share == 0.5);
    CHECK(c.no_decision.per_week_waited == 0.1);
    CHECK(c.no_decision.per_week_lead_time == 0.0);
    CHECK(c.no_decision.from_stage == 0);
    check_buyer_refusals({
        {with("", "no_decision: {from: wrk}\n"), 14, 21, "no_decision.from", "undefined stage 'wrk' (did you mean 'work'?)"},
        {with("", "no_decision: {share: 1.2}\n"), 14, 22, "no_decision.share", "'1.2'"},
    });
}

TEST_CASE("nurture: the documented defaults, a named source and a new quality") {
    auto c = load(with("", "nurture: default\n"));
    CHECK(c.nurture.enabled);
    CHECK(c.nurture.disqualified == 0.5);
    CHECK(c.nurture.abandoned == 0.5);
    CHECK(c.nurture.lost == 0.0);
    CHECK(c.nurture.no_decision == 0.5);
    CHECK(c.nurture.delay.family == kernel::DistFamily::uniform);
    CHECK(c.nurture.delay.p1 == 26 * 168.0);
    CHECK(c.nurture.delay.p2 == 52 * 168.0);
    CHECK_FALSE(c.nurture.quality.has_value());
    CHECK(c.nurture.source == -1);
    c = load(with("", "nurture: {lost: 0.2, delay: {exponential: {mean: 12w}}, quality: {beta: {a: 1, b: 3}}, source: web}\n"));
    CHECK(c.nurture.lost == 0.2);
    CHECK(c.nurture.delay.p1 == 12 * 168.0);
    REQUIRE(c.nurture.quality.has_value());
    CHECK(c.nurture.quality->family == kernel::DistFamily::beta);
    CHECK(c.nurture.source == 0);
    c = load(with("", "nurture: {quality: same}\n"));
    CHECK_FALSE(c.nurture.quality.has_value());
}

TEST_CASE("nurture: mistakes are reported at the key") {
    check_buyer_refusals({
        {with("", "nurture: {lost: 1}\n"), 14, 17, "nurture.lost", "must be a number in [0, 0.99], got '1'"},
        {with("", "nurture: {source: wbe}\n"), 14, 19, "nurture.source", "undefined source 'wbe' (did you mean 'web'?)"},
        {with("", "nurture: {quality: {exponential: {mean: 1}}}\n"), 14, 34, "nurture.quality.exponential",
         "a quality must lie in [0, 1]"},
        {with("", "nurture: {delay: -1h}\n"), 14, 18, "nurture.delay", "'-1h'"},
        {with("", "nurture: {lots: 1}\n"), 14, 11, "nurture.lots", "lost"},
    });
}

TEST_CASE("nurture: a recycling that would bring more than 10^8 leads is refused") {
    std::string t = with("", "nurture: {disqualified: 0.99}\n");
    t.replace(t.find("10/w"), 4, "1500000/w");  // 6 million leads in 4 weeks, x 100
    const auto ds = bad(t);
    CHECK_DIAG(ds, "buyers.yaml", 14, 10, "nurture", "could become 6e+08");
}

TEST_CASE("working_hours_share: a number in [0, 1], by --set too; refused where it cannot hold") {
    CHECK_FALSE(load(minimal_scenario()).sources[0].working_hours_share.has_value());
    CHECK(load(with("    working_hours_share: 0.8\n")).sources[0].working_hours_share == 0.8);
    const auto set = load_scenario_text(minimal_scenario(), "buyers.yaml", {"sources.web.working_hours_share=0.6"});
    CHECK(set.sources[0].working_hours_share == 0.6);
    // On a 24/7 calendar only 1 is possible (the same as no key).
    CHECK(load(round_the_clock(with("    working_hours_share: 1\n"))).sources[0].working_hours_share == 1.0);

    std::string prospected = minimal_scenario();
    prospected.replace(prospected.find("    arrivals: 10/w\n"), 19,
                       "    prospecting: {effort: 2h}\n    working_hours_share: 0.8\n");
    // Thinning draws candidates at the larger rate: 1000/h x 672 h x 1 / (1/60 h / 168 h).
    std::string storm = with("    working_hours_share: 1\n");
    storm.replace(storm.find("10/w"), 4, "1000/h");
    storm.insert(storm.find("sources:"), "  calendar: {hours_per_day: 1min, days_per_week: 1}\n");
    check_buyer_refusals({
        {with("    working_hours_share: 1.5\n"), 7, 26, "sources.web.working_hours_share", "got '1.5'"},
        {round_the_clock(with("    working_hours_share: 0.8\n")), 8, 26, "sources.web.working_hours_share",
         "simulation.calendar is 24/7: every hour is a working hour, so no lead can arrive outside working hours; "
         "give 1 or remove the key, got '0.8'"},
        {prospected, 7, 26, "sources.web.working_hours_share",
         "applies only to a source with `arrivals` (Poisson); prospected leads arrive when people find them, got '0.8'"},
        {storm, 8, 26, "sources.web.working_hours_share",
         "the arrivals would be drawn from about 6.77e+09 candidates per replication"},
    });
}
