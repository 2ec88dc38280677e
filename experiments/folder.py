"""A results folder belongs to one experiment and has one writer at a time.

``claim_folder`` checks, before anything is written, that the folder is new, empty or one of
ours (a readable manifest of the same config); then it takes an exclusive lock
(``fcntl.flock`` on ``DIR/.lock``) held for the whole sweep. A second writer is refused with the
holder's pid, host and start time. The lock is released by the kernel when the holder exits,
however it exits, so a killed sweep never leaves a stale lock. Stale temporary files of an
interrupted writer are removed once the lock is held.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ecosystem.errors import ConfigError

LOCK_NAME = ".lock"


class OutputError(ConfigError):
    """A results folder cannot be used or written; reported like bad input (exit 2)."""


#: What a folder of ours may hold before its manifest exists (an interrupted first start).
PRE_MANIFEST = {LOCK_NAME, "parts", "manifest.json.tmp"}


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, None if there is none; ``ConfigError`` if it is unreadable."""
    path = folder / "manifest.json"
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(
            f"'{path}' is unreadable ({exc.__class__.__name__}); this folder's "
            "results cannot be trusted — choose another --out or delete it"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("config_hash"), str):
        raise OutputError(
            f"'{path}' is not a sciencecity manifest (no config_hash); choose "
            "another --out or delete the folder"
        )
    return data


def check_folder(out: Path, config_hash: str) -> dict[str, Any] | None:
    """Refuse a folder that is not ours or holds another config; return its manifest, if any."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out '{out}' is a file, not a folder")
    if not out.exists():
        return None
    manifest = read_manifest(out)
    if manifest is None:
        foreign = sorted(p.name for p in out.iterdir() if p.name not in PRE_MANIFEST)
        parts = out / "parts"
        if parts.is_dir() and any(parts.iterdir()):
            foreign.append("parts/ (without a manifest)")
        if foreign:
            raise OutputError(
                f"--out '{out}' is not empty and has no manifest.json (holds "
                f"{', '.join(foreign[:3])}{' …' if len(foreign) > 3 else ''}); "
                "choose an empty or new folder"
            )
        return None
    if manifest["config_hash"] != config_hash:
        raise OutputError(
            f"output folder '{out}' holds results of another config (hash "
            f"{manifest['config_hash']}, this one {config_hash}); choose another --out"
        )
    return manifest


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text())
        return f"pid {info['pid']} on {info['host']} since {info['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` (created if needed); refuse if another writer has it."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write to results folder '{out}': {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"results folder '{out}' is in use by {_holder(out / LOCK_NAME)}; wait for it "
                "to finish or choose another --out"
            ) from None
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_stale_temporaries(out: Path) -> list[Path]:
    """Delete temporary files left by an interrupted writer (call with the lock held)."""
    stale = [p for p in out.glob("*.tmp") if p.is_file()]
    stale += [p for p in (out / "parts").glob("*.tmp-*") if p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale
