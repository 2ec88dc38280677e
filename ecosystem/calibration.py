"""The stylised facts the baseline must reproduce (spec §7), and how to check them.

Each fact names the run-summary field that measures it (``ecosystem.metrics.summarise``), its
target range for the mean over seeds, and its source. These are calibration targets: the model
produces the values; nothing here feeds back into the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StylisedFact:
    """A pattern with its target range and source."""

    name: str
    summary_field: str
    low: float
    high: float
    source: str
    scope: str = ""  # what the target counts, where the model's scope is narrower than the source


STYLISED_FACTS: tuple[StylisedFact, ...] = (
    StylisedFact("pilot-stage failure rate", "pilot_failure_rate", 0.60, 0.80, "S0 §1.2.3"),
    StylisedFact(
        "median discovery-to-market (months)", "median_months_to_market", 120, 180, "S0 §1.1.2"
    ),
    StylisedFact(
        "PoC candidates without industrial potential",
        "nonviable_candidate_share",
        0.55,
        0.70,
        "S0 §1.1.1",
    ),
    StylisedFact(
        "biologics pilots hit by GLP→GMP re-approval",
        "biologic_reapproval_share",
        0.50,
        0.70,
        "S0 §1.2.2",
    ),
    StylisedFact(
        "firms piloting/producing that outsourced out of region",
        "outsourcing_share",
        0.70,
        0.90,
        "S0 §1.3.3",
    ),
)


#: The region's share of the province's innovative-drug clinical approvals and registrations:
#: the products originating at its universities and institutes (ODD §1.3). An assumption — no
#: seed gives it — stated as a range.
REGION_SHARE = (0.10, 0.30)
_S2_SCOPE = (
    "S2's provincial targets for innovative drugs over 2016–2020 (60 clinical approvals, 30 "
    "registrations; plan goals, not outcomes) × the region's share {:.0%}–{:.0%} (assumption): "
    "innovative drugs of the five modalities originating at the region's universities and "
    "institutes (ODD §1.3)"
).format(*REGION_SHARE)

#: Published likelihood of approval from phase I, all modalities (BIO/Informa/QLS 2021: 7.9%).
#: S2's 30 registrations include products outside the model's scope (a 2 : 1 ratio of
#: registrations to clinical approvals cannot come from new drugs), so the approvals target is
#: the clinical target carried through the published attrition instead (ODD §1.3).
PUBLISHED_LOA_FROM_PHASE_I = 0.079
_LOA_SCOPE = (
    "the clinical-entry target × the published likelihood of approval from phase I (7.9%, "
    "BIO/Informa/QLS 2021): S2's registrations include generics and improved versions outside "
    "the model's scope (ODD §1.3)"
)

#: The level of throughput (issue 11): clinical entries and approvals a year, with their scope.
LEVEL_TARGETS: tuple[StylisedFact, ...] = (
    StylisedFact(
        "clinical entries (IND) a year",
        "gate_clinical_per_year",
        60 / 5 * REGION_SHARE[0],
        60 / 5 * REGION_SHARE[1],
        "S2 §五(三)",
        _S2_SCOPE,
    ),
    StylisedFact(
        "market approvals a year",
        "gate_approval_per_year",
        60 / 5 * REGION_SHARE[0] * PUBLISHED_LOA_FROM_PHASE_I,
        60 / 5 * REGION_SHARE[1] * PUBLISHED_LOA_FROM_PHASE_I,
        "S2 §五(三) × BIO 2021",
        _LOA_SCOPE,
    ),
)


#: S4 §1: "by 2021 only 4 innovative drugs approved" in Suzhou, from every origin (mostly the
#: lead firms' own and licensed-in drugs, S4 §2); S4 gives no start year, so the count is
#: spread over the decade of S4 §1's patent figures (assumption).
SUZHOU_APPROVALS_BY_2021 = 4
SUZHOU_COUNT_YEARS = 10
_S4_SCOPE = (
    "S4 §1: 4 innovative drugs approved in Suzhou by 2021, every origin, over about a decade "
    "(assumption); the model's scope, drugs originating at Suzhou's universities and "
    "institutes, is a part of them, so this is an upper bound (ODD §1.3)"
)

#: Each shipped preset's level targets with their scope (ODD §1.3); empty where the preset's
#: source gives no clinical entries or approvals (S1, for yantai_mouping).
REGION_LEVEL_TARGETS: dict[str, tuple[StylisedFact, ...]] = {
    "shenyang_hunnan": LEVEL_TARGETS,
    "suzhou_biobay": (
        StylisedFact(
            "market approvals a year",
            "gate_approval_per_year",
            0.0,
            SUZHOU_APPROVALS_BY_2021 / SUZHOU_COUNT_YEARS,
            "S4 §1",
            _S4_SCOPE,
        ),
    ),
    "yantai_mouping": (),
}


@dataclass(frozen=True)
class FactCheck:
    """A fact measured over several runs."""

    fact: StylisedFact
    mean: float
    ci_low: float
    ci_high: float
    n: int

    @property
    def passed(self) -> bool:
        """The mean lies in the target range."""
        return self.fact.low <= self.mean <= self.fact.high


def mean_ci(values: list[float] | np.ndarray) -> tuple[float, float, float, int]:
    """Mean and 95% t-interval of the finite values."""
    from scipy import stats

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    m = float(x.mean())
    if n == 1:
        return m, m, m, 1
    half = float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return m, m - half, m + half, n


def check_facts(
    summaries: list[dict[str, float]], facts: tuple[StylisedFact, ...] = STYLISED_FACTS
) -> list[FactCheck]:
    """Measure every stylised fact (or the given targets) over a list of run summaries."""
    checks = []
    for fact in facts:
        m, lo, hi, n = mean_ci([s[fact.summary_field] for s in summaries])
        checks.append(FactCheck(fact, m, lo, hi, n))
    return checks


def format_table(checks: list[FactCheck]) -> str:
    """A Markdown calibration table."""
    lines = [
        "| fact | source | target | model mean | 95% CI | n | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in checks:
        f = c.fact
        fmt = "{:.0f}" if f.high > 5 else "{:.3f}"
        lines.append(
            f"| {f.name} | {f.source} | {fmt.format(f.low)}–{fmt.format(f.high)} | "
            f"{fmt.format(c.mean)} | {fmt.format(c.ci_low)}–{fmt.format(c.ci_high)} | {c.n} | "
            f"{'pass' if c.passed else 'FAIL'} |"
        )
    return "\n".join(lines)


def gate_frame(runs, interval=mean_ci):
    """Per gate: flow per counted year (mean, 95% interval, runs) and Kaplan–Meier share.

    ``runs`` holds run summaries (``gate_*_per_year`` and ``km_*`` columns); ``interval``
    returns ``(mean, low, high, n)`` of an array (the t-interval of ``mean_ci`` by default; the
    report passes its bootstrap). The KM share is the mean over runs of each run's share of
    the counted months' discoveries reaching the gate within ``KM_HORIZON_MONTHS`` (NaN where
    no run followed its projects that long, and for start-ups, which are not a project's gate).
    """
    import pandas as pd

    from ecosystem.gates import KM_HORIZON_MONTHS, YEARLY_FLOWS
    from ecosystem.vocabulary import GATE_LABELS

    rows = []
    for name in YEARLY_FLOWS:
        m, lo, hi, n = interval(np.asarray(runs[f"gate_{name}_per_year"], dtype=float))
        km_col = f"km_{name}_share_{KM_HORIZON_MONTHS}m"
        km = np.asarray(runs[km_col], dtype=float) if km_col in runs else np.array([])
        rows.append({
            "gate": name, "label": GATE_LABELS.get(name, "Start-ups founded"),
            "per_year": m, "ci_low": lo, "ci_high": hi, "n": n, "km_share": mean_ci(km)[0],
            "km_n": int(np.isfinite(km).sum()),
        })
    return pd.DataFrame(rows)


def gate_table(runs) -> str:
    """A Markdown table of the runs' throughput at every gate and Kaplan–Meier shares."""
    from ecosystem.gates import KM_HORIZON_MONTHS

    lines = [
        f"| gate | per year | 95% CI | share of discoveries within {KM_HORIZON_MONTHS} months "
        "(Kaplan–Meier) | n |",
        "|---|---|---|---|---|",
    ]
    for r in gate_frame(runs).itertuples():
        km_text = "—" if math.isnan(r.km_share) else f"{r.km_share:.3f}"
        lines.append(f"| {r.label} | {r.per_year:.3f} | {r.ci_low:.3f}–{r.ci_high:.3f} | "
                     f"{km_text} | {r.n} |")
    return "\n".join(lines)
