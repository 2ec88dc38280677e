"""ABC-SMC over a calibration config with pyabc: seeded, resumable, on any executor.

Reproducibility. pyabc draws particles from numpy's global generator inside each sampling
task. Here every task is seeded from the base seed, the generation and the task's index (not
from fresh entropy as pyabc's own samplers do), and results are collected in task order, so
the posterior does not depend on the number of workers or on the engine. Each model run is
seeded from the base seed and the particle's parameter values, so no run depends on global
state or on which task ran it. A generation is run by one ``ABCSMC.run`` call that starts from
the history database, so a resumed calibration takes the same path as an unbroken one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pyabc.sampler import MappingSampler

from ecosystem.errors import ConfigError
from experiments.calibrate_config import CalibrationConfig, parse_calibration
from experiments.calibrate_priors import pyabc_prior
from experiments.calibrate_targets import run_statistics, scaled_distance
from experiments.manifest import write_json_atomic
from experiments.runner import run_single
from experiments.seeds import run_seed

DB_NAME = "abc.db"
STATE_NAME = "calibration_state.json"


# --- one particle ----------------------------------------------------------------------------
def particle_seed(base_seed: int, theta: dict[str, float]) -> int:
    """A run seed from the base seed and the particle's values (no global state)."""
    values = np.array([float(theta[k]) for k in sorted(theta)], dtype=np.float64)
    digest = hashlib.blake2b(values.tobytes(), digest_size=16).digest()
    words = [int(w) for w in np.frombuffer(digest, dtype=np.uint32)]
    state = np.random.SeedSequence([base_seed, *words]).generate_state(1, dtype=np.uint64)
    return int(state[0] >> np.uint64(1))


def particle_statistics(
    cfg: CalibrationConfig,
    theta: dict[str, float],
    seed: int,
    preset: str | None = None,
    scenario: str = "status_quo",
) -> dict[str, float]:
    """Every statistic of a particle: the mean over its replications (NaN-aware)."""
    params = cfg.params_for(theta, preset=preset, scenario=scenario)
    runs = []
    for r in range(cfg.calibration.replications):
        out = run_single(params, run_seed(seed, r))
        runs.append(
            run_statistics(out.summary, out.timeseries, params.warmup_months, params.months)
        )
    keys = runs[0].keys()
    means = {}
    for k in keys:
        v = np.array([run.get(k, math.nan) for run in runs], dtype=float)
        means[k] = float(v[np.isfinite(v)].mean()) if np.isfinite(v).any() else math.nan
    return means


class ParticleModel:
    """pyabc's model: parameters → the calibration targets' statistics (picklable)."""

    def __init__(self, config_data: dict[str, Any]) -> None:
        self.config_data = config_data
        self._cfg: CalibrationConfig | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"config_data": self.config_data}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.config_data, self._cfg = state["config_data"], None

    @property
    def cfg(self) -> CalibrationConfig:
        """The parsed config (once per process)."""
        if self._cfg is None:
            self._cfg = parse_calibration(self.config_data, source="particle")
        return self._cfg

    def __call__(self, pars: Any) -> dict[str, float]:
        """Simulate the particle ``pars`` and return its targets' statistics."""
        theta = {k: float(pars[k]) for k in self.cfg.parameters}
        seed = particle_seed(self.cfg.calibration.base_seed, theta)
        stats = particle_statistics(self.cfg, theta, seed)
        return {
            name: stats.get(t.statistic or name, math.nan) for name, t in self.cfg.targets.items()
        }


class TargetDistance:
    """Root mean square of the targets' gaps in units of their scales (picklable)."""

    def __init__(self, cfg: CalibrationConfig) -> None:
        self.targets = {n: (t.low, t.high, t.scale) for n, t in cfg.targets.items()}
        self.nan_penalty = cfg.calibration.nan_penalty

    def __call__(self, x: dict[str, float], x_0: dict[str, float]) -> float:
        """The distance of statistics ``x`` (``x_0``, the midpoints, is not used)."""
        return scaled_distance(x, self.targets, self.nan_penalty)


def observed(cfg: CalibrationConfig) -> dict[str, float]:
    """Midpoints of the targets (stored by pyabc; the distance uses the ranges)."""
    return {n: (t.low + t.high) / 2 for n, t in cfg.targets.items()}


# --- sampling --------------------------------------------------------------------------------
class SeededMappingSampler(MappingSampler):
    """pyabc's mapping sampler with every task seeded from (base seed, generation, index).

    Each task samples until it has one accepted particle; tasks are mapped in index order, so
    any map (built-in, process pool, Dask executor) gives the same sample.
    """

    def __init__(self, map_: Callable, base_seed: int, max_per_task: float = math.inf) -> None:
        super().__init__(map_=map_)
        self.base_seed = base_seed
        self.max_per_task = max_per_task

    def __getstate__(self):
        return (*super().__getstate__(), self.base_seed, self.max_per_task)

    def __setstate__(self, state):
        super().__setstate__(state[:-2])
        self.base_seed, self.max_per_task = state[-2], state[-1]

    def map_function(self, simulate_one, key):
        """Sample until one particle is accepted, from the task's own seed."""
        simulate_one = self.unpickle(simulate_one)
        t, index = key
        seq = np.random.SeedSequence(self.base_seed, spawn_key=(1, t + 1, index))
        np.random.seed(seq.generate_state(4))
        random.seed(int(seq.generate_state(1)[0]))
        sample = self._create_empty_sample()
        nr = 0
        while nr < self.max_per_task:
            particle = simulate_one()
            nr += 1
            sample.append(particle)
            if particle.accepted:
                break
        return sample, nr

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):
        """Map ``n`` seeded tasks in index order and pool their particles."""
        fn = functools.partial(self.map_function, self.pickle(simulate_one))
        results = list(self.map_(fn, [(t, i) for i in range(n)]))
        self.nr_evaluations_ = sum(nr for _, nr in results)
        sample = self._create_empty_sample()
        for part, _ in results:
            sample += part
        sample.ok = len(sample.accepted_particles) >= n
        return sample


# --- the run ---------------------------------------------------------------------------------
@dataclass
class CalibrationResult:
    """What a calibration did."""

    out: Path
    generations: int
    simulations: int
    stop_reason: str
    seconds: float
    resumed: bool


@contextmanager
def _mapper(workers: int, scheduler: str | None) -> Iterator[Callable]:
    from experiments.sweep import make_executor

    with make_executor(workers, scheduler) as executor:
        yield map if executor is None else executor.map


def build_abc(cfg: CalibrationConfig, sampler: Any) -> Any:
    """The pyabc ABCSMC object of a config."""
    import pyabc

    return pyabc.ABCSMC(
        models=ParticleModel(cfg.model_dump(mode="json")),
        parameter_priors=pyabc_prior(cfg.parameters),
        distance_function=TargetDistance(cfg),
        population_size=cfg.calibration.population,
        sampler=sampler,
        eps=pyabc.epsilon.QuantileEpsilon(
            initial_epsilon="from_sample", alpha=cfg.calibration.epsilon_quantile
        ),
    )


def _loaded(cfg: CalibrationConfig, sampler: Any, out: Path) -> Any:
    """A fresh ABCSMC continuing the history in ``out``."""
    abc = build_abc(cfg, sampler)
    abc.load(db_url(out), 1)
    return abc


def db_url(out: Path) -> str:
    """The SQLAlchemy address of a calibration's history database."""
    return "sqlite:///" + str((out / DB_NAME).resolve())


def generations_table(history: Any) -> list[dict[str, float]]:
    """Per generation: tolerance, simulations, accepted particles, acceptance rate."""
    pops = history.get_all_populations()
    rows = []
    for _, row in pops[pops["t"] >= 0].iterrows():
        rows.append(
            {
                "t": int(row["t"]),
                "epsilon": float(row["epsilon"]),
                "samples": int(row["samples"]),
                "particles": int(row["particles"]),
                "acceptance_rate": float(row["particles"]) / float(row["samples"]),
            }
        )
    return rows


def _read_state(out: Path, digest: str) -> dict[str, Any]:
    path = out / STATE_NAME
    if not path.is_file():
        return {"config_hash": digest, "seconds": 0.0, "stop_reason": None}
    state = json.loads(path.read_text())
    if state.get("config_hash") != digest:
        raise ConfigError(
            f"'{out}' holds a calibration of another config (hash {state.get('config_hash')}, "
            f"this one {digest}); give a new --out folder"
        )
    return state


def _stop_reason(cfg: CalibrationConfig, gens: list[dict[str, float]], seconds: float) -> str:
    stop = cfg.calibration.stop
    if not gens:
        return ""
    last = gens[-1]
    if len(gens) >= stop.generations:
        return f"reached {stop.generations} generations"
    if last["epsilon"] <= stop.min_epsilon:
        return f"tolerance {last['epsilon']:.4g} <= min_epsilon {stop.min_epsilon}"
    if last["acceptance_rate"] < stop.min_acceptance_rate:
        return f"acceptance rate {last['acceptance_rate']:.3g} < {stop.min_acceptance_rate}"
    if stop.max_walltime_minutes is not None and seconds >= 60 * stop.max_walltime_minutes:
        return f"wall time {seconds / 60:.1f} min >= {stop.max_walltime_minutes} min"
    return ""


def _quiet_pyabc() -> None:
    logging.getLogger("ABC").setLevel(logging.WARNING)


def run_calibration(
    cfg: CalibrationConfig,
    out: str | Path,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
    config_text: str | None = None,
) -> CalibrationResult:
    """Run or resume ABC-SMC into ``out``; write the posterior and its manifest at the end."""
    from pyabc.storage import History

    from experiments.calibrate_posterior import write_posterior
    from experiments.sweep import _sigterm_as_interrupt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    digest = cfg.digest()
    state = _read_state(out, digest)
    if not state.get("stop_reason"):  # a session that computes: record what code it ran
        from experiments.provenance import git_commit

        state.setdefault("sessions", []).append(
            {"git_commit": git_commit(), "workers": workers, "scheduler": scheduler}
        )
    write_json_atomic(out / STATE_NAME, state)
    _quiet_pyabc()
    started = time.perf_counter()
    spent_before = float(state.get("seconds", 0.0))
    resumed = (out / DB_NAME).is_file()
    say = functools.partial(print, flush=True) if progress else (lambda *a, **k: None)
    with _sigterm_as_interrupt(), _mapper(workers, scheduler) as map_:
        sampler = SeededMappingSampler(map_, cfg.calibration.base_seed, _max_per_task(cfg))
        if resumed and History(db_url(out)).all_runs():
            history = _loaded(cfg, sampler, out).history
            say(f"resuming {out}: {history.max_t + 1} generation(s) done")
        else:
            history = build_abc(cfg, sampler).new(db_url(out), observed(cfg))
        gens = generations_table(history)
        reason = state.get("stop_reason") or _stop_reason(cfg, gens, spent_before)
        while not reason:
            # A fresh ABCSMC per generation, loaded from the database: pyabc caches its prior
            # sample across run() calls (and would re-derive the tolerance from it), and a
            # resumed calibration must take the same path as an unbroken one.
            abc = _loaded(cfg, sampler, out)
            t = len(gens)
            seq = np.random.SeedSequence(cfg.calibration.base_seed, spawn_key=(0, t))
            np.random.seed(seq.generate_state(4))
            random.seed(t)
            abc.run(max_nr_populations=1)
            history = abc.history
            gens = generations_table(history)
            if len(gens) <= t:
                reason = "a generation could not be completed (sample not ok)"
                break
            g = gens[-1]
            seconds = spent_before + time.perf_counter() - started
            say(
                f"generation {g['t']}: epsilon {g['epsilon']:.4g}, accepted {g['particles']}"
                f"/{g['samples']} (rate {g['acceptance_rate']:.3f}), {seconds:.0f} s"
            )
            state.update(seconds=seconds, generations=len(gens))
            write_json_atomic(out / STATE_NAME, state)
            reason = _stop_reason(cfg, gens, seconds)
        seconds = spent_before + time.perf_counter() - started
        state.update(seconds=seconds, stop_reason=reason, generations=len(gens))
        write_json_atomic(out / STATE_NAME, state)
        simulations = int(history.total_nr_simulations)
        write_posterior(
            out,
            cfg,
            history,
            gens,
            config_text=config_text,
            execution={
                "workers": workers,
                "scheduler": scheduler,
                "sessions": state.get("sessions", []),
            },
            stop_reason=reason,
            seconds=seconds,
        )
    say(f"stopped: {reason}; {simulations} particles simulated in {seconds:.0f} s → {out}")
    return CalibrationResult(out, len(gens), simulations, reason, seconds, resumed)


def _max_per_task(cfg: CalibrationConfig) -> float:
    rate = cfg.calibration.stop.min_acceptance_rate
    return math.inf if rate <= 0 else math.ceil(1.0 / rate)
