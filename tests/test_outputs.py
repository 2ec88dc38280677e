"""The data dictionary: every produced column is declared (and every declared one produced),
the Parquet files carry it, and docs/outputs.md is generated from it."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ecosystem.outputs import RUNS, TIMESERIES, column, domain, outputs_markdown, undeclared
from experiments.config import parse_config
from experiments.sweep import run_sweep

DOC = Path(__file__).resolve().parents[1] / "docs" / "outputs.md"


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dict")
    cfg = parse_config({
        "model": {"months": 24, "warmup_months": 0},
        "experiment": {"replications": 1},
        "sweep": {"method": "grid", "parameters": {"poc.cost_mrmb": [1.0, 2.0]}},
    })
    run_sweep(cfg, out, progress=False)
    return out


@pytest.mark.parametrize("table", ["runs", "timeseries"])
def test_every_produced_column_is_declared_and_vice_versa(sweep_dir, table):
    names = pq.read_schema(sweep_dir / f"{table}.parquet").names
    missing, unproduced = undeclared(names, table)
    assert missing == [], f"{table}.parquet columns missing from ecosystem/outputs.py: {missing}"
    assert unproduced == [], f"declared but not produced by a run: {unproduced}"


def test_parquet_schema_carries_units(sweep_dir):
    schema = pq.read_schema(sweep_dir / "runs.parquet")
    assert schema.field("transfers_per_year").metadata[b"unit"] == b"market entries per year"
    assert schema.field("param:poc.cost_mrmb").metadata[b"unit"].startswith(b"the parameter")
    entries = json.loads(schema.metadata[b"sciencecity.columns"])
    assert entries["public_spend"]["unit"] == "M RMB per run"
    ts = pq.read_schema(sweep_dir / "timeseries.parquet")
    assert ts.field("public_spend").metadata[b"unit"] == b"M RMB"
    assert ts.metadata[b"sciencecity.table"] == b"timeseries"


def test_every_column_has_unit_meaning_and_computation():
    for c in (*RUNS, *TIMESERIES):
        assert c.unit and c.meaning and c.computed, c.name


def test_domains_of_shares_and_counts():
    assert domain("pilot_failure_rate") == (0.0, 1.0)
    assert domain("transfers_per_year")[0] == 0.0
    assert column("param:anything") is not None
    assert column("no_such_column") is None


def test_docs_outputs_md_is_current():
    assert DOC.read_text() == outputs_markdown(), (
        "docs/outputs.md is out of date; run `.venv/bin/python -m ecosystem.outputs > "
        "docs/outputs.md`"
    )
