"""Test support: adds the metric metadata of docs/results-format.md (metric_names,
metric_units, metric_directions, metric_labels on every `replications` table) to a
results file that lacks it, from the table below, so that the report tests run on
files of a salesflow that does not write it yet. A file that has it is left alone."""
import h5py
import numpy as np

BASE = {
    "leads_arrived": ("count", "neither", "Leads arrived"),
    "leads_exited": ("count", "neither", "Leads closed out"),
    "wins": ("count", "higher", "Deals won"),
    "revenue": ("money", "higher", "Revenue won"),
    "lead_time_mean_h": ("hours", "lower", "Lead time, mean"),
    "wip_mean": ("leads", "neither", "Leads in progress"),
    "throughput_per_week": ("per_week", "higher", "Leads closed out"),
    "hit_rate": ("share", "higher", "Hit rate (won / proposals)"),
    "losses": ("count", "lower", "Leads lost"),
    "disqualified": ("count", "neither", "Leads disqualified"),
    "abandoned": ("count", "lower", "Leads abandoned by the buyer"),
    "leads_open_at_end": ("count", "neither", "Leads still open at the end"),
    "opportunities": ("count", "higher", "Opportunities"),
    "proposals": ("count", "higher", "Proposals"),
    "win_rate": ("share", "higher", "Win rate (won / opportunities)"),
    "cost": ("money", "lower", "Cost of the team"),
    "productivity": ("money_per_person_year", "higher", "Revenue per salesperson"),
    "cost_per_win": ("money_per_win", "lower", "Cost per deal won"),
    "flow_efficiency": ("share", "higher", "Flow efficiency"),
    "lead_time_won_mean_h": ("hours", "lower", "Lead time of won deals, mean"),
    "lead_time_won_p85_h": ("hours", "lower", "Lead time of won deals, 85th percentile"),
    "lead_time_p50_h": ("hours", "lower", "Lead time, median"),
    "lead_time_p85_h": ("hours", "lower", "Lead time, 85th percentile"),
    "lead_time_p95_h": ("hours", "lower", "Lead time, 95th percentile"),
    "outbound_leads": ("count", "neither", "Leads from prospecting"),
}
STAGE = {"wait_mean_h": ("hours", "lower", "wait for a person, mean"), "visits": ("count", "neither", "visits"),
         "work_mean_h": ("hours", "neither", "work per visit, mean"), "queue_mean": ("leads", "lower", "leads waiting"),
         "wip_mean": ("leads", "neither", "leads in the stage")}
ROLE = {"utilisation": ("share", "neither", "utilisation"), "prospecting_share": ("share", "neither", "time prospecting"),
        "queue_mean": ("leads", "lower", "leads waiting")}


def meta(name):
    if name in BASE:
        return BASE[name]
    parts = name.split(".")
    if len(parts) >= 3 and parts[0] == "stage" and parts[-1] in STAGE:
        u, d, lab = STAGE[parts[-1]]
        return u, d, f"{'.'.join(parts[1:-1])}: {lab}"
    if len(parts) >= 3 and parts[0] == "role" and parts[-1] in ROLE:
        u, d, lab = ROLE[parts[-1]]
        return u, d, f"{'.'.join(parts[1:-1])}: {lab}"
    return "ratio", "neither", name


def add(path, exclude=()):
    """Adds the attributes to every replications table of the file without them."""
    with h5py.File(path, "a") as f:
        tables = []
        f.visititems(lambda n, o: tables.append(n) if isinstance(o, h5py.Dataset) and n.endswith("replications")
                     and o.dtype.names else None)
        for t in tables:
            ds = f[t]
            if "metric_names" in ds.attrs:
                continue
            paths = set()
            g = ds.parent
            if "paths" in g.attrs:
                paths = {x.decode() if isinstance(x, bytes) else str(x) for x in np.atleast_1d(g.attrs["paths"])}
            names = [c for c in ds.dtype.names if c not in ("point", "replication") and c not in paths
                     and c not in exclude]
            s = h5py.string_dtype()
            ds.attrs["metric_names"] = np.array(names, dtype=s)
            ds.attrs["metric_units"] = np.array([meta(n)[0] for n in names], dtype=s)
            ds.attrs["metric_directions"] = np.array([meta(n)[1] for n in names], dtype=s)
            ds.attrs["metric_labels"] = np.array([meta(n)[2] for n in names], dtype=s)
