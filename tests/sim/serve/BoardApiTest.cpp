// BoardApi: the JSON the page receives. The events of a run add up (every lead that
// arrives leaves once with one outcome or is open at the end), the outcomes counted after
// the warm-up equal the run's metrics, the metrics equal a run without any recording,
// two boards on one seed meet the same buyers, errors are the command line's, and every
// bound is enforced with a message naming it.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "ServeTestSupport.hpp"
#include "input/InputError.hpp"
#include "input/ScenarioLoader.hpp"
#include "models/MetricCatalog.hpp"
#include "models/SalesModel.hpp"
#include "serve/BoardApi.hpp"

using nlohmann::json;
using salesflow::serve::ApiResponse;
using salesflow::serve::BoardApi;
using salesflow::serve::ScenarioFolder;
using salesflow::serve::ServeLimits;
using namespace salesflow::test;
namespace model = salesflow::model;

namespace {

BoardApi& shared_api() {
    static BoardApi api(ScenarioFolder(workshop()), ServeLimits{}, 2);
    return api;
}

double metric(const json& run, const std::string& name) {
    for (const auto& m : run["metrics"])
        if (m["name"] == name) return m["value"].get<double>();
    FAIL("no metric " << name);
    return 0.0;
}

// Replays the events as the page does and checks that they add up.
void check_events_add_up(const json& run) {
    const auto& ev = run["events"];
    const std::size_t n = ev["count"].get<std::size_t>();
    REQUIRE(ev["time_h"].size() == n);
    const double warmup = run["warmup_h"].get<double>(), horizon = run["horizon_h"].get<double>();
    const auto& types = run["event_types"];
    REQUIRE(types == json({"arrive", "enter", "queue", "start", "end", "handoff", "exit", "handoff_delay"}));
    std::map<std::int64_t, int> arrived, exited;
    std::map<int, std::int64_t> working;   // person -> lead
    std::map<std::string, double> after_warmup{{"won", 0}, {"lost", 0}, {"disqualified", 0}, {"abandoned", 0}};
    double exits_after_warmup = 0.0, arrivals_after_warmup = 0.0;
    double last_t = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = ev["time_h"][i].get<double>();
        const auto lead = ev["lead"][i].get<std::int64_t>();
        const int type = ev["type"][i].get<int>();
        CHECK(t >= last_t);   // in time order
        CHECK(t <= horizon + 1e-9);
        last_t = t;
        if (type == 0) {
            CHECK(arrived[lead]++ == 0);   // one arrival per lead
            if (t >= warmup) arrivals_after_warmup += 1;
            continue;
        }
        CHECK(arrived.count(lead) == 1);   // nothing happens to a lead before it arrives
        CHECK(exited.count(lead) == 0);    // nor after it leaves
        if (type == 3) {                   // start: the person was free
            const int p = ev["person"][i].get<int>();
            CHECK(working.count(p) == 0);
            working[p] = lead;
        } else if (type == 4) {            // end: of the session that person started on this lead
            const int p = ev["person"][i].get<int>();
            REQUIRE(working.count(p) == 1);
            CHECK(working[p] == lead);
            working.erase(p);
        } else if (type == 6) {
            exited[lead] = 1;
            const int o = ev["outcome"][i].get<int>();
            REQUIRE(o >= 0);
            REQUIRE(o <= 6);   // won, lost, disqualified, abandoned; no_decision and nurtured with their keys
            REQUIRE(o != 4);   // open is not an exit
            if (t >= warmup) {
                after_warmup[run["outcomes"][o].get<std::string>()] += 1;
                exits_after_warmup += 1;
            }
        }
    }
    // Every lead that arrived left exactly once or is open at the end.
    const double open = static_cast<double>(arrived.size() - exited.size());
    CHECK(open == metric(run, "leads_open_at_end"));
    // The page's counters (exits after the warm-up by outcome) are the run's metrics.
    CHECK(after_warmup["won"] == metric(run, "wins"));
    if (after_warmup["nurtured"] == 0) {
        CHECK(after_warmup["lost"] + after_warmup["no_decision"] == metric(run, "losses"));
        CHECK(after_warmup["disqualified"] == metric(run, "disqualified"));
        CHECK(after_warmup["abandoned"] == metric(run, "abandoned"));
    } else {   // a nurtured lead counts in the metrics as the outcome it ended with
        CHECK(after_warmup["lost"] + after_warmup["no_decision"] <= metric(run, "losses"));
        CHECK(after_warmup["disqualified"] <= metric(run, "disqualified"));
        CHECK(after_warmup["abandoned"] <= metric(run, "abandoned"));
        CHECK(after_warmup["lost"] + after_warmup["no_decision"] + after_warmup["disqualified"] +
                  after_warmup["abandoned"] + after_warmup["nurtured"] ==
              metric(run, "losses") + metric(run, "disqualified") + metric(run, "abandoned"));
    }
    CHECK(exits_after_warmup == metric(run, "leads_exited"));
    CHECK(arrivals_after_warmup == metric(run, "leads_arrived"));
    // The per-lead records name every lead that arrived.
    CHECK(run["leads"]["lead"].size() == arrived.size());
}

json run_ok(const std::string& file, const std::vector<std::string>& sets = {}, int rep = 0) {
    const ApiResponse r = shared_api().run(run_request(file, sets, rep));
    INFO(r.body.substr(0, 500));
    REQUIRE(r.status == 200);
    return json::parse(r.body);
}

}  // namespace

TEST_CASE("the events of a run add up and the counters equal the run's metrics") {
    for (const std::string file : {"02-wip.yaml", "03-qualify-hard.yaml", "05-when-idle.yaml", "07-weekly-batch.yaml",
                                   "board/resource-optimised.yaml", "board/flow-optimised.yaml"}) {
        CAPTURE(file);
        const json run = run_ok(file);
        CHECK(run["events"]["count"].get<std::size_t>() > 1000);
        check_events_add_up(run);
    }
    // Without a warm-up every exit counts; another replication adds up as well.
    check_events_add_up(run_ok("01-kingman.yaml", {"simulation.horizon=52w", "simulation.warmup=0"}, 3));
}

TEST_CASE("the board's metrics are those of a run that records nothing (same seed and replication)") {
    const std::vector<std::string> sets{"roles.ae.headcount=3", "roles.ae.wip_limit=2"};
    const json run = run_ok("02-wip.yaml", sets, 5);
    const auto cfg = salesflow::input::load_scenario(workshop() + "/02-wip.yaml", sets);
    const model::MetricCatalog catalog(cfg);
    const auto plain = model::SalesModel(cfg, catalog).run(5);
    REQUIRE(run["metrics"].size() == catalog.size());
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        CAPTURE(catalog.info(i).name);
        const auto& v = run["metrics"][i]["value"];
        if (std::isnan(plain.metrics[i])) CHECK(v.is_null());
        else CHECK(v.get<double>() == plain.metrics[i]);
    }
}

TEST_CASE("two boards on one seed meet the same buyers (common random numbers)") {
    // pursue-all and qualify-hard: the same inbound and referral leads, treated differently.
    const json a = run_ok("03-pursue-all.yaml"), b = run_ok("03-qualify-hard.yaml");
    auto arrivals = [](const json& run) {
        std::vector<std::pair<double, std::string>> v;
        const auto& ev = run["events"];
        for (std::size_t i = 0; i < ev["count"].get<std::size_t>(); ++i)
            if (ev["type"][i] == 0)
                v.emplace_back(ev["time_h"][i].get<double>(), run["sources"][ev["source"][i].get<int>()]["name"].get<std::string>());
        return v;
    };
    const auto aa = arrivals(a), bb = arrivals(b);
    CHECK(aa.size() > 300);
    CHECK(aa == bb);
    CHECK(metric(a, "disqualified") == 0.0);
    CHECK(metric(b, "disqualified") > 50.0);
    // A lever moved on one board keeps the arrivals: headcount changes the treatment only.
    CHECK(arrivals(run_ok("03-pursue-all.yaml", {"roles.seller.headcount=9"})) == aa);
    // A seed given to the second board overrides its file's.
    const ApiResponse r = shared_api().run(json{{"file", "02-wip.yaml"}, {"seed", 2026}}.dump());
    REQUIRE(r.status == 200);
    CHECK(body_of(r)["seed"] == 2026);
}

TEST_CASE("the same request is answered from the cache with the same document") {
    const auto before = body_of(shared_api().status());
    const ApiResponse r1 = shared_api().run(run_request("06-variability.yaml", {"simulation.horizon=40w"}));
    const ApiResponse r2 = shared_api().run(run_request("06-variability.yaml", {"simulation.horizon=40w"}));
    CHECK(r1.status == 200);
    CHECK(r1.body == r2.body);
    const auto after = body_of(shared_api().status());
    CHECK(after["runs"].get<int>() == before["runs"].get<int>() + 1);
    CHECK(after["answered_from_cache"].get<int>() == before["answered_from_cache"].get<int>() + 1);
}

TEST_CASE("overrides are validated exactly as --set: the same text, every problem") {
    const std::vector<std::string> sets{"roles.ae.headcount=-1", "roles.aex.headcount=3"};
    const ApiResponse r = shared_api().run(run_request("02-wip.yaml", sets));
    CHECK(r.status == 400);
    std::string expected;
    try {
        salesflow::input::load_scenario(workshop() + "/02-wip.yaml", sets);
    } catch (const salesflow::input::InputError& e) {
        expected = e.what();
    }
    const json j = body_of(r);
    CHECK(j["error"] == expected);
    CHECK(j["problems"] == json({"--set:1:7: roles.aex.headcount: there is no item named 'aex' in 'roles' (did you mean 'ae'?)",
                                 "--set:1:20: roles.ae.headcount: must be an integer >= 0, got '-1'"}));
    // The levers call answers the same.
    CHECK(body_of(shared_api().levers(run_request("02-wip.yaml", sets)))["error"] == expected);
}

TEST_CASE("an override may not name a file: trace and extends anywhere in the path or the value") {
    for (const std::string s : {"sources.inbound.trace=/etc/passwd", "sources.inbound={trace: /etc/passwd}",
                                "sources={inbound: {x: [{trace: a.csv}]}}", "extends=../market.yaml"}) {
        CAPTURE(s);
        const ApiResponse r = shared_api().run(run_request("02-wip.yaml", {s}));
        CHECK(r.status == 400);
        CHECK(body_of(r)["error"].get<std::string>().find("the board does not read files named in an override") !=
              std::string::npos);
    }
    CHECK(body_of(shared_api().run(run_request("02-wip.yaml", {"sources.inbound.trace=/etc/passwd"})))["error"] ==
          "--set:1:1: sources.inbound.trace: the board does not read files named in an override ('trace'): name them in "
          "a scenario file of the served folder, got 'sources.inbound.trace=/etc/passwd'");
}

TEST_CASE("files outside the folder are refused through the API") {
    for (const std::string f : {"../market.yaml", "../../README.md", "/etc/passwd", "%2e%2e/market.yaml",
                                "board/../../market.yaml"}) {
        CAPTURE(f);
        const ApiResponse r = shared_api().run(run_request(f));
        CHECK(r.status == 403);
        CHECK(body_of(r)["error"].get<std::string>().rfind("refused: ", 0) == 0);
    }
    CHECK(shared_api().run(run_request("nope.yaml")).status == 404);
}

TEST_CASE("requests beyond a bound are refused with a message naming it") {
    auto error_of = [](const ApiResponse& r) { return body_of(r)["error"].get<std::string>(); };
    auto& api = shared_api();
    ApiResponse r = api.run(run_request("02-wip.yaml", {"simulation.horizon=300w"}));
    CHECK(r.status == 422);
    CHECK(error_of(r) == "simulation.horizon: the board runs at most 260 weeks, got 300 weeks (set simulation.horizon lower)");
    r = api.run(run_request("02-wip.yaml", {"sources.inbound.arrivals=5000/w"}));
    CHECK(r.status == 422);
    CHECK(error_of(r) == "the run made more than 500000 flow events (the board's bound per run): shorten "
                         "simulation.horizon or lower the arrivals");
    r = api.run(run_request("02-wip.yaml", {"roles.ae.headcount=2001"}));
    CHECK(r.status == 422);
    CHECK(error_of(r) == "roles: the board runs at most 2000 people (headcounts plus hires), got 2001");
    // Hires are people too: 99,990 of them were run past the bound.
    r = api.run(run_request("02-wip.yaml", {"roles.ae.hires=[{at: 1w, count: 1999}]"}));
    CHECK(r.status == 422);
    CHECK(error_of(r).rfind("roles: the board runs at most 2000 people (headcounts plus hires), got ", 0) == 0);
    r = api.run(run_request("02-wip.yaml", {"simulation.sample_every=1h", "simulation.horizon=200w"}));
    CHECK(r.status == 422);
    CHECK(error_of(r) == "simulation.sample_every: the board draws at most 20000 samples per run, got 33600");
    r = api.run(json{{"file", "02-wip.yaml"}, {"replication", 10000}}.dump());
    CHECK(r.status == 422);
    CHECK(error_of(r) == "replication: must be an integer from 0 to 9999, got 10000");
    r = api.run(json{{"file", "02-wip.yaml"}, {"set", std::vector<std::string>(65, "roles.ae.headcount=3")}}.dump());
    CHECK(r.status == 422);
    CHECK(error_of(r) == "too many overrides: 65 (at most 64 per request)");
    r = api.run(json{{"file", "02-wip.yaml"}, {"set", {"description=" + std::string(1000, 'x')}}}.dump());
    CHECK(r.status == 422);
    CHECK(error_of(r) == "an override is 1012 characters long (at most 1000)");
    r = api.run(std::string(70 * 1024, ' '));
    CHECK(r.status == 413);
    // Malformed requests.
    CHECK(error_of(api.run("{\"file\": 3}")) == "file: must be a text, the scenario's name in the folder");
    CHECK(error_of(api.run("[1]")) == "the request must be a JSON object {\"file\": ..., \"set\": [...]}");
    CHECK(error_of(api.run("{\"file\": \"02-wip.yaml\", \"rep\": 1}")) == "unknown key 'rep' (allowed: file, set, replication, seed)");
    CHECK(api.run("{not json").status == 400);
    CHECK(error_of(api.run("{}")) == "file: required, the scenario's name in the folder");
}

TEST_CASE("a run beyond its time budget is stopped and refused; a shut-down server refuses runs") {
    ServeLimits limits;
    limits.run_budget = std::chrono::milliseconds(50);
    limits.max_events = 100'000'000;
    BoardApi api(ScenarioFolder(workshop()), limits, 1);
    // 3000 requests a week for five years: tens of millions of events, many seconds of work.
    const ApiResponse r = api.run(run_request("01-kingman.yaml", {"sources.inbound.arrivals=3000/w", "roles.ae.headcount=400"}));
    CHECK(r.status == 422);
    CHECK(body_of(r)["error"] == "the run took longer than the board's time budget of 0.05 s: shorten simulation.horizon or lower the arrivals");
    // Nothing failed is kept: the same request runs again (and is refused again).
    CHECK(api.run(run_request("01-kingman.yaml", {"sources.inbound.arrivals=3000/w", "roles.ae.headcount=400"})).status == 422);
    CHECK(body_of(api.status())["runs"] == 2);
    api.shutdown();
    const ApiResponse after = api.run(run_request("02-wip.yaml"));
    CHECK(after.status == 503);
}

TEST_CASE("the scenarios call lists the folder's scenarios, the files that are not, and the presets") {
    const json j = body_of(shared_api().scenarios());
    std::set<std::string> files;
    for (const auto& s : j["scenarios"]) files.insert(s["file"].get<std::string>());
    CHECK(files.count("02-wip.yaml") == 1);
    CHECK(files.count("board/flow-optimised.yaml") == 1);
    CHECK(files.count("board/presets.yaml") == 0);
    std::set<std::string> skipped;
    for (const auto& s : j["skipped"]) skipped.insert(s["file"].get<std::string>());
    CHECK(skipped.count("02-wip-sweep.yaml") == 1);   // a sweep file, with the loader's reason
    CHECK(files.size() == 13);     // 11 scenario files of the pack and 2 in board/
    CHECK(skipped.size() == 6);    // the 6 sweep files
    CHECK(j["presets"].size() == 8);
    for (const auto& p : j["presets"]) {
        CHECK(!p["question"].get<std::string>().empty());
        CHECK(p["boards"].size() >= 1);
    }
}

TEST_CASE("every shipped preset runs, and its events add up") {
    for (const auto& p : shared_api().presets())
        for (const auto& b : p.boards) {
            CAPTURE(p.id);
            CAPTURE(b.file);
            check_events_add_up(run_ok(b.file, b.sets));
        }
}

TEST_CASE("levers: the scenario's values with ranges; a moved lever shows its new value") {
    auto lever = [](const json& doc, const std::string& path) {
        for (const auto& l : doc["levers"])
            if (l["path"] == path) return l;
        FAIL("no lever " << path);
        return json();
    };
    const json d = body_of(shared_api().levers(run_request("board/flow-optimised.yaml")));
    CHECK(lever(d, "roles.ae.headcount")["value"] == 4);
    CHECK(lever(d, "roles.ae.wip_limit")["value"] == 11);
    // The shipped SDRs prospect when idle: no reserved share to move.
    for (const auto& l : d["levers"]) CHECK(l["path"] != "roles.sdr.prospecting.share");
    CHECK(lever(d, "stages.qualify.gate.threshold")["value"] == 0.27);
    CHECK(lever(d, "sources.inbound.arrivals")["value"] == doctest::Approx(26.0));
    CHECK(lever(d, "sources.inbound.arrivals")["suffix"] == "/w");
    CHECK(lever(d, "stages.qualify.batch")["value"] == 0);
    for (const auto& l : d["levers"]) {
        CAPTURE(l["path"].get<std::string>());
        CHECK(l["min"].get<double>() <= l["value"].get<double>());
        CHECK(l["value"].get<double>() <= l["max"].get<double>());
    }
    const json moved = body_of(shared_api().levers(run_request("board/flow-optimised.yaml",
        {"roles.ae.headcount=6", "stages.qualify.gate.threshold=0.4", "sources.inbound.arrivals=9/w", "stages.qualify.batch=24h"})));
    CHECK(lever(moved, "roles.ae.headcount")["value"] == 6);
    CHECK(lever(moved, "stages.qualify.gate.threshold")["value"] == 0.4);
    CHECK(lever(moved, "sources.inbound.arrivals")["value"] == doctest::Approx(9.0));
    CHECK(lever(moved, "stages.qualify.batch")["value"] == 24);
}

TEST_CASE("a presets file with problems is refused with FILE:LINE:COLUMN diagnostics") {
    TempDir d;
    d.write("a.yaml", "extends: " + workshop() + "/02-wip.yaml\nname: a\n");
    d.write("board/presets.yaml",
            "presets:\n"
            "  - id: x\n"
            "    title: X\n"
            "    question: Q?\n"
            "    boards:\n"
            "      - {file: ../a.yaml}\n"
            "      - {file: a.yaml, set: [roles.ae.headcount=-1]}\n"
            "  - id: x\n"
            "    titel: Y\n");
    try {
        BoardApi api(ScenarioFolder(d.path.string()), ServeLimits{}, 1);
        FAIL("accepted");
    } catch (const salesflow::input::InputError& e) {
        const std::string p = (d.path / "board/presets.yaml").string();
        std::vector<std::string> lines;
        for (const auto& x : e.diagnostics()) lines.push_back(x.str());
        const std::vector<std::string> expected{
            p + ":6:16: presets[1].boards[1].file: refused: '../a.yaml' is not a scenario file of the served folder (a "
                "relative name like '02-wip.yaml' or 'board/flow-optimised.yaml', without '..')",
            p + ":7:16: presets[1].boards[2]: does not load: --set:1:20: roles.ae.headcount: must be an integer >= 0, got '-1'",
            p + ":8:5: presets[2].title: required key 'title' is missing",
            p + ":8:5: presets[2].question: required key 'question' is missing",
            p + ":8:5: presets[2].boards: must be a list of one or two boards",
            p + ":8:9: presets[2].id: duplicate preset id 'x'",
            p + ":9:5: presets[2].titel: unknown key 'titel' (allowed: boards, id, note, question, seconds_per_week, title)"};
        CHECK(lines == expected);
    }
}
