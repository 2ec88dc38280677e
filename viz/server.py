"""Serve the classroom page: ``serve()`` runs ``solara run viz/app.py`` (used by the CLI).

Safe by default, and never a blank page:

* It binds to localhost; any other address needs ``allow_remote`` (``--allow-remote``) and
  prints a warning, since the page has no login.
* A taken port is an error before anything starts.
* The page loads its JavaScript from this environment's local copy of the assets
  (``<sys.prefix>/share/solara/cdn``, :mod:`viz.assets`), so it works without internet. Missing
  assets are installed first (with npm); if that cannot be done the command stops with one line
  saying what to run.
* Solara runs in production mode (no reloader, no online check), telemetry off, and releases
  the session of a browser that went away after :data:`CULL_TIMEOUT` (Solara's default keeps it
  24 hours) with at most :data:`MAX_SESSIONS` sessions at once; a session holds one lesson
  (two worlds), measured in ``tests/test_viz_server.py``.
* The server runs in its own process group; Ctrl+C or SIGTERM stops the whole group.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from viz import assets

APP = Path(__file__).resolve().parent / "app.py"
ASSET_DIR = Path(sys.prefix) / "share" / "solara" / "cdn"
CULL_TIMEOUT = "2m"
MAX_SESSIONS = 30
STOP_GRACE_S = 10.0


class ServeError(Exception):
    """A reason not to start the server, as one line for the user."""


def missing_assets(asset_dir: Path = ASSET_DIR) -> list[str]:
    """Names of the offline asset folders Solara's page needs that are not installed."""
    return assets.missing_assets(asset_dir)


def solara_command(host: str, port: int, app: Path = APP) -> list[str]:
    """The ``solara run`` command line for the page."""
    return [
        sys.executable, "-m", "solara", "run", str(app),
        "--host", host, "--port", str(port), "--production", "--no-open",
    ]  # fmt: skip


def solara_env() -> dict[str, str]:
    """Environment for the server: telemetry off, sessions culled, no banner, root importable."""
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", CULL_TIMEOUT)
    env.setdefault("SOLARA_KERNEL_MAX_COUNT", str(MAX_SESSIONS))
    # Solara's "This website runs on Solara" banner sits over the page's bottom-right corner,
    # where a projector's 768 px put the last chart's export buttons: it is switched off
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    root = str(APP.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (localhost, 127.x, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> str | None:
    """Refuse a non-local address without ``allow_remote``; return the warning to print."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise ServeError(
            f"--host {host} would expose the page (no login) to other machines; "
            "pass --allow-remote as well to do so, or use --host 127.0.0.1"
        )
    return (
        f"warning: the page is open to every machine that reaches {host}; it has no login "
        "and each visitor runs models on this machine"
    )


def check_port(host: str, port: int) -> None:
    """Raise :class:`ServeError` if ``port`` cannot be bound on ``host``."""
    if not 1 <= port <= 65535:
        raise ServeError(f"--port {port}: must be between 1 and 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # as the server will: a port left in TIME_WAIT by a stopped server is free, a port
        # that something listens on is not
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise ServeError(
                f"port {port} on {host} is taken or not available ({exc.strerror}); "
                "stop the other server or choose another with --port"
            ) from None


def ensure_assets(asset_dir: Path = ASSET_DIR, npm: str | None = None) -> None:
    """Install missing offline assets with npm, or raise :class:`ServeError` saying what to run."""
    missing = missing_assets(asset_dir)
    if not missing:
        return
    npm = npm or shutil.which("npm")
    if npm is None:
        raise ServeError(
            f"the page's offline scripts are missing ({len(missing)} packages in {asset_dir}) "
            "and npm is not installed to fetch them; install npm (Debian: apt-get install npm), "
            "then run: python -m viz.assets"
        )
    print(f"installing the page's offline scripts into {asset_dir} …", flush=True)
    try:
        assets.install(assets.discover_assets(), asset_dir, npm)
    except (RuntimeError, OSError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ServeError(
            f"could not install the page's offline scripts ({first}); "
            "run `python -m viz.assets` on a machine with internet access"
        ) from None
    still = missing_assets(asset_dir)
    if still:
        raise ServeError(f"offline scripts still missing after install: {', '.join(still)}")


def stop_group(proc: subprocess.Popen, grace_s: float = STOP_GRACE_S) -> int:
    """Stop ``proc`` and every process of its group: SIGTERM, then SIGKILL after ``grace_s``."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # anything the server left behind in its group
    return proc.returncode


def run_until_stopped(cmd: list[str], env: dict[str, str]) -> int:
    """Run ``cmd`` in its own process group until it ends, Ctrl+C or SIGTERM; stop the group."""
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous: Callable | int | None = signal.signal(signal.SIGTERM, on_term)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        stop_group(proc)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            stop_group(proc)


def serve(host: str = "127.0.0.1", port: int = 8765, allow_remote: bool = False) -> int:
    """Run the page at ``http://host:port/`` until interrupted; return the exit code.

    Exit 2 with one line on stderr when it cannot start (address, port, assets).
    """
    try:
        warning = check_host(host, allow_remote)
        check_port(host, port)
        ensure_assets()
    except ServeError as exc:
        print(f"sciencecity viz: error: {exc}", file=sys.stderr)
        return 2
    if warning:
        print(warning, file=sys.stderr)
    print(f"Science City page: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    return run_until_stopped(solara_command(host, port), solara_env())
