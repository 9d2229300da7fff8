// Fixed-seed golden run: a small sales network with most mechanisms on, its metric rows
// compared digit for digit with a stored file. Any change to the model's numbers shows up
// here; when the change is intended, regenerate with
//   SALESFLOW_UPDATE_GOLDEN=1 build/release/tests/models/test_model -tc="golden*"
// and say why in the commit.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ModelTestSupport.hpp"
#include "ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {

model::ScenarioConfig golden_scenario() {
    auto cfg = queueing_scenario("golden", 0.3, 2000.0, 3);
    cfg.simulation.seed = 20261126;
    cfg.simulation.calendar = kernel::CalendarSpec{};
    cfg.sources[0].quality = DistributionSpec::beta(2, 4);
    cfg.sources[0].value = DistributionSpec::lognormal(30000, 12000);
    cfg.sources[0].patience = DistributionSpec::exponential(80.0);
    cfg.sources[0].half_life_h = 300.0;
    cfg.sources[0].response_time = DistributionSpec::exponential(10.0);
    cfg.roles = {role("sdr", 1, 70000), role("ae", 2, 200000)};
    cfg.roles[1].wip_limit = 4;
    cfg.roles[1].discipline = model::Discipline::oldest_lead_first;
    auto q = stage("qualify", 0, DistributionSpec::lognormal(0.5, 0.25));
    q.gate = model::GateConfig{true, 0.2, 0.1};
    auto d = stage("discover", 1, DistributionSpec::pert(2.0, 3.0, 6.0), 0.6);
    d.touches = 2;
    auto c = stage("close", 1, DistributionSpec::gamma(4.0, 2.0));
    c.advance_by_quality = true;
    c.has_rework = true;
    c.rework_to = 1;
    c.rework_probability = 0.1;
    cfg.stages = {q, d, c};
    cfg.ownership = model::OwnershipConfig{true, 1};
    cfg.handoff.delay = DistributionSpec::constant(8.0);
    return finish(cfg);
}

std::string render(const model::MemoryRecorder& r) {
    std::ostringstream os;
    for (std::size_t rep = 0; rep < r.rows.size(); ++rep)
        for (std::size_t m = 0; m < r.info.metric_names.size(); ++m) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.17g", r.rows[rep][m]);
            os << rep << ' ' << r.info.metric_names[m] << ' ' << buf << '\n';
        }
    return os.str();
}

std::string render_all(const model::MemoryRecorder& r) {
    std::ostringstream os;
    os << render(r);
    char buf[64];
    for (const auto& [rep, ts] : r.series_by_rep) {
        os << "series " << rep << ' ' << ts.rows() << " rows\n";
        for (std::size_t i = 0; i < ts.data.size(); ++i) {
            std::snprintf(buf, sizeof buf, "%.17g", ts.data[i]);
            os << ts.columns[i % ts.columns.size()] << ' ' << buf << '\n';
        }
    }
    for (const auto& l : r.lead_records) {
        os << "lead " << l.replication << ' ' << l.lead << ' ' << l.source << ' ' << model::outcome_name(l.outcome)
           << ' ' << l.last_stage << ' ' << l.hands << ' ' << l.owner;
        for (double v : {l.arrival_h, l.exit_h, l.quality, l.value, l.work_h, l.wait_h}) {
            std::snprintf(buf, sizeof buf, " %.17g", v);
            os << buf;
        }
        os << '\n';
    }
    return os.str();
}

// Compares `got` line by line with the stored file (rewritten with SALESFLOW_UPDATE_GOLDEN=1).
void check_golden(const std::string& file, const std::string& got, int min_lines) {
    const std::string path = std::string(SALESFLOW_SOURCE_DIR) + "/tests/models/golden/" + file;
    if (std::getenv("SALESFLOW_UPDATE_GOLDEN")) {
        std::ofstream(path) << got;
        MESSAGE("golden file rewritten: " << path);
    }
    std::ifstream f(path);
    REQUIRE_MESSAGE(f.good(), "missing golden file " << path);
    std::stringstream want;
    want << f.rdbuf();
    // Line by line, so a difference names the metric.
    std::istringstream a(got), b(want.str());
    std::string la, lb;
    int lines = 0, differ = 0;
    while (std::getline(b, lb)) {
        REQUIRE(std::getline(a, la));
        if (la != lb && ++differ <= 20) CHECK(la == lb);
        ++lines;
    }
    CHECK(differ == 0);
    CHECK_FALSE(std::getline(a, la));
    CHECK(lines > min_lines);
}

}  // namespace

TEST_CASE("golden run: fixed seed, every metric of every replication as stored") {
    check_golden("golden-network.txt", render(run_in_memory(golden_scenario(), 2)), 100);
}

TEST_CASE("golden run with every mechanism: metrics, time series and lead log as stored") {
    model::ModelOptions opts;
    opts.record_leads = true;
    check_golden("golden-every-mechanism.txt", render_all(run_in_memory(every_mechanism_scenario(), 2, opts)), 1000);
}
