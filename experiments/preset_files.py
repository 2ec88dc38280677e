"""Region presets as experiments use them: found, read once, validated, hashed and carried.

A config names a preset (``shenyang_hunnan``) or gives the path of a preset file, relative to
the config file. Its contents are read once when the config is loaded, validated as strictly as
the config (see ``experiments.strict``), hashed and then carried with the config: workers, the
manifest and ``rerun`` use these contents, never the file again, so editing the file between a
run and its resume is seen (another hash) and a rerun elsewhere does not need the file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecosystem.errors import ConfigError
from ecosystem.presets import PRESET_DIR, available_presets
from experiments.strict import parse_toml_bytes, strict_params

DEFAULT_PRESET = "shenyang_hunnan"


@dataclass(frozen=True)
class Preset:
    """A preset's name as written, where it was read from, and its contents."""

    name: str
    source: str
    tree: dict[str, Any] = field(hash=False)

    @property
    def digest(self) -> str:
        """Hash of the contents (not of the formatting: comments do not count)."""
        return tree_digest(self.tree)


def tree_digest(tree: dict[str, Any]) -> str:
    """Stable hash of a JSON-able tree."""
    text = json.dumps(tree, sort_keys=True, allow_nan=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def preset_path(name: str, base_dir: Path | None) -> Path:
    """The file of a shipped preset name, or a path taken relative to the config's folder."""
    if not Path(name).suffix and "/" not in name:
        return PRESET_DIR / f"{name}.toml"
    path = Path(name).expanduser()
    return path if path.is_absolute() or base_dir is None else base_dir / path


def read_preset(name: str, base_dir: Path | None = None) -> Preset:
    """Read and validate a preset; raise ``ConfigError`` naming the file and the key."""
    path = preset_path(name, base_dir)
    if not path.is_file():
        raise ConfigError(
            f"'model.preset' = {name!r}: file {path} not found; shipped presets: "
            f"{', '.join(available_presets())} (or give the path of a .toml preset file, "
            "relative to the config file)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"preset file {path} cannot be read: {exc.strerror}") from None
    tree = parse_toml_bytes(raw, f"preset file {path}")
    return checked_preset(name, str(path), tree)


def checked_preset(name: str, source: str, tree: dict[str, Any]) -> Preset:
    """A preset whose contents validate strictly on their own (model defaults elsewhere)."""
    try:
        strict_params(tree)
    except ConfigError as exc:
        raise ConfigError(f"preset {source}: {exc}") from None
    return Preset(name, source, tree)
