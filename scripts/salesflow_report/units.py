"""Numbers in the units people use.

A metric's stored unit (docs/results-format.md: count, hours, per_week, share, money,
money_per_person_year, money_per_win, leads, ratio) becomes a `Display`: a factor from
the stored value, a unit text for labels, and a formatter.

- hours: hours below 2 days, days below 8 weeks, else weeks (chosen from the largest
  value shown, so one chart or table uses one unit);
- count: per week of the measured period; per month (52/12 weeks) when fewer than 2 a
  week; as stored ("per run") when the measured period is unknown;
- per_week: per week; per month when below 2 a week;
- share: percent; money: thousands as k, millions as M; leads: leads (time average);
- ratio: a plain number.
"""
import math

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0
WEEKS_PER_MONTH = 52.0 / 12.0


class Display:
    """factor: display value = stored value * factor; unit: text for an axis or a column
    header ("days", "per week", "%", ...); kind: how values are written."""

    def __init__(self, factor, unit, kind="number"):
        self.factor = factor
        self.unit = unit
        self.kind = kind

    def value(self, v):
        try:
            return float(v) * self.factor
        except (TypeError, ValueError):
            return math.nan

    def fmt(self, v, signed=False):
        """The stored value v as text in this display unit (without the unit word except
        % and k/M)."""
        x = self.value(v)
        if self.kind == "percent":
            s = fmt_percent_value(x, signed)
        elif self.kind == "money":
            s = fmt_money(x, signed)
        else:
            s = fmt(x, signed)
        return s

    def fmt_unit(self, v, signed=False):
        """Value and unit, e.g. '12.5 days', '42%', '1.2 M', '3.4 per week'."""
        s = self.fmt(v, signed)
        if s == "n/a" or self.kind in ("percent",) or not self.unit:
            return s
        return f"{s} {self.unit}"

    def __repr__(self):
        return f"Display({self.factor!r}, {self.unit!r}, {self.kind!r})"


def duration_display(max_hours):
    """Hours, days or weeks for durations whose largest value is max_hours."""
    m = abs(max_hours) if max_hours is not None and math.isfinite(max_hours) else 0.0
    if m < 48.0:
        return Display(1.0, "hours")
    if m < 8 * HOURS_PER_WEEK:
        return Display(1.0 / HOURS_PER_DAY, "days")
    return Display(1.0 / HOURS_PER_WEEK, "weeks")


def rate_display(max_per_week):
    m = abs(max_per_week) if max_per_week is not None and math.isfinite(max_per_week) else 0.0
    if 0 < m < 2.0:
        return Display(WEEKS_PER_MONTH, "per month")
    return Display(1.0, "per week")


def display_for(unit, ref=None, weeks=math.nan):
    """The Display of a stored unit, given the largest stored value to show (ref) and the
    measured period in weeks (for counts)."""
    ref = abs(float(ref)) if ref is not None and math.isfinite(float(ref)) else 0.0
    if unit == "hours":
        return duration_display(ref)
    if unit == "count":
        if not (isinstance(weeks, (int, float)) and math.isfinite(weeks) and weeks > 0):
            return Display(1.0, "per run")
        d = rate_display(ref / weeks)
        return Display(d.factor / weeks, d.unit)
    if unit == "per_week":
        return rate_display(ref)
    if unit == "share":
        return Display(100.0, "%", "percent")
    if unit == "money":
        return Display(1.0, "", "money")
    if unit == "money_per_person_year":
        return Display(1.0, "per person per year", "money")
    if unit == "money_per_win":
        return Display(1.0, "per deal won", "money")
    if unit == "leads":
        return Display(1.0, "leads, average")
    return Display(1.0, "")


def fmt(v, signed=False):
    """A number for people: thousands separators, about three significant digits."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(v):
        return "n/a"
    a = abs(v)
    if a >= 1000:
        s = f"{v:,.0f}"
    elif a >= 100:
        s = f"{v:.0f}"
    elif a >= 10:
        s = f"{v:.1f}"
    elif a >= 1:
        s = f"{v:.2f}"
    elif a == 0:
        s = "0"
    else:
        s = f"{v:.2g}"
    if signed and not s.startswith("-") and s != "0":
        s = "+" + s
    return s


def fmt_money(v, signed=False):
    """1234567 -> '1.23 M', 45600 -> '45.6 k', 950 -> '950'."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(v):
        return "n/a"
    a = abs(v)
    if a >= 1e6:
        s = f"{v / 1e6:.3g} M" if a < 1e9 else f"{v / 1e6:,.0f} M"
    elif a >= 1e3:
        s = f"{v / 1e3:.3g} k"
    else:
        s = f"{v:.0f}"
    if signed and not s.startswith("-") and v != 0:
        s = "+" + s
    return s


def fmt_percent_value(x, signed=False):
    """x already in percent: 42.123 -> '42.1%'."""
    if not math.isfinite(x):
        return "n/a"
    a = abs(x)
    s = f"{x:+.1f}" if signed else f"{x:.1f}"
    if a >= 99.95 and a < 1000:
        s = f"{x:+.0f}" if signed else f"{x:.0f}"
    if signed and x == 0:
        s = "0"
    return s + "%"


def fmt_pct_change(x):
    """A relative change already in percent: '+12%', '-3.4%'."""
    if not math.isfinite(x):
        return "n/a"
    return (f"{x:+.1f}" if abs(x) < 10 else f"{x:+.0f}") + "%"


def fmt_duration(hours):
    """A duration for a sentence: '5 hours', '3.5 days', '12 weeks'."""
    d = duration_display(hours)
    return f"{fmt(d.value(hours))} {d.unit}"


def fmt_weeks(hours):
    w = hours / HOURS_PER_WEEK
    if not math.isfinite(w):
        return "?"
    return f"{w:.0f}" if abs(w - round(w)) < 0.05 else f"{w:.1f}"
