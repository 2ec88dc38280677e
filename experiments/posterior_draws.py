"""Parameter sets drawn from a calibration posterior for a sweep (``[experiment] posterior``).

A sweep with ``posterior = "PATH"`` and ``posterior_draws = N`` runs every scenario at each of N
parameter sets drawn by weight (with replacement) from ``PATH`` — a folder written by
``sciencecity calibrate`` or its ``posterior.parquet``, read relative to the config file. The
draw's seed comes from the experiment's base seed (``draw_seed``), so the same config and
posterior give the same draws; the posterior file's sha256, the seed, the drawn particles and
their values go into the sweep's manifest, and a changed posterior makes the folder stale.

The file is checked before any work starts: it must exist and be readable, hold a ``weight``
column (finite, ≥ 0, not all zero) and at least one parameter column (every column other than
``weight``, ``distance`` and ``stat:*``, all finite numbers), each parameter must be one the
model knows with values the model accepts, and a calibration manifest beside it must name the
same parameters. Errors name ``experiment.posterior``, the path and what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosystem.errors import ConfigError
from experiments.frames import read_frame
from experiments.provenance import sha256_file

POSTERIOR_FILE = "posterior.parquet"
KEY = "experiment.posterior"
#: Spawn key of the draws' random stream, apart from the replications' seeds.
DRAW_STREAM = 0x504F5354  # "POST"
NOT_PARAMETERS = ("weight", "distance")


@dataclass(frozen=True)
class PosteriorDraws:
    """The drawn parameter sets of a posterior sweep, and where they came from."""

    source: str  # the path as the config writes it
    path: str  # the posterior.parquet that was read
    sha256: str
    seed: int
    particles: tuple[int, ...]  # row of posterior.parquet behind each draw
    values: tuple[dict[str, float], ...]  # one parameter set per draw (dotted path → value)

    @property
    def parameters(self) -> list[str]:
        """The posterior's parameters (dotted paths)."""
        return list(self.values[0]) if self.values else []

    def record(self) -> dict[str, Any]:
        """What the manifest keeps: enough to redo the design without the file."""
        return {
            "source": self.source,
            "path": self.path,
            "sha256": self.sha256,
            "draws": len(self.values),
            "seed": self.seed,
            "particles": list(self.particles),
            "values": [dict(v) for v in self.values],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> PosteriorDraws:
        """The draws stored in a manifest."""
        try:
            return cls(
                source=str(record["source"]),
                path=str(record["path"]),
                sha256=str(record["sha256"]),
                seed=int(record["seed"]),
                particles=tuple(int(i) for i in record["particles"]),
                values=tuple({str(k): v for k, v in d.items()} for d in record["values"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ConfigError("manifest: the 'posterior' record is incomplete") from None


def draw_seed(base_seed: int) -> int:
    """The seed of the weighted resampling, derived from the experiment's base seed."""
    seq = np.random.SeedSequence(base_seed, spawn_key=(DRAW_STREAM,))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def posterior_file(value: str, base_dir: Path | None) -> Path:
    """The posterior.parquet a config's ``posterior`` names (relative to the config file)."""
    path = Path(value)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if path.is_dir():
        path = path / POSTERIOR_FILE
    if path.name != POSTERIOR_FILE:
        raise ConfigError(
            f"{KEY} = {value!r}: give a calibration folder or its {POSTERIOR_FILE}, not "
            f"'{path.name}'"
        )
    if not path.is_file():
        raise ConfigError(
            f"{KEY} = {value!r}: no {POSTERIOR_FILE} at '{path}'; give the folder written by "
            "'sciencecity calibrate' (paths are relative to the config file)"
        )
    return path


def read_particles(value: str, path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Particles and parameter names of a posterior file, with its columns checked."""
    try:
        frame = read_frame(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise ConfigError(f"{KEY} = {value!r}: '{path}' is not a readable Parquet file "
                          f"({exc.__class__.__name__})") from None
    if "weight" not in frame.columns:
        raise ConfigError(f"{KEY} = {value!r}: '{path}' has no 'weight' column; allowed: a "
                          "posterior written by 'sciencecity calibrate'")
    names = [c for c in frame.columns if c not in NOT_PARAMETERS and not c.startswith("stat:")]
    if not names or frame.empty:
        raise ConfigError(f"{KEY} = {value!r}: '{path}' has no parameter columns or no rows")
    for column in ("weight", *names):
        numbers = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(numbers).all():
            raise ConfigError(
                f"{KEY} = {value!r}: column {column!r} of '{path}' must hold finite numbers"
            )
    weights = frame["weight"].to_numpy(dtype=float)
    if (weights < 0).any() or weights.sum() <= 0:
        raise ConfigError(
            f"{KEY} = {value!r}: weights of '{path}' must be ≥ 0 and not all zero"
        )
    _check_manifest(value, path, names)
    return frame, names


def _check_manifest(value: str, path: Path, names: list[str]) -> None:
    """A calibration manifest beside the file must name the same parameters."""
    manifest = path.parent / "manifest.json"
    if not manifest.is_file():
        return
    try:
        data = json.loads(manifest.read_text())
        declared = list(data["config"]["parameters"]) if data.get("kind") == "calibration" else []
    except (OSError, ValueError, KeyError, TypeError):
        return
    if declared and sorted(declared) != sorted(names):
        raise ConfigError(
            f"{KEY} = {value!r}: '{path}' has parameter columns {sorted(names)} but its "
            f"calibration manifest declares {sorted(declared)}"
        )


def load_draws(
    value: str,
    base_dir: Path | None,
    draws: int,
    base_seed: int,
    check: Callable[[dict[str, Any]], Any],
    typed: Callable[[dict[str, float]], dict[str, Any]],
) -> PosteriorDraws:
    """Read, check and resample a posterior; ``check`` validates one parameter point.

    Every particle's values are checked (not only the drawn ones), so a posterior the model
    cannot run is refused whatever the seed; ``typed`` rounds integer parameters.
    """
    path = posterior_file(value, base_dir)
    frame, names = read_particles(value, path)
    for i, row in enumerate(frame[names].itertuples(index=False)):
        point = typed(dict(zip(names, (float(v) for v in row), strict=True)))
        try:
            check(point)
        except ConfigError as exc:
            raise ConfigError(f"{KEY} = {value!r}: particle {i}: {exc}") from None
    seed = draw_seed(base_seed)
    weights = frame["weight"].to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(frame), size=draws, replace=True, p=weights / weights.sum())
    values = tuple(
        typed({n: float(frame.iloc[i][n]) for n in names}) for i in (int(j) for j in idx)
    )
    return PosteriorDraws(
        source=value,
        path=str(path.resolve()),
        sha256=sha256_file(path),
        seed=seed,
        particles=tuple(int(i) for i in idx),
        values=values,
    )
