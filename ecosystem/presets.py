"""Region presets (data files) and the resolution of a run's parameters.

A preset is a TOML file in ``ecosystem/presets/`` holding any part of the parameter tree; the
run's overrides (dotted paths such as ``policies.pilot_insurance.premium_subsidy``) go on top.
Adding a region needs a file, not code (spec §3.8).
"""

from __future__ import annotations

import tomllib
from copy import deepcopy
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecosystem.errors import ConfigError, allowed_keys, describe_validation_error
from ecosystem.params import ModelParams

PRESET_DIR = Path(__file__).resolve().parent / "presets"


def available_presets() -> list[str]:
    """Names of the shipped region presets."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml"))


def load_preset(name_or_path: str) -> dict[str, Any]:
    """Read a preset by name (shipped) or by path to a TOML file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PRESET_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        raise ConfigError(
            f"preset '{name_or_path}' not found; shipped presets: {', '.join(available_presets())}"
            " (or give the path of a .toml preset file)"
        )
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"preset file {path} is not valid TOML: {exc}") from exc


def set_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``tree[a][b][c] = value`` for ``dotted = 'a.b.c'``, checking each key exists."""
    parts = dotted.split(".")
    node = tree
    for depth, part in enumerate(parts[:-1]):
        path = tuple(parts[: depth + 1])
        if part not in allowed_keys(ModelParams, path[:-1]):
            raise ConfigError(_unknown(dotted, path))
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"'{'.'.join(path)}' is a value, not a section (in '{dotted}')")
    if parts[-1] not in allowed_keys(ModelParams, tuple(parts[:-1])):
        raise ConfigError(_unknown(dotted, tuple(parts)))
    node[parts[-1]] = value


def has_dotted(tree: dict[str, Any], dotted: str) -> bool:
    """Whether ``tree`` sets the value at ``dotted = 'a.b.c'``."""
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _unknown(dotted: str, path: tuple[str, ...]) -> str:
    valid = allowed_keys(ModelParams, path[:-1])
    where = ".".join(path[:-1]) or "the top level"
    return f"unknown parameter '{dotted}': '{path[-1]}' is not a key of {where}; allowed: " + (
        ", ".join(valid)
    )


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge nested dict ``extra`` into a copy of ``base``."""
    out = deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = deepcopy(value)
    return out


def resolve_params(
    preset: str = "shenyang_hunnan",
    tree: dict[str, Any] | None = None,
    dotted: dict[str, Any] | None = None,
) -> ModelParams:
    """Build validated parameters: preset, then a nested ``tree``, then ``dotted`` overrides."""
    data = merge(load_preset(preset), tree or {})
    for key, value in (dotted or {}).items():
        set_dotted(data, key, value)
    try:
        return ModelParams.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, ModelParams)) from None
