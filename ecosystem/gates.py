"""Throughput at every gate, cohort conversion and censored times to each gate (ODD §7).

A run counts, per year, the projects passing each gate of :data:`ecosystem.vocabulary.GATES`
(and the start-ups founded). Of the projects discovered in a year, the share that reaches each
gate is their cohort conversion; a young cohort has not had time to get far, so the share
reaching a gate within a given time is estimated by Kaplan–Meier (``lifelines``): a project is
an event when it passes the gate, and otherwise censored at the end of the run — one that left
the chain never passes it, so it stays in the risk set until the end, as the estimate of "the
share reaching the gate" needs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

from ecosystem.vocabulary import GATE_COUNTERS, GATES

#: Months after discovery at which the summary reports the Kaplan–Meier share reaching a gate.
KM_HORIZON_MONTHS = 120

#: Yearly flows of the gate table: the gates' counters and the start-ups founded.
YEARLY_FLOWS: dict[str, str] = {**GATE_COUNTERS, "startups": "startups_founded"}


def gate_records(histories: list[tuple[int, dict[str, int]]]) -> pd.DataFrame:
    """One row per project started: month discovered and the month it passed each gate."""
    rows = [{"discovered": d, **{g: gates.get(g, math.nan) for g in GATES}} for d, gates in
            histories]
    return pd.DataFrame(rows, columns=["discovered", *GATES], dtype=float)


def yearly_flows(timeseries: pd.DataFrame, warmup_months: int) -> pd.DataFrame:
    """Projects passing each gate in each counted year (index: counted year, from 1).

    Differences of the cumulative counters at the ends of years; a last, partial year is left
    out.
    """
    counted = timeseries[timeseries["month"] >= warmup_months]
    ends = counted[(counted["month"] - warmup_months) % 12 == 0]
    if warmup_months == 0:
        zero = pd.DataFrame([{c: 0 for c in YEARLY_FLOWS.values()} | {"month": 0}])
        ends = pd.concat([zero, ends], ignore_index=True)
    cols = list(YEARLY_FLOWS.values())
    flows = ends[cols].diff().iloc[1:].astype(float)
    flows.columns = list(YEARLY_FLOWS)
    flows.index = pd.RangeIndex(1, len(flows) + 1, name="year")
    return flows


def cohort_conversion(records: pd.DataFrame, first_month: int, end_month: int) -> pd.DataFrame:
    """Projects discovered in each year from ``first_month`` and the share passing each gate.

    Shares are observed by ``end_month``, not corrected for censoring (young cohorts look
    worse; :func:`km_share_reaching` corrects).
    """
    rec = records[records["discovered"] > first_month]
    year = ((rec["discovered"] - first_month - 1) // 12 + 1).astype(int)
    out = rec[list(GATES)].notna().groupby(year).mean()
    out.insert(0, "projects", year.value_counts().sort_index())
    out.index.name = "cohort_year"
    return out.loc[out.index <= (end_month - first_month) // 12] if len(out) else out


def km_share_reaching(
    records: pd.DataFrame, gate: str, end_month: int, within: int = KM_HORIZON_MONTHS
) -> float:
    """Kaplan–Meier share of ``records`` passing ``gate`` within ``within`` months of discovery.

    NaN without projects, or when no project was followed that long.
    """
    if records.empty:
        return math.nan
    reached = records[gate].notna().to_numpy()
    durations = np.where(reached, records[gate], end_month) - records["discovered"]
    if durations.max() < within:
        return math.nan
    fitter = KaplanMeierFitter().fit(durations, event_observed=reached)
    return float(1.0 - fitter.survival_function_at_times(within).iloc[0])


def gate_summary(
    histories: list[tuple[int, dict[str, int]]],
    timeseries: pd.DataFrame,
    warmup_months: int,
    end_month: int,
) -> dict[str, float]:
    """The run summary's gate columns.

    The flow through each gate per counted year, and the Kaplan–Meier share of the counted
    months' discoveries reaching each gate within :data:`KM_HORIZON_MONTHS`.
    """
    last = timeseries.iloc[-1]
    base = timeseries[timeseries["month"] == warmup_months]
    years = max(1, end_month - warmup_months) / 12.0
    out: dict[str, float] = {}
    for name, counter in YEARLY_FLOWS.items():
        start = float(base.iloc[0][counter]) if len(base) else 0.0
        out[f"gate_{name}_per_year"] = (float(last[counter]) - start) / years
    records = gate_records(histories)
    cohort = records[records["discovered"] > warmup_months]
    for gate in GATES:
        out[f"km_{gate}_share_{KM_HORIZON_MONTHS}m"] = km_share_reaching(cohort, gate, end_month)
    return out
