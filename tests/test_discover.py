"""Scenario discovery: PRIM finds the lever range that decides success in a known design;
targets are parsed strictly; the CLI writes the files and rejects bad targets with exit 2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosystem.errors import ConfigError
from ecosystem.outputs import REPORT_FILES
from experiments.discover import discover, parse_condition, write_discovery
from tests._helpers import cli


def _design(n: int = 150, reps: int = 2) -> pd.DataFrame:
    """Success (many transfers, cheap) exactly where value_multiple > 6; the rest is noise."""
    rng = np.random.default_rng(4)
    rows = []
    for pid in range(n):
        a, b = rng.uniform(2, 8), rng.uniform(0, 1)
        for rep in range(reps):
            good = a > 6
            rows.append({"run_id": len(rows), "point_id": pid, "replication": rep,
                         "seed": rep, "active_policies": "none",
                         "param:pilot.value_multiple": a, "param:poc.institutional_funding_prob": b,
                         "transfers_per_year": (0.3 if good else 0.05) + rng.normal(0, 0.01),
                         "public_spend_per_transfer": 200.0 + 50 * b})
    return pd.DataFrame(rows)


def test_prim_finds_the_deciding_range():
    runs = _design()
    d = discover(runs, [parse_condition("transfers_per_year >= 0.2")])
    limits = d.limits.set_index("parameter")
    assert list(limits.index) == ["pilot.value_multiple"]  # the other parameter is free
    assert 5.0 < limits.loc["pilot.value_multiple", "low"] <= 6.05
    row = d.peeling.set_index("box").loc[d.chosen]
    assert row["density"] >= 0.8 and row["coverage"] >= 0.9
    # asking for a pure box peels down to the true edge
    pure = discover(runs, [parse_condition("transfers_per_year >= 0.2")], threshold=1.0)
    low = pure.limits.set_index("parameter").loc["pilot.value_multiple", "low"]
    assert low == pytest.approx(6.0, abs=0.2)


def test_a_second_condition_restricts_the_other_parameter():
    runs = _design()
    d = discover(runs, [parse_condition("transfers_per_year >= 0.2"),
                        parse_condition("public_spend_per_transfer <= 225")])
    assert set(d.limits["parameter"]) == {"pilot.value_multiple",
                                          "poc.institutional_funding_prob"}


def test_write_discovery_files(tmp_path: Path):
    _design().to_parquet(tmp_path / "runs.parquet")
    text = write_discovery(tmp_path, ["transfers_per_year >= 0.2"])
    out = tmp_path / "discover"
    assert "pilot.value_multiple between" in text and "coverage" in text
    for name in ("boxes.csv", "peeling.csv", "cart.csv", "summary.md", "tradeoff.png",
                 "tradeoff.svg"):
        assert (out / name).stat().st_size > 0, name
    for name in ("boxes.csv", "peeling.csv"):
        declared = [c.name for c in REPORT_FILES[name]]
        assert list(pd.read_csv(out / name).columns) == declared


@pytest.mark.parametrize(("text", "message"), [
    ("transfers_per_year = 2", "is not 'OUTCOME OP NUMBER'"),
    ("transfer_per_year >= 2", "unknown outcome 'transfer_per_year'"),
    ("transfers_per_year >= abc", "is not 'OUTCOME OP NUMBER'"),
])
def test_bad_targets_are_clear_errors(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_condition(text)


def test_a_target_nobody_meets_says_so():
    with pytest.raises(ConfigError, match="no design point meets.*range"):
        discover(_design(20), [parse_condition("transfers_per_year >= 5")])


def test_cli_discover_exit_codes(tmp_path: Path):
    _design(40).to_parquet(tmp_path / "runs.parquet")
    bad = cli("discover", str(tmp_path), "--target", "nonsense >= 1")
    assert bad.returncode == 2 and "unknown outcome 'nonsense'" in bad.stderr
    assert not (tmp_path / "discover").exists()
    ok = cli("discover", str(tmp_path), "--target", "transfers_per_year >= 0.2")
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "discover" / "boxes.csv").exists()


def test_cli_version():
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("sciencecity ")
