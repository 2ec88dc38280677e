"""Run one model, or one task of several runs, and return tidy results.

A worker receives plain data (the config as a dict and the runs' specs), so any executor — a
local process pool or a Dask cluster — can run it, and returns plain tables: nothing is shared
between runs but the config.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecosystem.model import ScienceCityModel
from ecosystem.params import ModelParams
from ecosystem.spinup import introduce, spin_up_for, status_quo_params
from experiments.config import ExperimentConfig, parse_config, preset_from_manifest
from experiments.preset_files import DEFAULT_PRESET


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: its position, seed and parameter point."""

    run_id: int
    point_id: int
    replication: int
    seed: int
    point: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunOutput:
    """What one run produced."""

    spec: RunSpec
    summary: dict[str, float]
    timeseries: pd.DataFrame
    elapsed_s: float
    active_policies: list[str]
    spun_up: bool = True  # this run paid its spin-up (False: forked from a shared one)


def run_single(params: ModelParams, seed: int, spec: RunSpec | None = None) -> RunOutput:
    """Run one model to the end of its horizon."""
    start = time.perf_counter()
    model = ScienceCityModel(seed=seed, params=params)
    model.run()
    ts = model.timeseries()
    elapsed = time.perf_counter() - start
    spec = spec or RunSpec(0, 0, 0, seed)
    return RunOutput(spec, model.summary(), ts, elapsed, model.active_policy_names())


def run_spec(cfg: ExperimentConfig, spec: RunSpec) -> RunOutput:
    """Run one sweep point of a config."""
    return run_single(spec_params(cfg, spec), spec.seed, spec)


def spec_params(cfg: ExperimentConfig, spec: RunSpec) -> ModelParams:
    """The validated parameters of one run of a sweep."""
    point = dict(spec.point)
    scenario = point.pop("scenario", None)
    return cfg.params_for(point, scenario=scenario)


class SharedSpinUp:
    """Runs arms from one spin-up per seed and status quo (spec §9.1).

    Consecutive runs of the same seed whose status-quo parameters are equal fork the same
    spun-up model (:func:`ecosystem.spinup.introduce`), which runs exactly as the arm run from
    scratch; only the latest spin-up is kept, so memory stays one model.
    """

    def __init__(self) -> None:
        self._key: tuple[int, str] | None = None
        self._model: ScienceCityModel | None = None

    def run(self, params: ModelParams, seed: int, spec: RunSpec) -> RunOutput:
        """Run one arm, spinning up only if no shared spin-up fits it."""
        if not params.warmup_months:
            return run_single(params, seed, spec)
        start = time.perf_counter()
        key = (seed, status_quo_params(params).model_dump_json())
        spun_up = key != self._key or self._model is None
        if spun_up:
            self._key, self._model = key, spin_up_for(params, seed)
        model = introduce(self._model, params).run()
        ts = model.timeseries()
        elapsed = time.perf_counter() - start
        return RunOutput(spec, model.summary(), ts, elapsed, model.active_policy_names(), spun_up)


def run_task(
    config_data: dict[str, Any], specs: list[RunSpec], preset: dict[str, Any] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Run a group of runs in one worker; return (runs table, timeseries table, seconds).

    ``preset`` is the manifest's preset record: a sweep's worker never reads the preset file
    again (without it the preset is read by name, for callers such as the benchmark).
    """
    name = str(config_data.get("model", {}).get("preset", DEFAULT_PRESET))
    contents = preset_from_manifest(name, preset) if preset is not None else None
    cfg = parse_config(config_data, source="task", preset=contents)
    shared = SharedSpinUp()
    outputs = [shared.run(spec_params(cfg, spec), spec.seed, spec) for spec in specs]
    return runs_table(outputs), timeseries_table(outputs), sum(o.elapsed_s for o in outputs)


def runs_table(outputs: list[RunOutput]) -> pd.DataFrame:
    """One row per run: position, seed, parameter point, active policies and summary."""
    rows = []
    for o in outputs:
        row: dict[str, Any] = {
            "run_id": o.spec.run_id,
            "point_id": o.spec.point_id,
            "replication": o.spec.replication,
            "seed": o.spec.seed,
            "active_policies": ",".join(o.active_policies) or "none",
            "spun_up": o.spun_up,
        }
        for key, value in o.spec.point.items():
            row[f"param:{key}"] = value if not isinstance(value, list | tuple) else str(value)
        row.update(o.summary)
        rows.append(row)
    return pd.DataFrame(rows)


def timeseries_table(outputs: list[RunOutput]) -> pd.DataFrame:
    """One row per run and month."""
    frames = []
    for o in outputs:
        ts = o.timeseries.copy()
        ts.insert(0, "run_id", o.spec.run_id)
        frames.append(ts)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
