"""Comparisons: paired differences against the baseline, and the decision (which
scenario is better on the objective, by how much, how sure)."""
import math

import numpy as np
import pandas as pd

from ..reading import comparison_attrs, comparison_table, file_metrics, has_table, run_replications, text_list
from ..stats import probability_best
from ..units import fmt_pct_change
from .style import BAD, GOOD, INK, NEUTRAL, money_axis

# The headline metrics lead (profit, revenue per unit of cost, revenue per quota-carrying
# person when the file has it), and the lead time of won deals follows the mean lead time
# of all leads, so that a mean made shorter by disqualifying leads early is not read as
# faster deals.
HEADLINE_FIRST = ["profit", "revenue_per_cost", "revenue_per_quota_person"]
COMPARISON_METRICS = HEADLINE_FIRST + ["wins", "revenue", "hit_rate", "win_rate", "productivity", "cost",
                                       "cost_per_win", "lead_time_mean_h", "lead_time_won_mean_h", "lead_time_p85_h",
                                       "wip_mean", "throughput_per_week", "flow_efficiency", "leads_arrived",
                                       "disqualified", "abandoned"]
# The colour of a verdict. Only "better" and "worse" are coloured, and only a metric with
# a declared direction (metric_directions: higher or lower) can get them; a clear change
# of a metric whose direction is "neither" (volumes, cost, utilisation) is drawn in ink.
VERDICT_COLOURS = {"better": GOOD, "worse": BAD, "changed": INK, "no clear difference": NEUTRAL}
DEFAULT_OBJECTIVE = "revenue"


def comparison_data(f, name, metrics=None):
    """Paired differences of /comparisons/<name> against its baseline.

    One row per (metric, non-baseline scenario), metrics in `metrics` order (default:
    the headline metrics every scenario has, then the utilisation of roles every
    scenario has). Columns: metric, label, unit, direction (from the file's metric
    metadata), scenario, baseline_mean, mean, ci_low, ci_high, diff, diff_ci_low,
    diff_ci_high, rel_change (as stored, percent of |baseline mean|), rel_ci_low,
    rel_ci_high (NaN when the baseline mean is 0), significant (the diff interval
    excludes 0) and verdict: "better"/"worse" (significant, for a metric whose direction
    is higher or lower), "changed" (significant, direction neither) or "no clear
    difference"."""
    t = comparison_table(f, name)
    at = comparison_attrs(f, name)
    meta = file_metrics(f)
    base = at["baseline"] or (t["scenario"].iloc[0] if len(t) else None)
    scenarios = at["scenarios"] or list(dict.fromkeys(t["scenario"]))
    others = [s for s in scenarios if s != base]
    present = t.groupby("metric")["scenario"].apply(set).to_dict()
    complete = [m for m in dict.fromkeys(t["metric"]) if present[m] >= set(scenarios)]
    if metrics is None:
        metrics = [m for m in COMPARISON_METRICS if m in complete]
        roles = []
        for s in scenarios:
            if f"runs/{s}" in f:
                roles += [r for r in text_list(f[f"runs/{s}"].attrs.get("roles")) if r not in roles]
        metrics += [m for m in (f"role.{r}.utilisation" for r in roles) if m in complete and m not in metrics]
    rows = []
    idx = t.set_index(["metric", "scenario"])
    for m in metrics:
        if (m, base) not in idx.index:
            continue
        info = meta.get(m)
        bmean = float(idx.loc[(m, base), "mean"])
        for s in others:
            if (m, s) not in idx.index:
                continue
            r = idx.loc[(m, s)]
            ref = abs(bmean)
            rel_lo = 100.0 * r["diff_ci_low"] / ref if ref > 0 else math.nan
            rel_hi = 100.0 * r["diff_ci_high"] / ref if ref > 0 else math.nan
            sig = bool(r["diff_ci_low"] > 0 or r["diff_ci_high"] < 0)
            if not sig:
                verdict = "no clear difference"
            elif info.direction == "neither":
                verdict = "changed"
            else:
                verdict = "better" if (r["diff"] > 0) == (info.direction == "higher") else "worse"
            rows.append({"metric": m, "label": info.label, "unit": info.unit, "direction": info.direction,
                         "scenario": s, "baseline_mean": bmean,
                         "mean": float(r["mean"]), "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
                         "diff": float(r["diff"]), "diff_ci_low": float(r["diff_ci_low"]),
                         "diff_ci_high": float(r["diff_ci_high"]), "rel_change": float(r["rel_change"]),
                         "rel_ci_low": rel_lo, "rel_ci_high": rel_hi, "significant": sig, "verdict": verdict})
    cols = ["metric", "label", "unit", "direction", "scenario", "baseline_mean", "mean", "ci_low", "ci_high", "diff",
            "diff_ci_low", "diff_ci_high", "rel_change", "rel_ci_low", "rel_ci_high", "significant", "verdict"]
    return pd.DataFrame(rows, columns=cols)


def decision_data(f, name, objective=DEFAULT_OBJECTIVE):
    """The answer of a comparison on one objective metric.

    Returns a dict: objective (MetricInfo), baseline, scenarios, best (the scenario with
    the best mean given the direction; None without a direction), rows (one per
    scenario: scenario, mean, ci_low, ci_high, diff, diff_ci_low, diff_ci_high,
    rel_change against the baseline, p_best), p_best ({scenario: share of paired
    replications in which it was best}, from /runs/<s>/replications, aligned by
    replication number), n (paired replications used), resolved (the best differs
    from every other scenario with a paired interval that excludes 0, where the
    pairing is with the baseline). None when the objective is not in the comparison."""
    t = comparison_table(f, name)
    at = comparison_attrs(f, name)
    info = file_metrics(f).get(objective)
    sub = t[t["metric"] == objective]
    if len(sub) == 0:
        return None
    base = at["baseline"] or sub["scenario"].iloc[0]
    scen = at["scenarios"] or list(sub["scenario"])
    rows = {r["scenario"]: r for _, r in sub.iterrows()}
    scen = [s for s in scen if s in rows]
    vals = {}
    for s in scen:
        if has_table(f, f"runs/{s}/replications"):
            rr = run_replications(f, s)
            if objective in rr.columns:
                vals[s] = rr.set_index("replication")[objective]
    common = None
    for v in vals.values():
        common = set(v.index) if common is None else common & set(v.index)
    aligned = {s: v.loc[sorted(common)].to_numpy() for s, v in vals.items()} if common and len(vals) == len(scen) else {}
    pb = probability_best(aligned, info.direction)
    if info.direction in ("higher", "lower"):
        sign = 1.0 if info.direction == "higher" else -1.0
        best = max(scen, key=lambda s: sign * float(rows[s]["mean"]))
    else:
        best = None
    out_rows = []
    for s in scen:
        r = rows[s]
        out_rows.append({"scenario": s, "mean": float(r["mean"]), "ci_low": float(r["ci_low"]),
                         "ci_high": float(r["ci_high"]), "diff": float(r["diff"]), "diff_ci_low": float(r["diff_ci_low"]),
                         "diff_ci_high": float(r["diff_ci_high"]), "rel_change": float(r["rel_change"]),
                         "p_best": pb.get(s, math.nan)})
    resolved = False
    if best is not None:
        if best == base:
            resolved = all((rows[s]["diff_ci_high"] < 0) if info.direction == "higher" else (rows[s]["diff_ci_low"] > 0)
                           for s in scen if s != base)
        else:
            b = rows[best]
            resolved = bool(b["diff_ci_low"] > 0) if info.direction == "higher" else bool(b["diff_ci_high"] < 0)
    return {"objective": info, "baseline": base, "scenarios": scen, "best": best, "rows": pd.DataFrame(out_rows),
            "p_best": pb, "n": len(common) if common else 0, "resolved": resolved}


def explaining_metrics(data, objective, k=3):
    """The k metrics (other than the objective) whose paired change is clear and largest
    in relative terms: the numbers that explain the answer. From comparison_data rows."""
    d = data[(data["metric"] != objective) & data["significant"] & np.isfinite(data["rel_change"])]
    d = d.assign(size=d["rel_change"].abs()).sort_values("size", ascending=False)
    return d.drop_duplicates("metric").head(k).drop(columns=["size"])


def plot_comparison(c, data, baseline, title):
    scen = list(dict.fromkeys(data["scenario"]))
    d0 = data[np.isfinite(data["rel_change"])]
    metrics = list(dict.fromkeys(d0["metric"]))
    labels = [d0[d0["metric"] == m]["label"].iloc[0] for m in metrics]
    fig, axes = c.subplots(1, len(scen), size=(5.5 * len(scen) + 4.5, 0.45 * len(metrics) + 2.0),
                           squeeze=False, sharey=True, sharex=True)
    colour = VERDICT_COLOURS
    for ax, s in zip(axes[0], scen):
        ds = d0[d0["scenario"] == s].set_index("metric")
        ys = np.arange(len(metrics))[::-1]
        for y, m in zip(ys, metrics):
            if m not in ds.index:
                continue
            r = ds.loc[m]
            col = colour[r["verdict"]]
            lo, hi = r["rel_ci_low"], r["rel_ci_high"]
            ax.plot([lo, hi], [y, y], color=col, lw=2.5, solid_capstyle="butt")
            ax.plot([r["rel_change"]], [y], "o", color=col, ms=7)
            ax.annotate(f"{fmt_pct_change(r['rel_change'])}  [{fmt_pct_change(lo)}, {fmt_pct_change(hi)}]", (1.02, y),
                        xycoords=("axes fraction", "data"), va="center", ha="left", fontsize="small", color=col)
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(ys, labels)
        ax.set_ylim(-0.7, len(metrics) - 0.3)
        ax.set_xlabel(f"Change against {baseline} (%)")
        ax.set_title(f"{s} against {baseline}", loc="left")
        ax.grid(axis="y", visible=False)
    words = {"better": "better", "worse": "worse", "changed": "changed (no better direction)",
             "no clear difference": "no clear difference (interval crosses 0)"}
    present = set(d0["verdict"])  # the legend names only the verdicts drawn
    handles = [c_line(VERDICT_COLOURS[v], words[v]) for v in words if v in present]
    fig.legend(handles=handles, loc="lower center", ncol=2 if c.present else 4, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.08 if c.present else 0.04, 1, 1))
    fig.subplots_adjust(wspace=0.55)
    c.save(fig, tight=False)


def c_line(colour, label):
    import matplotlib.pyplot as plt
    return plt.Line2D([], [], marker="o", color=colour, lw=2, label=label)


def plot_decision(c, dec, display, title):
    """The objective per scenario: mean with its 95% interval, zero-based, best first."""
    rows = dec["rows"].copy()
    sign = -1.0 if dec["objective"].direction == "lower" else 1.0
    rows = rows.sort_values("mean", key=lambda s: -sign * s)
    fig, ax = c.subplots(size=(9, 1.4 + 0.8 * len(rows)))
    ys = np.arange(len(rows))[::-1]
    k = display.value(1.0)
    mean = k * rows["mean"].to_numpy()
    err = np.vstack([mean - k * rows["ci_low"].to_numpy(), k * rows["ci_high"].to_numpy() - mean])
    colours = [GOOD if s == dec["best"] else "#9bbbd9" for s in rows["scenario"]]
    ax.barh(ys, mean, color=colours, xerr=np.nan_to_num(err), capsize=5)
    for y, v in zip(ys, rows["mean"]):
        ax.text(k * v, y, "  " + display.fmt_unit(v), va="center", ha="left", fontsize="small")
    ax.set_yticks(ys, rows["scenario"])
    lo = min(0.0, float(np.nanmin(mean - err[0])) if len(mean) else 0.0)
    ax.set_xlim(lo, max(1e-9, float(np.nanmax(mean + err[1]))) * 1.3)
    ax.set_xlabel(f"{dec['objective'].label}" + (f" ({display.unit})" if display.unit else "")
                  + ", mean with 95% interval")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    money_axis(ax, display, "x")
    c.save(fig)


def lead_time_pair_data(f, name):
    """The mean lead time of all leads next to that of won deals, per scenario of
    /comparisons/<name>: a shorter mean made by ending leads early (disqualified,
    abandoned) is not faster deals.

    One row per scenario (the comparison's order): scenario, and for m in ("all" =
    lead_time_mean_h, "won" = lead_time_won_mean_h): m_mean, m_ci_low, m_ci_high (hours),
    m_diff, m_diff_ci_low, m_diff_ci_high (paired difference against the baseline,
    hours; 0 for the baseline). attrs: baseline, misleading (scenarios whose mean lead
    time is clearly shorter than the baseline's while the won deals' is not clearly
    shorter). None when the comparison lacks either metric."""
    t = comparison_table(f, name)
    at = comparison_attrs(f, name)
    have = set(t["metric"])
    if not {"lead_time_mean_h", "lead_time_won_mean_h"} <= have:
        return None
    idx = t.set_index(["metric", "scenario"])
    scen = [s for s in (at["scenarios"] or list(dict.fromkeys(t["scenario"])))
            if ("lead_time_mean_h", s) in idx.index and ("lead_time_won_mean_h", s) in idx.index]
    rows = []
    for s in scen:
        row = {"scenario": s}
        for key, m in (("all", "lead_time_mean_h"), ("won", "lead_time_won_mean_h")):
            r = idx.loc[(m, s)]
            for col in ("mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high"):
                row[f"{key}_{col}"] = float(r[col])
        rows.append(row)
    out = pd.DataFrame(rows)
    base = at["baseline"] or (scen[0] if scen else None)
    out.attrs["baseline"] = base
    out.attrs["misleading"] = [r["scenario"] for _, r in out.iterrows()
                               if r["scenario"] != base and r["all_diff_ci_high"] < 0 and not r["won_diff_ci_high"] < 0]
    return out
