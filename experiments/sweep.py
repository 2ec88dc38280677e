"""The sweep runner: every (parameter point × replication), resumable, on any executor.

Runs are grouped into tasks of about a second (MESA_NOTES: engine overhead stays small). Each
finished task is written at once as two Parquet parts under ``DIR/parts/`` (temporary file,
then rename), so an interrupted sweep — Ctrl-C, SIGKILL, a lost worker — loses only the tasks
in flight; running the same command again skips the finished parts. A part that cannot be read
or has the wrong runs is deleted and redone. At the end the parts are streamed, in run order,
into ``runs.parquet`` and ``timeseries.parquet``: the same content whatever the number of
workers, the engine or the order in which tasks finished.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from ecosystem.errors import ConfigError
from ecosystem.outputs import annotate_schema
from experiments.config import ExperimentConfig
from experiments.design import design_points
from experiments.manifest import build_manifest, write_json_atomic
from experiments.runner import RunSpec, run_task
from experiments.seeds import run_seed

TARGET_TASK_SECONDS = 1.0
EST_SECONDS_PER_AGENT_MONTH = 2.5e-6  # rough, for grouping only (bench measures the truth)


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


def runs_per_task(cfg: ExperimentConfig) -> int:
    """How many runs make a task of about a second (from the config only, not the machine)."""
    p = cfg.params_for()
    agents = (p.scientists.count + p.region.sme_count + p.investors.vc_count) * p.scale
    est = EST_SECONDS_PER_AGENT_MONTH * agents * (p.months + p.warmup_months)
    return max(1, min(20, math.floor(TARGET_TASK_SECONDS / max(est, 1e-6))))


def plan_tasks(cfg: ExperimentConfig) -> list[Task]:
    """Runs grouped into tasks of consecutive run ids."""
    specs = plan_runs(cfg)
    k = runs_per_task(cfg)
    return [Task(i, tuple(specs[j : j + k])) for i, j in enumerate(range(0, len(specs), k))]


# --- part files -------------------------------------------------------------------------------
def _part_paths(out: Path, task: Task) -> tuple[Path, Path]:
    parts = out / "parts"
    return parts / f"runs-{task.task_id:06d}.parquet", parts / f"ts-{task.task_id:06d}.parquet"


def _part_done(out: Path, task: Task) -> bool:
    """A task is done if both parts exist, read cleanly and hold exactly its runs."""
    runs_path, ts_path = _part_paths(out, task)
    if not (runs_path.exists() and ts_path.exists()):
        return False
    want = [s.run_id for s in task.specs]
    try:
        got = pq.read_table(runs_path, columns=["run_id"]).column("run_id").to_pylist()
        ts_ids = set(pq.read_table(ts_path, columns=["run_id"]).column("run_id").to_pylist())
    except Exception:  # noqa: BLE001 - any unreadable part is redone
        got, ts_ids = [], set()
    if got == want and ts_ids == set(want):
        return True
    runs_path.unlink(missing_ok=True)
    ts_path.unlink(missing_ok=True)
    return False


def _write_atomic(table: pa.Table, path: Path) -> None:
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def _store(out: Path, task: Task, runs, ts) -> None:
    runs_path, ts_path = _part_paths(out, task)
    _write_atomic(pa.Table.from_pandas(ts, preserve_index=False), ts_path)
    _write_atomic(pa.Table.from_pandas(runs, preserve_index=False), runs_path)


def _merge(out: Path, tasks: list[Task]) -> tuple[int, int]:
    """Stream the parts, in task order, into the final files; return (runs, rows)."""
    counts = []
    for kind, final in (("runs", "runs.parquet"), ("ts", "timeseries.parquet")):
        writer = None
        rows = 0
        tmp = out / f"{final}.tmp"
        try:
            for task in tasks:
                path = _part_paths(out, task)[0 if kind == "runs" else 1]
                table = pq.read_table(path)
                if writer is None:
                    schema = annotate_schema(table.schema.remove_metadata(), final.split(".")[0])
                    writer = pq.ParquetWriter(tmp, schema)
                table = table.cast(writer.schema) if table.schema != writer.schema else table
                writer.write_table(table.replace_schema_metadata(None))
                rows += table.num_rows
        finally:
            if writer is not None:
                writer.close()
        os.replace(tmp, out / final)
        counts.append(rows)
    return counts[0], counts[1]


# --- executors --------------------------------------------------------------------------------
@contextmanager
def make_executor(workers: int, scheduler: str | None) -> Iterator[Executor | None]:
    """An executor: a Dask cluster's (``scheduler`` address), a local pool, or None.

    None means: run in this process (``workers == 1``).
    """
    if scheduler:
        from distributed import Client

        client = Client(scheduler, timeout="20s")
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


def run_sweep(
    cfg: ExperimentConfig,
    out: str | Path,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
    config_text: str | None = None,
) -> SweepResult:
    """Run (or finish) every run of ``cfg`` into ``out``."""
    out = Path(out)
    tasks = plan_tasks(cfg)
    _check_out_dir(out, cfg)
    (out / "parts").mkdir(parents=True, exist_ok=True)
    manifest = build_manifest(cfg, tasks, workers, scheduler, config_text)
    write_json_atomic(out / "manifest.json", manifest)
    todo = [t for t in tasks if not _part_done(out, t)]
    n_runs = sum(len(t.specs) for t in tasks)
    done_runs = n_runs - sum(len(t.specs) for t in todo)
    start = time.perf_counter()
    worker_seconds = 0.0
    data = cfg.model_dump(mode="json")
    bar = tqdm(
        total=n_runs,
        initial=done_runs,
        unit="run",
        desc=cfg.experiment.name,
        disable=not progress,
        file=sys.stderr,
    )
    with _sigterm_as_interrupt(), make_executor(workers, scheduler) as executor:
        for task, (runs, ts, secs) in _execute(executor, data, todo):
            _store(out, task, runs, ts)
            worker_seconds += secs
            bar.update(len(task.specs))
    bar.close()
    n, rows = _merge(out, tasks)
    elapsed = time.perf_counter() - start
    manifest["timings"] = {
        "wall_seconds": round(elapsed, 3),
        "worker_seconds": round(worker_seconds, 3),
        "tasks_run": len(todo),
        "tasks_reused": len(tasks) - len(todo),
        "runs_per_second": round(sum(len(t.specs) for t in todo) / elapsed, 3) if elapsed else None,
    }
    manifest["complete"] = True
    write_json_atomic(out / "manifest.json", manifest)
    return SweepResult(out, n, rows, len(todo), len(tasks) - len(todo), elapsed)


def _execute(
    executor: Executor | None, data: dict[str, Any], tasks: list[Task]
) -> Iterator[tuple[Task, tuple]]:
    if executor is None:
        for task in tasks:
            yield task, run_task(data, list(task.specs))
        return
    futures: dict[Future, Task] = {
        executor.submit(run_task, data, list(task.specs)): task for task in tasks
    }
    try:
        for fut in as_completed(futures):
            yield futures[fut], fut.result()
    finally:
        for fut in futures:
            fut.cancel()


def _check_out_dir(out: Path, cfg: ExperimentConfig) -> None:
    """Refuse to mix results of two different configs in one folder."""
    path = out / "manifest.json"
    if not path.exists():
        return
    try:
        old = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return
    if old.get("config_hash") not in (None, cfg.digest()):
        raise ConfigError(
            f"output folder '{out}' holds results of another config (hash "
            f"{old.get('config_hash')}, this one {cfg.digest()}); choose another --out"
        )


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
