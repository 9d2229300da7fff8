"""Sweeps: the objective against the parameters.

Small grids (at most MAX_GRID_POINTS points) get a line chart against one parameter,
one line per combination of the others, with 95% bands, and a heat map over two
parameters. Any sweep gets partial-dependence panels (the objective against each varied
parameter, averaged over the others, with a 95% band), a response surface over the two
most influential parameters and its best points with their intervals. Nothing draws one
error bar per point of a large design.
"""
import math

import numpy as np
import pandas as pd

from ..labels import legend, param_axis_unit, param_kind, param_label, param_value
from ..reading import read_table, sweep_group, sweep_paths, sweep_points, sweep_replications, text, text_list
from ..stats import mean_interval, t_quantile
from ..units import fmt
from .style import PALETTE, money_axis

DEFAULT_SWEEP_METRIC = "lead_time_mean_h"
MAX_GRID_POINTS = 40
MAX_LINES = 8
PD_BINS = 8


def _varying(df, paths):
    return [p for p in paths if df[p].nunique() > 1]


def _numeric(col):
    return pd.api.types.is_numeric_dtype(col)


def _first_seen(col):
    """For a text column: each value's rank in order of first appearance (the sweep's
    point order); {} for a numeric column, which sorts by value."""
    if _numeric(col):
        return {}
    return {v: i for i, v in enumerate(dict.fromkeys(col))}


def is_special(path, v):
    """A value that is not on the numeric scale: 0 for a WIP limit means no limit."""
    try:
        return param_kind(path) == "wip" and float(v) == 0.0
    except (TypeError, ValueError):
        return False


def sort_key(path, col):
    """Order of a parameter's values: numbers by value with "no limit" last, text in the
    sweep's order."""
    order = _first_seen(col)
    if order:
        return lambda s: s.map(order)
    return lambda s: s.map(lambda v: (math.inf if is_special(path, v) else float(v)))


def sweep_scenarios(f, name):
    """The scenarios of a sweep of several organisations (`scenarios:`), in the listed
    order: the group's `scenarios` attribute, else the `scenario` column's values in order
    of first appearance. [] for a sweep of one scenario (no `scenario` column)."""
    g = sweep_group(f, name)
    if "points" not in g or "scenario" not in (g["points"].dtype.names or ()):
        return []
    if "scenarios" in g.attrs:
        return text_list(g.attrs["scenarios"])
    return list(dict.fromkeys(sweep_points(f, name)["scenario"]))


def sweep_baseline(f, name):
    """The scenario the differences are taken from: attribute `baseline`, else the first."""
    a = sweep_group(f, name).attrs
    sc = sweep_scenarios(f, name)
    return text(a["baseline"]) if "baseline" in a else (sc[0] if sc else None)


def _only(df, scenario):
    """The rows of one scenario (all rows when scenario is None)."""
    if scenario is None or df is None:
        return df
    return df[df["scenario"] == scenario].reset_index(drop=True)


def sweep_band_data(f, name, metric=DEFAULT_SWEEP_METRIC, x=None, scen=None, scenario=None):
    """The metric at every point with its 95% interval, from the replications table.

    Per point: mean, sd (sample), n, t = t_quantile(0.975, n - 1), ci_low/ci_high =
    mean -/+ t*sd/sqrt(n) (NaN with one replication). Columns: point, every PATH column,
    mean, sd, n, t, ci_low, ci_high, and `group`: the values of the other varying paths
    in words (one line per group). Rows ordered by group, then by x value ("no limit"
    last, text values in the sweep's order). attrs: x, metric, source ("replications"
    or "points"), scenario. With `scenario` (a sweep of several organisations): only that
    scenario's rows. KeyError when the metric is not in the sweep."""
    pts = _only(sweep_points(f, name), scenario)
    paths = sweep_paths(f, name)
    reps = _only(sweep_replications(f, name), scenario)
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
    out["group"] = [legend(r, others, scen) if others else "" for _, r in out.iterrows()] if len(out) else []
    if xcol is not None and len(out):
        key = sort_key(xcol, out[xcol])
        out = out.assign(_k=key(out[xcol])).sort_values(["group", "_k"], kind="stable").drop(columns=["_k"])
        out = out.reset_index(drop=True)
    out.attrs["x"] = xcol
    out.attrs["metric"] = metric
    out.attrs["source"] = "replications" if src is reps else "points"
    if scenario is not None:
        out.attrs["scenario"] = scenario
    return out


def sweep_band_by_scenario(f, name, metric=DEFAULT_SWEEP_METRIC, x=None, scen=None, scenarios=None):
    """sweep_band_data of every scenario of a sweep of several organisations, stacked in
    the listed order with a `scenario` column; `group` is the scenario's name (followed by
    ", " and the other parameters' values when more than one parameter varies), so that
    each scenario gets its own line on the same axes; `scenarios`: only these (default
    all). attrs as sweep_band_data."""
    parts = []
    for s in (sweep_scenarios(f, name) if scenarios is None else scenarios):
        b = sweep_band_data(f, name, metric, x, scen, scenario=s)
        b.insert(1, "scenario", s)
        b["group"] = [s + (", " + g if g else "") for g in b["group"]]
        parts.append(b)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if parts:
        out.attrs.update({k: v for k, v in parts[0].attrs.items() if k != "scenario"})
    return out


def sweep_heatmap_data(f, name, metric=DEFAULT_SWEEP_METRIC, x=None, y=None, bins=6, scenario=None):
    """The metric's point means over two parameters: a DataFrame with y values as index
    and x values as columns (numbers sorted, "no limit" last, text in the sweep's order);
    attrs x, y, metric, averaged (other varying paths, averaged over), filled (share of
    cells with a value) and binned (True when the points do not form a grid: each axis is
    then cut into `bins` quantile bins and the cells are bin averages, labelled by the
    bin's mean value). None when fewer than two paths vary. With `scenario`: only that
    scenario's points."""
    pts = _only(sweep_points(f, name), scenario)
    if metric not in pts.columns:
        raise KeyError(metric)
    paths = sweep_paths(f, name)
    varying = _varying(pts, paths)
    x = x or (varying[0] if varying else None)
    rest = [p for p in varying if p != x]
    y = y or (rest[0] if rest else None)
    if x is None or y is None or x == y:
        return None
    d = pts[[x, y, metric]].copy()
    table = d.pivot_table(index=y, columns=x, values=metric, aggfunc="mean")
    filled = float(np.isfinite(table.to_numpy(dtype=float)).mean()) if table.size else 0.0
    binned = False
    if filled < 0.5 and _numeric(d[x]) and _numeric(d[y]):
        binned = True
        for c in (x, y):
            q = pd.qcut(d[c], q=min(bins, d[c].nunique()), duplicates="drop")
            d[c] = d.groupby(q, observed=True)[c].transform("mean")
        table = d.pivot_table(index=y, columns=x, values=metric, aggfunc="mean")
        filled = float(np.isfinite(table.to_numpy(dtype=float)).mean()) if table.size else 0.0
    for axis, col in ((0, y), (1, x)):
        key = sort_key(col, pts[col])
        labels = pd.Series(table.axes[axis])
        table = table.reindex(list(labels.iloc[np.argsort(key(labels).to_numpy(), kind="stable")]), axis=axis)
    table.attrs.update({"x": x, "y": y, "metric": metric, "averaged": [p for p in varying if p not in (x, y)],
                        "filled": filled, "binned": binned})
    return table


def partial_dependence_data(f, name, metric=DEFAULT_SWEEP_METRIC, bins=PD_BINS, scenario=None):
    """Per varied parameter, the metric averaged over the other parameters.

    Returns {path: DataFrame(value, mean, ci_low, ci_high, n_points, special)}: one row
    per distinct value when a parameter has at most `bins` values (text values, and
    "no limit", are their own rows), else per quantile bin (value = the mean of the
    parameter over the bin's points). mean is the mean of the point means in the row;
    the 95% interval is Student-t over those point means when the row has 2 or more
    points, else over the one point's replications. Parameters in sweep order; the
    result's attrs["influence"] gives each parameter's range of row means (max - min),
    attrs["points"] the points table. With `scenario`: only that scenario's rows."""
    pts = _only(sweep_points(f, name), scenario)
    if metric not in pts.columns:
        raise KeyError(metric)
    paths = _varying(pts, sweep_paths(f, name))
    reps = _only(sweep_replications(f, name), scenario)
    rep_by_point = {int(p): g[metric].to_numpy() for p, g in reps.groupby("point")} if (
        reps is not None and metric in reps.columns) else {}
    out, influence = {}, {}
    for p in paths:
        col = pts[p]
        special = col.map(lambda v: is_special(p, v))
        if not _numeric(col) or col.nunique() <= bins:
            key = col.astype(str) if not _numeric(col) else col
            groups = [(v, pts[key == v]) for v in dict.fromkeys(key)]
        else:
            num = pts[~special]
            q = pd.qcut(num[p], q=bins, duplicates="drop")
            groups = [(float(g[p].mean()), g) for _, g in num.groupby(q, observed=True)]
            groups += [(v, pts[special & (col == v)]) for v in dict.fromkeys(col[special])]
        rows = []
        for v, g in groups:
            means = g[metric].to_numpy(dtype=float)
            if len(means) >= 2:
                m, _, _, lo, hi = mean_interval(means)
            else:
                m = float(means[0]) if len(means) else math.nan
                _, _, _, lo, hi = mean_interval(rep_by_point.get(int(g["point"].iloc[0]), [])) if len(g) else (
                    0, 0, 0, math.nan, math.nan)
            rows.append({"value": v, "mean": m, "ci_low": lo, "ci_high": hi, "n_points": len(g),
                         "special": is_special(p, v)})
        df = pd.DataFrame(rows)
        if len(df):
            df = df.assign(_k=sort_key(p, df["value"])(df["value"])).sort_values("_k").drop(columns=["_k"])
        out[p] = df.reset_index(drop=True)
        influence[p] = float(df["mean"].max() - df["mean"].min()) if len(df) else 0.0
    res = dict(out)
    return PD(res, influence, pts)


class PD(dict):
    """A dict path -> DataFrame with the influence of each parameter and the points."""

    def __init__(self, d, influence, points):
        super().__init__(d)
        self.attrs = {"influence": influence, "points": points}

    def most_influential(self, k=2):
        return sorted(self.attrs["influence"], key=lambda p: -self.attrs["influence"][p])[:k]


def best_points_data(f, name, metric, direction, k=10, scenario=None):
    """The k best points on the metric (highest for direction "higher", lowest for
    "lower"; by mean), each with its replication interval: DataFrame(point, PATH
    columns, mean, ci_low, ci_high, n, rank). Empty without a direction. With
    `scenario`: the best points of that scenario."""
    if direction not in ("higher", "lower"):
        return pd.DataFrame()
    band = sweep_band_data(f, name, metric, scenario=scenario)
    d = band.sort_values("mean", ascending=(direction == "lower"), kind="stable").head(k).copy()
    d["rank"] = np.arange(1, len(d) + 1)
    return d.reset_index(drop=True)


def sweep_differences_data(f, name, metric=DEFAULT_SWEEP_METRIC, x=None, scen=None):
    """The paired differences of one metric from the baseline (the first scenario) at
    every point, from the `differences` table of a sweep of several organisations.

    Columns: point, scenario (each scenario after the baseline, in the listed order),
    every PATH column (the point's values), diff, diff_ci_low, diff_ci_high, rel_change
    (the file's values, unchanged) and group (the scenario's name, followed by ", " and
    the other varying parameters' values when more than one varies). Rows ordered by
    scenario, then group, then x value as in sweep_band_data. attrs: x, metric, baseline.
    None when the sweep has no `differences` table; KeyError when the metric has no row."""
    path = f"sweeps/{name}/differences"
    g = sweep_group(f, name)
    if "differences" not in g:
        return None
    d = read_table(f, path, ("point", "scenario", "metric", "diff", "diff_ci_low", "diff_ci_high", "rel_change"))
    d = d[d["metric"] == metric].drop(columns=["metric"])
    if len(d) == 0:
        raise KeyError(metric)
    paths = sweep_paths(f, name)
    pts = sweep_points(f, name)
    first = pts.drop_duplicates("point").set_index("point")
    for c in paths:
        d[c] = [first[c].get(int(p)) for p in d["point"]]
    d = d[["point", "scenario", *paths, "diff", "diff_ci_low", "diff_ci_high", "rel_change"]].reset_index(drop=True)
    varying = _varying(d, paths) if len(d) else []
    xcol = x or (varying[0] if varying else (paths[0] if paths else None))
    if xcol is not None and xcol not in d.columns:
        raise KeyError(xcol)
    others = [p for p in varying if p != xcol]
    d["group"] = [r["scenario"] + (", " + legend(r, others, scen) if others else "") for _, r in d.iterrows()]
    order = {s: i for i, s in enumerate(sweep_scenarios(f, name))}
    d = d.assign(_s=d["scenario"].map(lambda s: order.get(s, len(order))))
    keys = ["_s", "group"]
    if xcol is not None:
        d = d.assign(_k=sort_key(xcol, d[xcol])(d[xcol]))
        keys.append("_k")
    d = d.sort_values(keys, kind="stable").drop(columns=[k for k in ("_s", "_k") if k in d.columns])
    d = d.reset_index(drop=True)
    d.attrs.update({"x": xcol, "metric": metric, "baseline": sweep_baseline(f, name)})
    return d


def difference_findings(data, direction=None):
    """Per scenario (in data's order): where the difference's 95% interval excludes zero.

    {scenario: {"above": rows with diff_ci_low > 0, "below": rows with diff_ci_high < 0,
    "zero": the other rows (interval holds zero, or NaN)}} (each a DataFrame of data's
    rows), with "better"/"worse" naming "above"/"below" by the metric's direction
    ("higher": above is better; "lower": below is better; none: neither key)."""
    out = {}
    for s in dict.fromkeys(data["scenario"]):
        d = data[data["scenario"] == s]
        above = d[d["diff_ci_low"] > 0]
        below = d[d["diff_ci_high"] < 0]
        zero = d[~d.index.isin(above.index) & ~d.index.isin(below.index)]
        r = {"above": above, "below": below, "zero": zero}
        if direction == "higher":
            r.update({"better": above, "worse": below})
        elif direction == "lower":
            r.update({"better": below, "worse": above})
        out[s] = r
    return out


# ---- drawing -------------------------------------------------------------------------------


def _x_positions(path, values):
    """Numeric x positions for a parameter's values: numbers on their scale (converted
    to the unit people use), "no limit" apart at the right, text values 0, 1, 2, ...
    Returns (positions, ticks [(pos, label)], ordered: True when lines may join them)."""
    vals = list(values)
    if not all(isinstance(v, (int, float, np.integer, np.floating)) for v in vals):
        order = list(dict.fromkeys(vals))
        pos = {v: i for i, v in enumerate(order)}
        return [pos[v] for v in vals], [(pos[v], param_value(path, v)) for v in order], False
    factor, _ = param_axis_unit(path, vals)
    normal = sorted({float(v) for v in vals if not is_special(path, v)})
    span = (max(normal) - min(normal)) * factor if len(normal) > 1 else 1.0
    special_pos = (max(normal) * factor if normal else 0.0) + 0.25 * span + (1.0 if not normal else 0.0)
    pos = [special_pos if is_special(path, v) else float(v) * factor for v in vals]
    ticks = [(special_pos, "no limit")] if any(is_special(path, v) for v in vals) else []
    return pos, ticks, True


def _apply_ticks(ax, path, data_values, ticks, ordered):
    vals = [v for v in data_values if not is_special(path, v)]
    if not ordered:
        ax.set_xticks([p for p, _ in ticks], [lab for _, lab in ticks])
        return
    factor, _ = param_axis_unit(path, vals)
    distinct = sorted({float(v) for v in vals})
    if 0 < len(distinct) <= 10:
        t = [(v * factor, param_value(path, v, with_unit=False)) for v in distinct] + ticks
        ax.set_xticks([p for p, _ in t], [lab for _, lab in t])
    elif ticks:
        cur = [(p, f"{p:g}") for p in ax.get_xticks() if p <= max(distinct) * factor]
        t = cur + ticks
        ax.set_xticks([p for p, _ in t], [lab for _, lab in t])


def _x_label(path, values, scen):
    _, unit = param_axis_unit(path, [v for v in values if not is_special(path, v)])
    lab = param_label(path, scen)
    return f"{lab} ({unit})" if unit and f"({unit})" not in lab and unit not in lab else lab


def _zero_based(ax, lows, highs, yrange=None):
    """y from zero (when nothing is negative) to the largest value; when the chart shares
    its range with others, `yrange` (display units: the lowest and highest of all of
    them) sets both ends, from zero or below it."""
    if yrange is not None and all(np.isfinite(yrange)):
        lo, hi = min(0.0, float(yrange[0])), max(float(yrange[1]), 0.0)
        ax.set_ylim(lo * 1.08, (hi if hi > 0 else 1.0) * 1.08)
        return
    lo = np.nanmin(lows) if len(lows) else 0.0
    hi = np.nanmax(highs) if len(highs) else 1.0
    if not np.isfinite(lo) or lo >= 0:
        ax.set_ylim(0, (hi if np.isfinite(hi) and hi > 0 else 1.0) * 1.08)


def plot_sweep_lines(c, data, metric_info, display, title, scen=None, yrange=None):
    """The metric against one parameter, one line per group, with 95% bands; lines only
    where x is ordered (numbers); "no limit" drawn apart; y from zero (over `yrange`,
    stored units (low, high), when shared with other sweeps)."""
    x = data.attrs["x"]
    k = display.value(1.0)
    fig, ax = c.subplots(size=(9, 5))
    groups = list(dict.fromkeys(data["group"]))
    for i, g in enumerate(groups[:MAX_LINES]):
        d = data[data["group"] == g]
        col = PALETTE[i % len(PALETTE)]
        pos, ticks, ordered = _x_positions(x, d[x])
        d = d.assign(_pos=pos)
        normal = d[[not is_special(x, v) for v in d[x]]]
        special = d[[is_special(x, v) for v in d[x]]]
        lab = g or None
        if ordered:
            ax.plot(normal["_pos"], k * normal["mean"], "o-", color=col, label=lab)
            if normal["ci_low"].notna().any():
                ax.fill_between(normal["_pos"], k * normal["ci_low"], k * normal["ci_high"], color=col, alpha=0.2, lw=0)
            if len(special):
                err = np.nan_to_num(np.vstack([special["mean"] - special["ci_low"], special["ci_high"] - special["mean"]]))
                ax.errorbar(special["_pos"], k * special["mean"], yerr=k * err, fmt="s", color=col, capsize=4,
                            label=None)
        else:
            off = (i - (min(len(groups), MAX_LINES) - 1) / 2) * 0.08
            err = np.nan_to_num(np.vstack([d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]]))
            ax.errorbar(np.asarray(pos) + off, k * d["mean"], yerr=k * err, fmt="o", color=col, capsize=4, label=lab)
        _apply_ticks(ax, x, d[x], ticks, ordered)
    if any(is_special(x, v) for v in data[x]):
        ax.axvline(_x_positions(x, data[x])[0][[is_special(x, v) for v in data[x]].index(True)]
                   - 0.125 * max(1e-9, (ax.get_xlim()[1] - ax.get_xlim()[0])) / 1.6, color="#999", ls=":", lw=1)
    # what each line shows (stored units): {group: {"x": values, "mean", "ci_low", "ci_high"}}
    c.info["series"] = {g: {"x": list(data.loc[data["group"] == g, x]),
                            **{col: list(data.loc[data["group"] == g, col]) for col in ("mean", "ci_low", "ci_high")}}
                        for g in groups[:MAX_LINES]}
    _zero_based(ax, k * data["ci_low"].fillna(data["mean"]), k * data["ci_high"].fillna(data["mean"]),
                None if yrange is None else (k * yrange[0], k * yrange[1]))
    c.info["ylim"] = tuple(v / k if k else v for v in ax.get_ylim())
    ax.set_xlabel(_x_label(x, data[x], scen))
    ax.set_ylabel(f"{metric_info.label}" + (f" ({display.unit})" if display.unit else ""))
    ax.set_title(title)
    if any(groups):
        ax.legend(loc="best")
    money_axis(ax, display)
    c.save(fig)


def plot_partial_dependence(c, pd_data, metric_info, display, title, scen=None, yrange=None):
    """One panel per varied parameter, one shared y axis (the panels are compared): the
    point means as grey dots, the averaged metric as a line (numbers) or dots (text) with
    its 95% band; "no limit" drawn apart."""
    paths = list(pd_data)
    n = len(paths)
    ncols = min(3, n) if not c.present else min(2, n)
    nrows = int(math.ceil(n / ncols))
    fig, axes = c.subplots(nrows, ncols, size=(4.4 * ncols + 1, 3.6 * nrows + 0.6), squeeze=False, sharey=True)
    k = display.value(1.0)
    pts = pd_data.attrs["points"]
    metric = metric_info.name
    for i, p in enumerate(paths):
        ax = axes[i // ncols][i % ncols]
        d = pd_data[p]
        raw_pos, _, _ = _x_positions(p, list(pts[p]))
        ax.plot(raw_pos, k * pts[metric], "o", color="#bbbbbb", ms=3, alpha=0.6, zorder=1)
        pos, ticks, ordered = _x_positions(p, list(d["value"]))
        d = d.assign(_pos=pos)
        normal, special = d[~d["special"]], d[d["special"]]
        if ordered:
            ax.plot(normal["_pos"], k * normal["mean"], "-", color=PALETTE[0], lw=2, zorder=3)
            ax.fill_between(normal["_pos"], k * normal["ci_low"], k * normal["ci_high"], color=PALETTE[0], alpha=0.25,
                            lw=0, zorder=2)
            if len(special):
                err = np.nan_to_num(np.vstack([special["mean"] - special["ci_low"], special["ci_high"] - special["mean"]]))
                ax.errorbar(special["_pos"], k * special["mean"], yerr=k * err, fmt="s", color=PALETTE[0], capsize=4)
        else:
            err = np.nan_to_num(np.vstack([d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]]))
            ax.errorbar(d["_pos"], k * d["mean"], yerr=k * err, fmt="o", color=PALETTE[0], capsize=4, zorder=3)
        _apply_ticks(ax, p, list(pts[p]), ticks, ordered)
        ax.set_xlabel(_x_label(p, list(pts[p]), scen))
        if i % ncols == 0:
            ax.set_ylabel(f"{metric_info.label}" + (f"\n({display.unit})" if display.unit else ""))
    for j in range(n, nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    allv = np.concatenate([k * pts[metric].to_numpy(dtype=float)] + [k * pd_data[p]["ci_high"].to_numpy(dtype=float)
                                                                     for p in paths])
    _zero_based(axes[0][0], k * pts[metric].to_numpy(dtype=float), allv,
                None if yrange is None else (k * yrange[0], k * yrange[1]))
    c.info["ylim"] = tuple(v / k if k else v for v in axes[0][0].get_ylim())
    money_axis(axes[0][0], display)
    fig.suptitle(title)
    c.save(fig)


def _heatmap_cells(ax, table, v, display, vmin, vmax, scen=None, ylabel=True):
    """One heat map on ax: `table` (from sweep_heatmap_data; v, its values in display
    units) on the colour scale vmin to vmax (display units), the parameters' values as
    ticks, the axes labelled (y only with `ylabel`) and, with at most 100 cells, each
    cell's value written in it. Returns the image, for the colour bar."""
    k = display.value(1.0)
    im = ax.imshow(v, origin="lower", aspect="auto", cmap="viridis", vmin=vmin, vmax=vmax)
    x, y = table.attrs["x"], table.attrs["y"]
    ax.set_xticks(range(v.shape[1]), [param_value(x, cv, scen, with_unit=False) for cv in table.columns])
    ax.set_yticks(range(v.shape[0]), [param_value(y, rv, scen, with_unit=False) for rv in table.index])
    ax.set_xlabel(_x_label(x, list(table.columns), scen))
    if ylabel:
        ax.set_ylabel(_x_label(y, list(table.index), scen))
    ax.grid(False)
    if v.size <= 100:
        for i in range(v.shape[0]):
            for j in range(v.shape[1]):
                if np.isfinite(v[i, j]):
                    dark = vmax > vmin and (v[i, j] - vmin) / (vmax - vmin) < 0.6
                    ax.text(j, i, display.fmt(v[i, j] / k if k else v[i, j]), ha="center", va="center",
                            fontsize="small", color="white" if dark else "black")
    return im


def plot_heatmap(c, table, metric_info, display, title, scen=None, vrange=None):
    """The metric over two parameters, value in each cell; vrange (stored units) shares
    the colour scale between heat maps meant to be compared."""
    k = display.value(1.0)
    v = table.to_numpy(dtype=float) * k
    fig, ax = c.subplots(size=(max(7.5, 1.1 * v.shape[1] + 3), max(3.8, 0.7 * v.shape[0] + 2)))
    vmin, vmax = (k * vrange[0], k * vrange[1]) if vrange else (np.nanmin(v), np.nanmax(v))
    im = _heatmap_cells(ax, table, v, display, vmin, vmax, scen)
    c.info["vmin"], c.info["vmax"] = (vmin / k, vmax / k) if k else (vmin, vmax)  # stored units
    unit = f" ({display.unit})" if display.unit and display.unit not in metric_info.label else ""
    cb = fig.colorbar(im, ax=ax, label=f"{metric_info.label}{unit}")
    money_axis(cb.ax, display, "y")  # 50 k, 1.2 M
    ax.set_title(title)
    c.save(fig)


def plot_best_points(c, best, paths, metric_info, display, title, scen=None):
    """The best points, best at the top: mean with its 95% interval, zero-based, each
    labelled by its parameter values in words."""
    if c.present:
        best = best.head(5)  # a projector shows five readable rows, not ten crowded ones
    fig, ax = c.subplots(size=(10, 1.4 + 0.5 * len(best)))
    k = display.value(1.0)
    ys = np.arange(len(best))[::-1]
    mean = k * best["mean"].to_numpy()
    err = np.nan_to_num(np.vstack([mean - k * best["ci_low"].to_numpy(), k * best["ci_high"].to_numpy() - mean]))
    ax.errorbar(mean, ys, xerr=err, fmt="o", color=PALETTE[0], capsize=4)
    import textwrap
    width = 40 if c.present else 60
    ax.set_yticks(ys, ["\n".join(textwrap.wrap(legend(r, paths, scen), width)) for _, r in best.iterrows()])
    hi = float(np.nanmax(mean + err[1])) if len(mean) else 1.0
    lo = float(np.nanmin(mean - err[0])) if len(mean) else 0.0
    ax.set_xlim(min(0.0, lo), hi * 1.1 if hi > 0 else 1.0)
    ax.set_xlabel(f"{metric_info.label}" + (f" ({display.unit})" if display.unit else "") + ", 95% interval")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    money_axis(ax, display, "x")
    c.save(fig)


def fmt_value(v):
    return fmt(v)


def plot_difference_bands(c, data, metric_info, display, title, scen=None):
    """The paired difference from the baseline against the swept parameter: one line per
    scenario (and group) with its 95% band, a zero line; a parameter with text values gets
    dots with error bars. c.info: the groups drawn and the y range (stored units)."""
    x = data.attrs["x"]
    k = display.value(1.0)
    fig, ax = c.subplots(size=(9, 5))
    groups = list(dict.fromkeys(data["group"]))[:MAX_LINES]
    ax.axhline(0, color="#444", lw=1, zorder=1)
    for i, g in enumerate(groups):
        d = data[data["group"] == g]
        col = PALETTE[(i + 1) % len(PALETTE)]  # colour 0 is the baseline's in the lines chart
        pos, ticks, ordered = _x_positions(x, d[x])
        d = d.assign(_pos=pos)
        if ordered:
            normal = d[[not is_special(x, v) for v in d[x]]]
            special = d[[is_special(x, v) for v in d[x]]]
            ax.plot(normal["_pos"], k * normal["diff"], "o-", color=col, label=g, zorder=3)
            ax.fill_between(normal["_pos"], k * normal["diff_ci_low"], k * normal["diff_ci_high"], color=col,
                            alpha=0.2, lw=0)
            if len(special):
                err = np.nan_to_num(np.vstack([special["diff"] - special["diff_ci_low"],
                                               special["diff_ci_high"] - special["diff"]]))
                ax.errorbar(special["_pos"], k * special["diff"], yerr=k * err, fmt="s", color=col, capsize=4)
        else:
            off = (i - (len(groups) - 1) / 2) * 0.08
            err = np.nan_to_num(np.vstack([d["diff"] - d["diff_ci_low"], d["diff_ci_high"] - d["diff"]]))
            ax.errorbar(np.asarray(pos) + off, k * d["diff"], yerr=k * err, fmt="o", color=col, capsize=4, label=g)
        _apply_ticks(ax, x, d[x], ticks, ordered)
    c.info["groups"] = groups
    c.info["series"] = {g: {"point": [int(p) for p in data.loc[data["group"] == g, "point"]],
                            **{col: list(data.loc[data["group"] == g, col]) for col in ("diff", "diff_ci_low",
                                                                                       "diff_ci_high")}}
                        for g in groups}
    c.info["ylim"] = tuple(v / k if k else v for v in ax.get_ylim())
    ax.set_xlabel(_x_label(x, data[x], scen))
    unit = f" ({display.unit})" if display.unit else ""
    ax.set_ylabel(f"Difference from {data.attrs.get('baseline')}{unit}")
    ax.set_title(title)
    ax.legend(loc="best")
    money_axis(ax, display)
    c.save(fig)


def plot_heatmap_panels(c, tables, metric_info, display, title, scen=None, vrange=None):
    """One heat map per scenario side by side on one colour scale (the lowest and highest
    cell of all panels, or vrange in stored units): `tables` is a list of (scenario,
    table from sweep_heatmap_data). c.info: vmin, vmax (stored units), panels."""
    k = display.value(1.0)
    vals = [t.to_numpy(dtype=float) * k for _, t in tables]
    if vrange:
        vmin, vmax = k * vrange[0], k * vrange[1]
    else:
        vmin = min(float(np.nanmin(v)) for v in vals)
        vmax = max(float(np.nanmax(v)) for v in vals)
    n = len(tables)
    rows, cols = max(v.shape[0] for v in vals), max(v.shape[1] for v in vals)
    fig, axes = c.subplots(1, n, size=(max(5.5, 1.0 * cols + 2.5) * n + 1.2, max(3.8, 0.7 * rows + 2)),
                           squeeze=False)
    c.info["vmin"], c.info["vmax"] = (vmin / k, vmax / k) if k else (vmin, vmax)
    c.info["panels"] = [s for s, _ in tables]
    c.info["cells"] = {s: t for s, t in tables}  # each panel's table (stored units)
    im = None
    for i, ((s, table), v) in enumerate(zip(tables, vals)):
        ax = axes[0][i]
        im = _heatmap_cells(ax, table, v, display, vmin, vmax, scen, ylabel=i == 0)
        ax.set_title(s)
    unit = f" ({display.unit})" if display.unit and display.unit not in metric_info.label else ""
    cb = fig.colorbar(im, ax=list(axes[0]), label=f"{metric_info.label}{unit}")
    money_axis(cb.ax, display, "y")
    fig.suptitle(title)
    c.save(fig, tight=False)
