"""The response over time since introduction (onset per gate) and the report's gate table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ecosystem.calibration import gate_frame, gate_table
from ecosystem.gates import YEARLY_FLOWS
from experiments.gate_report import gate_markdown, gate_report
from experiments.over_time import (
    NOT_WITHIN,
    gate_flows_by_year,
    late_window_effect,
    late_window_markdown,
    onset,
    onset_markdown,
    response_over_time,
)

WARMUP, MONTHS, REPS = 24, 72, 12  # six counted years


def _timeseries(extra_poc_from_month: int | None, seed: int) -> pd.DataFrame:
    """Monthly cumulative gate counters: Poisson flows, plus 1 PoC a month from a month on."""
    rng = np.random.default_rng(seed)
    months = np.arange(1, WARMUP + MONTHS + 1)
    data = {"month": months, "counted": months > WARMUP}
    for counter in YEARLY_FLOWS.values():
        data[counter] = np.cumsum(rng.poisson(0.5, len(months)))
    if extra_poc_from_month is not None:
        data["successful_pocs"] = data["successful_pocs"] + np.cumsum(
            months >= extra_poc_from_month
        )
    return pd.DataFrame(data)


@pytest.fixture(scope="module")
def sweep() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reference and arm share each replication's noise (same seed); the arm gains PoCs from
    the first month of counted year 3."""
    runs, frames = [], []
    run_id = 0
    for r in range(REPS):
        for point_id, extra in ((0, None), (1, WARMUP + 25)):
            ts = _timeseries(extra, seed=r)
            frames.append(ts.assign(run_id=run_id))
            runs.append({"run_id": run_id, "point_id": point_id, "replication": r})
            run_id += 1
    return pd.DataFrame(runs), pd.concat(frames, ignore_index=True)


def test_yearly_flows_are_counted_from_the_introduction(sweep):
    runs, ts = sweep
    flows = gate_flows_by_year(ts, runs)
    assert sorted(flows["year"].unique()) == list(range(1, MONTHS // 12 + 1))
    one = ts[ts["run_id"] == 1]
    year3 = flows.query("point_id == 1 and replication == 0 and year == 3 and gate == 'poc'")
    end, start = (one.loc[one["month"] == m, "successful_pocs"].iloc[0]
                  for m in (WARMUP + 36, WARMUP + 24))
    assert year3["flow"].iloc[0] == end - start


def test_onset_is_the_first_year_the_cumulative_effect_excludes_zero(sweep):
    runs, ts = sweep
    response = response_over_time(gate_flows_by_year(ts, runs), 0, {0: "ref", 1: "arm"})
    poc = response[response["gate"] == "poc"].set_index("year")
    assert poc.loc[1, "effect"] == 0 and poc.loc[3, "effect"] == 12
    assert poc.loc[4, "cumulative_effect"] == 24
    table = onset(response).set_index("gate")
    assert table.loc["poc", "months"] == 36 and table.loc["poc", "sign"] == "+"
    for gate in ("licence", "pilot", "clinical", "approval", "market", "startups"):
        assert math.isnan(table.loc[gate, "months"]) and table.loc[gate, "shows"] == NOT_WITHIN
    md = onset_markdown(onset(response), "ref")
    assert "| arm | 36 (+) | – |" in md


def test_the_steady_state_effect_is_taken_over_the_windows_last_years_only(sweep):
    """The arm gains 12 PoCs a year from year 3: over years 3–6 the effect is exactly 12 a
    year (the transient years 1–2 are left out); other gates show no effect."""
    runs, ts = sweep
    flows = gate_flows_by_year(ts, runs)
    late = late_window_effect(flows, 0, {0: "ref", 1: "arm"}, years=4).set_index("gate")
    assert late.loc["poc", "years_from"] == 3 and late.loc["poc", "years_to"] == 6
    assert late.loc["poc", "effect"] == pytest.approx(12.0)
    assert late.loc["licence", "effect"] == 0  # same seed, same noise: no effect
    whole = late_window_effect(flows, 0, {0: "ref", 1: "arm"}, years=6)
    assert whole.empty  # no settled window to speak of when it is the whole window
    md = late_window_markdown(late.reset_index(), "ref")
    assert "Late-window effect: years 3–6 since introduction" in md
    assert "| arm | +12 [+12, +12]" in md


def test_the_report_gate_table_is_validates_table_per_arm():
    rng = np.random.default_rng(2)
    rows = []
    for point_id in (0, 1):
        for r in range(8):
            row = {"point_id": point_id, "replication": r}
            for name in YEARLY_FLOWS:
                row[f"gate_{name}_per_year"] = rng.poisson(3 + point_id) / 2
                row[f"km_{name}_share_120m"] = rng.uniform(0, 1)
            rows.append(row)
    runs = pd.DataFrame(rows)
    table = gate_report(runs, {0: "status_quo", 1: "arm"})
    for point_id in (0, 1):
        mine = table[table["point_id"] == point_id].set_index("gate")
        ref = gate_frame(runs[runs["point_id"] == point_id]).set_index("gate")
        pd.testing.assert_series_equal(mine["per_year"], ref.loc[mine.index, "per_year"])
        pd.testing.assert_series_equal(mine["km_share"], ref.loc[mine.index, "km_share"])
        assert (mine["ci_low"] >= 0).all()
    assert list(table[table["point_id"] == 0]["gate"]) == [
        "poc", "licence", "startups", "pilot", "clinical", "approval", "market"
    ]
    md = gate_markdown(table)
    assert "| status_quo |" in md and "| arm |" in md and "Cohort conversion" in md
    text = gate_table(runs[runs["point_id"] == 1])
    first = gate_frame(runs[runs["point_id"] == 1]).iloc[0]
    assert f"| {first['label']} | {first['per_year']:.3f} |" in text


def test_float_noise_around_zero_is_shown_as_zero():
    from experiments.tables import fmt

    assert fmt(6.94e-19) == "0" and fmt(-1.78e-17) == "0"
    assert fmt(0.00123) == "0.00123" and fmt(-2.5e-9) == "-2.5e-09"
