"""Resolution of the report's effects: minimal detectable effects, replications for a target
half-width, two disjoint seed halves, the multiplicative interaction null, the power table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ecosystem.policies import POLICY_NAMES
from experiments.effects import FULL_CHAIN, interaction_effects, paired_effects
from experiments.power import NO_SPREAD, power_table, requirement
from experiments.statistics import (
    half_width,
    minimal_detectable_effect,
    replications_for_half_width,
    split_halves,
)


# --- minimal detectable effect ----------------------------------------------------------------
@pytest.mark.parametrize("n", [5, 20, 100])
def test_mde_has_80_percent_power_by_the_noncentral_t(n):
    sd = 0.3
    mde = minimal_detectable_effect(sd, n)
    crit = stats.t.ppf(0.975, n - 1)
    nc = mde / sd * math.sqrt(n)
    power = stats.nct.sf(crit, n - 1, nc) + stats.nct.cdf(-crit, n - 1, nc)
    assert power == pytest.approx(0.80, abs=1e-3)


def test_mde_is_found_80_percent_of_the_time_in_simulation():
    """Statistical test over a fixed seed: 2,000 simulated pilots with the true effect = MDE."""
    rng = np.random.default_rng(11)
    n, sd = 20, 1.0
    mde = minimal_detectable_effect(sd, n)
    diffs = rng.normal(mde, sd, size=(2000, n))
    p = stats.ttest_1samp(diffs, 0.0, axis=1).pvalue
    assert 0.77 <= float((p < 0.05).mean()) <= 0.83


def test_mde_is_undefined_without_spread_or_pairs():
    assert math.isnan(minimal_detectable_effect(0.0, 20))
    assert math.isnan(minimal_detectable_effect(1.0, 1))
    assert math.isnan(minimal_detectable_effect(math.nan, 20))


# --- replications for a half-width ------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(sd=st.floats(0.01, 10.0), share=st.floats(0.05, 2.0))
def test_replications_are_the_fewest_that_reach_the_target(sd, share):
    target = share * sd
    n = replications_for_half_width(sd, target)
    assert n is not None and n >= 2
    assert half_width(sd, n) <= target
    if n > 2:
        assert half_width(sd, n - 1) > target


def test_replications_cannot_be_sized_without_spread_or_level():
    assert replications_for_half_width(0.0, 0.1) is None
    assert replications_for_half_width(1.0, 0.0) is None
    assert replications_for_half_width(math.nan, 0.1) is None


# --- two disjoint seed halves -----------------------------------------------------------------
def test_split_halves_take_even_and_odd_replications():
    d = np.array([1.0, 10.0, 2.0, 11.0, 3.0, 12.0])
    even, odd, p, agree = split_halves(d, np.arange(6))
    assert (even, odd) == (2.0, 11.0)
    assert p < 0.05 and agree is False


def test_split_halves_agree_when_equal_and_need_two_pairs_each():
    assert split_halves(np.zeros(6), np.arange(6))[2:] == (1.0, True)
    assert split_halves(np.array([1.0, 2.0, 3.0]), np.arange(3))[3] is None


def test_split_halves_flag_about_five_percent_under_the_null():
    """Statistical test over a fixed seed: same distribution in both halves, 1,000 times."""
    rng = np.random.default_rng(7)
    flags = [
        split_halves(rng.normal(0.3, 1.0, 40), np.arange(40))[3] is False for _ in range(1000)
    ]
    assert 0.03 <= float(np.mean(flags)) <= 0.07


def _runs(values: dict[str, np.ndarray], outcome: str) -> pd.DataFrame:
    """A scenario sweep's runs table: one row per scenario and replication."""
    rows = []
    for point_id, (scenario, v) in enumerate(values.items()):
        for r, x in enumerate(v):
            rows.append({"point_id": point_id, "replication": r, "seed": 100 + r,
                         "param:scenario": scenario, outcome: x})
    return pd.DataFrame(rows)


def test_every_effect_carries_its_resolution():
    rng = np.random.default_rng(3)
    ref = rng.normal(5.0, 1.0, 30)
    runs = _runs({"status_quo": ref, "professor_ceo": ref + rng.normal(1.0, 0.5, 30)},
                 "transfers_per_year")
    eff = paired_effects(runs, 0).set_index("outcome").loc["transfers_per_year"]
    d = runs.pivot(index="replication", columns="point_id", values="transfers_per_year")
    diff = d[1] - d[0]
    assert eff["sd_diff"] == pytest.approx(diff.std(ddof=1))
    assert eff["mde"] == pytest.approx(minimal_detectable_effect(diff.std(ddof=1), 30))
    assert eff["effect_even"] == pytest.approx(diff[diff.index % 2 == 0].mean())
    assert eff["effect_odd"] == pytest.approx(diff[diff.index % 2 == 1].mean())


# --- interaction: additive and multiplicative nulls -------------------------------------------
def _chain(full_factor: float) -> pd.DataFrame:
    """Single policies multiply a serial chain's throughput by 1.1 each; full_chain by more."""
    rng = np.random.default_rng(5)
    ref = rng.uniform(1.0, 2.0, 40)
    values = {"status_quo": ref, **{p: ref * 1.1 for p in POLICY_NAMES}}
    values[FULL_CHAIN] = ref * 1.1 ** len(POLICY_NAMES) * full_factor
    return _runs(values, "transfers_per_year")


def test_a_multiplying_package_is_super_additive_but_not_more_than_the_product():
    row = interaction_effects(_chain(1.0), "status_quo").set_index("outcome")
    r = row.loc["transfers_per_year"]
    assert r["verdict"] == "more than the sum of the single effects"
    assert r["multiplicative_interaction"] == pytest.approx(1.0)
    assert r["mult_ci_low"] <= 1.0 <= r["mult_ci_high"]
    assert r["multiplicative_verdict"] == (
        "not distinguishable from the product of the single effects"
    )


def test_a_package_beyond_the_product_is_flagged():
    r = interaction_effects(_chain(1.5), "status_quo").set_index("outcome").loc[
        "transfers_per_year"
    ]
    assert r["multiplicative_interaction"] == pytest.approx(1.5)
    assert r["mult_ci_low"] > 1.0
    assert r["multiplicative_verdict"] == "more than the product of the single effects"


def test_the_multiplicative_null_is_undefined_for_a_zero_mean():
    runs = _chain(1.0)
    runs.loc[runs["param:scenario"] == "professor_ceo", "transfers_per_year"] = 0.0
    r = interaction_effects(runs, "status_quo").set_index("outcome").loc["transfers_per_year"]
    assert math.isnan(r["multiplicative_interaction"])
    assert r["multiplicative_verdict"].startswith("not defined")


# --- power table ------------------------------------------------------------------------------
def test_power_table_sizes_each_arm_and_the_experiment():
    effects = pd.DataFrame([
        {"point_id": 1, "label": "a", "outcome": "transfers_per_year", "reference_mean": 0.02,
         "sd_diff": 0.024, "n_pairs": 20},
        {"point_id": 2, "label": "b", "outcome": "transfers_per_year", "reference_mean": 0.02,
         "sd_diff": 0.0, "n_pairs": 20},
        {"point_id": 1, "label": "a", "outcome": "gate_clinical_per_year",
         "reference_mean": 0.5, "sd_diff": 0.16, "n_pairs": 20},
        {"point_id": 1, "label": "a", "outcome": "public_spend", "reference_mean": 300.0,
         "sd_diff": 50.0, "n_pairs": 20},
    ])
    table = power_table(effects)
    assert set(table["outcome"]) == {"transfers_per_year", "gate_clinical_per_year"}
    a = table.query("label == 'a' and outcome == 'transfers_per_year'").iloc[0]
    assert a["replications_needed"] == replications_for_half_width(0.024, 0.005)
    assert a["half_width"] == pytest.approx(half_width(0.024, 20))
    b = table.query("label == 'b'").iloc[0]
    assert math.isnan(b["replications_needed"]) and b["note"] == NO_SPREAD
    need = requirement(table).set_index("outcome")
    assert need.loc["transfers_per_year", "driven_by"] == "a"
    assert need.loc["gate_clinical_per_year", "replications_needed"] == (
        replications_for_half_width(0.16, 0.125)
    )
