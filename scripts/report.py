#!/usr/bin/python3
"""Charts and an HTML page from a salesflow results file.

usage: report.py RESULTS.h5 -o DIR [--metric M] [--x PATH] [--y PATH] [--replication R]

Writes PNG charts and DIR/index.html, a self-contained page (inline CSS, no JavaScript,
no web fonts, only relative links to the PNGs next to it) that opens offline:

- every comparison under /comparisons: the paired differences against the baseline, as
  a dot-and-whisker chart of relative changes with their 95% intervals, and the table;
- every run under /runs: the summary with 95% intervals, a cumulative flow diagram,
  WIP and throughput over time, the lead-time distribution with p50/p85/p95, the outcome
  funnel and the utilisation of each role split by kind of work;
- every sweep under /sweeps: one metric (--metric, default lead_time_mean_h) against a
  parameter with 95% bands, a heat map over two parameters, and role utilisation against
  lead time across the points (Kingman's "hockey stick").

Charts whose data the file lacks (no `series`, no `leads`, ...) are skipped with a note.

The numbers behind each chart come from plain functions that return pandas DataFrames or
dicts (`cfd_data`, `wip_throughput_data`, `leadtime_data`, `funnel_data`,
`utilisation_data`, `summary_data`, `comparison_data`, `sweep_band_data`,
`sweep_heatmap_data`, `kingman_data`); the `plot_*` functions only draw them. Needs only
Debian's python3 with h5py, numpy, pandas and matplotlib. See docs/report.md.
"""
import argparse
import html
import math
import os
import re
import sys

import h5py
import numpy as np
import pandas as pd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0
DEFAULT_SWEEP_METRIC = "lead_time_mean_h"

# --------------------------------------------------------------------------------------
# Student-t quantiles without scipy
#
# t_quantile(p, df) inverts the Student-t distribution function
#     F(t) = 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2        (t >= 0)
# where I_x(a, b) is the regularised incomplete beta function, evaluated with its
# continued fraction (modified Lentz method, as in Numerical Recipes, "betacf") and
# math.lgamma. The quantile is found by bisection on F to ~1e-12, which is plenty for
# interval bands; e.g. t_quantile(0.975, 1) = 12.7062, (0.975, 2) = 4.30265,
# (0.975, 9) = 2.26216, (0.975, 19) = 2.09302, and it tends to 1.95996 as df grows.
# --------------------------------------------------------------------------------------


def _betacf(a, b, x):
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc_reg(a, b, x):
    """Regularised incomplete beta function I_x(a, b), 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    """Distribution function of Student's t with df degrees of freedom."""
    tail = 0.5 * betainc_reg(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p, df):
    """Quantile of Student's t (p in (0, 1), df > 0), by bisection on t_cdf."""
    if not 0.0 < p < 1.0 or not df > 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        lo, hi = hi, hi * 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


def mean_interval(values, level=0.95):
    """(mean, sd, n, ci_low, ci_high): the two-sided Student-t interval of the mean."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return (math.nan, math.nan, 0, math.nan, math.nan)
    m = float(v.mean())
    if n < 2:
        return (m, math.nan, n, math.nan, math.nan)
    sd = float(v.std(ddof=1))
    half = t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)
    return (m, sd, n, m - half, m + half)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def text(x):
    """An attribute or cell as str (h5py gives bytes for text columns)."""
    if isinstance(x, bytes):
        return x.decode("utf-8")
    if isinstance(x, np.ndarray) and x.shape == ():
        return text(x[()])
    return str(x)


def text_list(x):
    if x is None:
        return []
    return [text(v) for v in np.atleast_1d(x)]


def decode_frame(df):
    """Decodes every bytes column of a DataFrame to str, in place; returns it."""
    for c in df.columns:
        if df[c].dtype == object or df[c].dtype.kind == "S":
            df[c] = [v.decode("utf-8") if isinstance(v, bytes) else v for v in df[c]]
    return df


def read_table(f, path):
    """A table (one-dimensional compound dataset) as a DataFrame with text decoded."""
    return decode_frame(pd.DataFrame(f[path][:]))


def has_table(f, path):
    return path in f and isinstance(f[path], h5py.Dataset) and f[path].dtype.names is not None


def run_names(f):
    return list(f["runs"].keys()) if "runs" in f else []


def comparison_names(f):
    return [k for k, v in f["comparisons"].items() if isinstance(v, h5py.Dataset)] if "comparisons" in f else []


def sweep_names(f):
    return [k for k, v in f["sweeps"].items() if isinstance(v, h5py.Group)] if "sweeps" in f else []


def run_attrs(f, run):
    a = f["runs"][run].attrs
    out = {k: a[k] for k in a}
    for k in ("sources", "stages", "roles"):
        out[k] = text_list(a.get(k))
    for k in ("scenario_yaml",):
        if k in out:
            out[k] = text(out[k])
    return out


def run_stages(f, run):
    """Stage names in scenario order (attribute, or from the metric names)."""
    st = text_list(f["runs"][run].attrs.get("stages"))
    if st:
        return st
    names = summary_frame(f, run)["metric"]
    seen = []
    for m in names:
        g = re.match(r"^stage\.(.+)\.visits$", m)
        if g and g.group(1) not in seen:
            seen.append(g.group(1))
    return seen


def run_roles(f, run):
    rl = text_list(f["runs"][run].attrs.get("roles"))
    if rl:
        return rl
    return roles_from_columns(summary_frame(f, run)["metric"])


def roles_from_columns(names):
    out = []
    for m in names:
        g = re.match(r"^role\.(.+)\.utilisation$", m)
        if g and g.group(1) not in out:
            out.append(g.group(1))
    return out


def summary_frame(f, run):
    return read_table(f, f"runs/{run}/summary")


def summary_dict(f, run):
    """metric -> row (mean, sd, ci_low, ci_high, n) of the run's summary table."""
    s = summary_frame(f, run)
    return {r["metric"]: r for _, r in s.iterrows()}


# --------------------------------------------------------------------------------------
# Metric labels and units, for readers who are not the modeller
# --------------------------------------------------------------------------------------

# name -> (label, unit, scale applied to the stored value)
_LABELS = {
    "leads_arrived": ("Leads arrived", "leads", 1.0),
    "leads_exited": ("Leads closed out (won, lost, disqualified or abandoned)", "leads", 1.0),
    "wins": ("Deals won", "deals", 1.0),
    "losses": ("Leads lost", "leads", 1.0),
    "disqualified": ("Leads disqualified", "leads", 1.0),
    "abandoned": ("Leads abandoned by the buyer", "leads", 1.0),
    "leads_open_at_end": ("Leads still open at the end", "leads", 1.0),
    "opportunities": ("Opportunities (passed qualification)", "leads", 1.0),
    "proposals": ("Proposals (reached the last stage)", "leads", 1.0),
    "revenue": ("Revenue won", "currency", 1.0),
    "cost": ("Cost of the team", "currency", 1.0),
    "productivity": ("Revenue per salesperson per year", "currency", 1.0),
    "cost_per_win": ("Cost per deal won", "currency", 1.0),
    "hit_rate": ("Hit rate (won / proposals)", "%", 100.0),
    "win_rate": ("Win rate (won / opportunities)", "%", 100.0),
    "flow_efficiency": ("Flow efficiency (working time / lead time)", "%", 100.0),
    "lead_time_mean_h": ("Lead time, mean", "days", 1.0 / HOURS_PER_DAY),
    "lead_time_p50_h": ("Lead time, median (50% close out within)", "days", 1.0 / HOURS_PER_DAY),
    "lead_time_p85_h": ("Lead time, 85th percentile", "days", 1.0 / HOURS_PER_DAY),
    "lead_time_p95_h": ("Lead time, 95th percentile", "days", 1.0 / HOURS_PER_DAY),
    "lead_time_won_mean_h": ("Lead time of won deals, mean", "days", 1.0 / HOURS_PER_DAY),
    "lead_time_won_p85_h": ("Lead time of won deals, 85th percentile", "days", 1.0 / HOURS_PER_DAY),
    "wip_mean": ("Work in progress, average", "leads", 1.0),
    "throughput_per_week": ("Throughput (leads closed out)", "leads per week", 1.0),
    "outbound_leads": ("Leads from prospecting", "leads", 1.0),
}
_STAGE_LABELS = {
    "wait_mean_h": ("average wait for a person", "days", 1.0 / HOURS_PER_DAY),
    "visits": ("visits", "visits", 1.0),
    "work_mean_h": ("working time per visit", "hours", 1.0),
    "queue_mean": ("leads waiting, average", "leads", 1.0),
    "wip_mean": ("leads in the stage, average", "leads", 1.0),
}
_ROLE_LABELS = {
    "utilisation": ("utilisation", "%", 100.0),
    "prospecting_share": ("share of time prospecting", "%", 100.0),
    "queue_mean": ("leads waiting for this role, average", "leads", 1.0),
}


def metric_label(name):
    """(label, unit, scale): e.g. lead_time_mean_h -> ("Lead time, mean", "days", 1/24)."""
    if name in _LABELS:
        return _LABELS[name]
    g = re.match(r"^stage\.(.+)\.([a-z_0-9]+)$", name)
    if g and g.group(2) in _STAGE_LABELS:
        lab, unit, sc = _STAGE_LABELS[g.group(2)]
        return (f"Stage {g.group(1)}: {lab}", unit, sc)
    g = re.match(r"^role\.(.+)\.([a-z_0-9]+)$", name)
    if g and g.group(2) in _ROLE_LABELS:
        lab, unit, sc = _ROLE_LABELS[g.group(2)]
        return (f"Role {g.group(1)}: {lab}", unit, sc)
    if name.endswith("_h"):
        return (name, "hours", 1.0)
    return (name, "", 1.0)


_PATH_LABELS = [
    (r"^roles\.(.+)\.headcount$", "Headcount of {} (people)"),
    (r"^roles\.(.+)\.wip_limit$", "WIP limit per {} (deals)"),
    (r"^roles\.(.+)\.availability$", "Availability of {} (share of working time)"),
    (r"^roles\.(.+)\.cost_per_year$", "Cost per {} per year"),
    (r"^stages\.(.+)\.advance$", "Share of leads advancing from {}"),
    (r"^sources\.(.+)\.arrivals$", "Arrivals of {} leads"),
]


def path_label(path, sep=" "):
    """A sweep PATH for people: roles.ae.headcount -> "Headcount of ae (people) [roles.ae.headcount]"."""
    for pat, lab in _PATH_LABELS:
        g = re.match(pat, path)
        if g:
            return f"{lab.format(g.group(1))}{sep}[{path}]"
    return path


def axis_label(name):
    lab, unit, _ = metric_label(name)
    return f"{lab} ({unit})" if unit else lab


# Which way is better, for colouring the paired differences: +1 higher is better,
# -1 lower is better, 0 no verdict.
_DIRECTION = {
    "wins": 1, "revenue": 1, "hit_rate": 1, "win_rate": 1, "productivity": 1,
    "throughput_per_week": 1, "flow_efficiency": 1, "opportunities": 1, "proposals": 1,
    "cost": -1, "cost_per_win": -1, "lead_time_mean_h": -1, "lead_time_won_mean_h": -1,
    "lead_time_won_p85_h": -1, "lead_time_p50_h": -1, "lead_time_p85_h": -1,
    "lead_time_p95_h": -1, "abandoned": -1, "losses": -1,
}

HEADLINE = ["leads_arrived", "wins", "hit_rate", "win_rate", "revenue", "productivity", "cost",
            "cost_per_win", "lead_time_mean_h", "lead_time_p50_h", "lead_time_p85_h", "lead_time_p95_h",
            "lead_time_won_mean_h", "wip_mean", "throughput_per_week", "flow_efficiency", "disqualified",
            "abandoned", "losses", "leads_open_at_end"]

# Metrics named by the models (results-core.md and MetricCatalog), used to tell a sweep's
# PATH columns from its metric columns.
_KNOWN_METRICS = set(HEADLINE) | set(_LABELS)
_METRIC_RE = re.compile(r"^(stage\.(.+)\.(wait_mean_h|visits|work_mean_h|queue_mean|wip_mean)"
                        r"|role\.(.+)\.(utilisation|prospecting_share|queue_mean))$")


def is_metric_name(c):
    return c in _KNOWN_METRICS or bool(_METRIC_RE.match(c))


def fmt(v):
    """A number for people: thousands separators, about three significant digits."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(v):
        return "n/a"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    if a == 0:
        return "0"
    return f"{v:.3g}"


def fmt_param(v):
    """A parameter value as written in a sweep file: 4 not 4.00, 0.35 not 0.350."""
    if isinstance(v, (bytes, str)):
        return text(v)
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.6g}"


def fmt_signed(v):
    s = fmt(v)
    return s if s.startswith("-") or s == "n/a" or s == "0" else "+" + s


# --------------------------------------------------------------------------------------
# Data behind the charts: plain functions, no plotting
# --------------------------------------------------------------------------------------


def summary_data(f, run, metrics=None):
    """The run's summary for the given metrics (default: the headline ones present, then
    the roles' utilisation), with labels and display units.

    Columns: metric, label, unit, mean, ci_low, ci_high, sd, n (stored units), and
    mean_disp, ci_low_disp, ci_high_disp (scaled to `unit`, e.g. hours -> days)."""
    s = summary_frame(f, run).set_index("metric")
    if metrics is None:
        metrics = [m for m in HEADLINE if m in s.index]
        metrics += [f"role.{r}.utilisation" for r in run_roles(f, run) if f"role.{r}.utilisation" in s.index]
    rows = []
    for m in metrics:
        if m not in s.index:
            continue
        r = s.loc[m]
        lab, unit, sc = metric_label(m)
        rows.append({"metric": m, "label": lab, "unit": unit, "mean": r["mean"], "ci_low": r["ci_low"],
                     "ci_high": r["ci_high"], "sd": r["sd"], "n": int(r["n"]), "mean_disp": r["mean"] * sc,
                     "ci_low_disp": r["ci_low"] * sc, "ci_high_disp": r["ci_high"] * sc})
    return pd.DataFrame(rows, columns=["metric", "label", "unit", "mean", "ci_low", "ci_high", "sd", "n",
                                       "mean_disp", "ci_low_disp", "ci_high_disp"])


def series_frame(f, run, replication=None):
    """The run's time series: one replication, or (replication=None) the mean over
    replications at each sample time. None when the file has no series."""
    path = f"runs/{run}/series"
    if not has_table(f, path):
        return None
    s = read_table(f, path)
    if len(s) == 0:
        return None
    if replication is not None:
        s = s[s["replication"] == replication].drop(columns=["replication"])
        if len(s) == 0:
            raise ValueError(f"run {run}: replication {replication} has no series rows")
        return s.sort_values("time_h").reset_index(drop=True)
    return s.drop(columns=["replication"]).groupby("time_h", as_index=False).mean()


def cfd_data(f, run, replication=None):
    """Cumulative flow diagram: cumulative arrivals at each stage over time.

    One row per sample time (replication `replication`, default the mean over
    replications at each time). Columns: time_h, time_w (weeks), arrivals_cum (leads
    arrived in the system), `stage.<s>.arrivals_cum` for every stage in scenario order
    (arrivals at the stage; a lead sent back to a stage counts again), wins_cum and
    exits_cum (leads closed out). The chart draws the curves top to bottom in
    `cfd_curves(stages)` order and fills between neighbours. None without series."""
    s = series_frame(f, run, replication)
    if s is None:
        return None
    out = pd.DataFrame({"time_h": s["time_h"], "time_w": s["time_h"] / HOURS_PER_WEEK,
                        "arrivals_cum": s["arrivals_cum"]})
    for st in run_stages(f, run):
        col = f"stage.{st}.arrivals_cum"
        out[col] = s[col] if col in s else np.nan
    out["wins_cum"] = s["wins_cum"]
    out["exits_cum"] = s["exits_cum"]
    return out.reset_index(drop=True)


def cfd_curves(stages):
    """(column, label) of the CFD curves, top to bottom."""
    return ([("arrivals_cum", "Arrived")] + [(f"stage.{st}.arrivals_cum", f"Reached {st}") for st in stages]
            + [("wins_cum", "Won")])


def wip_throughput_data(f, run, replication=None):
    """WIP and throughput over time (mean over replications unless one is given).

    Columns: time_h, time_w, wip (leads in the system), per stage `stage.<s>.wip`,
    and per sampling interval ending at time_h: exits_per_week and wins_per_week
    (increase of exits_cum / wins_cum over the interval, per 168 h; NaN for the first
    sample). None without series."""
    s = series_frame(f, run, replication)
    if s is None:
        return None
    out = pd.DataFrame({"time_h": s["time_h"], "time_w": s["time_h"] / HOURS_PER_WEEK, "wip": s["wip"]})
    for st in run_stages(f, run):
        col = f"stage.{st}.wip"
        if col in s:
            out[col] = s[col]
    dt = s["time_h"].diff()
    out["exits_per_week"] = s["exits_cum"].diff() / dt * HOURS_PER_WEEK
    out["wins_per_week"] = s["wins_cum"].diff() / dt * HOURS_PER_WEEK
    return out.reset_index(drop=True)


LEAD_OUTCOMES = ["won", "lost", "disqualified", "abandoned"]


def measured_exits(f, run):
    """The leads table restricted to the leads the metrics count: exited (not open) at or
    after the warm-up; with lead_time_h = exit_h - arrival_h. None without a leads table."""
    path = f"runs/{run}/leads"
    if not has_table(f, path):
        return None
    leads = read_table(f, path)
    warm = float(f["runs"][run].attrs.get("warmup_h", 0.0))
    ex = leads[(leads["outcome"] != "open") & (leads["exit_h"] >= warm)].copy()
    ex["lead_time_h"] = ex["exit_h"] - ex["arrival_h"]
    return ex.reset_index(drop=True)


def leadtime_data(f, run):
    """Lead-time distribution.

    From the leads table when present (source "leads"):
      lead_times: DataFrame(replication, outcome, lead_time_h, lead_time_d) of the
                  measured exits;
      per_replication: DataFrame(replication, p50_h, p85_h, p95_h), numpy percentiles
                  (linear interpolation) over each replication's measured exits, the
                  definition of the metrics lead_time_p50/85/95_h (0 for a replication
                  without measured exits, as the simulator reports);
    Always: marks: {"p50": hours, "p85": ..., "p95": ...}, the means over replications
    (from per_replication, or, without leads (source "metrics"), the summary means) and
    summary: the summary rows of lead_time_p50/p85/p95_h (mean, ci_low, ci_high).
    None when neither is in the file."""
    summ = summary_dict(f, run)
    keys = {"p50": "lead_time_p50_h", "p85": "lead_time_p85_h", "p95": "lead_time_p95_h"}
    summary = pd.DataFrame([{"mark": k, "metric": m, "mean": summ[m]["mean"], "ci_low": summ[m]["ci_low"],
                             "ci_high": summ[m]["ci_high"]} for k, m in keys.items() if m in summ])
    ex = measured_exits(f, run)
    if ex is not None:
        rows = []
        reps = read_table(f, f"runs/{run}/replications")["replication"] if has_table(
            f, f"runs/{run}/replications") else pd.Series(sorted(set(ex["replication"])))
        by_rep = {int(k): g["lead_time_h"].to_numpy() for k, g in ex.groupby("replication")}
        for rep in reps:
            lt = by_rep.get(int(rep), np.zeros(0))
            # a replication without measured exits has percentiles 0, as in the simulator
            q = np.percentile(lt, [50, 85, 95]) if len(lt) else np.zeros(3)
            rows.append({"replication": int(rep), "p50_h": float(q[0]), "p85_h": float(q[1]), "p95_h": float(q[2])})
        per = pd.DataFrame(rows, columns=["replication", "p50_h", "p85_h", "p95_h"])
        marks = {k: float(per[f"{k}_h"].mean()) for k in keys}
        lt = ex[["replication", "outcome", "lead_time_h"]].copy()
        lt["lead_time_d"] = lt["lead_time_h"] / HOURS_PER_DAY
        return {"source": "leads", "lead_times": lt, "per_replication": per, "marks": marks, "summary": summary}
    if len(summary) == 0:
        return None
    marks = {r["mark"]: float(r["mean"]) for _, r in summary.iterrows()}
    return {"source": "metrics", "lead_times": None, "per_replication": None, "marks": marks, "summary": summary}


FUNNEL_OUTCOMES = [("wins", "Won"), ("losses", "Lost"), ("disqualified", "Disqualified"),
                   ("abandoned", "Abandoned by the buyer"), ("leads_open_at_end", "Still open at the end")]
FUNNEL_STAGES = [("leads_arrived", "Leads arrived"), ("opportunities", "Opportunities (passed qualification)"),
                 ("proposals", "Proposals (reached the last stage)"), ("wins", "Deals won")]


def funnel_data(f, run):
    """What happened to the leads: {"outcomes": DataFrame(metric, label, mean, ci_low,
    ci_high) for won, lost, disqualified, abandoned, open (summary means per replication),
    "stages": the same for arrived -> opportunities -> proposals -> won, "arrived":
    the mean of leads_arrived, "outcomes_total": the sum of the outcome means}.
    With no warm-up, outcomes_total equals arrived."""
    summ = summary_dict(f, run)

    def frame(items):
        return pd.DataFrame([{"metric": m, "label": lab, "mean": float(summ[m]["mean"]),
                              "ci_low": float(summ[m]["ci_low"]), "ci_high": float(summ[m]["ci_high"])}
                             for m, lab in items if m in summ], columns=["metric", "label", "mean", "ci_low", "ci_high"])

    out = frame(FUNNEL_OUTCOMES)
    return {"outcomes": out, "stages": frame(FUNNEL_STAGES),
            "arrived": float(summ["leads_arrived"]["mean"]) if "leads_arrived" in summ else math.nan,
            "outcomes_total": float(out["mean"].sum())}


def utilisation_data(f, run):
    """Per role, the shares of the available hours (summary means):
    pipeline = utilisation - prospecting_share, prospecting = prospecting_share,
    idle = 1 - utilisation (each row sums to 1). Columns: role, utilisation, pipeline,
    prospecting, idle. Roles without a utilisation metric are left out."""
    summ = summary_dict(f, run)
    rows = []
    for r in run_roles(f, run):
        u = summ.get(f"role.{r}.utilisation")
        if u is None:
            continue
        u = float(u["mean"])
        p = summ.get(f"role.{r}.prospecting_share")
        p = float(p["mean"]) if p is not None else 0.0
        rows.append({"role": r, "utilisation": u, "pipeline": u - p, "prospecting": p, "idle": 1.0 - u})
    return pd.DataFrame(rows, columns=["role", "utilisation", "pipeline", "prospecting", "idle"])


COMPARISON_METRICS = ["wins", "revenue", "hit_rate", "win_rate", "productivity", "cost", "cost_per_win",
                      "lead_time_mean_h", "lead_time_p85_h", "lead_time_won_mean_h", "wip_mean",
                      "throughput_per_week", "flow_efficiency", "leads_arrived", "disqualified", "abandoned"]


def comparison_attrs(f, name):
    a = f["comparisons"][name].attrs
    return {"scenarios": text_list(a.get("scenarios")), "baseline": text(a["baseline"]) if "baseline" in a else None,
            "replications": int(a["replications"]) if "replications" in a else None,
            "seed": int(a["seed"]) if "seed" in a else None}


def comparison_data(f, name, metrics=None):
    """Paired differences of /comparisons/<name> against its baseline.

    One row per (metric, non-baseline scenario), metrics in `metrics` order (default:
    the headline metrics that every scenario has, then utilisation of roles that every
    scenario has). Columns: metric, label, unit, scale, scenario, baseline_mean, mean,
    ci_low, ci_high, diff, diff_ci_low, diff_ci_high, rel_change (as stored, percent of
    |baseline_mean|), rel_ci_low, rel_ci_high (the diff interval in the same percent;
    NaN when the baseline mean is 0), significant (the diff interval excludes 0) and
    verdict: "better", "worse" (significant, for metrics with a direction), "changed"
    (significant, no direction) or "no clear difference"."""
    t = read_table(f, f"comparisons/{name}")
    at = comparison_attrs(f, name)
    base = at["baseline"] or (t["scenario"].iloc[0] if len(t) else None)
    scenarios = at["scenarios"] or list(dict.fromkeys(t["scenario"]))
    others = [s for s in scenarios if s != base]
    present = t.groupby("metric")["scenario"].apply(set).to_dict()
    complete = [m for m in dict.fromkeys(t["metric"]) if present[m] >= set(scenarios)]
    if metrics is None:
        metrics = [m for m in COMPARISON_METRICS if m in complete]
        metrics += [m for m in complete if m.startswith("role.") and m.endswith(".utilisation")]
    rows = []
    idx = t.set_index(["metric", "scenario"])
    for m in metrics:
        if (m, base) not in idx.index:
            continue
        bmean = float(idx.loc[(m, base), "mean"])
        lab, unit, sc = metric_label(m)
        for s in others:
            if (m, s) not in idx.index:
                continue
            r = idx.loc[(m, s)]
            ref = abs(bmean)
            rel_lo = 100.0 * r["diff_ci_low"] / ref if ref > 0 else math.nan
            rel_hi = 100.0 * r["diff_ci_high"] / ref if ref > 0 else math.nan
            sig = bool(r["diff_ci_low"] > 0 or r["diff_ci_high"] < 0)
            d = _DIRECTION.get(m, 0)
            if not sig:
                verdict = "no clear difference"
            elif d == 0:
                verdict = "changed"
            else:
                verdict = "better" if (r["diff"] > 0) == (d > 0) else "worse"
            rows.append({"metric": m, "label": lab, "unit": unit, "scale": sc, "scenario": s, "baseline_mean": bmean,
                         "mean": float(r["mean"]), "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
                         "diff": float(r["diff"]), "diff_ci_low": float(r["diff_ci_low"]),
                         "diff_ci_high": float(r["diff_ci_high"]), "rel_change": float(r["rel_change"]),
                         "rel_ci_low": rel_lo, "rel_ci_high": rel_hi, "significant": sig, "verdict": verdict})
    cols = ["metric", "label", "unit", "scale", "scenario", "baseline_mean", "mean", "ci_low", "ci_high", "diff",
            "diff_ci_low", "diff_ci_high", "rel_change", "rel_ci_low", "rel_ci_high", "significant", "verdict"]
    return pd.DataFrame(rows, columns=cols)


# ---- sweeps ----------------------------------------------------------------------------


def _vary_keys(sweep_yaml):
    """The PATH keys of the `vary:` block of a sweep file (a small reader for that one
    block; no YAML library). [] when there is none."""
    keys, inside, indent = [], False, None
    for line in sweep_yaml.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped.strip():
            continue
        lead = len(stripped) - len(stripped.lstrip())
        if not inside:
            if re.match(r"^vary\s*:\s*$", stripped):
                inside = True
            continue
        if lead == 0:
            break
        if indent is None:
            indent = lead
        if lead == indent:
            g = re.match(r"^\s*([^:\s][^:]*?)\s*:", stripped)
            if g:
                keys.append(g.group(1).strip("'\""))
    return keys


def sweep_paths(f, name):
    """The varied PATH columns of a sweep, in table order. From the group's `paths`
    attribute when salesflow wrote one; else the `vary` keys of the sweep_yaml attribute
    (the layout of cli-core.md); else the columns of `points` other than `point` that are
    not metric names."""
    g = f["sweeps"][name]
    cols = list(g["points"].dtype.names)
    for keys in (text_list(g.attrs.get("paths")),
                 _vary_keys(text(g.attrs["sweep_yaml"])) if "sweep_yaml" in g.attrs else []):
        if keys and all(k in cols for k in keys):
            return [c for c in cols if c in keys]
    return [c for c in cols if c not in ("point", "replication") and not is_metric_name(c)]


def sweep_points(f, name):
    return read_table(f, f"sweeps/{name}/points")


def sweep_replications(f, name):
    path = f"sweeps/{name}/replications"
    return read_table(f, path) if has_table(f, path) else None


def _varying(df, paths):
    return [p for p in paths if df[p].nunique() > 1]


def sweep_band_data(f, name, metric=DEFAULT_SWEEP_METRIC, x=None):
    """The metric at every point with its 95% interval, from the replications table.

    Per point: mean, sd (sample), n, t = t_quantile(0.975, n - 1), half = t*sd/sqrt(n),
    ci_low/ci_high = mean -/+ half (NaN with one replication). Columns: point, every PATH
    column, mean, sd, n, t, ci_low, ci_high, and `group`: a text naming the values of the
    other varying paths (one line per group in the chart). `x` is the PATH on the x axis
    (default the first that varies); returned in attrs["x"]. When the file has no
    replications table, the points table's means are used and the intervals are NaN.
    Raises KeyError when the metric is not in the sweep."""
    pts = sweep_points(f, name)
    paths = sweep_paths(f, name)
    reps = sweep_replications(f, name)
    src = reps if reps is not None and metric in reps.columns else pts
    if metric not in src.columns:
        raise KeyError(metric)
    rows = []
    for p, g in src.groupby("point", sort=True):
        if src is reps:
            mean, sd, n, lo, hi = mean_interval(g[metric].to_numpy())
            t = t_quantile(0.975, n - 1) if n >= 2 else math.nan
        else:
            mean, sd, n, lo, hi, t = float(g[metric].iloc[0]), math.nan, 1, math.nan, math.nan, math.nan
        row = {"point": int(p)}
        first = pts[pts["point"] == p]
        for c in paths:
            row[c] = (first[c].iloc[0] if len(first) else g[c].iloc[0])
        row.update({"mean": mean, "sd": sd, "n": n, "t": t, "ci_low": lo, "ci_high": hi})
        rows.append(row)
    out = pd.DataFrame(rows)
    varying = _varying(out, paths) if len(out) else []
    xcol = x or (varying[0] if varying else (paths[0] if paths else None))
    if xcol is not None and xcol not in out.columns:
        raise KeyError(xcol)
    others = [p for p in varying if p != xcol]
    out["group"] = [", ".join(f"{p} = {fmt_param(r[p])}" for p in others) for _, r in out.iterrows()] if len(out) else []
    if xcol is not None:
        # Text values (a rate written as 6/w, a distribution) keep the sweep's own order:
        # sorted as text, 12/w would come before 6/w.
        order = _first_seen(out[xcol]) if len(out) else {}
        out = out.sort_values(["group", xcol], key=lambda c: c.map(order) if c.name == xcol and order else c)
        out = out.reset_index(drop=True)
    out.attrs["x"] = xcol
    out.attrs["metric"] = metric
    out.attrs["source"] = "replications" if src is reps else "points"
    return out


def _first_seen(col):
    """For a text column: each value's rank in order of first appearance (the sweep's
    point order); {} for a numeric column, which sorts by value."""
    if pd.api.types.is_numeric_dtype(col):
        return {}
    return {v: i for i, v in enumerate(dict.fromkeys(col))}


def sweep_heatmap_data(f, name, metric=DEFAULT_SWEEP_METRIC, x=None, y=None):
    """The metric's point means over two parameters: a DataFrame with the y PATH's values
    as index, the x PATH's values as columns (both sorted); attrs x, y, metric,
    averaged (other varying paths averaged over, [] for a two-parameter grid) and
    filled (share of the cells that have a value: 1 for a grid, low for designs such as
    a Latin hypercube, which the chart then draws as a scatter of the points). None when
    fewer than two paths vary."""
    pts = sweep_points(f, name)
    if metric not in pts.columns:
        raise KeyError(metric)
    paths = sweep_paths(f, name)
    varying = _varying(pts, paths)
    x = x or (varying[0] if varying else None)
    rest = [p for p in varying if p != x]
    y = y or (rest[0] if rest else None)
    if x is None or y is None or x == y:
        return None
    table = pts.pivot_table(index=y, columns=x, values=metric, aggfunc="mean").sort_index().sort_index(axis=1)
    for axis, col in ((0, y), (1, x)):  # text values in the sweep's own order, not alphabetical
        order = _first_seen(pts[col])
        if order:
            table = table.reindex(sorted(table.axes[axis], key=order.get), axis=axis)
    table.attrs.update({"x": x, "y": y, "metric": metric, "averaged": [p for p in varying if p not in (x, y)],
                        "filled": float(np.isfinite(table.to_numpy(dtype=float)).mean()) if table.size else 0.0,
                        "points": pts[[x, y, metric]].copy()})
    return table


def kingman_data(f, name):
    """Role utilisation against mean lead time across a sweep's points ("hockey stick").

    One row per (point, role): point, role, utilisation (point mean, 0..1),
    lead_time_h, lead_time_d (point mean of lead_time_mean_h), and lt_ci_low_d /
    lt_ci_high_d (its 95% interval from the replications table, NaN without it).
    None when the points table lacks lead_time_mean_h or any role utilisation."""
    pts = sweep_points(f, name)
    roles = roles_from_columns(pts.columns)
    if "lead_time_mean_h" not in pts.columns or not roles:
        return None
    reps = sweep_replications(f, name)
    ci = {}
    if reps is not None and "lead_time_mean_h" in reps.columns:
        for p, g in reps.groupby("point"):
            _, _, _, lo, hi = mean_interval(g["lead_time_mean_h"].to_numpy())
            ci[int(p)] = (lo, hi)
    rows = []
    for _, r in pts.iterrows():
        lo, hi = ci.get(int(r["point"]), (math.nan, math.nan))
        for role in roles:
            rows.append({"point": int(r["point"]), "role": role, "utilisation": float(r[f"role.{role}.utilisation"]),
                         "lead_time_h": float(r["lead_time_mean_h"]),
                         "lead_time_d": float(r["lead_time_mean_h"]) / HOURS_PER_DAY,
                         "lt_ci_low_d": lo / HOURS_PER_DAY, "lt_ci_high_d": hi / HOURS_PER_DAY})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Plotting: each takes the data above and writes one PNG
# --------------------------------------------------------------------------------------

PALETTE = ["#1f6fb4", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac"]
GOOD, BAD, NEUTRAL, CHANGED = "#2e7d32", "#c62828", "#8a8a8a", "#1f6fb4"


def _style():
    plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 110, "font.size": 10, "axes.titlesize": 12,
                         "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
                         "grid.alpha": 0.3, "legend.frameon": False})


def _save(fig, path):
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def _shade_warmup(ax, warmup_w):
    if warmup_w > 0:
        ax.axvspan(0, warmup_w, color="#000000", alpha=0.06, lw=0)
        ax.text(warmup_w / 2, 0.98, "warm-up\n(not measured)", transform=ax.get_xaxis_transform(),
                ha="center", va="top", fontsize=8, color="#555555")


def plot_cfd(data, stages, title, warmup_w, path):
    fig, ax = plt.subplots(figsize=(9, 5))
    curves = [(c, lab) for c, lab in cfd_curves(stages) if data[c].notna().all()]
    if len(curves) > 2 and np.allclose(data[curves[0][0]], data[curves[1][0]]):
        curves = curves[1:]  # every lead starts in the first stage: "Arrived" is that stage's line
    colours = (["#e0e0e0"] if curves[0][0] == "arrivals_cum" else []) + PALETTE[: len(stages)] + [GOOD]
    t = data["time_w"]
    for i, (c, lab) in enumerate(curves):
        lower = data[curves[i + 1][0]] if i + 1 < len(curves) else 0.0 * data[c]
        ax.fill_between(t, lower, data[c], color=colours[i], alpha=0.85, lw=0, label=lab)
        ax.plot(t, data[c], color="black" if i == 0 else colours[i], lw=1.0 if i == 0 else 0.6)
    ax.plot(t, data["exits_cum"], color="black", ls="--", lw=1.2, label="Closed out (won, lost, ...)")
    _shade_warmup(ax, warmup_w)
    ax.set_xlabel("Time (weeks)")
    ax.set_ylabel("Leads (cumulative since the start)")
    ax.set_title(title)
    ax.set_xlim(t.min(), t.max())
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    _save(fig, path)


def plot_wip_throughput(data, stages, title, warmup_w, path):
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True)
    cols = [f"stage.{s}.wip" for s in stages if f"stage.{s}.wip" in data]
    if cols:
        a1.stackplot(data["time_w"], *[data[c] for c in cols], labels=[f"In {c.split('.')[1]}" for c in cols],
                     colors=PALETTE[: len(cols)], alpha=0.85, lw=0)
    a1.plot(data["time_w"], data["wip"], color="black", lw=1.2, label="All leads in the system")
    a1.set_ylabel("Leads in progress")
    a1.set_title(title)
    h, lab = a1.get_legend_handles_labels()
    a1.legend(h[::-1], lab[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    a1.set_ylim(bottom=0)
    _shade_warmup(a1, warmup_w)
    a2.plot(data["time_w"], data["exits_per_week"], color=PALETTE[0], lw=1.5, label="Leads closed out")
    a2.plot(data["time_w"], data["wins_per_week"], color=GOOD, lw=1.5, label="Deals won")
    a2.set_ylabel("Leads per week")
    a2.set_xlabel("Time (weeks)")
    a2.set_ylim(bottom=0)
    a2.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    _shade_warmup(a2, warmup_w)
    a2.set_xlim(data["time_w"].min(), data["time_w"].max())
    _save(fig, path)


def plot_leadtime(data, title, path):
    fig, ax = plt.subplots(figsize=(9, 4.8))
    marks_d = {k: v / HOURS_PER_DAY for k, v in data["marks"].items()}
    names = {"p50": "50%", "p85": "85%", "p95": "95%"}
    if data["source"] == "leads":
        lt = data["lead_times"]
        hi = float(np.percentile(lt["lead_time_d"], 99.5)) if len(lt) else 1.0
        hi = max(hi, max(marks_d.values(), default=0.0)) * 1.05 or 1.0
        bins = np.linspace(0.0, hi, 41)
        outs = [o for o in LEAD_OUTCOMES if (lt["outcome"] == o).any()]
        colours = {"won": GOOD, "lost": "#e15759", "disqualified": "#9e9e9e", "abandoned": "#f28e2b"}
        nrep = max(1, lt["replication"].nunique())
        vals = [lt.loc[lt["outcome"] == o, "lead_time_d"].clip(upper=hi).to_numpy() for o in outs]
        weights = [np.full(len(v), 1.0 / nrep) for v in vals]
        ax.hist(vals, bins=bins, stacked=True, weights=weights, color=[colours[o] for o in outs],
                label=[o.capitalize() for o in outs])
        ax.set_ylabel("Leads per replication")
        ax.set_xlabel("Lead time, arrival to close-out (days)")
        ax.set_xlim(0, hi)
        for k, v in marks_d.items():
            ax.axvline(v, color="black", ls="--", lw=1)
            ax.text(v, 0.97, f" {names[k]} within\n {fmt(v)} days", transform=ax.get_xaxis_transform(),
                    va="top", ha="left", fontsize=8)
        ax.legend(loc="center right", fontsize=8)
    else:
        s = data["summary"]
        xs = np.arange(len(s))
        mean = s["mean"].to_numpy() / HOURS_PER_DAY
        err = np.vstack([mean - s["ci_low"].to_numpy() / HOURS_PER_DAY, s["ci_high"].to_numpy() / HOURS_PER_DAY - mean])
        ax.bar(xs, mean, color=PALETTE[0], yerr=err, capsize=6)
        ax.set_xticks(xs, [f"{names[m]} of leads\nclose out within" for m in s["mark"]])
        ax.set_ylabel("Lead time (days)")
        for x, v in zip(xs, mean):
            ax.text(x, v, f"{fmt(v)} d ", ha="right", va="bottom", fontsize=9)
    ax.set_title(title)
    _save(fig, path)


def plot_funnel(data, title, path):
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, df, colours, sub in (
            (a1, data["stages"], [PALETTE[0]] * 3 + [GOOD], "Through the funnel"),
            (a2, data["outcomes"], [GOOD, "#e15759", "#9e9e9e", "#f28e2b", PALETTE[0]], "How leads ended")):
        ys = np.arange(len(df))[::-1]
        err = np.vstack([df["mean"] - df["ci_low"], df["ci_high"] - df["mean"]])
        ax.barh(ys, df["mean"], color=colours[: len(df)], xerr=np.nan_to_num(err), capsize=4)
        ax.set_yticks(ys, df["label"])
        for y, v in zip(ys, df["mean"]):
            ax.text(v, y, f"  {fmt(v)}", va="center", ha="left", fontsize=9)
        ax.set_xlabel("Leads per replication (mean, 95% interval)")
        ax.set_title(sub)
        ax.set_xlim(0, max(1.0, float((df["ci_high"].fillna(df["mean"])).max())) * 1.2)
        ax.grid(axis="y", visible=False)
    fig.suptitle(title)
    _save(fig, path)


def plot_utilisation(data, title, path):
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.6 * len(data)))
    ys = np.arange(len(data))[::-1]
    left = np.zeros(len(data))
    for col, lab, c in (("pipeline", "Pipeline work (leads and deals)", PALETTE[0]),
                        ("prospecting", "Prospecting", PALETTE[1]), ("idle", "Idle", "#e0e0e0")):
        v = 100.0 * data[col].to_numpy()
        ax.barh(ys, v, left=left, color=c, label=lab)
        for y, l0, w in zip(ys, left, v):
            if w >= 6:
                ax.text(l0 + w / 2, y, f"{w:.0f}%", ha="center", va="center", fontsize=9,
                        color="white" if col != "idle" else "black")
        left = left + v
    ax.set_yticks(ys, data["role"])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of the hours available for sales work (%)")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(data) < 3 else -0.2), ncol=3, fontsize=8)
    ax.grid(axis="y", visible=False)
    _save(fig, path)


def _pct(v):
    if not math.isfinite(v):
        return "n/a"
    return f"{v:+.1f}" if abs(v) < 10 else f"{v:+.0f}"


def plot_comparison(data, baseline, title, path):
    scen = list(dict.fromkeys(data["scenario"]))
    d0 = data[np.isfinite(data["rel_change"])]
    metrics = list(dict.fromkeys(d0["metric"]))
    labels = [d0[d0["metric"] == m]["label"].iloc[0] for m in metrics]
    fig, axes = plt.subplots(1, len(scen), figsize=(5.5 * len(scen) + 4.5, 0.45 * len(metrics) + 2.0),
                             squeeze=False, sharey=True)
    colour = {"better": GOOD, "worse": BAD, "changed": CHANGED, "no clear difference": NEUTRAL}
    for ax, s in zip(axes[0], scen):
        ds = d0[d0["scenario"] == s].set_index("metric")
        ys = np.arange(len(metrics))[::-1]
        for y, m in zip(ys, metrics):
            if m not in ds.index:
                continue
            r = ds.loc[m]
            c = colour[r["verdict"]]
            lo, hi = r["rel_ci_low"], r["rel_ci_high"]
            ax.plot([lo, hi], [y, y], color=c, lw=2.5, solid_capstyle="butt")
            ax.plot([r["rel_change"]], [y], "o", color=c, ms=7)
            # the numbers in a column right of the plot, where they cannot hide a bar
            ax.annotate(f"{_pct(r['rel_change'])}%  [{_pct(lo)}, {_pct(hi)}]", (1.02, y),
                        xycoords=("axes fraction", "data"), va="center", ha="left", fontsize=8.5, color=c)
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(ys, labels)
        ax.set_ylim(-0.7, len(metrics) - 0.3)
        ax.set_xlabel(f"Change relative to {baseline} (%)")
        ax.set_title(f"{s} vs {baseline}", loc="left")
        ax.grid(axis="y", visible=False)
    handles = [plt.Line2D([], [], marker="o", color=c, lw=2, label=lab) for lab, c in (
        ("better", GOOD), ("worse", BAD), ("changed (neither better nor worse)", CHANGED),
        ("no clear difference (interval crosses 0)", NEUTRAL))]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.subplots_adjust(wspace=0.55)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


MAX_LINES = 8


def plot_sweep_band(data, title, path):
    x, metric = data.attrs["x"], data.attrs["metric"]
    _, _, sc = metric_label(metric)
    fig, ax = plt.subplots(figsize=(9, 5))
    groups = list(dict.fromkeys(data["group"]))
    if len(groups) > MAX_LINES:
        # not a small grid (e.g. a Latin hypercube): every point with its interval, no lines
        d = data.sort_values(x)
        err = np.vstack([d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]]) * sc
        ax.errorbar(d[x], d["mean"] * sc, yerr=np.nan_to_num(err), fmt="o", color=PALETTE[0], capsize=3, ms=4)
        groups = []
    for i, g in enumerate(groups):
        d = data[data["group"] == g]
        c = PALETTE[i % len(PALETTE)]
        ax.plot(d[x], d["mean"] * sc, "o-", color=c, label=g or None)
        if d["ci_low"].notna().any():
            ax.fill_between(d[x], d["ci_low"] * sc, d["ci_high"] * sc, color=c, alpha=0.2, lw=0)
    xs = data[x].drop_duplicates()
    if len(xs) <= 12 and pd.api.types.is_numeric_dtype(xs):
        ax.set_xticks(sorted(xs), [fmt_param(v) for v in sorted(xs)])
    ax.set_xlabel(path_label(x))
    ax.set_ylabel(axis_label(metric))
    ax.set_title(title)
    if any(groups):
        ax.legend(fontsize=8)
    _save(fig, path)


def plot_sweep_heatmap(table, title, path):
    metric = table.attrs["metric"]
    _, _, sc = metric_label(metric)
    if table.attrs.get("filled", 1.0) < 0.5:
        # the points do not form a grid: a scatter of the points coloured by the metric
        p = table.attrs["points"]
        fig, ax = plt.subplots(figsize=(8, 5.5))
        sc_ = ax.scatter(p[table.attrs["x"]], p[table.attrs["y"]], c=p[metric] * sc, cmap="viridis", s=60)
        fig.colorbar(sc_, ax=ax, label=axis_label(metric))
        ax.set_xlabel(path_label(table.attrs["x"]))
        ax.set_ylabel(path_label(table.attrs["y"], "\n"))
        ax.set_title(title)
        _save(fig, path)
        return
    v = table.to_numpy(dtype=float) * sc
    fig, ax = plt.subplots(figsize=(max(7.5, 1.1 * v.shape[1] + 3), max(3.8, 0.7 * v.shape[0] + 2)))
    im = ax.imshow(v, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(v.shape[1]), [fmt_param(c) for c in table.columns])
    ax.set_yticks(range(v.shape[0]), [fmt_param(c) for c in table.index])
    ax.set_xlabel(path_label(table.attrs["x"]))
    ax.set_ylabel(path_label(table.attrs["y"], "\n"))
    ax.grid(False)
    lo, hi = np.nanmin(v), np.nanmax(v)
    for i in range(v.shape[0]):
        for j in range(v.shape[1]):
            if np.isfinite(v[i, j]):
                dark = hi > lo and (v[i, j] - lo) / (hi - lo) < 0.6
                ax.text(j, i, fmt(v[i, j]), ha="center", va="center", fontsize=9, color="white" if dark else "black")
    fig.colorbar(im, ax=ax, label=axis_label(metric))
    ax.set_title(title)
    _save(fig, path)


def plot_kingman(data, title, path):
    fig, ax = plt.subplots(figsize=(9, 5))
    for i, (role, d) in enumerate(data.groupby("role", sort=False)):
        d = d.sort_values("utilisation")
        c = PALETTE[i % len(PALETTE)]
        err = np.vstack([d["lead_time_d"] - d["lt_ci_low_d"], d["lt_ci_high_d"] - d["lead_time_d"]])
        ax.errorbar(100 * d["utilisation"], d["lead_time_d"], yerr=np.nan_to_num(err), fmt="o", color=c, capsize=3,
                    label=role)
    ax.set_xlabel("Utilisation of the role (%)")
    ax.set_ylabel("Lead time, mean (days)")
    ax.set_xlim(left=max(0.0, ax.get_xlim()[0]))
    ax.set_title(title)
    ax.legend(title="Role", fontsize=8)
    _save(fig, path)


# --------------------------------------------------------------------------------------
# The HTML page
# --------------------------------------------------------------------------------------

CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
h3 { margin-top: 1.6em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .92em; }
th, td { padding: .25em .7em; border-bottom: 1px solid #e3e3e3; text-align: right; }
th { background: #f4f4f4; } td.l, th.l { text-align: left; }
tr.first td { border-top: 2px solid #ccc; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: .9em; color: #444; max-width: 900px; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: .4em .8em; margin: .8em 0; }
.meta { color: #555; font-size: .92em; }
.better { color: #2e7d32; font-weight: 600; } .worse { color: #c62828; font-weight: 600; }
.changed { color: #1f6fb4; } .nodiff { color: #777; }
pre { background: #f7f7f7; padding: .8em; overflow-x: auto; font-size: .85em; }
details { margin: .8em 0; } summary { cursor: pointer; color: #1f4f8b; }
"""


def _esc(s):
    return html.escape(str(s), quote=True)


def slug(s):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s).strip("._") or "x"


class Page:
    def __init__(self, title):
        self.title = title
        self.parts = []
        self.toc = []

    def add(self, s):
        self.parts.append(s)

    def h2(self, text_, anchor):
        self.toc.append((anchor, text_))
        self.add(f'<h2 id="{_esc(anchor)}">{_esc(text_)}</h2>')

    def note(self, s):
        self.add(f'<p class="note">{_esc(s)}</p>')

    def figure(self, src, alt, caption):
        self.add(f'<figure><img src="{_esc(src)}" alt="{_esc(alt)}"><figcaption>{caption}</figcaption></figure>')

    def render(self):
        toc = "".join(f'<li><a href="#{_esc(a)}">{_esc(t)}</a></li>' for a, t in self.toc)
        return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                f"<title>{_esc(self.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
                f"<h1>{_esc(self.title)}</h1>\n" + self.parts[0] + f"\n<ul>{toc}</ul>\n"
                + "\n".join(self.parts[1:]) + "\n</body>\n</html>\n")


def _table(headers, rows, left=1):
    """rows: lists of already-escaped cell html; the first `left` columns left-aligned."""
    th = "".join(f'<th class="l">{_esc(h)}</th>' if i < left else f"<th>{_esc(h)}</th>" for i, h in enumerate(headers))
    body = []
    for r in rows:
        cls = ""
        if isinstance(r, tuple):
            cls, r = r
        tds = "".join(f'<td class="l">{c}</td>' if i < left else f"<td>{c}</td>" for i, c in enumerate(r))
        body.append(f'<tr class="{cls}">{tds}</tr>' if cls else f"<tr>{tds}</tr>")
    return f"<table><thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _interval(lo, hi):
    return f"[{fmt(lo)}, {fmt(hi)}]"


def _description(yaml_text):
    for line in yaml_text.splitlines():
        g = re.match(r"^description:\s*(.*)$", line)
        if g:
            return g.group(1).strip().strip("'\"")
    return ""


VERDICT_CLASS = {"better": "better", "worse": "worse", "changed": "changed", "no clear difference": "nodiff"}


def report_comparison(f, name, page, outdir, files):
    at = comparison_attrs(f, name)
    base = at["baseline"]
    page.h2(f"Comparison: {' vs '.join(at['scenarios']) or name}", f"cmp-{slug(name)}")
    page.add(f'<p class="meta">Baseline: <b>{_esc(base)}</b>. {at["replications"]} paired replications '
             f"per scenario (seed {at['seed']}): every scenario faces the same leads (common random numbers), "
             "so each difference is measured replication by replication and its 95% interval is the interval "
             "of the paired difference.</p>")
    data = comparison_data(f, name)
    if len(data) == 0:
        page.note("No metric is shared by all the scenarios of this comparison; nothing to chart.")
        return
    png = f"compare-{slug(name)}.png"
    plot_comparison(data, base, "Paired differences with 95% intervals", os.path.join(outdir, png))
    files.append(png)
    skipped = sorted(set(data.loc[~np.isfinite(data["rel_change"]), "label"]))
    page.figure(png, "Paired differences against the baseline",
                "Each dot is the average change of a metric against the baseline, in percent of the baseline's "
                "value; the bar is its 95% interval. A bar that does not cross the zero line is a difference "
                "the simulation resolves clearly; green means better for the business, red worse (for lead "
                "times and cost lower is better), blue a clear change with no better or worse, grey no clear "
                "difference." + (f" Not charted (the baseline is 0, so no percent): {_esc(', '.join(skipped))}."
                                 if skipped else ""))
    rows = []
    t = read_table(f, f"comparisons/{name}").set_index(["metric", "scenario"])
    for m in dict.fromkeys(data["metric"]):
        d = data[data["metric"] == m]
        lab, unit, sc = metric_label(m)
        first = True
        if (m, base) in t.index:
            b = t.loc[(m, base)]
            rows.append(("first", [_esc(lab), _esc(unit), _esc(base), fmt(b["mean"] * sc),
                                   _interval(b["ci_low"] * sc, b["ci_high"] * sc), "baseline", "", ""]))
            first = False
        for _, r in d.iterrows():
            cls = VERDICT_CLASS[r["verdict"]]
            rel = f"{r['rel_change']:+.1f}%" if math.isfinite(r["rel_change"]) else "n/a"
            rows.append(("first" if first else "", [
                _esc(lab) if first else "", _esc(unit) if first else "", _esc(r["scenario"]), fmt(r["mean"] * sc),
                _interval(r["ci_low"] * sc, r["ci_high"] * sc),
                f'<span class="{cls}">{fmt_signed(r["diff"] * sc)}</span>',
                _interval(r["diff_ci_low"] * sc, r["diff_ci_high"] * sc), f'<span class="{cls}">{rel}</span>']))
            first = False
    page.add("<h3>Headline metrics</h3>")
    page.add(_table(["Metric", "Unit", "Scenario", "Mean", "95% interval", "Difference", "95% interval",
                     "Relative change"], rows, left=3))
    full = read_table(f, f"comparisons/{name}")
    page.add("<details><summary>Every metric (stored units: hours, fractions)</summary>" + _table(
        ["metric", "scenario", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high", "rel_change %"],
        [[_esc(r["metric"]), _esc(r["scenario"])] + [fmt(r[c]) for c in (
            "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high", "rel_change")]
         for _, r in full.iterrows()], left=2) + "</details>")


def report_run(f, run, page, outdir, files, replication=None):
    at = run_attrs(f, run)
    stages, roles = run_stages(f, run), run_roles(f, run)
    page.h2(f"Scenario: {run}", f"run-{slug(run)}")
    desc = _description(at.get("scenario_yaml", ""))
    if desc:
        page.add(f"<p><i>{_esc(desc)}</i></p>")
    horizon_w = float(at.get("horizon_h", math.nan)) / HOURS_PER_WEEK
    warm_w = float(at.get("warmup_h", 0.0)) / HOURS_PER_WEEK
    page.add(f'<p class="meta">{int(at.get("replications", 0))} replications of {fmt_param(round(horizon_w, 2))} weeks each, '
             f"the first {fmt_param(round(warm_w, 2))} weeks a warm-up that is not measured; seed {at.get('seed', '?')}. "
             f"Stages: {_esc(', '.join(stages))}. Roles: {_esc(', '.join(roles))}.</p>")
    base = f"run-{slug(run)}"
    # summary
    s = summary_data(f, run)
    page.add("<h3>Summary</h3>")
    page.add("<p>Averages over the replications of the measured period, with 95% intervals: the range that "
             "holds the long-run average with 95% confidence, given the randomness simulated.</p>")
    page.add(_table(["Metric", "Unit", "Mean", "95% interval"],
                    [[_esc(r["label"]), _esc(r["unit"]), fmt(r["mean_disp"]), _interval(r["ci_low_disp"], r["ci_high_disp"])]
                     for _, r in s.iterrows()], left=2))
    full = summary_frame(f, run)
    page.add("<details><summary>Every metric (stored units: hours, fractions)</summary>" + _table(
        ["metric", "mean", "sd", "ci_low", "ci_high", "n"],
        [[_esc(r["metric"])] + [fmt(r[c]) for c in ("mean", "sd", "ci_low", "ci_high")] + [str(int(r["n"]))]
         for _, r in full.iterrows()]) + "</details>")
    which = "the mean over replications" if replication is None else f"replication {replication}"
    # CFD and WIP/throughput
    page.add("<h3>Flow over time</h3>")
    cfd = cfd_data(f, run, replication)
    if cfd is None:
        page.note("No time series in this file (the scenario's simulation.sample_every is 0 or the model "
                  "sampled nothing): the cumulative flow diagram and the WIP and throughput chart are skipped.")
    else:
        png = f"{base}-cfd.png"
        plot_cfd(cfd, stages, f"Cumulative flow: {run} ({which})", warm_w, os.path.join(outdir, png))
        files.append(png)
        page.figure(png, f"Cumulative flow diagram of {run}",
                    "Cumulative flow diagram. Each line counts, since the start, the leads that arrived, "
                    "that reached each stage, and that were won (bottom, green). The band under a "
                    "stage's line holds the leads that reached that stage but not the next: still in it, or "
                    "ended there (lost, disqualified, abandoned); its thickness shows how much of the funnel "
                    "stops there. The slope of a line is the rate per week into that stage. The dashed line "
                    "counts the leads closed out: its vertical distance below the top line is the work in "
                    "progress, and its horizontal distance is roughly the time a lead spends in the pipeline.")
        wt = wip_throughput_data(f, run, replication)
        png = f"{base}-wip-throughput.png"
        plot_wip_throughput(wt, stages, f"Work in progress and throughput: {run} ({which})", warm_w,
                            os.path.join(outdir, png))
        files.append(png)
        page.figure(png, f"WIP and throughput of {run}",
                    "Top: leads in progress at each moment, stacked by stage (the black line is the total). "
                    "Bottom: leads closed out and deals won per week. By Little's law, average lead time = "
                    "average WIP / throughput: the same throughput with less WIP means faster deals.")
    # lead time
    page.add("<h3>Lead time</h3>")
    lt = leadtime_data(f, run)
    if lt is None:
        page.note("Neither per-lead records nor lead-time percentiles are in this file: lead-time chart skipped.")
    else:
        png = f"{base}-leadtime.png"
        plot_leadtime(lt, f"Lead time from arrival to close-out: {run}", os.path.join(outdir, png))
        files.append(png)
        if lt["source"] == "leads":
            cap = ("How long leads take from arrival to being won, lost, disqualified or abandoned (leads closed "
                   "out in the measured period, all replications, as leads per replication; the longest 0.5% "
                   "are gathered in the last bar). The dashed lines mark the lead time within which 50%, 85% "
                   "and 95% of leads close out (averaged over replications): a promise such as \"85% of deals "
                   "decided within N days\" reads straight off the 85% line.")
        else:
            cap = ("Lead time within which 50%, 85% and 95% of leads close out, with 95% intervals.")
            page.note("No per-lead records in this file (run salesflow with --leads to keep them): the full "
                      "lead-time distribution is skipped; the chart shows the percentiles only.")
        page.figure(png, f"Lead-time distribution of {run}", cap)
    # funnel
    page.add("<h3>Funnel and outcomes</h3>")
    fd = funnel_data(f, run)
    if len(fd["outcomes"]) == 0:
        page.note("The outcome metrics (wins, losses, disqualified, abandoned, leads_open_at_end) are not in "
                  "this file: funnel skipped.")
    else:
        png = f"{base}-funnel.png"
        plot_funnel(fd, f"What happened to the leads: {run}", os.path.join(outdir, png))
        files.append(png)
        cap = ("Left: how many leads arrived, passed qualification, reached a proposal and were won. Right: how "
               "the leads ended: won, lost, disqualified by qualification, abandoned because the buyer "
               "stopped waiting, or still open when the simulation stopped. Means per replication over the "
               "measured period with 95% intervals.")
        if warm_w > 0:
            cap += (" Leads that arrived during the warm-up but closed out later are counted in the outcomes, "
                    "so the outcomes need not add up to the arrivals exactly.")
        page.figure(png, f"Funnel of {run}", cap)
    # utilisation
    page.add("<h3>Where people's time goes</h3>")
    ud = utilisation_data(f, run)
    if len(ud) == 0:
        page.note("No role utilisation in this file: utilisation chart skipped.")
    else:
        png = f"{base}-utilisation.png"
        plot_utilisation(ud, f"Use of the available hours per role: {run}", os.path.join(outdir, png))
        files.append(png)
        page.figure(png, f"Utilisation of {run}",
                    "For each role, the hours available for sales work split into pipeline work on leads and "
                    "deals, prospecting for new leads, and idle time. A role near 100% has no slack: queues in "
                    "front of it, and lead times, grow sharply as it fills up.")
    if at.get("scenario_yaml"):
        page.add(f"<details><summary>The scenario as simulated (YAML)</summary><pre>{_esc(at['scenario_yaml'])}"
                 "</pre></details>")


def report_sweep(f, name, page, outdir, files, metric=DEFAULT_SWEEP_METRIC, x=None, y=None):
    g = f["sweeps"][name]
    page.h2(f"Sweep: {name}", f"sweep-{slug(name)}")
    if not has_table(f, f"sweeps/{name}/points"):
        page.note("This sweep has no points table: nothing to chart.")
        return
    paths = sweep_paths(f, name)
    pts = sweep_points(f, name)
    reps = sweep_replications(f, name)
    nrep = reps.groupby("point").size() if reps is not None else None
    if "complete" in g.attrs and int(g.attrs["complete"]) == 0:
        page.note("This sweep did not finish (its `complete` attribute is 0): the charts show the points "
                  "completed so far.")
    page.add(f'<p class="meta">{len(pts)} points over {_esc(", ".join(paths) or "no parameter")}'
             + (f"; {int(nrep.min())} to {int(nrep.max())} replications per point" if nrep is not None and len(nrep)
                else "") + ".</p>")
    base = f"sweep-{slug(name)}"
    lab = axis_label(metric)
    page.add("<h3>" + _esc(metric_label(metric)[0]) + " across the sweep</h3>")
    try:
        band = sweep_band_data(f, name, metric, x)
    except KeyError as e:
        band = None
        page.note(f"{e.args[0]} is not a column of this sweep: the charts of it are skipped.")
    if band is not None:
        png = f"{base}-{slug(metric)}-line.png"
        plot_sweep_band(band, f"{lab} across the sweep", os.path.join(outdir, png))
        files.append(png)
        cap = (f"{_esc(lab)} at each point of the sweep (dots), with its 95% interval (band) from the "
               "replications: mean &plusmn; t &middot; sd / &radic;n, Student-t with n &minus; 1 degrees of freedom.")
        if band.attrs["source"] != "replications":
            cap += " This file has no replications for this metric, so no bands are drawn."
        page.figure(png, f"{metric} against {band.attrs['x']}", cap)
        hm = sweep_heatmap_data(f, name, metric, band.attrs["x"], y)
        if hm is None:
            page.note("Only one parameter varies in this sweep: heat map skipped.")
        else:
            png = f"{base}-{slug(metric)}-heatmap.png"
            plot_sweep_heatmap(hm, lab,
                               os.path.join(outdir, png))
            files.append(png)
            cap = f"{_esc(lab)} (mean over replications) for every combination of the two parameters."
            if hm.attrs["filled"] < 0.5:
                cap = (f"{_esc(lab)} (mean over replications, colour) at each point: the points do not form a "
                       "grid, so they are drawn where they lie.")
            if hm.attrs["averaged"]:
                cap += f" Averaged over {_esc(', '.join(hm.attrs['averaged']))}."
            page.figure(png, f"Heat map of {metric}", cap)
        page.add(_table(["point"] + paths + ["mean", "95% interval", "n"],
                        [[str(r["point"])] + [_esc(fmt_param(r[p])) for p in paths] +
                         [fmt(r["mean"] * metric_label(metric)[2]),
                          _interval(r["ci_low"] * metric_label(metric)[2], r["ci_high"] * metric_label(metric)[2]),
                          str(r["n"])] for _, r in band.sort_values("point").iterrows()], left=1))
    page.add("<h3>Utilisation and lead time</h3>")
    kd = kingman_data(f, name)
    if kd is None:
        page.note("The sweep lacks lead_time_mean_h or role utilisation: utilisation-lead time chart skipped.")
    else:
        png = f"{base}-kingman.png"
        plot_kingman(kd, "Lead time against utilisation", os.path.join(outdir, png))
        files.append(png)
        page.figure(png, "Utilisation against lead time",
                    "Each dot is one point of the sweep: the utilisation of a role (x) and the mean lead time "
                    "(y, with its 95% interval). Queueing theory (Kingman's formula) predicts a hockey stick: "
                    "waiting grows slowly at low utilisation and explodes as a role approaches 100% busy. "
                    "The role whose dots climb the stick is the bottleneck.")
    if "sweep_yaml" in g.attrs:
        page.add(f"<details><summary>The sweep file</summary><pre>{_esc(text(g.attrs['sweep_yaml']))}</pre></details>")


def build_report(path, outdir, metric=DEFAULT_SWEEP_METRIC, x=None, y=None, replication=None):
    """Writes the charts and index.html into outdir; returns the file names written
    (relative to outdir), index.html last."""
    _style()
    os.makedirs(outdir, exist_ok=True)
    files = []
    with h5py.File(path, "r") as f:
        page = Page(f"salesflow results: {os.path.basename(path)}")
        a = f.attrs
        meta = [f"File <code>{_esc(os.path.basename(path))}</code>"]
        if "salesflow_version" in a:
            meta.append(f"written by salesflow {_esc(text(a['salesflow_version']))}")
        if "created_utc" in a:
            meta.append(f"on {_esc(text(a['created_utc']))}")
        head = '<p class="meta">' + ", ".join(meta) + "."
        if "command_line" in a:
            head += f"<br>Command: <code>{_esc(text(a['command_line']))}</code>"
        page.add(head + "</p>")
        cmps, runs, sweeps = comparison_names(f), run_names(f), sweep_names(f)
        if not (cmps or runs or sweeps):
            page.note("This file holds no runs, comparisons or sweeps.")
        for c in cmps:
            report_comparison(f, c, page, outdir, files)
        for r in runs:
            report_run(f, r, page, outdir, files, replication)
        for s in sweeps:
            report_sweep(f, s, page, outdir, files, metric, x, y)
        page.add('<p class="meta">Made by scripts/report.py; see docs/report.md for how to read each chart.</p>')
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as out:
        out.write(page.render())
    files.append("index.html")
    return files


def main(argv=None):
    ap = argparse.ArgumentParser(description="Charts and an offline HTML report from a salesflow results file.")
    ap.add_argument("results", help="the results file (.h5) written by salesflow run, compare or sweep")
    ap.add_argument("-o", "--output", required=True, help="folder for index.html and the charts (created)")
    ap.add_argument("--metric", default=DEFAULT_SWEEP_METRIC,
                    help="metric of the sweep charts (default %(default)s)")
    ap.add_argument("--x", help="sweep parameter (PATH) on the x axis (default: the first that varies)")
    ap.add_argument("--y", help="sweep parameter on the heat map's y axis (default: the next that varies)")
    ap.add_argument("--replication", type=int,
                    help="draw the time series of this replication (default: the mean over replications)")
    args = ap.parse_args(argv)
    if not os.path.isfile(args.results):
        print(f"report.py: {args.results}: no such file", file=sys.stderr)
        return 2
    try:
        files = build_report(args.results, args.output, args.metric, args.x, args.y, args.replication)
    except (OSError, KeyError, ValueError) as e:
        print(f"report.py: {args.results}: {e}", file=sys.stderr)
        return 1
    for fn in files:
        print(os.path.join(args.output, fn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
