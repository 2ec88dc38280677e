"""Intervals: means that respect their outcome's domain, paired differences, ratios.

* ``mean_interval`` — the mean of one outcome over replications with a 95% percentile-bootstrap
  interval (``scipy.stats.bootstrap``). A percentile interval of a mean lies inside the range of
  the data, so a count is never negative and a share never above 1 (a t-interval over two or
  three runs gave transfers a year of [−0.16, 0.34]). It is seeded: the same folder always gives
  the same report.
* ``paired_difference`` — the mean paired difference point − reference over replications that
  share a seed, with its t-interval (differences have no bound at zero).
* ``fieller_ratio`` — the ratio of two mean paired differences with Fieller's interval.
* ``minimal_detectable_effect`` — the smallest true paired effect a paired t-test at two-sided
  5% detects with 80% power, from the paired differences' sd and their number
  (``statsmodels``' ``TTestPower``): what an interval that includes 0 can still rule out.
* ``replications_for_half_width`` — how many paired replications bring the 95% half-width of a
  mean paired difference down to a target, from a pilot run's sd.
* ``split_halves`` — the paired effect re-estimated on two disjoint seed sets (even and odd
  replications) and Welch's t-test of their difference: do two independent seed blocks agree?

With fewer than ``MIN_RELIABLE_REPLICATIONS`` replications no interval is reliable (a bootstrap
of three values has only ten distinct resamples); the report says so (``replication_warning``).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ecosystem.calibration import mean_ci

MIN_RELIABLE_REPLICATIONS = 5
MDE_ALPHA = 0.05  # two-sided test level of the minimal detectable effect
MDE_POWER = 0.80
SPLIT_ALPHA = 0.05  # the two seed halves disagree when Welch's test rejects at this level
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


def minimal_detectable_effect(sd: float, n: int) -> float:
    """The true mean paired difference detected with 80% power by a two-sided 5% paired t-test.

    ``sd`` is the sd of the paired differences, ``n`` the number of pairs; NaN with fewer than
    two pairs, an undefined sd, or pairs that never differ (sd 0 says nothing of the spread a
    small true effect would have).
    """
    if n < 2 or not math.isfinite(sd) or sd == 0:
        return math.nan
    from statsmodels.stats.power import TTestPower

    d = TTestPower().solve_power(
        effect_size=None, nobs=n, alpha=MDE_ALPHA, power=MDE_POWER, alternative="two-sided"
    )
    return float(d) * sd


def half_width(sd: float, n: int) -> float:
    """Half-width of the 95% t-interval of a mean of ``n`` values with sd ``sd``."""
    if n < 2 or not math.isfinite(sd):
        return math.nan
    return float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)


def replications_for_half_width(sd: float, target: float, max_n: int = 100_000) -> int | None:
    """The fewest pairs (≥ 2) whose 95% t half-width is at most ``target``, for paired sd ``sd``.

    ``None`` when it cannot be computed (sd missing or 0 — a pilot whose pairs never differ
    sizes nothing —, target missing or ≤ 0) or exceeds ``max_n``. The t quantile shrinks with
    n, so the normal-theory start (1.96·sd/target)² is raised until the t half-width fits.
    """
    if not (math.isfinite(sd) and math.isfinite(target)) or sd <= 0 or target <= 0:
        return None
    n = max(2, math.ceil((1.959964 * sd / target) ** 2))
    while n <= max_n:
        if half_width(sd, n) <= target:
            return n
        n += 1
    return None


def split_halves(
    diffs: np.ndarray, replications: np.ndarray
) -> tuple[float, float, float, bool | None]:
    """The mean paired difference on even and on odd replications, and whether they agree.

    Replication r has its own seed, so the two halves are disjoint seed sets. The test is
    Welch's two-sample t-test (two-sided, ``SPLIT_ALPHA``) of the halves' mean differences;
    they disagree when it rejects. Returns ``(effect_even, effect_odd, p_value, agree)``;
    ``agree`` is ``None`` when a half has fewer than two pairs, and the p-value is 1 when both
    halves have no spread and equal means (0 when they differ).
    """
    d = np.asarray(diffs, dtype=float)
    r = np.asarray(replications)
    ok = np.isfinite(d)
    even, odd = d[ok & (r % 2 == 0)], d[ok & (r % 2 == 1)]
    m_even = float(even.mean()) if even.size else math.nan
    m_odd = float(odd.mean()) if odd.size else math.nan
    if even.size < 2 or odd.size < 2:
        return m_even, m_odd, math.nan, None
    if np.ptp(even) == 0 and np.ptp(odd) == 0:
        p = 1.0 if m_even == m_odd else 0.0
    else:
        p = float(stats.ttest_ind(even, odd, equal_var=False).pvalue)
    return m_even, m_odd, p, bool(p >= SPLIT_ALPHA)
