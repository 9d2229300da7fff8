// `salesflow sweep`: the layout of cli-core.md, the designs, bad sweep files, and the
// same tables whatever happens: 1 or 2 threads, 1, 2 or 3 MPI ranks, a run stopped by
// SIGTERM or killed by SIGKILL and then resumed.
#include <doctest/doctest.h>

#include <algorithm>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "AppTestSupport.hpp"
#include "output/ResultsFile.hpp"

using namespace salesflow;
using namespace salesflow::test;
using output::ResultsFile;
namespace fs = std::filesystem;

namespace {



void write_sweep(const fs::path& file, const std::string& body, const std::string& name = "s") {
    write_file(file, "name: " + name + "\nscenario: " + flow + "\n" + body);
}

// Both tables of a sweep, every column raw (AppTestSupport).
SweepTables read_tables(const fs::path& file, const std::string& name) {
    return read_sweep_tables(file, name, {"points", "replications"});
}

long long completed_items(const fs::path& file, const std::string& name) {
    try {
        if (!fs::exists(file)) return 0;
        return ResultsFile::open_read(file).int_attribute("/sweeps/" + name, "completed_items");
    } catch (...) {
        return 0;
    }
}

}  // namespace

TEST_CASE("grid sweep: points and replications tables as cli-core.md says") {
    const auto dir = scratch("sweep-grid");
    write_sweep(dir / "g.yaml", "replications: 3\nvary:\n  roles.ae.headcount: [3, 5]\n  roles.ae.discipline: [fifo, wsjf]\n", "grid");
    const auto r = run_salesflow("sweep g.yaml --set simulation.horizon=20w -q -o g.h5 --threads 2", dir);
    REQUIRE(r.status == 0);
    const auto f = ResultsFile::open_read(dir / "g.h5");
    CHECK(f.int_attribute("/sweeps/grid", "complete") == 1);
    CHECK(f.string_attribute("/sweeps/grid", "scenario_yaml").find("flow-optimised") != std::string::npos);
    CHECK(f.string_attribute("/sweeps/grid", "sweep_yaml").find("roles.ae.headcount") != std::string::npos);
    const std::string p = "/sweeps/grid/points", reps = "/sweeps/grid/replications";
    const auto head = f.read_table_column_double(p, "roles.ae.headcount");
    const auto disc = f.read_table_column_string(p, "roles.ae.discipline");
    REQUIRE(head.size() == 4);
    CHECK(head == std::vector<double>{3, 3, 5, 5});            // first path varies slowest
    CHECK(disc == std::vector<std::string>{"fifo", "wsjf", "fifo", "wsjf"});
    const auto rp = f.read_table_column_int64(reps, "point");
    const auto rr = f.read_table_column_int64(reps, "replication");
    REQUIRE(rp.size() == 12);
    for (std::size_t i = 0; i < 12; ++i) {
        CHECK(rp[i] == static_cast<std::int64_t>(i / 3));
        CHECK(rr[i] == static_cast<std::int64_t>(i % 3));
    }
    // Point means are the means of their replication rows, metric by metric.
    for (const char* m : {"wins", "lead_time_mean_h", "role.ae.utilisation", "leads_arrived"}) {
        CAPTURE(m);
        const auto pm = f.read_table_column_double(p, m);
        const auto rm = f.read_table_column_double(reps, m);
        for (std::size_t pt = 0; pt < 4; ++pt)
            CHECK(pm[pt] == doctest::Approx((rm[3 * pt] + rm[3 * pt + 1] + rm[3 * pt + 2]) / 3.0).epsilon(1e-12));
    }
    // Common random numbers across points: the SDRs, who make every lead, are the same at
    // every point, so replication r sees exactly the same leads arrive whatever the AEs.
    const auto arrivals = f.read_table_column_double(reps, "leads_arrived");
    for (std::size_t pt = 1; pt < 4; ++pt)
        for (std::size_t k = 0; k < 3; ++k) CHECK(arrivals[3 * pt + k] == arrivals[k]);
    const auto head_reps = f.read_table_column_double(reps, "roles.ae.headcount");
    CHECK(head_reps[11] == 5.0);
    // Each metric's unit, direction and label, as on a run's replications table.
    for (const std::string& t : {p, reps}) {
        CAPTURE(t);
        const auto names = f.string_array_attribute(t, "metric_names");
        const auto dirs = f.string_array_attribute(t, "metric_directions");
        const auto units = f.string_array_attribute(t, "metric_units");
        REQUIRE(names.size() == dirs.size());
        REQUIRE(names.size() == units.size());
        REQUIRE(f.string_array_attribute(t, "metric_labels").size() == names.size());
        const auto at = static_cast<std::size_t>(std::find(names.begin(), names.end(), "wins") - names.begin());
        REQUIRE(at < names.size());
        CHECK(dirs[at] == "higher");
        CHECK(units[at] == "count");
    }
}

TEST_CASE("latin hypercube: one value per stratum, integers rounded; explicit points") {
    const auto dir = scratch("sweep-lhs");
    write_sweep(dir / "l.yaml",
                "replications: 1\ndesign:\n  latin_hypercube:\n    points: 10\n    seed: 3\n    ranges:\n"
                "      stages.qualify.gate.threshold: {min: 0.1, max: 0.4}\n      roles.ae.headcount: {min: 2, max: 8}\n",
                "lhs");
    REQUIRE(run_salesflow("sweep l.yaml --set simulation.horizon=8w --set simulation.warmup=0 -q -o l.h5", dir).status == 0);
    const auto f = ResultsFile::open_read(dir / "l.h5");
    const auto th = f.read_table_column_double("/sweeps/lhs/points", "stages.qualify.gate.threshold");
    const auto hc = f.read_table_column_double("/sweeps/lhs/points", "roles.ae.headcount");
    REQUIRE(th.size() == 10);
    std::set<int> strata;
    for (double v : th) {
        CHECK(v >= 0.1);
        CHECK(v <= 0.4);
        strata.insert(static_cast<int>((v - 0.1) / 0.03));
    }
    CHECK(strata.size() == 10);
    for (double v : hc) {
        CHECK(v == std::round(v));
        CHECK(v >= 2);
        CHECK(v <= 8);
    }
    write_sweep(dir / "p.yaml", "replications: 2\npoints:\n  - {roles.ae.headcount: 2, roles.se.headcount: 1}\n"
                                "  - {roles.ae.headcount: 7, roles.se.headcount: 4}\n", "pts");
    REQUIRE(run_salesflow("sweep p.yaml --set simulation.horizon=8w --set simulation.warmup=0 -q -o p.h5", dir).status == 0);
    const auto g = ResultsFile::open_read(dir / "p.h5");
    CHECK(g.read_table_column_double("/sweeps/pts/points", "roles.se.headcount") == std::vector<double>{1, 4});
}

TEST_CASE("bad sweep files: exit 2, the place in the sweep file, nothing harmed") {
    const auto dir = scratch("sweep-bad");
    struct Case {
        std::string body, expect;
    };
    const std::vector<Case> cases = {
        {"vary:\n  roles.cto.headcount: [1, 2]\n", "cto"},
        {"vary:\n  roles.ae.hedcount: [1, 2]\n", "hedcount"},
        {"vary:\n  roles.ae.headcount: []\n", "s.yaml:4:"},
        {"vary:\n  roles.ae.headcount: [2, -1]\n", "must be an integer >= 0, got '-1'"},
        {"design:\n  latin_hypercube:\n    points: 5\n    ranges:\n      roles.ae.headcount: {min: 8, max: 2}\n",
         "min must be <= max"},
        {"", "no design"},
        // The sweep's replications are the same at every point (the file's `replications`).
        {"vary:\n  simulation.replications: [2, 5]\n",
         "s.yaml:4:3: simulation.replications: cannot be varied: every point runs the sweep's replications"},
        {"points:\n  - {simulation.replications: 2}\n", "simulation.replications: cannot be varied"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        write_sweep(dir / "s.yaml", c.body);
        write_file(dir / "out.h5", "keep me");
        const auto r = run_salesflow("sweep s.yaml -o out.h5", dir);
        CHECK(r.status == 2);
        CHECK_MESSAGE(r.out.find(c.expect) != std::string::npos, r.out);
        CHECK(read_file(dir / "out.h5") == "keep me");
    }
    // Resuming against a different sweep is refused and the file kept as it was.
    write_sweep(dir / "a.yaml", "replications: 1\nvary:\n  roles.ae.headcount: [2, 3]\n");
    write_sweep(dir / "b.yaml", "replications: 1\nvary:\n  roles.ae.headcount: [2, 4]\n");
    REQUIRE(run_salesflow("sweep a.yaml --set simulation.horizon=4w --set simulation.warmup=0 -q -o a.h5", dir).status == 0);
    const auto before = read_file(dir / "a.h5");
    const auto r = run_salesflow("sweep b.yaml --set simulation.horizon=4w --set simulation.warmup=0 -q --resume -o a.h5", dir);
    CHECK(r.status == 2);
    CHECK(r.out.find("different sweep") != std::string::npos);
    CHECK(read_file(dir / "a.h5") == before);
    CHECK(run_salesflow("sweep b.yaml -q --resume -o none.h5", dir).status == 2);
    // Nor is a killed run's journal lost to a resume with the wrong sweep file.
    write_file(dir / ".a.h5.journal", "a journal of some other run");
    CHECK(run_salesflow("sweep b.yaml --set simulation.horizon=4w --set simulation.warmup=0 -q --resume -o a.h5", dir)
              .status == 2);
    CHECK(read_file(dir / ".a.h5.journal") == "a journal of some other run");
    fs::remove(dir / ".a.h5.journal");
}

TEST_CASE("a grid of 2^64 points is refused with a clear message, not wrapped to an empty sweep") {
    const auto dir = scratch("sweep-huge-grid");
    // 8 paths of 256 values each: 2^64 points (the product wraps to 0 in 64 bits).
    std::string list = "[";
    for (int i = 0; i < 256; ++i) list += (i ? ", " : "") + std::to_string(i);
    list += "]";
    std::string body = "replications: 1\nvary:\n";
    for (const char* p : {"roles.ae.headcount", "roles.se.headcount", "roles.sdr.headcount", "stages.qualify.touches",
                          "stages.proposal.touches", "stages.demo.touches", "stages.negotiate.touches", "simulation.seed"})
        body += std::string("  ") + p + ": " + list + "\n";
    write_sweep(dir / "h.yaml", body, "huge");
    const auto r = run_salesflow("sweep h.yaml -q -o h.h5", dir);
    CHECK(r.status == 2);
    CHECK_MESSAGE(r.out.find("h.yaml:5:3: vary: the grid has more than 10000000 points") != std::string::npos, r.out);
    CHECK_FALSE(fs::exists(dir / "h.h5"));
}

TEST_CASE("sweep tables are identical for 1 and 2 threads and 1, 2 and 3 MPI ranks") {
    const auto dir = scratch("sweep-parallel");
    write_sweep(dir / "w.yaml", "replications: 3\nvary:\n  roles.ae.headcount: [3, 4, 5]\n  roles.se.headcount: [2, 3]\n", "w");
    const auto t1 = check_same_sweep_tables(dir, "w", "sweep w.yaml --set simulation.horizon=16w -q", {"points", "replications"},
                                            {1, 2}, {2, 3});
    CHECK(t1.num.at("replications:wins").size() == 18);
    CHECK(ResultsFile::open_read(dir / "threads-2.h5").int_attribute("/sweeps/w", "resumed_items") == 0);
}

TEST_CASE("interrupted sweeps: SIGTERM/SIGHUP keep completed items, SIGKILL loses only items in flight, resume equals uninterrupted") {
    const auto dir = scratch("sweep-interrupt");
    // 400 items of a few ms each: the run is interrupted after 20 of them, far from its end.
    write_sweep(dir / "i.yaml", "replications: 5\nvary:\n  roles.ae.headcount: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n"
                                "  stages.qualify.gate.threshold: [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]\n", "i");
    InterruptedSweep s;
    s.dir = dir;
    s.name = "i";
    // (Under the sanitizers items are many times slower: a shorter horizon, the same checks.)
    s.args = {"sweep", "i.yaml", "--set", sanitized() ? "simulation.horizon=20w" : "simulation.horizon=80w", "-q", "--threads", "2"};
    s.tables = {"points", "replications"};
    s.stop_after = 20;
    s.signals = {SIGTERM, SIGHUP, SIGKILL};
    std::map<int, long long> resumed_after;
    s.after_interrupt = [&](const Interruption& i) {
        if (i.signal == SIGKILL) {
            resumed_after[i.signal] = i.journalled;  // every item emitted before the kill survives it
            return;
        }
        const auto f = ResultsFile::open_read(dir / i.out);
        CHECK(f.int_attribute("/sweeps/i", "complete") == 0);
        const long long kept = completed_items(dir / i.out, "i");
        CHECK(kept >= i.journalled);  // the items in flight finished too
        CHECK(static_cast<long long>(f.read_table_column_int64("/sweeps/i/replications", "point").size()) == kept);
        CHECK_FALSE(fs::exists(i.journal));  // committed: the journal has done its work
        resumed_after[i.signal] = kept;
    };
    s.after_resume = [&](const Interruption& i, const Outcome& r) {
        CHECK_MESSAGE(r.out.find("resuming after " + std::to_string(resumed_after[i.signal]) + ",") != std::string::npos, r.out);
        CHECK(ResultsFile::open_read(dir / i.out).int_attribute("/sweeps/i", "resumed_items") == resumed_after[i.signal]);
    };
    const auto full = check_interrupted_sweeps_resume(s);
    CHECK(full.num.at("replications:point").size() == 400);
}

TEST_CASE("a sweep's memory does not grow with its number of points: rows stream to the file") {
    const auto dir = scratch("sweep-memory");
    auto sweep = [&](int points) {
        const std::string name = "m" + std::to_string(points);
        write_sweep(dir / (name + ".yaml"),
                    "replications: 10\ndesign:\n  latin_hypercube:\n    points: " + std::to_string(points) +
                        "\n    ranges:\n      roles.ae.headcount: {min: 2, max: 10}\n"
                        "      stages.qualify.gate.threshold: {min: 0.1, max: 0.5}\n",
                    name);
        const pid_t pid = spawn({"sweep", name + ".yaml", "--set", "simulation.horizon=1w", "--set", "simulation.warmup=0",
                                 "--set", "simulation.sample_every=0", "-q", "--threads", "2", "-o", name + ".h5"},
                                dir);
        int st = 0;
        struct rusage ru {};
        wait4(pid, &st, 0, &ru);
        REQUIRE(WIFEXITED(st));
        REQUIRE(WEXITSTATUS(st) == 0);
        const auto f = ResultsFile::open_read(dir / (name + ".h5"));
        CHECK(f.read_table_column_int64("/sweeps/" + name + "/replications", "point").size() ==
              static_cast<std::size_t>(points) * 10);
        return static_cast<double>(ru.ru_maxrss);  // kilobytes
    };
    // Under the sanitizers peak memory means nothing (below): a short sweep checks the rows.
    // The items cost their model's set-up whatever the horizon, so the big sweep is as
    // small as keeps the bound well above the noise of peak memory (1-3 MB between runs):
    // 4,000 points grew 1.5 MB over 400 (Release, 2 threads).
    const int big = sanitized() ? 400 : 4000;
    const double small_kb = sweep(big / 10), big_kb = sweep(big);
    MESSAGE("peak memory: ", small_kb / 1024, " MB for ", big / 10, " points, ", big_kb / 1024, " MB for ", big);
    // Holding the extra rows (9 x as many items, 60+ doubles each) would take over 17 MB
    // more at 4,000 points; what grows is only the plan of points itself.
    const double rows_kb = (big - big / 10) * 10.0 * 64 * 8 / 1024;
    // (AddressSanitizer keeps freed memory in quarantine: peak memory means nothing there.)
    if (!sanitized()) CHECK(big_kb - small_kb < 0.5 * rows_kb);
}

TEST_CASE("run and compare stopped by SIGTERM keep their completed replications, marked incomplete") {
    const auto dir = scratch("run-interrupt");
    for (const bool compare : {false, true}) {
        CAPTURE(compare);
        std::vector<std::string> args = {compare ? "compare" : "run", source_path("scenarios/resource-optimised.yaml")};
        if (compare) args.push_back(flow);
        for (const char* a : {"--replications", "1000000", "-q", "--threads", "2", "-o", "out.h5"}) args.push_back(a);
        fs::remove(dir / "out.h5");
        const pid_t pid = spawn(args, dir);
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        kill(pid, SIGTERM);
        CHECK(wait_status(pid) == 1);
        REQUIRE(fs::exists(dir / "out.h5"));
        const auto f = ResultsFile::open_read(dir / "out.h5");
        const std::string g = "/runs/resource-optimised";
        CHECK(f.int_attribute(g, "complete") == 0);
        const auto rows = f.read_table_column_int64(g + "/replications", "replication");
        CHECK(static_cast<std::int64_t>(rows.size()) == f.int_attribute(g, "replications"));
        CHECK(rows.size() > 0);
        for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i] == static_cast<std::int64_t>(i));  // a prefix
        CHECK_FALSE(f.exists("/comparisons/resource-optimised-vs-flow-optimised"));
        for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
    }
}

TEST_CASE("a varied distribution reads as one line of flow YAML in the PATH column") {
    const auto dir = scratch("sweep-map-values");
    write_sweep(dir / "d.yaml", "replications: 1\nvary:\n  stages.proposal.effort: [{exponential: {mean: 10h}}, "
                                "{lognormal: {mean: 12h, sd: 6h}}, 8h]\n", "dist");
    REQUIRE(run_salesflow("sweep d.yaml --set simulation.horizon=6w --set simulation.warmup=0 -q -o d.h5", dir).status == 0);
    const auto f = ResultsFile::open_read(dir / "d.h5");
    CHECK(f.read_table_column_string("/sweeps/dist/points", "stages.proposal.effort") ==
          std::vector<std::string>{"{exponential: {mean: 10h}}", "{lognormal: {mean: 12h, sd: 6h}}", "8h"});
}

TEST_CASE("sweep --seed reaches the base scenario like a --set") {
    const auto dir = scratch("sweep-seed");
    write_sweep(dir / "s.yaml", "replications: 1\nvary:\n  roles.ae.headcount: [3, 4]\n", "seeded");
    REQUIRE(run_salesflow("sweep s.yaml --set simulation.horizon=6w --set simulation.warmup=0 --seed 99 -q -o s.h5", dir)
                .status == 0);
    const auto f = ResultsFile::open_read(dir / "s.h5");
    CHECK(f.string_attribute("/sweeps/seeded", "scenario_yaml").find("seed: 99") != std::string::npos);
}

TEST_CASE("sweep --resume refuses any change to the set of items and a damaged file; exit 2, file untouched") {
    const auto dir = scratch("sweep-resume-refused");
    write_sweep(dir / "r.yaml", "replications: 3\nvary:\n  roles.ae.headcount: [2, 3, 4, 5]\n", "r");
    const std::string args = "sweep r.yaml --set simulation.horizon=4w --set simulation.warmup=0 -q";
    // An interrupted file: the first two points (6 items) of four, as SIGTERM leaves it.
    REQUIRE(run_salesflow(args + " -o full.h5", dir).status == 0);
    const auto full = read_tables(dir / "full.h5", "r");
    auto make_partial = [&](const std::string& name, long long items) {
        fs::copy_file(dir / "full.h5", dir / name, fs::copy_options::overwrite_existing);
        const std::string py =
            "import h5py\nf = h5py.File('" + name + "', 'r+')\ng = f['/sweeps/r']\n"
            "g['replications'].resize((" + std::to_string(items) + ",))\ng['points'].resize((" +
            std::to_string(items / 3) + ",))\ng.attrs['completed_items'] = " + std::to_string(items) +
            "\ng.attrs['complete'] = 0\nf.close()\n";
        write_file(dir / "tamper.py", py);
        REQUIRE(run_shell("cd '" + dir.string() + "' && /usr/bin/python3 tamper.py") == 0);
    };
    make_partial("base.h5", 7);
    // The honest partial file resumes to the uninterrupted result.
    fs::copy_file(dir / "base.h5", dir / "ok.h5");
    REQUIRE(run_salesflow(args + " --resume -o ok.h5", dir).status == 0);
    CHECK(read_tables(dir / "ok.h5", "r") == full);

    struct Case {
        std::string what, extra, code, expect;
    };
    const std::vector<Case> cases = {
        {"more replications", " --replications 4", "", "made with 3 replications per point, not 4"},
        {"fewer replications", " --replications 2", "", "made with 3 replications per point, not 2"},
        {"another seed", " --seed 7", "", "different scenario"},
        {"another --set", " --set roles.se.headcount=9", "", "different scenario"},
        {"points table shortened", "", "g['points'].resize((1,))", "rows in its points table"},
        {"replication rows missing", "", "g['replications'].resize((5,))", "replications table has 5 rows"},
        {"completed count lowered", "", "g.attrs['completed_items'] = 3", "replications table has 7 rows"},
        {"a row out of place", "", "r = g['replications'][...]\nr[[1, 2]] = r[[2, 1]]\ng['replications'][...] = r",
         "out of place"},
        {"a point mean changed", "", "p = g['points'][...]\np['wins'][0] += 1\ng['points'][...] = p",
         "not the mean of its replications"},
        {"a PATH value changed", "", "p = g['points'][...]\np['roles.ae.headcount'][1] = 9\ng['points'][...] = p",
         "not this sweep's"},
        {"replications attribute changed", "", "g.attrs['replications'] = 2", "made with 2 replications per point"},
    };
    // Every case's file first, tampered by one Python process (its start-up costs more than a resume).
    std::string py = "import h5py\n";
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const std::string name = "t" + std::to_string(k) + ".h5";
        fs::copy_file(dir / "base.h5", dir / name, fs::copy_options::overwrite_existing);
        if (cases[k].code.empty()) continue;
        py += "f = h5py.File('" + name + "', 'r+')\ng = f['/sweeps/r']\n" + cases[k].code + "\nf.close()\n";
    }
    write_file(dir / "tamper.py", py);
    REQUIRE(run_shell("cd '" + dir.string() + "' && /usr/bin/python3 tamper.py") == 0);
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const auto& c = cases[k];
        CAPTURE(c.what);
        const std::string name = "t" + std::to_string(k) + ".h5";
        const auto before = read_file(dir / name);
        const auto r = run_salesflow(args + c.extra + " --resume -o " + name, dir);
        CHECK(r.status == 2);
        CHECK_MESSAGE(r.out.find(c.expect) != std::string::npos, r.out);
        CHECK(read_file(dir / name) == before);
    }
    for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().rfind(".t", 0) == std::string::npos);
}

TEST_CASE("two sweeps resuming one file: the second exits 1 at once, the first completes it") {
    const auto dir = scratch("sweep-two-resumes");
    write_sweep(dir / "t.yaml", "replications: 4\nvary:\n  roles.ae.headcount: [2, 3, 4, 5, 6, 7]\n", "t");
    const std::vector<std::string> args = {"sweep", "t.yaml", "--set", "simulation.horizon=30w", "-q", "--threads", "1"};
    auto with = [&](std::vector<std::string> a, std::vector<std::string> extra) {
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    REQUIRE(wait_status(spawn(with(args, {"-o", "full.h5"}), dir)) == 0);
    const auto full = read_tables(dir / "full.h5", "t");
    const pid_t first = spawn(with(args, {"-o", "out.h5"}), dir);
    for (int i = 0; i < 1000 && !fs::exists(dir / ".out.h5.journal"); ++i) usleep(10'000);
    kill(first, SIGSTOP);
    const auto second = run_salesflow("sweep t.yaml --set simulation.horizon=30w -q --resume -o out.h5", dir);
    CHECK(second.status == 1);
    CHECK_MESSAGE(second.out.find("is being written by another salesflow process") != std::string::npos, second.out);
    const auto third = run_salesflow("sweep t.yaml --set simulation.horizon=30w -q -o out.h5", dir);
    CHECK(third.status == 1);
    kill(first, SIGCONT);
    CHECK(wait_status(first) == 0);
    CHECK(read_tables(dir / "out.h5", "t") == full);
    CHECK(ResultsFile::open_read(dir / "out.h5").int_attribute("/sweeps/t", "complete") == 1);
}

TEST_CASE("sweep without -o writes results/<name>.h5, creating the folder") {
    const auto dir = scratch("sweep-default-output");
    write_sweep(dir / "d.yaml", "replications: 1\nvary:\n  roles.ae.headcount: [3, 4]\n", "dflt");
    const auto r = run_salesflow("sweep d.yaml --set simulation.horizon=2w --set simulation.warmup=0 -q", dir);
    CHECK_MESSAGE(r.status == 0, r.out);
    CHECK(ResultsFile::open_read(dir / "results" / "dflt.h5").int_attribute("/sweeps/dflt", "complete") == 1);
}
