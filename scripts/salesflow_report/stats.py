"""Statistics: Student-t quantiles (scipy.stats), intervals of a mean, and the paired
probability of being best over common-random-number replications."""
import math

import numpy as np
from scipy import stats as _st


def t_quantile(p, df):
    """Quantile of Student's t (0 < p < 1, df > 0), scipy.stats.t.ppf."""
    if not 0.0 < p < 1.0 or not df > 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    return float(_st.t.ppf(p, df))


def t_cdf(t, df):
    return float(_st.t.cdf(t, df))


def mean_interval(values, level=0.95):
    """(mean, sd, n, ci_low, ci_high): the two-sided Student-t interval of the mean over
    the finite values; sd and the interval are NaN with fewer than two."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return (math.nan, math.nan, 0, math.nan, math.nan)
    m = float(v.mean())
    if n < 2:
        return (m, math.nan, n, math.nan, math.nan)
    sd = float(v.std(ddof=1))
    half = t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)
    return (m, sd, n, m - half, m + half)


def probability_best(values, direction):
    """values: {scenario: array of per-replication values, aligned by replication}.
    The share of replications in which each scenario is best on the objective (highest
    for direction "higher", lowest for "lower"); a tie shares the replication equally.
    Returns {scenario: share}; the shares add up to 1. {} without values or direction."""
    if direction not in ("higher", "lower") or not values:
        return {}
    names = list(values)
    m = np.vstack([np.asarray(values[s], dtype=float) for s in names])
    if m.shape[1] == 0:
        return {}
    if direction == "lower":
        m = -m
    best = m.max(axis=0)
    is_best = np.isclose(m, best, rtol=0, atol=0) | (m == best)
    share = (is_best / is_best.sum(axis=0)).mean(axis=1)
    return {s: float(v) for s, v in zip(names, share)}
