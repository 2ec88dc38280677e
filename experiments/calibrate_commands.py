"""The calibration subcommands (argument parsing is in ``experiments.cli``).

``calibrate``, ``validate --posterior`` and ``reproduce calibration``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ecosystem.errors import ConfigError
from experiments.calibrate_config import is_calibration_file, load_calibration

CONFIG_DIR = Path(__file__).resolve().parent / "configs"


def shipped_calibrations() -> dict[str, Path]:
    """The calibration configs shipped under ``experiments/configs``."""
    return {p.stem: p for p in sorted(CONFIG_DIR.glob("*.toml")) if is_calibration_file(p)}


def calibrate(
    config: str | Path,
    out: str | Path | None,
    workers: int,
    scheduler: str | None,
    progress: bool = True,
) -> Path:
    """Run (or resume) a calibration, then its predictive checks and figures; return the folder."""
    from experiments.calibrate_runner import run_calibration

    path = Path(config)
    cfg = load_calibration(path)
    folder = Path(out or Path("runs") / cfg.calibration.name)
    run_calibration(
        cfg,
        folder,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
        config_text=path.read_text(),
    )
    print(check_posterior(folder, None, workers, scheduler, figures=True))
    return folder


def check_posterior(
    folder: str | Path,
    draws: int | None,
    workers: int,
    scheduler: str | None,
    figures: bool = False,
) -> str:
    """Posterior predictive draws, the three tables (written to tables.md) and figures."""
    from experiments.calibrate_posterior import read_posterior
    from experiments.calibrate_predictive import run_predictive, write_predictive

    post = read_posterior(folder)
    folder = Path(folder)
    folder = folder.parent if folder.suffix == ".parquet" else folder
    pred = run_predictive(
        post, draws or post.config.calibration.predictive_draws, workers, scheduler
    )
    text = write_predictive(folder, post, pred)
    if figures:
        from experiments.calibrate_figures import write_figures

        paths = write_figures(post, pred, folder)
        text += f"\n\nwrote {folder}/tables.md, predictive.parquet and {len(paths)} figure files"
    return text


def cmd_calibrate(args: argparse.Namespace) -> int:
    """``sciencecity calibrate CONFIG``."""
    calibrate(args.config, args.out, args.workers, args.scheduler, progress=not args.quiet)
    return 0


def validate_posterior(args: argparse.Namespace) -> int:
    """``sciencecity validate --posterior PATH``: the tables on the posterior predictive."""
    print(check_posterior(args.posterior, args.draws, args.workers, args.scheduler))
    return 0


def reproduce(args: argparse.Namespace, path: Path) -> int:
    """``sciencecity reproduce <calibration>``: run the shipped calibration to the end."""
    if getattr(args, "replications", None):
        raise ConfigError(
            f"--replications = {args.replications}: does not apply to the calibration "
            f"'{path.stem}'; set [calibration] replications in a copy of {path}"
        )
    calibrate(path, args.out, args.workers, args.scheduler)
    return 0
