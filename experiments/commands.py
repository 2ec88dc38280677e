"""What each ``sciencecity`` subcommand does (argument parsing is in ``experiments.cli``)."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ecosystem.calibration import REGION_LEVEL_TARGETS, check_facts, format_table, gate_table
from ecosystem.errors import ConfigError
from ecosystem.metrics import HEADLINE_FIELDS
from ecosystem.outputs import domain, unit
from ecosystem.policies import SCENARIOS
from experiments.config import ExperimentConfig, config_for_scenario, load_config, parse_config
from experiments.folder import OutputError, check_folder, read_manifest
from experiments.frames import read_frame
from experiments.manifest import config_of_manifest
from experiments.preset_files import DEFAULT_PRESET
from experiments.provenance import sha256_file
from experiments.statistics import mean_interval
from experiments.sweep import FINAL_FILES, MAX_RUNS, run_sweep

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
    return cfg, cfg.text


def _warnings(cfg: ExperimentConfig) -> list[str]:
    """The pre-flight warnings (short horizon, few replications), printed by the sweep."""
    from experiments.preflight import preflight_warnings

    return list(preflight_warnings(cfg))


def _sweep_options(args: argparse.Namespace) -> dict:
    """The sweep's safety options as the command line gives them (absent = default)."""
    return {
        "max_runs": getattr(args, "max_runs", None) or MAX_RUNS,
        "oversubscribe": getattr(args, "oversubscribe", False),
        "redo_stale": getattr(args, "redo_stale", False),
    }


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
    cfg = cfg.with_experiment(replications=reps, seeds=seeds)
    out = Path(args.out or Path("runs") / cfg.experiment.name)
    result = run_sweep(
        cfg,
        out,
        workers=args.workers,
        progress=not args.quiet,
        config_text=text,
        warnings=lambda: _warnings(cfg),
        **_sweep_options(args),
    )
    runs = read_frame(out / "runs.parquet")
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
    preset = getattr(args, "preset", None) or DEFAULT_PRESET
    cfg = parse_config(
        {
            "model": {} if preset == DEFAULT_PRESET else {"preset": preset},
            "experiment": {
                "name": "validate",
                "scenario": "status_quo",
                "replications": args.seeds,
                "base_seed": args.base_seed,
            },
        },
        source=f"validate --preset {preset}",
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out) if args.out else Path(tmp)
        run_sweep(cfg, out, workers=args.workers, **_sweep_options(args))
        runs = read_frame(out / "runs.parquet")
    checks = check_facts(runs.to_dict("records"))
    print(
        f"Stylised facts, {preset}, status quo, {args.seeds} seeds "
        f"(base seed {args.base_seed}):\n"
    )
    if preset != DEFAULT_PRESET:
        print("(the facts are Liaoning's, S0: shown for comparison, not checked)\n")
    print(format_table(checks))
    failed = [c.fact.name for c in checks if not c.passed] if preset == DEFAULT_PRESET else []
    if preset == DEFAULT_PRESET:
        print("\nall facts reproduced" if not failed else f"\nFAILED: {', '.join(failed)}")
    print("\nThroughput at every gate, per counted year (mean over seeds, 95% CI):\n")
    print(gate_table(runs))
    targets = REGION_LEVEL_TARGETS.get(preset, ())
    if not targets:
        print(f"\nLevel targets: none stated for {preset} (ODD §1.3)")
        return 0 if not failed else 1
    levels = check_facts(runs.to_dict("records"), targets)
    print("\nLevel targets:\n")
    print(format_table(levels))
    for target in targets:
        print(f"  scope of {target.name}: {target.scope}")
    if preset != DEFAULT_PRESET:
        failed = [c.fact.name for c in levels if not c.passed]
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
        warnings=lambda: _warnings(cfg),
        **_sweep_options(args),
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
        cfg = cfg.with_experiment(replications=args.replications)
    out = Path(args.out or Path("runs") / args.name)
    run_sweep(
        cfg,
        out,
        workers=args.workers,
        scheduler=args.scheduler,
        config_text=text,
        warnings=lambda: _warnings(cfg),
        **_sweep_options(args),
    )
    from experiments.report import write_report

    print(write_report(out))
    from experiments.gate_table import GATE_REPORTS, write_gate_table

    if args.name in GATE_REPORTS:
        print(write_gate_table(out))
    return 0


def complete_manifest(folder: Path) -> dict:
    """The manifest of a finished sweep; ``ConfigError`` if missing, unreadable or unfinished."""
    manifest = read_manifest(folder)
    if manifest is None:
        raise OutputError(f"'{folder}' has no manifest.json; give a results folder of run/sweep")
    if not manifest.get("complete"):
        raise OutputError(
            f"the sweep in '{folder}' is not complete; run its command again to finish it"
        )
    return manifest


def changed_files(folder: Path, manifest: dict) -> list[str]:
    """Final files whose bytes no longer match the sha256 the sweep recorded."""
    recorded = manifest.get("files") or {}
    out = []
    for name in FINAL_FILES:
        path = folder / name
        if name not in recorded:
            out.append(f"{name}: no checksum in the manifest")
        elif not path.is_file():
            out.append(f"{name}: missing")
        elif sha256_file(path) != recorded[name]:
            out.append(f"{name}: changed since the sweep wrote it (sha256 differs)")
    return out


def compare_results(a: Path, b: Path) -> list[str]:
    """Differences between the result tables of two folders (empty: identical)."""
    differences = []
    for name in FINAL_FILES:
        try:
            left, right = read_frame(a / name), read_frame(b / name)
        except (OSError, ValueError) as exc:
            differences.append(f"{name}: unreadable ({exc.__class__.__name__})")
            continue
        try:
            pd.testing.assert_frame_equal(left, right, check_exact=True)
        except AssertionError as exc:
            lines = [line for line in str(exc).splitlines() if line.strip()]
            differences.append(f"{name}: " + "; ".join(lines[:3]))
    return differences


def cmd_rerun(args: argparse.Namespace) -> int:
    """Redo a sweep from its manifest in a fresh folder and compare the results.

    The stored files are first checked against their recorded sha256; then every run is
    recomputed (nothing is reused) and both tables compared exactly. Exit 1 on any difference.
    """
    src = Path(args.dir)
    manifest = complete_manifest(src)
    cfg = config_of_manifest(manifest, source=str(src / "manifest.json"))
    if args.out:
        out = Path(args.out)
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise OutputError(f"--out '{out}' must be a new or empty folder: rerun never reuses")
        check_folder(out, cfg.digest())
    else:
        out = Path(tempfile.mkdtemp(prefix="sciencecity-rerun-"))
    differences = changed_files(src, manifest)
    run_sweep(
        cfg,
        out,
        workers=args.workers,
        config_text=manifest.get("config_text"),
        progress=not args.quiet,
        oversubscribe=args.oversubscribe,
        max_runs=max(MAX_RUNS, int(manifest.get("runs", 0))),
    )
    differences += compare_results(src, out)
    new = read_manifest(out) or {}
    if manifest.get("code_version") != new.get("code_version"):
        print(
            f"code version differs: {manifest.get('code_version')} "
            f"({manifest.get('git_commit')}) → {new.get('code_version')} ({new.get('git_commit')})"
        )
    old_v, new_v = manifest.get("versions", {}), new.get("versions", {})
    changed = {k: (v, new_v.get(k)) for k, v in old_v.items() if new_v.get(k) != v}
    if changed:
        print(
            "package versions differ: " + ", ".join(f"{k} {a}→{b}" for k, (a, b) in changed.items())
        )
    if differences:
        print(f"results DIFFER (recomputed in {out}):\n  " + "\n  ".join(differences))
        return 1
    if not args.out:
        shutil.rmtree(out, ignore_errors=True)
    print(
        f"rerun identical: all {new.get('runs')} runs recomputed; runs.parquet and "
        "timeseries.parquet match the stored files, which match their recorded sha256"
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the report of a results folder (refused if its files fail their checksums)."""
    from experiments.report import write_report

    path = Path(args.dir)
    if not (path / "runs.parquet").is_file():
        raise ConfigError(f"'{path}' has no runs.parquet; give a results folder of run/sweep")
    manifest = read_manifest(path)
    if manifest is not None:
        manifest = complete_manifest(path)
        if manifest.get("files"):
            bad = changed_files(path, manifest)
            if bad:
                raise OutputError(f"'{path}': {bad[0]}; its results cannot be trusted")
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
