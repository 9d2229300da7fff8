"""Flow over time: the cumulative flow diagram and WIP with throughput."""
import numpy as np
import pandas as pd

from ..labels import stage_words
from ..reading import has_table, read_table, run_attrs
from ..units import HOURS_PER_WEEK
from .style import GOOD, PALETTE, shade_warmup


def series_frame(f, run, replication=None):
    """The run's time series: one replication, or (replication=None) the mean over
    replications at each sample time. None when the file has no series."""
    path = f"runs/{run}/series"
    if not has_table(f, path):
        return None
    s = read_table(f, path, ("replication", "time_h"))
    if len(s) == 0:
        return None
    if replication is not None:
        s = s[s["replication"] == replication].drop(columns=["replication"])
        if len(s) == 0:
            raise ValueError(f"run {run}: replication {replication} has no series rows")
        return s.sort_values("time_h").reset_index(drop=True)
    return s.drop(columns=["replication"]).groupby("time_h", as_index=False).mean(numeric_only=True)


def cfd_data(f, run, replication=None):
    """Cumulative flow diagram: cumulative arrivals at each stage over time.

    One row per sample time (replication `replication`, default the mean over
    replications at each time). Columns: time_h, time_w (weeks), arrivals_cum,
    `stage.<s>.arrivals_cum` for every stage of the run's `stages` attribute, in order
    (a lead sent back to a stage counts again), wins_cum and exits_cum. None without
    series."""
    s = series_frame(f, run, replication)
    if s is None:
        return None
    out = pd.DataFrame({"time_h": s["time_h"], "time_w": s["time_h"] / HOURS_PER_WEEK,
                        "arrivals_cum": s.get("arrivals_cum", np.nan)})
    for st in run_attrs(f, run)["stages"]:
        col = f"stage.{st}.arrivals_cum"
        out[col] = s[col] if col in s else np.nan
    out["wins_cum"] = s.get("wins_cum", np.nan)
    out["exits_cum"] = s.get("exits_cum", np.nan)
    return out.reset_index(drop=True)


def cfd_curves(stages):
    """(column, label) of the CFD curves, top to bottom."""
    return ([("arrivals_cum", "Arrived")] + [(f"stage.{st}.arrivals_cum", f"Reached {stage_words(st)}")
                                              for st in stages] + [("wins_cum", "Won")])


def wip_throughput_data(f, run, replication=None):
    """WIP and throughput over time (mean over replications unless one is given).

    Columns: time_h, time_w, wip (leads in the system), per stage `stage.<s>.wip`, and
    per sampling interval ending at time_h: exits_per_week and wins_per_week (increase
    of exits_cum / wins_cum over the interval, per 168 h; NaN for the first sample).
    None without series."""
    s = series_frame(f, run, replication)
    if s is None:
        return None
    out = pd.DataFrame({"time_h": s["time_h"], "time_w": s["time_h"] / HOURS_PER_WEEK, "wip": s["wip"]})
    for st in run_attrs(f, run)["stages"]:
        col = f"stage.{st}.wip"
        if col in s:
            out[col] = s[col]
    dt = s["time_h"].diff()
    out["exits_per_week"] = s["exits_cum"].diff() / dt * HOURS_PER_WEEK
    out["wins_per_week"] = s["wins_cum"].diff() / dt * HOURS_PER_WEEK
    return out.reset_index(drop=True)


def plot_cfd(c, data, stages, title, warmup_w, top=None):
    """top: the y axis's upper end when the chart is compared with others (the runs of a
    comparison); default the data's."""
    fig, ax = c.subplots(size=(9, 5))
    curves = [(col, lab) for col, lab in cfd_curves(stages) if data[col].notna().all()]
    if len(curves) > 2 and np.allclose(data[curves[0][0]], data[curves[1][0]]):
        curves = curves[1:]  # every lead starts in the first stage: "Arrived" is that stage's line
    colours = (["#e0e0e0"] if curves[0][0] == "arrivals_cum" else []) + PALETTE[: len(stages)] + [GOOD]
    t = data["time_w"]
    for i, (col, lab) in enumerate(curves):
        lower = data[curves[i + 1][0]] if i + 1 < len(curves) else 0.0 * data[col]
        ax.fill_between(t, lower, data[col], color=colours[i], alpha=0.85, lw=0, label=lab)
        ax.plot(t, data[col], color="black" if i == 0 else colours[i], lw=1.0 if i == 0 else 0.6)
    ax.plot(t, data["exits_cum"], color="black", ls="--", lw=1.2, label="Closed out (won, lost, ...)")
    shade_warmup(ax, warmup_w)
    ax.set_xlabel("Time (weeks)")
    ax.set_ylabel("Leads since the start")
    ax.set_title(title)
    ax.set_xlim(t.min(), t.max())
    ax.set_ylim(0, top * 1.02 if top else None)
    c.info["ylim"] = ax.get_ylim()
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    c.save(fig)


def plot_wip_throughput(c, data, stages, title, warmup_w, tops=None):
    """Three panels sharing the time axis: WIP stacked by stage; leads closed out per
    week; deals won per week (on its own axis: a few a week next to dozens would look
    flat on a shared one). tops: (wip, closed per week, won per week) upper ends when the
    chart is compared with others; default the data's."""
    tops = tops or (None, None, None)
    fig, (a1, a2, a3) = c.subplots(3, 1, size=(10, 8), sharex=True)
    cols = [f"stage.{s}.wip" for s in stages if f"stage.{s}.wip" in data]
    if cols:
        a1.stackplot(data["time_w"], *[data[col] for col in cols],
                     labels=[f"In {stage_words(s)}" for s in stages if f"stage.{s}.wip" in data],
                     colors=PALETTE[: len(cols)], alpha=0.85, lw=0)
    a1.plot(data["time_w"], data["wip"], color="black", lw=1.2, label="All leads in progress")
    a1.set_ylabel("Leads in progress")
    a1.set_title(title)
    h, lab = a1.get_legend_handles_labels()
    a1.legend(h[::-1], lab[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0))
    a1.set_ylim(0, tops[0] * 1.05 if tops[0] else None)
    shade_warmup(a1, warmup_w)
    a2.plot(data["time_w"], data["exits_per_week"], color=PALETTE[0], lw=1.5)
    a2.set_ylabel("Closed out\nper week")
    a2.set_ylim(0, tops[1] * 1.05 if tops[1] else None)
    shade_warmup(a2, warmup_w)
    a3.plot(data["time_w"], data["wins_per_week"], color=GOOD, lw=1.5)
    a3.set_ylabel("Won\nper week")
    a3.set_xlabel("Time (weeks)")
    a3.set_ylim(0, tops[2] * 1.05 if tops[2] else None)
    c.info["ylim"] = (a1.get_ylim(), a2.get_ylim(), a3.get_ylim())
    shade_warmup(a3, warmup_w)
    a3.set_xlim(data["time_w"].min(), data["time_w"].max())
    c.save(fig)
