"""End-to-end tests of the command line, as a user runs it."""

from __future__ import annotations

import json

import pandas as pd

from tests._helpers import cli

SHORT = """
[model]
months = 24
warmup_months = 6

[policies.pilot_insurance]
enabled = true
premium_subsidy = 0.6

[experiment]
name = "short"
replications = 2
base_seed = 3
"""


def test_run_default_writes_three_files(tmp_path):
    out = tmp_path / "out"
    result = cli("run", "--out", str(out), "--seed", "4", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "transfers_per_year" in result.stdout
    assert "active policies: none" in result.stdout
    runs = pd.read_parquet(out / "runs.parquet")
    ts = pd.read_parquet(out / "timeseries.parquet")
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(runs) == 1 and runs["seed"].iloc[0] == 4
    assert len(ts) == 480 and (ts["run_id"] == 0).all()
    assert manifest["complete"] and manifest["versions"]["mesa"].startswith("3.")
    assert "timings" in manifest and "git_commit" in manifest


def test_same_seed_gives_identical_timeseries(tmp_path):
    for name in ("a", "b"):
        assert cli("run", "--out", str(tmp_path / name), "--seed", "9", "--quiet").returncode == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "a" / "timeseries.parquet"),
        pd.read_parquet(tmp_path / "b" / "timeseries.parquet"),
    )


def test_run_config_shows_active_policies(tmp_path):
    cfg = tmp_path / "short.toml"
    cfg.write_text(SHORT)
    result = cli("run", str(cfg), "--out", str(tmp_path / "o"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "active policies: pilot_insurance" in result.stdout
    assert len(pd.read_parquet(tmp_path / "o" / "runs.parquet")) == 2


def test_run_scenario_by_name(tmp_path):
    result = cli("run", "review_sync", "--out", str(tmp_path / "o"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "active policies: review_sync" in result.stdout


def test_bad_config_exits_2_with_key_and_no_output(tmp_path):
    cases = {
        "unknown key": ("[model]\nmonths = 12\ncolour = 'red'\n", "colour"),
        "out of range": ("[policies.pilot_insurance]\npremium_subsidy = 1.4\n", "premium_subsidy"),
        "unknown policy": ("[policies.free_lunch]\nenabled = true\n", "free_lunch"),
        "negative months": ("[model]\nmonths = -5\n", "months"),
        "malformed": ("[model\nmonths = 3\n", "not valid TOML"),
        "empty grid": (
            "[sweep]\nmethod='grid'\n[sweep.parameters]\n'poc.cost_mrmb' = []\n",
            "empty list",
        ),
        "no such sweep parameter": (
            "[sweep]\nmethod='grid'\n[sweep.parameters]\n'poc.price' = [1, 2]\n",
            "poc.price",
        ),
        "wrong type": ("[experiment]\nreplications = 'many'\n", "replications"),
        "probability": ("[model.poc]\nsuccess_if_viable = 1.5\n", "poc.success_if_viable"),
    }
    for name, (text, needle) in cases.items():
        cfg = tmp_path / f"{name.replace(' ', '_')}.toml"
        cfg.write_text(text)
        out = tmp_path / f"out_{name.replace(' ', '_')}"
        result = cli("run", str(cfg), "--out", str(out))
        assert result.returncode == 2, (name, result.stdout, result.stderr)
        assert needle in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr, name
        assert not out.exists(), f"{name}: output folder created"


def test_missing_config_file(tmp_path):
    result = cli("run", str(tmp_path / "nope.toml"))
    assert result.returncode == 2 and "not found" in result.stderr


def test_validate_prints_calibration_table():
    result = cli("validate", "--seeds", "4", "--workers", "2", timeout=600)
    assert result.returncode in (0, 1), result.stderr
    for name in ("pilot-stage failure rate", "S0 §1.2.3", "95% CI"):
        assert name in result.stdout


def test_rerun_reports_identical(tmp_path):
    cfg = tmp_path / "short.toml"
    cfg.write_text(SHORT)
    out = tmp_path / "o"
    assert cli("sweep", str(cfg), "--out", str(out), "--workers", "1", "--quiet").returncode == 0
    result = cli("rerun", str(out), "--workers", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical" in result.stdout
