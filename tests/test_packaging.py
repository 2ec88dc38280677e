"""What ``pip install .`` installs: every folder of code, presets and configs (issue 15).

A folder left out of ``[tool.setuptools] packages`` works in a checkout and breaks an installed
``sciencecity`` at its first import (``ecosystem.chain`` once did).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
TOP = ("ecosystem", "agents", "experiments", "viz", "benchmarks")


def _folders_with(suffixes: tuple[str, ...]) -> set[str]:
    found = set()
    for top in TOP:
        for path in (ROOT / top).rglob("*"):
            if path.suffix in suffixes and "__pycache__" not in path.parts:
                found.add(".".join(path.parent.relative_to(ROOT).parts))
    return found


def test_every_folder_of_code_or_data_is_installed():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    missing = _folders_with((".py", ".toml")) - listed
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_every_data_folder_installs_its_files():
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    code = _folders_with((".py",))
    for folder in sorted(_folders_with((".toml",)) - code):
        assert "*.toml" in data.get(folder, []), f"{folder}: its .toml files are not installed"
