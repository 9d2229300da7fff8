"""Where a lead's time goes (the value stream) and the stage funnel with stage-to-stage
conversion, per organisation, side by side (docs/report.md, "Comparison: value stream
and funnel").

Two sources, the better one first:

- `/explanations/<scenario>` written by `salesflow explain` (docs/results-format.md),
  in the results file itself or in a file given to report.py with `--explain`: the
  `value_stream` table (hours per lead per stage and part, for all leads and for won
  deals, measured from every lead's events) and the `funnel` table (leads entering
  each stage and the conversion to the next);
- otherwise the run's own replications: per stage, `stage.<s>.wait_mean_h`,
  `stage.<s>.handoff_delay_mean_h` and `stage.<s>.work_mean_h` (hours per visit) times
  `stage.<s>.visits` / `leads_exited` give hours per lead closed; the rest of
  `lead_time_mean_h` is one segment "buyer time and the rest" (the buyer's responses
  between touches, work pauses outside working hours, batch holds), not split by stage.
  The won deals' lead time (`lead_time_won_mean_h`) is one unsplit segment. The funnel
  is leads arrived, opportunities, proposals, won (the summary's means).

Each part is computed per replication and then averaged, so in both sources the parts
of a subset add up to its lead time (to rounding).
"""
import math

import numpy as np
import pandas as pd

from ..reading import has_table, read_table, run_attrs, run_replications, summary_dict, text
from ..units import duration_display, fmt
from .style import PALETTE

# part -> (words, colour); the order is the order of the segments within a stage
PARTS = {
    "queue": ("waiting for a person", "#f28e2b"),
    "blocked": ("waiting for room in the stage (WIP limit)", "#b85c00"),
    "handoff": ("handoff delay", "#b07aa1"),
    "work": ("work", "#1f6fb4"),
    "between": ("between touches: buyer, handoffs, batch holds", "#9e9e9e"),
    "rest": ("buyer time and the rest (not split by stage)", "#c7c7c7"),
    "unsplit": ("not split by stage (no explain data)", "#dddddd"),
}
SUBSET_WORDS = {"all": "all leads", "won": "won deals"}
FUNNEL_FALLBACK = [("leads_arrived", "arrived"), ("opportunities", "opportunity"), ("proposals", "proposal"),
                   ("wins", "won")]
COLUMNS = ["scenario", "subset", "stage", "part", "hours", "lead_time_h", "source"]


def explanation_group(f, run, extra=()):
    """The h5py group /explanations/<run> from the results file, else from the first of
    the extra open files that has it; None when none has it."""
    for src in (f, *extra):
        p = f"explanations/{run}"
        if p in src and has_table(src, f"{p}/value_stream"):
            return src[p]
    return None


def _explain_value_stream(g, run):
    vs = read_table(g.file, f"{g.name.strip('/')}/value_stream",
                    ("subset", "stage", "queue_h", "work_h", "between_h", "blocked_h", "lead_time_h"))
    # handoff delays are a part of their own in explain files that have the column
    parts = ("queue", "blocked", "handoff", "work", "between") if "handoff_h" in vs.columns else \
        ("queue", "blocked", "work", "between")
    rows = []
    for _, r in vs.iterrows():
        for part in parts:
            rows.append({"scenario": run, "subset": text(r["subset"]), "stage": text(r["stage"]), "part": part,
                         "hours": float(r[f"{part}_h"]), "lead_time_h": float(r["lead_time_h"]),
                         "source": "explain"})
    return rows


def _metric_value_stream(f, run):
    at = run_attrs(f, run)
    reps = run_replications(f, run)
    need = ["leads_exited", "lead_time_mean_h"]
    if any(c not in reps.columns for c in need) or len(reps) == 0:
        return []
    exited = reps["leads_exited"].to_numpy(dtype=float)
    lt = reps["lead_time_mean_h"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_lead = np.where(exited > 0, 1.0 / exited, 0.0)
    rows, used = [], np.zeros(len(reps))
    for s in at["stages"]:
        v = reps.get(f"stage.{s}.visits")
        if v is None:
            continue
        for part, col in (("queue", "wait_mean_h"), ("handoff", "handoff_delay_mean_h"), ("work", "work_mean_h")):
            c = reps.get(f"stage.{s}.{col}")
            if c is None:
                continue
            h = c.to_numpy(dtype=float) * v.to_numpy(dtype=float) * per_lead
            used += h
            rows.append({"scenario": run, "subset": "all", "stage": s, "part": part, "hours": float(h.mean()),
                         "lead_time_h": float(lt.mean()), "source": "metrics"})
    rows.append({"scenario": run, "subset": "all", "stage": "", "part": "rest", "hours": float((lt - used).mean()),
                 "lead_time_h": float(lt.mean()), "source": "metrics"})
    if "lead_time_won_mean_h" in reps.columns:
        w = float(reps["lead_time_won_mean_h"].mean())
        rows.append({"scenario": run, "subset": "won", "stage": "", "part": "unsplit", "hours": w,
                     "lead_time_h": w, "source": "metrics"})
    return rows


def value_stream_data(f, runs, extra=()):
    """Hours per lead by stage and part, per scenario: one row per (scenario, subset,
    stage, part) with columns scenario, subset ("all" or "won"), stage ("" for a part
    not split by stage), part (a key of PARTS), hours (mean over replications of hours
    per lead of the subset), lead_time_h (the subset's mean lead time), source
    ("explain" or "metrics"). For every (scenario, subset) the hours add up to
    lead_time_h. `extra`: further open files that may hold /explanations/<scenario>."""
    rows = []
    for run in runs:
        g = explanation_group(f, run, extra)
        rows += _explain_value_stream(g, run) if g is not None else _metric_value_stream(f, run)
    return pd.DataFrame(rows, columns=COLUMNS)


def stage_funnel_data(f, runs, extra=()):
    """Leads entering each step and the conversion to the next, per scenario: columns
    scenario, step, entered (leads per replication), conversion (entered of the next
    step / entered; for the last step of explain data, won / entered; NaN for the last
    fallback step), source. From the explain `funnel` table (steps = stages) or else
    the summary: leads arrived, opportunities, proposals, won."""
    rows = []
    for run in runs:
        g = explanation_group(f, run, extra)
        if g is not None and has_table(g.file, f"{g.name.strip('/')}/funnel"):
            fu = read_table(g.file, f"{g.name.strip('/')}/funnel", ("stage", "entered", "conversion"))
            for _, r in fu.iterrows():
                rows.append({"scenario": run, "step": text(r["stage"]), "entered": float(r["entered"]),
                             "conversion": float(r["conversion"]), "source": "explain"})
            if "won" in fu.columns and len(fu):
                rows.append({"scenario": run, "step": "won", "entered": float(fu["won"].sum()),
                             "conversion": math.nan, "source": "explain"})
            continue
        summ = summary_dict(f, run)
        steps = [(m, w) for m, w in FUNNEL_FALLBACK if m in summ]
        vals = [float(summ[m]["mean"]) for m, _ in steps]
        for i, (m, w) in enumerate(steps):
            conv = vals[i + 1] / vals[i] if i + 1 < len(vals) and vals[i] > 0 else math.nan
            rows.append({"scenario": run, "step": w, "entered": vals[i], "conversion": conv, "source": "metrics"})
    return pd.DataFrame(rows, columns=["scenario", "step", "entered", "conversion", "source"])


def _segments(d):
    """The segments of one (scenario, subset) in drawing order: stage by stage, parts in
    PARTS order, then the parts not split by stage."""
    order = {p: i for i, p in enumerate(PARTS)}
    stages = list(dict.fromkeys(s for s in d["stage"] if s))
    d = d.assign(_s=[stages.index(s) if s else len(stages) for s in d["stage"]], _p=d["part"].map(order))
    return d.sort_values(["_s", "_p"], kind="stable")


def plot_value_stream(c, data, title, scen_words=None):
    """One horizontal bar per (organisation, subset), the segments in the order a lead
    lives them (stage by stage: waiting, work, between touches), coloured by part, with
    stage names over the segments wide enough to hold them and the lead time at the end;
    one x axis from zero."""
    keys = list(dict.fromkeys(zip(data["scenario"], data["subset"])))
    d_all = duration_display(float(data.groupby(["scenario", "subset"])["hours"].sum().max()) if len(data) else 0.0)
    k = d_all.value(1.0)
    fig, ax = c.subplots(size=(12, 1.4 + 0.9 * len(keys)))
    ys = np.arange(len(keys))[::-1]
    bars, drawn = [], set()
    for y, (s, sub) in zip(ys, keys):
        d = _segments(data[(data["scenario"] == s) & (data["subset"] == sub)])
        x, spans, current = 0.0, [], None
        for _, r in d.iterrows():
            w = k * max(0.0, float(r["hours"]))
            if r["stage"] != current:
                current = r["stage"]
                spans.append([current, x, x])
                if x > 0:
                    ax.plot([x, x], [y - 0.36, y + 0.36], color="black", lw=1)
            label = PARTS[r["part"]][0] if r["part"] not in drawn and w > 0 else None
            if w > 0:
                drawn.add(r["part"])
            ax.barh(y, w, left=x, height=0.6, color=PARTS[r["part"]][1], label=label, edgecolor="white", lw=0.5)
            x += w
            spans[-1][2] = x
        lt = float(d["lead_time_h"].iloc[0]) if len(d) else math.nan
        ax.text(x, y, f"  {fmt(k * lt)} {d_all.unit}", va="center", ha="left", fontsize="small")
        bars.append((y, spans, x))
    top = max([b[2] for b in bars] + [1e-9])
    ax.set_xlim(0, top * 1.18)
    for y, spans, _ in bars:  # a stage's name where its segments are wide enough to hold it
        for stage, x0, x1 in spans:
            if stage and x1 - x0 >= max(0.09, 0.012 * len(stage)) * top:
                ax.text(x0 + 0.005 * top, y + 0.31, stage, ha="left", va="bottom", fontsize="small", color="#333333")
    names = [f"{(scen_words or {}).get(s, s)}: {SUBSET_WORDS.get(sub, sub)}" for s, sub in keys]
    ax.set_yticks(ys, names)
    ax.set_ylim(-0.7, len(keys) - 0.2)
    ax.set_xlabel(f"Time per lead, mean ({d_all.unit})")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16 if not c.present else -0.14), ncol=2, frameon=False)
    c.info["xlim"] = ax.get_xlim()
    c.save(fig)


def plot_stage_funnel(c, data, title, display, scen_words=None):
    """One panel per organisation, side by side on one x axis from zero: leads entering
    each step (per week or per month), with the conversion to the next step written at
    each bar."""
    scen = list(dict.fromkeys(data["scenario"]))
    nsteps = int(data.groupby("scenario").size().max()) if len(data) else 4
    fig, axes = c.subplots(1, len(scen), size=(5.2 * len(scen) + 1.5, 1.6 + 0.55 * nsteps), squeeze=False,
                           sharex=True)
    k = display.value(1.0)
    top = float(k * data["entered"].max()) if len(data) else 1.0
    for ax, s in zip(axes[0], scen):
        d = data[data["scenario"] == s]
        ys = np.arange(len(d))[::-1]
        vals = k * d["entered"].to_numpy(dtype=float)
        cols = [PALETTE[2] if st == "won" else PALETTE[0] for st in d["step"]]
        ax.barh(ys, vals, color=cols, height=0.65)
        for y, v, conv in zip(ys, vals, d["conversion"]):
            note = f"  {fmt(v)}" + (f"  ({fmt(100 * conv)}% go on)" if math.isfinite(conv) else "")
            ax.text(v, y, note, va="center", ha="left", fontsize="small")
        ax.set_yticks(ys, list(d["step"]))
        ax.set_title((scen_words or {}).get(s, s), loc="left")
        ax.set_xlabel(f"Leads entering, {display.unit}")
        ax.grid(axis="y", visible=False)
    axes[0][0].set_xlim(0, max(top, 1e-9) * 1.7)
    fig.suptitle(title)
    c.save(fig)
