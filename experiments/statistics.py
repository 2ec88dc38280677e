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
* ``split_flag_counts`` / ``family_share`` — how many effects of a table a split flags when
  nothing differs between the halves: the same test on random re-splits of the same seeds. The
  effects of one table are not independent tests (every arm is paired with the same reference
  runs, outcomes move together), so this count varies far more than a binomial one.

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
SPLIT_RESAMPLES = 1000  # random re-splits of the seeds giving the chance count of flags
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

    Replication r has its own seed, so the two halves are disjoint seed sets and their mean
    paired differences are independent estimates of one effect. The test is Welch's two-sample
    t-test (two-sided, ``SPLIT_ALPHA``) of the two means, the test of a difference of two
    independent means with unequal variances; they disagree when it rejects. With no true
    difference an effect is flagged with probability ``SPLIT_ALPHA`` (5%), also for zero-heavy
    count differences at 25 pairs a half, and at most that for heavy-tailed ones (the test is
    then conservative; ``tests/test_resolution.py`` simulates both). A table's count of flags
    is not binomial (``split_flag_counts``). Returns ``(effect_even, effect_odd, p_value,
    agree)``;
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


def welch_p(
    m1: np.ndarray, v1: np.ndarray, n1: np.ndarray, m2: np.ndarray, v2: np.ndarray, n2: np.ndarray
) -> np.ndarray:
    """Two-sided p-values of Welch's t-test from each sample's mean, variance (ddof 1) and size.

    Elementwise, equal to ``scipy.stats.ttest_ind(equal_var=False)``; two samples without spread
    give 1 when their means are equal and 0 otherwise, as ``split_halves`` does.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        s1, s2 = v1 / n1, v2 / n2
        se2 = s1 + s2
        t = (m1 - m2) / np.sqrt(se2)
        df = se2**2 / (s1**2 / (n1 - 1) + s2**2 / (n2 - 1))
        p = 2.0 * stats.t.sf(np.abs(t), df)
    flat = se2 == 0
    return np.where(flat, np.where(m1 == m2, 1.0, 0.0), p)


def split_flag_counts(
    diffs: np.ndarray, resamples: int = SPLIT_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> np.ndarray:
    """How many effects ``split_halves``' test flags on random halves of the same seeds.

    ``diffs`` holds one row per replication and one column per effect (paired differences, NaN
    where a pair is missing). Each resample splits the replications at random into two halves
    of the even/odd sizes and counts the effects whose halves Welch's test separates at
    ``SPLIT_ALPHA`` (effects with fewer than two pairs in a half are not tested). Seeds are
    exchangeable, so these are counts with no true difference between the halves: the chance
    distribution of the even/odd count, with the dependence between effects (a shared
    reference arm, outcomes that move together) kept. Each effect is flagged in about 5% of
    the resamples, but the count's spread exceeds a binomial one when effects are correlated.
    """
    d = np.asarray(diffs, dtype=float)
    n = d.shape[0]
    rng = np.random.default_rng(seed)
    first = (n + 1) // 2  # as many as the even replications 0, 2, 4, ...
    finite = np.isfinite(d)
    x = np.where(finite, d, 0.0)
    counts = np.empty(resamples, dtype=int)
    for i in range(resamples):
        mask = np.zeros(n, dtype=bool)
        mask[rng.permutation(n)[:first]] = True
        halves = [_half_moments(x[rows], finite[rows]) for rows in (mask, ~mask)]
        (m1, v1, n1), (m2, v2, n2) = halves
        tested = (n1 >= 2) & (n2 >= 2)
        p = welch_p(m1, v1, n1, m2, v2, n2)
        counts[i] = int(np.sum(tested & (p < SPLIT_ALPHA)))
    return counts


def _half_moments(x: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per column: mean, variance (ddof 1) and number of the finite values (``x`` 0 elsewhere)."""
    k = ok.sum(axis=0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = x.sum(axis=0) / k
        dev = np.where(ok, x - mean, 0.0)
        var = (dev**2).sum(axis=0) / (k - 1)
    return mean, var, k


def family_share(observed: int, chance_counts: np.ndarray) -> float:
    """Share of chance splits flagging at least ``observed`` effects, the observed one included.

    ``(1 + #{count ≥ observed}) / (1 + resamples)``: the permutation p-value of "the halves of
    this table disagree more than chance", valid whatever the dependence between its effects.
    """
    c = np.asarray(chance_counts)
    return float((1 + np.sum(c >= observed)) / (1 + c.size))
