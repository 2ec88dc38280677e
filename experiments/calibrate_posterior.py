"""The posterior ensemble on disk: particles and weights (parquet) and a manifest (JSON).

``posterior.parquet`` has one row per particle of the last generation: a column per calibrated
parameter (its dotted path), ``weight`` (summing to 1), ``distance`` and ``stat:<target>`` (the
particle's simulated statistics). ``generations.parquet`` is the tolerance schedule;
``manifest.json`` holds the config, the seeding scheme, versions and the git commit.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosystem.errors import ConfigError
from experiments.calibrate_config import CalibrationConfig, parse_calibration
from experiments.frames import read_frame
from experiments.manifest import package_versions, write_json_atomic
from experiments.provenance import git_commit

POSTERIOR = "posterior.parquet"
GENERATIONS = "generations.parquet"
MANIFEST = "manifest.json"
SEEDING = (
    "sampling task i of generation t seeds numpy's and Python's global generators from "
    "SeedSequence(base_seed, spawn_key=(1, t+1, i)); the main process from "
    "SeedSequence(base_seed, spawn_key=(0, t)) before each generation; model run r of a particle "
    "gets run_seed(particle_seed, r), particle_seed = SeedSequence([base_seed, blake2b(values)])"
)


#: Below this share of the population, the effective sample size is reported as a warning.
LOW_ESS_SHARE = 0.25


def kish_ess(weights: np.ndarray) -> float:
    """Kish's effective number of particles, (Σw)² / Σw², of non-negative weights."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w**2))


@dataclass
class Posterior:
    """A posterior ensemble read back from disk."""

    particles: pd.DataFrame  # one row per particle: parameters, weight, distance, stat:*
    generations: pd.DataFrame
    manifest: dict[str, Any]
    config: CalibrationConfig

    @property
    def parameters(self) -> list[str]:
        """The calibrated parameters (dotted paths)."""
        return list(self.config.parameters)

    @property
    def weights(self) -> np.ndarray:
        """Normalised particle weights."""
        w = self.particles["weight"].to_numpy(dtype=float)
        return w / w.sum()

    @property
    def effective_sample_size(self) -> float:
        """Kish's effective number of particles, (Σw)² / Σw²: how many the weights really use.

        A few heavy particles make the mean and the quantiles rest on those few, whatever the
        population size; the report says so.
        """
        return kish_ess(self.weights)

    def mean(self) -> dict[str, float]:
        """Weighted posterior mean of each parameter."""
        return {
            p: float(np.average(self.particles[p], weights=self.weights)) for p in self.parameters
        }

    def accepted_mean(self) -> dict[str, float]:
        """Unweighted mean of each parameter over the last generation's accepted sets.

        Every accepted set put its runs within the final tolerance. When the importance weights
        collapse onto a few particles, the weighted mean is those few particles' values; this
        mean describes the whole accepted population instead (it is not a posterior mean).
        """
        return {p: float(self.particles[p].mean()) for p in self.parameters}

    def quantiles(self, q: float) -> dict[str, float]:
        """Weighted quantile ``q`` of each parameter."""
        return {
            p: weighted_quantile(self.particles[p].to_numpy(), self.weights, q)
            for p in self.parameters
        }

    def draw(self, n: int, seed: int) -> list[dict[str, float]]:
        """``n`` particles drawn by weight (with replacement), reproducibly."""
        rng = np.random.default_rng(seed)
        idx = rng.choice(len(self.particles), size=n, replace=True, p=self.weights)
        rows = self.particles.iloc[idx]
        return [{p: float(r[p]) for p in self.parameters} for _, r in rows.iterrows()]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Quantile of a weighted sample (inverse of the weighted empirical CDF)."""
    order = np.argsort(values)
    v, w = np.asarray(values, dtype=float)[order], np.asarray(weights, dtype=float)[order]
    cdf = np.cumsum(w) / w.sum()
    return float(v[min(np.searchsorted(cdf, q), len(v) - 1)])


def particles_frame(cfg: CalibrationConfig, history: Any) -> pd.DataFrame:
    """The last generation's particles as a table."""
    population = history.get_population(history.max_t)
    rows = []
    for particle in population.particles:
        row: dict[str, float] = {p: float(particle.parameter[p]) for p in cfg.parameters}
        row["weight"] = float(particle.weight)
        row["distance"] = float(particle.distance)
        for name in cfg.targets:
            row[f"stat:{name}"] = float(particle.sum_stat.get(name, math.nan))
        rows.append(row)
    return pd.DataFrame(rows)


def write_posterior(
    out: Path,
    cfg: CalibrationConfig,
    history: Any,
    generations: list[dict[str, float]],
    *,
    config_text: str | None,
    execution: dict[str, Any],
    stop_reason: str,
    seconds: float,
) -> None:
    """Write particles, the tolerance schedule and the manifest (atomically, each)."""
    particles = particles_frame(cfg, history)
    _write_parquet(particles, out / POSTERIOR)
    _write_parquet(pd.DataFrame(generations), out / GENERATIONS)
    versions = package_versions()
    for name in ("pyabc", "scipy"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    write_json_atomic(
        out / MANIFEST,
        {
            "kind": "calibration",
            "name": cfg.calibration.name,
            "config": cfg.model_dump(mode="json"),
            "config_text": config_text,
            "config_hash": cfg.digest(),
            "base_seed": cfg.calibration.base_seed,
            "seeding": SEEDING,
            "generations": len(generations),
            "simulations": int(history.total_nr_simulations),
            "particles": len(particles),
            "stop_reason": stop_reason,
            "seconds": round(seconds, 3),
            "versions": versions,
            "git_commit": git_commit(),
            "execution": execution,
            "complete": True,
        },
    )


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


def read_posterior(path: str | Path) -> Posterior:
    """Read a posterior from a calibration folder (or its posterior.parquet)."""
    path = Path(path)
    folder = path.parent if path.suffix == ".parquet" else path
    for name in (POSTERIOR, MANIFEST):
        if not (folder / name).is_file():
            raise ConfigError(
                f"'{path}' has no {name}; give the folder written by 'sciencecity calibrate'"
            )
    manifest = json.loads((folder / MANIFEST).read_text())
    if manifest.get("kind") != "calibration":
        raise ConfigError(f"'{folder / MANIFEST}' is not the manifest of a calibration")
    cfg = parse_calibration(manifest["config"], source=str(folder / MANIFEST))
    gens = folder / GENERATIONS
    return Posterior(
        particles=read_frame(folder / POSTERIOR),
        generations=read_frame(gens) if gens.is_file() else pd.DataFrame(),
        manifest=manifest,
        config=cfg,
    )
