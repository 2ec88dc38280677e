"""``sciencecity viz`` safe by default: address, port, assets, sessions, stopping (issue 14, 4)."""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from pathlib import Path

import pytest

from viz import server
from viz.lesson import Lesson
from viz.server import ServeError, check_host, check_port, ensure_assets, is_loopback

SCIENCECITY = Path(sys.executable).parent / "sciencecity"


def _listening() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_only_localhost_without_a_flag():
    for host in ("127.0.0.1", "localhost", "::1", "127.0.1.1"):
        assert is_loopback(host) and check_host(host, allow_remote=False) is None
    with pytest.raises(ServeError, match="--allow-remote"):
        check_host("0.0.0.0", allow_remote=False)
    warning = check_host("0.0.0.0", allow_remote=True)
    assert warning and "no login" in warning


def test_a_taken_port_is_an_error():
    with _listening() as sock:
        port = sock.getsockname()[1]
        with pytest.raises(ServeError, match=f"port {port} .* taken"):
            check_port("127.0.0.1", port)
    check_port("127.0.0.1", _free_port())  # free: no error


def test_missing_assets_without_npm_stop_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(server.shutil, "which", lambda name: None)
    with pytest.raises(ServeError) as err:
        ensure_assets(tmp_path)
    message = str(err.value)
    assert "\n" not in message and "python -m viz.assets" in message


def test_sessions_of_vanished_browsers_are_culled_and_counted():
    env = server.solara_env()
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == server.CULL_TIMEOUT == "2m"
    assert int(env["SOLARA_KERNEL_MAX_COUNT"]) == server.MAX_SESSIONS


@pytest.mark.parametrize(("scale", "bound_mb"), [(1.0, 30), (2.0, 60)])
def test_memory_of_one_session_is_bounded(scale, bound_mb):
    """One session holds one lesson (two worlds); measured at its end, its largest."""
    Lesson(seed=1, scale=0.25, spinup_months=12, lesson_months=1)  # imports and caches
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        lesson = Lesson(seed=42, scale=scale)
        while lesson.running:
            lesson.step()
        gc.collect()
        used_mb = (tracemalloc.get_traced_memory()[0] - base) / 1e6
    finally:
        tracemalloc.stop()
    print(f"one session at scale {scale}: {used_mb:.1f} MB after the whole lesson")
    assert used_mb < bound_mb


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCIENCECITY), "viz", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_refuses_a_taken_port_and_a_remote_host_with_exit_2():
    with _listening() as sock:
        port = sock.getsockname()[1]
        taken = _run_cli("--port", str(port))
    assert taken.returncode == 2
    assert len(taken.stderr.strip().splitlines()) == 1 and "taken" in taken.stderr
    remote = _run_cli("--host", "0.0.0.0", "--port", str(_free_port()))
    assert remote.returncode == 2 and "--allow-remote" in remote.stderr


def _children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return {int(p) for p in out.stdout.split()}


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_every_process_the_command_started(sig):
    port = _free_port()
    proc = subprocess.Popen(
        [str(SCIENCECITY), "viz", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # as from a terminal: a suite started in the background (`cmd &` without job control)
        # passes SIGINT on as ignored, and a process that starts with SIGINT ignored never
        # sees Ctrl+C (Python then installs no KeyboardInterrupt handler)
        preexec_fn=_default_sigint,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
        children = _children(proc.pid)
        assert children, "the server runs as a child process"
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 0
        for pid in children:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        check_port("127.0.0.1", port)  # the port is free again: a restart works
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
