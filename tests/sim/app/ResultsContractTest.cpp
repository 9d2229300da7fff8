// The results file against the contracts in shared/design: the core checker passes,
// tables are bit-identical whatever --threads is, compare pairs replications.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "AppTestSupport.hpp"
#include "output/ResultsFile.hpp"

using namespace salesflow::test;
using salesflow::output::ResultsFile;
namespace fs = std::filesystem;

namespace {
bool have_checker() {
    return fs::exists(SALESFLOW_PYTHON) && fs::exists(std::string(SALESFLOW_SHARED_DIR) + "/tools/check_results_core.py");
}
int check_core(const fs::path& file) {
    return run_shell(std::string(SALESFLOW_PYTHON) + " " + SALESFLOW_SHARED_DIR + "/tools/check_results_core.py " +
                     file.string() + " > /dev/null");
}
const std::string scenario = source_path("scenarios/flow-optimised.yaml");
}  // namespace

TEST_CASE("run output passes the core checker and holds every core metric") {
    const auto dir = scratch("contract-run");
    const auto out = dir / "flow.h5";
    const auto r = run_salesflow("run " + scenario + " --replications 4 --leads -q -o " + out.string());
    REQUIRE(r.status == 0);
    if (have_checker()) {
        CHECK(check_core(out) == 0);
    } else {
        MESSAGE("check_results_core.py or /usr/bin/python3 missing: checker skipped");
    }
    const auto f = ResultsFile::open_read(out);
    CHECK(f.string_attribute("/", "format") == "salesflow-results");
    CHECK(f.int_attribute("/runs/flow-optimised", "replications") == 4);
    const auto metrics = f.read_table_column_string("/runs/flow-optimised/summary", "metric");
    for (const char* m : {"leads_arrived", "leads_exited", "wins", "revenue", "lead_time_mean_h", "wip_mean",
                          "throughput_per_week", "hit_rate", "losses", "disqualified", "abandoned", "leads_open_at_end",
                          "opportunities", "proposals", "win_rate", "cost", "productivity", "cost_per_win",
                          "flow_efficiency", "lead_time_won_mean_h", "lead_time_won_p85_h", "outbound_leads",
                          "stage.qualify.wait_mean_h", "stage.qualify.visits", "stage.qualify.work_mean_h",
                          "role.ae.utilisation", "role.sdr.prospecting_share"}) {
        CAPTURE(m);
        CHECK(std::find(metrics.begin(), metrics.end(), m) != metrics.end());
    }
    // The per-lead log: every arrival of every replication, counted after warm-up too.
    const auto outcome = f.read_table_column_string("/runs/flow-optimised/leads", "outcome");
    CHECK(outcome.size() > 100);
    // The resolved scenario is stored and is loadable YAML with the override applied.
    const auto yaml = f.string_attribute("/runs/flow-optimised", "scenario_yaml");
    CHECK(yaml.find("replications: 4") != std::string::npos);
}

TEST_CASE("same seed: bit-identical tables for --threads 1 and --threads 2") {
    const auto dir = scratch("contract-threads");
    REQUIRE(run_salesflow("run " + scenario + " --replications 6 -q --threads 1 -o " + (dir / "t1.h5").string()).status == 0);
    REQUIRE(run_salesflow("run " + scenario + " --replications 6 -q --threads 2 -o " + (dir / "t2.h5").string()).status == 0);
    const auto a = ResultsFile::open_read(dir / "t1.h5");
    const auto b = ResultsFile::open_read(dir / "t2.h5");
    const auto names = a.read_table_column_string("/runs/flow-optimised/summary", "metric");
    REQUIRE(names.size() > 30);
    for (const auto& m : names) {
        CAPTURE(m);
        const auto x = a.read_table_column_double("/runs/flow-optimised/replications", m);
        const auto y = b.read_table_column_double("/runs/flow-optimised/replications", m);
        REQUIRE(x.size() == 6);
        for (std::size_t i = 0; i < x.size(); ++i) CHECK(std::memcmp(&x[i], &y[i], sizeof(double)) == 0);
    }
}

TEST_CASE("compare: common random numbers, a paired table, narrower paired intervals") {
    const auto dir = scratch("contract-compare");
    const auto out = dir / "cmp.h5";
    const auto r = run_salesflow("compare " + source_path("scenarios/resource-optimised.yaml") + " " + scenario +
                                 " --replications 10 --leads -q -o " + out.string());
    REQUIRE(r.status == 0);
    if (have_checker()) CHECK(check_core(out) == 0);
    const auto f = ResultsFile::open_read(out);
    const std::string t = "/comparisons/resource-optimised-vs-flow-optimised";
    REQUIRE(f.exists(t));
    const auto metric = f.read_table_column_string(t, "metric");
    const auto scen = f.read_table_column_string(t, "scenario");
    const auto diff = f.read_table_column_double(t, "diff");
    const auto dlo = f.read_table_column_double(t, "diff_ci_low");
    const auto dhi = f.read_table_column_double(t, "diff_ci_high");
    const auto lo = f.read_table_column_double(t, "ci_low");
    const auto hi = f.read_table_column_double(t, "ci_high");
    const auto mean = f.read_table_column_double(t, "mean");
    // Same leads: the first leads of every replication arrive at the same times with the
    // same qualities and values in both organisations.
    const auto arr_a = f.read_table_column_double("/runs/resource-optimised/leads", "arrival_h");
    const auto arr_b = f.read_table_column_double("/runs/flow-optimised/leads", "arrival_h");
    const auto q_a = f.read_table_column_double("/runs/resource-optimised/leads", "quality");
    const auto q_b = f.read_table_column_double("/runs/flow-optimised/leads", "quality");
    const auto src_a = f.read_table_column_string("/runs/resource-optimised/leads", "source");
    const auto src_b = f.read_table_column_string("/runs/flow-optimised/leads", "source");
    const auto rep_a = f.read_table_column_int64("/runs/resource-optimised/leads", "replication");
    const auto rep_b = f.read_table_column_int64("/runs/flow-optimised/leads", "replication");
    // Inbound and referral leads are the market's; compare those (outbound depends on the org).
    // Records are in exit order: line the inbound leads of replication 0 up by arrival.
    // The market's nurture brings leads back as inbound leads 26 to 52 weeks after they
    // left, when each organisation lets them go: only arrivals before 26 weeks are
    // certainly new leads of the market.
    const double first_return_h = 26 * 168.0;
    auto inbound = [first_return_h](const auto& arr, const auto& q, const auto& src, const auto& rep) {
        std::vector<std::pair<double, double>> v;
        for (std::size_t i = 0; i < arr.size(); ++i)
            if (src[i] == "inbound" && rep[i] == 0 && arr[i] < first_return_h) v.emplace_back(arr[i], q[i]);
        std::sort(v.begin(), v.end());
        return v;
    };
    const auto ia = inbound(arr_a, q_a, src_a, rep_a), ib = inbound(arr_b, q_b, src_b, rep_b);
    REQUIRE(ia.size() > 50);
    REQUIRE(ia.size() == ib.size());
    for (std::size_t i = 0; i < ia.size(); ++i) CHECK(ia[i] == ib[i]);
    // Leads arrived and WIP: the paired interval of the difference is narrower than the
    // unpaired one (both organisations meet the same inbound and referral leads). In the
    // calibrated market the ratio paired / unpaired was 0.14-0.24 for leads arrived and
    // 0.48-0.82 for WIP over 6 seeds at 10 replications; wins are not correlated between
    // the two organisations there (ratio 0.62-1.03), so they are not asserted.
    int checked = 0;
    for (std::size_t i = 0; i < metric.size(); ++i) {
        if ((metric[i] != "leads_arrived" && metric[i] != "wip_mean") || scen[i] != "flow-optimised") continue;
        CAPTURE(metric[i]);
        ++checked;
        std::size_t base = 0;
        while (!(metric[base] == metric[i] && scen[base] == "resource-optimised")) ++base;
        const double paired = dhi[i] - dlo[i];
        const double unpaired_half = std::sqrt(std::pow((hi[i] - lo[i]) / 2, 2) + std::pow((hi[base] - lo[base]) / 2, 2));
        CHECK(paired / 2 < unpaired_half);
        CHECK(diff[i] == doctest::Approx(mean[i] - mean[base]));
    }
    CHECK(checked == 2);
}
