"""The sweep runner: every (parameter point × replication), resumable, on any executor.

Runs are grouped into tasks of about a second (MESA_NOTES: engine overhead stays small). Each
finished task is written at once as two Parquet parts under ``DIR/parts/`` (temporary file,
then rename), so an interrupted sweep — Ctrl-C, SIGKILL, a lost worker — loses only the tasks
in flight; running the same command again skips the finished parts. Beside each task's parts a
record holds its run ids, provenance (config hash, preset hash, code version) and the sha256 of
both files; a part is reused only if all of these match, otherwise it is deleted and redone —
a flipped bit is never merged. At the end the verified parts are streamed, in run order, into
``runs.parquet`` and ``timeseries.parquet`` (whose hashes go into the manifest): the same
content whatever the number of workers, the engine or the order in which tasks finished. Parts
are handled by ``experiments.parts``; the folder is claimed and locked for the whole sweep by
``experiments.folder``.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from ecosystem.errors import ConfigError
from ecosystem.stationarity import ensemble_stationarity
from experiments.config import ExperimentConfig
from experiments.design import design_points, design_size
from experiments.folder import OutputError, check_folder, folder_lock, remove_stale_temporaries
from experiments.frames import read_frame
from experiments.manifest import (
    build_manifest,
    preset_record,
    sweep_provenance,
    write_json_atomic,
)
from experiments.parts import merge_parts, part_done, store_part, write_error
from experiments.provenance import sha256_file
from experiments.runner import RunSpec, run_task
from experiments.seeds import run_seed

TARGET_TASK_SECONDS = 1.0
MAX_ARMS_PER_TASK = 32  # arms of one seed sharing a spin-up in one task
EST_SECONDS_PER_AGENT_MONTH = 2.5e-6  # rough, for grouping only (bench measures the truth)
MAX_RUNS = 200_000  # default bound of points × replications (--max-runs raises it)
SCHEDULER_TIMEOUT_S = 10
FINAL_FILES = ("runs.parquet", "timeseries.parquet")


@dataclass(frozen=True)
class Task:
    """A group of runs executed together by one worker."""

    task_id: int
    specs: tuple[RunSpec, ...]


def plan_runs(cfg: ExperimentConfig) -> list[RunSpec]:
    """All runs of a config in a fixed order: point-major, then replication."""
    specs = []
    for point_id, point in enumerate(design_points(cfg)):
        for rep in range(cfg.experiment.replications):
            specs.append(
                RunSpec(
                    run_id=len(specs),
                    point_id=point_id,
                    replication=rep,
                    seed=_seed_of(cfg, rep),
                    point=point,
                )
            )
    return specs


def _seed_of(cfg: ExperimentConfig, rep: int) -> int:
    seeds = cfg.experiment.seeds
    return seeds[rep] if seeds is not None else run_seed(cfg.experiment.base_seed, rep)


def seconds_per_run(cfg: ExperimentConfig) -> float:
    """A rough estimate of one run's CPU time (from the config only, not the machine)."""
    p = cfg.params_for()
    agents = (p.scientists.count + p.region.sme_count + p.investors.vc_count) * p.scale
    return EST_SECONDS_PER_AGENT_MONTH * agents * (p.months + p.warmup_months)


def runs_per_task(cfg: ExperimentConfig) -> int:
    """How many runs make a task of about a second."""
    est = seconds_per_run(cfg)
    return max(1, min(20, math.floor(TARGET_TASK_SECONDS / max(est, 1e-6))))


def plan_tasks(cfg: ExperimentConfig) -> list[Task]:
    """Runs grouped into tasks, each holding runs of one seed (spec §9.1).

    The arms of a seed fork one spin-up (``experiments.runner.SharedSpinUp``), so a task takes
    all of a seed's points, up to ``MAX_ARMS_PER_TASK`` of them, or the runs of about a second
    if more; run ids stay those of ``plan_runs``.
    """
    specs = plan_runs(cfg)
    k = runs_per_task(cfg)
    by_seed: dict[int, list[RunSpec]] = {}
    for spec in specs:
        by_seed.setdefault(spec.replication, []).append(spec)
    tasks: list[Task] = []
    for runs in by_seed.values():
        size = max(k, min(len(runs), MAX_ARMS_PER_TASK))
        for j in range(0, len(runs), size):
            tasks.append(Task(len(tasks), tuple(runs[j : j + size])))
    return tasks


# --- executors --------------------------------------------------------------------------------
@contextmanager
def make_executor(workers: int, scheduler: str | None) -> Iterator[Executor | None]:
    """An executor: a Dask cluster's (``scheduler`` address), a local pool, or None.

    None means: run in this process (``workers == 1``).
    """
    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise OutputError(
                f"--scheduler {scheduler!r}: cannot reach a Dask scheduler there within "
                f"{SCHEDULER_TIMEOUT_S} s ({exc.__class__.__name__}); nothing was written"
            ) from None
        try:
            yield client.get_executor()
        finally:
            client.close()
    elif workers <= 1:
        yield None
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            yield pool


def _pool_context():
    """How worker processes start: forked from a server that imported the model once.

    The fork server starts workers fast and without the parent's threads; where the platform
    has none, workers are spawned.
    """
    try:
        ctx = get_context("forkserver")
    except ValueError:
        return get_context("spawn")
    ctx.set_forkserver_preload(["experiments.runner"])
    return ctx


@dataclass
class SweepResult:
    """What a sweep did."""

    out: Path
    runs: int
    rows: int
    tasks_run: int
    tasks_reused: int
    seconds: float


def check_bounds(
    cfg: ExperimentConfig,
    workers: int,
    scheduler: str | None,
    max_runs: int = MAX_RUNS,
    oversubscribe: bool = False,
) -> int:
    """Refuse a design larger than ``max_runs`` or more workers than CPUs; return the runs."""
    points = design_size(cfg)
    reps = cfg.experiment.replications
    runs = points * reps
    if runs > max_runs:
        hours = runs * seconds_per_run(cfg) / 3600
        raise ConfigError(
            f"the design has {points:,} points × {reps:,} replications = {runs:,} runs "
            f"(about {hours:,.0f} CPU-hours at today's speed), over the limit of {max_runs:,} "
            "runs; shrink [sweep] or raise the limit with --max-runs"
        )
    cpus = os.cpu_count() or 1
    if scheduler is None and workers > cpus and not oversubscribe:
        raise ConfigError(
            f"--workers {workers} is more than this machine's {cpus} CPUs; use at most {cpus}, "
            "--scheduler for a cluster, or --oversubscribe to insist"
        )
    return runs


def plan_summary(cfg: ExperimentConfig, tasks: int) -> str:
    """One line: the design's size and a rough CPU-time estimate, shown before work starts."""
    points, reps = design_size(cfg), cfg.experiment.replications
    minutes = points * reps * seconds_per_run(cfg) / 60
    return (
        f"{cfg.experiment.name}: {points:,} points × {reps:,} replications = {points * reps:,} "
        f"runs in {tasks:,} tasks, roughly {minutes:,.1f} CPU-minutes"
    )


def run_sweep(
    cfg: ExperimentConfig,
    out: str | Path,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
    config_text: str | None = None,
    *,
    max_runs: int = MAX_RUNS,
    oversubscribe: bool = False,
    redo_stale: bool = False,
    warnings: Callable[[], Sequence[str]] | None = None,
) -> SweepResult:
    """Run (or finish) every run of ``cfg`` into ``out``.

    ``warnings`` computes the pre-flight notes (``experiments.preflight``); they are computed
    once the design is known to be bounded and printed once the folder is claimed, so a refused
    sweep prints its one error line and nothing else.

    Everything that can be refused is refused before anything is written: the design size, the
    workers, a folder that is not ours or holds another config, results of another code version
    or preset (unless ``redo_stale``), an unreachable scheduler, a second writer.
    """
    out = Path(out)
    check_bounds(cfg, workers, scheduler, max_runs, oversubscribe)
    notes = list(warnings()) if warnings is not None else []
    provenance = sweep_provenance(cfg)
    _check_stale(out, check_folder(out, cfg.digest()), provenance, redo_stale)
    tasks = plan_tasks(cfg)
    # the scheduler is reached before the folder is touched; the lock is held to the end
    with _sigterm_as_interrupt(), make_executor(workers, scheduler) as executor, folder_lock(out):
        old = check_folder(out, cfg.digest())  # again, now that no one else can write
        if _check_stale(out, old, provenance, redo_stale):
            for name in FINAL_FILES:
                (out / name).unlink(missing_ok=True)
        remove_stale_temporaries(out)
        for line in notes:
            print(f"sciencecity: {line}", file=sys.stderr)
        return _run_locked(
            cfg, out, tasks, executor, provenance, progress, config_text, workers, scheduler
        )


def _run_locked(
    cfg: ExperimentConfig,
    out: Path,
    tasks: list[Task],
    executor: Executor | None,
    provenance: dict[str, str],
    progress: bool,
    config_text: str | None,
    workers: int,
    scheduler: str | None,
) -> SweepResult:
    """The sweep proper, with the folder locked and checked."""
    if progress:
        print(plan_summary(cfg, len(tasks)), file=sys.stderr)
    (out / "parts").mkdir(parents=True, exist_ok=True)
    manifest = build_manifest(cfg, tasks, workers, scheduler, config_text)
    _write_manifest(out, manifest)
    todo = [t for t in tasks if not part_done(out, t, provenance)]
    n_runs = sum(len(t.specs) for t in tasks)
    done_runs = n_runs - sum(len(t.specs) for t in todo)
    start = time.perf_counter()
    worker_seconds = 0.0
    data = cfg.model_dump(mode="json")
    preset = preset_record(cfg)
    bar = tqdm(
        total=n_runs,
        initial=done_runs,
        unit="run",
        desc=cfg.experiment.name,
        disable=not progress,
        file=sys.stderr,
    )
    try:
        for task, (runs, ts, secs) in _execute(executor, data, preset, todo):
            store_part(out, task, runs, ts, provenance)
            worker_seconds += secs
            bar.update(len(task.specs))
    except BrokenExecutor:
        raise OutputError(
            "a worker process died (killed, or out of memory); finished parts are kept — run "
            "the same command again to finish"
        ) from None
    finally:
        bar.close()
    n, rows = merge_parts(out, tasks)
    elapsed = time.perf_counter() - start
    manifest["timings"] = {
        "wall_seconds": round(elapsed, 3),
        "worker_seconds": round(worker_seconds, 3),
        "tasks_run": len(todo),
        "tasks_reused": len(tasks) - len(todo),
        "runs_per_second": round(sum(len(t.specs) for t in todo) / elapsed, 3) if elapsed else None,
    }
    manifest["stationarity"] = ensemble_stationarity(read_frame(out / "runs.parquet"))
    manifest["files"] = {name: sha256_file(out / name) for name in FINAL_FILES}
    manifest["complete"] = True
    _write_manifest(out, manifest)
    return SweepResult(out, n, rows, len(todo), len(tasks) - len(todo), elapsed)


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    try:
        write_json_atomic(out / "manifest.json", manifest)
    except OSError as exc:
        (out / "manifest.json.tmp").unlink(missing_ok=True)
        raise write_error(out / "manifest.json", exc) from None


def _check_stale(
    out: Path, manifest: dict[str, Any] | None, provenance: dict[str, str], redo_stale: bool
) -> bool:
    """Whether the folder's results come from another code version or preset contents.

    Refused unless ``redo_stale``: results are never relabelled with a version that did not
    make them.
    """
    if manifest is None:
        return False
    old = {k: manifest.get(k) for k in provenance if k != "config_hash"}
    changed = [k for k in old if old[k] != provenance[k]]
    if not changed or redo_stale:
        return bool(changed)
    what = " and ".join(f"{k.replace('_', ' ')} {old[k]} (now {provenance[k]})" for k in changed)
    raise OutputError(
        f"results in '{out}' were made with {what}; resuming would mix versions — pass "
        "--redo-stale to recompute them, or choose another --out"
    )


def _execute(
    executor: Executor | None, data: dict[str, Any], preset: dict[str, Any], tasks: list[Task]
) -> Iterator[tuple[Task, tuple]]:
    if executor is None:
        for task in tasks:
            yield task, run_task(data, list(task.specs), preset)
        return
    futures: dict[Future, Task] = {
        executor.submit(run_task, data, list(task.specs), preset): task for task in tasks
    }
    try:
        for fut in as_completed(futures):
            yield futures[fut], fut.result()
    finally:
        for fut in futures:
            fut.cancel()


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C so finished parts stay and workers are cancelled."""
    previous: Callable | int | None = None
    try:
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # not the main thread
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
