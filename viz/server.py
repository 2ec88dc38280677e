"""Serve the classroom page: ``serve()`` runs ``solara run viz/app.py`` (used by the CLI).

The page loads its JavaScript from this environment's local copy of the assets
(``<sys.prefix>/share/solara/cdn``, filled by ``scripts/install_viz_assets.py``), so it works
without internet. ``serve`` warns when that copy is missing, runs Solara in production mode
(no reloader, no online check) and switches Solara's usage telemetry off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
ASSET_DIR = Path(sys.prefix) / "share" / "solara" / "cdn"
_MARKER = ".npm-pack-install.json"


def missing_assets(asset_dir: Path = ASSET_DIR) -> list[str]:
    """Names of the offline asset folders Solara's page needs that are not installed."""
    needed = ["@widgetti/solara-vuetify-app@*", "requirejs@*", "font-awesome@*", "vega@*"]
    return [pattern for pattern in needed if not list(asset_dir.glob(f"{pattern}/{_MARKER}"))]


def solara_command(host: str, port: int, app: Path = APP) -> list[str]:
    """The ``solara run`` command line for the page."""
    return [
        sys.executable, "-m", "solara", "run", str(app),
        "--host", host, "--port", str(port), "--production", "--no-open",
    ]  # fmt: skip


def solara_env() -> dict[str, str]:
    """Environment for the server: telemetry off, project root importable."""
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    root = str(APP.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def serve(host: str = "127.0.0.1", port: int = 8765) -> int:
    """Run the page at ``http://host:port/`` until interrupted; return the exit code."""
    missing = missing_assets()
    if missing:
        print(
            "warning: Solara's offline assets are missing "
            f"({', '.join(missing)} in {ASSET_DIR}); without internet the page stays blank. "
            "Install them with: python scripts/install_viz_assets.py",
            file=sys.stderr,
        )
    print(f"Science City page: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        return subprocess.call(solara_command(host, port), env=solara_env())
    except KeyboardInterrupt:
        return 0
