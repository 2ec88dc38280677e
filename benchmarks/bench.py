"""``sciencecity bench``: how fast the model runs, how it scales, and what it costs.

Everything is measured in this process (except the peak memory, measured in a fresh
subprocess) and written to ``bench.json``; a table with units goes to stdout. Definitions (see
``docs/performance.md``):

* **default run** — ``ScienceCityModel(seed=1, scale=1.0)`` built and run to the end of its
  horizon (300 spin-up + 180 counted months by default, ``model.warmup_months`` +
  ``model.months``); ``baseline_run_s`` is the median over repeats of
  construction + all months (imports excluded).
* **agent-steps** — Mesa agents × months, the agents being ``len(model.agents)`` after each
  month, averaged over the run. ``agent_steps_per_s`` divides them by the month loop's time
  (construction excluded), as does the floor.
* **Mesa floor** — a minimal ``mesa.Model`` with the same number of ``mesa.Agent`` objects, each
  doing ``self.x += 1``, stepped with ``model.agents.shuffle_do("step")`` for the same months,
  in the same process: ``mesa_floor_agent_steps_per_s``.
* **scaling** — the run time at 1×, 2×, 4× and 8× the default region (``scale`` multiplies
  agent counts and grid area); ``scaling_exponent`` is ``k`` of the least-squares fit
  ``log t = k log size + c``.
* **sweep** — ``run_sweep`` of the ``status_quo`` scenario with 1 and 2 workers:
  ``sweep_runs_per_s`` is runs ÷ the engine's wall time, which includes the process pool's
  start-up (spawn, imports) and the Parquet writes (with 1 worker the engine runs in this
  process, so there is no start-up); ``sweep_steady_runs_per_s`` times the same tasks on a
  spawned pool of 1 or 2 workers that is already started and warm (no start-up, no I/O).
* **peak memory** — ``peak_rss_mb``: the high-water resident set size (``VmHWM``, or
  ``ru_maxrss`` without ``/proc``) of a fresh Python process that imports the model and does one
  default run; ``run_rss_growth_mb`` is what the finished run holds beyond the imports.
* **CPU-time twins** — ``baseline_cpu_s``, ``agent_steps_per_cpu_s``, ``floor_ratio_cpu`` and
  ``scaling_exponent_cpu`` repeat the wall-clock figures in process CPU time, which other
  programs on a shared machine disturb much less; the targets are checked on wall time.

``--quick`` does fewer repeats, sizes 1× and 2× only and a tiny sweep; the fields it cannot
measure (``run_s_4x``, ``run_s_8x``) are written as ``null`` and listed in ``not_measured``.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import mesa
import numpy as np

SCHEMA_VERSION = 1
DEFAULT_SEED = 1
ALL_SIZES = (1, 2, 4, 8)
TARGETS = {
    "baseline_run_s": ("<", 1.0),
    "scaling_exponent": ("<=", 1.1),
    "sweep_speedup_2w": (">=", 1.7),
    "floor_ratio": (">=", 0.5),
}
#: Fewer samples than this behind a target: the verdict is "noisy, re-run", not met / NOT met.
MIN_SAMPLES = 5
#: Fewer sweep runs than this: the 2-worker speed-up is mostly pool start-up, not a verdict.
MIN_SWEEP_RUNS = 16


@dataclass(frozen=True)
class BenchPlan:
    """How much to measure: repeats, sizes and sweep length."""

    quick: bool
    baseline_repeats: int
    size_repeats: dict[int, int]
    floor_repeats: int
    sweep_runs: int
    rss_sizes: tuple[int, ...]

    @classmethod
    def for_mode(cls, quick: bool) -> BenchPlan:
        """Return the plan of ``--quick`` (well under a minute) or of the full bench."""
        if quick:
            return cls(True, 3, {1: 3, 2: 1}, 3, 4, (1,))
        return cls(False, 7, {1: 7, 2: 3, 4: 3, 8: 2}, 7, 64, (1, 8))


@dataclass
class RunTiming:
    """One timed model run."""

    scale: float
    init_s: float
    step_s: float
    cpu_s: float
    step_cpu_s: float
    months: int
    mean_agents: float
    grid_cells: int

    @property
    def run_s(self) -> float:
        """Construction plus all months."""
        return self.init_s + self.step_s

    @property
    def agent_steps(self) -> float:
        """Mean Mesa agents × months."""
        return self.mean_agents * self.months


@dataclass
class SizeResult:
    """Medians over the repeats at one region size."""

    size: int
    repeats: int
    run_s: float
    init_s: float
    step_s: float
    cpu_s: float
    step_cpu_s: float
    mean_agents: float
    grid_cells: int
    months: int
    samples_run_s: list[float] = field(default_factory=list)


def _log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# --- the model -----------------------------------------------------------------------------------
def time_model_run(scale: float = 1.0, seed: int = DEFAULT_SEED) -> RunTiming:
    """Build and run one model, timing construction and the month loop separately.

    The loop is ``ScienceCityModel.run``'s own (``while running: step()``) plus one
    ``len(model.agents)`` per month, to average the agent count over the run.
    """
    from ecosystem import ScienceCityModel

    c0 = time.process_time()
    t0 = time.perf_counter()
    model = ScienceCityModel(seed=seed, scale=scale)
    t1 = time.perf_counter()
    c1 = time.process_time()
    counts: list[int] = []
    while model.running:
        model.step()
        counts.append(len(model.agents))
    t2 = time.perf_counter()
    c2 = time.process_time()
    cells = math.prod(model.grid.dimensions)
    return RunTiming(
        scale=scale,
        init_s=t1 - t0,
        step_s=t2 - t1,
        cpu_s=c2 - c0,
        step_cpu_s=c2 - c1,
        months=model.month,
        mean_agents=float(np.mean(counts)) if counts else float(len(model.agents)),
        grid_cells=cells,
    )


def measure_size(size: int, repeats: int, seed: int = DEFAULT_SEED) -> SizeResult:
    """Median timings of ``repeats`` runs at ``size`` × the default region."""
    runs = []
    for r in range(repeats):
        _log(f"model at {size}x, run {r + 1}/{repeats}")
        runs.append(time_model_run(float(size), seed))
    return SizeResult(
        size=size,
        repeats=repeats,
        run_s=statistics.median(t.run_s for t in runs),
        init_s=statistics.median(t.init_s for t in runs),
        step_s=statistics.median(t.step_s for t in runs),
        cpu_s=statistics.median(t.cpu_s for t in runs),
        step_cpu_s=statistics.median(t.step_cpu_s for t in runs),
        mean_agents=statistics.median(t.mean_agents for t in runs),
        grid_cells=runs[0].grid_cells,
        months=runs[0].months,
        samples_run_s=[round(t.run_s, 4) for t in runs],
    )


def fit_exponent(sizes: list[float], seconds: list[float]) -> float:
    """``k`` of the least-squares fit ``log t = k log size + c`` (time ∝ size^k)."""
    if len(sizes) < 2:
        raise ValueError("fitting a scaling exponent needs at least two sizes")
    k, _ = np.polyfit(np.log(sizes), np.log(seconds), 1)
    return float(k)


# --- the Mesa floor ------------------------------------------------------------------------------
class FloorAgent(mesa.Agent):
    """An agent whose step is as cheap as a step can be."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.x = 0

    def step(self) -> None:
        """Count."""
        self.x += 1


class FloorModel(mesa.Model):
    """A minimal Mesa model: ``n`` trivial agents activated in random order each step."""

    def __init__(self, n: int, seed: int = DEFAULT_SEED) -> None:
        super().__init__(rng=seed)
        for _ in range(n):
            FloorAgent(self)

    def step(self) -> None:
        """Every agent steps once, in random order."""
        self.agents.shuffle_do("step")


def mesa_floor(n_agents: int, months: int, repeats: int) -> tuple[float, float, list[float]]:
    """Measure the floor: agent-steps per second of ``FloorModel(n_agents)``.

    Returns the rate over the median wall time of ``repeats`` loops of ``months`` steps, the
    rate over their median CPU time, and each repeat's wall time.
    """
    times, cpu = [], []
    for _ in range(repeats):
        model = FloorModel(n_agents)
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(months):
            model.step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    steps = n_agents * months
    return (
        steps / statistics.median(times),
        steps / max(statistics.median(cpu), 1e-9),
        [round(t, 5) for t in times],
    )


# --- sweeps --------------------------------------------------------------------------------------
def _warm_worker(pause_s: float) -> int:
    """Import the model in a pool worker and hold it briefly, so every worker gets one."""
    import ecosystem.model  # noqa: F401

    time.sleep(pause_s)
    return os.getpid()


def sweep_wall(n_runs: int, workers: int, tmp: Path) -> float:
    """Measure runs per second of ``run_sweep`` (its wall time: pool start-up, I/O included)."""
    from experiments.config import config_for_scenario
    from experiments.sweep import run_sweep

    cfg = config_for_scenario("status_quo", replications=n_runs, base_seed=DEFAULT_SEED)
    result = run_sweep(cfg, tmp / f"sweep-w{workers}", workers=workers, progress=False)
    if result.runs != n_runs:
        raise RuntimeError(f"sweep ran {result.runs} runs, expected {n_runs}")
    return n_runs / result.seconds


def sweep_steady(n_runs: int, workers: int) -> tuple[float, int]:
    """Measure runs per second of a sweep's tasks on a started, warm pool (no Parquet I/O).

    The pool is the engine's kind (spawned processes) for 1 worker as well as for 2, so both
    rates pay the same pickling and neither runs in this process's larger, older heap.
    Returns the rate and the number of distinct worker processes that were warmed.
    """
    from experiments.config import config_for_scenario
    from experiments.runner import run_task
    from experiments.sweep import plan_tasks

    cfg = config_for_scenario("status_quo", replications=n_runs, base_seed=DEFAULT_SEED)
    tasks = plan_tasks(cfg)
    data = cfg.model_dump(mode="json")
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        pids = {f.result() for f in [pool.submit(_warm_worker, 0.5) for _ in range(workers)]}
        t0 = time.perf_counter()
        futures = [pool.submit(run_task, data, list(t.specs)) for t in tasks]
        for f in futures:
            f.result()
        return n_runs / (time.perf_counter() - t0), len(pids)


def arms_from_one_spin_up(seeds: int) -> dict[str, Any]:
    """Run the shipped single_policies design (17 arms) for ``seeds`` seeds, in process.

    Counts the spin-ups the tasks paid (one per seed when every arm of a seed forks it) and the
    seconds per run.
    """
    from experiments.commands import shipped_configs
    from experiments.config import load_config
    from experiments.runner import run_task
    from experiments.sweep import plan_tasks

    cfg = load_config(shipped_configs()["single_policies"]).with_experiment(replications=seeds)
    data = cfg.model_dump(mode="json")
    t0 = time.perf_counter()
    tables = [run_task(data, list(task.specs))[0] for task in plan_tasks(cfg)]
    seconds = time.perf_counter() - t0
    runs = sum(len(t) for t in tables)
    return {
        "seeds": seeds,
        "runs": runs,
        "spin_ups": int(sum(int(t["spun_up"].sum()) for t in tables)),
        "seconds_per_run": _r(seconds / runs),
    }


# --- memory --------------------------------------------------------------------------------------
_RSS_SCRIPT = """
import json, os, resource, sys
def peak():
    try:  # this process's own high-water mark (ru_maxrss keeps the parent's across exec)
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 2**10
    except (OSError, StopIteration):
        r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return r / 2**20 if sys.platform == "darwin" else r / 2**10
def now():
    try:
        import psutil
        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
from ecosystem import ScienceCityModel
import_now, import_peak = now(), peak()
model = ScienceCityModel(seed={seed}, scale={scale})
model.run()
print(json.dumps({{"import_mb": import_now, "import_peak_mb": import_peak,
                  "peak_mb": peak(), "growth_mb": now() - import_now}}))
"""


def peak_rss(scale: float = 1.0, seed: int = DEFAULT_SEED) -> dict[str, float]:
    """Memory (MB) of one run in a fresh process.

    ``peak_mb`` is the process's high-water RSS at the end of the run (``VmHWM`` of
    ``/proc/self/status``; ``ru_maxrss`` where there is no ``/proc`` — on Linux that one also
    counts the parent's RSS at fork, which the kernel carries across ``exec``),
    ``import_mb`` the RSS once the model is imported (``import_peak_mb`` its high-water mark
    then), ``growth_mb`` the RSS the finished run still holds beyond the imports (model
    alive). RSS now comes from psutil, or ``/proc/self/statm`` without it.
    """
    script = _RSS_SCRIPT.format(seed=seed, scale=scale)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the report ----------------------------------------------------------------------------------
def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (OSError, AttributeError):
        return None


def machine_info() -> dict[str, Any]:
    """Where the numbers come from."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    return {
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "load_average_at_start": _loadavg(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "mesa": mesa.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def _targets(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ops: dict[str, Callable[[float, float], bool]] = {
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">=": lambda a, b: a >= b,
    }
    out = {}
    for name, (op, bound) in TARGETS.items():
        value = result.get(name)
        met = None if value is None else bool(ops[op](value, bound))
        out[name] = {"target": f"{op} {bound}", "value": value, "met": met,
                     "noisy": _too_few_samples(name, result)}
    return out


def _too_few_samples(name: str, result: dict[str, Any]) -> bool:
    """Whether a target's value rests on too few samples to call it met or not met."""
    if name == "baseline_run_s":
        return result["baseline_repeats"] < MIN_SAMPLES
    if name == "floor_ratio":
        return min(result["baseline_repeats"], len(result["mesa_floor_samples_s"])) < MIN_SAMPLES
    if name == "scaling_exponent":
        return len(result["scaling_sizes"]) < 3 or any(
            s["repeats"] < 2 for s in result["scaling"].values()
        )
    if name == "sweep_speedup_2w":
        return result["sweep_runs"] < MIN_SWEEP_RUNS
    return False


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(float(x), digits)


def run_bench(quick: bool, out: Path) -> dict[str, Any]:
    """Measure everything, print the table, write ``out`` (JSON) and return the result."""
    plan = BenchPlan.for_mode(quick)
    started = time.perf_counter()
    machine = machine_info()
    _log(
        f"{'quick' if quick else 'full'} bench on {machine['cpu_count']} CPU(s); "
        f"load average {machine['load_average_at_start']}"
    )
    time_model_run(1.0)  # warm-up: imports, caches, first-call costs

    sizes: dict[int, SizeResult] = {}
    for size, repeats in plan.size_repeats.items():
        sizes[size] = measure_size(size, repeats)
    base = sizes[1]
    months = base.months
    agent_steps = base.mean_agents * months
    agent_steps_per_s = agent_steps / base.step_s

    _log("Mesa floor")
    n_floor = round(base.mean_agents)
    floor, floor_cpu, floor_samples = mesa_floor(n_floor, months, plan.floor_repeats)
    agent_steps_per_cpu_s = agent_steps / max(base.step_cpu_s, 1e-9)

    measured = sorted(sizes)
    k_run = fit_exponent(measured, [sizes[s].run_s for s in measured])
    k_step = fit_exponent(measured, [sizes[s].step_s for s in measured])
    k_init = fit_exponent(measured, [sizes[s].init_s for s in measured])
    k_cpu = fit_exponent(measured, [sizes[s].cpu_s for s in measured])

    wall: dict[str, float] = {}
    steady: dict[str, float] = {}
    warmed: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="sciencecity-bench-") as tmp:
        for workers in (1, 2):
            _log(f"sweep of {plan.sweep_runs} runs, {workers} worker(s), wall")
            wall[str(workers)] = sweep_wall(plan.sweep_runs, workers, Path(tmp))
            _log(f"sweep of {plan.sweep_runs} runs, {workers} worker(s), warm pool")
            steady[str(workers)], warmed[str(workers)] = sweep_steady(plan.sweep_runs, workers)

    _log("single_policies arms forked from one spin-up per seed")
    arms = arms_from_one_spin_up(1 if quick else 3)

    rss: dict[str, dict[str, float]] = {}
    for scale in plan.rss_sizes:
        _log(f"peak memory of one run at {scale}x (fresh process)")
        rss[str(scale)] = {k: round(v, 1) for k, v in peak_rss(float(scale)).items()}

    run_s = {f"run_s_{s}x": _r(sizes[s].run_s) if s in sizes else None for s in ALL_SIZES}
    result: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "mode": "quick" if quick else "full",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "sciencecity bench" + (" --quick" if quick else ""),
        "machine": machine,
        "months": months,
        "baseline_run_s": _r(base.run_s),
        "baseline_init_s": _r(base.init_s),
        "baseline_step_s": _r(base.step_s),
        "baseline_cpu_s": _r(base.cpu_s),
        "baseline_repeats": base.repeats,
        "baseline_samples_s": base.samples_run_s,
        "mean_agents": _r(base.mean_agents, 2),
        "agent_steps": _r(agent_steps, 1),
        "agent_steps_per_s": _r(agent_steps_per_s, 1),
        "mesa_floor_agents": n_floor,
        "mesa_floor_agent_steps_per_s": _r(floor, 1),
        "mesa_floor_samples_s": floor_samples,
        "floor_ratio": _r(agent_steps_per_s / floor),
        "agent_steps_per_cpu_s": _r(agent_steps_per_cpu_s, 1),
        "mesa_floor_agent_steps_per_cpu_s": _r(floor_cpu, 1),
        "floor_ratio_cpu": _r(agent_steps_per_cpu_s / floor_cpu),
        **run_s,
        "scaling_sizes": measured,
        "scaling_exponent": _r(k_run),
        "scaling_exponent_step": _r(k_step),
        "scaling_exponent_init": _r(k_init),
        "scaling_exponent_cpu": _r(k_cpu),
        "scaling": {
            str(s): {k: _r(v) if isinstance(v, float) else v for k, v in asdict(r).items()}
            for s, r in sizes.items()
        },
        "sweep_runs": plan.sweep_runs,
        "sweep_runs_per_s": {k: _r(v) for k, v in wall.items()},
        "sweep_speedup_2w": _r(wall["2"] / wall["1"]),
        "sweep_steady_runs_per_s": {k: _r(v) for k, v in steady.items()},
        "sweep_steady_speedup_2w": _r(steady["2"] / steady["1"]),
        "sweep_workers_warmed": warmed,
        "single_policies_arms": arms,
        "peak_rss_mb": rss["1"]["peak_mb"],
        "import_rss_mb": rss["1"]["import_mb"],
        "import_peak_rss_mb": rss["1"]["import_peak_mb"],
        "run_rss_growth_mb": rss["1"]["growth_mb"],
        "peak_rss_mb_by_scale": {k: v["peak_mb"] for k, v in rss.items()},
        "run_rss_growth_mb_by_scale": {k: v["growth_mb"] for k, v in rss.items()},
        "not_measured": [k for k, v in run_s.items() if v is None],
    }
    result["targets"] = _targets(result)
    result["machine"]["load_average_at_end"] = _loadavg()
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(format_report(result))
    print(f"\nwritten: {out}")
    return result


def format_report(r: dict[str, Any]) -> str:
    """Format the bench result as a table with units."""
    m = r["machine"]
    na = "n/a (quick)"

    def num(x: float | None, fmt: str) -> str:
        return na if x is None else format(x, fmt)

    def target(name: str) -> str:
        t = r["targets"][name]
        if t["met"] is None:
            mark = "?"
        elif t.get("noisy"):
            mark = "noisy, re-run (too few samples for a verdict)"
        else:
            mark = "met" if t["met"] else "NOT met"
        return f"{t['target']}  {mark}"

    rows: list[tuple[str, str, str, str]] = [
        (
            f"default run (median of {r['baseline_repeats']})",
            num(r["baseline_run_s"], ".3f"),
            "s",
            target("baseline_run_s"),
        ),
        ("  of which construction", num(r["baseline_init_s"], ".3f"), "s", ""),
        (f"  of which {r['months']} months", num(r["baseline_step_s"], ".3f"), "s", ""),
        ("  CPU time of the run", num(r["baseline_cpu_s"], ".3f"), "s", ""),
        ("Mesa agents (mean over run)", num(r["mean_agents"], ".1f"), "agents", ""),
        ("model agent-steps/s", num(r["agent_steps_per_s"], ",.0f"), "agent-steps/s", ""),
        (
            "Mesa floor agent-steps/s",
            num(r["mesa_floor_agent_steps_per_s"], ",.0f"),
            "agent-steps/s",
            "",
        ),
        ("model / floor", num(r["floor_ratio"], ".4f"), "ratio", target("floor_ratio")),
        ("  the same in CPU time", num(r["floor_ratio_cpu"], ".4f"), "ratio", ""),
    ]
    for s in ALL_SIZES:
        rows.append((f"run at {s}x region", num(r[f"run_s_{s}x"], ".3f"), "s", ""))
    sizes = "x, ".join(str(s) for s in r["scaling_sizes"])
    rows += [
        (
            f"scaling exponent k ({sizes}x)",
            num(r["scaling_exponent"], ".3f"),
            "t~size^k",
            target("scaling_exponent"),
        ),
        (
            "  months only / construction only",
            f"{r['scaling_exponent_step']:.3f} / {r['scaling_exponent_init']:.3f}",
            "t~size^k",
            "",
        ),
        ("  the same in CPU time", num(r["scaling_exponent_cpu"], ".3f"), "t~size^k", ""),
    ]
    for w in ("1", "2"):
        rows.append(
            (f"sweep, {w} worker(s), wall", num(r["sweep_runs_per_s"][w], ".3f"), "runs/s", "")
        )
    rows.append(
        (
            "  speed-up 2 vs 1 worker, wall",
            num(r["sweep_speedup_2w"], ".2f"),
            "x",
            target("sweep_speedup_2w"),
        )
    )
    for w in ("1", "2"):
        rows.append(
            (
                f"sweep, {w} worker(s), warm pool",
                num(r["sweep_steady_runs_per_s"][w], ".3f"),
                "runs/s",
                "",
            )
        )
    rows.append(
        ("  speed-up 2 vs 1 worker, warm", num(r["sweep_steady_speedup_2w"], ".2f"), "x", "")
    )
    arms = r.get("single_policies_arms")
    if arms:
        rows.append((f"single_policies, {arms['seeds']} seed(s): spin-ups paid",
                     str(arms["spin_ups"]), f"of {arms['runs']} runs", ""))
        rows.append(("  seconds per arm (forked)", num(arms["seconds_per_run"], ".3f"), "s", ""))
    rows.append(("peak RSS, one default run", num(r["peak_rss_mb"], ".1f"), "MB", ""))
    rows.append(("  RSS after imports", num(r["import_rss_mb"], ".1f"), "MB", ""))
    rows.append(("  RSS the finished run adds", num(r["run_rss_growth_mb"], ".1f"), "MB", ""))
    for s, mb in r["peak_rss_mb_by_scale"].items():
        if s != "1":
            rows.append((f"peak RSS, one run at {s}x", num(mb, ".1f"), "MB", ""))
            rows.append(
                (
                    f"  RSS the finished run adds at {s}x",
                    num(r["run_rss_growth_mb_by_scale"][s], ".1f"),
                    "MB",
                    "",
                )
            )

    w0 = max(len(x[0]) for x in rows)
    w1 = max(len(x[1]) for x in rows)
    w2 = max(len(x[2]) for x in rows)
    head = (
        f"sciencecity bench ({r['mode']}) — {m['cpu_count']} CPU(s) ({m['usable_cpus']} usable), "
        f"Python {m['python']}, Mesa {m['mesa']}, NumPy {m['numpy']}, {m['platform']}; "
        f"load average {m['load_average_at_start']} at start, {m['load_average_at_end']} at end"
    )
    lines = [head, ""]
    lines.append(f"{'measure':<{w0}}  {'value':>{w1}}  {'unit':<{w2}}  target")
    lines.append("-" * (w0 + w1 + w2 + 20))
    for name, value, unit, tgt in rows:
        lines.append(f"{name:<{w0}}  {value:>{w1}}  {unit:<{w2}}  {tgt}".rstrip())
    lines.append("")
    lines.append(
        f"sweep: {r['sweep_runs']} runs of status_quo; 'wall' includes pool start-up "
        "(spawn) and Parquet writes, 'warm pool' does not."
    )
    if r["not_measured"]:
        lines.append(f"not measured in quick mode: {', '.join(r['not_measured'])}")
    lines.append(f"bench took {r['bench_seconds']:.1f} s")
    return "\n".join(lines)
