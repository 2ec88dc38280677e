"""Strict validation of parameter trees: no coercions, no NaN or infinity, a region to run in.

Configs and presets are TOML; the model's parameter classes accept Python values leniently
(``"3"`` for an integer, ``true`` for a number, ``"yes"`` for a switch). Here the same classes
validate in pydantic's strict JSON mode, so a value of the wrong type is an error naming its key,
and a tree whose region has no institution is refused before any run starts (it would crash the
model half-way, after files are written).
"""

from __future__ import annotations

import json
import math
import tomllib
from typing import Any

from pydantic import BaseModel, ValidationError

from ecosystem.errors import ConfigError, describe_validation_error
from ecosystem.params import ModelParams

MAX_VALUE_CHARS = 80


def non_finite_keys(tree: Any, path: str = "") -> list[str]:
    """Dotted paths of every NaN or ±inf float in a nested tree."""
    if isinstance(tree, float):
        return [] if math.isfinite(tree) else [path or "value"]
    if isinstance(tree, dict):
        return [k for key, v in tree.items() for k in non_finite_keys(v, _join(path, str(key)))]
    if isinstance(tree, list | tuple):
        return [k for i, v in enumerate(tree) for k in non_finite_keys(v, _join(path, str(i)))]
    return []


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def reject_non_finite(tree: Any, where: str = "") -> None:
    """Raise ``ConfigError`` naming the first NaN or infinite value of ``tree``."""
    bad = non_finite_keys(tree, where)
    if bad:
        raise ConfigError(f"'{bad[0]}' is not a finite number; NaN and ±inf are not allowed")


def describe(err: ValidationError, model: type[BaseModel]) -> str:
    """Lines ``'key' = value: rule``, leaving out long values (whole sections)."""
    lines = []
    for item in err.errors():
        path = ".".join(str(p) for p in item["loc"]) or "value"
        value = item.get("input")
        shown = "" if len(repr(value)) > MAX_VALUE_CHARS else f" = {value!r}"
        msg = item["msg"].removeprefix("Value error, ")
        if item["type"] in ("extra_forbidden", "missing"):
            return describe_validation_error(err, model)
        lines.append(f"'{path}'{shown}: {msg}")
    return "; ".join(lines)


def strict_params(tree: dict[str, Any]) -> ModelParams:
    """Validate a full parameter tree strictly; raise ``ConfigError`` naming the key."""
    reject_non_finite(tree)
    try:
        text = json.dumps(tree, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"a value is not a number, string, list or table: {exc}") from None
    try:
        params = ModelParams.model_validate_json(text, strict=True)
    except ValidationError as exc:
        raise ConfigError(describe(exc, ModelParams)) from None
    if not params.region.institutions:
        raise ConfigError(
            "'region.institutions' is empty: a region needs at least one institution with "
            "PIs (pi_share values summing to 1)"
        )
    return params


def parse_toml_bytes(raw: bytes, what: str) -> dict[str, Any]:
    """Decode and parse TOML, with a one-line error for bad encoding or syntax."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} is not UTF-8 (byte {exc.start}); re-save as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} is not valid TOML: {exc}") from None
