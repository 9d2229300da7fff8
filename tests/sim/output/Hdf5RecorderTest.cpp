// Hdf5Recorder: a run with known numbers read back exactly through the C API, the core
// checker, pandas, streaming of 100,000 leads, and rejection of bad input.
#include "TestSupport.hpp"

#include "models/MetricCatalog.hpp"
#include "models/Recorder.hpp"
#include "models/ReplicationRunner.hpp"
#include "output/Hdf5Recorder.hpp"
#include "output/ResultsFile.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>

using namespace salesflow;
using namespace salesflow::output;
using namespace salesflow::output::test;

namespace {

const std::vector<std::string> kMetrics = {
    "leads_arrived", "leads_exited", "wins", "revenue", "lead_time_mean_h", "wip_mean", "throughput_per_week",
    "hit_rate", "stage.qualify.wait_mean_h", "stage.qualify.visits", "stage.close.wait_mean_h",
    "role.ae.utilisation"};

model::RunInfo run_info(const std::string& name, int replications) {
    model::RunInfo info;
    info.name = name;
    info.scenario_yaml = "name: " + name + "\nstages: [qualify, close]\n";
    info.seed = 18446744073709551557ULL;  // needs the full unsigned 64-bit range
    info.replications = replications;
    info.horizon_h = 2080.0;
    info.warmup_h = 160.5;
    info.metric_names = kMetrics;
    info.source_names = {"inbound", "partner-referral"};
    info.stage_names = {"qualify", "close"};
    info.role_names = {"sdr", "ae"};
    return info;
}

// Replication r's metric m: distinct, not round numbers, utilisation inside [0, 1].
double metric_value(int r, std::size_t m) {
    if (kMetrics[m] == "role.ae.utilisation") return 0.5 + 0.125 * r;
    return 1000.0 * static_cast<double>(m + 1) + r / 3.0;
}

std::vector<model::MetricSummary> summarise(int reps) {
    std::vector<model::MetricSummary> out;
    const double t975[] = {0, 12.706, 4.303, 3.182, 2.776};
    for (std::size_t m = 0; m < kMetrics.size(); ++m) {
        double sum = 0;
        for (int r = 0; r < reps; ++r) sum += metric_value(r, m);
        const double mean = sum / reps;
        double ss = 0;
        for (int r = 0; r < reps; ++r) ss += (metric_value(r, m) - mean) * (metric_value(r, m) - mean);
        const double sd = std::sqrt(ss / (reps - 1));
        const double half = t975[reps - 1] * sd / std::sqrt(static_cast<double>(reps));
        out.push_back({kMetrics[m], mean, sd, mean - half, mean + half, reps});
    }
    return out;
}

model::LeadRecord lead_record(int rep, std::int64_t i) {
    model::LeadRecord l;
    l.replication = rep;
    l.lead = i;
    l.source = static_cast<std::int32_t>(i % 2);
    l.arrival_h = static_cast<double>(i) * 0.5;
    l.exit_h = static_cast<double>(i) * 0.5 + 3.25;
    l.outcome = static_cast<model::Outcome>(i % 5);
    l.quality = static_cast<double>(i % 100) / 100.0;
    l.value = 1000.0 + static_cast<double>(i);
    l.last_stage = static_cast<std::int32_t>(i % 3) - 1;  // -1, 0, 1
    l.work_h = 1.0 / static_cast<double>(i + 1);
    l.wait_h = static_cast<double>(i) * 1e-3;
    l.hands = static_cast<std::int32_t>(i % 3);
    l.owner = static_cast<std::int32_t>(i % 5) - 1;
    return l;
}

const char* kOutcomeNames[] = {"won", "lost", "disqualified", "abandoned", "open"};
const char* kStageNames[] = {"", "qualify", "close"};  // by last_stage + 1

// The known run: 3 replications, a series for each, 7 leads each, and the summary.
void record_known_run(ResultsFile& f, Hdf5Recorder& rec, const std::string& name = "flow-optimised") {
    (void)f;
    const int reps = 3;
    rec.begin_run(run_info(name, reps));
    for (int r = 0; r < reps; ++r) {
        std::vector<double> row;
        for (std::size_t m = 0; m < kMetrics.size(); ++m) row.push_back(metric_value(r, m));
        rec.replication(r, row);
        model::TimeSeries ts;
        ts.columns = {"time_h", "wip", "stage.qualify.queue"};
        for (int k = 0; k < 4; ++k) {
            ts.data.push_back(168.0 * k);
            ts.data.push_back(r + k * 0.25);
            ts.data.push_back(10.0 * r + k);
        }
        rec.series(r, ts);
        std::vector<model::LeadRecord> leads;
        for (std::int64_t i = 0; i < 7; ++i) leads.push_back(lead_record(r, i));
        rec.leads(leads);
    }
    rec.end_run(summarise(reps));
}

}  // namespace

TEST_CASE("Hdf5Recorder writes a run that reads back exactly and passes the core checker") {
    ScratchDir dir;
    const fs::path target = dir / "results/run.h5";
    {
        auto f = ResultsFile::create(target, "0.1.0", "salesflow run flow-optimised.yaml");
        Hdf5Recorder rec(f);
        record_known_run(f, rec);
        CHECK_FALSE(rec.run_open());
        CHECK(rec.run_path() == "/runs/flow-optimised");
        // A second run without series or leads, as compare would write it.
        rec.begin_run(run_info("baseline", 2));
        for (int r = 0; r < 2; ++r) {
            std::vector<double> row;
            for (std::size_t m = 0; m < kMetrics.size(); ++m) row.push_back(metric_value(r, m));
            rec.replication(r, row);
            rec.series(r, model::TimeSeries{});  // empty: ignored
            rec.leads({});
        }
        rec.end_run(summarise(2));
        f.commit();
    }
    REQUIRE(fs::exists(target));

    {
        auto raw = open_raw(target);
        const std::string run = "/runs/flow-optimised";
        CHECK(raw_string_attr(raw, run, "scenario_yaml") == "name: flow-optimised\nstages: [qualify, close]\n");
        CHECK(raw_number_attr<std::uint64_t>(raw, run, "seed", H5T_NATIVE_UINT64) == 18446744073709551557ULL);
        CHECK(raw_number_attr<std::int64_t>(raw, run, "replications", H5T_NATIVE_INT64) == 3);
        CHECK(raw_number_attr<double>(raw, run, "horizon_h", H5T_NATIVE_DOUBLE) == 2080.0);
        CHECK(raw_number_attr<double>(raw, run, "warmup_h", H5T_NATIVE_DOUBLE) == 160.5);
        CHECK(raw_attr_type(raw, run, "horizon_h") == std::pair<H5T_class_t, std::size_t>{H5T_FLOAT, 8});
        CHECK(raw_string_array_attr(raw, run, "sources") == std::vector<std::string>{"inbound", "partner-referral"});
        CHECK(raw_string_array_attr(raw, run, "stages") == std::vector<std::string>{"qualify", "close"});
        CHECK(raw_string_array_attr(raw, run, "roles") == std::vector<std::string>{"sdr", "ae"});

        // replications: `replication`, then the metrics verbatim, in order.
        std::vector<std::string> cols = {"replication"};
        cols.insert(cols.end(), kMetrics.begin(), kMetrics.end());
        CHECK(raw_field_names(raw, run + "/replications") == cols);
        CHECK(raw_column<std::int64_t>(raw, run + "/replications", "replication", H5T_NATIVE_INT64) ==
              std::vector<std::int64_t>{0, 1, 2});
        for (std::size_t m = 0; m < kMetrics.size(); ++m) {
            CAPTURE(kMetrics[m]);
            CHECK(raw_column<double>(raw, run + "/replications", kMetrics[m], H5T_NATIVE_DOUBLE) ==
                  std::vector<double>{metric_value(0, m), metric_value(1, m), metric_value(2, m)});
        }
        const RawLayout layout = raw_layout(raw, run + "/replications");
        CHECK((layout.chunked && layout.deflate && layout.unlimited && layout.compound));
        // Tables smaller than a 64 KiB chunk get chunks of the rows they are expected to
        // hold (HDF5 deflates whole chunks): the replications declared, the series rows of
        // every replication, one summary row per metric.
        CHECK(layout.chunk_rows == 3);
        CHECK(raw_layout(raw, run + "/series").chunk_rows == 12);
        CHECK(raw_layout(raw, run + "/summary").chunk_rows == kMetrics.size());

        // series
        CHECK(raw_field_names(raw, run + "/series") ==
              std::vector<std::string>{"replication", "time_h", "wip", "stage.qualify.queue"});
        const auto srep = raw_column<std::int64_t>(raw, run + "/series", "replication", H5T_NATIVE_INT64);
        const auto stime = raw_column<double>(raw, run + "/series", "time_h", H5T_NATIVE_DOUBLE);
        const auto swip = raw_column<double>(raw, run + "/series", "wip", H5T_NATIVE_DOUBLE);
        const auto sq = raw_column<double>(raw, run + "/series", "stage.qualify.queue", H5T_NATIVE_DOUBLE);
        REQUIRE(srep.size() == 12);
        for (std::size_t i = 0; i < 12; ++i) {
            const int r = static_cast<int>(i / 4), k = static_cast<int>(i % 4);
            CHECK(srep[i] == r);
            CHECK(stime[i] == 168.0 * k);
            CHECK(swip[i] == r + k * 0.25);
            CHECK(sq[i] == 10.0 * r + k);
        }

        // leads
        const std::string l = run + "/leads";
        CHECK(raw_field_names(raw, l) ==
              std::vector<std::string>{"replication", "lead", "source", "arrival_h", "exit_h", "outcome", "quality",
                                       "value", "last_stage", "work_h", "wait_h", "hands", "owner"});
        const auto lrep = raw_column<std::int64_t>(raw, l, "replication", H5T_NATIVE_INT64);
        const auto lid = raw_column<std::int64_t>(raw, l, "lead", H5T_NATIVE_INT64);
        const auto lsrc = raw_text_column(raw, l, "source");
        const auto larr = raw_column<double>(raw, l, "arrival_h", H5T_NATIVE_DOUBLE);
        const auto lexit = raw_column<double>(raw, l, "exit_h", H5T_NATIVE_DOUBLE);
        const auto lout = raw_text_column(raw, l, "outcome");
        const auto lq = raw_column<double>(raw, l, "quality", H5T_NATIVE_DOUBLE);
        const auto lval = raw_column<double>(raw, l, "value", H5T_NATIVE_DOUBLE);
        const auto lstage = raw_text_column(raw, l, "last_stage");
        const auto lwork = raw_column<double>(raw, l, "work_h", H5T_NATIVE_DOUBLE);
        const auto lwait = raw_column<double>(raw, l, "wait_h", H5T_NATIVE_DOUBLE);
        const auto lhands = raw_column<std::int64_t>(raw, l, "hands", H5T_NATIVE_INT64);
        const auto lowner = raw_column<std::int64_t>(raw, l, "owner", H5T_NATIVE_INT64);
        REQUIRE(lrep.size() == 21);
        for (std::size_t k = 0; k < 21; ++k) {
            const auto e = lead_record(static_cast<int>(k / 7), static_cast<std::int64_t>(k % 7));
            CAPTURE(k);
            CHECK(lrep[k] == e.replication);
            CHECK(lid[k] == e.lead);
            CHECK(lsrc[k] == (e.source == 0 ? "inbound" : "partner-referral"));
            CHECK(larr[k] == e.arrival_h);
            CHECK(lexit[k] == e.exit_h);
            CHECK(lout[k] == kOutcomeNames[static_cast<int>(e.outcome)]);
            CHECK(lq[k] == e.quality);
            CHECK(lval[k] == e.value);
            CHECK(lstage[k] == kStageNames[e.last_stage + 1]);
            CHECK(lwork[k] == e.work_h);
            CHECK(lwait[k] == e.wait_h);
            CHECK(lhands[k] == e.hands);
            CHECK(lowner[k] == e.owner);
        }

        // summary
        const std::string s = run + "/summary";
        CHECK(raw_field_names(raw, s) ==
              std::vector<std::string>{"metric", "mean", "sd", "ci_low", "ci_high", "n", "unit", "direction", "label"});
        const auto expected = summarise(3);
        const auto names = raw_text_column(raw, s, "metric");
        const auto mean = raw_column<double>(raw, s, "mean", H5T_NATIVE_DOUBLE);
        const auto sd = raw_column<double>(raw, s, "sd", H5T_NATIVE_DOUBLE);
        const auto lo = raw_column<double>(raw, s, "ci_low", H5T_NATIVE_DOUBLE);
        const auto hi = raw_column<double>(raw, s, "ci_high", H5T_NATIVE_DOUBLE);
        const auto n = raw_column<std::int64_t>(raw, s, "n", H5T_NATIVE_INT64);
        REQUIRE(names.size() == expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            CHECK(names[i] == expected[i].metric);
            CHECK(mean[i] == expected[i].mean);
            CHECK(sd[i] == expected[i].sd);
            CHECK(lo[i] == expected[i].ci_low);
            CHECK(hi[i] == expected[i].ci_high);
            CHECK(n[i] == 3);
        }

        // The run without series or leads has no such tables.
        CHECK(raw_exists(raw, "/runs/baseline/replications"));
        CHECK(raw_exists(raw, "/runs/baseline/summary"));
        CHECK_FALSE(raw_exists(raw, "/runs/baseline/series"));
        CHECK_FALSE(raw_exists(raw, "/runs/baseline/leads"));
        CHECK(raw_rows(raw, "/runs/baseline/replications") == 2);
    }
    // Runs are listed in the order they were written (compare: the baseline first).
    CHECK(ResultsFile::open_read(target).children("/runs") == std::vector<std::string>{"flow-optimised", "baseline"});

    SUBCASE("the core checker accepts it") {
        if (!python_ready() || !fs::exists(checker())) {
            MESSAGE("skipped: no " << SALESFLOW_PYTHON << " or no " << checker());
            return;
        }
        const auto r = run_command(std::string(SALESFLOW_PYTHON) + " " + quoted(checker()) + " " + quoted(target));
        INFO(r.output);
        CHECK(r.exit_code == 0);
        CHECK(r.output == "ok\n");
    }
    SUBCASE("pandas reads every table, with decodable text") {
        if (!python_ready()) {
            MESSAGE("skipped: no " << SALESFLOW_PYTHON);
            return;
        }
        const std::string script =
            "import sys,h5py,pandas as pd\n"
            "f=h5py.File(sys.argv[1],'r')\n"
            "run=f['runs/flow-optimised']\n"
            "reps=pd.DataFrame(run['replications'][:])\n"
            "leads=pd.DataFrame(run['leads'][:])\n"
            "summ=pd.DataFrame(run['summary'][:])\n"
            "ser=pd.DataFrame(run['series'][:])\n"
            "print(list(f['runs']))\n"
            "print(reps.shape, f\"{reps['stage.qualify.wait_mean_h'].sum():.6f}\")\n"
            "print(leads.shape, ','.join(leads['outcome'].str.decode('utf-8')[:5]), leads['source'].str.decode('utf-8')[1])\n"
            "print(repr(leads['last_stage'].str.decode('utf-8')[0]), int(leads['lead'].sum()))\n"
            "print(summ['metric'].str.decode('utf-8')[7], int(summ['n'].sum()), ser.shape)\n"
            "print(type(run.attrs['scenario_yaml']).__name__, list(run.attrs['stages']), int(run.attrs['seed']))\n";
        const fs::path py = dir / "read.py";
        write_bytes(py, script);
        const auto r = run_command(std::string(SALESFLOW_PYTHON) + " " + quoted(py) + " " + quoted(target));
        INFO(r.output);
        CHECK(r.exit_code == 0);
        const double wait_sum = metric_value(0, 8) + metric_value(1, 8) + metric_value(2, 8);
        char wait_text[64];
        std::snprintf(wait_text, sizeof wait_text, "%.6f", wait_sum);
        CHECK(r.output == "['flow-optimised', 'baseline']\n"
                          "(3, 13) " + std::string(wait_text) + "\n" +
                          "(21, 13) won,lost,disqualified,abandoned,open partner-referral\n"
                          "'' 63\n"
                          "hit_rate 36 (12, 4)\n"
                          "str ['qualify', 'close'] 18446744073709551557\n");
    }
}

TEST_CASE("Hdf5Recorder streams 100,000 leads with bounded memory, every row in order") {
    ScratchDir dir;
    const fs::path target = dir / "leads.h5";
    const std::int64_t total = 100000;
    const std::size_t buffer = 4096;
    {
        auto f = ResultsFile::create(target, "v", "cmd");
        Hdf5Recorder::Options opts;
        opts.lead_buffer_rows = buffer;
        Hdf5Recorder rec(f, opts);
        rec.begin_run(run_info("big", 1));
        rec.replication(0, std::vector<double>(kMetrics.size(), 0.5));
        std::vector<model::LeadRecord> chunk;
        std::int64_t i = 0;
        while (i < total) {
            chunk.clear();
            for (int k = 0; k < 777 && i < total; ++k, ++i) chunk.push_back(lead_record(0, i));
            rec.leads(chunk);
            CHECK(rec.buffered_leads() < buffer);
            if (i == 777 * 13) {
                // Already on disk, not held in memory: the table holds all but the buffer.
                const auto on_disk = f.open_table("/runs/big/leads").rows();
                CHECK(on_disk + rec.buffered_leads() == static_cast<std::uint64_t>(i));
                CHECK(on_disk >= static_cast<std::uint64_t>(i) - buffer);
            }
        }
        rec.end_run(summarise(2));
        CHECK(rec.buffered_leads() == 0);
        f.commit();
    }
    auto raw = open_raw(target);
    const std::string l = "/runs/big/leads";
    REQUIRE(raw_rows(raw, l) == static_cast<std::size_t>(total));
    const auto lid = raw_column<std::int64_t>(raw, l, "lead", H5T_NATIVE_INT64);
    const auto larr = raw_column<double>(raw, l, "arrival_h", H5T_NATIVE_DOUBLE);
    const auto lwork = raw_column<double>(raw, l, "work_h", H5T_NATIVE_DOUBLE);
    const auto lout = raw_text_column(raw, l, "outcome");
    const auto lsrc = raw_text_column(raw, l, "source");
    const auto lstage = raw_text_column(raw, l, "last_stage");
    std::int64_t bad = 0;
    for (std::int64_t i = 0; i < total; ++i) {
        const auto e = lead_record(0, i);
        const auto k = static_cast<std::size_t>(i);
        if (lid[k] != i || larr[k] != e.arrival_h || lwork[k] != e.work_h ||
            lout[k] != kOutcomeNames[static_cast<int>(e.outcome)] ||
            lsrc[k] != (e.source == 0 ? "inbound" : "partner-referral") || lstage[k] != kStageNames[e.last_stage + 1])
            ++bad;
    }
    CHECK(bad == 0);
    CHECK(lid.front() == 0);
    CHECK(lid.back() == total - 1);
}

TEST_CASE("Hdf5Recorder rejects bad input") {
    ScratchDir dir;
    auto f = ResultsFile::create(dir / "bad.h5", "v", "cmd");
    Hdf5Recorder rec(f);
    CHECK_THROWS_AS(rec.replication(0, std::vector<double>(kMetrics.size())), std::logic_error);
    CHECK_THROWS_AS(rec.end_run({}), std::logic_error);
    CHECK_THROWS_AS(rec.begin_run(run_info("a/b", 1)), std::invalid_argument);
    CHECK_THROWS_AS(rec.begin_run(run_info("", 1)), std::invalid_argument);
    auto dup = run_info("dup", 1);
    dup.metric_names.push_back("wins");
    CHECK_THROWS_AS(rec.begin_run(dup), std::invalid_argument);
    CHECK_FALSE(f.exists("/runs/dup"));  // checked before anything was written

    rec.begin_run(run_info("ok", 1));
    CHECK_THROWS_AS(rec.begin_run(run_info("other", 1)), std::logic_error);
    CHECK_THROWS_AS(rec.replication(0, std::vector<double>(kMetrics.size() - 1)), std::invalid_argument);

    model::TimeSeries ts;
    ts.columns = {"time_h", "wip"};
    ts.data = {0, 1, 2};
    CHECK_THROWS_AS(rec.series(0, ts), std::invalid_argument);  // not whole rows
    ts.data = {0, 1};
    rec.series(0, ts);
    ts.columns = {"time_h", "queue"};
    CHECK_THROWS_AS(rec.series(1, ts), std::invalid_argument);  // other columns than the first

    auto l = lead_record(0, 1);
    l.source = 2;
    CHECK_THROWS_AS(rec.leads(std::vector<model::LeadRecord>{lead_record(0, 0), l}), std::out_of_range);
    l = lead_record(0, 1);
    l.last_stage = 2;
    CHECK_THROWS_AS(rec.leads(std::vector<model::LeadRecord>{l}), std::out_of_range);
    // The good record before the bad one is kept; no half row was left behind.
    CHECK(rec.buffered_leads() == 1);
    rec.end_run(summarise(2));
    CHECK(f.read_table_column_int64("/runs/ok/leads", "lead") == std::vector<std::int64_t>{0});

    CHECK_THROWS_AS(rec.begin_run(run_info("ok", 1)), std::invalid_argument);  // already in the file
}

TEST_CASE("the core checker rejects a run that never ended (no summary)") {
    if (!python_ready() || !fs::exists(checker())) {
        MESSAGE("skipped: no " << SALESFLOW_PYTHON << " or no " << checker());
        return;
    }
    ScratchDir dir;
    const fs::path target = dir / "partial.h5";
    {
        auto f = ResultsFile::create(target, "v", "cmd");
        Hdf5Recorder rec(f);
        rec.begin_run(run_info("unfinished", 1));
        rec.replication(0, std::vector<double>(kMetrics.size(), 0.25));
        f.commit();
    }
    const auto r = run_command(std::string(SALESFLOW_PYTHON) + " " + quoted(checker()) + " " + quoted(target));
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("/runs/unfinished/summary") != std::string::npos);
}

TEST_CASE("every metric column carries the unit, direction and label its statistic declares") {
    model::ScenarioConfig cfg;
    cfg.name = "declared";
    cfg.simulation.horizon_h = 100.0;
    model::SourceConfig src;
    src.name = "inbound";
    cfg.sources.push_back(src);
    model::StageConfig st;
    st.name = "close";
    st.roles = {0};
    cfg.stages.push_back(st);
    model::RoleConfig ae;
    ae.name = "ae";
    ae.headcount = 1;
    cfg.roles.push_back(ae);
    const model::MetricCatalog cat(cfg);
    ScratchDir dir;
    const fs::path target = dir / "declared.h5";
    {
        auto f = ResultsFile::create(target, "0.1.0", "test");
        Hdf5Recorder rec(f);
        rec.begin_run(model::run_info(cfg, cat, 1));
        rec.replication(0, std::vector<double>(cat.size(), 1.0));
        rec.end_run(model::summarise(cat, {std::vector<double>(cat.size(), 1.0)}));
        f.commit();
    }
    std::vector<std::string> names, units, dirs, labels;
    {
        auto f = ResultsFile::open_read(target);
        const std::string t = "/runs/declared/replications";
        names = f.string_array_attribute(t, "metric_names");
        units = f.string_array_attribute(t, "metric_units");
        dirs = f.string_array_attribute(t, "metric_directions");
        labels = f.string_array_attribute(t, "metric_labels");
    }
    REQUIRE(names == cat.names());
    REQUIRE(units.size() == names.size());
    REQUIRE(dirs.size() == names.size());
    REQUIRE(labels.size() == names.size());
    auto at = [&](const std::string& m) { return static_cast<std::size_t>(cat.index_of(m)); };
    CHECK(dirs[at("wins")] == "higher");
    CHECK(units[at("wins")] == "count");
    CHECK(dirs[at("lead_time_mean_h")] == "lower");
    CHECK(units[at("lead_time_mean_h")] == "hours");
    CHECK(dirs[at("cost")] == "neither");           // cost and volumes are never "better"
    CHECK(dirs[at("leads_exited")] == "neither");
    CHECK(units[at("throughput_per_week")] == "per_week");
    CHECK(units[at("role.ae.utilisation")] == "share");
    CHECK(dirs[at("stage.close.wait_mean_h")] == "lower");
    CHECK(labels[at("stage.close.wait_mean_h")] == "Wait at close, mean");
    for (const auto& d : dirs) CHECK((d == "higher" || d == "lower" || d == "neither"));
    for (const auto& l : labels) CHECK_FALSE(l.empty());
    auto raw = open_raw(target);
    const auto sdir = raw_text_column(raw, "/runs/declared/summary", "direction");
    const auto smetric = raw_text_column(raw, "/runs/declared/summary", "metric");
    REQUIRE(sdir.size() == names.size());
    for (std::size_t i = 0; i < sdir.size(); ++i) CHECK(sdir[i] == dirs[at(smetric[i])]);
}
