"""What each ``sciencecity`` subcommand does (argument parsing is in ``experiments.cli``)."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import pandas as pd

from ecosystem.calibration import check_facts, format_table, mean_ci
from ecosystem.errors import ConfigError
from ecosystem.metrics import HEADLINE_FIELDS
from ecosystem.policies import SCENARIOS
from experiments.config import (
    ExperimentConfig,
    config_for_scenario,
    load_config,
    parse_config,
)
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
            m, lo, hi, n = mean_ci(group[f].to_numpy())
            ci = f"  [95% CI {lo:.3g} – {hi:.3g}]" if n > 1 else ""
            lines.append(f"  {f:<28} {m:>10.3g}{ci}" + ("" if n else "  (no value)"))
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario or config; print its summary; write the three result files."""
    cfg, text = _load(args.config)
    reps = args.replications or cfg.experiment.replications
    seeds = [args.seed + r for r in range(reps)] if args.seed is not None else None
    cfg = _with(cfg, replications=reps, seeds=seeds)
    out = Path(args.out or Path("runs") / cfg.experiment.name)
    result = run_sweep(cfg, out, workers=args.workers, progress=not args.quiet, config_text=text)
    runs = pd.read_parquet(out / "runs.parquet")
    print(summary_table(runs))
    print(
        f"wrote {out}/runs.parquet ({result.runs} runs), timeseries.parquet "
        f"({result.rows} rows), manifest.json in {result.seconds:.2f} s"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the baseline over N seeds and print the calibration table of spec §7.

    With ``--posterior``: the calibration, input-check and validation tables on the posterior
    predictive of a calibration folder.
    """
    if getattr(args, "posterior", None):
        from experiments.calibrate_commands import validate_posterior

        return validate_posterior(args)
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
    """The experiment configs shipped under ``experiments/configs`` (not calibrations)."""
    from experiments.calibrate_config import is_calibration_file

    return {p.stem: p for p in sorted(CONFIG_DIR.glob("*.toml")) if not is_calibration_file(p)}


def cmd_calibrate(args: argparse.Namespace) -> int:
    """ABC-SMC calibration (``experiments.calibrate_commands``)."""
    from experiments.calibrate_commands import cmd_calibrate as run

    return run(args)


def cmd_reproduce(args: argparse.Namespace) -> int:
    """Run a shipped experiment and write its report."""
    from experiments.calibrate_commands import reproduce, shipped_calibrations

    configs = shipped_configs()
    calibrations = shipped_calibrations()
    if not args.name:
        for name, path in {**configs, **calibrations}.items():
            first = path.read_text().splitlines()[0].lstrip("# ")
            print(f"{name:<28} {first}")
        return 0
    if args.name in calibrations:
        return reproduce(args, calibrations[args.name])
    configs = {**configs, **calibrations}
    if args.name not in configs:
        raise ConfigError(f"unknown experiment {args.name!r}; shipped: {', '.join(configs)}")
    cfg, text = _load(str(configs[args.name]))
    if args.replications:
        cfg = _with(cfg, replications=args.replications)
    out = Path(args.out or Path("runs") / args.name)
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


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure speed and scaling."""
    from experiments.bench import run_bench

    run_bench(quick=args.quick, out=Path(args.out))
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    """Serve the visual model on localhost (by default)."""
    from viz.server import serve

    serve(host=args.host, port=args.port)
    return 0
