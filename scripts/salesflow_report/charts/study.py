"""Studies (`/studies/<name>`, written by `salesflow study`, docs/results-format.md):
which design is best on the objective over the uncertain assumptions and how sure, the
claims with their intervals, the tornado chart of the sensitivity table, and the chosen
configuration of each design with the ones it could not be told apart from.

A study compares designs (organisations), each at its best configuration (chosen by
ranking and selection among its candidates), at every point of an outer Latin hypercube
over the uncertain assumptions. Its tables: `candidates`, `outer_points`, `sensitivity`,
`claims`, `summary`.
"""
import math
import re

import h5py
import numpy as np
import pandas as pd

from ..labels import param_label, param_value
from ..errors import InputError
from ..reading import _num, file_metrics, group_names, read_table, scenario, text, text_list
from ..units import fmt
from .style import GOOD, NEUTRAL, PALETTE, money_axis

COMPARE_WORDS = {"ratio": "ratio", "change": "relative change", "difference": "difference"}


def study_names(f):
    return group_names(f, "studies", h5py.Group)


def study_attrs(f, name):
    """The study's attributes, typed: objective, direction, designs, chosen (the chosen
    candidate of each design, in words), assumptions (paths), points, replications,
    quick, budget, complete, study_yaml, and scenarios {design: the design's base
    scenario as a dict}."""
    g = f["studies"][name]
    a = g.attrs
    designs = text_list(a.get("designs"))
    return {"objective": text(a["objective"]) if "objective" in a else "",
            "direction": text(a["direction"]) if "direction" in a else "neither",
            "designs": designs, "chosen": text_list(a.get("chosen")),
            "assumptions": text_list(a.get("assumptions")),
            "points": int(_num(a, "points", 0)), "replications": int(_num(a, "replications", 0)),
            "quick": int(_num(a, "quick", 0)), "budget": text(a["budget"]) if "budget" in a else "",
            "complete": int(_num(a, "complete")) if "complete" in a else None,
            "study_yaml": text(a["study_yaml"]) if "study_yaml" in a else "",
            "scenarios": {d: scenario(text(a[f"scenario_yaml.{d}"])) if f"scenario_yaml.{d}" in a else {}
                          for d in designs}}


LEVER = re.compile(r"(?:^|, )([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+)=")


def levers_words(levers, scen=None):
    """A candidate's lever values `PATH=VALUE, ...` (values in one-line YAML) in words:
    'roles.seller.headcount=8, stages.qualify.gate.threshold=0.25' -> '8 generalist
    sellers; gate threshold at qualify: 25%'. People are written as 'N <role>s'; other
    parameters as their label and value (param_label, param_value); a YAML mapping value
    is kept as written."""
    marks = list(LEVER.finditer(levers or ""))
    parts = []
    for i, m in enumerate(marks):
        path = m.group(1)
        end = marks[i + 1].start() if i + 1 < len(marks) else len(levers)
        raw = levers[m.end():end].strip()
        try:
            v = float(raw)
        except ValueError:
            v = raw
        val = param_value(path, v, scen)
        if path.endswith(".headcount") and path.startswith("roles."):
            parts.append(val)
        else:
            parts.append(f"{param_label(path, scen)}: {val}")
    return "; ".join(parts) if parts else (levers or "")


def _table(f, name, t, cols):
    return read_table(f, f"studies/{name}/{t}", cols)


def metric_words(info):
    """A metric's label; a metric the file does not describe (a study stores no metric
    metadata) is its name with spaces for underscores."""
    return info.label if info.label != info.name else info.name.replace("_", " ")


def budget_words(budget):
    """`cost_at_most 2100000` -> 'cost at most 2.1 M a year'; `equal_cost B tolerance T`
    -> 'equal cost of B a year (tolerance T)'; `none` or '' -> ''."""
    from ..units import fmt_money
    p = (budget or "").split()
    try:
        if len(p) == 2 and p[0] == "cost_at_most":
            return f"cost at most {fmt_money(float(p[1]))} a year"
        if len(p) == 4 and p[0] == "equal_cost" and p[2] == "tolerance":
            return f"equal cost of {fmt_money(float(p[1]))} a year (tolerance {fmt_money(float(p[3]))})"
    except ValueError:
        pass
    return "" if not p or p == ["none"] else budget.replace("_", " ")


def study_decision_data(f, name):
    """Which design is best on the objective over the assumptions.

    Returns a dict: objective (reading.MetricInfo of the objective metric, its
    direction the study's), designs (DataFrame, one row per design in the study's order:
    design, mean, q05, q50, q95 of the objective over the outer points, p_best, p_ci_low,
    p_ci_high: the share of outer points where the design is best with its 95% interval),
    differences (DataFrame of the `difference` rows: design, mean, q05, q50, q95 against
    the first design), best (the design most often best; None without a direction),
    baseline (the first design), points."""
    at = study_attrs(f, name)
    s = _table(f, name, "summary", ("quantity", "design", "mean", "q05", "q50", "q95", "probability", "p_ci_low",
                                    "p_ci_high"))
    obj = s[s["quantity"] == "objective"]
    rows = pd.DataFrame({"design": obj["design"], "mean": obj["mean"], "q05": obj["q05"], "q50": obj["q50"],
                         "q95": obj["q95"], "p_best": obj["probability"], "p_ci_low": obj["p_ci_low"],
                         "p_ci_high": obj["p_ci_high"]}).reset_index(drop=True)
    order = {d: i for i, d in enumerate(at["designs"])}
    rows = rows.assign(_o=rows["design"].map(lambda d: order.get(d, len(order)))).sort_values("_o", kind="stable")
    rows = rows.drop(columns="_o").reset_index(drop=True)
    diff = s[s["quantity"] == "difference"][["design", "mean", "q05", "q50", "q95"]].reset_index(drop=True)
    info = file_metrics(f).get(at["objective"])
    info.label = metric_words(info)
    info.direction = at["direction"] if at["direction"] in ("higher", "lower") else info.direction
    best = None
    if at["direction"] in ("higher", "lower") and len(rows):
        best = rows.loc[rows["p_best"].idxmax(), "design"]
    return {"objective": info, "designs": rows, "differences": diff, "best": best,
            "baseline": at["designs"][0] if at["designs"] else None, "points": at["points"]}


def study_claims_data(f, name):
    """The claims, one row each: claim, metric, compare, of, to, test, probability (the
    share of outer points where the claim holds), ci_low, ci_high (its 95% interval), n
    (points with a value), missing, mean, q05, q50, q95 (of the compared quantity over
    the points), and `words`: the claim in a sentence."""
    c = _table(f, name, "claims", ("claim", "metric", "compare", "of", "to", "test", "probability", "ci_low",
                                   "ci_high", "n"))
    meta = file_metrics(f)
    words = []
    for _, r in c.iterrows():
        lab = metric_words(meta.get(r["metric"]))
        words.append(f"{lab}: {COMPARE_WORDS.get(r['compare'], r['compare'])} of {r['of']} to {r['to']} "
                     f"{r['test']}")
    return c.assign(words=words)


def quantity_words(q, objective_label, baseline):
    """A sensitivity quantity in words: difference.<d> -> '<objective>: <d> minus
    <baseline>', claim.<c> -> 'claim <c>', <d>.<objective> -> '<objective> of <d>'."""
    objective_label = objective_label[:1].upper() + objective_label[1:]
    if q.startswith("difference."):
        return f"{objective_label}: {q[len('difference.'):]} minus {baseline}"
    if q.startswith("claim."):
        return f"claim {q[len('claim.'):].replace('_', ' ')}"
    if "." in q:
        d, _, m = q.rpartition(".")
        return f"{objective_label} of {d}"
    return q


def tornado_data(f, name, quantity=None):
    """The sensitivity of one quantity (default: the first of the table) to each
    uncertain assumption, largest swing first: columns assumption, first_order, ci_low,
    ci_high (the first-order index with its 95% bootstrap interval), low_mean,
    high_mean (the quantity's mean over the points with the lowest and the highest 10% of
    the assumption's values), low_x, high_x (the assumption's mean value in those
    groups), swing = |high_mean - low_mean|.
    attrs: quantity, quantities (all of the table), skipped (the table's `skipped`
    attribute). None when the table is empty."""
    s = _table(f, name, "sensitivity", ("quantity", "assumption", "first_order", "ci_low", "ci_high", "low_mean",
                                        "high_mean", "low_x", "high_x"))
    skipped = text_list(f[f"studies/{name}/sensitivity"].attrs.get("skipped"))
    if len(s) == 0:
        return None
    quantities = list(dict.fromkeys(s["quantity"]))
    q = quantity or quantities[0]
    if q not in quantities:
        raise InputError(f"/studies/{name}/sensitivity has no quantity {q!r}")
    d = s[s["quantity"] == q].copy()
    d["swing"] = (d["high_mean"] - d["low_mean"]).abs()
    d = d.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    d = d[["assumption", "first_order", "ci_low", "ci_high", "low_mean", "high_mean", "low_x", "high_x", "swing"]]
    d.attrs.update(quantity=q, quantities=quantities, skipped=skipped, centre=_overall_mean(f, name, q))
    return d


def _overall_mean(f, name, q):
    """The quantity's mean over all the points: the summary's `difference` (or, with one
    design, `objective`) row, or the claims table's mean; NaN when not found."""
    try:
        if q.startswith("claim."):
            c = _table(f, name, "claims", ("claim", "mean"))
            row = c[c["claim"] == q[len("claim."):]]
        else:
            s = _table(f, name, "summary", ("quantity", "design", "mean"))
            if q.startswith("difference."):
                row = s[(s["quantity"] == "difference") & (s["design"] == q[len("difference."):])]
            else:
                row = s[(s["quantity"] == "objective") & (s["design"] == q.rpartition(".")[0])]
        return float(row["mean"].iloc[0]) if len(row) else math.nan
    except InputError:
        return math.nan


def chosen_data(f, name):
    """The chosen configuration of each design and the ones tied with it (the ranking
    could not separate them within the indifference zone before its cap): rows of the
    `candidates` table with outcome chosen or tied, chosen first within each design, in
    the study's design order. Columns design, candidate, levers (as stored: PATH=VALUE,
    ...), words (levers_words), annual_cost, replications, mean, outcome."""
    at = study_attrs(f, name)
    c = _table(f, name, "candidates", ("design", "candidate", "levers", "annual_cost", "replications", "mean",
                                       "outcome"))
    c = c[c["outcome"].isin(["chosen", "tied"])].copy()
    c["words"] = [levers_words(lv, at["scenarios"].get(d)) for lv, d in zip(c["levers"], c["design"])]
    order = {d: i for i, d in enumerate(at["designs"])}
    c["_d"] = c["design"].map(lambda d: order.get(d, len(order)))
    c["_o"] = (c["outcome"] != "chosen").astype(int)
    c = c.sort_values(["_d", "_o", "candidate"], kind="stable").drop(columns=["_d", "_o"]).reset_index(drop=True)
    return c[["design", "candidate", "levers", "words", "annual_cost", "replications", "mean", "outcome"]]


def _number_axis(ax, display, axis="x"):
    """Ticks as people write numbers (12,000; 45.6 k for money)."""
    if getattr(display, "kind", "") == "money":
        money_axis(ax, display, axis)
        return
    from matplotlib.ticker import FuncFormatter
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))


def plot_study_decision(c, dec, display, title):
    """Left: the objective of each design over the assumptions (median, 5% to 95% of the
    outer points), zero-based; right: the share of points where each design is best,
    0 to 100%, with its 95% interval; the most often best in green."""
    rows = dec["designs"]
    fig, (a1, a2) = c.subplots(1, 2, size=(12, 1.6 + 0.8 * len(rows)), sharey=True)
    ys = np.arange(len(rows))[::-1]
    k = display.value(1.0)
    cols = [GOOD if d == dec["best"] else PALETTE[0] for d in rows["design"]]
    med = k * rows["q50"].to_numpy(dtype=float)
    lo, hi = k * rows["q05"].to_numpy(dtype=float), k * rows["q95"].to_numpy(dtype=float)
    for y, m, l, h, col in zip(ys, med, lo, hi, cols):
        a1.plot([l, h], [y, y], color=col, lw=6, alpha=0.45, solid_capstyle="butt")
        a1.plot([m], [y], "o", color=col, ms=9)
    a1.set_yticks(ys, list(rows["design"]))
    left = min(0.0, float(np.nanmin(lo))) if len(lo) else 0.0
    a1.set_xlim(left, max(1e-9, float(np.nanmax(hi))) * 1.1 if len(hi) else 1.0)
    a1.set_xlabel(f"{dec['objective'].label}" + (f" ({display.unit})" if display.unit else "")
                  + ": median, 5% to 95%")
    _number_axis(a1, display)
    p = 100 * rows["p_best"].to_numpy(dtype=float)
    err = np.nan_to_num(np.vstack([p - 100 * rows["p_ci_low"].to_numpy(dtype=float),
                                   100 * rows["p_ci_high"].to_numpy(dtype=float) - p]))
    a2.barh(ys, p, color=[GOOD if d == dec["best"] else "#9bbbd9" for d in rows["design"]], xerr=err, capsize=5)
    for y, v, e in zip(ys, p, err[1]):
        a2.text(min(v + e, 100), y, f"  {fmt(v)}%", va="center", ha="left", fontsize="small")
    a2.set_xlim(0, 118)
    a2.set_xlabel("Best at this share of the assumptions (%)")
    for ax in (a1, a2):
        ax.grid(axis="y", visible=False)
    fig.suptitle(title)
    c.info["p_best"] = dict(zip(rows["design"], p / 100))
    c.save(fig)


def plot_tornado(c, data, display, title, quantity_label, scen=None):
    """One bar per assumption, largest swing at the top: from the quantity's mean over the
    points with the assumption's lowest 10% of values to its mean over its highest 10%,
    around the overall mean (the middle line: attrs["centre"] when set, else the mean
    of the bar ends)."""
    d = data.head(12)
    fig, ax = c.subplots(size=(11, 1.4 + 0.55 * len(d)))
    k = display.value(1.0)
    ys = np.arange(len(d))[::-1]
    centre = float(np.nanmean(np.concatenate([d["low_mean"], d["high_mean"]]))) if len(d) else 0.0
    if math.isfinite(data.attrs.get("centre", math.nan)):
        centre = data.attrs["centre"]
    for y, (_, r) in zip(ys, d.iterrows()):
        for end, col in (("low", PALETTE[0]), ("high", PALETTE[1])):
            v = float(r[f"{end}_mean"])
            ax.barh(y, k * (v - centre), left=k * centre, color=col, height=0.6,
                    label=("assumption in its lowest 10%" if end == "low" else "assumption in its highest 10%")
                    if y == ys[0] else None)
            ax.text(k * v, y, f" {param_value(r['assumption'], r[f'{end}_x'], scen, with_unit=False)} ",
                    va="center", ha="left" if v >= centre else "right", fontsize="small")
    ax.axvline(k * centre, color="black", lw=1)
    ax.set_yticks(ys, [f"{param_label(r['assumption'], scen)}\n(first-order index {fmt(r['first_order'])})"
                       for _, r in d.iterrows()])
    span = float(np.nanmax(np.abs(np.concatenate([d["low_mean"], d["high_mean"]]) - centre))) if len(d) else 1.0
    ax.set_xlim(k * (centre - 1.5 * span), k * (centre + 1.5 * span))
    ax.set_xlabel(f"{quantity_label}" + (f" ({display.unit})" if display.unit else ""))
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    _number_axis(ax, display)
    c.info["order"] = list(d["assumption"])
    c.save(fig)


__all__ = ["study_names", "study_attrs", "study_decision_data", "study_claims_data", "tornado_data",
           "chosen_data", "plot_study_decision", "plot_tornado", "quantity_words", "NEUTRAL"]
