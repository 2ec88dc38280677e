"""What each ``sciencecity`` subcommand does (argument parsing is in ``experiments.cli``)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

from ecosystem.calibration import check_facts, format_table
from ecosystem.errors import ConfigError
from ecosystem.metrics import HEADLINE_FIELDS
from ecosystem.outputs import domain, unit
from ecosystem.policies import SCENARIOS
from experiments.config import (
    ExperimentConfig,
    config_for_scenario,
    load_config,
    parse_config,
)
from experiments.statistics import mean_interval
from experiments.sweep import run_sweep

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
HEADLINE = HEADLINE_FIELDS


def _load(target: str) -> tuple[ExperimentConfig, str | None]:
    """A config from a scenario name or a file path (with its text, for the manifest)."""
    if target in SCENARIOS:
        return config_for_scenario(target), None
    path = Path(target)
    if path.suffix != ".toml" and not path.exists():
        raise ConfigError(
            f"'{target}' is neither a scenario ({', '.join(SCENARIOS)}) nor a config file"
        )
    cfg = load_config(path)
    return cfg, path.read_text()


def _warn(cfg: ExperimentConfig) -> None:
    """Print the pre-flight warnings (short horizon, few replications) before any run."""
    from experiments.preflight import preflight_warnings

    for line in preflight_warnings(cfg):
        print(f"sciencecity: {line}", file=sys.stderr)


def _with(cfg: ExperimentConfig, **experiment) -> ExperimentConfig:
    data = cfg.model_dump(mode="json")
    data["experiment"].update({k: v for k, v in experiment.items() if v is not None})
    return parse_config(data)


def summary_table(runs: pd.DataFrame, fields: tuple[str, ...] = HEADLINE) -> str:
    """Mean and 95% CI of headline fields, one row per parameter point."""
    lines = []
    for point_id, group in runs.groupby("point_id", sort=True):
        label = ", ".join(
            f"{c.removeprefix('param:')}={group[c].iloc[0]}"
            for c in runs.columns
            if c.startswith("param:")
        )
        lines.append(
            f"point {point_id}"
            + (f" ({label})" if label else "")
            + f" — {len(group)} run(s); active policies: {group['active_policies'].iloc[0]}"
        )
        for f in fields:
            m, lo, hi, n = mean_interval(group[f].to_numpy(), domain(f))
            ci = f"  [95% CI {lo:.3g} – {hi:.3g}]" if n > 1 else ""
            lines.append(f"  {f:<28} {m:>10.3g}{ci}  {unit(f)}" + ("" if n else "  (no value)"))
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario or config; print its summary; write the three result files."""
    cfg, text = _load(args.config)
    reps = args.replications or cfg.experiment.replications
    seeds = [args.seed + r for r in range(reps)] if args.seed is not None else None
    cfg = _with(cfg, replications=reps, seeds=seeds)
    out = Path(args.out or Path("runs") / cfg.experiment.name)
    _warn(cfg)
    result = run_sweep(cfg, out, workers=args.workers, progress=not args.quiet, config_text=text)
    runs = pd.read_parquet(out / "runs.parquet")
    print(summary_table(runs))
    print(
        f"wrote {out}/runs.parquet ({result.runs} runs), timeseries.parquet "
        f"({result.rows} rows), manifest.json in {result.seconds:.2f} s"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the baseline over N seeds and print the calibration table of spec §7."""
    cfg = config_for_scenario("status_quo", replications=args.seeds, base_seed=args.base_seed)
    cfg = _with(cfg, name="validate")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out) if args.out else Path(tmp)
        run_sweep(cfg, out, workers=args.workers)
        runs = pd.read_parquet(out / "runs.parquet")
    checks = check_facts(runs.to_dict("records"))
    print(
        f"Stylised facts, shenyang_hunnan, status quo, {args.seeds} seeds "
        f"(base seed {args.base_seed}):\n"
    )
    print(format_table(checks))
    failed = [c.fact.name for c in checks if not c.passed]
    print("\nall facts reproduced" if not failed else f"\nFAILED: {', '.join(failed)}")
    return 0 if not failed else 1


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run or finish a sweep."""
    cfg, text = _load(args.config)
    _warn(cfg)
    result = run_sweep(
        cfg,
        args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        progress=not args.quiet,
        config_text=text,
    )
    print(
        f"{result.runs} runs ({result.tasks_reused} tasks reused, {result.tasks_run} run) "
        f"in {result.seconds:.1f} s → {result.out}"
    )
    return 0


def shipped_configs() -> dict[str, Path]:
    """The experiment configs shipped under ``experiments/configs``."""
    return {p.stem: p for p in sorted(CONFIG_DIR.glob("*.toml"))}


def cmd_reproduce(args: argparse.Namespace) -> int:
    """Run a shipped experiment and write its report."""
    configs = shipped_configs()
    if not args.name:
        for name, path in configs.items():
            first = path.read_text().splitlines()[0].lstrip("# ")
            print(f"{name:<28} {first}")
        return 0
    if args.name not in configs:
        raise ConfigError(f"unknown experiment {args.name!r}; shipped: {', '.join(configs)}")
    cfg, text = _load(str(configs[args.name]))
    if args.replications:
        cfg = _with(cfg, replications=args.replications)
    out = Path(args.out or Path("runs") / args.name)
    _warn(cfg)
    run_sweep(cfg, out, workers=args.workers, scheduler=args.scheduler, config_text=text)
    from experiments.report import write_report

    print(write_report(out))
    return 0


def cmd_rerun(args: argparse.Namespace) -> int:
    """Redo a sweep from its manifest in a fresh folder and compare the results."""
    src = Path(args.dir)
    manifest_path = src / "manifest.json"
    if not manifest_path.is_file():
        raise ConfigError(f"'{src}' has no manifest.json; give a results folder of run/sweep")
    manifest = json.loads(manifest_path.read_text())
    cfg = parse_config(manifest["config"], source=str(manifest_path))
    out = src / "rerun"
    run_sweep(cfg, out, workers=args.workers, config_text=manifest.get("config_text"))
    differences = []
    for name in ("runs.parquet", "timeseries.parquet"):
        a, b = pd.read_parquet(src / name), pd.read_parquet(out / name)
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        except AssertionError as exc:
            differences.append(f"{name}: {str(exc).splitlines()[0]}")
    old, new = manifest.get("versions", {}), json.loads((out / "manifest.json").read_text())
    changed = {
        k: (v, new["versions"].get(k)) for k, v in old.items() if new["versions"].get(k) != v
    }
    if changed:
        print(
            "package versions differ: " + ", ".join(f"{k} {a}→{b}" for k, (a, b) in changed.items())
        )
    if differences:
        print("results DIFFER:\n  " + "\n  ".join(differences))
        return 1
    print(f"rerun identical: runs.parquet and timeseries.parquet match ({out})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the report of a results folder."""
    from experiments.report import write_report

    path = Path(args.dir)
    if not (path / "runs.parquet").is_file():
        raise ConfigError(f"'{path}' has no runs.parquet; give a results folder of run/sweep")
    print(write_report(path))
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    """Scenario discovery (PRIM, CART) on a finished sweep."""
    from experiments.discover import write_discovery

    print(write_discovery(args.dir, [args.target, *args.also], args.threshold))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure speed and scaling."""
    from benchmarks.bench import run_bench

    run_bench(quick=args.quick, out=Path(args.out))
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    """Serve the visual model on localhost (by default); exit 2 if it cannot start."""
    from viz.server import serve

    return serve(host=args.host, port=args.port, allow_remote=args.allow_remote)
