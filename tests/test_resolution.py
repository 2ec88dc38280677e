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
from experiments.effects import (
    FULL_CHAIN,
    halves_markdown,
    interaction_effects,
    paired_effects,
    split_chance_counts,
)
from experiments.power import NO_SPREAD, power_table, requirement
from experiments.statistics import (
    SPLIT_ALPHA,
    family_share,
    half_width,
    minimal_detectable_effect,
    replications_for_half_width,
    split_flag_counts,
    split_halves,
    welch_p,
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


@pytest.mark.parametrize(("name", "draw", "low", "high"), [
    # a run's market entries: 0-4, so paired differences are small integers, mostly zero
    ("zero-heavy counts", lambda g: g.poisson(0.2, 50) - g.poisson(0.15, 50), 0.03, 0.07),
    ("counts", lambda g: g.poisson(1.8, 50) - g.poisson(1.8, 50), 0.03, 0.07),
    # heavy tails make Welch's test conservative: never more than 5% false flags
    ("heavy-tailed", lambda g: g.lognormal(0.0, 1.0, 50), 0.0, 0.065),
])
def test_split_halves_false_flag_rate_for_the_report_outcomes_shapes(name, draw, low, high):
    """No true difference, 25 pairs a half as in the 50-replication experiments: 2,000 draws."""
    rng = np.random.default_rng(11)
    flags = [split_halves(draw(rng), np.arange(50))[3] is False for _ in range(2000)]
    assert low <= float(np.mean(flags)) <= high, name


def test_welch_p_equals_scipys_welch_test():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0.0, 1.0, (12, 30)), rng.normal(0.2, 2.0, (17, 30))
    p = welch_p(a.mean(0), a.var(0, ddof=1), np.full(30, 12.0),
                b.mean(0), b.var(0, ddof=1), np.full(30, 17.0))
    assert np.allclose(p, stats.ttest_ind(a, b, equal_var=False).pvalue)
    flat = welch_p(*(np.array([x]) for x in (1.0, 0.0, 5.0, 1.0, 0.0, 5.0)))
    assert flat[0] == 1.0


def _shared_reference(rng, n: int = 50, arms: int = 16, shared_sd: float = 1.0) -> np.ndarray:
    """Paired differences of ``arms`` points against one reference: its noise is in every one."""
    reference = rng.normal(0.0, shared_sd, (n, 1))
    return rng.normal(0.0, 1.0, (n, arms)) - reference


def test_chance_count_of_flags_is_binomial_for_independent_effects():
    rng = np.random.default_rng(5)
    counts = split_flag_counts(rng.normal(0.0, 1.0, (50, 40)), resamples=2000, seed=1)
    assert abs(counts.mean() - SPLIT_ALPHA * 40) < 0.25
    assert counts.var() < 1.4 * 40 * SPLIT_ALPHA * (1 - SPLIT_ALPHA)


def test_shared_reference_widens_the_chance_count_of_flags():
    """Each effect still flagged ~5% of the time, but flags come together: not binomial."""
    counts = split_flag_counts(_shared_reference(np.random.default_rng(6)), 2000, seed=1)
    assert abs(counts.mean() - SPLIT_ALPHA * 16) < 0.3
    assert counts.var() > 2.0 * 16 * SPLIT_ALPHA * (1 - SPLIT_ALPHA)


def test_split_flag_counts_skip_effects_without_two_pairs_a_half():
    d = np.full((6, 2), np.nan)
    d[:, 0] = [0.0, 0.0, 5.0, 5.0, 0.0, 5.0]
    d[0, 1] = 1.0
    counts = split_flag_counts(d, resamples=50, seed=2)
    assert counts.max() <= 1 and counts.min() >= 0


def test_family_share_rejects_about_five_percent_of_null_tables():
    """The permutation p-value of the even/odd count is valid under a shared reference."""
    rng = np.random.default_rng(8)
    shares = []
    for _ in range(200):
        d = _shared_reference(rng, n=30, arms=8)
        observed = sum(split_halves(d[:, j], np.arange(30))[3] is False for j in range(8))
        shares.append(family_share(observed, split_flag_counts(d, resamples=99, seed=4)))
    assert 0.01 <= float(np.mean(np.array(shares) < 0.05)) <= 0.09


def test_family_share_counts_the_observed_split():
    assert family_share(3, np.array([0, 1, 3, 5])) == 3 / 5
    assert family_share(9, np.array([0, 1])) == 1 / 3


def test_halves_section_counts_transfers_once_and_judges_the_count_by_chance():
    rows = []
    for point, (even, odd) in {"a": (0.0, 1.0), "b": (0.2, 0.2)}.items():
        for outcome in ("transfers_per_year", "transfers", "public_spend"):
            bad = point == "a" and outcome != "public_spend"
            rows.append({"label": point, "outcome": outcome, "effect_even": even,
                         "effect_odd": odd, "halves_p": 0.01 if bad else 0.5,
                         "halves_agree": not bad})
    text = halves_markdown(pd.DataFrame(rows), np.array([0] * 90 + [1] * 10))
    assert "1 of 4 effects disagree" in text
    assert "a median of 0 (mean 0.1, 95th percentile 1)" in text
    assert "10.9% of the splits flag 1 or more, within what chance gives" in text


def test_chance_counts_come_from_the_effect_table_paired_runs():
    rng = np.random.default_rng(9)
    ref = rng.normal(1.0, 1.0, 20)
    runs = _runs({"status_quo": ref, "x": ref + rng.normal(0.5, 0.3, 20)}, "public_spend")
    counts = split_chance_counts(runs, 0)
    assert counts.shape == (1000,) and set(np.unique(counts)) <= {0, 1}


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
