"""Where people's time goes: pipeline work, prospecting and idle time per role."""
import numpy as np
import pandas as pd

from ..labels import role_words
from ..reading import headcounts, run_attrs, scenario, summary_dict
from .style import PALETTE


def utilisation_data(f, run):
    """Per role of the run's `roles` attribute, the shares of the available hours
    (summary means): pipeline = utilisation - prospecting_share, prospecting, idle =
    1 - utilisation (each row sums to 1). Columns: role, label, utilisation, pipeline,
    prospecting, idle. Roles without a utilisation metric, and roles with no people
    (headcount 0 in the scenario), are left out."""
    summ = summary_dict(f, run)
    at = run_attrs(f, run)
    scen = scenario(at["scenario_yaml"])
    heads = headcounts(scen)
    rows = []
    for r in at["roles"]:
        u = summ.get(f"role.{r}.utilisation")
        if u is None or heads.get(r, 1) == 0:
            continue
        u = float(u["mean"])
        p = summ.get(f"role.{r}.prospecting_share")
        p = float(p["mean"]) if p is not None else 0.0
        rows.append({"role": r, "label": role_words(r, scen), "utilisation": u, "pipeline": u - p,
                     "prospecting": p, "idle": 1.0 - u})
    return pd.DataFrame(rows, columns=["role", "label", "utilisation", "pipeline", "prospecting", "idle"])


def plot_utilisation(c, data, title):
    fig, ax = c.subplots(size=(9, 1.6 + 0.7 * len(data)))
    ys = np.arange(len(data))[::-1]
    left = np.zeros(len(data))
    for col, lab, colour in (("pipeline", "Pipeline work (leads and deals)", PALETTE[0]),
                             ("prospecting", "Prospecting", PALETTE[1]), ("idle", "Idle", "#e0e0e0")):
        v = 100.0 * data[col].to_numpy()
        ax.barh(ys, v, left=left, color=colour, label=lab)
        for y, l0, w in zip(ys, left, v):
            if w >= 7:
                ax.text(l0 + w / 2, y, f"{w:.0f}%", ha="center", va="center", fontsize="small",
                        color="white" if col != "idle" else "black")
        left = left + v
    ax.set_yticks(ys, data["label"])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of the hours available for sales work (%)")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3 if len(data) < 3 else -0.15), ncol=3)
    ax.grid(axis="y", visible=False)
    c.save(fig)
