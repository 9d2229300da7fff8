"""Building the report folder: everything is written to a temporary folder next to the
target and moved into place at the end, index.html last; a failure leaves no partial
report (and an existing report as it was)."""
import os
import shutil
import tempfile

import h5py

from . import sections as S
from .charts.comparison import DEFAULT_OBJECTIVE
from .charts.sweep import DEFAULT_SWEEP_METRIC
from .errors import ArgumentError, InputError
from .charts.study import study_names
from .page import Page, esc, present_page
from .reading import (comparison_attrs, comparison_names, has_table, open_results, run_names,
                      sweep_names, sweep_paths, text)


class OutputError(Exception):
    """The output folder cannot be used (exit 2)."""


def check_output(outdir):
    if not outdir or outdir.strip() == "":
        raise OutputError("empty output folder name")
    if os.path.exists(outdir) and not os.path.isdir(outdir):
        raise OutputError(f"{outdir}: exists and is not a folder")
    parent = os.path.dirname(os.path.abspath(outdir))
    if not os.path.isdir(parent):
        raise OutputError(f"{outdir}: the folder {parent} does not exist")


def title_of(f):
    cmps, runs, sweeps = comparison_names(f), run_names(f), sweep_names(f)
    studies = study_names(f)
    if studies and not cmps:
        return f"Study {studies[0]}: which design is best over what nobody knows?"
    if cmps:
        at = comparison_attrs(f, cmps[0])
        sc = at["scenarios"]
        return f"{' or '.join(sc)}: which organisation does better?" if sc else "Comparison"
    if sweeps:
        return f"Sweep {sweeps[0]}: how the results depend on the parameters"
    if runs:
        return f"Scenario {runs[0]}"
    return "salesflow results"


def check_arguments(f, x, y, replication):
    """ArgumentError when an option names what the file does not have (it was reported
    as a layout problem of the file, or as a KeyError); InputError when the file holds
    only the explanations of `salesflow explain`, which feed a comparison's report
    through --explain (it gave a page that said the file holds nothing)."""
    cmps, runs, sweeps = comparison_names(f), run_names(f), sweep_names(f)
    if not (cmps or runs or sweeps or study_names(f)) and "explanations" in f:
        raise InputError("holds only /explanations, the results of salesflow explain: give it to the report of a "
                         "comparison with --explain FILE (report.py CMP.h5 --explain FILE -o DIR)")
    for opt, p in (("--x", x), ("--y", y)):
        if p is None:
            continue
        for s in sweeps:
            paths = sweep_paths(f, s)
            if p not in paths:
                raise ArgumentError(f"{opt}: sweep {s!r} varies no parameter {p!r} (it varies: {', '.join(paths)})")
    if replication is not None:
        for r in runs:
            path = f"runs/{r}/series"
            if not has_table(f, path):
                continue
            if "replication" not in f[path].dtype.names:
                raise InputError(f"/{path} lacks the column(s) replication")
            have = sorted(set(int(v) for v in f[path]["replication"]))
            if have and replication not in have:
                raise ArgumentError(f"--replication: run {r!r} has time series of replications {have[0]} to "
                                    f"{have[-1]}, got {replication}")


def write_report(f, path, tmp, metric, x, y, replication, objective, present, explain=(), ranges=None):
    rep = S.Report(tmp, present)
    page = Page(title_of(f))
    cmps, runs, sweeps = comparison_names(f), run_names(f), sweep_names(f)
    studies = study_names(f)
    if not (cmps or runs or sweeps or studies):
        page.note("This file holds no runs, comparisons, sweeps or studies.")
    # the decision first
    if studies:
        for s in studies:
            S.decision_study(f, s, page, rep)
    if cmps:
        for c in cmps:
            S.decision_comparison(f, c, page, rep, objective, explain)
    elif sweeps and not studies:
        for s in sweeps:
            S.decision_sweep(f, s, page, rep, metric)
    elif runs and not studies:
        S.decision_run(f, runs[0], page, rep)
    vr = ranges if ranges is not None else S.sweep_ranges([f], metric)
    for c in cmps:
        S.report_comparison(f, c, page, rep, explain)
    shared = S.run_scales(f, runs, replication)  # the organisations are compared chart by chart
    for r in runs:
        S.report_run(f, r, page, rep, replication, shared)
    for s in sweeps:
        S.report_sweep(f, s, page, rep, metric, x, y, vr)
    for s in studies:
        S.report_study(f, s, page, rep)
    a = f.attrs
    meta = [f"File {os.path.basename(path)}"]
    if "salesflow_version" in a:
        meta.append(f"written by salesflow {text(a['salesflow_version'])}")
    if "created_utc" in a:
        meta.append(f"on {text(a['created_utc'])}")
    foot = '<h2 id="about">About this report</h2><p class="meta">' + esc(", ".join(meta)) + "."
    if "command_line" in a:
        foot += f"<br>Command: <code>{esc(text(a['command_line']))}</code>"
    foot += "<br>Made by scripts/report.py; docs/report.md tells how to read each chart.</p>"
    page.footer.append(foot)
    page.toc.append(("about", "About this report"))
    present_name = None
    if present and rep.slides:
        present_name = "present.html"
        with open(os.path.join(tmp, present_name), "w", encoding="utf-8") as out:
            out.write(present_page(page.title, "salesflow results, one chart per screen", rep.slides))
        rep.files.append(present_name)
    with open(os.path.join(tmp, "index.html"), "w", encoding="utf-8") as out:
        out.write(page.render(present_name))
    rep.files.append("index.html")
    return rep


def build_report(path, outdir, metric=DEFAULT_SWEEP_METRIC, x=None, y=None, replication=None,
                 objective=DEFAULT_OBJECTIVE, present=True, explain=(), range_from=(), chart_info=None):
    """Writes the charts, present.html and index.html into outdir; returns the file
    names written (relative to outdir), index.html last. `explain`: paths of results
    files of `salesflow explain` whose /explanations/<scenario> feed the value stream and
    funnel of a comparison; `range_from`: paths of results files whose sweeps share the
    colour scale and axis ranges of this report's sweep charts (per metric). InputError
    for an unusable results file (this one or one of those), OutputError for an unusable
    output folder; in both cases, and on any other failure, nothing is left in outdir.
    `chart_info`: a dict to fill with {chart file: what its plot recorded} (the scales
    of heat maps and y ranges, for tests)."""
    check_output(outdir)
    extra = []
    try:
        for p in (*explain, *range_from):
            try:
                extra.append((p, open_results(p)))
            except InputError as e:
                e.path = p
                raise
    except InputError:
        for _, g in extra:
            g.close()
        raise
    try:
        f = open_results(path)
    except InputError:
        for _, g in extra:
            g.close()
        raise
    try:
        check_arguments(f, x, y, replication)
    except (InputError, ArgumentError):
        f.close()
        for _, g in extra:
            g.close()
        raise
    parent = os.path.dirname(os.path.abspath(outdir))
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(os.path.abspath(outdir))}.tmp-", dir=parent)
    try:
        try:
            with f:
                ex = [g for p, g in extra if p in explain]
                others = [g for p, g in extra if p in range_from]
                ranges = S.sweep_ranges([f, *others], metric)
                rep = write_report(f, path, tmp, metric, x, y, replication, objective, present, ex, ranges)
                files = rep.files
                if chart_info is not None:
                    chart_info.update(rep.info)
        except (KeyError, ValueError, TypeError, IndexError, OSError) as e:
            if os.environ.get("SALESFLOW_REPORT_DEBUG") == "1":
                raise
            if isinstance(e, OSError) and getattr(e, "filename", None):
                raise  # writing the report failed: exit 1
            raise InputError(f"the file does not have the layout report.py reads ({type(e).__name__}: "
                             f"{str(e).splitlines()[0][:200] if str(e) else ''})") from e
        _move_into(tmp, outdir, files)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        for _, g in extra:
            g.close()
    return files


def _move_into(tmp, outdir, files):
    """Moves the finished report into outdir: a rename of the whole folder when outdir
    does not exist, else file by file (index.html last), never deleting anything else
    in outdir."""
    if not os.path.exists(outdir):
        os.rename(tmp, outdir)
        os.makedirs(tmp, exist_ok=True)  # for the caller's cleanup
        return
    for fn in files:
        os.replace(os.path.join(tmp, fn), os.path.join(outdir, fn))
