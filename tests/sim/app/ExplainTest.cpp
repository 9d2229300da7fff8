// salesflow explain: on a scenario whose constraint is known, the experiment names it;
// lever effects are paired; the value stream adds up to the lead time; bad input writes
// nothing.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <thread>

#include <array>
#include <cmath>
#include <map>

#include "AppTestSupport.hpp"
#include "input/ScenarioLoader.hpp"
#include "models/MetricCatalog.hpp"
#include "models/SalesModel.hpp"
#include "models/analysis/Explanation.hpp"
#include "models/analysis/ValueStream.hpp"
#include "output/ResultsFile.hpp"

using namespace salesflow;
using namespace salesflow::test;
namespace fs = std::filesystem;

namespace {

// One AE clearly overloaded (offered load 12/w x 16 h = 192 h a week against 168 h),
// three SDRs with slack (12/w x 0.5 h against 504 h). Buyers give up after two weeks.
const char* constrained = R"(name: constrained
simulation:
  horizon: 26w
  warmup: 2w
  replications: 12
  seed: 7
  calendar: 24/7
sources:
  - name: inbound
    arrivals: 12/w
    quality: 1
    value: 100000
    patience: {exponential: {mean: 2w}}
stages:
  - name: qualify
    role: sdr
    effort: {exponential: {mean: 30min}}
  - name: close
    role: ae
    effort: {exponential: {mean: 16h}}
    touches: 2
roles:
  - name: sdr
    headcount: 3
    cost_per_year: 0
  - name: ae
    headcount: 1
    cost_per_year: 50000
handoff:
  delay: 4h
)";

model::analysis::ExplainRequest request_for(const model::ScenarioConfig& base, const std::string& objective) {
    model::analysis::ExplainRequest req;
    req.objective = objective;
    req.threads = 2;
    req.levers = model::analysis::one_step_levers(base);
    for (const auto& l : req.levers) {
        req.variants.emplace_back(input::load_scenario_text(constrained, "constrained.yaml", {l.path + "=" + l.value}));
        req.skipped.emplace_back();
    }
    return req;
}

const model::analysis::LeverEffect& lever(const model::analysis::Explanation& ex, const std::string& label) {
    for (const auto& l : ex.levers)
        if (l.lever.label == label) return l;
    FAIL("no lever " << label);
    throw 0;
}

}  // namespace

TEST_CASE("explain names the overloaded role first; the slack role's +1 changes nothing measurable") {
    const auto base = input::load_scenario_text(constrained, "constrained.yaml");
    const auto ex = model::analysis::explain(base, request_for(base, "wins"));
    REQUIRE(!ex.levers.empty());
    CHECK(ex.levers.front().lever.label == "ae +1 person");
    const auto& ae = lever(ex, "ae +1 person");
    CHECK(ae.effect.mean > 0.0);
    CHECK(ae.effect.ci_low > 0.0);             // excludes zero
    CHECK(ae.cost_change == doctest::Approx(50000.0 * 24.0 / 52.0).epsilon(0.02));
    const auto& sdr = lever(ex, "sdr +1 person");
    CHECK(sdr.effect.ci_low <= 0.0);           // contains zero
    CHECK(sdr.effect.ci_high >= 0.0);
    // The why chain names the constraint and the effect of one more AE.
    REQUIRE(ex.why.size() >= 3);
    bool named = false;
    for (const auto& w : ex.why) named = named || w.rfind("wins is limited by the ae role", 0) == 0;
    CHECK(named);
    // Every lever that ran: 1 base + levers, each with the scenario's replications.
    CHECK(ex.runs == static_cast<long long>(1 + ex.levers.size()) * 12);
    // Each role's hours split into parts that add up to 1; the AE, overloaded, is seldom idle.
    for (const auto& r : ex.roles) {
        CAPTURE(r.role);
        CHECK(r.pipeline_share.mean + r.prospecting_share.mean + r.handoff_share.mean + r.switch_loss_share.mean +
                  r.idle_share.mean ==
              doctest::Approx(1.0).epsilon(1e-12));
    }
    CHECK(ex.roles[1].idle_share.mean < 0.15);
    // The analytic offered load: 12/w x 16 h = 192 h a week on one AE's 168 h.
    CHECK(ex.roles[1].offered_load == doctest::Approx(192.0 / 168.0).epsilon(1e-9));
    CHECK(ex.roles[0].offered_load == doctest::Approx(12.0 * 0.5 / (3 * 168.0)).epsilon(1e-9));
    CHECK(ex.roles[0].idle_share.mean > 0.9);
    // The headline metrics of the base, in order.
    REQUIRE(ex.headline.size() == 3);
    CHECK(ex.headline[0].first == "profit");
    CHECK(ex.headline[2].first == "revenue_per_quota_person");
}

TEST_CASE("the levers: headcount, then each other discipline of every role with people") {
    const auto base = input::load_scenario_text(constrained, "constrained.yaml");
    const auto levers = model::analysis::one_step_levers(base);
    std::vector<std::string> labels;
    for (const auto& l : levers) labels.push_back(l.label);
    const std::vector<std::string> want = {
        "sdr +1 person", "sdr -1 person", "ae +1 person",
        "sdr discipline oldest_lead_first", "sdr discipline latest_stage_first", "sdr discipline highest_value_first",
        "sdr discipline wsjf", "ae discipline oldest_lead_first", "ae discipline latest_stage_first",
        "ae discipline highest_value_first", "ae discipline wsjf"};
    CHECK(labels == want);
    CHECK(levers.back().path == "roles.ae.discipline");
    CHECK(levers.back().value == "wsjf");
}

TEST_CASE("lever effects are paired: narrower than the unpaired interval on the same runs") {
    const auto base = input::load_scenario_text(constrained, "constrained.yaml");
    const auto ex = model::analysis::explain(base, request_for(base, "wins"));
    const auto& ae = lever(ex, "ae +1 person");
    CHECK(ae.unpaired.mean == doctest::Approx(ae.effect.mean));   // same difference of means
    CHECK(ae.effect.half_width() < ae.unpaired.half_width());
    CHECK(ae.effect.half_width() > 0.0);
}

TEST_CASE("the value stream adds up to the lead time, per stage and in every replication") {
    const auto cfg = input::load_scenario_text(constrained, "constrained.yaml");
    const model::MetricCatalog catalog(cfg);
    model::ModelOptions opt;
    opt.record_events = true;
    model::SalesModel m(cfg, catalog, opt);
    const int lt = catalog.index_of("lead_time_mean_h");
    const int lt_won = catalog.index_of("lead_time_won_mean_h");
    const int closed = catalog.index_of("leads_exited");
    for (int rep = 0; rep < 4; ++rep) {
        const auto out = m.run(rep);
        model::analysis::ValueStream vs(cfg);
        vs.add_replication(out.flow_events);
        // Handoff delays (of the constant 4 h) begun per stage, over the leads that count.
        std::map<std::int64_t, std::vector<double>> delays;
        std::array<double, 2> delay_starts{}, counted{};
        for (const auto& ev : out.flow_events) {
            if (ev.type == model::FlowEventType::arrive) delays[ev.lead].assign(2, 0.0);
            if (ev.type == model::FlowEventType::handoff_delay) delays[ev.lead][static_cast<std::size_t>(ev.stage)] += 1;
            if (ev.type == model::FlowEventType::exit && ev.time_h >= cfg.simulation.warmup_h) {
                for (std::size_t s = 0; s < 2; ++s) delay_starts[s] += delays[ev.lead][s];
                counted[0] += 1;
            }
        }
        for (int subset = 0; subset < 2; ++subset) {
            const auto f = vs.figures(subset);
            double sum = 0.0;
            for (const auto& st : f.stages) {
                double parts = 0.0;
                for (const auto& p : st.part) parts += p.mean;
                CHECK(parts == doctest::Approx(st.total.mean).epsilon(1e-12));
                sum += st.total.mean;
                // A change of hands waits the constant 4 h handoff delay first (a lead may
                // give up in the receiver's line after it: more delays than handoffs).
                const double handoff = st.part[static_cast<std::size_t>(model::analysis::StreamPart::handoff)].mean;
                CHECK(handoff >= 4.0 * st.handoffs.mean - 1e-9);
            }
            if (subset == 0) {
                for (std::size_t s = 0; s < 2; ++s)
                    CHECK(f.stages[s].part[static_cast<std::size_t>(model::analysis::StreamPart::handoff)].mean ==
                          doctest::Approx(4.0 * delay_starts[s] / counted[0]).epsilon(1e-9));
            }
            CHECK(f.stages[1].part[static_cast<std::size_t>(model::analysis::StreamPart::handoff)].mean > 0.0);
            CHECK(sum == doctest::Approx(f.lead_time.mean).epsilon(1e-9));
            const double metric = out.metrics[static_cast<std::size_t>(subset == 0 ? lt : lt_won)];
            CHECK(f.lead_time.mean == doctest::Approx(metric).epsilon(1e-9));
        }
        CHECK(vs.figures(0).leads.mean == out.metrics[static_cast<std::size_t>(closed)]);
        // The close stage's handoffs: a lead's first close session is by the AE, not its
        // SDR, so every lead that reached close and was not abandoned there had one.
        const auto funnel = vs.funnel();
        const double abandoned = funnel[1].ended[static_cast<std::size_t>(model::Outcome::abandoned)].mean;
        CHECK(abandoned > 0.0);
        CHECK(vs.figures(0).stages[1].handoffs.mean * vs.figures(0).leads.mean >= funnel[1].entered.mean - abandoned - 1e-9);
    }
}

TEST_CASE("explain: bad input exits 2 with a clear message and writes nothing") {
    const fs::path dir = scratch("explain-bad");
    write_file(dir / "s.yaml", constrained);
    const fs::path out = dir / "out.h5";
    auto unknown = run_salesflow("explain " + (dir / "s.yaml").string() + " --set roles.nobody.headcount=2 -o " + out.string());
    CHECK(unknown.status == 2);
    CHECK(unknown.out.find("roles.nobody") != std::string::npos);
    CHECK(!fs::exists(out));
    auto neither = run_salesflow("explain " + (dir / "s.yaml").string() + " --objective cost -o " + out.string());
    CHECK(neither.status == 2);
    CHECK(neither.out.find("salesflow: --objective: metric 'cost' has no direction") != std::string::npos);
    CHECK(!fs::exists(out));
    auto nometric = run_salesflow("explain " + (dir / "s.yaml").string() + " --objective wonders -o " + out.string());
    CHECK(nometric.status == 2);
    CHECK(nometric.out.find("--objective: unknown metric, got 'wonders'") != std::string::npos);
    CHECK(!fs::exists(out));
    auto other = run_salesflow("run " + (dir / "s.yaml").string() + " --objective wins -o " + out.string());
    CHECK(other.status == 2);
    CHECK(!fs::exists(out));
}

TEST_CASE("explain writes /explanations/<name> with the ranked levers") {
    const fs::path dir = scratch("explain-ok");
    write_file(dir / "s.yaml", constrained);
    const fs::path out = dir / "out.h5";
    auto ok = run_salesflow("explain " + (dir / "s.yaml").string() + " --objective wins --replications 6 -q -o " + out.string());
    REQUIRE(ok.status == 0);
    REQUIRE(fs::exists(out));
    CHECK(run_shell("/usr/bin/python3 -c \"import h5py,sys; t=h5py.File('" + out.string() +
                    "')['/explanations/constrained/levers']; o=t.attrs['objective']; "
                    "sys.exit(0 if t[0]['lever'].decode()=='ae +1 person' and o in (b'wins','wins') and t[0]['rank']==1 else 1)\"") == 0);
    // The headline table, the handoff part of the value stream, the roles' split.
    const auto f = output::ResultsFile::open_read(out);
    const std::string g = "/explanations/constrained/";
    CHECK(f.read_table_column_string(g + "headline", "metric") ==
          std::vector<std::string>{"profit", "revenue_per_cost", "revenue_per_quota_person"});
    const auto stage = f.read_table_column_string(g + "value_stream", "stage");
    const auto handoff = f.read_table_column_double(g + "value_stream", "handoff_h");
    const auto total = f.read_table_column_double(g + "value_stream", "total_h");
    REQUIRE(stage.size() == 4);   // all and won, two stages each
    CHECK(handoff[1] > 0.0);      // the close stage of all leads: the SDR hands every lead to the AE
    double parts = 0.0;
    for (const char* c : {"queue_h", "work_h", "between_h", "blocked_h", "handoff_h"})
        parts += f.read_table_column_double(g + "value_stream", c)[1];
    CHECK(parts == doctest::Approx(total[1]).epsilon(1e-12));
    const auto idle = f.read_table_column_double(g + "roles", "idle_share");
    const auto util = f.read_table_column_double(g + "roles", "utilisation");
    for (std::size_t r = 0; r < idle.size(); ++r) CHECK(idle[r] == doctest::Approx(1.0 - util[r]).epsilon(1e-12));
}

TEST_CASE("explain: SIGTERM or SIGINT stops cleanly: exit 1, nothing written, no temporary or lock file left") {
    // It died of the signal (status 143), leaving .OUT.tmp-* and .OUT.lock beside OUT.
    const auto dir = scratch("explain-signal");
    write_file(dir / "s.yaml", "extends: " + source_path("scenarios") + "/flow-optimised.yaml\n");
    for (const int sig : {SIGTERM, SIGINT}) {
        CAPTURE(sig);
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().filename() != "s.yaml") fs::remove_all(e.path());
        const pid_t pid = spawn({"explain", "s.yaml", "-o", "out.h5", "-q", "--threads", "1", "--replications", "400"}, dir);
        auto has_tmp = [&] {
            for (const auto& e : fs::directory_iterator(dir))
                if (e.path().filename().string().rfind(".out.h5.tmp-", 0) == 0) return true;
            return false;
        };
        for (int i = 0; i < 2000 && !has_tmp(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // into the replications
        kill(pid, sig);
        bool signalled = false;
        const int st = wait_status(pid, &signalled);
        if (st == 0) {
            MESSAGE("explain finished before it could be interrupted: skipped");
            continue;
        }
        CHECK_FALSE(signalled);
        CHECK(st == 1);
        CHECK_FALSE(fs::exists(dir / "out.h5"));
        std::vector<std::string> left;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().filename() != "s.yaml") left.push_back(e.path().filename().string());
        CHECK(left.empty());
    }
}
