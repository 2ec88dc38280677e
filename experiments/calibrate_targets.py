"""What calibration and validation compare: run statistics, distances and the validation set.

A run's statistics are its summary (``ecosystem.metrics.summarise``) plus statistics derived
here from the counted flows of the monthly table (last month minus the end of warm-up), so a
new summary field or timeseries column is usable as a target without code. Calibration
targets are declared in the config; validation targets live here, each with its source, and
are never seen by the calibration.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecosystem.metrics import SUMMARY_FIELDS
from ecosystem.project import EXIT_CAUSES

#: Exit causes after a successful proof of concept (the valley of death and beyond).
POST_POC_CAUSES: tuple[str, ...] = tuple(
    c for c in EXIT_CAUSES if c not in ("technical_poc", "screened_out")
)


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else math.nan


def counted_flows(timeseries: pd.DataFrame, warmup_months: int) -> dict[str, float]:
    """Every numeric column's change over the counted months (cumulative counters → flows)."""
    numeric = timeseries.select_dtypes("number")
    last = numeric.iloc[-1]
    base = numeric[numeric["month"] == warmup_months]
    start = base.iloc[0] if len(base) else pd.Series(0.0, index=numeric.columns)
    return {str(k): float(v) for k, v in (last - start).items()}


def _derived(s: Mapping[str, float], f: Mapping[str, float], years: float) -> dict[str, float]:
    """Statistics of interacting mechanisms, from the summary ``s`` and the flows ``f``."""
    vod = f["exit_no_funding"] + f["exit_investor_withdrawal"]
    post_poc = sum(f[f"exit_{c}"] for c in POST_POC_CAUSES)
    out = {
        "clinical_to_market_ratio": _ratio(f["transfers"], f["entered_industrialisation"]),
        "clinical_entries_per_year": f["entered_industrialisation"] / years,
        "clinical_loa": _ratio(f["transfers"], f["transfers"] + f["exit_technical_clinical"]),
        "vod_deaths_per_successful_poc": _ratio(vod, f["successful_pocs"]),
        "vod_withdrawal_share": _ratio(f["exit_investor_withdrawal"], vod),
        "startups_per_year": f["startups_founded"] / years,
        "professor_founders_per_year": f["professor_founders"] / years,
        "seed_angel_share": _ratio(
            f["seed_round_money"], f["seed_round_money"] + f["private_vc"]
        ),
    }
    for cause in POST_POC_CAUSES:
        out[f"post_poc_exit_share_{cause}"] = _ratio(f[f"exit_{cause}"], post_poc)
    return out


#: Names of the derived statistics (computed by ``run_statistics``), with what they measure.
DERIVED_STATISTICS: dict[str, str] = {
    "clinical_to_market_ratio": "market entries ÷ clinical entries, counted flows",
    "clinical_entries_per_year": "projects entering clinical development per counted year",
    "clinical_loa": "market entries ÷ (market entries + clinical failures), counted flows",
    "vod_deaths_per_successful_poc": "deaths for lack of money or investor ÷ successful PoCs",
    "vod_withdrawal_share": "share of valley-of-death deaths caused by investor withdrawal",
    "startups_per_year": "startups founded per counted year",
    "professor_founders_per_year": "startups founded by their professor per counted year",
    "seed_angel_share": "venture money in seed rounds ÷ (seed rounds + venture pilot money)",
    **{
        f"post_poc_exit_share_{c}": f"share of post-PoC exits with cause {c}"
        for c in POST_POC_CAUSES
    },
}


def available_statistics() -> list[str]:
    """Every statistic a target can name: summary fields, then derived ones."""
    return [*SUMMARY_FIELDS, *DERIVED_STATISTICS]


def run_statistics(
    summary: Mapping[str, float], timeseries: pd.DataFrame, warmup_months: int, months: int
) -> dict[str, float]:
    """All statistics of one run (summary fields and derived statistics)."""
    flows = counted_flows(timeseries, warmup_months)
    out = {k: float(v) for k, v in summary.items() if isinstance(v, int | float)}
    out.update(_derived(summary, flows, months / 12.0))
    return out


def target_gap(value: float, low: float, high: float) -> float:
    """How far ``value`` lies outside ``[low, high]`` (0 inside)."""
    return max(low - value, 0.0, value - high)


def scaled_distance(
    stats: Mapping[str, float],
    targets: Mapping[str, tuple[float, float, float]],
    nan_penalty: float,
) -> float:
    """Root mean square of each target's gap in units of its scale.

    ``targets`` maps a name to ``(low, high, scale)``; a statistic the runs could not measure
    (NaN, e.g. no market entry to time) counts as ``nan_penalty`` scales.
    """
    gaps = []
    for name, (low, high, scale) in targets.items():
        v = stats.get(name, math.nan)
        gaps.append(nan_penalty if not math.isfinite(v) else target_gap(v, low, high) / scale)
    return float(math.sqrt(sum(g * g for g in gaps) / len(gaps)))


# --- validation -----------------------------------------------------------------------------

#: The runs a posterior predictive draw makes: (preset, scenario) per arm.
ARMS: dict[str, tuple[str | None, str]] = {
    "base": (None, "status_quo"),  # the calibration's own preset
    "suzhou": ("suzhou_biobay", "status_quo"),
    "professor_ceo": (None, "professor_ceo"),
}


@dataclass(frozen=True)
class ValidationTarget:
    """An outside fact the calibration never sees, how the model measures it, its source.

    ``measure`` maps the statistics of each arm of one predictive draw to a value; ``pooled``
    ones are ratios of means over draws (a per-draw ratio of small counts is unstable).
    """

    name: str
    label: str
    low: float
    high: float
    source: str
    arms: tuple[str, ...]
    measure: Callable[[Mapping[str, Mapping[str, float]]], tuple[float, float]]
    pooled: bool = False
    missing: str = ""  # why the model cannot measure it yet (empty if it can)


def _stat(arm: str, name: str) -> Callable[[Mapping[str, Mapping[str, float]]], float]:
    return lambda runs: float(runs[arm].get(name, math.nan))


VALIDATION_TARGETS: dict[str, ValidationTarget] = {
    t.name: t
    for t in (
        ValidationTarget(
            "clinical_attrition",
            "likelihood of approval from phase I",
            0.05,
            0.12,
            "BIO/Informa/QLS, Clinical Development Success Rates 2011–2020: 7.9% "
            "(band: assumption)",
            ("base",),
            lambda r: (r["base"].get("clinical_loa", math.nan), 1.0),
        ),
        ValidationTarget(
            "suzhou_outsourcing_contrast",
            "outsourcing share, Suzhou BioBAY ÷ Shenyang Hunnan",
            0.0,
            0.9,
            "S0 §1.3.3 (Liaoning ~80%) vs S4 (Suzhou's own CDMO base): lower in Suzhou "
            "(bound: assumption)",
            ("base", "suzhou"),
            lambda r: (r["suzhou"]["outsourcing_share"], r["base"]["outsourcing_share"]),
            pooled=True,
        ),
        ValidationTarget(
            "suzhou_market_entries",
            "Suzhou BioBAY market entries per year",
            0.2,
            0.8,
            "S4: 4 local innovative drugs approved by 2021, ~0.4 a year "
            "(scope and band: assumption)",
            ("suzhou",),
            lambda r: (r["suzhou"]["transfers_per_year"], 1.0),
        ),
        ValidationTarget(
            "professor_ceo_startups",
            "startups from labs, professor-CEO scheme ÷ status quo",
            1.5,
            3.0,
            "Hvide & Jones 2018, AER: ending the professor's privilege halved startups "
            "(≈ ×2; mapping and band: assumption)",
            ("base", "professor_ceo"),
            lambda r: (
                r["professor_ceo"]["startups_per_year"],
                r["base"]["startups_per_year"],
            ),
            pooled=True,
        ),
        ValidationTarget(
            "seed_angel_share",
            "seed/angel share of venture money",
            0.0,
            0.01,
            "S4: 0.5% in China 2016–2020 (PitchBook)",
            ("base",),
            lambda r: (r["base"].get("seed_angel_share", math.nan), 1.0),
        ),
    )
}


@dataclass(frozen=True)
class Check:
    """One row of a table: a target, its posterior predictive values and the verdict."""

    name: str
    label: str
    source: str
    low: float
    high: float
    values: np.ndarray  # per-draw values (pooled targets: bootstrap replicates)
    estimate: float
    note: str = ""
    draws: int | None = None  # for pooled checks: draws behind the bootstrap

    @property
    def interval(self) -> tuple[float, float]:
        """The central 90% posterior predictive interval."""
        v = self.values[np.isfinite(self.values)]
        if v.size == 0:
            return math.nan, math.nan
        lo, hi = np.quantile(v, [0.05, 0.95])
        return float(lo), float(hi)

    @property
    def n(self) -> int:
        """Draws with a finite value."""
        return self.draws if self.draws is not None else int(np.isfinite(self.values).sum())

    @property
    def passed(self) -> bool | None:
        """The 90% interval overlaps the target range (None if not measurable)."""
        lo, hi = self.interval
        if not math.isfinite(lo):
            return None
        return lo <= self.high and hi >= self.low


def check_values(
    name: str, label: str, source: str, low: float, high: float, values: list[float]
) -> Check:
    """A table row from per-draw values."""
    v = np.asarray(values, dtype=float)
    finite = v[np.isfinite(v)]
    est = float(finite.mean()) if finite.size else math.nan
    return Check(name, label, source, low, high, v, est)


def check_pooled(
    target: ValidationTarget, pairs: list[tuple[float, float]], seed: int, n_boot: int = 2000
) -> Check:
    """A pooled ratio of means with a bootstrap over draws for its interval."""
    arr = np.asarray(pairs, dtype=float)
    arr = arr[np.isfinite(arr).all(axis=1)]
    if arr.shape[0] == 0:
        values = np.array([math.nan])
        return Check(
            target.name, target.label, target.source, target.low, target.high, values, math.nan
        )
    est = _ratio(arr[:, 0].mean(), arr[:, 1].mean())
    note = "" if arr[:, 1].mean() > 0 else "denominator arm is 0 in every draw"
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, arr.shape[0], size=(n_boot, arr.shape[0]))
    num, den = arr[idx, 0].mean(axis=1), arr[idx, 1].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return Check(
        target.name,
        target.label,
        target.source,
        target.low,
        target.high,
        boot,
        est,
        note=note,
        draws=int(arr.shape[0]),
    )


def format_checks(checks: list[Check], title: str) -> str:
    """A Markdown table: target range, predictive mean, 90% interval, draws and the verdict."""
    lines = [
        f"**{title}**",
        "",
        "| target | source | range | predictive mean | 90% interval | n | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in checks:
        big = max(abs(c.low), abs(c.high)) > 10
        fmt = "{:.0f}" if big else "{:.3f}"
        lo, hi = c.interval
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[c.passed]
        interval = f"{fmt.format(lo)}–{fmt.format(hi)}" if math.isfinite(lo) else "—"
        mean = fmt.format(c.estimate) if math.isfinite(c.estimate) else "—"
        note = f" ({c.note})" if c.note else ""
        lines.append(
            f"| {c.label or c.name}{note} | {c.source} | {fmt.format(c.low)}–"
            f"{fmt.format(c.high)} | {mean} | {interval} | {c.n} | {verdict} |"
        )
    return "\n".join(lines)
