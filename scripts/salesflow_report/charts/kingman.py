"""Utilisation against lead time across a sweep (Kingman's hockey stick)."""
import math

import pandas as pd

from ..labels import role_words
from ..reading import headcounts, scenario, sweep_attrs, sweep_points, sweep_replications
from ..stats import mean_interval
from ..units import HOURS_PER_DAY, duration_display
from .style import PALETTE


def sweep_roles(f, name, yaml_text=None):
    """Role names of a sweep's base scenario (from its stored scenario_yaml, or from
    yaml_text when given: one scenario of a sweep of several organisations)."""
    scen = scenario(sweep_attrs(f, name)["scenario_yaml"] if yaml_text is None else yaml_text)
    return [str(r["name"]) for r in scen.get("roles") or [] if isinstance(r, dict) and "name" in r], scen


def kingman_data(f, name, scenario_name=None, yaml_text=None):
    """One row per (point, role) whose utilisation metric `role.<r>.utilisation` is a
    column (roles of the base scenario): point, role, utilisation (0..1), lead_time_h,
    lead_time_d (point mean of lead_time_mean_h), lt_ci_low_d / lt_ci_high_d (95%
    interval from the replications, NaN without). Points where a role has no people
    (utilisation exactly 0 and headcount 0 at that point) are left out for that role.
    None when the sweep lacks lead_time_mean_h or every role's utilisation. With
    `scenario_name` (a sweep of several organisations): only that scenario's rows, its
    roles taken from yaml_text (its entry of the `scenarios_yaml` attribute)."""
    pts = sweep_points(f, name)
    if scenario_name is not None:
        pts = pts[pts["scenario"] == scenario_name].reset_index(drop=True)
    names, scen = sweep_roles(f, name, yaml_text)
    roles = [r for r in names if f"role.{r}.utilisation" in pts.columns]
    if "lead_time_mean_h" not in pts.columns or not roles:
        return None
    base_heads = headcounts(scen)
    reps = sweep_replications(f, name)
    if scenario_name is not None and reps is not None:
        reps = reps[reps["scenario"] == scenario_name]
    ci = {}
    if reps is not None and "lead_time_mean_h" in reps.columns:
        for p, g in reps.groupby("point"):
            _, _, _, lo, hi = mean_interval(g["lead_time_mean_h"].to_numpy())
            ci[int(p)] = (lo, hi)
    rows = []
    for _, r in pts.iterrows():
        lo, hi = ci.get(int(r["point"]), (math.nan, math.nan))
        for role in roles:
            head = r.get(f"roles.{role}.headcount", base_heads.get(role, 1))
            try:
                if float(head) == 0:
                    continue
            except (TypeError, ValueError):
                pass
            rows.append({"point": int(r["point"]), "role": role, "utilisation": float(r[f"role.{role}.utilisation"]),
                         "lead_time_h": float(r["lead_time_mean_h"]),
                         "lead_time_d": float(r["lead_time_mean_h"]) / HOURS_PER_DAY,
                         "lt_ci_low_d": lo / HOURS_PER_DAY, "lt_ci_high_d": hi / HOURS_PER_DAY})
    out = pd.DataFrame(rows, columns=["point", "role", "utilisation", "lead_time_h", "lead_time_d", "lt_ci_low_d",
                                      "lt_ci_high_d"])
    out.attrs["scenario"] = scen
    return out


def plot_kingman(c, data, title):
    """x from 0 to 100% and y from 0: a narrow range of utilisation must not look like
    a hockey stick."""
    import numpy as np
    scen = data.attrs.get("scenario")
    d_all = duration_display(float(np.nanmax(data["lead_time_h"])) if len(data) else 0.0)
    k = d_all.value(1.0) * HOURS_PER_DAY  # from days
    fig, ax = c.subplots(size=(9, 5))
    for i, (role, d) in enumerate(data.groupby("role", sort=False)):
        d = d.sort_values("utilisation")
        col = PALETTE[i % len(PALETTE)]
        ax.plot(100 * d["utilisation"], k * d["lead_time_d"], "o", color=col, label=role_words(role, scen))
        if d["lt_ci_low_d"].notna().any() and len(d) <= 40:
            ax.vlines(100 * d["utilisation"], k * d["lt_ci_low_d"], k * d["lt_ci_high_d"], color=col, alpha=0.5)
    ax.set_xlabel("Utilisation of the role (%)")
    ax.set_ylabel(f"Lead time, mean ({d_all.unit})")
    ax.set_xlim(0, 100)
    top = np.nanmax(k * data["lt_ci_high_d"].fillna(data["lead_time_d"])) if len(data) else 1.0
    ax.set_ylim(0, max(top, 1e-9) * 1.08)
    ax.set_title(title)
    ax.legend(title="Role")
    c.save(fig)
