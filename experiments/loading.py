"""Loading a results folder, with the config re-validated so the design can be rebuilt.

A run or sweep leaves ``runs.parquet``, ``timeseries.parquet`` and ``manifest.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ecosystem.errors import ConfigError
from experiments.config import ExperimentConfig
from experiments.frames import read_frame
from experiments.manifest import config_of_manifest

SCENARIO_COLUMN = "param:scenario"


@dataclass
class Results:
    """What a run or sweep left in its folder."""

    dir: Path
    runs: pd.DataFrame
    timeseries: pd.DataFrame | None
    manifest: dict[str, Any]
    config: ExperimentConfig | None

    @property
    def method(self) -> str | None:
        """The sweep method (``None`` for a plain run of one point)."""
        if self.config is None or self.config.sweep is None:
            return "scenarios" if SCENARIO_COLUMN in self.runs.columns else None
        return self.config.sweep.method

    @property
    def name(self) -> str:
        """The experiment's name."""
        return str(self.manifest.get("experiment") or self.dir.name)

    @property
    def param_columns(self) -> list[str]:
        """The ``param:<dotted path>`` columns of the runs table."""
        return [c for c in self.runs.columns if c.startswith("param:")]

    @property
    def replications(self) -> int:
        """Replications per point (the fewest, if points differ)."""
        if self.runs.empty:
            return 0
        return int(self.runs.groupby("point_id")["replication"].nunique().min())


def load_results(path: str | Path) -> Results:
    """Read a results folder; the manifest's config is re-validated (it names the design)."""
    path = Path(path)
    runs_path = path / "runs.parquet"
    if not runs_path.is_file():
        raise ConfigError(f"'{path}' has no runs.parquet; give a results folder of run/sweep")
    runs = read_frame(runs_path)
    ts_path = path / "timeseries.parquet"
    timeseries = read_frame(ts_path) if ts_path.is_file() else None
    manifest: dict[str, Any] = {}
    config = None
    manifest_path = path / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if "config" in manifest:
            config = config_of_manifest(manifest, source=str(manifest_path))
    return Results(path, runs, timeseries, manifest, config)
