"""A tiny calibration end to end: posterior files, tables, figures, resume and determinism."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosystem.errors import ConfigError
from experiments.calibrate_commands import check_posterior
from experiments.calibrate_config import parse_calibration
from experiments.calibrate_posterior import (
    GENERATIONS,
    MANIFEST,
    POSTERIOR,
    particles_frame,
    read_posterior,
)
from experiments.calibrate_runner import DB_NAME, run_calibration
from tests._helpers import ROOT

TINY = """
# tiny calibration for the tests
[calibration]
name = "tiny"
base_seed = 5
population = 6
replications = 1
predictive_draws = 3
[calibration.stop]
generations = {generations}

[model]
months = 36
warmup_months = 24

[parameters."pilot.prior_success_belief"]
prior = "beta"
a = 3.0
b = 7.0

[parameters."scientists.push_threshold"]
prior = "uniform"
low = 0.3
high = 0.6

[targets.outsourcing_share]
low = 0.7
high = 0.9
scale = 0.1
source = "S0 §1.3.3"

[targets.pilot_funding_share]
low = 0.2
high = 0.5
scale = 0.1
source = "assumption"
"""


def _config(tmp_path: Path, generations: int = 2) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY.format(generations=generations))
    return path


def _cfg(generations: int = 2):
    import tomllib

    return parse_calibration(tomllib.loads(TINY.format(generations=generations)))


def _populations(db: Path) -> int:
    if not db.is_file():
        return 0
    try:
        with sqlite3.connect(db) as con:
            return con.execute("select count(*) from populations where t >= 0").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("calib") / "out"
    result = run_calibration(_cfg(), out, workers=1, progress=False, config_text="tiny")
    assert result.generations == 2 and not result.resumed
    return out


def test_posterior_files_round_trip(tiny_run):
    post = read_posterior(tiny_run)
    for name in (POSTERIOR, GENERATIONS, MANIFEST):
        assert (tiny_run / name).is_file()
    assert len(post.particles) == 6
    assert post.weights.sum() == pytest.approx(1.0)
    assert set(post.parameters) <= set(post.particles.columns)
    assert {"weight", "distance", "stat:outsourcing_share"} <= set(post.particles.columns)
    # the file holds exactly the last generation of pyabc's history
    from pyabc.storage import History

    from experiments.calibrate_runner import db_url

    history = History(db_url(tiny_run))
    history.id = 1
    pd.testing.assert_frame_equal(post.particles, particles_frame(post.config, history))
    assert list(post.generations["t"]) == [0, 1]
    assert (post.generations["acceptance_rate"] > 0).all()
    m = post.manifest
    assert m["config_hash"] == _cfg().digest() and m["base_seed"] == 5
    assert m["versions"]["pyabc"].startswith("0.13") and "seeding" in m
    assert m["config_text"] == "tiny" and m["complete"] is True
    assert len(m["execution"]["sessions"]) == 1, "one computing session, with its git commit"
    assert "git_commit" in m["execution"]["sessions"][0]
    # a particle's parameters lie in the prior's support
    assert post.particles["scientists.push_threshold"].between(0.3, 0.6).all()
    # draws are reproducible from their seed
    assert post.draw(5, seed=1) == post.draw(5, seed=1)


def test_read_posterior_refuses_other_folders(tmp_path):
    with pytest.raises(ConfigError, match="no posterior.parquet"):
        read_posterior(tmp_path)


def test_finished_calibration_is_not_redone(tiny_run):
    before = (tiny_run / POSTERIOR).read_bytes()
    result = run_calibration(_cfg(), tiny_run, workers=1, progress=False)
    assert result.resumed and result.generations == 2
    assert (tiny_run / POSTERIOR).read_bytes() == before


def test_other_config_in_same_folder_is_refused(tiny_run):
    with pytest.raises(ConfigError, match="another config"):
        run_calibration(_cfg(generations=3), tiny_run, workers=1, progress=False)


def test_tables_and_figures(tiny_run):
    text = check_posterior(tiny_run, None, workers=1, scheduler=None, figures=True)
    calib, inputs, valid = (
        text.index("Calibration targets (fitted)"),
        text.index("Checks of the inputs"),
        text.index("Validation targets (never fitted)"),
    )
    assert calib < inputs < valid
    assert "effective sample size" in text[:calib]
    assert "pilot-stage failure rate" in text[inputs:valid]
    assert "Hvide & Jones" in text[valid:] and "seed/angel" in text[valid:]
    assert (tiny_run / "tables.md").read_text().strip() == text.split("\n\nwrote")[0].strip()
    pred = pd.read_parquet(tiny_run / "predictive.parquet")
    assert set(pred["arm"]) == {"base", "suzhou", "professor_ceo"}
    assert pred.groupby("draw")["seed"].nunique().eq(1).all(), "arms of a draw are paired"
    for name in ("posterior_marginals", "posterior_pairs", "epsilon_schedule", "predictive_checks"):
        for ext in ("png", "svg"):
            assert (tiny_run / "figures" / f"{name}.{ext}").stat().st_size > 1000


def test_validate_cli_prints_the_tables(tiny_run):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments.cli",
            "validate",
            "--posterior",
            str(tiny_run),
            "--workers",
            "1",
            "--draws",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Calibration targets (fitted)" in proc.stdout
    assert "Validation targets (never fitted)" in proc.stdout


@pytest.mark.slow
def test_same_posterior_with_any_number_of_workers(tiny_run, tmp_path):
    run_calibration(_cfg(), tmp_path / "two", workers=2, progress=False)
    a = read_posterior(tiny_run).particles
    pd.testing.assert_frame_equal(a, read_posterior(tmp_path / "two").particles, check_exact=True)


@pytest.mark.slow
def test_same_posterior_on_a_dask_scheduler(tiny_run, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        run_calibration(
            _cfg(), tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False
        )
    a = read_posterior(tiny_run).particles
    pd.testing.assert_frame_equal(a, read_posterior(tmp_path / "dask").particles, check_exact=True)


@pytest.mark.slow
def test_killed_and_resumed_gives_the_unbroken_posterior(tmp_path):
    config = _config(tmp_path, generations=3)
    unbroken = tmp_path / "unbroken"
    run_calibration(_cfg(generations=3), unbroken, workers=1, progress=False)
    out = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-m",
        "experiments.cli",
        "calibrate",
        str(config),
        "--out",
        str(out),
        "--workers",
        "1",
        "--quiet",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while _populations(out / DB_NAME) < 1 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    done = _populations(out / DB_NAME)
    assert 1 <= done < 3 and not (out / POSTERIOR).exists()
    resumed = subprocess.run(cmd[:-1], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming {out}: {done} generation(s) done" in resumed.stdout
    assert len(read_posterior(out).manifest["execution"]["sessions"]) == 2
    a, b = read_posterior(unbroken), read_posterior(out)
    pd.testing.assert_frame_equal(a.particles, b.particles, check_exact=True)
    assert np.array_equal(a.generations["epsilon"], b.generations["epsilon"])


POLICY_SWEEP = """
[model]
months = 36
warmup_months = 24

[experiment]
name = "pe"
replications = 2
base_seed = 3
compare_to = "status_quo"
posterior = "POSTERIOR"
posterior_draws = 2

[sweep]
method = "scenarios"
scenarios = ["status_quo", "professor_ceo"]
"""


def test_policy_effects_over_posterior_draws(tiny_run, tmp_path):
    """A sweep draws its parameter sets from a real calibration's posterior (item 4)."""
    from experiments.config import load_config
    from experiments.posterior_effects import posterior_effects
    from experiments.sweep import run_sweep

    path = tmp_path / "pe.toml"
    path.write_text(POLICY_SWEEP.replace("POSTERIOR", str(tiny_run)))
    cfg = load_config(path)
    post = read_posterior(tiny_run)
    assert cfg.posterior.parameters == post.parameters
    theta = cfg.posterior.values[0]
    params = cfg.params_for(theta, scenario="status_quo")
    assert params.pilot.prior_success_belief == pytest.approx(theta["pilot.prior_success_belief"])
    run_sweep(cfg, tmp_path / "out", workers=1, progress=False)
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    effects = posterior_effects(runs, cfg, outcomes=("entered_poc",))
    row = effects.set_index("policy").loc["professor_ceo"]
    assert row["draws"] == 2 and row["replications"] == 2
    assert row["interval_low"] <= row["effect"] <= row["interval_high"]
    assert row["var_stochastic"] >= 0 and row["var_parameter"] >= 0
    assert runs.groupby("replication")["seed"].nunique().eq(1).all(), "draws share the seeds"
