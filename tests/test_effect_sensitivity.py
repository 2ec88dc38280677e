"""Sobol indices of paired policy effects (issue 13 item 5): the crossed design, its config
validation, and a tiny run whose inert parameter must not move the effect."""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd
import pytest

from ecosystem.errors import ConfigError
from experiments.config import parse_config
from experiments.design import design_points, design_size
from experiments.effect_sensitivity import (
    effect_sensitivity,
    sample_effects,
    sample_matrix,
    strongest,
)
from experiments.report import write_report
from experiments.sweep import run_sweep

PREMIUM = "policies.pilot_insurance.premium_subsidy"
INERT = "policies.milestone_grants.review_noise"  # milestone grants are off in both scenarios

CONFIG = f"""
[model]
months = 24
warmup_months = 12

[experiment]
name = "es"
replications = 2
base_seed = 4
compare_to = "status_quo"

[sweep]
method = "sobol"
samples = 4
scenarios = ["status_quo", "pilot_insurance"]

[sweep.parameters]
"{PREMIUM}" = [0.1, 0.9]
"{INERT}" = [0.1, 0.5]
"""


def _cfg(text: str = CONFIG):
    return parse_config(tomllib.loads(text), source="es")


def test_every_sample_point_runs_every_scenario():
    cfg = _cfg()
    points = design_points(cfg)
    assert len(points) == design_size(cfg) == 4 * (2 + 2) * 2
    assert [p["scenario"] for p in points[:4]] == ["status_quo", "pilot_insurance"] * 2
    for j in range(0, len(points), 2):
        a, b = points[j], points[j + 1]
        assert {k: v for k, v in a.items() if k != "scenario"} == {
            k: v for k, v in b.items() if k != "scenario"
        }
    plain = _cfg(CONFIG.replace('scenarios = ["status_quo", "pilot_insurance"]\n', ""))
    assert [{k: v for k, v in p.items() if k != "scenario"} for p in points[::2]] == (
        design_points(plain)
    ), "the same Sobol sample as without scenarios"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (("method = \"sobol\"", "method = \"lhs\""), "only 'scenarios' and 'sobol'"),
        (('["status_quo", "pilot_insurance"]', '["status_quo"]'), "at least two"),
        (('["status_quo", "pilot_insurance"]', '["status_quo", "status_quo"]'), "at least two"),
        (('["status_quo", "pilot_insurance"]', '["status_quo", "nope"]'), "nope"),
    ],
)
def test_bad_effect_designs_are_refused(change, match):
    with pytest.raises(ConfigError, match=f"sweep.*{match}"):
        _cfg(CONFIG.replace(*change))


@pytest.mark.slow
def test_tiny_effect_sobol_run(tmp_path):
    cfg = _cfg()
    run_sweep(cfg, tmp_path, workers=1, progress=False)
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    problem, matrix = sample_matrix(cfg, runs)
    assert problem["names"] == [PREMIUM, INERT] and matrix.shape == (16, 2)
    y = sample_effects(runs, cfg, "pilot_insurance", "public_spend")
    by_hand = runs.pivot_table(index=["point_id"], values="public_spend", aggfunc="mean")
    means = by_hand["public_spend"].to_numpy()
    assert np.allclose(y, means[1::2] - means[0::2]), "mean paired effect at each sample"

    table = effect_sensitivity(runs, cfg)
    spend = table[(table["outcome"] == "public_spend") & (table["index"] == "ST")]
    st = spend.set_index("parameter")["value"]
    # the panel's noise of a policy that is off in both arms cannot move the effect at all
    assert st[INERT] == pytest.approx(0.0, abs=1e-12)
    assert st[PREMIUM] > 0.1
    best = strongest(table).set_index(["policy", "outcome"])
    assert best.loc[("pilot_insurance", "public_spend"), "parameter"] == PREMIUM

    text = write_report(tmp_path)
    assert "What moves each paired effect most" in text and PREMIUM in text
    report = tmp_path / "report"
    assert (report / "effect_sensitivity.csv").is_file()
    assert (report / "effect_sensitivity.png").is_file()
    assert not (report / "sensitivity.csv").exists(), "levels' indices would mix scenarios"
    assert "figure problem" not in text
