"""The model core: the Mesa model, space, chain, policies, metrics and presets.

The package's top-level names are loaded on first use (PEP 562), so importing a part of the
core — the parameter schema, the accounts, the vocabulary — does not load the model, and
``agents`` can use the core's small modules without an import circle.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "ConfigError": "ecosystem.errors",
    "ModelParams": "ecosystem.params",
    "POLICY_NAMES": "ecosystem.policies",
    "SCENARIOS": "ecosystem.policies",
    "ScienceCityModel": "ecosystem.model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ecosystem' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
