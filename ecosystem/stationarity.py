"""Is the counted window stationary? Trend tests of stocks and flows after the spin-up (§9.1).

The spin-up should leave a pipeline whose stocks per stage and flows per gate no longer trend.
Per counted year we take the mean stock of each stage and the projects passing each gate, and
test each series for a monotone trend with the Mann–Kendall test (Kendall's tau against time,
``scipy.stats.kendalltau``), with its least-squares slope and 95% interval
(``scipy.stats.linregress``; flows are sparse counts, where a median-of-slopes estimate is 0).
A run is stationary when no series trends after a Holm correction over the series at the 5%
level. A policy switched on at the first counted month is meant to move the flows, so the
diagnostic is meaningful for the status quo.

One run's window is short against the pipeline's memory (projects stay years in a stage), so
single status-quo runs wander: measured at the default spin-up, 5 of 20 seeds flag a stock
with a slope of either sign. The ensemble test (:func:`ensemble_stationarity`) asks whether
the mean relative slope over a sweep's status-quo runs differs from 0: that is the diagnostic
the manifest records.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ecosystem.gates import YEARLY_FLOWS, yearly_flows

STOCKS: tuple[str, ...] = ("stage_poc", "stage_pilot", "stage_industrialisation")
#: The tested series: stocks per stage, then flows per gate (``flow_<gate>``).
SERIES: tuple[str, ...] = (*STOCKS, *(f"flow_{name}" for name in YEARLY_FLOWS))
ALPHA = 0.05
MIN_YEARS = 4  # fewer counted years: no test


def yearly_series(timeseries: pd.DataFrame, warmup_months: int) -> pd.DataFrame:
    """Mean stock per stage and projects through each gate, per whole counted year."""
    flows = yearly_flows(timeseries, warmup_months)
    counted = timeseries[timeseries["month"] > warmup_months]
    year = (counted["month"] - warmup_months - 1) // 12 + 1
    stocks = counted[list(STOCKS)].groupby(year.to_numpy()).mean().loc[flows.index]
    return pd.concat([stocks, flows.add_prefix("flow_")], axis=1)


def trend_table(timeseries: pd.DataFrame, warmup_months: int) -> pd.DataFrame:
    """Trend of each yearly series of the counted months.

    Theil–Sen slope per year with its 95% interval, relative slope (slope ÷ mean),
    Mann–Kendall p-value, and the Holm-adjusted p-value over the series.
    """
    series = yearly_series(timeseries, warmup_months)
    rows = []
    years = series.index.to_numpy(dtype=float)
    for name in series.columns:
        y = series[name].to_numpy(dtype=float)
        if len(y) < MIN_YEARS or np.ptp(y) == 0:
            rows.append((name, 0.0, 0.0, 0.0, 0.0, 1.0))
            continue
        fit = stats.linregress(years, y)
        half = stats.t.ppf(0.975, len(y) - 2) * fit.stderr
        slope, lo, hi = fit.slope, fit.slope - half, fit.slope + half
        p = float(stats.kendalltau(years, y).pvalue)
        mean = float(np.mean(y))
        rows.append((name, slope, lo, hi, slope / mean if mean else math.nan, p))
    table = pd.DataFrame(rows, columns=["series", "slope", "slope_low", "slope_high",
                                        "relative_slope", "p"]).set_index("series")
    table["p_holm"] = _holm(table["p"].to_numpy())
    return table


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of ``p`` (family-wise error)."""
    order = np.argsort(p)
    m = len(p)
    adjusted = np.maximum.accumulate([(m - k) * p[i] for k, i in enumerate(order)])
    out = np.empty(m)
    out[order] = np.minimum(1.0, adjusted)
    return out


def stationarity_summary(timeseries: pd.DataFrame, warmup_months: int) -> dict[str, float]:
    """The run summary's diagnostic.

    The smallest Holm-adjusted p, the flag, and each series' relative slope (share of its
    mean per year), for the ensemble test.
    """
    if timeseries["month"].max() - warmup_months < 12 * MIN_YEARS:
        out = {"stationarity_p": math.nan, "stationary": math.nan}
        return out | {f"trend_{name}": math.nan for name in SERIES}
    table = trend_table(timeseries, warmup_months)
    out = {
        "stationarity_p": float(table["p_holm"].min()),
        "stationary": float(bool((table["p_holm"] >= ALPHA).all())),
    }
    return out | {f"trend_{name}": float(table.loc[name, "relative_slope"]) for name in SERIES}


def ensemble_stationarity(runs: pd.DataFrame) -> dict[str, object] | None:
    """Mean relative slope per series over the status-quo runs of a sweep, with a t-test.

    Returns ``None`` without at least 3 status-quo runs; ``stationary`` is true when no mean
    slope differs from 0 after a Holm correction at the 5% level.
    """
    quo = runs[runs["active_policies"] == "none"] if "active_policies" in runs else runs
    if len(quo) < 3 or f"trend_{SERIES[0]}" not in quo:
        return None
    means, pvalues = {}, []
    for name in SERIES:
        values = quo[f"trend_{name}"].dropna().to_numpy(dtype=float)
        means[name] = round(float(values.mean()), 5) if values.size else None
        same = values.size < 2 or np.ptp(values) == 0
        pvalues.append(1.0 if same else float(stats.ttest_1samp(values, 0.0).pvalue))
    adjusted = _holm(np.array(pvalues))
    return {
        "runs": len(quo),
        "mean_relative_slope_per_year": means,
        "p_holm": {n: round(float(p), 4) for n, p in zip(SERIES, adjusted, strict=True)},
        "stationary": bool((adjusted >= ALPHA).all()),
    }
