"""The manifest: everything needed to redo a sweep and to trust its files.

The config, the preset's contents (so ``rerun`` needs no preset file), seeds, the code version
(see ``experiments.provenance``), library versions, machine, and once the sweep is complete the
sha256 of each final file.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

from ecosystem.errors import ConfigError
from experiments import provenance
from experiments.config import ExperimentConfig, parse_config, preset_from_manifest
from experiments.posterior_draws import PosteriorDraws

PACKAGES = ("sciencecity", "mesa", "numpy", "pandas", "pyarrow", "pydantic", "SALib", "distributed")


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape results."""
    return provenance.installed_versions(PACKAGES)


def preset_record(cfg: ExperimentConfig) -> dict[str, Any]:
    """The preset as the manifest stores it: name, where it was read, hash and contents."""
    preset = cfg.preset_contents
    return {
        "name": preset.name,
        "source": preset.source,
        "hash": preset.digest,
        "contents": preset.tree,
    }


def sweep_provenance(cfg: ExperimentConfig) -> dict[str, str]:
    """What a part must share with the sweep to be reused: config, preset and code."""
    out = {
        "config_hash": cfg.digest(),
        "preset_hash": cfg.preset_contents.digest,
        "code_version": provenance.code_version(),
    }
    if cfg.posterior is not None:  # a changed posterior makes the folder stale, as a preset
        out["posterior_hash"] = cfg.posterior.sha256
    return out


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
        "preset": preset_record(cfg),
        "preset_hash": cfg.preset_contents.digest,
        "code_version": provenance.code_version(),
        "runs": len(specs),
        "points": len({s.point_id for s in specs}),
        "tasks": len(tasks),
        "seeds": {str(rep): seed for rep, seed in seeds},
        "versions": package_versions(),
        "git_commit": provenance.git_commit(),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "execution": {"workers": workers, "scheduler": scheduler},
        "complete": False,
        **_posterior_entries(cfg),
    }


def _posterior_entries(cfg: ExperimentConfig) -> dict[str, Any]:
    """The posterior's hash and drawn parameter sets, for a sweep that draws from one."""
    if cfg.posterior is None:
        return {}
    return {"posterior_hash": cfg.posterior.sha256, "posterior": cfg.posterior.record()}


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON to a temporary file, then rename it into place."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))  # keep key order: designs use it
    os.replace(tmp, path)


def config_of_manifest(manifest: dict[str, Any], source: str) -> ExperimentConfig:
    """The config of a manifest with its stored preset contents; ``ConfigError`` if unusable."""
    try:
        data = manifest["config"]
        record = manifest.get("preset")
        name = str(data.get("model", {}).get("preset", "shenyang_hunnan"))
    except (KeyError, TypeError, AttributeError):
        raise ConfigError(f"{source}: no valid 'config' section; not a results manifest") from None
    preset = preset_from_manifest(name, record) if isinstance(record, dict) else None
    drawn = manifest.get("posterior")
    posterior = PosteriorDraws.from_record(drawn) if isinstance(drawn, dict) else None
    return parse_config(data, source=source, preset=preset, posterior=posterior)
