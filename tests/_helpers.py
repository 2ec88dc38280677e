"""Helpers shared by the end-to-end tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent

SMALL_SWEEP = """
[model]
months = 24
warmup_months = 0

[experiment]
name = "small"
replications = 3
base_seed = 11

[sweep]
method = "grid"
[sweep.parameters]
"policies.pilot_insurance.enabled" = [false, true]
"poc.institutional_funding_prob" = [0.3, 0.6]
"""


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the command line as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "experiments.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def read_results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two result tables of a results folder."""
    return pd.read_parquet(out / "runs.parquet"), pd.read_parquet(out / "timeseries.parquet")


def assert_same_results(a: Path, b: Path) -> None:
    """Identical content of runs.parquet and timeseries.parquet."""
    ra, ta = read_results(a)
    rb, tb = read_results(b)
    pd.testing.assert_frame_equal(ra, rb, check_exact=True)
    pd.testing.assert_frame_equal(ta, tb, check_exact=True)
