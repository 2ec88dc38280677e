"""The experiment configs shipped under experiments/configs: they validate, say what they ask
and how to run them, answer the questions they claim to, and run end to end (smoke)."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from ecosystem.policies import POLICY_NAMES
from experiments.commands import CONFIG_DIR, shipped_configs
from experiments.config import load_config, parse_config
from experiments.design import design_points
from experiments.report import write_report
from experiments.sweep import run_sweep

EXPECTED = {
    "single_policies",
    "insurance_subsidy",
    "circle_radius",
    "milestone_grants",
    "full_chain_interaction",
    "sensitivity",
    "policy_effect_drivers",
    "assumed_deltas",
}
#: CPU seconds of a default status-quo run (300 spin-up + 180 counted months) on one core:
#: 0.93 s measured 2026-12-02 (median of 3, seed 1, 2-core machine under load).
SECONDS_PER_RUN = 0.95
DEFAULT_RUN_MONTHS = 480
WORKERS = 2
BUDGET_SECONDS = 5 * 60  # "minutes on 2 cores"
#: Configs whose replications come from a power calculation (their comment shows it) may take
#: longer: single_policies is sized to resolve market entries, within a quarter of an hour.
POWERED_BUDGET_SECONDS = {"single_policies": 15 * 60}


def test_every_expected_config_is_shipped():
    assert set(shipped_configs()) >= EXPECTED


@pytest.mark.parametrize("name", sorted(shipped_configs()))
def test_config_parses_and_says_how_to_run_it(name):
    path = CONFIG_DIR / f"{name}.toml"
    cfg = load_config(path)
    first = path.read_text().splitlines()[0]
    assert first.startswith("# ") and "?" in first, "first line: the question it asks"
    assert f"sciencecity reproduce {name}" in first
    assert cfg.experiment.name == name
    assert cfg.sweep is not None
    runs = len(design_points(cfg)) * cfg.experiment.replications
    budget = POWERED_BUDGET_SECONDS.get(name, BUDGET_SECONDS)
    p = cfg.params_for()
    per_run = SECONDS_PER_RUN * (p.warmup_months + p.months) / DEFAULT_RUN_MONTHS
    assert runs * per_run / WORKERS < budget, f"{runs} runs of {p.months} months is too big"


@pytest.mark.parametrize("name", sorted(POWERED_BUDGET_SECONDS))
def test_powered_configs_show_their_power_calculation(name):
    text = (CONFIG_DIR / f"{name}.toml").read_text()
    cfg = load_config(CONFIG_DIR / f"{name}.toml")
    assert "power calculation" in text and "half-width" in text
    assert f"{cfg.experiment.replications} replications" in text


@pytest.mark.parametrize("name", ["single_policies", "full_chain_interaction"])
def test_scenario_configs_cover_every_policy(name):
    cfg = load_config(CONFIG_DIR / f"{name}.toml")
    assert cfg.sweep.method == "scenarios"
    assert cfg.experiment.compare_to == "status_quo"
    assert cfg.sweep.scenarios[0] == "status_quo"
    assert set(POLICY_NAMES) <= set(cfg.sweep.scenarios)
    assert ("full_chain" in cfg.sweep.scenarios) == (name == "full_chain_interaction")


def test_grid_configs_switch_their_policy_on():
    ins = load_config(CONFIG_DIR / "insurance_subsidy.toml")
    assert ins.params_for().policies.pilot_insurance.enabled
    assert ins.sweep.parameters == {
        "policies.pilot_insurance.premium_subsidy": [0.0, 0.2, 0.4, 0.6, 0.8]
    }
    circle = load_config(CONFIG_DIR / "circle_radius.toml")
    assert circle.params_for().policies.one_hour_circle.enabled
    assert circle.sweep.parameters["policies.one_hour_circle.circle_minutes"] == [
        30,
        45,
        60,
        90,
        120,
    ]
    other = set(POLICY_NAMES) - {"one_hour_circle"}
    p = circle.params_for()
    assert not any(getattr(p.policies, n).enabled for n in other)


def test_milestone_config_compares_with_the_status_quo():
    cfg = load_config(CONFIG_DIR / "milestone_grants.toml")
    assert cfg.sweep.scenarios == ["status_quo", "milestone_grants"]
    assert cfg.experiment.compare_to == "status_quo"


def test_sensitivity_config_sweeps_scalar_floats():
    cfg = load_config(CONFIG_DIR / "sensitivity.toml")
    assert cfg.sweep.method in ("sobol", "morris")
    base = cfg.params_for().model_dump()
    for path in cfg.sweep.parameters:
        node = base
        for part in path.split("."):
            node = node[part]
        assert isinstance(node, float), f"{path} is not a scalar float parameter"


# --- smoke runs -------------------------------------------------------------------------------
def _smoke_data(name: str) -> dict:
    """The shipped config shrunk: one replication, 12 months, no warm-up, tiny designs."""
    data = tomllib.loads((CONFIG_DIR / f"{name}.toml").read_text())
    data.setdefault("model", {}).update(months=12, warmup_months=0)
    data["experiment"]["replications"] = 1
    if data["sweep"]["method"] in ("lhs", "sobol", "morris"):
        data["sweep"]["samples"] = 2
    return data


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(shipped_configs()))
def test_shipped_config_smoke_run(name, tmp_path):
    cfg = parse_config(_smoke_data(name), source=name)
    result = run_sweep(cfg, tmp_path, workers=1, progress=False)
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    assert result.runs == len(runs) == len(design_points(cfg))
    text = write_report(tmp_path)
    report = tmp_path / "report"
    assert (report / "summary.csv").exists() and "figure problem" not in text
    if cfg.sweep.method == "scenarios":
        assert (report / "effects.md").exists()
        if "full_chain" in cfg.sweep.scenarios:
            assert "full_chain's effect on throughput is" in (report / "effects.md").read_text()
    if cfg.sweep.method in ("sobol", "morris") and not cfg.sweep.scenarios:
        assert (report / "sensitivity.md").exists()
    if cfg.sweep.method == "sobol" and cfg.sweep.scenarios:
        assert (report / "effect_sensitivity.md").exists()
