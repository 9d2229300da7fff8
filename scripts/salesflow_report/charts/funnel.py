"""The funnel (arrived, opportunities, proposals, won) and how leads ended."""
import math

import numpy as np
import pandas as pd

from ..reading import summary_dict
from ..units import fmt
from .style import GOOD, OUTCOME_COLOURS, PALETTE

# How leads ended, a partition of the arrivals (with no warm-up): with the no_decision key the
# losses are split into lost to a competitor and no decision. A lead that went into nurture
# counts as the outcome it ended with (the results contract), so `nurtured` is reported
# apart ("nurtured" in the data), not as a bar of the partition.
FUNNEL_OUTCOMES = ["wins", "losses", "disqualified", "abandoned", "leads_open_at_end"]
FUNNEL_OUTCOMES_SPLIT = ["wins", "lost_to_competitor", "no_decision", "disqualified", "abandoned", "leads_open_at_end"]
FUNNEL_STAGES = ["leads_arrived", "opportunities", "proposals", "wins"]
OUTCOME_WORDS = {"wins": "Won", "losses": "Lost", "lost_to_competitor": "Lost to a competitor",
                 "no_decision": "No decision", "nurtured": "Into nurture",
                 "disqualified": "Disqualified",
                 "abandoned": "Abandoned by the buyer", "leads_open_at_end": "Still open at the end"}
STAGE_WORDS = {"leads_arrived": "Leads arrived", "opportunities": "Opportunities (passed qualification)",
               "proposals": "Proposals (reached the last stage)", "wins": "Deals won"}


def funnel_data(f, run, metrics=None):
    """What happened to the leads: {"outcomes": DataFrame(metric, label, mean, ci_low,
    ci_high) for won, lost (lost to a competitor and no decision apart, with the
    no_decision key), disqualified, abandoned, open (summary, stored counts per
    replication), "stages": the same for arrived -> opportunities -> proposals -> won,
    "arrived": the mean of leads_arrived, "outcomes_total": the sum of the outcome
    means, "nurtured": the mean of nurtured (leads that went into nurture, counted in
    their outcome too; NaN without the key)}. With no warm-up, outcomes_total equals
    arrived."""
    summ = summary_dict(f, run)

    def frame(items, words):
        return pd.DataFrame([{"metric": m, "label": words[m], "mean": float(summ[m]["mean"]),
                              "ci_low": float(summ[m]["ci_low"]), "ci_high": float(summ[m]["ci_high"])}
                             for m in items if m in summ], columns=["metric", "label", "mean", "ci_low", "ci_high"])

    out = frame(FUNNEL_OUTCOMES_SPLIT if "lost_to_competitor" in summ else FUNNEL_OUTCOMES, OUTCOME_WORDS)
    return {"outcomes": out, "stages": frame(FUNNEL_STAGES, STAGE_WORDS),
            "arrived": float(summ["leads_arrived"]["mean"]) if "leads_arrived" in summ else math.nan,
            "outcomes_total": float(out["mean"].sum()),
            "nurtured": float(summ["nurtured"]["mean"]) if "nurtured" in summ else math.nan}


def plot_funnel(c, data, title, display, top=None):
    """display: the units.Display of the counts (per week or per month); top: the
    largest count to fit (stored units) when the chart is compared with others."""
    top_shared = top
    fig, (a1, a2) = c.subplots(1, 2, size=(11, 4.2), sharex=True)
    colours_out = {"wins": GOOD, "losses": OUTCOME_COLOURS["lost"], "disqualified": OUTCOME_COLOURS["disqualified"],
                   "abandoned": OUTCOME_COLOURS["abandoned"], "leads_open_at_end": PALETTE[0],
                   "no_decision": "#edc948", "lost_to_competitor": OUTCOME_COLOURS["lost"]}
    top = 0.0
    for ax, df, sub in ((a1, data["stages"], "Through the funnel"), (a2, data["outcomes"], "How leads ended")):
        ys = np.arange(len(df))[::-1]
        mean = display.value(1.0) * df["mean"].to_numpy()
        lo = display.value(1.0) * df["ci_low"].to_numpy()
        hi = display.value(1.0) * df["ci_high"].to_numpy()
        err = np.vstack([mean - lo, hi - mean])
        cols = [GOOD if m == "wins" else (colours_out[m] if ax is a2 else PALETTE[0]) for m in df["metric"]]
        ax.barh(ys, mean, color=cols, xerr=np.nan_to_num(err), capsize=4)
        ax.set_yticks(ys, df["label"])
        for y, v in zip(ys, mean):
            ax.text(v, y, f"  {fmt(v)}", va="center", ha="left", fontsize="small")
        ax.set_xlabel(f"Leads {display.unit} (mean, 95% interval)")
        ax.set_title(sub)
        ax.grid(axis="y", visible=False)
        top = max(top, float(np.nanmax(np.concatenate([hi, mean]))) if len(df) else 0.0)
    if top_shared is not None:
        top = max(top, display.value(top_shared))
    a1.set_xlim(0, max(1e-9, top) * 1.25)  # one scale for both panels: they are compared
    c.info["xlim"] = tuple(v / display.value(1.0) for v in a1.get_xlim())
    fig.suptitle(title)
    c.save(fig)
