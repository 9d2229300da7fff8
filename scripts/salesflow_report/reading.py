"""Reading a salesflow results file (docs/results-format.md): opening it safely, tables
as pandas DataFrames with text decoded, the attributes of runs, comparisons and sweeps,
and the metric metadata (names, units, directions, labels) that the simulator stores.

Shared by report.py and export_csv.py. Nothing here guesses a metric's meaning from its
name: units, directions and labels come from the attributes `metric_names`,
`metric_units`, `metric_directions` and `metric_labels` of a `replications` table (or
the `unit`, `direction`, `label` columns of a `summary` table). A file without them
still reads; its metrics then have no unit, no direction and their name as label.
"""
import math
import os

import h5py
import numpy as np
import pandas as pd

from .errors import InputError

FORMAT = "salesflow-results"
UNITS = ("count", "hours", "per_week", "share", "money", "money_per_person_year", "money_per_win", "leads",
         "ratio")
DIRECTIONS = ("higher", "lower", "neither")
SUMMARY_COLUMNS = ("metric", "mean", "sd", "ci_low", "ci_high", "n")
COMPARISON_COLUMNS = ("metric", "scenario", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high",
                      "rel_change")


# ---- text -----------------------------------------------------------------------------


def text(x):
    """An attribute or cell as str (h5py gives bytes for fixed-width text)."""
    if isinstance(x, bytes):
        return x.decode("utf-8", errors="replace")
    if isinstance(x, np.ndarray) and x.shape == ():
        return text(x[()])
    if isinstance(x, np.generic):
        return str(x.item())
    return str(x)


def text_list(x):
    if x is None:
        return []
    return [text(v) for v in np.atleast_1d(x)]


def decode_frame(df):
    """Decodes every bytes column of a DataFrame to str, in place; returns it."""
    for c in df.columns:
        if df[c].dtype == object or df[c].dtype.kind == "S":
            df[c] = [v.decode("utf-8", errors="replace") if isinstance(v, bytes) else v for v in df[c]]
    return df


# ---- the file ---------------------------------------------------------------------------


def open_results(path):
    """Opens a results file for reading; InputError when it is missing, not HDF5, or not a
    salesflow results file (root attribute format = "salesflow-results")."""
    if not os.path.exists(path):
        raise InputError("no such file")
    if not os.path.isfile(path):
        raise InputError("not a regular file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise InputError(f"not a readable HDF5 file ({_short(e)})") from None
    try:
        fmt = text(f.attrs["format"]) if "format" in f.attrs else None
    except Exception as e:  # an attribute h5py cannot read
        f.close()
        raise InputError(f"unreadable root attribute 'format' ({_short(e)})") from None
    if fmt != FORMAT:
        f.close()
        got = "none" if fmt is None else repr(fmt)
        raise InputError(f"not a salesflow results file: root attribute 'format' should be '{FORMAT}', got {got}")
    return f


def _short(e):
    s = str(e).strip() or type(e).__name__
    return s.splitlines()[0][:200]


def is_table(obj):
    return isinstance(obj, h5py.Dataset) and obj.dtype.names is not None and obj.ndim == 1


def has_table(f, path):
    return path in f and is_table(f[path])


def read_table(f, path, columns=None):
    """A table as a DataFrame with text decoded; InputError when `path` is not a table or
    lacks one of `columns`."""
    if path not in f or not is_table(f[path]):
        raise InputError(f"/{path} is missing or not a table")
    ds = f[path]
    missing = [c for c in (columns or ()) if c not in ds.dtype.names]
    if missing:
        raise InputError(f"/{path} lacks the column(s) {', '.join(missing)}")
    try:
        data = ds[:]
    except OSError as e:
        raise InputError(f"/{path} cannot be read ({_short(e)})") from None
    return decode_frame(pd.DataFrame(data))


def group_names(f, top, kind):
    if top not in f:
        return []
    if not isinstance(f[top], h5py.Group):
        raise InputError(f"/{top} is not a group")
    return [k for k, v in f[top].items() if isinstance(v, kind)]


def run_names(f):
    return group_names(f, "runs", h5py.Group)


def comparison_names(f):
    return group_names(f, "comparisons", h5py.Dataset)


def sweep_names(f):
    return group_names(f, "sweeps", h5py.Group)


def _num(a, key, default=math.nan):
    if key not in a:
        return default
    try:
        return float(np.asarray(a[key]).reshape(-1)[0])
    except (TypeError, ValueError, IndexError):
        raise InputError(f"attribute {key} is not a number") from None


def run_attrs(f, run):
    """The run's attributes, typed: scenario_yaml (str), seed (str: shown as written),
    replications (int), horizon_h, warmup_h (float), sources, stages, roles (lists),
    complete (int or None)."""
    a = f["runs"][run].attrs
    out = {
        "scenario_yaml": text(a["scenario_yaml"]) if "scenario_yaml" in a else "",
        "seed": text(a["seed"]) if "seed" in a else "?",
        "replications": int(_num(a, "replications", 0)),
        "horizon_h": _num(a, "horizon_h"),
        "warmup_h": _num(a, "warmup_h", 0.0),
        "complete": int(_num(a, "complete")) if "complete" in a else None,
    }
    for k in ("sources", "stages", "roles"):
        out[k] = text_list(a.get(k))
    return out


def measured_weeks(horizon_h, warmup_h):
    """Length of the measured period in weeks (NaN when unknown)."""
    w = (horizon_h - (warmup_h if math.isfinite(warmup_h) else 0.0)) / 168.0
    return w if math.isfinite(w) and w > 0 else math.nan


# ---- metric metadata ----------------------------------------------------------------------


class MetricInfo:
    """What a metric is: name, unit (one of UNITS, or "" when the file does not say),
    direction ("higher", "lower", "neither") and a human label."""

    __slots__ = ("name", "unit", "direction", "label")

    def __init__(self, name, unit="", direction="neither", label=None):
        self.name = name
        self.unit = unit if unit in UNITS else ""
        self.direction = direction if direction in DIRECTIONS else "neither"
        self.label = label or name

    def __repr__(self):
        return f"MetricInfo({self.name!r}, {self.unit!r}, {self.direction!r}, {self.label!r})"


class Metrics:
    """The metric metadata of a run or sweep: an ordered dict name -> MetricInfo.
    `known` is False when the file carried no metadata (labels are then the names)."""

    def __init__(self, infos, known):
        self.infos = {m.name: m for m in infos}
        self.known = known

    def __contains__(self, name):
        return name in self.infos

    def __iter__(self):
        return iter(self.infos)

    def __len__(self):
        return len(self.infos)

    def get(self, name):
        return self.infos.get(name) or MetricInfo(name)

    def names(self):
        return list(self.infos)

    def merged(self, other):
        infos = dict(self.infos)
        for k, v in other.infos.items():
            if k not in infos or (not infos[k].unit and v.unit):
                infos[k] = v
        return Metrics(list(infos.values()), self.known or other.known)


def metrics_from_attrs(ds, path):
    """Metrics from the attributes metric_names/units/directions/labels of a dataset, or
    None when it has none. InputError when the arrays differ in length or name columns
    the table does not have."""
    a = ds.attrs
    if "metric_names" not in a:
        return None
    names = text_list(a["metric_names"])
    arrays = {}
    for k in ("metric_units", "metric_directions", "metric_labels"):
        arrays[k] = text_list(a[k]) if k in a else None
        if arrays[k] is not None and len(arrays[k]) != len(names):
            raise InputError(f"/{path}: attribute {k} has {len(arrays[k])} entries, metric_names has {len(names)}")
    cols = set(ds.dtype.names or ())
    missing = [n for n in names if n not in cols]
    if missing:
        raise InputError(f"/{path}: metric_names lists {missing[0]!r}, which is not a column of the table")
    infos = []
    for i, n in enumerate(names):
        u = arrays["metric_units"][i] if arrays["metric_units"] else ""
        d = arrays["metric_directions"][i] if arrays["metric_directions"] else "neither"
        lab = arrays["metric_labels"][i] if arrays["metric_labels"] else n
        infos.append(MetricInfo(n, u, d, lab))
    return Metrics(infos, True)


def metrics_from_summary(df):
    """Metrics from a summary table with the columns unit, direction, label; None without."""
    if not {"unit", "direction", "label"} <= set(df.columns):
        return None
    return Metrics([MetricInfo(r["metric"], r["unit"], r["direction"], r["label"]) for _, r in df.iterrows()], True)


def run_metrics(f, run):
    """The metric metadata of /runs/<run>: from the replications table's attributes, else
    the summary's unit/direction/label columns, else names only (known=False)."""
    path = f"runs/{run}/replications"
    if has_table(f, path):
        m = metrics_from_attrs(f[path], path)
        if m is not None:
            return m
    s = summary_frame(f, run)
    m = metrics_from_summary(s)
    if m is not None:
        return m
    return Metrics([MetricInfo(n) for n in s["metric"]], False)


def file_metrics(f):
    """Every metric declared anywhere in the file (runs, then sweeps), merged by name."""
    out = Metrics([], False)
    for r in run_names(f):
        out = out.merged(run_metrics(f, r))
    for s in sweep_names(f):
        out = out.merged(sweep_metrics(f, s))
    return out


def summary_frame(f, run):
    return read_table(f, f"runs/{run}/summary", SUMMARY_COLUMNS)


def summary_dict(f, run):
    """metric -> row (mean, sd, ci_low, ci_high, n) of the run's summary table."""
    s = summary_frame(f, run)
    return {r["metric"]: r for _, r in s.iterrows()}


def run_replications(f, run):
    return read_table(f, f"runs/{run}/replications", ("replication",))


# ---- comparisons -------------------------------------------------------------------------


def comparison_attrs(f, name):
    a = f["comparisons"][name].attrs
    return {"scenarios": text_list(a.get("scenarios")), "baseline": text(a["baseline"]) if "baseline" in a else None,
            "replications": int(_num(a, "replications", 0)) if "replications" in a else None,
            "seed": text(a["seed"]) if "seed" in a else "?"}


def comparison_table(f, name):
    return read_table(f, f"comparisons/{name}", COMPARISON_COLUMNS)


# ---- sweeps -------------------------------------------------------------------------------


def sweep_group(f, name):
    return f["sweeps"][name]


def sweep_points(f, name):
    return read_table(f, f"sweeps/{name}/points", ("point",))


def sweep_replications(f, name):
    path = f"sweeps/{name}/replications"
    return read_table(f, path, ("point", "replication")) if has_table(f, path) else None


def sweep_paths(f, name):
    """The varied PATH columns of a sweep, from the group's `paths` attribute (in table
    order). InputError when the attribute is missing or names a column the points table
    lacks."""
    g = sweep_group(f, name)
    if not has_table(f, f"sweeps/{name}/points"):
        raise InputError(f"/sweeps/{name}/points is missing or not a table")
    cols = list(g["points"].dtype.names)
    if "paths" not in g.attrs:
        raise InputError(f"/sweeps/{name} has no 'paths' attribute (the varied parameters)")
    keys = text_list(g.attrs["paths"])
    missing = [k for k in keys if k not in cols]
    if missing:
        raise InputError(f"/sweeps/{name}: attribute 'paths' names {missing[0]!r}, not a column of points")
    return [c for c in cols if c in keys]


def sweep_metrics(f, name):
    """The metric metadata of a sweep: attributes of its replications or points table,
    else the columns that are neither `point`, `replication` nor a varied PATH (no unit,
    no direction)."""
    for t in ("replications", "points"):
        path = f"sweeps/{name}/{t}"
        if has_table(f, path):
            m = metrics_from_attrs(f[path], path)
            if m is not None:
                return m
    paths = set(sweep_paths(f, name))
    cols = f[f"sweeps/{name}/points"].dtype.names
    return Metrics([MetricInfo(c) for c in cols if c not in ("point", "replication") and c not in paths], False)


def sweep_attrs(f, name):
    a = sweep_group(f, name).attrs
    return {"sweep_yaml": text(a["sweep_yaml"]) if "sweep_yaml" in a else "",
            "scenario_yaml": text(a["scenario_yaml"]) if "scenario_yaml" in a else "",
            "replications": int(_num(a, "replications", 0)) if "replications" in a else None,
            "complete": int(_num(a, "complete")) if "complete" in a else None}


# ---- the scenario text ---------------------------------------------------------------------


def scenario(yaml_text):
    """The stored scenario YAML as a dict (PyYAML's safe loader; {} when it is empty or
    not a mapping)."""
    if not yaml_text:
        return {}
    try:
        import yaml
        d = yaml.safe_load(yaml_text)
    except Exception:
        return {}
    return d if isinstance(d, dict) else {}


def headcounts(scen):
    """role name -> headcount from a scenario dict (roles without a number left out)."""
    out = {}
    for r in scen.get("roles") or []:
        if isinstance(r, dict) and "name" in r and isinstance(r.get("headcount"), (int, float)):
            out[str(r["name"])] = r["headcount"]
    return out


def scenario_hours(scen, key):
    """simulation.<key> of a scenario dict in hours (numbers are hours; '12w', '3d', '8h')."""
    v = (scen.get("simulation") or {}).get(key)
    return duration_hours(v)


def duration_hours(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        s = v.strip()
        for suffix, h in (("w", 168.0), ("d", 24.0), ("h", 1.0), ("y", 8760.0)):
            if s.endswith(suffix):
                try:
                    return float(s[:-1]) * h
                except ValueError:
                    return math.nan
    return math.nan
