"""Run statistics, validation targets and the table rows of the calibration."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ecosystem.presets import resolve_params
from experiments.calibrate_runner import particle_seed
from experiments.calibrate_targets import (
    DERIVED_STATISTICS,
    VALIDATION_TARGETS,
    check_pooled,
    check_values,
    counted_flows,
    format_checks,
    run_statistics,
)
from experiments.runner import run_single


@pytest.fixture(scope="module")
def run():
    params = resolve_params(dotted={"months": 120, "warmup_months": 60})
    out = run_single(params, seed=3)
    return out, run_statistics(out.summary, out.timeseries, 60, 120)


def test_flows_count_only_the_counted_months(run):
    out, _ = run
    ts = out.timeseries
    flows = counted_flows(ts, 60)
    at_warmup = ts.loc[ts["month"] == 60, "entered_poc"].iloc[0]
    assert flows["entered_poc"] == ts["entered_poc"].iloc[-1] - at_warmup
    assert flows["entered_poc"] == out.summary["entered_poc"]


def test_derived_statistics_follow_their_definitions(run):
    out, stats = run
    flows = counted_flows(out.timeseries, 60)
    assert set(DERIVED_STATISTICS) <= set(stats)
    assert stats["clinical_entries_per_year"] == flows["entered_industrialisation"] / 10
    vod = flows["exit_no_funding"] + flows["exit_investor_withdrawal"]
    if flows["successful_pocs"]:
        assert stats["vod_deaths_per_successful_poc"] == vod / flows["successful_pocs"]
    shares = [v for k, v in stats.items() if k.startswith("post_poc_exit_share_")]
    if all(math.isfinite(v) for v in shares):
        assert sum(shares) == pytest.approx(1.0)
    for name in ("pilot_funding_share", "outsourcing_share"):
        assert stats[name] == out.summary[name] or math.isnan(stats[name])


def test_particle_seed_depends_on_values_and_base_seed_only():
    a = particle_seed(1, {"x": 0.5, "y": 2.0})
    assert a == particle_seed(1, {"y": 2.0, "x": 0.5})
    assert a != particle_seed(2, {"x": 0.5, "y": 2.0})
    assert a != particle_seed(1, {"x": 0.5000001, "y": 2.0})


def test_every_validation_target_has_a_source_and_a_range():
    for t in VALIDATION_TARGETS.values():
        assert t.source and t.low <= t.high
        assert t.missing or t.arms
    assert "Hvide & Jones" in VALIDATION_TARGETS["professor_ceo_startups"].source
    assert "7.9%" in VALIDATION_TARGETS["clinical_attrition"].source


def test_check_passes_when_the_interval_meets_the_range():
    inside = check_values("s", "s", "src", 0.4, 0.6, list(np.linspace(0.5, 0.7, 21)))
    assert inside.passed and inside.n == 21
    outside = check_values("s", "s", "src", 0.0, 0.1, [0.5, 0.6, math.nan])
    assert outside.passed is False and outside.n == 2
    assert check_values("s", "s", "src", 0, 1, [math.nan]).passed is None
    text = format_checks([inside, outside], "T")
    assert "| pass |" in text and "| FAIL |" in text


def test_pooled_ratio_and_its_bootstrap():
    target = VALIDATION_TARGETS["professor_ceo_startups"]
    pairs = [(2.0, 1.0), (4.0, 2.0), (6.0, 3.0)]
    c = check_pooled(target, pairs, seed=1)
    assert c.estimate == pytest.approx(2.0) and c.n == 3
    assert c.interval == pytest.approx((2.0, 2.0))
    zero = check_pooled(target, [(1.0, 0.0)], seed=1)
    assert math.isnan(zero.estimate) and "denominator" in zero.note
    assert check_pooled(target, pairs, seed=1).values.tolist() == c.values.tolist()


def test_predictive_frame_has_one_row_per_draw_and_arm():
    from experiments.calibrate_predictive import Predictive

    pred = Predictive([{"a": 1.0}], [7], [{"base": {"s": 1.0}, "suzhou": {"s": 2.0}}])
    frame = pred.frame()
    assert len(frame) == 2 and isinstance(frame, pd.DataFrame)
    assert set(frame.columns) == {"draw", "arm", "seed", "a", "s"}
