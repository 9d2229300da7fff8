"""The lead-time distribution with its 50/85/95% marks."""
import numpy as np
import pandas as pd

from ..reading import has_table, read_table, summary_dict
from ..units import HOURS_PER_DAY, duration_display, fmt
from .style import OUTCOME_COLOURS, PALETTE

LEAD_OUTCOMES = ["won", "lost", "disqualified", "abandoned"]
PERCENTILE_METRICS = {"p50": "lead_time_p50_h", "p85": "lead_time_p85_h", "p95": "lead_time_p95_h"}


def measured_exits(f, run):
    """The leads table restricted to the leads the metrics count: exited (not open) at or
    after the warm-up; with lead_time_h = exit_h - arrival_h. None without a leads table."""
    path = f"runs/{run}/leads"
    if not has_table(f, path):
        return None
    leads = read_table(f, path, ("replication", "arrival_h", "exit_h", "outcome"))
    warm = float(f["runs"][run].attrs.get("warmup_h", 0.0))
    ex = leads[(leads["outcome"] != "open") & (leads["exit_h"] >= warm)].copy()
    ex["lead_time_h"] = ex["exit_h"] - ex["arrival_h"]
    return ex.reset_index(drop=True)


def leadtime_data(f, run):
    """Lead-time distribution.

    From the leads table when present (source "leads"): lead_times (replication,
    outcome, lead_time_h, lead_time_d) of the measured exits; per_replication
    (replication, p50_h, p85_h, p95_h), numpy percentiles over each replication's
    measured exits (0 for a replication without any, as the simulator reports).
    Always: marks {"p50": hours, ...} (means over replications, or without leads the
    summary means: source "metrics") and summary (the summary rows of the percentile
    metrics). None when neither is in the file."""
    summ = summary_dict(f, run)
    summary = pd.DataFrame([{"mark": k, "metric": m, "mean": summ[m]["mean"], "ci_low": summ[m]["ci_low"],
                             "ci_high": summ[m]["ci_high"]} for k, m in PERCENTILE_METRICS.items() if m in summ])
    ex = measured_exits(f, run)
    if ex is not None:
        rows = []
        reps = read_table(f, f"runs/{run}/replications")["replication"] if has_table(
            f, f"runs/{run}/replications") else pd.Series(sorted(set(ex["replication"])))
        by_rep = {int(k): g["lead_time_h"].to_numpy() for k, g in ex.groupby("replication")}
        for rep in reps:
            lt = by_rep.get(int(rep), np.zeros(0))
            q = np.percentile(lt, [50, 85, 95]) if len(lt) else np.zeros(3)
            rows.append({"replication": int(rep), "p50_h": float(q[0]), "p85_h": float(q[1]), "p95_h": float(q[2])})
        per = pd.DataFrame(rows, columns=["replication", "p50_h", "p85_h", "p95_h"])
        marks = {k: float(per[f"{k}_h"].mean()) for k in PERCENTILE_METRICS}
        lt = ex[["replication", "outcome", "lead_time_h"]].copy()
        lt["lead_time_d"] = lt["lead_time_h"] / HOURS_PER_DAY
        return {"source": "leads", "lead_times": lt, "per_replication": per, "marks": marks, "summary": summary}
    if len(summary) == 0:
        return None
    marks = {r["mark"]: float(r["mean"]) for _, r in summary.iterrows()}
    return {"source": "metrics", "lead_times": None, "per_replication": None, "marks": marks, "summary": summary}


def plot_leadtime(c, data, title):
    fig, ax = c.subplots(size=(9, 4.8))
    names = {"p50": "50%", "p85": "85%", "p95": "95%"}
    if data["source"] == "leads":
        lt = data["lead_times"]
        hi_h = float(np.percentile(lt["lead_time_h"], 99.5)) if len(lt) else 1.0
        hi_h = max(hi_h, max(data["marks"].values(), default=0.0)) * 1.05 or 1.0
        d = duration_display(hi_h)
        hi = d.value(hi_h)
        bins = np.linspace(0.0, hi, 41)
        outs = [o for o in LEAD_OUTCOMES if (lt["outcome"] == o).any()]
        nrep = max(1, lt["replication"].nunique())
        vals = [d.value(1.0) * lt.loc[lt["outcome"] == o, "lead_time_h"].clip(upper=hi_h).to_numpy() for o in outs]
        weights = [np.full(len(v), 1.0 / nrep) for v in vals]
        ax.hist(vals, bins=bins, stacked=True, weights=weights, color=[OUTCOME_COLOURS[o] for o in outs],
                label=[o.capitalize() for o in outs])
        ax.set_ylabel("Leads per replication")
        ax.set_xlabel(f"Lead time, arrival to close-out ({d.unit})")
        ax.set_xlim(0, hi)
        for k, v in data["marks"].items():
            x = d.value(v)
            ax.axvline(x, color="black", ls="--", lw=1)
            ax.text(x, 0.97, f" {names[k]} within\n {fmt(x)} {d.unit}", transform=ax.get_xaxis_transform(),
                    va="top", ha="left", fontsize="small")
        ax.legend(loc="center right")
    else:
        s = data["summary"]
        d = duration_display(float(s["ci_high"].max()) if len(s) else 0.0)
        xs = np.arange(len(s))
        mean = d.value(1.0) * s["mean"].to_numpy()
        err = np.vstack([mean - d.value(1.0) * s["ci_low"].to_numpy(), d.value(1.0) * s["ci_high"].to_numpy() - mean])
        ax.bar(xs, mean, color=PALETTE[0], yerr=np.nan_to_num(err), capsize=6)
        ax.set_xticks(xs, [f"{names[m]} of leads\nclose out within" for m in s["mark"]])
        ax.set_ylabel(f"Lead time ({d.unit})")
        ax.set_ylim(bottom=0)
        for x, v in zip(xs, mean):
            ax.text(x, v, f"{fmt(v)} {d.unit} ", ha="right", va="bottom", fontsize="small")
    ax.set_title(title)
    c.save(fig)
