"""Human words for metrics, parameters and the values of parameters.

Metric labels come from the file (reading.Metrics). Parameters of a sweep are dotted
scenario paths (`roles.ae.headcount`); `param_label` turns them into words using the
role, stage and source names ("account executives", "WIP limit per account executive",
"inbound leads per week"), and `param_value` writes a value in the unit people use
(hours as days or weeks, rates per hour as per week, shares as percent, 0 as "no limit"
for WIP limits). No label produced here contains a dotted path.
"""
import math

from .units import HOURS_PER_WEEK, duration_display, fmt, fmt_money

# Common role names of the shipped scenarios -> (one, many). Other names are used as
# written, underscores as spaces. A role's own `label:` in the scenario, when present,
# wins.
ROLE_WORDS = {
    "sdr": ("sales development rep", "sales development reps"),
    "bdr": ("business development rep", "business development reps"),
    "ae": ("account executive", "account executives"),
    "se": ("solution expert", "solution experts"),
    "am": ("account manager", "account managers"),
    "seller": ("generalist seller", "generalist sellers"),
    "csm": ("customer success manager", "customer success managers"),
}


def words(name):
    return str(name).replace("_", " ").replace(".", " ").strip()


def role_words(role, scen=None, plural=True):
    for r in (scen or {}).get("roles") or []:
        if isinstance(r, dict) and r.get("name") == role and isinstance(r.get("label"), str):
            return r["label"]
    one, many = ROLE_WORDS.get(role, (words(role), words(role) + "s"))
    return many if plural else one


def stage_words(stage):
    return words(stage)


def source_words(source):
    return words(source)


# How a parameter's numbers are stored: "hours", "per_hour", "share", "people", "money",
# "wip" (0 = no limit), "count" or "" (as written).
def _split(path):
    return [p for p in str(path).split(".") if p != ""]


def param_kind(path):
    p = _split(path)
    last = p[-1] if p else ""
    if len(p) >= 3 and p[0] == "roles":
        return {"headcount": "people", "wip_limit": "wip", "availability": "share", "cost_per_year": "money",
                "share": "share"}.get(last, "")
    if len(p) >= 3 and p[0] == "sources":
        return {"arrivals": "per_hour", "half_life": "hours", "value": "money", "quality": ""}.get(last, "")
    if len(p) >= 3 and p[0] == "stages":
        if last in ("advance", "threshold", "noise_sd", "rework", "loss"):
            return "share"
        if "effort" in p or last in ("mean", "sd", "min", "max", "mode"):
            return "hours"
        if last == "wip_limit":
            return "wip"
        return ""
    if p and p[0] == "handoff":
        return "hours" if last in ("effort", "delay", "mean", "sd") else ""
    if p and p[0] == "simulation":
        return "hours" if last in ("horizon", "warmup", "sample_every") else ""
    return ""


def param_label(path, scen=None):
    """A sweep parameter in words: roles.ae.headcount -> 'account executives',
    roles.ae.wip_limit -> 'WIP limit per account executive (deals)',
    sources.inbound.arrivals -> 'inbound leads per week'."""
    p = _split(path)
    if not p:
        return "parameter"
    last = p[-1]
    if p[0] == "roles" and len(p) >= 3:
        r = p[1]
        rest = p[2:]
        if rest == ["headcount"]:
            return f"{role_words(r, scen)} (people)"
        if rest == ["wip_limit"]:
            return f"WIP limit per {role_words(r, scen, plural=False)} (deals)"
        if rest == ["availability"]:
            return f"share of {role_words(r, scen)}' time for sales work"
        if rest == ["cost_per_year"]:
            return f"cost per {role_words(r, scen, plural=False)} per year"
        if rest == ["context_switching"]:
            return f"context switching of {role_words(r, scen)}"
        if rest == ["discipline"]:
            return f"order in which {role_words(r, scen)} take work"
        return f"{words(' '.join(rest))} of {role_words(r, scen)}"
    if p[0] == "sources" and len(p) >= 3:
        s = source_words(p[1])
        rest = p[2:]
        if rest == ["arrivals"]:
            return f"{s} leads per week"
        if rest == ["half_life"]:
            return f"half-life of {s} leads' win chance"
        return f"{words(' '.join(rest))} of {s} leads"
    if p[0] == "stages" and len(p) >= 3:
        s = stage_words(p[1])
        rest = p[2:]
        if rest == ["advance"]:
            return f"share of leads advancing from {s}"
        if rest[:1] == ["gate"] and last == "threshold":
            return f"{s} gate: minimum estimated quality"
        if "effort" in rest:
            if last == "sd":
                return f"spread of the work per visit at {s} (standard deviation)"
            if last == "mean":
                return f"work per visit at {s}"
            return f"work per visit at {s}"
        return f"{words(' '.join(rest))} at {s}"
    if p[0] == "handoff" and len(p) >= 2:
        return "handoff effort per handover" if last == "effort" else f"handoff {words(' '.join(p[1:]))}"
    if p[0] == "simulation" and len(p) >= 2:
        return {"seed": "random seed", "horizon": "simulated length", "warmup": "warm-up",
                "replications": "replications"}.get(last, words(last))
    return words(" ".join(p))


def _is_number(v):
    if isinstance(v, bool):
        return False
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def param_value(path, v, scen=None, with_unit=True):
    """One parameter value in words: ('roles.ae.headcount', 4) -> '4 account executives',
    ('roles.ae.wip_limit', 0) -> 'no limit', ('sources.inbound.arrivals', 0.0357) ->
    '6 per week', ('sources.inbound.half_life', 504) -> '3 weeks'. Text values are
    written as they are, with false/true as 'off'/'on'."""
    kind = param_kind(path)
    if isinstance(v, bytes):
        v = v.decode("utf-8", errors="replace")
    if not _is_number(v):
        s = str(v)
        return {"false": "off", "true": "on"}.get(s.lower(), s.replace("/w", " per week").replace("/h", " per hour"))
    x = float(v)
    p = _split(path)
    if kind == "people":
        n = fmt_int_or(x)
        if not with_unit:
            return n
        one = x == 1
        return f"{n} {role_words(p[1], scen, plural=not one)}"
    if kind == "wip":
        if x == 0:
            return "no limit"
        return f"{fmt_int_or(x)} deals" if with_unit else fmt_int_or(x)
    if kind == "per_hour":
        w = x * HOURS_PER_WEEK
        return f"{fmt_clean(w)} per week" if with_unit else fmt_clean(w)
    if kind == "hours":
        for unit, h in (("weeks", HOURS_PER_WEEK), ("days", 24.0)):
            if x >= h and abs(x / h - round(x / h)) < 1e-9:
                n = int(round(x / h))
                return f"{n} {unit if n != 1 else unit[:-1]}" if with_unit else str(n)
        d = duration_display(x if x != 0 else 1.0)
        return f"{fmt_clean(d.value(x))} {d.unit}" if with_unit else fmt_clean(d.value(x))
    if kind == "share":
        return f"{fmt_clean(100 * x)}%"
    if kind == "money":
        return fmt_money(x)
    return fmt_int_or(x)


def param_axis_unit(path, values):
    """(factor, unit text) for a numeric parameter on an axis, e.g. per hour -> per week."""
    kind = param_kind(path)
    if kind == "per_hour":
        return HOURS_PER_WEEK, "per week"
    if kind == "hours":
        vals = [abs(float(v)) for v in values if _is_number(v)]
        d = duration_display(max(vals) if vals else 0.0)
        return d.factor, d.unit
    if kind == "share":
        return 100.0, "%"
    if kind == "people":
        return 1.0, "people"
    if kind == "wip":
        return 1.0, "deals"
    return 1.0, ""


def fmt_int_or(x):
    return str(int(round(x))) if abs(x - round(x)) < 1e-9 and abs(x) < 1e15 else fmt(x)


def fmt_clean(x):
    """A value without noise digits: 6.0000001 -> '6', 0.35 -> '0.35', 1234.5 -> '1,234'."""
    if abs(x - round(x)) < 1e-6 * max(1.0, abs(x)):
        return f"{int(round(x)):,}"
    return fmt(x)


def differing(points, paths):
    """The paths whose value differs between the given points (list of dicts)."""
    return [p for p in paths if len({str(pt.get(p)) for pt in points}) > 1]


def legend(point, paths, scen=None, skip_zero_people=True):
    """A line's legend in words from the values of `paths` at one point:
    '4 account executives, 3 solution experts'. Roles with 0 people are left out."""
    parts = []
    for p in paths:
        v = point.get(p)
        if skip_zero_people and param_kind(p) == "people" and _is_number(v) and float(v) == 0:
            continue
        lab = param_value(p, v, scen)
        kind = param_kind(p)
        if kind in ("people",):
            parts.append(lab)
        elif kind == "per_hour" and _is_number(v):
            parts.append(f"{fmt_clean(float(v) * HOURS_PER_WEEK)} {param_label(p, scen)}")
        else:
            parts.append(f"{param_label(p, scen)}: {lab}")
    return ", ".join(parts) if parts else "all"


def metric_display(info, ref=None, weeks=math.nan):
    """The Display of a metric (reading.MetricInfo) for values up to `ref` (stored unit)."""
    from .units import display_for
    return display_for(info.unit, ref, weeks)


def metric_axis(info, display):
    """'Lead time, mean (days)', 'Revenue won', 'Hit rate (%)'."""
    return f"{info.label} ({display.unit})" if display.unit else info.label
