"""The sections of the report: the decision first, then comparisons, runs and sweeps.

Each chart is drawn twice through `Report.chart`: a PNG for index.html and an SVG
slide for present.html.
"""
import math
import os

import numpy as np

from . import page as H
from .charts import comparison as cmpc
from .charts import flow, funnel, kingman, leadtime, study, sweep, utilisation, valuestream
from .charts.style import draw
from .labels import fmt_clean, legend, metric_display, param_label, param_value, role_words, source_words
from .units import fmt_money
from .page import Raw, esc, span, table
from .reading import (comparison_attrs, comparison_names, file_metrics, has_table, headcounts, measured_weeks,
                      run_attrs, run_metrics, run_names, scenario, summary_frame, sweep_attrs, sweep_metrics,
                      sweep_names, sweep_paths, sweep_points, sweep_replications, text, text_list)
from .units import HOURS_PER_WEEK, fmt, fmt_pct_change, fmt_weeks

HEADLINE = cmpc.HEADLINE_FIRST + ["wins", "revenue", "productivity", "cost", "cost_per_win", "hit_rate",
                                  "win_rate", "lead_time_mean_h", "lead_time_won_mean_h", "lead_time_p85_h",
                                  "throughput_per_week", "wip_mean", "flow_efficiency", "leads_arrived",
                                  "disqualified", "abandoned", "losses", "leads_open_at_end"]
MAX_TABLE_ROWS = 20
VERDICT_CLASS = {"better": "better", "worse": "worse", "changed": "changed", "no clear difference": "nodiff"}


class Report:
    def __init__(self, outdir, present=True):
        self.outdir = outdir
        self.names = H.Names()
        self.files = []
        self.slides = []
        self.present = present
        self.info = {}  # chart file -> what its plot recorded (e.g. a heat map's vmin/vmax)

    def chart(self, page, prefix, name, kind, title, caption, plot, *args):
        """Draws plot(canvas, *args) as a PNG figure on the page and an SVG slide."""
        fn = self.names.file(prefix, name, kind, "png")
        c = draw(plot, *args)
        self.info[fn] = c.info
        with open(os.path.join(self.outdir, fn), "wb") as out:
            out.write(c.png)
        self.files.append(fn)
        page.figure(fn, title, caption)
        if self.present:
            self.slides.append((title, draw(plot, *args, mode="present").svg))
        return fn

    def csv(self, prefix, name, kind, df):
        fn = self.names.file(prefix, name, kind, "csv")
        df.to_csv(os.path.join(self.outdir, fn), index=False)
        self.files.append(fn)
        return fn


def interval(display, lo, hi):
    return f"{display.fmt(lo)} to {display.fmt(hi)}"


def description(scen):
    d = scen.get("description")
    return str(d) if d else ""


def team_words(scen):
    heads = headcounts(scen)
    return ", ".join(f"{fmt_clean(h)} {role_words(r, scen, plural=h != 1)}" for r, h in heads.items() if h) or "?"


def arrivals_words(scen):
    out = []
    for s in scen.get("sources") or []:
        if isinstance(s, dict) and "name" in s and "arrivals" in s:
            v = s["arrivals"]
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = f"{fmt(v * HOURS_PER_WEEK)} per week"
            else:
                v = str(v).replace("/w", " per week").replace("/h", " per hour").replace("/d", " per day")
            out.append(f"{source_words(s['name'])}: {v}")
    return "; ".join(out)


# ---- the decision ---------------------------------------------------------------------------


def decision_comparison(f, name, page, rep, objective, explain=()):
    dec = cmpc.decision_data(f, name, objective)
    at = comparison_attrs(f, name)
    page.h2("The answer", rep.names.anchor("answer", name))
    scen_list = " and ".join(at["scenarios"])
    runs = [s for s in at["scenarios"] if f"runs/{s}" in f]
    a0 = run_attrs(f, runs[0]) if runs else None
    weeks = measured_weeks(a0["horizon_h"], a0["warmup_h"]) if a0 else math.nan
    page.p(f"Compared: {scen_list}, on the same stream of leads (common random numbers), "
           f"{at['replications']} paired replications.")
    if dec is None:
        page.note(f"The objective {objective} is not a metric of this comparison; choose one with --objective.")
        return
    info = dec["objective"]
    ref = float(np.nanmax(np.abs(dec["rows"][["mean", "ci_high"]].to_numpy()))) if len(dec["rows"]) else 0.0
    disp = metric_display(info, ref, weeks)
    rows = dec["rows"].set_index("scenario")
    if dec["best"] is None:
        page.add(f'<p class="answer unsure">{esc(info.label)} has no better direction recorded in the file, '
                 "so the report names no winner; the numbers follow.</p>")
    else:
        best = dec["best"]
        base = dec["baseline"]
        if best != base:
            r = rows.loc[best]
            diff = interval(display_diff(disp), r["diff_ci_low"], r["diff_ci_high"])
            how = (f"{display_diff(disp).fmt_unit(r['diff'], signed=True)} ({fmt_pct_change(r['rel_change'])}) "
                   f"against {base}, paired 95% interval {diff}")
        else:
            others = [s for s in dec["scenarios"] if s != base]
            how = "; ".join(f"{s} differs by {display_diff(disp).fmt_unit(rows.loc[s, 'diff'], signed=True)} "
                            f"(paired 95% interval {interval(display_diff(disp), rows.loc[s, 'diff_ci_low'], rows.loc[s, 'diff_ci_high'])})"
                            for s in others)
        pb = dec["p_best"].get(best)
        sure = (f" It was the best in {fmt(100 * pb)}% of the {dec['n']} paired replications." if pb is not None and
                math.isfinite(pb) else "")
        word = "higher" if info.direction == "higher" else "lower"
        if dec["resolved"]:
            page.add(f'<p class="answer">{esc(best)} is better on {esc(info.label.lower())} ({word} is better): '
                     f"{esc(disp.fmt_unit(rows.loc[best, 'mean']))} against {esc(how)}.{esc(sure)}</p>")
        else:
            page.add(f'<p class="answer unsure">No clear winner on {esc(info.label.lower())}: {esc(best)} has the '
                     f"{'highest' if word == 'higher' else 'lowest'} mean ({esc(disp.fmt_unit(rows.loc[best, 'mean']))}), "
                     f"but the paired interval includes no difference ({esc(how)}).{esc(sure)} More replications "
                     "would tell.</p>")
    rep.chart(page, "decision", name, "objective", f"{info.label}: each organisation",
              f"{info.label} per scenario, mean over the replications with its 95% interval; the best is green. "
              "The axis starts at zero.", cmpc.plot_decision, dec, disp, f"{info.label} ({disp.unit})" if disp.unit
              else info.label)
    trows = []
    for _, r in dec["rows"].iterrows():
        s = r["scenario"]
        is_base = s == dec["baseline"]
        trows.append([s, disp.fmt_unit(r["mean"]), interval(disp, r["ci_low"], r["ci_high"]),
                      "baseline" if is_base else display_diff(disp).fmt_unit(r["diff"], signed=True),
                      "" if is_base else interval(display_diff(disp), r["diff_ci_low"], r["diff_ci_high"]),
                      f"{fmt(100 * r['p_best'])}%" if math.isfinite(r["p_best"]) else "n/a"])
    page.add(table(["Scenario", info.label, "95% interval", "Paired difference", "Paired 95% interval",
                    "Best in (share of replications)"], trows))
    data = cmpc.comparison_data(f, name)
    why = cmpc.explaining_metrics(data, info.name)
    if len(why):
        page.h3("Why: the three largest clear changes")
        items = []
        for _, r in why.iterrows():
            items.append(f"<li>{esc(r['label'])}: {esc(fmt_pct_change(r['rel_change']))} for {esc(r['scenario'])} "
                         f"against {esc(dec['baseline'])} (paired 95% interval {esc(fmt_pct_change(r['rel_ci_low']))} "
                         f"to {esc(fmt_pct_change(r['rel_ci_high']))})</li>")
        page.add("<ul>" + "".join(items) + "</ul>")
    explain_why(f, [s for s in at["scenarios"] if f"runs/{s}" in f], page, explain)
    page.h3("What the answer rests on")
    items = []
    if a0:
        items.append(f"Measured over {fmt_weeks(a0['horizon_h'] - a0['warmup_h'])} weeks after a warm-up of "
                     f"{fmt_weeks(a0['warmup_h'])} weeks, {a0['replications']} replications, seed {a0['seed']}.")
    for s in runs:
        sc = scenario(run_attrs(f, s)["scenario_yaml"])
        line = f"{s}: {team_words(sc)}"
        arr = arrivals_words(sc)
        if arr:
            line += f"; leads arriving: {arr}"
        d = description(sc)
        if d:
            line += f". {d}"
        items.append(line)
    items.append("The model's assumptions (work times, win chances, buyers' patience) are those of the scenario "
                 "files, shown in full under each scenario below.")
    page.add("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")


def explain_why(f, runs, page, explain=()):
    """Under the answer, per organisation with /explanations/<name> (the file or
    --explain): the lever that pays most, found by experiment, and explain's "why"
    sentences (the `levers` table and its `why` attribute)."""
    items = []
    for r in runs:
        g = valuestream.explanation_group(f, r, explain)
        if g is None or not has_table(g.file, f"{g.name.strip('/')}/levers"):
            continue
        lv = g["levers"]
        why = [text(w) for w in np.atleast_1d(lv.attrs.get("why", []))]
        if why:
            items.append(f"<li><b>{esc(r)}</b>: " + " ".join(esc(w[:1].upper() + w[1:]) for w in why) + "</li>")
    if items:
        page.h3("Why, by experiment (salesflow explain)")
        page.p("For each organisation, salesflow explain ran the scenario again with one lever moved at a time (one "
               "person more or less per role, each policy one step), on the same leads, and ranked the levers by "
               "their paired effect on its objective; its own words:", "meta")
        page.add("<ul>" + "".join(items) + "</ul>")


def display_diff(disp):
    """The display of a difference: the same unit, percentage points for shares."""
    if disp.kind == "percent":
        from .units import Display
        return Display(disp.factor, "percentage points")
    return disp


def decision_run(f, run, page, rep):
    page.h2("The answer", rep.names.anchor("answer", run))
    at = run_attrs(f, run)
    s = summary_data(f, run)
    weeks = measured_weeks(at["horizon_h"], at["warmup_h"])
    key = [m for m in (*cmpc.HEADLINE_FIRST, "wins", "lead_time_mean_h", "lead_time_won_mean_h")
           if m in set(s["metric"])]
    meta = run_metrics(f, run)
    parts = []
    for m in key:
        r = s.set_index("metric").loc[m]
        d = metric_display(meta.get(m), r["ci_high"], weeks)
        parts.append(f"{meta.get(m).label}: {d.fmt_unit(r['mean'])} (95% interval {interval(d, r['ci_low'], r['ci_high'])})")
    page.add(f'<p class="answer">{esc(run)}: ' + esc("; ".join(parts)) + ".</p>")


def decision_sweep(f, name, page, rep, metric):
    """The answer of a sweep: its best point on the metric; of a sweep of several
    organisations, the best point of each scenario."""
    page.h2("The answer", rep.names.anchor("answer", name))
    scens = sweep.sweep_scenarios(f, name)
    info = sweep_metrics(f, name).get(metric)
    paths = sweep_paths(f, name)
    scen = scenario(sweep_attrs(f, name)["scenario_yaml"])
    weeks = measured_weeks(*_sweep_window(scen))
    if info.direction not in ("higher", "lower"):
        page.p(f"{info.label} has no better direction in the file: no best point is named. The charts below show "
               "how it depends on the parameters" + (", one line per organisation." if scens else "."))
        return
    for s in scens or [None]:
        _best_point(f, name, page, rep, metric, info, paths, scen, weeks, scenario=s)


def _best_point(f, name, page, rep, metric, info, paths, scen, weeks, scenario=None):
    """The best point on the metric with its 95% interval and the chart of the best
    points: of the whole sweep (with how many of the next best cannot be told apart
    from it), or with `scenario` of that scenario only (its points without a value of
    the metric left out)."""
    best = sweep.best_points_data(f, name, metric, info.direction, k=10, scenario=scenario)
    if scenario is not None:
        best = best[np.isfinite(best["mean"].to_numpy(dtype=float))] if len(best) else best
        if len(best) == 0:
            page.p(f"{scenario}: no point has {info.label.lower()}.")
    if len(best) == 0:
        return
    d = metric_display(info, float(np.nanmax(np.abs(best[["mean", "ci_high"]].to_numpy()))), weeks)
    b = best.iloc[0]
    who = "Best point" if scenario is None else f"{esc(scenario)}: best point"
    page.add(f'<p class="answer">{who} on {esc(info.label.lower())}: {esc(legend(b, paths, scen))}, with '
             f"{esc(d.fmt_unit(b['mean']))} (95% interval {esc(interval(d, b['ci_low'], b['ci_high']))}).</p>")
    if scenario is None:
        overlap = best[(best["ci_high"] >= b["ci_low"]) & (best["ci_low"] <= b["ci_high"])]
        if len(overlap) > 1:
            page.p(f"{len(overlap) - 1} of the next best points have intervals that overlap it: they cannot be told "
                   "apart from the best with these replications.")
        chart, title, which, of = "best", f"The best points on {info.label.lower()}", "of the sweep", ""
    else:
        chart, title = f"best-{scenario}", f"{scenario}: the best points on {info.label.lower()}"
        which, of = f"of {scenario} in the sweep", f" of {scenario}"
    rep.chart(page, "decision", name, chart, title,
              f"The best points {which}, best at the top, each with the 95% interval of its mean over the "
              "replications; the axis starts at zero.", sweep.plot_best_points, best, paths, info, d,
              f"Best points{of}: {info.label}", scen)


def _sweep_window(scen):
    from .reading import scenario_hours
    h = scenario_hours(scen, "horizon")
    w = scenario_hours(scen, "warmup")
    return h, (w if math.isfinite(w) else 0.0)


# ---- comparison details ---------------------------------------------------------------------


def report_comparison(f, name, page, rep, explain=()):
    at = comparison_attrs(f, name)
    base = at["baseline"]
    page.h2(f"All differences: {' against '.join(reversed(at['scenarios'])) or name}", rep.names.anchor("cmp", name))
    page.p(f"Baseline: {base}. Every scenario faces the same leads, so each difference is measured replication "
           "by replication and its 95% interval is the interval of the paired difference.", "meta")
    data = cmpc.comparison_data(f, name)
    if len(data) == 0:
        page.note("No metric is shared by all the scenarios of this comparison; nothing to chart.")
        return
    skipped = sorted(set(data.loc[~np.isfinite(data["rel_change"]), "label"]))
    cap = ("Each dot is the average change of a metric against the baseline, in percent of the baseline's value; "
           "the bar is its paired 95% interval. A bar that does not cross the zero line is a difference the "
           "simulation resolves clearly; green means better for the business, red worse, blue a clear change that "
           "is neither, grey no clear difference.")
    if skipped:
        cap += f" Not charted (the baseline is 0, so no percent): {', '.join(skipped)}."
    rep.chart(page, "compare", name, "", "Paired differences against the baseline", cap, cmpc.plot_comparison, data,
              base, "Paired differences with 95% intervals")
    runs = [s for s in at["scenarios"] if f"runs/{s}" in f]
    a0 = run_attrs(f, runs[0]) if runs else None
    weeks = measured_weeks(a0["horizon_h"], a0["warmup_h"]) if a0 else math.nan
    others = [s for s in at["scenarios"] if s != base]
    rows = []
    for m in list(dict.fromkeys(data["metric"]))[:MAX_TABLE_ROWS]:
        d = data[data["metric"] == m]
        ref = float(np.nanmax(np.abs(np.concatenate([d["ci_high"].to_numpy(), [d["baseline_mean"].iloc[0]]]))))
        first = d.iloc[0]
        disp = metric_display(file_metrics(f).get(m), ref, weeks)
        dd = display_diff(disp)
        row = [first["label"], disp.unit, disp.fmt(first["baseline_mean"])]
        for s in others:
            rr = d[d["scenario"] == s]
            if len(rr) == 0:
                row += ["", ""]
                continue
            r = rr.iloc[0]
            row += [span(VERDICT_CLASS[r["verdict"]], dd.fmt(r["diff"], signed=True)),
                    interval(dd, r["diff_ci_low"], r["diff_ci_high"])]
        rows.append(row)
    hdr = ["Metric", "Unit", base]
    for s in others:
        hdr += [f"{s}: difference", "paired 95% interval"]
    page.add(table(hdr, rows, left=2))
    lead_times_side_by_side(f, name, page, weeks)
    value_stream_side_by_side(f, name, page, rep, [s for s in at["scenarios"] if f"runs/{s}" in f], weeks, explain)
    page.p("Every metric of every scenario is in the CSV or Excel export (scripts/export_csv.py, "
           "scripts/export_xlsx.py).", "meta")


def lead_times_side_by_side(f, name, page, weeks):
    """The lead time of won deals next to the mean lead time of all leads, per scenario,
    with the paired differences; a note when the mean is clearly shorter but the won
    deals' is not."""
    lt = cmpc.lead_time_pair_data(f, name)
    if lt is None or len(lt) == 0:
        return
    page.h3("Lead time: all leads and won deals")
    ref = float(np.nanmax(lt[["all_ci_high", "won_ci_high"]].to_numpy()))
    disp = metric_display(file_metrics(f).get("lead_time_mean_h"), ref, weeks)
    base = lt.attrs["baseline"]
    rows = []
    for _, r in lt.iterrows():
        is_base = r["scenario"] == base
        row = [r["scenario"]]
        for k in ("all", "won"):
            row += [f"{disp.fmt_unit(r[f'{k}_mean'])} ({interval(disp, r[f'{k}_ci_low'], r[f'{k}_ci_high'])})",
                    "baseline" if is_base else f"{disp.fmt(r[f'{k}_diff'], signed=True)} "
                    f"({interval(disp, r[f'{k}_diff_ci_low'], r[f'{k}_diff_ci_high'])})"]
        rows.append(row)
    page.add(table(["Scenario", "Lead time, mean of all leads (95% interval)", "paired difference",
                    "Lead time of won deals, mean (95% interval)", "paired difference"], rows))
    page.p("The mean over all leads counts the leads that end early (disqualified, abandoned, lost); the won "
           "deals' lead time is how long a customer takes to buy.", "meta")
    for s in lt.attrs["misleading"]:
        page.note(f"{s} has a clearly shorter mean lead time than {base}, but its won deals are not clearly faster: "
                  "the shorter mean comes from leads that end earlier, not from faster deals.")


def value_stream_side_by_side(f, name, page, rep, runs, weeks, explain=()):
    """Where a lead's time goes, and the stage funnel with conversion, per organisation
    on one scale (charts/valuestream.py)."""
    if not runs:
        return
    vs = valuestream.value_stream_data(f, runs, explain)
    if len(vs):
        page.h3("Where a lead's time goes")
        src = set(vs["source"])
        cap = ("Each bar is the mean life of a lead, stage by stage in the order a lead lives it (black ticks part "
               "the stages); its length is the mean lead time, written at its end. All bars share one axis from "
               "zero. ")
        if "explain" in src:
            cap += ("Bars from salesflow explain (measured from every lead's events; its own runs of the scenario): "
                    "waiting for a person, waiting for room in a stage with a WIP limit, work (calendar time of "
                    "the sessions) and the time between touches (the buyer's responses, handoffs, batch holds). ")
        if "metrics" in src:
            cap += ("Bars from the run's stage metrics: per stage the wait for a person, the handoff delay and the "
                    "hours of work, per lead closed; the rest of the lead time (the buyer's responses between "
                    "touches, work pauses outside working hours, batch holds) is the last segment, not split by "
                    "stage, and the won deals' lead time is not split at all (salesflow explain measures both; "
                    "give its file with --explain). ")
        rep.chart(page, "compare", name, "value-stream", "Where a lead's time goes, per organisation", cap.strip(),
                  valuestream.plot_value_stream, vs, "Where a lead's time goes: all leads and won deals")
    fu = valuestream.stage_funnel_data(f, runs, explain)
    if len(fu):
        from .units import display_for
        disp = display_for("count", float(fu["entered"].max()), weeks)
        page.h3("Funnel: how many leads go on at each step")
        cap = ("Leads entering each step, per organisation, on one axis from zero; the percentage at a bar is the "
               "share that goes on to the next step. ")
        cap += ("Steps are the stages (from salesflow explain: leads that entered the stage at least once)."
                if set(fu["source"]) == {"explain"} else
                "Steps: leads arrived, opportunities (passed qualification), proposals (reached the last stage), "
                "won." if set(fu["source"]) == {"metrics"} else
                "Steps are the stages where salesflow explain measured them, else leads arrived, opportunities, "
                "proposals, won.")
        rep.chart(page, "compare", name, "funnel", "Funnel and conversion, per organisation", cap,
                  valuestream.plot_stage_funnel, fu, "Leads entering each step and the share that goes on", disp)


# ---- runs ------------------------------------------------------------------------------------


def summary_data(f, run, metrics=None):
    """The run's summary for the given metrics (default: the headline metrics present,
    then the utilisation of roles with people), with labels and display units.

    Columns: metric, label, unit (display unit text), mean, ci_low, ci_high, sd, n
    (stored), mean_disp, ci_low_disp, ci_high_disp (in the display unit)."""
    import pandas as pd
    s = summary_frame(f, run).set_index("metric")
    at = run_attrs(f, run)
    meta = run_metrics(f, run)
    weeks = measured_weeks(at["horizon_h"], at["warmup_h"])
    heads = headcounts(scenario(at["scenario_yaml"]))
    if metrics is None:
        metrics = [m for m in HEADLINE if m in s.index]
        metrics += [f"role.{r}.utilisation" for r in at["roles"]
                    if f"role.{r}.utilisation" in s.index and heads.get(r, 1) != 0]
    rows = []
    for m in metrics:
        if m not in s.index:
            continue
        r = s.loc[m]
        info = meta.get(m)
        d = metric_display(info, max(abs(float(r["mean"])), abs(float(r["ci_high"])) if math.isfinite(r["ci_high"])
                                     else 0.0), weeks)
        rows.append({"metric": m, "label": info.label, "unit": d.unit, "mean": r["mean"], "ci_low": r["ci_low"],
                     "ci_high": r["ci_high"], "sd": r["sd"], "n": int(r["n"]), "mean_disp": d.value(r["mean"]),
                     "ci_low_disp": d.value(r["ci_low"]), "ci_high_disp": d.value(r["ci_high"]), "display": d})
    return pd.DataFrame(rows, columns=["metric", "label", "unit", "mean", "ci_low", "ci_high", "sd", "n",
                                       "mean_disp", "ci_low_disp", "ci_high_disp", "display"])


def run_scales(f, runs, replication=None):
    """One scale for the charts of the runs of a file (the organisations of a
    comparison are compared chart by chart): {"cfd_top": leads since the start,
    "wip_tops": (leads in progress, closed per week, won per week), "funnel_top": the
    largest funnel count or upper 95% bound, "funnel_ref": the largest arrivals (for one
    display unit)}, stored units, over every run; {} with fewer than two runs."""
    if len(runs) < 2:
        return {}
    cfd_top, wip, closed, won, ftop, fref = [], [], [], [], [], []
    for r in runs:
        cfd = flow.cfd_data(f, r, replication)
        if cfd is not None:
            cfd_top.append(float(np.nanmax(cfd[["arrivals_cum", "exits_cum"]].to_numpy(dtype=float))))
            wt = flow.wip_throughput_data(f, r, replication)
            wip.append(float(np.nanmax(wt["wip"])))
            closed.append(float(np.nanmax(wt["exits_per_week"])))
            won.append(float(np.nanmax(wt["wins_per_week"])))
        fd = funnel.funnel_data(f, r)
        for part in ("stages", "outcomes"):
            if len(fd[part]):
                ftop.append(float(np.nanmax(fd[part][["mean", "ci_high"]].to_numpy(dtype=float))))
        ref = fd["arrived"] if math.isfinite(fd["arrived"]) else fd["outcomes_total"]
        fref.append(ref)

    def top(v):
        v = [x for x in v if math.isfinite(x)]
        return max(v) if v else None
    return {"cfd_top": top(cfd_top), "wip_tops": (top(wip), top(closed), top(won)), "funnel_top": top(ftop),
            "funnel_ref": top(fref)}


def report_run(f, run, page, rep, replication=None, shared=None):
    shared = shared or {}
    at = run_attrs(f, run)
    scen = scenario(at["scenario_yaml"])
    stages, roles = at["stages"], at["roles"]
    page.h2(f"Scenario: {run}", rep.names.anchor("run", run))
    desc = description(scen)
    if desc:
        page.add(f"<p><i>{esc(desc)}</i></p>")
    warm_w = at["warmup_h"] / HOURS_PER_WEEK if math.isfinite(at["warmup_h"]) else 0.0
    page.p(f"{at['replications']} replications of {fmt_weeks(at['horizon_h'])} weeks each, the first "
           f"{fmt_weeks(at['warmup_h'])} weeks a warm-up that is not measured; seed {at['seed']}. Team: "
           f"{team_words(scen)}. Stages: {', '.join(stages)}.", "meta")
    if at["complete"] == 0:
        page.note("This run was stopped before every replication ran: the numbers are over the replications "
                  "completed.")
    s = summary_data(f, run)
    page.h3("Summary")
    page.p("Averages over the replications of the measured period, with 95% intervals: the range that holds the "
           "long-run average with 95% confidence, given the randomness simulated. Counts are per week (or per "
           "month when fewer than two a week) of the measured period.")
    page.add(table(["Metric", "Mean", "95% interval"],
                   [[r["label"], r["display"].fmt_unit(r["mean"]), interval(r["display"], r["ci_low"], r["ci_high"])]
                    for _, r in s.head(MAX_TABLE_ROWS).iterrows()]))
    which = "mean over replications" if replication is None else f"replication {replication}"
    page.h3("Flow over time")
    cfd = flow.cfd_data(f, run, replication)
    if cfd is None:
        page.note("No time series in this file (the scenario's simulation.sample_every is 0 or the model sampled "
                  "nothing): the cumulative flow diagram and the WIP and throughput chart are skipped.")
    else:
        rep.chart(page, "run", run, "cfd", f"Cumulative flow: {run}",
                  "Each line counts, since the start, the leads that arrived, that reached each stage, and that were "
                  "won (green). The band under a stage's line holds the leads that reached that stage but not the "
                  "next. The slope of a line is the rate per week into that stage. The dashed line counts the leads "
                  "closed out: its vertical distance below the top line is the work in progress.",
                  flow.plot_cfd, cfd, stages, f"Cumulative flow: {run} ({which})", warm_w, shared.get("cfd_top"))
        wt = flow.wip_throughput_data(f, run, replication)
        rep.chart(page, "run", run, "wip-throughput", f"Work in progress and throughput: {run}",
                  "Top: leads in progress, stacked by stage (black: the total). Middle: leads closed out per week. "
                  "Bottom: deals won per week, on its own axis. By Little's law, average lead time = average WIP / "
                  "throughput.", flow.plot_wip_throughput, wt, stages,
                  f"Work in progress and throughput: {run} ({which})", warm_w, shared.get("wip_tops"))
    page.h3("Lead time")
    lt = leadtime.leadtime_data(f, run)
    if lt is None:
        page.note("Neither per-lead records nor lead-time percentiles are in this file: lead-time chart skipped.")
    else:
        if lt["source"] == "leads":
            cap = ("How long leads take from arrival to being won, lost, disqualified or abandoned (leads closed out "
                   "in the measured period, all replications, as leads per replication; the longest 0.5% are in the "
                   "last bar). The dashed lines mark the time within which 50%, 85% and 95% of leads close out.")
        else:
            cap = "Lead time within which 50%, 85% and 95% of leads close out, with 95% intervals."
            page.note("No per-lead records in this file (run salesflow with --leads to keep them): the full "
                      "lead-time distribution is skipped; the chart shows the percentiles only.")
        rep.chart(page, "run", run, "leadtime", f"Lead time: {run}", cap, leadtime.plot_leadtime, lt,
                  f"Lead time from arrival to close-out: {run}")
    page.h3("Funnel and outcomes")
    fd = funnel.funnel_data(f, run)
    if len(fd["outcomes"]) == 0:
        page.note("The outcome metrics (wins, losses, disqualified, abandoned, leads_open_at_end) are not in this "
                  "file: funnel skipped.")
    else:
        from .units import display_for
        weeks = measured_weeks(at["horizon_h"], at["warmup_h"])
        ref = fd["arrived"] if math.isfinite(fd["arrived"]) else fd["outcomes_total"]
        disp = display_for("count", shared.get("funnel_ref") or ref, weeks)
        cap = ("Left: how many leads arrived, passed qualification, reached a proposal and were won. Right: how the "
               "leads ended. Means with 95% intervals; both panels share one scale.")
        if warm_w > 0:
            cap += (" Leads that arrived during the warm-up but closed out later are counted in the outcomes, so the "
                    "outcomes need not add up to the arrivals exactly.")
        rep.chart(page, "run", run, "funnel", f"Funnel: {run}", cap, funnel.plot_funnel, fd,
                  f"What happened to the leads: {run}", disp, shared.get("funnel_top"))
    page.h3("Where people's time goes")
    ud = utilisation.utilisation_data(f, run)
    if len(ud) == 0:
        page.note("No role utilisation in this file: utilisation chart skipped.")
    else:
        rep.chart(page, "run", run, "utilisation", f"Use of people's time: {run}",
                  "For each role with people, the hours available for sales work split into pipeline work, "
                  "prospecting and idle time. A role near 100% has no slack: queues in front of it, and lead times, "
                  "grow sharply as it fills up.", utilisation.plot_utilisation, ud,
                  f"Use of the available hours per role: {run}")
    if at["scenario_yaml"]:
        page.add(f"<details><summary>The scenario as simulated (YAML)</summary><pre>{esc(at['scenario_yaml'])}"
                 "</pre></details>")


# ---- sweeps -----------------------------------------------------------------------------------


def report_sweep(f, name, page, rep, metric, x=None, y=None, vranges=None):
    if sweep.sweep_scenarios(f, name):
        return report_sweep_scenarios(f, name, page, rep, metric, x, y, vranges)
    shared = (vranges or {}).get(metric) or {}
    page.h2(f"Sweep: {name}", rep.names.anchor("sweep", name))
    sa = sweep_attrs(f, name)
    scen = scenario(sa["scenario_yaml"])
    paths = sweep_paths(f, name)
    pts = sweep_points(f, name)
    reps = sweep_replications(f, name)
    meta = sweep_metrics(f, name)
    weeks = measured_weeks(*_sweep_window(scen))
    nrep = reps.groupby("point").size() if reps is not None else None
    if sa["complete"] == 0:
        page.note("This sweep did not finish (its `complete` attribute is 0): the charts show the points completed "
                  "so far.")
    page.p(f"{len(pts)} points over {', '.join(param_label(p, scen) for p in paths) or 'no parameter'}"
           + (f"; {int(nrep.min())} to {int(nrep.max())} replications per point" if nrep is not None and len(nrep)
              else "") + ".", "meta")
    if metric not in pts.columns:
        page.note(f"{metric} is not a column of this sweep: the charts of it are skipped.")
    else:
        info = meta.get(metric)
        ref = float(np.nanmax(np.abs(pts[metric].to_numpy(dtype=float)))) if len(pts) else 0.0
        if shared:
            ref = max(abs(shared["colour"][0]), abs(shared["colour"][1]))  # one display unit for shared charts
        disp = metric_display(info, ref, weeks)
        varying = [p for p in paths if pts[p].nunique() > 1]
        xcol = x or (varying[0] if varying else None)
        others = [p for p in varying if p != xcol]
        ngroups = len(pts[others].astype(str).drop_duplicates()) if others else 1
        small = len(pts) <= sweep.MAX_GRID_POINTS and ngroups <= sweep.MAX_LINES
        if small:
            page.h3(f"{info.label} across the sweep")
            band = sweep.sweep_band_data(f, name, metric, x, scen)
            cap = (f"{info.label} at each point (dots) with its 95% interval over the replications (band). "
                   "Lines join only values in order; \"no limit\" is drawn apart at the right. The axis starts at "
                   "zero.")
            if len(set(band["group"])) > sweep.MAX_LINES:
                cap += f" Only the first {sweep.MAX_LINES} lines are drawn."
            rep.chart(page, "sweep", name, f"{metric}-line", f"{info.label} against "
                      f"{param_label(band.attrs['x'], scen)}", cap, sweep.plot_sweep_lines, band, info, disp,
                      f"{info.label} across the sweep", scen, shared.get("y"))
            hm = sweep.sweep_heatmap_data(f, name, metric, band.attrs["x"], y)
            if hm is not None and not hm.attrs["binned"]:
                cap = f"{info.label} (mean over replications) for every combination of the two parameters."
                if hm.attrs["averaged"]:
                    cap += " Averaged over " + ", ".join(param_label(p, scen) for p in hm.attrs["averaged"]) + "."
                rep.chart(page, "sweep", name, f"{metric}-heatmap", f"{info.label} over two parameters", cap,
                          sweep.plot_heatmap, hm, info, disp, f"{info.label}", scen, shared.get("colour"))
        if not small or len(varying) > 2:
            page.h3(f"How {info.label.lower()} depends on each parameter")
            pdd = sweep.partial_dependence_data(f, name, metric)
            rep.chart(page, "sweep", name, f"{metric}-partial", f"{info.label} against each parameter",
                      "Each panel: the grey dots are the points of the sweep; the line is the average over the other "
                      "parameters (per value, or per band of values for a continuous range), with its 95% band. "
                      "All panels share one axis, starting at zero, so their slopes compare.",
                      sweep.plot_partial_dependence, pdd, info, disp, f"{info.label}: partial dependence", scen,
                      shared.get("y"))
            top = pdd.most_influential(2)
            if len(top) == 2:
                hm = sweep.sweep_heatmap_data(f, name, metric, top[0], top[1])
                rep.chart(page, "sweep", name, f"{metric}-surface",
                          f"{info.label} over the two most influential parameters",
                          f"{info.label} over {param_label(top[0], scen)} and {param_label(top[1], scen)}, the two "
                          "parameters that move it most, averaged over the others"
                          + (" (values grouped into bands)" if hm.attrs["binned"] else "") + ".",
                          sweep.plot_heatmap, hm, info, disp, f"{info.label}", scen, shared.get("colour"))
        page.h3("The points")
        band = sweep.sweep_band_data(f, name, metric, None, scen)
        fn = rep.csv("sweep", name, "points", pts)
        if info.direction in ("higher", "lower"):
            shown = band.sort_values("mean", ascending=info.direction == "lower").head(10)
            what = f"the 10 best of {len(band)} points" if len(band) > 10 else "every point, best first"
        else:
            shown = band.head(MAX_TABLE_ROWS)
            what = f"the first {len(shown)} of {len(band)} points"
        page.add(f'<p class="meta">{esc(what.capitalize())}; all points: <a href="{esc(fn)}">{esc(fn)}</a> '
                 "(CSV).</p>")
        page.add(table([param_label(p, scen) for p in paths] + [f"{info.label}" + (f" ({disp.unit})" if disp.unit
                                                                                   else ""), "95% interval", "n"],
                       [[param_value(p, r[p], scen) for p in paths] + [disp.fmt(r["mean"]),
                        interval(disp, r["ci_low"], r["ci_high"]), str(r["n"])] for _, r in shown.iterrows()],
                       left=len(paths)))
    page.h3("Utilisation and lead time")
    kd = kingman.kingman_data(f, name)
    if kd is None or len(kd) == 0:
        page.note("The sweep lacks lead_time_mean_h or role utilisation: utilisation-lead time chart skipped.")
    else:
        rep.chart(page, "sweep", name, "kingman", "Lead time against utilisation",
                  "Each dot is one point of the sweep: the utilisation of a role (x, 0 to 100%) and the mean lead "
                  "time (y, from zero). Queueing theory (Kingman's formula) predicts a hockey stick: waiting grows "
                  "slowly at low utilisation and explodes as a role approaches 100% busy.",
                  kingman.plot_kingman, kd, "Lead time against utilisation")
    if sa["sweep_yaml"]:
        page.add(f"<details><summary>The sweep file</summary><pre>{esc(sa['sweep_yaml'])}</pre></details>")


def report_sweep_scenarios(f, name, page, rep, metric, x=None, y=None, vranges=None):
    """A sweep of several organisations (`scenarios:`): every chart and table split by
    scenario (one line per scenario on the same axes, one heat-map panel per scenario on
    one colour scale, best points per scenario), then the paired differences."""
    shared = (vranges or {}).get(metric) or {}
    page.h2(f"Sweep: {name}", rep.names.anchor("sweep", name))
    sa = sweep_attrs(f, name)
    scen = scenario(sa["scenario_yaml"])
    scens = sweep.sweep_scenarios(f, name)
    g = f[f"sweeps/{name}"]
    yamls = text_list(g.attrs["scenarios_yaml"]) if "scenarios_yaml" in g.attrs else []
    paths = sweep_paths(f, name)
    pts = sweep_points(f, name)
    reps = sweep_replications(f, name)
    meta = sweep_metrics(f, name)
    weeks = measured_weeks(*_sweep_window(scen))
    npoints = pts["point"].nunique()
    nrep = reps.groupby(["point", "scenario"]).size() if reps is not None else None
    if sa["complete"] == 0:
        page.note("This sweep did not finish (its `complete` attribute is 0): the charts show the points completed "
                  "so far.")
    page.p(f"{npoints} points over {', '.join(param_label(p, scen) for p in paths) or 'no parameter'}, each run "
           f"for {len(scens)} organisations ({', '.join(scens)}) on the same random numbers"
           + (f"; {int(nrep.min())} to {int(nrep.max())} replications per point" if nrep is not None and len(nrep)
              else "") + ".", "meta")
    if metric not in pts.columns:
        page.note(f"{metric} is not a column of this sweep: the charts of it are skipped.")
    else:
        info = meta.get(metric)
        every = scens
        scens = [s for s in every if pts.loc[pts["scenario"] == s, metric].notna().any()]
        if len(scens) < len(every):
            page.note(f"{metric} is not a metric of {', '.join(s for s in every if s not in scens)}: the charts show "
                      f"{', '.join(scens) or 'no organisation'}.")
    if metric in pts.columns and scens:
        ref = float(np.nanmax(np.abs(pts[metric].to_numpy(dtype=float)))) if len(pts) else 0.0
        if shared:
            ref = max(abs(shared["colour"][0]), abs(shared["colour"][1]))
        disp = metric_display(info, ref, weeks)
        varying = [p for p in paths if pts[p].nunique() > 1]
        xcol = x or (varying[0] if varying else None)
        others = [p for p in varying if p != xcol]
        ngroups = len(pts[others].astype(str).drop_duplicates()) if others else 1
        small = npoints <= sweep.MAX_GRID_POINTS and ngroups * len(scens) <= sweep.MAX_LINES
        if small:
            page.h3(f"{info.label} across the sweep")
            band = sweep.sweep_band_by_scenario(f, name, metric, x, scen, scens)
            cap = (f"{info.label} at each point (dots) with its 95% interval over the replications (band), one line "
                   "per organisation on the same axes. Lines join only values in order; \"no limit\" is drawn apart "
                   "at the right. The axis starts at zero.")
            rep.chart(page, "sweep", name, f"{metric}-line", f"{info.label} against "
                      f"{param_label(band.attrs['x'], scen)}", cap, sweep.plot_sweep_lines, band, info, disp,
                      f"{info.label} across the sweep", scen, shared.get("y"))
            hms = [(s, sweep.sweep_heatmap_data(f, name, metric, band.attrs["x"], y, scenario=s)) for s in scens]
            if all(h is not None and not h.attrs["binned"] for _, h in hms):
                cap = (f"{info.label} (mean over replications) for every combination of the two parameters, one "
                       "panel per organisation on one colour scale.")
                if hms[0][1].attrs["averaged"]:
                    cap += " Averaged over " + ", ".join(param_label(p, scen) for p in hms[0][1].attrs["averaged"]) + "."
                rep.chart(page, "sweep", name, f"{metric}-heatmap", f"{info.label} over two parameters", cap,
                          sweep.plot_heatmap_panels, hms, info, disp, f"{info.label}", scen, shared.get("colour"))
        if not small or len(varying) > 2:
            page.h3(f"How {info.label.lower()} depends on each parameter")
            pdds = {s: sweep.partial_dependence_data(f, name, metric, scenario=s) for s in scens}
            lows = [float(np.nanmin(np.concatenate([d.attrs["points"][metric].to_numpy(dtype=float)]
                                                   + [d[p]["ci_low"].to_numpy(dtype=float) for p in d])))
                    for d in pdds.values()]
            highs = [float(np.nanmax(np.concatenate([d.attrs["points"][metric].to_numpy(dtype=float)]
                                                    + [d[p]["ci_high"].to_numpy(dtype=float) for p in d])))
                     for d in pdds.values()]
            yr = shared.get("y") or (min(lows), max(highs))
            for s, pdd in pdds.items():
                rep.chart(page, "sweep", name, f"{metric}-partial-{s}", f"{s}: {info.label} against each parameter",
                          f"{s} only. Each panel: the grey dots are the points of the sweep; the line is the average "
                          "over the other parameters, with its 95% band. The charts of every organisation share one "
                          "axis, starting at zero.", sweep.plot_partial_dependence, pdd, info, disp,
                          f"{s}: {info.label}, partial dependence", scen, yr)
            top = pdds[scens[0]].most_influential(2)
            if len(top) == 2:
                hms = [(s, sweep.sweep_heatmap_data(f, name, metric, top[0], top[1], scenario=s)) for s in scens]
                rep.chart(page, "sweep", name, f"{metric}-surface",
                          f"{info.label} over the two most influential parameters",
                          f"{info.label} over {param_label(top[0], scen)} and {param_label(top[1], scen)} (the two "
                          f"parameters that move it most for {scens[0]}), averaged over the others, one panel per "
                          "organisation on one colour scale.", sweep.plot_heatmap_panels, hms, info, disp,
                          f"{info.label}", scen, shared.get("colour"))
        page.h3("The points")
        fn = rep.csv("sweep", name, "points", pts)
        rows = []
        each = max(1, min(10, MAX_TABLE_ROWS // len(scens)))  # the page's tables hold at most 20 rows
        for s in scens:
            band = sweep.sweep_band_data(f, name, metric, None, scen, scenario=s)
            if info.direction in ("higher", "lower"):
                shown = band.sort_values("mean", ascending=info.direction == "lower").head(each)
            else:
                shown = band.head(each)
            rows += [[s] + [param_value(p, r[p], scen) for p in paths]
                     + [disp.fmt(r["mean"]), interval(disp, r["ci_low"], r["ci_high"]), str(r["n"])]
                     for _, r in shown.iterrows()]
        what = (f"per organisation its {each} best points, best first" if info.direction in ("higher", "lower")
                else f"per organisation its first {each} points")
        page.add(f'<p class="meta">{esc(what.capitalize())}; all points: <a href="{esc(fn)}">{esc(fn)}</a> '
                 "(CSV).</p>")
        page.add(table(["Organisation"] + [param_label(p, scen) for p in paths]
                       + [f"{info.label}" + (f" ({disp.unit})" if disp.unit else ""), "95% interval", "n"],
                       rows, left=1 + len(paths)))
        report_sweep_differences(f, name, page, rep, metric, info, disp, scen, x)
    page.h3("Utilisation and lead time")
    for i, s in enumerate(sweep.sweep_scenarios(f, name)):
        kd = kingman.kingman_data(f, name, s, yamls[i] if i < len(yamls) else None)
        if kd is None or len(kd) == 0:
            page.note(f"{s}: the sweep lacks lead_time_mean_h or role utilisation: utilisation-lead time chart "
                      "skipped.")
            continue
        rep.chart(page, "sweep", name, f"kingman-{s}", f"{s}: lead time against utilisation",
                  f"{s} only. Each dot is one point of the sweep: the utilisation of a role (x, 0 to 100%) and the "
                  "mean lead time (y, from zero).", kingman.plot_kingman, kd, f"{s}: lead time against utilisation")
    if sa["sweep_yaml"]:
        page.add(f"<details><summary>The sweep file</summary><pre>{esc(sa['sweep_yaml'])}</pre></details>")


def difference_sentences(data, info, disp, scen, paths):
    """One sentence per scenario of sweep_differences_data: where the 95% interval of its
    difference from the baseline excludes zero, with which sign (better/worse by the
    metric's direction, else higher/lower), and where it includes zero."""
    base = data.attrs.get("baseline")
    varying = [p for p in paths if data[p].nunique() > 1] or paths
    out = {}
    for s, r in sweep.difference_findings(data, info.direction).items():
        def where(d):
            return "; ".join(f"{legend(row, varying, scen)} ({disp.fmt_unit(row['diff'], signed=True)}, 95% interval "
                             f"{interval(disp, row['diff_ci_low'], row['diff_ci_high'])})" for _, row in d.iterrows())
        parts = []
        for key, word in (("above", "higher"), ("below", "lower")):
            d = r[key]
            if len(d):
                judged = ""
                if "better" in r:
                    judged = " (better)" if d is r["better"] else " (worse)"
                parts.append(f"{info.label.lower()} is {word} than {base}{judged} at {where(d)}")
        n = len(r["above"]) + len(r["below"]) + len(r["zero"])
        if parts:
            text_ = f"{s}: " + "; and ".join(parts) + "."
            if len(r["zero"]):
                text_ += f" At the other {len(r['zero'])} of {n} points the interval includes zero: no clear difference."
        else:
            text_ = f"{s}: at none of the {n} points does the interval exclude zero: no clear difference from {base}."
        out[s] = text_
    return out


def report_sweep_differences(f, name, page, rep, metric, info, disp, scen, x=None):
    """The paired differences of the metric from the baseline along the swept parameter:
    a band chart with a zero line, a sentence per scenario, a table of the file's rows."""
    try:
        data = sweep.sweep_differences_data(f, name, metric, x, scen)
    except KeyError:
        page.note(f"The differences table has no row for {metric}: paired differences skipped.")
        return
    if data is None or len(data) == 0:
        return
    if not np.isfinite(data["diff"].to_numpy(dtype=float)).any():
        page.note(f"The differences of {metric} are all NaN (an organisation lacks it): paired differences skipped.")
        return
    base = data.attrs["baseline"]
    paths = sweep_paths(f, name)
    page.h3("Paired differences")
    ddisp = display_diff(disp)
    rep.chart(page, "sweep", name, f"{metric}-differences", f"{info.label}: difference from {base}",
              f"Each organisation minus {base} at each point, replication by replication on the same random "
              "numbers (the file's differences table): the mean difference (line) with its 95% interval (band). "
              "Where the band does not cross the zero line, the difference is clear.",
              sweep.plot_difference_bands, data, info, ddisp, f"{info.label}: difference from {base}", scen)
    for s, t in difference_sentences(data, info, ddisp, scen, paths).items():
        page.p(t, "difference")
    fn = rep.csv("sweep", name, f"{metric}-differences", data.drop(columns=["group"]))
    shown = data.head(MAX_TABLE_ROWS)
    what = "every row" if len(shown) == len(data) else f"the first {len(shown)} of {len(data)} rows"
    page.add(f'<p class="meta">{esc(what.capitalize())} of the differences of {esc(metric)}; all rows: '
             f'<a href="{esc(fn)}">{esc(fn)}</a> (CSV, stored units).</p>')
    page.add(table(["Organisation"] + [param_label(p, scen) for p in paths]
                   + ["Difference" + (f" ({ddisp.unit})" if ddisp.unit else ""), "95% interval", "Change"],
                   [[r["scenario"]] + [param_value(p, r[p], scen) for p in paths]
                    + [ddisp.fmt(r["diff"]), interval(ddisp, r["diff_ci_low"], r["diff_ci_high"]),
                       fmt_pct_change(r["rel_change"])] for _, r in shown.iterrows()], left=1 + len(paths)))


def sweep_ranges(files, metric):
    """One colour scale and one y range per metric for every sweep chart of a report
    whose panels are meant to be compared: the sweeps of the report's file and of the
    files given with --range-from (e.g. the two market sweeps of workshop demo 8b).
    {metric: {"colour": (min, max) of the point means, "y": (the smallest mean or lower
    95% bound of a point, the largest mean or upper 95% bound)}} in stored units, over
    every sweep of `files` that has the metric; {} when fewer than two sweeps have it
    (nothing to share)."""
    lo, hi, top, bottom, n = math.inf, -math.inf, -math.inf, math.inf, 0
    for g in files:
        for s in sweep_names(g):
            pts = sweep_points(g, s)
            if metric not in pts.columns or len(pts) == 0:
                continue
            n += 1
            v = pts[metric].to_numpy(dtype=float)
            lo, hi = min(lo, float(np.nanmin(v))), max(hi, float(np.nanmax(v)))
            sc = sweep.sweep_scenarios(g, s)
            band = sweep.sweep_band_by_scenario(g, s, metric) if sc else sweep.sweep_band_data(g, s, metric)
            top = max(top, float(np.nanmax(band["ci_high"].fillna(band["mean"]).to_numpy(dtype=float))))
            bottom = min(bottom, float(np.nanmin(band["ci_low"].fillna(band["mean"]).to_numpy(dtype=float))))
    if n < 2 or not (math.isfinite(lo) and math.isfinite(hi)):
        return {}
    return {metric: {"colour": (lo, hi) if hi > lo else (lo, lo + max(abs(lo), 1.0) * 1e-9),
                     "y": (min(bottom, lo), max(top, hi))}}


# ---- studies ----------------------------------------------------------------------------------


def _study_display(dec, values):
    ref = float(np.nanmax(np.abs(np.asarray(values, dtype=float)))) if len(values) else 0.0
    return metric_display(dec["objective"], ref, math.nan)


def decision_study(f, name, page, rep):
    """The answer of a study: which design is best on the objective over the uncertain
    assumptions, how often, the claims with their intervals."""
    at = study.study_attrs(f, name)
    dec = study.study_decision_data(f, name)
    info = dec["objective"]
    page.h2("The answer", rep.names.anchor("answer", name))
    scen0 = at["scenarios"].get(at["designs"][0]) if at["designs"] else None
    assumed = ", ".join(param_label(p, scen0) for p in at["assumptions"]) or "no uncertain assumption"
    page.p(f"Study {name}: {' and '.join(at['designs'])}, each at its best configuration"
           + (f" within the budget ({study.budget_words(at['budget'])})" if study.budget_words(at["budget"])
              else "") + f", compared on {info.label.lower()} at {at['points']} points of what nobody knows "
           f"({assumed}), "
           f"{at['replications']} replications per point" + (" (quick)" if at["quick"] else "") + ".")
    rows = dec["designs"]
    disp = _study_display(dec, rows[["q05", "q50", "q95"]].to_numpy().ravel())
    if dec["best"] is None:
        page.add(f'<p class="answer unsure">{esc(info.label)} has no better direction in the study, so no design '
                 "is named best; the numbers follow.</p>")
    else:
        r = rows.set_index("design").loc[dec["best"]]
        sure = r["p_ci_low"] > 0.5
        cls = "answer" if sure else "answer unsure"
        page.add(f'<p class="{cls}">{esc(dec["best"])} is the best on {esc(info.label.lower())} at '
                 f"{esc(fmt(100 * r['p_best']))}% of the assumptions (95% interval {esc(fmt(100 * r['p_ci_low']))}% to "
                 f"{esc(fmt(100 * r['p_ci_high']))}%), with a median of {esc(disp.fmt_unit(r['q50']))} (5% to 95%: "
                 f"{esc(disp.fmt(r['q05']))} to {esc(disp.fmt(r['q95']))})."
                 + ("" if sure else " That is not clearly more often than not: the answer depends on what is "
                    "assumed.") + "</p>")
    rep.chart(page, "study", name, "decision", f"{info.label}: each design over the assumptions",
              "Left: the objective of each design at its chosen configuration over the points of the uncertain "
              "assumptions (dot: median; bar: 5% to 95% of the points); right: the share of points at which each "
              "design is the best, with its 95% interval. The most often best is green.",
              study.plot_study_decision, dec, disp, f"Which design is best: {info.label.lower()}")
    trows = []
    for _, r in rows.iterrows():
        trows.append([r["design"], disp.fmt_unit(r["q50"]), f"{disp.fmt(r['q05'])} to {disp.fmt(r['q95'])}",
                      f"{fmt(100 * r['p_best'])}%", f"{fmt(100 * r['p_ci_low'])}% to {fmt(100 * r['p_ci_high'])}%"])
    page.add(table(["Design", f"{info.label}, median", "5% to 95% of the assumptions", "Best at",
                    "95% interval"], trows))
    cl = study.study_claims_data(f, name)
    if len(cl):
        page.h3("The claims")
        items = []
        for _, r in cl.head(MAX_TABLE_ROWS).iterrows():
            items.append([r["claim"].replace("_", " "), r["words"], f"{fmt(100 * r['probability'])}%",
                          f"{fmt(100 * r['ci_low'])}% to {fmt(100 * r['ci_high'])}%",
                          f"{fmt(r['q50'])} ({fmt(r['q05'])} to {fmt(r['q95'])})", str(int(r["n"]))])
        page.add(table(["Claim", "What is claimed", "Holds at", "95% interval", "Median (5% to 95%)",
                        "Points"], items, left=2))
        page.p("A claim's probability is the share of the points of the uncertain assumptions at which it holds, "
               "each point with the designs at their chosen configurations; the interval is that of a share of "
               "that many points.", "meta")


def report_study(f, name, page, rep):
    """A study's details: the tornado chart of the sensitivity table and the chosen
    configurations with the ones tied with them."""
    at = study.study_attrs(f, name)
    dec = study.study_decision_data(f, name)
    page.h2(f"Study: {name}", rep.names.anchor("study", name))
    if at["complete"] == 0:
        page.note("This study did not finish (its complete attribute is 0): the numbers are over the work done.")
    scen = at["scenarios"].get(at["designs"][0]) if at["designs"] else None
    td = study.tornado_data(f, name)
    if td is None:
        page.note("The sensitivity table is empty: no tornado chart.")
    else:
        q = td.attrs["quantity"]
        qlab = study.quantity_words(q, dec["objective"].label, dec["baseline"])
        is_claim = q.startswith("claim.")
        disp = (_study_display(dec, td[["low_mean", "high_mean"]].to_numpy().ravel()) if not is_claim
                else metric_display(file_metrics(f).get(""), 0.0))
        page.h3("What the answer depends on")
        rep.chart(page, "study", name, "tornado", f"What moves {qlab}",
                  f"For each uncertain assumption, the mean of {qlab} over the points where the assumption is in "
                  "its lowest 10% of values (blue) and in its highest 10% (orange), around the overall mean (black "
                  "line), with the assumption's mean value there at the bar's end; the widest bar, at the top, moves "
                  "the answer most. The first-order index is the share of the variance of the "
                  "quantity that the assumption explains alone.", study.plot_tornado, td, disp,
                  f"What the answer depends on: {qlab}", qlab, scen)
        rows = [[param_label(r["assumption"], scen), fmt(r["first_order"]),
                 f"{fmt(r['ci_low'])} to {fmt(r['ci_high'])}",
                 f"{param_value(r['assumption'], r['low_x'], scen)}: {disp.fmt(r['low_mean'])}",
                 f"{param_value(r['assumption'], r['high_x'], scen)}: {disp.fmt(r['high_mean'])}"]
                for _, r in td.head(MAX_TABLE_ROWS).iterrows()]
        page.add(table(["Assumption", "First-order index", "95% interval", "Lowest 10%: mean", "Highest 10%: mean"],
                       rows))
        if td.attrs["skipped"]:
            page.note("No sensitivity for: " + "; ".join(td.attrs["skipped"]) + ".")
    ch = study.chosen_data(f, name)
    page.h3("The chosen configurations")
    page.p("Each design at its best: ranking and selection on common random numbers chose one configuration among "
           "its candidates; configurations it could not tell apart from the chosen one (within the indifference "
           "zone, before its replication cap) are listed as tied: any of them is as good an answer.", "meta")
    disp = _study_display(dec, ch["mean"].to_numpy(dtype=float))
    page.add(table(["Design", "Configuration", "Outcome", f"{dec['objective'].label}, mean", "Annual cost",
                    "Replications"],
                   [[r["design"], r["words"], r["outcome"], disp.fmt_unit(r["mean"]), fmt_money(r["annual_cost"]),
                     str(int(r["replications"]))] for _, r in ch.head(MAX_TABLE_ROWS).iterrows()], left=3))
    if len(ch) > MAX_TABLE_ROWS:
        page.p(f"{len(ch) - MAX_TABLE_ROWS} more tied configurations are in the candidates table (CSV or Excel "
               "export).", "meta")
    if at["study_yaml"]:
        page.add(f"<details><summary>The study file</summary><pre>{esc(at['study_yaml'])}</pre></details>")
