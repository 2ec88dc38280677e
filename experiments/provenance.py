"""Where results come from: the code version and file checksums.

The code version is a hash of the source files that compute a run (the model packages and the
experiment modules that turn a config into runs) together with the versions of the libraries
that shape the numbers. It is computed from the files themselves, so it is the same for a git
checkout and for an installed wheel (which has no ``.git``), and it changes with any edit —
committed or not. The git commit, when there is one, is recorded beside it for people.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Source that decides what a run computes (presets are hashed separately, per config).
CODE_PACKAGES = ("ecosystem", "agents")
CODE_MODULES = (
    "experiments/config.py",
    "experiments/design.py",
    "experiments/preset_files.py",
    "experiments/runner.py",
    "experiments/seeds.py",
    "experiments/strict.py",
)
#: Libraries whose version can change the numbers (random streams, samplers, arithmetic).
RESULT_LIBRARIES = ("mesa", "numpy", "scipy", "pandas", "SALib", "pydantic")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def source_files() -> list[Path]:
    """The files hashed into the code version, in a fixed order."""
    files = [p for pkg in CODE_PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    files += [ROOT / m for m in CODE_MODULES]
    return sorted(files)


def installed_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Python and the named distributions, as installed ("not installed" if absent)."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def library_versions() -> dict[str, str]:
    """Python and the result-shaping libraries, as installed."""
    return installed_versions(RESULT_LIBRARIES)


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the result-computing source and library versions (16 hex digits)."""
    digest = hashlib.sha256()
    for path in source_files():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for name, version in sorted(library_versions().items()):
        digest.update(f"{name}={version}\n".encode())
    return digest.hexdigest()[:16]


def git_commit() -> str | None:
    """The project's git commit (with '+dirty' if the tree has changes), if known."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (commit + ("+dirty" if dirty else "")) if commit else None
