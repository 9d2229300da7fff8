#!/usr/bin/python3
"""Tests of scripts/report.py and scripts/export_csv.py (run with Debian's /usr/bin/python3).

Builds small results files with the real salesflow (env SALESFLOW_EXE; the tests that need
it are skipped without it) and synthetic sweep files written with h5py after the layout of
shared/design/cli-core.md, then checks the numbers behind every chart against numbers
computed here independently, the HTML page (offline, every link resolves) and the CSV
export. SALESFLOW_SOURCE_DIR points at the source tree (default: two folders up).
"""
import csv
import json
import math
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
from html.parser import HTMLParser

import h5py
import numpy as np
import pandas as pd

SOURCE_DIR = os.environ.get("SALESFLOW_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCRIPTS = os.path.join(SOURCE_DIR, "scripts")
SCENARIOS = os.path.join(SOURCE_DIR, "scenarios")
EXE = os.environ.get("SALESFLOW_EXE", "")
HAVE_EXE = bool(EXE) and os.access(EXE, os.X_OK)
sys.path.insert(0, SCRIPTS)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
import export_csv  # noqa: E402
import metric_meta  # noqa: E402
from salesflow_report import labels, reading, units  # noqa: E402

# Student-t 0.975 quantiles from a printed table, to check the bands independently of
# report.t_quantile.
T975 = {1: 12.706204736174698, 2: 4.302652729749464, 3: 3.182446305284263, 4: 2.7764451051977934,
        5: 2.5705818366147395, 9: 2.262157162798205, 19: 2.093024054408309, 29: 2.045229642132703}

SHORT = ["--set", "simulation.horizon=12w", "--replications", "3", "--quiet"]
TMP = None
FILES = {}


def salesflow(*args):
    r = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"salesflow {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    if "-o" in args:
        metric_meta.add(args[args.index("-o") + 1])  # until every salesflow writes the metric metadata


def table(f, path):
    return report.decode_frame(pd.DataFrame(f[path][:]))


def make_sweep(path, vary, reps_per_point, name="ae-headcount", with_vary_yaml=True, paths_attr=True, seed=1,
               grid=True):
    """A synthetic sweep file after cli-core.md: /sweeps/<name>/ with attrs sweep_yaml and
    scenario_yaml, a `replications` table (point, replication, PATH columns, metrics) and a
    `points` table (point, PATH columns, metric means). The metrics follow a queueing-like
    shape so that the charts have something to show."""
    rng = np.random.default_rng(seed)
    keys = list(vary)
    if grid:
        grid = np.array(np.meshgrid(*[vary[k] for k in keys], indexing="ij")).reshape(len(keys), -1).T
    else:  # the values given are the points (e.g. a Latin hypercube)
        grid = np.array([vary[k] for k in keys], dtype=float).T
    metrics = ["leads_arrived", "wins", "lead_time_mean_h", "wip_mean", "throughput_per_week",
               "stage.qualify.wait_mean_h", "role.ae.utilisation", "role.sdr.utilisation"]
    rep_rows, point_rows = [], []
    for p, vals in enumerate(grid):
        n = reps_per_point[p % len(reps_per_point)]
        head = max(1.0, float(vals[0]))
        util_ae = min(0.97, 2.0 / head)
        util_sdr = 0.4 + 0.1 * (float(vals[1]) if len(vals) > 1 else 0.0)
        sample = []
        for r in range(n):
            lt = 100.0 + 40.0 * util_ae / (1.0 - util_ae) + rng.normal(0, 15.0)
            m = [300 + rng.normal(0, 10), 20 + rng.normal(0, 3), lt, 10 + rng.normal(0, 1), 6 + rng.normal(0, 0.5),
                 5 * util_ae + rng.normal(0, 0.3), util_ae + rng.normal(0, 0.01), util_sdr + rng.normal(0, 0.01)]
            rep_rows.append((p, r, *[float(v) for v in vals], *m))
            sample.append(m)
        point_rows.append((p, *[float(v) for v in vals], *np.mean(sample, axis=0)))
    dt_rep = [("point", "<i8"), ("replication", "<i8")] + [(k, "<f8") for k in keys] + [(m, "<f8") for m in metrics]
    dt_pts = [("point", "<i8")] + [(k, "<f8") for k in keys] + [(m, "<f8") for m in metrics]
    vary_yaml = "".join(f"  {k}: [{', '.join(str(v) for v in vary[k])}]\n" for k in keys)
    sweep_yaml = f"name: {name}\nscenario: flow-optimised.yaml\nreplications: 4\n"
    sweep_yaml += ("vary:                     # a grid\n" + vary_yaml) if with_vary_yaml else "design: custom\n"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "salesflow-results"
        f.attrs["format_version"] = np.int64(1)
        f.attrs["salesflow_version"] = "test"
        f.attrs["created_utc"] = "2026-01-01T00:00:00Z"
        f.attrs["command_line"] = "salesflow sweep test.yaml"
        g = f.create_group(f"sweeps/{name}")
        g.attrs["sweep_yaml"] = sweep_yaml
        g.attrs["scenario_yaml"] = ("name: flow-optimised\nsimulation: {horizon: 52w, warmup: 8w}\nroles:\n"
                                    "  - {name: sdr, headcount: 3}\n  - {name: ae, headcount: 4}\n")
        if paths_attr:
            g.attrs["paths"] = np.array(keys, dtype=h5py.string_dtype())
        g.create_dataset("replications", data=np.array(rep_rows, dtype=dt_rep), maxshape=(None,), chunks=True)
        g.create_dataset("points", data=np.array(point_rows, dtype=dt_pts), maxshape=(None,), chunks=True)
    metric_meta.add(path)
    return keys, metrics


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="salesflow-scripts-test-")
    fo = os.path.join(SCENARIOS, "flow-optimised.yaml")
    ro = os.path.join(SCENARIOS, "resource-optimised.yaml")
    if HAVE_EXE:
        FILES["run"] = os.path.join(TMP, "run.h5")
        salesflow("run", fo, "--leads", *SHORT, "--set", "simulation.warmup=0", "-o", FILES["run"])
        FILES["cmp"] = os.path.join(TMP, "cmp.h5")
        salesflow("compare", ro, fo, "--leads", *SHORT, "--set", "simulation.warmup=2w", "-o", FILES["cmp"])
        for key, yaml in (("explain-ro", ro), ("explain-fo", fo)):
            FILES[key] = os.path.join(TMP, f"{key}.h5")
            salesflow("explain", yaml, *SHORT, "--set", "simulation.warmup=2w", "-o", FILES[key])
        FILES["bare"] = os.path.join(TMP, "bare.h5")  # no series, no leads
        salesflow("run", fo, *SHORT, "--set", "simulation.sample_every=0", "-o", FILES["bare"])
    FILES["sweep2"] = os.path.join(TMP, "sweep2.h5")
    make_sweep(FILES["sweep2"], {"roles.ae.headcount": [3, 4, 6], "stages.qualify.advance": [0.3, 0.5]}, [3, 4])
    FILES["sweep1"] = os.path.join(TMP, "sweep1.h5")
    make_sweep(FILES["sweep1"], {"roles.ae.headcount": [3, 4, 5, 6, 8]}, [4], name="one", with_vary_yaml=False)


def tearDownModule():
    if TMP and os.environ.get("SALESFLOW_KEEP_TEST_FILES") != "1":
        shutil.rmtree(TMP, ignore_errors=True)


def needs_exe(test):
    return unittest.skipUnless(HAVE_EXE, "SALESFLOW_EXE not set to the salesflow binary")(test)


class TQuantile(unittest.TestCase):
    def test_against_printed_table(self):
        for df, t in T975.items():
            self.assertAlmostEqual(report.t_quantile(0.975, df), t, places=9, msg=f"df={df}")
        self.assertAlmostEqual(report.t_quantile(0.025, 4), -T975[4], places=9)
        self.assertAlmostEqual(report.t_quantile(0.975, 1e7), 1.959963984540054, places=5)
        self.assertAlmostEqual(report.t_quantile(0.5, 3), 0.0)
        self.assertAlmostEqual(report.t_cdf(report.t_quantile(0.9, 7.5), 7.5), 0.9, places=10)

    @needs_exe
    def test_matches_the_simulators_intervals(self):
        # salesflow's summary intervals are mean +- t*sd/sqrt(n) with its own t quantile
        with h5py.File(FILES["run"], "r") as f:
            s = table(f, "runs/flow-optimised/summary")
        checked = 0
        for _, r in s[(s["sd"] > 0)].iterrows():
            half = r["ci_high"] - r["mean"]
            self.assertAlmostEqual(half / (r["sd"] / math.sqrt(r["n"])), report.t_quantile(0.975, r["n"] - 1),
                                   places=6, msg=r["metric"])
            checked += 1
        self.assertGreater(checked, 10)


@needs_exe
class RunCharts(unittest.TestCase):
    def setUp(self):
        self.f = h5py.File(FILES["run"], "r")
        self.run = "flow-optimised"
        self.series = table(self.f, f"runs/{self.run}/series")
        self.summary = table(self.f, f"runs/{self.run}/summary").set_index("metric")
        self.reps = table(self.f, f"runs/{self.run}/replications")
        self.stages = report.run_attrs(self.f, self.run)["stages"]

    def tearDown(self):
        self.f.close()

    def test_cfd_mean_over_replications(self):
        d = report.cfd_data(self.f, self.run)
        last = self.series[self.series["time_h"] == self.series["time_h"].max()]
        first = self.stages[0]
        self.assertEqual(self.stages, ["qualify", "discovery", "proposal", "close"])
        # final cumulative arrivals of the first stage = the series' last value (mean of replications)
        self.assertAlmostEqual(d[f"stage.{first}.arrivals_cum"].iloc[-1], last[f"stage.{first}.arrivals_cum"].mean())
        self.assertAlmostEqual(d["arrivals_cum"].iloc[-1], last["arrivals_cum"].mean())
        self.assertAlmostEqual(d["wins_cum"].iloc[-1], last["wins_cum"].mean())
        # every lead enters the first stage: its curve is the arrivals curve
        np.testing.assert_allclose(d[f"stage.{first}.arrivals_cum"], d["arrivals_cum"])
        # one row per sample time, weeks = hours / 168, curves cumulative (never decrease)
        self.assertEqual(len(d), self.series["time_h"].nunique())
        np.testing.assert_allclose(d["time_w"], d["time_h"] / 168.0)
        for c, _ in report.cfd_curves(self.stages):
            self.assertTrue((np.diff(d[c]) >= -1e-9).all(), c)
        # with no warm-up, the wins counted since time 0 are the metric's wins
        self.assertAlmostEqual(d["wins_cum"].iloc[-1], self.summary.loc["wins", "mean"])

    def test_cfd_one_replication(self):
        d = report.cfd_data(self.f, self.run, replication=0)
        s0 = self.series[self.series["replication"] == 0]
        np.testing.assert_array_equal(d["stage.close.arrivals_cum"], s0["stage.close.arrivals_cum"])
        np.testing.assert_array_equal(d["time_h"], s0["time_h"])

    def test_wip_and_throughput(self):
        d = report.wip_throughput_data(self.f, self.run)
        mean = self.series.groupby("time_h").mean()
        np.testing.assert_allclose(d["wip"], mean["wip"])
        np.testing.assert_allclose(d["stage.proposal.wip"], mean["stage.proposal.wip"])
        # the per-week rates integrate back to the cumulative exits and wins
        dt = np.diff(d["time_h"])
        self.assertTrue(np.isnan(d["exits_per_week"].iloc[0]))
        self.assertAlmostEqual(float(np.sum(d["exits_per_week"].iloc[1:] * dt / 168.0)),
                               mean["exits_cum"].iloc[-1] - mean["exits_cum"].iloc[0])
        self.assertAlmostEqual(float(np.sum(d["wins_per_week"].iloc[1:] * dt / 168.0)),
                               mean["wins_cum"].iloc[-1] - mean["wins_cum"].iloc[0])

    def test_funnel_equals_summary_and_adds_up(self):
        d = report.funnel_data(self.f, self.run)
        out = d["outcomes"].set_index("metric")
        # the shipped market has no_decision: the losses are split in two; nurtured leads count
        # as the outcome they ended with, and again apart
        self.assertEqual(list(out.index), ["wins", "lost_to_competitor", "no_decision", "disqualified", "abandoned",
                                           "leads_open_at_end"])
        self.assertEqual(d["nurtured"], self.summary.loc["nurtured", "mean"])
        np.testing.assert_allclose(self.reps["lost_to_competitor"] + self.reps["no_decision"], self.reps["losses"])
        for m in out.index:
            for c in ("mean", "ci_low", "ci_high"):
                self.assertEqual(out.loc[m, c], self.summary.loc[m, c])
        # warm-up 0: every arrived lead is won, lost, disqualified, abandoned or open
        self.assertAlmostEqual(d["outcomes_total"], d["arrived"], places=9)
        self.assertAlmostEqual(d["arrived"], self.summary.loc["leads_arrived", "mean"])
        per_rep = self.reps[list(out.index)].sum(axis=1)
        np.testing.assert_allclose(per_rep, self.reps["leads_arrived"])
        st = d["stages"].set_index("metric")["mean"]
        self.assertEqual(list(st.index), ["leads_arrived", "opportunities", "proposals", "wins"])
        self.assertTrue((np.diff(st.to_numpy()) <= 0).all(), "the funnel narrows")

    def test_utilisation_split(self):
        d = report.utilisation_data(self.f, self.run)
        self.assertEqual(list(d["role"]), ["sdr", "ae", "se"])
        for _, r in d.iterrows():
            self.assertAlmostEqual(r["pipeline"] + r["prospecting"] + r["idle"], 1.0, places=12)
            u = self.summary.loc[f"role.{r['role']}.utilisation", "mean"]
            p = self.summary.loc[f"role.{r['role']}.prospecting_share", "mean"]
            self.assertAlmostEqual(r["pipeline"], u - p)
            self.assertAlmostEqual(r["prospecting"], p)
            self.assertGreaterEqual(r["pipeline"], -1e-9)
        self.assertGreater(d.set_index("role").loc["sdr", "prospecting"], 0.0)

    def test_summary_table(self):
        d = report.summary_data(self.f, self.run).set_index("metric")
        self.assertAlmostEqual(d.loc["lead_time_mean_h", "mean_disp"], self.summary.loc["lead_time_mean_h", "mean"] / 24)
        self.assertEqual(d.loc["lead_time_mean_h", "unit"], "days")
        self.assertAlmostEqual(d.loc["hit_rate", "ci_high_disp"], 100 * self.summary.loc["hit_rate", "ci_high"])
        self.assertIn("role.ae.utilisation", d.index)


@needs_exe
class LeadTime(unittest.TestCase):
    def check(self, path, run):
        with h5py.File(path, "r") as f:
            d = report.leadtime_data(f, run)
            leads = table(f, f"runs/{run}/leads")
            reps = table(f, f"runs/{run}/replications").set_index("replication")
            warm = float(f[f"runs/{run}"].attrs["warmup_h"])
        self.assertEqual(d["source"], "leads")
        per = d["per_replication"].set_index("replication")
        self.assertEqual(sorted(per.index), sorted(reps.index))
        for rep, g in leads.groupby("replication"):
            ex = g[(g["outcome"] != "open") & (g["exit_h"] >= warm)]
            lt = (ex["exit_h"] - ex["arrival_h"]).to_numpy()
            for q in (50, 85, 95):
                ours = per.loc[rep, f"p{q}_h"]
                self.assertAlmostEqual(ours, np.percentile(lt, q), places=9)
                # ... which is the simulator's own metric for that replication
                self.assertAlmostEqual(ours, reps.loc[rep, f"lead_time_p{q}_h"], delta=1e-9 * max(1.0, ours))
            self.assertAlmostEqual(lt.mean(), reps.loc[rep, "lead_time_mean_h"], delta=1e-9 * lt.mean())
        for q in (50, 85, 95):
            self.assertAlmostEqual(d["marks"][f"p{q}"], per[f"p{q}_h"].mean())
        lt = d["lead_times"]
        self.assertTrue((lt["outcome"] != "open").all())
        np.testing.assert_allclose(lt["lead_time_d"], lt["lead_time_h"] / 24)
        return warm

    def test_percentiles_no_warmup(self):
        self.assertEqual(self.check(FILES["run"], "flow-optimised"), 0.0)

    def test_percentiles_with_warmup(self):
        for run in ("resource-optimised", "flow-optimised"):
            self.assertEqual(self.check(FILES["cmp"], run), 2 * 168.0)

    def test_without_leads_uses_the_metrics(self):
        with h5py.File(FILES["bare"], "r") as f:
            self.assertNotIn("leads", f["runs/flow-optimised"])
            self.assertNotIn("series", f["runs/flow-optimised"])
            d = report.leadtime_data(f, "flow-optimised")
            s = table(f, "runs/flow-optimised/summary").set_index("metric")
            self.assertIsNone(report.cfd_data(f, "flow-optimised"))
            self.assertIsNone(report.wip_throughput_data(f, "flow-optimised"))
        self.assertEqual(d["source"], "metrics")
        for q in (50, 85, 95):
            self.assertEqual(d["marks"][f"p{q}"], s.loc[f"lead_time_p{q}_h", "mean"])


@needs_exe
class Comparison(unittest.TestCase):
    def test_paired_differences(self):
        with h5py.File(FILES["cmp"], "r") as f:
            name = report.comparison_names(f)[0]
            self.assertEqual(name, "resource-optimised-vs-flow-optimised")
            d = report.comparison_data(f, name)
            t = table(f, f"comparisons/{name}").set_index(["metric", "scenario"])
            ra = table(f, "runs/resource-optimised/replications")
            rb = table(f, "runs/flow-optimised/replications")
            sa = table(f, "runs/resource-optimised/summary").set_index("metric")
        self.assertEqual(set(d["scenario"]), {"flow-optimised"})
        self.assertIn("lead_time_mean_h", set(d["metric"]))
        self.assertNotIn("role.seller.utilisation", set(d["metric"]), "roles of one scenario only are not paired")
        for _, r in d.iterrows():
            row = t.loc[(r["metric"], "flow-optimised")]
            for c in ("mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high"):
                self.assertEqual(r[c], row[c], f"{r['metric']} {c}")
            base = sa.loc[r["metric"], "mean"]
            self.assertEqual(r["baseline_mean"], t.loc[(r["metric"], "resource-optimised"), "mean"])
            self.assertAlmostEqual(r["baseline_mean"], base)
            # the paired difference, computed here from the two runs' replications
            diff = rb[r["metric"]] - ra[r["metric"]]
            n = len(diff)
            self.assertAlmostEqual(r["diff"], diff.mean(), delta=1e-9 * max(1.0, abs(diff.mean())))
            if diff.std(ddof=1) > 0:
                half = T975[n - 1] * diff.std(ddof=1) / math.sqrt(n)
                self.assertAlmostEqual(r["diff_ci_high"] - r["diff"], half, delta=1e-6 * max(1.0, half))
            if base != 0:
                self.assertAlmostEqual(r["rel_change"], 100 * r["diff"] / abs(base), delta=1e-9 * max(1, abs(r["rel_change"])))
                self.assertAlmostEqual(r["rel_ci_low"], 100 * r["diff_ci_low"] / abs(base))
                self.assertAlmostEqual(r["rel_ci_high"], 100 * r["diff_ci_high"] / abs(base))
                self.assertEqual(r["rel_change"], row["rel_change"])
            sig = r["diff_ci_low"] > 0 or r["diff_ci_high"] < 0
            self.assertEqual(bool(r["significant"]), sig)
            if not sig:
                self.assertEqual(r["verdict"], "no clear difference")
        lt = d.set_index("metric").loc["lead_time_mean_h"]
        if lt["significant"]:
            self.assertEqual(lt["verdict"], "better" if lt["diff"] < 0 else "worse")

    def test_chosen_metrics_and_order(self):
        with h5py.File(FILES["cmp"], "r") as f:
            d = report.comparison_data(f, report.comparison_names(f)[0], metrics=["wip_mean", "wins", "nope"])
        self.assertEqual(list(d["metric"]), ["wip_mean", "wins"])


def copy_with_directions(src, dst, change):
    """A copy of a results file whose metric_directions attributes (every replications
    table) and summary `direction` columns are change(name, direction)."""
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        for run in f["runs"]:
            ds = f[f"runs/{run}/replications"]
            names = [v.decode() if isinstance(v, bytes) else str(v) for v in ds.attrs["metric_names"]]
            dirs = [v.decode() if isinstance(v, bytes) else str(v) for v in ds.attrs["metric_directions"]]
            ds.attrs["metric_directions"] = np.array([change(n, d) for n, d in zip(names, dirs)],
                                                     dtype=h5py.string_dtype())
            sm = f[f"runs/{run}/summary"]
            if "direction" in sm.dtype.names:
                data = sm[:]
                data["direction"] = [change(m.decode() if isinstance(m, bytes) else m,
                                            d.decode() if isinstance(d, bytes) else d).encode()
                                     for m, d in zip(data["metric"], data["direction"])]
                sm[:] = data
    return dst


@needs_exe
class Directions(unittest.TestCase):
    """A change is coloured better or worse only by the metric's declared direction
    (metric_directions); a metric with direction "neither" is never better or worse,
    in the data, the chart colours and the page."""

    def verdicts(self, path):
        with h5py.File(path, "r") as f:
            name = report.comparison_names(f)[0]
            return report.comparison_data(f, name), reading.file_metrics(f)

    def spans(self, page, cls):
        return len(re.findall(rf'<span class="{cls}">', page))

    def test_verdict_follows_the_declared_direction(self):
        from salesflow_report.charts import comparison as cmpc
        from salesflow_report.charts.style import BAD, GOOD
        d, meta = self.verdicts(FILES["cmp"])
        self.assertGreater(len(d), 10)
        seen = set()
        for _, r in d.iterrows():
            direction = meta.get(r["metric"]).direction
            self.assertEqual(r["direction"], direction)
            if not r["significant"]:
                want = "no clear difference"
            elif direction == "neither":
                want = "changed"
            else:
                want = "better" if (r["diff"] > 0) == (direction == "higher") else "worse"
            self.assertEqual(r["verdict"], want, r["metric"])
            seen.add((direction, r["verdict"]))
        # the shipped comparison has clear changes of neutral metrics (cost, leads closed)
        self.assertIn(("neither", "changed"), seen)
        self.assertEqual(meta.get("cost").direction, "neither")
        self.assertEqual(meta.get("throughput_per_week").direction, "neither")
        # only better and worse have the good and bad colours; a neutral change is ink
        self.assertEqual(cmpc.VERDICT_COLOURS["better"], GOOD)
        self.assertEqual(cmpc.VERDICT_COLOURS["worse"], BAD)
        self.assertNotIn(cmpc.VERDICT_COLOURS["changed"], (GOOD, BAD))
        self.assertNotIn(cmpc.VERDICT_COLOURS["no clear difference"], (GOOD, BAD))

    def test_no_direction_no_colour_anywhere(self):
        flat = copy_with_directions(FILES["cmp"], os.path.join(TMP, "dir-neither.h5"), lambda n, d: "neither")
        d, _ = self.verdicts(flat)
        self.assertEqual(set(d["verdict"]) & {"better", "worse"}, set())
        self.assertIn("changed", set(d["verdict"]))
        out = os.path.join(TMP, "report-dir-neither")
        r = run_report(flat, out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as fh:
            page = fh.read()
        self.assertEqual(self.spans(page, "better") + self.spans(page, "worse"), 0)
        self.assertIn("has no better direction recorded in the file", page)
        with open(os.path.join(out, "present.html"), encoding="utf-8") as fh:
            slides = fh.read().split('<section class="slide"')
        from salesflow_report.charts.style import BAD, GOOD
        judged = [sl for sl in slides if "<h2>Paired differences" in sl or "each organisation</h2>" in sl]
        self.assertEqual(len(judged), 2)
        for sl in judged:  # (green elsewhere marks won deals, an outcome, not a judgement)
            self.assertFalse(GOOD.lower() in sl.lower(), "no green without a direction")
            self.assertFalse(BAD.lower() in sl.lower(), "no red without a direction")

    def test_flipped_directions_swap_better_and_worse(self):
        swap = {"higher": "lower", "lower": "higher", "neither": "neither"}
        flip = copy_with_directions(FILES["cmp"], os.path.join(TMP, "dir-flip.h5"), lambda n, d: swap[d])
        a, _ = self.verdicts(FILES["cmp"])
        b, _ = self.verdicts(flip)
        back = {"better": "worse", "worse": "better", "changed": "changed",
                "no clear difference": "no clear difference"}
        self.assertEqual(list(b["verdict"]), [back[v] for v in a["verdict"]])
        pages = [Html.build(self, "cmp")[1]]  # the comparison's report, shared with Html.test_compare_report
        out = os.path.join(TMP, "report-dir-b")
        r = run_report(flip, out, "--no-present")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as fh:
            pages.append(fh.read())
        table_rows = a.drop_duplicates("metric").head(20)
        for page, v in ((pages[0], table_rows["verdict"]), (pages[1], table_rows["verdict"].map(back))):
            self.assertEqual(self.spans(page, "better"), int((v == "better").sum()))
            self.assertEqual(self.spans(page, "worse"), int((v == "worse").sum()))

    def test_headline_metrics_first_and_won_lead_time_next_to_mean(self):
        with h5py.File(FILES["cmp"], "r") as f:
            name = report.comparison_names(f)[0]
            d = report.comparison_data(f, name)
            s = report.summary_data(f, "flow-optimised")
            lt = report.lead_time_pair_data(f, name)
            t = table(f, f"comparisons/{name}").set_index(["metric", "scenario"])
        order = list(dict.fromkeys(d["metric"]))
        self.assertEqual(order[:2], ["profit", "revenue_per_cost"])
        self.assertEqual(list(s["metric"])[:2], ["profit", "revenue_per_cost"])
        self.assertEqual(order[order.index("lead_time_mean_h") + 1], "lead_time_won_mean_h")
        self.assertEqual(list(lt["scenario"]), ["resource-optimised", "flow-optimised"])
        for _, r in lt.iterrows():
            for key, m in (("all", "lead_time_mean_h"), ("won", "lead_time_won_mean_h")):
                for c in ("mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high"):
                    self.assertEqual(r[f"{key}_{c}"], t.loc[(m, r["scenario"]), c])
        self.assertEqual(lt.iloc[0]["all_diff"], 0.0)


@needs_exe
class ValueStream(unittest.TestCase):
    """The value stream and funnel of the comparison page: from /explanations/<name>
    of salesflow explain when given, else from the runs' stage metrics. The stacked
    parts of every bar add up to its lead time."""
    RUNS = ["resource-optimised", "flow-optimised"]

    def test_from_stage_metrics(self):
        with h5py.File(FILES["cmp"], "r") as f:
            vs = report.value_stream_data(f, self.RUNS)
            fu = report.stage_funnel_data(f, self.RUNS)
            reps = {r: table(f, f"runs/{r}/replications") for r in self.RUNS}
            summ = {r: table(f, f"runs/{r}/summary").set_index("metric")["mean"] for r in self.RUNS}
            stages = {r: [x.decode() if isinstance(x, bytes) else x for x in f[f"runs/{r}"].attrs["stages"]]
                      for r in self.RUNS}
        self.assertEqual(set(vs["source"]), {"metrics"})
        for r in self.RUNS:
            d = vs[vs["scenario"] == r]
            a, w = d[d["subset"] == "all"], d[d["subset"] == "won"]
            # the parts add up to the lead time, which is the run's mean lead time
            self.assertAlmostEqual(a["hours"].sum(), summ[r]["lead_time_mean_h"], delta=1e-9 * summ[r]["lead_time_mean_h"])
            self.assertTrue((a["lead_time_h"] == a["lead_time_h"].iloc[0]).all())
            self.assertAlmostEqual(a["lead_time_h"].iloc[0], summ[r]["lead_time_mean_h"])
            self.assertAlmostEqual(w["hours"].sum(), summ[r]["lead_time_won_mean_h"])
            # each stage part: hours per visit x visits per lead closed, per replication, averaged
            rr = reps[r]
            for s in stages[r]:
                want = (rr[f"stage.{s}.wait_mean_h"] * rr[f"stage.{s}.visits"] / rr["leads_exited"]).mean()
                got = a[(a["stage"] == s) & (a["part"] == "queue")]["hours"].iloc[0]
                self.assertAlmostEqual(got, want, delta=1e-9 * max(1.0, want))
            self.assertEqual(list(a[a["stage"] == ""]["part"]), ["rest"])
            self.assertGreaterEqual(a[a["part"] == "rest"]["hours"].iloc[0], 0.0)
            g = fu[fu["scenario"] == r]
            self.assertEqual(list(g["step"]), ["arrived", "opportunity", "proposal", "won"])
            self.assertEqual(list(g["entered"]), [summ[r][m] for m in ("leads_arrived", "opportunities", "proposals", "wins")])
            e = g["entered"].to_numpy()
            np.testing.assert_allclose(g["conversion"].to_numpy()[:-1], e[1:] / e[:-1])

    def test_from_explain(self):
        with h5py.File(FILES["cmp"], "r") as f, h5py.File(FILES["explain-ro"], "r") as x1, \
                h5py.File(FILES["explain-fo"], "r") as x2:
            vs = report.value_stream_data(f, self.RUNS, [x1, x2])
            fu = report.stage_funnel_data(f, self.RUNS, [x1, x2])
            tabs = {"resource-optimised": table(x1, "explanations/resource-optimised/value_stream"),
                    "flow-optimised": table(x2, "explanations/flow-optimised/value_stream")}
            funnels = {"resource-optimised": table(x1, "explanations/resource-optimised/funnel"),
                       "flow-optimised": table(x2, "explanations/flow-optimised/funnel")}
        self.assertEqual(set(vs["source"]), {"explain"})
        for r in self.RUNS:
            for sub in ("all", "won"):
                d = vs[(vs["scenario"] == r) & (vs["subset"] == sub)]
                t = tabs[r][tabs[r]["subset"] == sub]
                self.assertEqual(len(d), 5 * len(t))  # queue, blocked, handoff, work, between
                lt = t["lead_time_h"].iloc[0]
                self.assertAlmostEqual(d["lead_time_h"].iloc[0], lt)
                # the stacked parts add up to the lead time of the subset (explain's own invariant)
                self.assertAlmostEqual(d["hours"].sum(), lt, delta=1e-6 * max(1.0, lt))
                self.assertAlmostEqual(d["hours"].sum(), t["total_h"].sum(), delta=1e-9 * max(1.0, lt))
            g = fu[fu["scenario"] == r]
            self.assertEqual(list(g["step"])[:-1], list(funnels[r]["stage"]))
            self.assertEqual(g["step"].iloc[-1], "won")
            np.testing.assert_array_equal(g["conversion"].to_numpy()[:-1], funnels[r]["conversion"].to_numpy())

    def test_on_the_comparison_page(self):
        out = os.path.join(TMP, "report-explain")
        r = run_report(FILES["cmp"], out, "--explain", FILES["explain-ro"], "--explain", FILES["explain-fo"])
        self.assertEqual(r.returncode, 0, r.stderr)
        name = "compare-resource-optimised-vs-flow-optimised"
        for kind in ("value-stream", "funnel"):
            self.assertTrue(os.path.isfile(os.path.join(out, f"{name}-{kind}.png")), kind)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as fh:
            page = fh.read()
        self.assertIn("Bars from salesflow explain", page)
        # the decision says why, in explain's words, for each organisation
        self.assertLess(page.index("Why, by experiment (salesflow explain)"), page.index("What the answer rests on"))
        with h5py.File(FILES["explain-fo"], "r") as f:
            why = [w.decode() if isinstance(w, bytes) else str(w) for w in f["explanations/flow-optimised/levers"].attrs["why"]]
        self.assertGreater(len(why), 1)
        import html as _html
        self.assertIn(_html.escape(why[1][1:]), page)
        self.assertNotIn("Bars from the run&#x27;s stage metrics", page)
        self.assertIn("Lead time of won deals, mean (95% interval)", page)
        Html.check_labels(self, out)
        r = run_report(FILES["cmp"], os.path.join(TMP, "report-explain-bad"), "--explain", os.path.join(TMP, "nope.h5"))
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"report.py: {os.path.join(TMP, 'nope.h5')}: no such file", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(TMP, "report-explain-bad")))


class SharedScales(unittest.TestCase):
    """Panels meant to be compared (workshop demo 8b: the same market grid for two
    organisations, in two files) share one colour scale and one y range: report.py
    --range-from OTHER.h5."""

    def make_pair(self):
        a, b = os.path.join(TMP, "market-a.h5"), os.path.join(TMP, "market-b.h5")
        vary = {"sources.inbound.arrivals": [0.03, 0.05, 0.07], "sources.inbound.half_life": [168.0, 336.0]}
        make_sweep(a, vary, [3], name="market-flow", seed=5)
        make_sweep(b, vary, [3], name="market-resource", seed=6)
        with h5py.File(b, "r+") as f:  # the second organisation is twice as slow
            for t in ("points", "replications"):
                ds = f[f"sweeps/market-resource/{t}"]
                data = ds[:]
                data["lead_time_mean_h"] *= 2.0
                ds[:] = data
        return a, b

    def build(self, path, out, *others):
        from salesflow_report.build import build_report
        info = {}
        build_report(path, os.path.join(TMP, out), range_from=list(others), chart_info=info, present=False)
        heat = [v for k, v in info.items() if k.endswith("-heatmap.png")]
        line = [v for k, v in info.items() if k.endswith("-line.png")]
        self.assertEqual((len(heat), len(line)), (1, 1))
        return heat[0], line[0]

    @needs_exe
    def test_organisations_of_a_comparison_on_one_scale(self):
        """The cumulative flow, WIP and throughput, and funnel charts of the runs of a
        comparison use one axis range each, which fits every run's data."""
        from salesflow_report.build import build_report
        info = {}
        build_report(FILES["cmp"], os.path.join(TMP, "shared-cmp"), chart_info=info, present=False)
        runs = ["resource-optimised", "flow-optimised"]
        for kind, key in (("cfd", "ylim"), ("wip-throughput", "ylim"), ("funnel", "xlim")):
            got = [info[f"run-{r}-{kind}.png"][key] for r in runs]
            self.assertEqual(got[0], got[1], kind)
        with h5py.File(FILES["cmp"], "r") as f:
            top = max(float(report.cfd_data(f, r)["arrivals_cum"].max()) for r in runs)
            ftop = max(float(report.funnel_data(f, r)["stages"]["ci_high"].max()) for r in runs)
        self.assertGreaterEqual(info["run-flow-optimised-cfd.png"]["ylim"][1], top)
        self.assertLess(info["run-flow-optimised-cfd.png"]["ylim"][1], 1.05 * top)
        self.assertGreaterEqual(info["run-flow-optimised-funnel.png"]["xlim"][1], ftop)

    def test_same_colour_scale_and_axis_range(self):
        a, b = self.make_pair()
        ha, la = self.build(a, "shared-a", b)
        hb, lb = self.build(b, "shared-b", a)
        self.assertEqual((ha["vmin"], ha["vmax"]), (hb["vmin"], hb["vmax"]))
        self.assertEqual(la["ylim"], lb["ylim"])
        with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
            va = table(fa, "sweeps/market-flow/points")["lead_time_mean_h"]
            vb = table(fb, "sweeps/market-resource/points")["lead_time_mean_h"]
        self.assertAlmostEqual(ha["vmin"], min(va.min(), vb.min()))
        self.assertAlmostEqual(ha["vmax"], max(va.max(), vb.max()))
        self.assertEqual(la["ylim"][0], 0.0)
        # alone, each map spans its own values: the shared scale is the option's doing
        ha1, la1 = self.build(a, "alone-a")
        hb1, lb1 = self.build(b, "alone-b")
        self.assertAlmostEqual(ha1["vmax"], va.max())
        self.assertAlmostEqual(hb1["vmin"], vb.min())
        self.assertNotEqual(la1["ylim"], lb1["ylim"])


def make_study(path, name="lean-sales", points=40, seed=7):
    """A synthetic study file in the layout of /studies/<name> (docs/results-format.md):
    two designs over two uncertain assumptions, known numbers. The flow design's profit
    grows with the inbound volume and falls with the deal size; it is best at the points
    where its difference is positive."""
    rng = np.random.default_rng(seed)
    designs = ["resource-optimised", "flow-optimised"]
    arr = rng.uniform(0.02, 0.07, points)          # sources.inbound.arrivals, leads per hour
    val = rng.uniform(20000, 60000, points)        # sources.inbound.value.mean
    p_res = 400000 + 4e6 * arr + 2.0 * val + rng.normal(0, 20000, points)
    p_flow = 200000 + 9e6 * arr + 1.0 * val + rng.normal(0, 20000, points)
    diff = p_flow - p_res
    ratio = p_flow / p_res
    best = np.where(p_flow > p_res, designs[1], designs[0])
    str_t = h5py.string_dtype()
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "salesflow-results"
        f.attrs["format_version"] = np.int64(1)
        f.attrs["salesflow_version"] = "test"
        g = f.create_group(f"studies/{name}")
        when_idle = "roles.seller.prospecting={policy: when_idle, source: outbound}"
        cand = [("resource-optimised", 0, f"roles.seller.headcount=8, {when_idle}", 1.9e6, 200, 520000.0, "chosen", 0),
                ("resource-optimised", 1, f"roles.seller.headcount=7, {when_idle}", 1.7e6, 200, 515000.0, "tied", 0),
                ("resource-optimised", 2, "roles.seller.headcount=6, roles.seller.prospecting={policy: reserved, "
                 "share: 0.1, source: outbound}", 1.5e6, 10, 300000.0, "screened_out", 10),
                ("flow-optimised", 0, "roles.sdr.headcount=3, roles.ae.headcount=4, roles.se.headcount=3, "
                 "stages.qualify.gate.threshold=0.25", 2.0e6, 45, 610000.0, "chosen", 0),
                ("flow-optimised", 1, "roles.sdr.headcount=2, roles.ae.headcount=4, roles.se.headcount=3, "
                 "stages.qualify.gate.threshold=0.35", 1.8e6, 25, 480000.0, "eliminated", 25)]
        dt = [("design", str_t), ("candidate", "<i8"), ("levers", str_t), ("annual_cost", "<f8"),
              ("replications", "<i8"), ("mean", "<f8"), ("outcome", str_t), ("eliminated_at", "<i8")]
        g.create_dataset("candidates", data=np.array(cand, dtype=dt))
        cols = [("point", "<i8"), ("sources.inbound.arrivals", "<f8"), ("sources.inbound.value.mean", "<f8"),
                ("resource-optimised.candidate", "<i8"), ("flow-optimised.candidate", "<i8"),
                ("resource-optimised.profit", "<f8"), ("flow-optimised.profit", "<f8"),
                ("difference.flow-optimised", "<f8"), ("ratio.flow-optimised", "<f8"), ("best", str_t)]
        rows = [(i, arr[i], val[i], 0, 0, p_res[i], p_flow[i], diff[i], ratio[i], best[i]) for i in range(points)]
        g.create_dataset("outer_points", data=np.array(rows, dtype=cols))
        # sensitivity: low/high means of the difference with each assumption in its lowest/highest fifth
        sens = []
        for a, x in (("sources.inbound.arrivals", arr), ("sources.inbound.value.mean", val)):
            lo, hi = x <= np.quantile(x, 0.1), x >= np.quantile(x, 0.9)
            r2 = np.corrcoef(x, diff)[0, 1] ** 2
            sens.append(("difference.flow-optimised", a, r2, max(0.0, r2 - 0.1), min(1.0, r2 + 0.1), r2,
                         diff[lo].mean(), diff[hi].mean(), x[lo].mean(), x[hi].mean()))
        dt = [("quantity", str_t), ("assumption", str_t)] + [(c, "<f8") for c in (
            "first_order", "ci_low", "ci_high", "raw", "low_mean", "high_mean", "low_x", "high_x")]
        ds = g.create_dataset("sensitivity", data=np.array(sens, dtype=dt))
        ds.attrs["skipped"] = np.array([], dtype=str_t)
        holds = ratio >= 2
        pr = holds.mean()
        dt = [("claim", str_t), ("metric", str_t), ("compare", str_t), ("of", str_t), ("to", str_t), ("test", str_t),
              ("probability", "<f8"), ("ci_low", "<f8"), ("ci_high", "<f8"), ("n", "<i8"), ("missing", "<i8"),
              ("mean", "<f8"), ("q05", "<f8"), ("q50", "<f8"), ("q95", "<f8")]
        g.create_dataset("claims", data=np.array([("productivity_ratio", "revenue_per_cost", "ratio", "flow-optimised",
                                                  "resource-optimised", ">= 2", pr, max(0, pr - 0.1), min(1, pr + 0.1),
                                                  points, 0, ratio.mean(), *np.quantile(ratio, [0.05, 0.5, 0.95]))],
                                                dtype=dt))
        summ = []
        for d, v in zip(designs, (p_res, p_flow)):
            share = float((best == d).mean())
            summ.append(("objective", d, v.mean(), v.std(ddof=1), *np.quantile(v, [0.05, 0.25, 0.5, 0.75, 0.95]),
                         v.min(), v.max(), share, max(0.0, share - 0.15), min(1.0, share + 0.15)))
        summ.append(("difference", "flow-optimised", diff.mean(), diff.std(ddof=1),
                     *np.quantile(diff, [0.05, 0.25, 0.5, 0.75, 0.95]), diff.min(), diff.max(), np.nan, np.nan,
                     np.nan))
        dt = [("quantity", str_t), ("design", str_t)] + [(c, "<f8") for c in (
            "mean", "sd", "q05", "q25", "q50", "q75", "q95", "min", "max", "probability", "p_ci_low", "p_ci_high")]
        g.create_dataset("summary", data=np.array(summ, dtype=dt))
        g.attrs["study_yaml"] = "name: lean-sales\nobjective: profit\n"
        g.attrs["objective"] = "profit"
        g.attrs["direction"] = "higher"
        g.attrs["points"] = np.int64(points)
        g.attrs["replications"] = np.int64(10)
        g.attrs["quick"] = np.int64(0)
        g.attrs["budget"] = "cost_at_most 2100000"
        g.attrs["complete"] = np.int64(1)
        g.attrs["designs"] = np.array(designs, dtype=str_t)
        g.attrs["chosen"] = np.array([cand[0][2], cand[3][2]], dtype=str_t)
        g.attrs["assumptions"] = np.array(["sources.inbound.arrivals", "sources.inbound.value.mean"], dtype=str_t)
        for d in designs:
            g.attrs[f"scenario_yaml.{d}"] = f"name: {d}\nsources:\n  - {{name: inbound, arrivals: 6/w}}\n"
    return {"designs": designs, "diff": diff, "best": best, "arr": arr, "val": val, "ratio": ratio}


class Study(unittest.TestCase):
    """The study section (issue 12) from a synthetic /studies/<name> in the documented
    layout: the decision (probability each design is best, claims with intervals), the
    tornado chart of the sensitivity table, the chosen configurations with tied ones."""

    @classmethod
    def setUpClass(cls):
        cls.path = os.path.join(TMP, "study.h5")
        cls.truth = make_study(cls.path)

    def test_decision_data(self):
        from salesflow_report.charts import study
        with h5py.File(self.path, "r") as f:
            dec = study.study_decision_data(f, "lean-sales")
            cl = study.study_claims_data(f, "lean-sales")
        rows = dec["designs"].set_index("design")
        self.assertEqual(list(dec["designs"]["design"]), self.truth["designs"])
        for d in self.truth["designs"]:
            self.assertAlmostEqual(rows.loc[d, "p_best"], float((self.truth["best"] == d).mean()))
        self.assertAlmostEqual(rows["p_best"].sum(), 1.0)
        want = max(self.truth["designs"], key=lambda d: (self.truth["best"] == d).mean())
        self.assertEqual(dec["best"], want)
        self.assertEqual(dec["baseline"], "resource-optimised")
        self.assertAlmostEqual(dec["differences"]["mean"].iloc[0], self.truth["diff"].mean())
        self.assertEqual(len(cl), 1)
        self.assertAlmostEqual(cl["probability"].iloc[0], float((self.truth["ratio"] >= 2).mean()))
        self.assertLessEqual(cl["ci_low"].iloc[0], cl["probability"].iloc[0])

    def test_tornado_largest_swing_first(self):
        from salesflow_report.charts import study
        with h5py.File(self.path, "r") as f:
            td = study.tornado_data(f, "lean-sales")
        self.assertEqual(td.attrs["quantity"], "difference.flow-optimised")
        sw = (td["high_mean"] - td["low_mean"]).abs().to_numpy()
        np.testing.assert_array_equal(td["swing"].to_numpy(), sw)
        self.assertTrue((np.diff(sw) <= 0).all())
        self.assertAlmostEqual(td.attrs["centre"], self.truth["diff"].mean())
        # the difference grows with the inbound volume (+5e6 per lead per hour) and falls with the deal size
        r = td.set_index("assumption")
        self.assertGreater(r.loc["sources.inbound.arrivals", "high_mean"], r.loc["sources.inbound.arrivals", "low_mean"])
        self.assertLess(r.loc["sources.inbound.value.mean", "high_mean"], r.loc["sources.inbound.value.mean", "low_mean"])

    def test_chosen_and_tied(self):
        from salesflow_report.charts import study
        with h5py.File(self.path, "r") as f:
            ch = study.chosen_data(f, "lean-sales")
        self.assertEqual(list(zip(ch["design"], ch["outcome"])), [("resource-optimised", "chosen"),
                                                                  ("resource-optimised", "tied"),
                                                                  ("flow-optimised", "chosen")])
        # the configurations in words, not PATH=VALUE
        self.assertEqual(ch["words"].iloc[0], "8 generalist sellers; prospecting of generalist sellers: "
                                              "{policy: when_idle, source: outbound}")
        self.assertEqual(ch["words"].iloc[2], "3 sales development reps; 4 account executives; 3 solution experts; "
                                              "qualify gate: minimum estimated quality: 25%")

    def test_study_report(self):
        from salesflow_report.build import build_report
        out = os.path.join(TMP, "report-study")
        info = {}
        files = build_report(self.path, out, chart_info=info)
        self.assertEqual(files[-1], "index.html")
        for fn in ("study-lean-sales-decision.png", "study-lean-sales-tornado.png"):
            self.assertIn(fn, files)
        with h5py.File(self.path, "r") as f:
            from salesflow_report.charts import study
            td = study.tornado_data(f, "lean-sales")
        self.assertEqual(info["study-lean-sales-tornado.png"]["order"], list(td["assumption"]))
        p = info["study-lean-sales-decision.png"]["p_best"]
        self.assertAlmostEqual(p["flow-optimised"], float((self.truth["best"] == "flow-optimised").mean()))
        with open(os.path.join(out, "index.html"), encoding="utf-8") as fh:
            page = fh.read()
        self.assertLess(page.index("The answer"), page.index("Study: lean-sales</h2>"))
        self.assertIn("The claims", page)
        self.assertIn("tied", page)
        self.assertNotIn("screened_out", page)
        self.assertIn("7 generalist sellers", page)
        self.assertIn("within the budget (cost at most 2.1 M a year)", page)
        self.assertIn("revenue per cost: ratio of flow-optimised to resource-optimised &gt;= 2", page)
        self.assertNotIn("roles.seller.headcount=", page.split("<details>")[0])
        Html.check_offline(self, out, page)
        Html.check_tables(self, page)
        texts = Html.check_labels(self, out)
        self.assertTrue(any("inbound leads per week" in t for t in texts), "assumptions in words")


class Sweeps(unittest.TestCase):
    def independent_band(self, reps, metric):
        rows = {}
        for p, g in reps.groupby("point"):
            v = g[metric].to_numpy()
            n = len(v)
            m, sd = v.mean(), v.std(ddof=1)
            half = T975[n - 1] * sd / math.sqrt(n)
            rows[p] = (m, m - half, m + half, n)
        return rows

    def test_paths(self):
        with h5py.File(FILES["sweep2"], "r") as f:
            self.assertEqual(report.sweep_names(f), ["ae-headcount"])
            self.assertEqual(report.sweep_paths(f, "ae-headcount"), ["roles.ae.headcount", "stages.qualify.advance"])
        with h5py.File(FILES["sweep1"], "r") as f:  # no `vary` in sweep_yaml: the attribute says
            self.assertEqual(report.sweep_paths(f, "one"), ["roles.ae.headcount"])
        p = os.path.join(TMP, "sweep-attr.h5")
        make_sweep(p, {"roles.ae.headcount": [2, 4], "simulation.seed": [1, 2]}, [3], paths_attr=False)
        with h5py.File(p, "r") as f:  # no `paths` attribute: no guessing from the sweep's YAML
            with self.assertRaisesRegex(report.InputError, "no 'paths' attribute"):
                report.sweep_paths(f, "ae-headcount")

    def test_band(self):
        for key, name, metric in (("sweep2", "ae-headcount", "lead_time_mean_h"), ("sweep2", "ae-headcount", "wins"),
                                  ("sweep1", "one", "lead_time_mean_h")):
            with h5py.File(FILES[key], "r") as f:
                d = report.sweep_band_data(f, name, metric)
                reps = table(f, f"sweeps/{name}/replications")
                pts = table(f, f"sweeps/{name}/points").set_index("point")
            want = self.independent_band(reps, metric)
            self.assertEqual(len(d), len(pts))
            self.assertEqual(d.attrs["x"], "roles.ae.headcount")
            for _, r in d.iterrows():
                m, lo, hi, n = want[r["point"]]
                self.assertEqual(r["n"], n)
                self.assertAlmostEqual(r["mean"], m, places=9)
                self.assertAlmostEqual(r["mean"], pts.loc[r["point"], metric], places=9)
                self.assertAlmostEqual(r["ci_low"], lo, places=7)
                self.assertAlmostEqual(r["ci_high"], hi, places=7)
                self.assertEqual(r["roles.ae.headcount"], pts.loc[r["point"], "roles.ae.headcount"])
            if key == "sweep2":  # one line per value of the other parameter
                self.assertEqual(sorted(set(d["group"])), ["share of leads advancing from qualify: 30%",
                                                           "share of leads advancing from qualify: 50%"])
                self.assertEqual(sorted(set(d["n"])), [3, 4])  # points with different replication counts
            else:
                self.assertEqual(set(d["group"]), {""})

    def test_band_other_x_and_missing_metric(self):
        with h5py.File(FILES["sweep2"], "r") as f:
            d = report.sweep_band_data(f, "ae-headcount", "wip_mean", x="stages.qualify.advance")
            self.assertEqual(d.attrs["x"], "stages.qualify.advance")
            self.assertEqual(len(set(d["group"])), 3)
            with self.assertRaises(KeyError):
                report.sweep_band_data(f, "ae-headcount", "no_such_metric")

    def test_heatmap(self):
        with h5py.File(FILES["sweep2"], "r") as f:
            h = report.sweep_heatmap_data(f, "ae-headcount", "lead_time_mean_h")
            pts = table(f, "sweeps/ae-headcount/points")
        self.assertEqual((h.attrs["x"], h.attrs["y"]), ("roles.ae.headcount", "stages.qualify.advance"))
        self.assertEqual(list(h.columns), [3.0, 4.0, 6.0])
        self.assertEqual(list(h.index), [0.3, 0.5])
        self.assertEqual(h.attrs["filled"], 1.0)
        for _, r in pts.iterrows():
            self.assertAlmostEqual(h.loc[r["stages.qualify.advance"], r["roles.ae.headcount"]], r["lead_time_mean_h"])
        with h5py.File(FILES["sweep1"], "r") as f:
            self.assertIsNone(report.sweep_heatmap_data(f, "one"))

    @needs_exe
    def test_text_values_keep_the_sweep_order(self):
        # A real sweep over rates written as text: charts follow the sweep (3/w, 6/w, 12/w),
        # not the alphabet (12/w, 3/w, 6/w).
        sweep = os.path.join(TMP, "text-sweep.yaml")
        with open(sweep, "w") as fh:
            fh.write("name: text\nscenario: " + os.path.join(SOURCE_DIR, "scenarios", "flow-optimised.yaml") +
                     "\nreplications: 2\nvary:\n  sources.inbound.arrivals: [3/w, 6/w, 12/w]\n"
                     "  roles.ae.headcount: [3, 5]\n")
        out = os.path.join(TMP, "text-sweep.h5")
        salesflow("sweep", sweep, "--set", "simulation.horizon=8w", "--set", "simulation.warmup=0", "-q", "-o", out)
        with h5py.File(out, "r") as f:
            d = report.sweep_band_data(f, "text", x="sources.inbound.arrivals")
            h = report.sweep_heatmap_data(f, "text", x="sources.inbound.arrivals", y="roles.ae.headcount")
        self.assertEqual(list(d["sources.inbound.arrivals"]), ["3/w", "6/w", "12/w"] * 2)
        self.assertEqual(list(h.columns), ["3/w", "6/w", "12/w"])
        self.assertEqual(list(h.index), [3.0, 5.0])

    def test_kingman(self):
        with h5py.File(FILES["sweep2"], "r") as f:
            k = report.kingman_data(f, "ae-headcount")
            pts = table(f, "sweeps/ae-headcount/points").set_index("point")
            reps = table(f, "sweeps/ae-headcount/replications")
        self.assertEqual(len(k), 2 * len(pts))
        self.assertEqual(sorted(set(k["role"])), ["ae", "sdr"])
        band = self.independent_band(reps, "lead_time_mean_h")
        for _, r in k.iterrows():
            self.assertAlmostEqual(r["utilisation"], pts.loc[r["point"], f"role.{r['role']}.utilisation"])
            self.assertAlmostEqual(r["lead_time_d"], pts.loc[r["point"], "lead_time_mean_h"] / 24)
            self.assertAlmostEqual(r["lt_ci_low_d"], band[r["point"]][1] / 24, places=7)
            self.assertAlmostEqual(r["lt_ci_high_d"], band[r["point"]][2] / 24, places=7)
        # the synthetic data is a hockey stick: the busiest AE points have the longest lead times
        ae = k[k["role"] == "ae"].sort_values("utilisation")
        self.assertGreater(ae["lead_time_d"].iloc[-1], ae["lead_time_d"].iloc[0])


class SweepScenarios(unittest.TestCase):
    """A sweep of several organisations (`scenarios:`) made by the real salesflow: every
    chart's data per scenario equals that scenario's rows of the points table, the
    paired-differences section shows the file's `differences` rows, and each sentence's
    sign matches them."""

    @classmethod
    def setUpClass(cls):
        if not HAVE_EXE:
            return
        # bench/sweep-organisations.yaml with 4 replications (run shortened below)
        with open(os.path.join(SOURCE_DIR, "bench", "sweep-organisations.yaml")) as fh:
            text_ = fh.read().replace("replications: 20", "replications: 4")
        text_ = text_.replace("../scenarios/", SCENARIOS + "/")
        cls.one = os.path.join(TMP, "organisations.yaml")
        with open(cls.one, "w") as fh:
            fh.write(text_)
        cls.h1 = os.path.join(TMP, "organisations.h5")
        # 20 weeks (12 measured): on the shipped calibration a shorter run shows no clear difference in wins
        salesflow("sweep", cls.one, "--set", "simulation.horizon=20w", "-q", "-o", cls.h1)
        two = os.path.join(TMP, "organisations-2d.yaml")
        with open(two, "w") as fh:
            fh.write(f"name: org2\nscenarios: [{SCENARIOS}/resource-optimised.yaml, {SCENARIOS}/flow-optimised.yaml]\n"
                     "replications: 3\nvary:\n  stages.discovery.advance: [0.4, 0.8]\n"
                     "  stages.proposal.advance: [0.3, 0.6]\n")
        cls.h2 = os.path.join(TMP, "organisations-2d.h5")
        salesflow("sweep", two, "--set", "simulation.horizon=8w", "--set", "simulation.warmup=0", "-q", "-o", cls.h2)
        cls.info, cls.page = {}, {}
        from salesflow_report.build import build_report
        for key, path, metric in (("1d", cls.h1, "wins"), ("2d", cls.h2, "lead_time_mean_h")):
            out = os.path.join(TMP, f"report-organisations-{key}")
            cls.info[key] = {}
            build_report(path, out, metric=metric, chart_info=cls.info[key], present=False)
            with open(os.path.join(out, "index.html"), encoding="utf-8") as fh:
                cls.page[key] = fh.read()

    def chart(self, key, suffix):
        found = [v for k, v in self.info[key].items() if k.endswith(suffix)]
        self.assertEqual(len(found), 1, suffix)
        return found[0]

    @needs_exe
    def test_lines_per_scenario_equal_the_points(self):
        with h5py.File(self.h1, "r") as f:
            pts = table(f, "sweeps/organisations/points")
            reps = table(f, "sweeps/organisations/replications")
        self.assertEqual(list(dict.fromkeys(pts["scenario"])), ["resource-optimised", "flow-optimised"])
        series = self.chart("1d", "-wins-line.png")["series"]
        self.assertEqual(list(series), ["resource-optimised", "flow-optimised"])  # one line each, no mixing
        x = "stages.discovery.advance"
        for s, line in series.items():
            mine = pts[pts["scenario"] == s].sort_values(x)
            self.assertEqual(line["x"], list(mine[x]))
            np.testing.assert_allclose(line["mean"], mine["wins"].to_numpy(), rtol=1e-12)
            for v, lo, hi in zip(line["x"], line["ci_low"], line["ci_high"]):  # 95% band from its replications
                w = reps[(reps["scenario"] == s) & (reps[x] == v)]["wins"].to_numpy()
                self.assertEqual(len(w), 4)
                h = T975[3] * w.std(ddof=1) / math.sqrt(4)
                self.assertAlmostEqual(lo, w.mean() - h, places=9)
                self.assertAlmostEqual(hi, w.mean() + h, places=9)
        with h5py.File(self.h1, "r") as f:  # the best points of each scenario are its own
            for s in ("resource-optimised", "flow-optimised"):
                best = report.best_points_data(f, "organisations", "wins", "higher", scenario=s)
                mine = pts[pts["scenario"] == s]
                self.assertEqual(best["mean"].iloc[0], mine["wins"].max())
                self.assertEqual(len(best), len(mine))

    @needs_exe
    def test_heatmap_panels_per_scenario_on_one_scale(self):
        heat = self.chart("2d", "-lead_time_mean_h-heatmap.png")
        with h5py.File(self.h2, "r") as f:
            pts = table(f, "sweeps/org2/points")
        self.assertEqual(heat["panels"], ["resource-optimised", "flow-optimised"])
        for s, t in heat["cells"].items():
            mine = pts[pts["scenario"] == s]
            self.assertEqual(t.size, len(mine))
            for _, r in mine.iterrows():
                self.assertEqual(t.loc[r["stages.proposal.advance"], r["stages.discovery.advance"]],
                                 r["lead_time_mean_h"])
        self.assertEqual((heat["vmin"], heat["vmax"]), (pts["lead_time_mean_h"].min(), pts["lead_time_mean_h"].max()))
        self.assertIn("One panel per organisation".lower(), self.page["2d"].lower())

    @needs_exe
    def test_differences_equal_the_file(self):
        for key, path, name, metric in (("1d", self.h1, "organisations", "wins"),
                                        ("2d", self.h2, "org2", "lead_time_mean_h")):
            with h5py.File(path, "r") as f:
                diffs = table(f, f"sweeps/{name}/differences")
                diffs = diffs[diffs["metric"] == metric].set_index("point")
                self.assertEqual(f[f"sweeps/{name}"].attrs["baseline"], "resource-optimised")
            series = self.chart(key, f"-{metric}-differences.png")["series"]
            drawn = sum(len(v["point"]) for v in series.values())
            self.assertEqual(drawn, len(diffs))
            for g, v in series.items():
                self.assertTrue(g.startswith("flow-optimised"))
                for p, d, lo, hi in zip(v["point"], v["diff"], v["diff_ci_low"], v["diff_ci_high"]):
                    self.assertEqual((d, lo, hi), tuple(diffs.loc[p, ["diff", "diff_ci_low", "diff_ci_high"]]))
            self.assertIn("<h3>Paired differences</h3>", self.page[key])

    @needs_exe
    def test_page_offline_short_tables_words(self):
        out = os.path.join(TMP, "report-organisations-cli")
        r = run_report(self.h1, out, "--metric", "wins")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as fh:
            page = fh.read()
        Html.check_offline(self, out, page)
        Html.check_tables(self, page)
        Html.check_labels(self, out)
        with h5py.File(self.h1, "r") as f:  # the CSV beside the page holds every difference row of the metric
            diffs = table(f, "sweeps/organisations/differences")
        diffs = diffs[diffs["metric"] == "wins"].sort_values("point")
        csv_ = pd.read_csv(os.path.join(out, "sweep-organisations-wins-differences.csv")).sort_values("point")
        np.testing.assert_array_equal(csv_["diff"].to_numpy(), diffs["diff"].to_numpy())

    @needs_exe
    def test_sentence_sign_matches_the_data(self):
        # wins: higher is better. Every point whose interval excludes zero is named with
        # the sign of its difference; none is named when its interval holds zero.
        with h5py.File(self.h1, "r") as f:
            diffs = table(f, "sweeps/organisations/differences")
            data = report.sweep_differences_data(f, "organisations", "wins")
        diffs = diffs[diffs["metric"] == "wins"]
        below = set(diffs.loc[diffs["diff_ci_high"] < 0, "point"])
        above = set(diffs.loc[diffs["diff_ci_low"] > 0, "point"])
        self.assertTrue(below or above, "the short sweep should show a clear difference in wins")
        found = report.difference_findings(data, "higher")["flow-optimised"]
        self.assertEqual(set(found["worse"]["point"]), below)
        self.assertEqual(set(found["better"]["point"]), above)
        self.assertEqual(len(found["zero"]), len(diffs) - len(below) - len(above))
        m = re.search(r"<p class=\"difference\">flow-optimised: ([^<]*)</p>", self.page["1d"])
        self.assertIsNotNone(m)
        sentence = m.group(1)
        self.assertEqual("is lower than resource-optimised (worse)" in sentence, bool(below))
        self.assertEqual("is higher than resource-optimised (better)" in sentence, bool(above))
        values = {int(r["point"]): r["stages.discovery.advance"] for _, r in data.iterrows()}
        for p in below | above:  # each such point is named with its value
            self.assertIn(f"{round(values[p] * 100)}%", sentence)
        # lead time: lower is better, so a negative clear difference reads "(better)"
        with h5py.File(self.h2, "r") as f:
            d2 = report.sweep_differences_data(f, "org2", "lead_time_mean_h")
        neg = d2[d2["diff_ci_high"] < 0]
        found = report.difference_findings(d2, "lower")["flow-optimised"]
        self.assertEqual(list(found["better"]["point"]), list(neg["point"]))
        if len(neg):
            self.assertIn("lower than resource-optimised (better)", self.page["2d"])


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.scripts, self.ids = [], 0, set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "iframe", "object", "embed"):
            self.scripts += 1
        if tag == "link":
            self.refs.append(a.get("href", ""))
        for k in ("src", "href"):
            if k in a and tag != "link":
                self.refs.append(a[k])
        if "id" in a:
            self.ids.add(a["id"])
        for k in a:
            if k.startswith("on"):
                self.scripts += 1


def run_script(script, *args, process=False):
    """scripts/<script>.py ARGS: its exit status, stdout and stderr. In this process (its
    main(argv), what the script's `sys.exit(main())` runs) unless `process`: a Python
    process costs a second or more of imports (matplotlib, pandas, h5py) on every call.
    Each script also runs as a real process in at least one test."""
    if process:
        return subprocess.run([sys.executable, os.path.join(SCRIPTS, f"{script}.py"), *args],
                              capture_output=True, text=True, timeout=180)
    import contextlib
    import importlib
    import io
    module = importlib.import_module(script)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = module.main(list(args))
        except SystemExit as e:  # argparse's usage errors
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return subprocess.CompletedProcess([script, *args], code, out.getvalue(), err.getvalue())


def run_report(results, out, *extra, process=False):
    return run_script("report", results, "-o", out, *extra, process=process)


class SvgText(HTMLParser):
    """The text of every <text> element of the inline SVG charts of present.html."""

    def __init__(self):
        super().__init__()
        self.texts, self._in = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "text":
            self._in += 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == "text":
            self._in -= 1

    def handle_data(self, data):
        if self._in:
            self.texts[-1] += data


class Html(unittest.TestCase):
    built = 0

    shared = {}  # the report of a file with the default options, built once: (folder, page)

    def build(self, key, *extra, process=False):
        """The report of FILES[key] with `extra` options, checked (offline, short tables, chart
        labels). With no option the one report of the file made with the defaults is
        shared by the tests that read it (it is only read)."""
        if not extra and not process and key in Html.shared:
            return Html.shared[key]
        Html.built += 1
        out = os.path.join(TMP, f"report-{key}-{Html.built}")
        r = run_report(FILES[key], out, *extra, process=process)
        self.assertEqual(r.returncode, 0, r.stderr)
        printed = r.stdout.split()
        self.assertEqual(printed[-1], os.path.join(out, "index.html"))
        for p in printed:
            self.assertTrue(os.path.isfile(p), p)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as fh:
            page = fh.read()
        Html.check_offline(self, out, page)
        Html.check_tables(self, page)
        Html.check_labels(self, out)
        if not extra and not process:
            Html.shared[key] = (out, page)
        return out, page

    def check_offline(self, out, page):
        self.assertNotRegex(page, r"(?i)https?://")
        self.assertNotRegex(page, r"(?i)(@import|url\(|@font-face|<script|javascript:)")
        p = LinkParser()
        p.feed(page)
        self.assertEqual(p.scripts, 0)
        self.assertGreater(len(p.refs), 0)
        for ref in p.refs:
            if ref.startswith("#"):
                self.assertIn(ref[1:], p.ids, f"anchor {ref}")
                continue
            self.assertFalse(os.path.isabs(ref) or ".." in ref or ":" in ref, ref)
            path = os.path.join(out, ref)
            self.assertTrue(os.path.isfile(path), f"{ref} referenced but missing")
            if ref.endswith(".png"):
                with open(path, "rb") as fh:
                    self.assertEqual(fh.read(8), b"\x89PNG\r\n\x1a\n", ref)
        pngs = {fn for fn in os.listdir(out) if fn.endswith(".png")}
        self.assertEqual(pngs, {r for r in p.refs if r.endswith(".png")}, "every chart is on the page")
        self.assertFalse([fn for fn in os.listdir(os.path.dirname(out)) if ".tmp-" in fn], "temporary folder left")

    def check_tables(self, page):
        rows = [len(re.findall(r"<tr>", t)) - 1 for t in re.findall(r"<table>.*?</table>", page, re.S)]
        self.assertTrue(all(n <= 20 for n in rows), f"a table longer than 20 rows: {rows}")

    def check_labels(self, out):
        """No chart text holds a raw dotted path, a metric's column name or a value in
        hours per lead, where a human unit exists (the SVG slides keep text as text)."""
        path = os.path.join(out, "present.html")
        if not os.path.isfile(path):
            return
        p = SvgText()
        with open(path, encoding="utf-8") as fh:
            p.feed(fh.read())
        self.assertGreater(len(p.texts), 10)
        for t in p.texts:
            self.assertNotRegex(t, r"[a-z_]+\.[a-z_]+\.[a-z_]+", "raw dotted path in a chart")
            self.assertNotRegex(t, r"_h\b|per hour|\(hours per lead\)|leads per hour", "hours-based unit in a chart")
        return p.texts

    @needs_exe
    def test_run_report(self):
        out, page = self.build("run", process=True)  # report.py as a process: what it prints, exit 0
        for kind in ("cfd", "wip-throughput", "leadtime", "funnel", "utilisation"):
            self.assertTrue(os.path.isfile(os.path.join(out, f"run-flow-optimised-{kind}.png")), kind)
        self.assertIn("Lead time, mean", page)
        self.assertIn("95% interval", page)
        self.assertIn("The answer", page)
        out1, _ = self.build("run", "--replication", "1")
        self.assertTrue(os.path.isfile(os.path.join(out1, "run-flow-optimised-cfd.png")))

    @needs_exe
    def test_compare_report(self):
        out, page = self.build("cmp")
        self.assertTrue(os.path.isfile(os.path.join(out, "compare-resource-optimised-vs-flow-optimised.png")))
        self.assertTrue(os.path.isfile(os.path.join(out, "decision-resource-optimised-vs-flow-optimised-objective.png")))
        self.assertEqual(len([fn for fn in os.listdir(out) if fn.endswith(".png")]), 4 + 2 * 5)
        # the decision comes first: before any scenario's details
        self.assertLess(page.index("The answer"), page.index("Scenario: resource-optimised"))
        self.assertLess(page.index("What the answer rests on"), page.index('<h2 id="cmp-'))
        self.assertIn("Best in (share of replications)", page)
        self.assertNotIn("Command: ", page[:page.index("About this report</h2>")])

    @needs_exe
    def test_missing_optional_tables_are_notes(self):
        out, page = self.build("bare")
        self.assertIn("No time series in this file", page)
        self.assertIn("No per-lead records in this file", page)
        self.assertFalse(os.path.exists(os.path.join(out, "run-flow-optimised-cfd.png")))
        self.assertTrue(os.path.isfile(os.path.join(out, "run-flow-optimised-leadtime.png")))
        self.assertTrue(os.path.isfile(os.path.join(out, "run-flow-optimised-funnel.png")))

    def test_sweep_reports(self):
        out, page = self.build("sweep2")
        for png in ("sweep-ae-headcount-lead_time_mean_h-line.png", "sweep-ae-headcount-lead_time_mean_h-heatmap.png",
                    "sweep-ae-headcount-kingman.png", "decision-ae-headcount-best.png"):
            self.assertTrue(os.path.isfile(os.path.join(out, png)), png)
        self.assertTrue(os.path.isfile(os.path.join(out, "sweep-ae-headcount-points.csv")))
        out, page = self.build("sweep2", "--metric", "wins")
        self.assertTrue(os.path.isfile(os.path.join(out, "sweep-ae-headcount-wins-heatmap.png")))
        out, page = self.build("sweep2", "--metric", "no_such_metric")
        self.assertIn("no_such_metric is not a column of this sweep", page)
        self.assertTrue(os.path.isfile(os.path.join(out, "sweep-ae-headcount-kingman.png")))
        out, page = self.build("sweep1")
        self.assertTrue(os.path.isfile(os.path.join(out, "sweep-one-lead_time_mean_h-line.png")))
        self.assertFalse(os.path.exists(os.path.join(out, "sweep-one-lead_time_mean_h-heatmap.png")))

    def test_latin_hypercube_400(self):
        # 400 points over three parameters: partial dependence per parameter, a response
        # surface, the best points; no table longer than 20 rows; the rest in the CSV
        rng = np.random.default_rng(5)
        n = 400
        vary = {"roles.ae.headcount": rng.integers(3, 11, n), "stages.qualify.advance": rng.uniform(0.2, 0.8, n),
                "sources.inbound.arrivals": rng.uniform(0.018, 0.06, n)}
        p = os.path.join(TMP, "lhs400.h5")
        FILES["lhs400"] = p
        make_sweep(p, vary, [3], name="lhs", grid=False)
        with h5py.File(p, "r") as f:
            pdd = report.partial_dependence_data(f, "lhs")
            self.assertEqual(list(pdd), list(vary))
            for path, d in pdd.items():
                self.assertLessEqual(len(d), 9)
                self.assertEqual(int(d["n_points"].sum()), n, path)
            # headcount drives the synthetic lead time: it is the most influential
            self.assertEqual(pdd.most_influential(1), ["roles.ae.headcount"])
            hc = pdd["roles.ae.headcount"].set_index("value")
            pts = table(f, "sweeps/lhs/points")
            for v, r in hc.iterrows():
                self.assertAlmostEqual(r["mean"], pts.loc[pts["roles.ae.headcount"] == v, "lead_time_mean_h"].mean())
        out, page = self.build("lhs400")
        self.assertTrue(os.path.isfile(os.path.join(out, "sweep-lhs-lead_time_mean_h-partial.png")))
        self.assertTrue(os.path.isfile(os.path.join(out, "sweep-lhs-lead_time_mean_h-surface.png")))
        self.assertFalse(os.path.exists(os.path.join(out, "sweep-lhs-lead_time_mean_h-line.png")))
        self.assertEqual(len(pd.read_csv(os.path.join(out, "sweep-lhs-points.csv"))), n)
        with open(os.path.join(out, "present.html"), encoding="utf-8") as fh:
            pres = fh.read()
        slides = re.findall(r'<section class="slide" id="s\d+"><h2>([^<]*)</h2><div class="chart">(.*?)</div><nav>',
                            pres, re.S)
        partial = [svg for t, svg in slides if "against each parameter" in t]
        self.assertEqual(len(partial), 1)
        self.assertEqual(len(re.findall(r'<g id="axes_\d+"', partial[0])), 3, "one panel per varied parameter")

    def test_non_grid_sweep(self):
        # a design whose points do not form a grid: no lines, partial dependence instead
        p = os.path.join(TMP, "lhs.h5")
        FILES["lhs"] = p
        make_sweep(p, {"roles.ae.headcount": [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
                       "stages.qualify.advance": [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75]},
                   [3], name="lhs", grid=False)
        with h5py.File(p, "r") as f:
            h = report.sweep_heatmap_data(f, "lhs")
            self.assertTrue(h.attrs["binned"])
        out, page = self.build("lhs")
        self.assertTrue(os.path.isfile(os.path.join(out, "sweep-lhs-lead_time_mean_h-partial.png")))

    def test_bad_input(self):
        r = run_report(os.path.join(TMP, "none.h5"), os.path.join(TMP, "x"), process=True)  # exit 2 from the process
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr.strip(), f"report.py: {os.path.join(TMP, 'none.h5')}: no such file")


class Hostile(unittest.TestCase):
    """Issue 9 item 13: escaped values, collision-free file names, clear errors and no
    partial output."""

    def assert_refused(self, path, message):
        out = os.path.join(TMP, "refused-" + os.path.basename(path))
        r = run_report(path, out)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(message, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertFalse(os.path.exists(out), "nothing written")
        self.assertFalse([fn for fn in os.listdir(TMP) if ".tmp-" in fn], "no temporary folder left")

    def test_foreign_files(self):
        p = os.path.join(TMP, "text.h5")
        with open(p, "w") as fh:
            fh.write("name: not hdf5\n")
        self.assert_refused(p, "not a readable HDF5 file")
        p = os.path.join(TMP, "other.h5")
        with h5py.File(p, "w") as f:
            f["x"] = np.arange(3)
        self.assert_refused(p, "not a salesflow results file: root attribute 'format' should be "
                               "'salesflow-results', got none")
        self.assert_refused(TMP, "not a regular file")

    def assert_argument_refused(self, path, args, message):
        out = os.path.join(TMP, "refused-arg")
        r = run_report(path, out, *args)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.strip(), message)
        self.assertFalse(os.path.exists(out), "nothing written")
        self.assertFalse([fn for fn in os.listdir(TMP) if ".tmp-" in fn], "no temporary folder left")

    def test_options_the_file_does_not_have(self):
        # An --x the sweep does not vary was a KeyError blamed on the file's layout.
        self.assert_argument_refused(FILES["sweep2"], ("--x", "roles.se.headcount"),
                                     "report.py: --x: sweep 'ae-headcount' varies no parameter 'roles.se.headcount' "
                                     "(it varies: roles.ae.headcount, stages.qualify.advance)")
        self.assert_argument_refused(FILES["sweep2"], ("--y", "nope"),
                                     "report.py: --y: sweep 'ae-headcount' varies no parameter 'nope' "
                                     "(it varies: roles.ae.headcount, stages.qualify.advance)")

    @needs_exe
    def test_replication_the_run_does_not_have(self):
        # It said "the file does not have the layout report.py reads (ValueError: ...)".
        for rep in ("3", "-1"):
            self.assert_argument_refused(FILES["run"], ("--replication", rep),
                                         "report.py: --replication: run 'flow-optimised' has time series of "
                                         f"replications 0 to 2, got {rep}")

    @needs_exe
    def test_explain_file_alone(self):
        # A file of salesflow explain gave a page saying the file holds nothing (exit 0).
        self.assert_refused(FILES["explain-fo"], "holds only /explanations, the results of salesflow explain: give "
                                                 "it to the report of a comparison with --explain FILE")

    def test_truncated_file(self):
        p = os.path.join(TMP, "truncated.h5")
        with open(FILES["sweep2"], "rb") as fh:
            data = fh.read()
        with open(p, "wb") as fh:
            fh.write(data[: len(data) // 2])
        self.assert_refused(p, "report.py: " + p + ": ")

    def test_corrupt_tables(self):
        p = os.path.join(TMP, "nosummary.h5")
        shutil.copy(FILES["sweep2"], p)
        with h5py.File(p, "a") as f:
            g = f.create_group("runs/broken")
            g["summary"] = np.zeros(3, dtype=[("name", "S8"), ("value", "<f8")])
        self.assert_refused(p, "/runs/broken/summary lacks the column(s) metric, mean, sd, ci_low, ci_high, n")
        p = os.path.join(TMP, "badmeta.h5")
        shutil.copy(FILES["sweep2"], p)
        with h5py.File(p, "a") as f:
            f["sweeps/ae-headcount/replications"].attrs["metric_units"] = np.array(["count"], dtype=h5py.string_dtype())
        self.assert_refused(p, "attribute metric_units has 1 entries, metric_names has 8")

    def test_output_is_not_a_folder(self):
        target = os.path.join(TMP, "a-file")
        with open(target, "w") as fh:
            fh.write("keep me")
        r = run_report(FILES["sweep2"], target)
        self.assertEqual(r.returncode, 2)
        self.assertIn("exists and is not a folder", r.stderr)
        with open(target) as fh:
            self.assertEqual(fh.read(), "keep me")

    def test_existing_folder_keeps_other_files(self):
        out = os.path.join(TMP, "existing")
        os.makedirs(out)
        with open(os.path.join(out, "mine.txt"), "w") as fh:
            fh.write("keep me")
        r = run_report(FILES["sweep1"], out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(out, "index.html")))
        with open(os.path.join(out, "mine.txt")) as fh:
            self.assertEqual(fh.read(), "keep me")

    @needs_exe
    def test_escaping_and_collisions(self):
        p = os.path.join(TMP, "hostile.h5")
        shutil.copy(FILES["bare"], p)
        evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
        with h5py.File(p, "a") as f:
            f.move("runs/flow-optimised", "runs/a")
            f.copy("runs/a", "runs/_a")
            f.copy("runs/a", "runs/A")
            f.copy("runs/a", "runs/" + evil.replace("/", "|"))
            f["runs/a"].attrs["seed"] = evil
            f["runs/_a"].attrs["scenario_yaml"] = "name: _a\ndescription: '" + evil + "'\n"
            f.attrs["command_line"] = evil
        out = os.path.join(TMP, "hostile-report")
        r = run_report(p, out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as fh:
            page = fh.read()
        with open(os.path.join(out, "present.html"), encoding="utf-8") as fh:
            pres = fh.read()
        for text in (page, pres):
            self.assertNotIn("<script", text)
            self.assertNotIn("<img src=x", text)
            lp = LinkParser()
            lp.feed(text)
            self.assertEqual(lp.scripts, 0)
        self.assertIn("seed &lt;script&gt;alert(1)&lt;/script&gt;", page)
        # four runs, four distinct sets of charts, each section showing its own
        pngs = [fn for fn in os.listdir(out) if fn.endswith("-funnel.png")]
        self.assertEqual(len(pngs), 4, pngs)
        self.assertEqual(len({fn.lower() for fn in pngs}), 4, "distinct even on a case-insensitive disk")
        sections = re.split(r'<h2 id="run-', page)[1:]
        self.assertEqual(len(sections), 4)
        seen = set()
        for sec in sections:
            imgs = re.findall(r'<img src="([^"]+)"', sec)
            self.assertTrue(imgs)
            self.assertFalse(seen & set(imgs), "a section shows another's chart")
            seen |= set(imgs)


class Units(unittest.TestCase):
    def test_display_units(self):
        self.assertEqual(units.display_for("hours", 30).unit, "hours")
        d = units.display_for("hours", 24 * 20)
        self.assertEqual((d.unit, d.fmt(24 * 20)), ("days", "20.0"))
        self.assertEqual(units.display_for("hours", 168 * 12).unit, "weeks")
        d = units.display_for("count", 520, weeks=52)
        self.assertEqual((d.unit, d.fmt(520)), ("per week", "10.0"))
        d = units.display_for("count", 52, weeks=52)  # one a week: per month
        self.assertEqual((d.unit, d.fmt(52)), ("per month", "4.33"))
        self.assertEqual(units.display_for("share").fmt(0.4213), "42.1%")
        self.assertEqual(units.display_for("money").fmt(1234567), "1.23 M")
        self.assertEqual(units.display_for("money").fmt(45600), "45.6 k")
        self.assertEqual(units.display_for("money_per_win").fmt_unit(45600), "45.6 k per deal won")
        self.assertEqual(units.fmt(1234567.8), "1,234,568")

    def test_parameter_words(self):
        self.assertEqual(labels.param_label("roles.ae.headcount"), "account executives (people)")
        self.assertEqual(labels.param_value("roles.ae.headcount", 4.0), "4 account executives")
        self.assertEqual(labels.param_value("roles.se.headcount", 1), "1 solution expert")
        self.assertEqual(labels.param_value("roles.ae.wip_limit", 0), "no limit")
        self.assertEqual(labels.param_value("sources.inbound.arrivals", 0.03571428571428571), "6 per week")
        self.assertEqual(labels.param_value("sources.inbound.half_life", 504), "3 weeks")
        self.assertEqual(labels.param_value("roles.ae.context_switching", b"false"), "off")
        scen = {"roles": [{"name": "ae", "label": "closers"}]}
        self.assertEqual(labels.param_label("roles.ae.headcount", scen), "closers (people)")
        pt = {"roles.seller.headcount": 0, "roles.ae.headcount": 4, "roles.se.headcount": 3}
        self.assertEqual(labels.legend(pt, list(pt)), "4 account executives, 3 solution experts")
        for path in ("roles.ae.headcount", "stages.quote.effort.lognormal.sd", "handoff.effort", "x.y.z",
                     "sources.inbound.half_life", "simulation.seed"):
            self.assertNotIn(".", labels.param_label(path), path)

    def test_ordering_by_value(self):
        # "no limit" (0) after the numeric limits; numbers by value, not as text
        with h5py.File(FILES["sweep2"], "r") as f:
            pass
        p = os.path.join(TMP, "wip.h5")
        make_sweep(p, {"roles.ae.wip_limit": [2, 0, 6, 3], "stages.qualify.advance": [0.5]}, [3], name="wip")
        with h5py.File(p, "r") as f:
            d = report.sweep_band_data(f, "wip", x="roles.ae.wip_limit")
        self.assertEqual(list(d["roles.ae.wip_limit"]), [2.0, 3.0, 6.0, 0.0])

    def test_probability_best(self):
        pb = report.probability_best({"a": [1, 5, 3, 2], "b": [2, 4, 3, 1]}, "higher")
        self.assertEqual(pb, {"a": 0.625, "b": 0.375})
        self.assertEqual(report.probability_best({"a": [1, 2], "b": [2, 1]}, "lower"), {"a": 0.5, "b": 0.5})
        self.assertEqual(report.probability_best({"a": [1]}, "neither"), {})

    @needs_exe
    def test_decision_data(self):
        with h5py.File(FILES["cmp"], "r") as f:
            name = report.comparison_names(f)[0]
            dec = report.decision_data(f, name, "lead_time_mean_h")
            ra = table(f, "runs/resource-optimised/replications").set_index("replication")["lead_time_mean_h"]
            rb = table(f, "runs/flow-optimised/replications").set_index("replication")["lead_time_mean_h"]
        self.assertEqual(dec["objective"].direction, "lower")
        self.assertEqual(dec["n"], len(ra))
        share_b = float(np.mean((rb < ra) + 0.5 * (rb == ra)))
        self.assertAlmostEqual(dec["p_best"]["flow-optimised"], share_b)
        self.assertAlmostEqual(sum(dec["p_best"].values()), 1.0)
        self.assertEqual(dec["best"], "flow-optimised" if rb.mean() < ra.mean() else "resource-optimised")


class ExportCsv(unittest.TestCase):
    def export(self, key):
        out = os.path.join(TMP, f"csv-{key}")
        r = run_script("export_csv", FILES[key], "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        return out, r.stdout.split("\n")[:-1]

    def check(self, key):
        out, printed = self.export(key)
        tables, nattrs = [], 0
        with h5py.File(FILES[key], "r") as f:
            def visit(name, obj):
                nonlocal nattrs
                nattrs += len(obj.attrs)
                if isinstance(obj, h5py.Dataset) and obj.dtype.names:
                    tables.append((name, obj.shape[0], list(obj.dtype.names),
                                   [c for c in obj.dtype.names if obj.dtype[c].kind in "SO"]))
            f.visititems(visit)
            nattrs += len(f.attrs)
        expect = {name.replace("/", "__") + ".csv" for name, *_ in tables} | {"attributes.csv"}
        self.assertEqual(set(os.listdir(out)), expect)
        self.assertEqual(sorted(os.path.basename(p) for p in printed), sorted(expect))
        self.assertEqual(os.path.basename(printed[-1]), "attributes.csv")
        for name, rows, cols, text_cols in tables:
            df = pd.read_csv(os.path.join(out, name.replace("/", "__") + ".csv"), keep_default_na=False, float_precision="round_trip")
            self.assertEqual(len(df), rows, name)
            self.assertEqual(list(df.columns), cols, name)
            for c in text_cols:
                self.assertFalse(df[c].astype(str).str.startswith("b'").any(), f"{name}.{c} not decoded")
        with open(os.path.join(out, "attributes.csv"), newline="", encoding="utf-8") as fh:
            attrs = list(csv.DictReader(fh))
        self.assertEqual(len(attrs), nattrs)
        return out, attrs

    @needs_exe
    def test_compare_file(self):
        out, attrs = self.check("cmp")
        self.assertTrue(os.path.isfile(os.path.join(out, "runs__flow-optimised__summary.csv")))
        a = {(r["path"], r["name"]): r["value"] for r in attrs}
        self.assertEqual(a[("/", "format")], "salesflow-results")
        self.assertEqual(json.loads(a[("/runs/flow-optimised", "stages")]), ["qualify", "discovery", "proposal", "close"])
        self.assertIn("name: flow-optimised", a[("/runs/flow-optimised", "scenario_yaml")])
        self.assertEqual(a[("/comparisons/resource-optimised-vs-flow-optimised", "baseline")], "resource-optimised")
        # values survive the trip
        s = pd.read_csv(os.path.join(out, "runs__flow-optimised__summary.csv"), float_precision="round_trip").set_index("metric")
        with h5py.File(FILES["cmp"], "r") as f:
            h = table(f, "runs/flow-optimised/summary").set_index("metric")
            leads = table(f, "runs/flow-optimised/leads")
        np.testing.assert_array_equal(s.loc[h.index, "mean"].to_numpy(), h["mean"].to_numpy())
        lc = pd.read_csv(os.path.join(out, "runs__flow-optimised__leads.csv"), keep_default_na=False, float_precision="round_trip")
        self.assertEqual(list(lc["outcome"]), list(leads["outcome"]))

    @needs_exe
    def test_in_slices(self):
        old = export_csv.ROWS_PER_SLICE
        export_csv.ROWS_PER_SLICE = 7
        try:
            out = os.path.join(TMP, "csv-slices")
            export_csv.export(FILES["run"], out)
        finally:
            export_csv.ROWS_PER_SLICE = old
        a = pd.read_csv(os.path.join(out, "runs__flow-optimised__leads.csv"), keep_default_na=False, float_precision="round_trip")
        with h5py.File(FILES["run"], "r") as f:
            b = table(f, "runs/flow-optimised/leads")
        self.assertEqual(len(a), len(b))
        np.testing.assert_array_equal(a["exit_h"].to_numpy(), b["exit_h"].to_numpy())
        self.assertEqual(list(a["last_stage"]), list(b["last_stage"]))

    def test_sweep_file(self):
        out, _ = self.check("sweep2")
        self.assertTrue(os.path.isfile(os.path.join(out, "sweeps__ae-headcount__points.csv")))
        self.assertTrue(os.path.isfile(os.path.join(out, "sweeps__ae-headcount__replications.csv")))


class Walk(unittest.TestCase):
    """The table walk both exports use (salesflow_report.walk): one function, so the CSV
    files and the workbook's sheets are the same tables in the same order."""

    def test_one_walk_for_both_exports(self):
        import export_xlsx
        from salesflow_report import walk
        self.assertIs(export_csv.tables, walk.tables)
        self.assertIs(export_xlsx.tables, walk.tables)
        self.assertIs(export_csv.attributes, walk.attributes)
        self.assertIs(export_xlsx.attributes, walk.attributes)
        with h5py.File(FILES["sweep2"], "r") as f:
            self.assertEqual(walk.tables(f), ["/sweeps/ae-headcount/points", "/sweeps/ae-headcount/replications"])
            ds = f["sweeps/ae-headcount/replications"]
            whole = table(f, "sweeps/ae-headcount/replications")
            parts = list(walk.table_slices(ds, 7))
            self.assertEqual([len(p) for p in parts][:-1], [7] * (len(parts) - 1))
            pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)
            mid = pd.concat(list(walk.table_slices(ds, 4, 5, 12)), ignore_index=True)
            pd.testing.assert_frame_equal(mid, whole.iloc[5:12].reset_index(drop=True))


class IndexPage(unittest.TestCase):
    """scripts/report_index.py: one page across reports (the workshop demos) and its
    presentation; the chosen chart, a missing report as a note, bad arguments."""

    def run_index(self, *args, process=False):
        return run_script("report_index", *args, process=process)

    def test_index_across_reports(self):
        top = os.path.join(TMP, "index-top")
        os.makedirs(top)
        # a report of sweep1 (the one Html.test_sweep_reports checks) as a demo's folder
        shutil.copytree(Html.build(self, "sweep1")[0], os.path.join(top, "one"))
        r = self.run_index("-o", top, "--title", "Demos & <tests>", "--demo", "one", "1 one sweep", "against utilisation",
                           "--demo", "missing", "2 never run", process=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), [os.path.join(top, "present.html"), os.path.join(top, "index.html")])
        with open(os.path.join(top, "index.html"), encoding="utf-8") as fh:
            page = fh.read()
        self.assertIn("<title>Demos &amp; &lt;tests&gt;</title>", page)
        self.assertIn('href="one/index.html"', page)
        self.assertIn('href="one/present.html"', page)
        self.assertIn('<img src="one/sweep-one-kingman.png" alt="Lead time against utilisation">', page)
        self.assertIn("No report in missing/", page)
        self.assertIn('<p class="answer">Best point on lead time, mean', page)
        with open(os.path.join(top, "present.html"), encoding="utf-8") as fh:
            pres = fh.read()
        self.assertEqual(pres.count('<section class="slide'), 2)
        self.assertIn("<h2>1 one sweep: Lead time against utilisation</h2>", pres)
        self.assertIn('href="one/present.html"', pres)
        p = SvgText()
        p.feed(pres)
        self.assertGreater(len(p.texts), 10)
        # without a chart given: the report's first chart
        r = self.run_index("-o", top, "--demo", "one", "1 one sweep")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(top, "index.html"), encoding="utf-8") as fh:
            self.assertIn('<img src="one/decision-one-best.png"', fh.read())

    def test_foreign_report_page(self):
        # A report folder whose index.html is not text ended in a UnicodeDecodeError
        # traceback (exit 1); the index already there must stay as it was.
        top = os.path.join(TMP, "index-foreign")
        os.makedirs(os.path.join(top, "bad"), exist_ok=True)
        with open(os.path.join(top, "bad", "index.html"), "wb") as fh:
            fh.write(b"\x00\xff\xfe not a page")
        with open(os.path.join(top, "index.html"), "w") as fh:
            fh.write("keep me")
        r = self.run_index("-o", top, "--demo", "bad", "t")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.strip(), f"report_index.py: {os.path.join(top, 'bad', 'index.html')}: not UTF-8 text "
                                           "(byte 0xff at offset 1): not a page of report.py")
        with open(os.path.join(top, "index.html")) as fh:
            self.assertEqual(fh.read(), "keep me")
        self.assertFalse([fn for fn in os.listdir(top) if ".tmp-" in fn])

    def test_bad_arguments(self):
        for args in ((), ("--demo", "x"), ("--demo", "a", "b", "c", "d"), ("--demo", "../x", "t"),
                     ("--demo", "/abs", "t")):
            r = self.run_index("-o", TMP, *args, process=not args)  # the first as a process: argparse's exit 2
            self.assertEqual(r.returncode, 2, args)
            self.assertTrue(r.stderr.startswith("report_index.py: ") or "usage" in r.stderr, r.stderr)
        r = self.run_index("-o", os.path.join(TMP, "no-such-folder"), "--demo", "x", "t")
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a folder", r.stderr)


class ExportXlsx(unittest.TestCase):
    def test_one_sheet_per_table_with_units(self):
        import openpyxl
        out = os.path.join(TMP, "book.xlsx")
        r = run_script("export_xlsx", FILES["sweep2"], "-o", out, process=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split("\n")[:-1], ["ae-headcount points", "ae-headcount replications", "attributes"])
        wb = openpyxl.load_workbook(out, read_only=True)
        ws = wb["ae-headcount points"]
        rows = list(ws.iter_rows(values_only=True))
        with h5py.File(FILES["sweep2"], "r") as f:
            pts = table(f, "sweeps/ae-headcount/points")
        self.assertEqual(list(rows[0]), list(pts.columns))
        units_ = dict(zip(rows[0], rows[1]))
        self.assertEqual(units_["lead_time_mean_h"], "hours")
        self.assertEqual(units_["wins"], "count per run")
        self.assertEqual(units_["role.ae.utilisation"], "share 0-1")
        self.assertEqual(units_["roles.ae.headcount"], "-")
        self.assertEqual(len(rows) - 2, len(pts))
        np.testing.assert_allclose([r[list(pts.columns).index("wins")] for r in rows[2:]], pts["wins"].to_numpy(), rtol=1e-14)
        self.assertFalse([fn for fn in os.listdir(TMP) if fn.startswith(".book.xlsx.tmp")])
        r = run_script("export_xlsx", os.path.join(TMP, "none.h5"), "-o", out)
        self.assertEqual(r.returncode, 2)

    def test_targets_never_replaced(self):
        # The workbook replaced a FIFO, a write-protected file, a device (/dev/null as
        # root) and the results file it read; a FIFO among the CSV files blocked for ever.
        d = os.path.join(TMP, "export-targets")
        os.makedirs(d, exist_ok=True)
        fifo = os.path.join(d, "fifo")
        os.mkfifo(fifo)
        ro = os.path.join(d, "ro.xlsx")
        with open(ro, "w") as fh:
            fh.write("earlier")
        os.chmod(ro, 0o444)
        src = os.path.join(d, "in.h5")
        shutil.copy(FILES["sweep2"], src)
        dev = os.path.join(d, "null")
        try:
            os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except OSError:
            dev = None

        def xlsx(target):
            # A FIFO as a process, with a timeout: opening it for writing would block for ever.
            return run_script("export_xlsx", src, "-o", target, process=target == fifo)
        cases = [(fifo, "is a FIFO, not a regular file: refusing to replace it"),
                 (ro, "is write-protected: refusing to replace it (remove it or make it writable first)"),
                 (src, f"is the results file being read ({src}): refusing to overwrite it")]
        if dev:
            cases.append((dev, "is a character device, not a regular file: refusing to replace it"))
        for target, message in cases:
            r = xlsx(target)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertEqual(r.stderr.strip(), f"export_xlsx.py: -o {target}: {message}")
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        with open(ro) as fh:
            self.assertEqual(fh.read(), "earlier")
        with h5py.File(src, "r") as f:
            self.assertIn("sweeps", f)
        if dev:
            self.assertTrue(stat.S_ISCHR(os.stat(dev).st_mode))
        # A new workbook gets the umask's mode, not mkstemp's 0600.
        mask = os.umask(0)
        os.umask(mask)
        new = os.path.join(d, "new.xlsx")
        self.assertEqual(xlsx(new).returncode, 0)
        self.assertEqual(stat.S_IMODE(os.stat(new).st_mode), 0o666 & ~mask)
        # export_csv.py: a FIFO where a CSV goes, and -o naming a file.
        csvdir = os.path.join(d, "csv")
        os.makedirs(csvdir)
        os.mkfifo(os.path.join(csvdir, "attributes.csv"))
        r = subprocess.run([sys.executable, os.path.join(SCRIPTS, "export_csv.py"), src, "-o", csvdir],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.strip(), f"export_csv.py: -o {csvdir}: attributes.csv is a FIFO, not a regular "
                                           "file: refusing to replace it")
        self.assertEqual(os.listdir(csvdir), ["attributes.csv"])
        r = run_script("export_csv", src, "-o", ro)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.strip(), f"export_csv.py: -o {ro}: exists and is not a folder")


if __name__ == "__main__":
    unittest.main(verbosity=2)
