"""Sweeps that draw parameter sets from a calibration posterior (issue 13 item 4): the config
keys, the draws, the manifest's record, staleness, and the report's combined intervals."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosystem.errors import ConfigError
from experiments.config import load_config, parse_config
from experiments.design import design_points, design_size
from experiments.folder import OutputError
from experiments.loading import load_results
from experiments.posterior_draws import draw_seed
from experiments.posterior_effects import (
    hierarchical_bootstrap,
    posterior_effects,
    variance_parts,
)
from experiments.provenance import sha256_file
from experiments.report import write_report
from experiments.sweep import run_sweep
from tests._helpers import ROOT

BELIEF = "pilot.prior_success_belief"
SPREAD = "pilot.value_multiple"

CONFIG = """
[model]
months = 24
warmup_months = 12

[experiment]
name = "pe"
replications = 3
base_seed = 3
compare_to = "status_quo"
posterior = "calib"
posterior_draws = 3

[sweep]
method = "scenarios"
scenarios = ["status_quo", "pilot_insurance"]
"""


def _posterior(folder: Path, rows: int = 6, seed: int = 1, **columns) -> Path:
    """A posterior.parquet as 'sciencecity calibrate' writes it (parameters, weight, stats)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    data = {
        BELIEF: rng.uniform(0.15, 0.45, rows),
        SPREAD: rng.uniform(2.0, 8.0, rows),
        "weight": rng.uniform(0.5, 1.0, rows),
        "distance": rng.uniform(0, 1, rows),
        "stat:outsourcing_share": rng.uniform(0, 1, rows),
    }
    data.update(columns)
    pd.DataFrame(data).to_parquet(folder / "posterior.parquet", index=False)
    return folder / "posterior.parquet"


def _config(tmp_path: Path, text: str = CONFIG) -> Path:
    path = tmp_path / "cfg.toml"
    path.write_text(text)
    return path


# --- config -----------------------------------------------------------------------------------
def test_posterior_is_read_relative_to_the_config_and_drawn_by_weight(tmp_path):
    _posterior(tmp_path / "calib")
    cfg = load_config(_config(tmp_path))
    post = cfg.posterior
    assert post is not None and len(post.values) == 3
    assert post.seed == draw_seed(3) and post.sha256 == sha256_file(tmp_path / "calib" /
                                                                     "posterior.parquet")
    frame = pd.read_parquet(tmp_path / "calib" / "posterior.parquet")
    for i, theta in zip(post.particles, post.values, strict=True):
        assert theta == {BELIEF: frame.loc[i, BELIEF], SPREAD: frame.loc[i, SPREAD]}
    assert load_config(_config(tmp_path)).posterior == post, "same config: same draws"
    other = load_config(_config(tmp_path, CONFIG.replace("base_seed = 3", "base_seed = 4")))
    assert other.posterior.seed != post.seed


def test_weights_decide_the_draws(tmp_path):
    _posterior(tmp_path / "calib", weight=np.array([0, 0, 1.0, 0, 0, 0]))
    cfg = load_config(_config(tmp_path, CONFIG.replace("posterior_draws = 3",
                                                       "posterior_draws = 20")))
    assert set(cfg.posterior.particles) == {2}


def test_a_posterior_resting_on_one_particle_is_warned_about_before_the_sweep(tmp_path):
    from experiments.preflight import posterior_warnings

    _posterior(tmp_path / "even")
    even = load_config(_config(tmp_path, CONFIG.replace('"calib"', '"even"')))
    assert posterior_warnings(even) == []
    _posterior(tmp_path / "calib", weight=np.array([0, 0, 1.0, 0, 0, 0]))
    (warning,) = posterior_warnings(load_config(_config(tmp_path)))
    assert "about 1.0 of 6 particles" in warning


def test_design_crosses_draws_with_scenarios(tmp_path):
    _posterior(tmp_path / "calib")
    cfg = load_config(_config(tmp_path))
    points = design_points(cfg)
    assert len(points) == design_size(cfg) == 6
    assert [p["scenario"] for p in points] == ["status_quo", "pilot_insurance"] * 3
    for k, theta in enumerate(cfg.posterior.values):
        for p in points[2 * k : 2 * k + 2]:
            assert {key: p[key] for key in theta} == theta
    params = cfg.params_for({k: v for k, v in points[1].items() if k != "scenario"},
                            scenario="pilot_insurance")
    assert params.pilot.prior_success_belief == pytest.approx(points[1][BELIEF])


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (("posterior_draws = 3\n", ""), "posterior and posterior_draws go together"),
        (('posterior = "calib"\n', ""), "posterior and posterior_draws go together"),
        (("posterior_draws = 3", "posterior_draws = 0"), "posterior_draws"),
        (('"status_quo", "pilot_insurance"', '"status_quo"'), "at least two scenarios"),
        (('posterior = "calib"', 'posterior = "nowhere"'), "experiment.posterior = 'nowhere'"),
        (('posterior = "calib"', 'posterior = "cfg.toml"'), "not 'cfg.toml'"),
    ],
)
def test_bad_posterior_keys_are_refused_naming_the_key(tmp_path, change, match):
    _posterior(tmp_path / "calib")
    with pytest.raises(ConfigError, match=match):
        load_config(_config(tmp_path, CONFIG.replace(*change)))


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        ({"weight": np.full(6, np.nan)}, "column 'weight' .* finite"),
        ({"weight": np.zeros(6)}, "not all zero"),
        ({"pilot.nonexistent": np.ones(6)}, r"particle 0: .*nonexistent"),
        ({BELIEF: np.full(6, 1.7)}, r"particle 0: .*prior_success_belief"),
    ],
)
def test_bad_posterior_files_are_refused(tmp_path, columns, match):
    _posterior(tmp_path / "calib", **columns)
    with pytest.raises(ConfigError, match=f"experiment.posterior = 'calib': .*{match}"):
        load_config(_config(tmp_path))


def test_posterior_without_weights_or_with_other_parameters_is_refused(tmp_path):
    path = _posterior(tmp_path / "calib")
    pd.read_parquet(path).drop(columns="weight").to_parquet(path)
    with pytest.raises(ConfigError, match="no 'weight' column"):
        load_config(_config(tmp_path))
    _posterior(tmp_path / "calib")
    manifest = {"kind": "calibration", "config": {"parameters": {BELIEF: {}, "x.y": {}}}}
    (tmp_path / "calib" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ConfigError, match="calibration manifest declares"):
        load_config(_config(tmp_path))


def test_cli_exits_2_naming_the_key_before_any_work(tmp_path):
    path = _config(tmp_path)  # no posterior folder
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "sweep", str(path), "--out", str(tmp_path / "o")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "experiment.posterior = 'calib'" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


# --- the variance split and the intervals (statistical, fixed seeds) --------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_variance_parts_find_the_dominant_part(seed):
    rng = np.random.default_rng(seed)
    draws, reps = 40, 10
    # parameter sd 2 and luck sd 0.5: parameter variance 4, stochastic 0.25
    e = rng.normal(0, 2, (draws, 1)) + rng.normal(0, 0.5, (draws, reps))
    stochastic, parameter = variance_parts(e)
    assert 0.15 < stochastic < 0.4 and 2.0 < parameter < 7.0
    # the other way round: no parameter effect at all, luck sd 2
    e = 1.0 + rng.normal(0, 2, (draws, reps))
    stochastic, parameter = variance_parts(e)
    assert 3.0 < stochastic < 5.5 and parameter < 0.5 * stochastic


def test_hierarchical_bootstrap_covers_the_mean_and_widens_with_parameter_spread():
    rng = np.random.default_rng(7)
    noise = rng.normal(0, 1, (30, 8))
    narrow = hierarchical_bootstrap(3.0 + noise, seed=1)
    wide = hierarchical_bootstrap(3.0 + noise + rng.normal(0, 3, (30, 1)), seed=1)
    assert narrow[0] < 3.0 < narrow[1]
    assert wide[1] - wide[0] > 2 * (narrow[1] - narrow[0])
    assert math.isnan(hierarchical_bootstrap(noise[:1], seed=1)[0])


# --- end to end -------------------------------------------------------------------------------
@pytest.mark.slow
def test_tiny_posterior_sweep_end_to_end(tmp_path):
    calib = _posterior(tmp_path / "calib")
    cfg = load_config(_config(tmp_path))
    out = tmp_path / "out"
    run_sweep(cfg, out, workers=1, progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["posterior_hash"] == sha256_file(calib)
    assert manifest["posterior"]["values"] == [dict(v) for v in cfg.posterior.values]
    assert manifest["posterior"]["seed"] == draw_seed(3)
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs.groupby("replication")["seed"].nunique().eq(1).all(), "paired across draws"
    # the runs used the drawn values (point p is draw p // 2)
    for k, theta in enumerate(cfg.posterior.values):
        at = runs[runs["point_id"] // 2 == k]
        assert np.allclose(at[f"param:{BELIEF}"], theta[BELIEF])

    text = write_report(out)
    assert "Paired effects under parameter uncertainty" in text and "dominates" in text
    table = pd.read_csv(out / "report" / "posterior_effects.csv")
    assert set(table["policy"]) == {"pilot_insurance"}
    spend = table.set_index("outcome").loc["public_spend"]
    assert spend["draws"] == 3 and spend["replications"] == 3 and spend["n_pairs"] == 9
    assert spend["interval_low"] <= spend["effect"] <= spend["interval_high"]
    assert spend["ci_low"] <= spend["effect"] <= spend["ci_high"]
    assert spend["dominant"] in {"parameter", "stochastic"}
    # the table's effect is the mean paired difference, recomputed here from the runs
    wide = runs.pivot_table(index=["point_id", "replication"], values="public_spend",
                            columns="param:scenario").groupby("replication").sum()
    assert spend["effect"] == pytest.approx(
        (wide["pilot_insurance"] - wide["status_quo"]).sum() / 9
    )
    md = (out / "report" / "posterior_effects.md").read_text()
    assert "parameter share of variance" in md and cfg.posterior.sha256[:16] in md
    assert (out / "report" / "posterior_effects.png").is_file()
    assert not (out / "report" / "effects.csv").exists(), "no unpaired-by-draw effect table"
    # a report of the folder alone (no posterior file) rebuilds the same table from the manifest
    (calib).unlink()
    again = load_results(out)
    assert again.config.posterior.values == cfg.posterior.values
    pd.testing.assert_frame_equal(posterior_effects(again.runs, again.config),
                                  posterior_effects(runs, cfg))


def test_changed_posterior_makes_the_folder_stale(tmp_path):
    _posterior(tmp_path / "calib")
    out = tmp_path / "out"
    text = CONFIG.replace("replications = 3", "replications = 1").replace(
        "posterior_draws = 3", "posterior_draws = 1")
    run_sweep(load_config(_config(tmp_path, text)), out, workers=1, progress=False)
    _posterior(tmp_path / "calib", seed=2)  # same columns, other particles
    changed = load_config(_config(tmp_path, text))
    with pytest.raises(OutputError, match="posterior hash"):
        run_sweep(changed, out, workers=1, progress=False)
    run_sweep(changed, out, workers=1, progress=False, redo_stale=True)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["posterior_hash"] == changed.posterior.sha256


def test_python_api_reads_the_posterior_on_first_use(tmp_path, monkeypatch):
    _posterior(tmp_path / "calib")
    monkeypatch.chdir(tmp_path)
    cfg = parse_config(tomllib.loads(CONFIG))
    assert len(design_points(cfg)) == 6
