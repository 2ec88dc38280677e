"""The ``sciencecity`` command line.

Subcommands: ``run`` (a scenario or config, replications in this process or a pool),
``validate`` (the calibration table of spec §7, or the calibration and validation tables of a
posterior), ``calibrate`` (ABC-SMC over a calibration config), ``sweep`` (resumable sweeps,
local or Dask),
``report`` (tables and figures of a results folder), ``reproduce`` (a shipped experiment),
``rerun`` (redo a sweep from its manifest and compare), ``discover`` (PRIM/CART scenario
discovery on a finished sweep), ``bench`` and ``viz``; ``--version``.
Bad input — and a results folder that cannot be used or written — exits with status 2 and a
one-line message naming the key or the path, before any work starts.
"""

from __future__ import annotations

import argparse
import os
import sys

from ecosystem.errors import ConfigError


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seed {text!r} is not an integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"seed {value} must be >= 0")
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sciencecity")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _add_safety_flags(parser: argparse.ArgumentParser, stale: bool = True) -> None:
    """Flags that lift a refusal on purpose (the defaults keep results trustworthy)."""
    parser.add_argument(
        "--max-runs",
        type=_positive_int,
        default=None,
        help="refuse designs of more runs (points × replications) than this (default 200000)",
    )
    parser.add_argument(
        "--oversubscribe",
        action="store_true",
        help="allow more --workers than this machine has CPUs",
    )
    if stale:
        parser.add_argument(
            "--redo-stale",
            action="store_true",
            help="if the folder's results come from another code version or preset contents, "
            "recompute them (default: refuse)",
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="sciencecity",
        description="Agent-based model of a biomedical technology-transfer ecosystem.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a scenario or a config (default: status quo)")
    run.add_argument(
        "config",
        nargs="?",
        default="status_quo",
        help="scenario name (status_quo, full_chain, a policy) or config .toml",
    )
    run.add_argument("--out", default=None, help="results folder (default runs/<name>)")
    run.add_argument("--seed", type=_seed, default=None, help="seed of the first replication")
    run.add_argument("--replications", type=_positive_int, default=None)
    run.add_argument("--workers", type=_positive_int, default=1)
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_safety_flags(run)

    val = sub.add_parser("validate", help="check the stylised facts over several seeds")
    val.add_argument("--seeds", type=_positive_int, default=20)
    val.add_argument("--base-seed", type=_seed, default=2025)
    val.add_argument("--workers", type=_positive_int, default=os.cpu_count() or 1)
    val.add_argument("--out", default=None, help="also keep the runs in this folder")
    val.add_argument(
        "--preset",
        default=None,
        help="region preset (shipped name or .toml path; default shenyang_hunnan): its gate "
        "table and level targets (ODD §1.3)",
    )
    val.add_argument(
        "--posterior",
        default=None,
        help="a calibration folder: print calibration and validation tables on its posterior",
    )
    val.add_argument("--draws", type=_positive_int, default=None, help="posterior predictive draws")
    val.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")

    cal = sub.add_parser("calibrate", help="ABC-SMC calibration of a calibration config")
    cal.add_argument("config", help="calibration config .toml (with [calibration])")
    cal.add_argument("--out", default=None, help="results folder (default runs/<name>)")
    cal.add_argument("--workers", type=_positive_int, default=os.cpu_count() or 1)
    cal.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")
    cal.add_argument("--quiet", action="store_true", help="no per-generation progress")

    sw = sub.add_parser("sweep", help="run a sweep config (resumable)")
    sw.add_argument("config", help="config .toml with [sweep]")
    sw.add_argument("--out", required=True, help="results folder")
    sw.add_argument("--workers", type=_positive_int, default=os.cpu_count() or 1)
    sw.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")
    sw.add_argument("--quiet", action="store_true")
    _add_safety_flags(sw)

    rep = sub.add_parser("report", help="tables and figures of a results folder")
    rep.add_argument("dir", help="results folder of run/sweep")

    repro = sub.add_parser("reproduce", help="run a shipped experiment and write its report")
    repro.add_argument("name", nargs="?", help="experiment name (omit to list them)")
    repro.add_argument("--out", default=None)
    repro.add_argument("--workers", type=_positive_int, default=os.cpu_count() or 1)
    repro.add_argument("--scheduler", default=None)
    repro.add_argument(
        "--replications",
        type=_positive_int,
        default=None,
        help="override the replications (a quicker, smaller reproduction)",
    )
    _add_safety_flags(repro)

    rerun = sub.add_parser("rerun", help="recompute a sweep from its manifest and compare")
    rerun.add_argument("dir")
    rerun.add_argument("--workers", type=_positive_int, default=os.cpu_count() or 1)
    rerun.add_argument(
        "--out", default=None, help="new folder for the recomputed results (default: temporary)"
    )
    rerun.add_argument("--quiet", action="store_true")
    rerun.add_argument("--oversubscribe", action="store_true", help="allow workers > CPUs")

    disc = sub.add_parser("discover", help="which lever ranges reach a target (PRIM, CART)")
    disc.add_argument("dir", help="results folder of a sweep of numeric parameters")
    disc.add_argument("--target", required=True,
                      help="condition 'OUTCOME OP NUMBER', e.g. 'transfers_per_year >= 0.15'")
    disc.add_argument("--and", dest="also", action="append", default=[],
                      help="a further condition, e.g. 'public_spend_per_transfer <= 800'")
    disc.add_argument("--threshold", type=float, default=0.8,
                      help="least density of the chosen box (default 0.8)")

    bench = sub.add_parser("bench", help="measure speed and scaling; writes bench.json")
    bench.add_argument("--quick", action="store_true")
    bench.add_argument("--out", default="bench.json")

    viz = sub.add_parser("viz", help="serve the visual model")
    viz.add_argument("--host", default="127.0.0.1", help="address to bind (default: localhost)")
    viz.add_argument("--port", type=int, default=8765)
    viz.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than localhost (the page has no login)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"sciencecity: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file the user named cannot be read or written
        where = f" '{exc.filename}'" if exc.filename else ""
        print(f"sciencecity: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "sciencecity: interrupted; finished runs are kept — run the same command again "
            "to finish",
            file=sys.stderr,
        )
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from experiments import commands

    handler = getattr(commands, f"cmd_{args.command}")
    return int(handler(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
