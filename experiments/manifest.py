"""The manifest: everything needed to redo a sweep (config, seeds, versions, commit, machine)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from experiments.config import ExperimentConfig

PACKAGES = ("sciencecity", "mesa", "numpy", "pandas", "pyarrow", "pydantic", "SALib", "distributed")


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape results."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit() -> str | None:
    """The project's git commit (with '+dirty' if the tree has changes), if known."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (commit + ("+dirty" if dirty else "")) if commit else None


def build_manifest(
    cfg: ExperimentConfig, tasks: list, workers: int, scheduler: str | None, config_text: str | None
) -> dict[str, Any]:
    """The manifest written before a sweep starts (timings are added at the end)."""
    specs = [s for t in tasks for s in t.specs]
    seeds = sorted({(s.replication, s.seed) for s in specs})
    return {
        "experiment": cfg.experiment.name,
        "config": cfg.model_dump(mode="json"),
        "config_text": config_text,
        "config_hash": cfg.digest(),
        "runs": len(specs),
        "points": len({s.point_id for s in specs}),
        "tasks": len(tasks),
        "seeds": {str(rep): seed for rep, seed in seeds},
        "versions": package_versions(),
        "git_commit": git_commit(),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "execution": {"workers": workers, "scheduler": scheduler},
        "complete": False,
    }


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON to a temporary file, then rename it into place."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))  # keep key order: designs use it
    os.replace(tmp, path)
