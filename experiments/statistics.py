"""Intervals: means that respect their outcome's domain, paired differences, ratios.

* ``mean_interval`` — the mean of one outcome over replications with a 95% percentile-bootstrap
  interval (``scipy.stats.bootstrap``). A percentile interval of a mean lies inside the range of
  the data, so a count is never negative and a share never above 1 (a t-interval over two or
  three runs gave transfers a year of [−0.16, 0.34]). It is seeded: the same folder always gives
  the same report.
* ``paired_difference`` — the mean paired difference point − reference over replications that
  share a seed, with its t-interval (differences have no bound at zero).
* ``fieller_ratio`` — the ratio of two mean paired differences with Fieller's interval.

With fewer than ``MIN_RELIABLE_REPLICATIONS`` replications no interval is reliable (a bootstrap
of three values has only ten distinct resamples); the report says so (``replication_warning``).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ecosystem.calibration import mean_ci

MIN_RELIABLE_REPLICATIONS = 5
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20251201


def mean_interval(
    values: np.ndarray, bounds: tuple[float, float] = (-math.inf, math.inf)
) -> tuple[float, float, float, int]:
    """``(mean, low, high, n)`` over the finite values; the 95% bootstrap interval of the mean.

    ``bounds`` is the outcome's domain (``ecosystem.outputs.domain``); the percentile interval
    already lies inside the data's range, the bounds only guard the degenerate cases.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n == 1:
        return mean, math.nan, math.nan, 1
    if np.ptp(x) == 0:
        return mean, mean, mean, n
    res = stats.bootstrap(
        (x,), np.mean, confidence_level=0.95, n_resamples=BOOTSTRAP_RESAMPLES,
        method="percentile", vectorized=True, rng=np.random.default_rng(BOOTSTRAP_SEED),
    )
    low = max(float(res.confidence_interval.low), bounds[0])
    high = min(float(res.confidence_interval.high), bounds[1])
    return mean, low, high, n


def paired_difference(
    treated: np.ndarray, reference: np.ndarray
) -> tuple[float, float, float, float, float, int]:
    """Means of both arms and the mean paired difference with its 95% CI, over finite pairs.

    Returns ``(reference mean, treated mean, effect, ci_low, ci_high, n_pairs)``; the effect is
    exactly the difference of the two means because both are taken over the same pairs.
    """
    t = np.asarray(treated, dtype=float)
    r = np.asarray(reference, dtype=float)
    ok = np.isfinite(t) & np.isfinite(r)
    if not ok.any():
        return math.nan, math.nan, math.nan, math.nan, math.nan, 0
    effect, lo, hi, n = mean_ci(t[ok] - r[ok])
    return float(r[ok].mean()), float(t[ok].mean()), effect, lo, hi, n


def fieller_ratio(num: np.ndarray, den: np.ndarray) -> tuple[float, float, float, int, str]:
    """Ratio of the means of paired differences, with Fieller's 95% interval.

    Public money per additional transfer is mean(Δ spend) ÷ mean(Δ transfers). A delta-method
    interval is wrong when the denominator is near zero; Fieller's interval is exact under
    normality and says so: when Δ transfers is not significantly different from zero the
    interval is unbounded, reported as (−∞, ∞) with a note. Returns ``(ratio, low, high, n,
    note)``.
    """
    a = np.asarray(num, dtype=float)
    b = np.asarray(den, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    n = int(a.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0, "no paired runs"
    ma, mb = float(a.mean()), float(b.mean())
    if mb == 0:
        return math.nan, -math.inf, math.inf, n, "no additional transfers on average"
    ratio = ma / mb
    note = "" if mb > 0 else "fewer transfers than the reference: ratio not a cost"
    if n < 2:
        return ratio, math.nan, math.nan, n, note or "one pair: no interval"
    t2 = float(stats.t.ppf(0.975, n - 1)) ** 2
    saa, sbb = float(a.var(ddof=1)), float(b.var(ddof=1))
    sab = float(np.cov(a, b, ddof=1)[0, 1])
    qa = mb * mb - t2 * sbb / n
    qb = -2.0 * (ma * mb - t2 * sab / n)
    qc = ma * ma - t2 * saa / n
    if qa <= 0:
        return ratio, -math.inf, math.inf, n, "CI unbounded: Δ transfers not significant"
    root = math.sqrt(max(qb * qb - 4 * qa * qc, 0.0))
    return ratio, (-qb - root) / (2 * qa), (-qb + root) / (2 * qa), n, note


def replication_warning(replications: int) -> str:
    """A one-line warning when there are too few replications for reliable intervals."""
    if replications >= MIN_RELIABLE_REPLICATIONS:
        return ""
    return (
        f"WARNING: only {replications} replication(s) per point: the 95% intervals are not "
        f"reliable (use at least {MIN_RELIABLE_REPLICATIONS})."
    )
