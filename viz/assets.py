"""Install the JavaScript assets Solara needs so the visual model renders offline.

Solara's page loads its JavaScript and CSS through the server route ``/_solara/cdn/<path>``.
The server answers from a local folder first, ``<prefix>/share/solara/cdn/<path>``, and only
falls back to a public CDN when the file is absent, which fails on a machine without internet
and leaves the page blank. ``<path>`` starts with an npm package name and a version as the page
writes it (``requirejs@2.3.6/require.js``, ``vega@5/build/vega.min.js``), followed by a path inside
the package. So each asset folder is the content of the ``package/`` folder of the npm tarball,
unpacked under that exact name; for a version range (``vega@5``) the newest matching version is
unpacked under the range's name, as the CDN would serve it.

The packages and versions are read from the installed Solara's own sources (templates and Vue
components), so an upgrade of Solara asks for the versions it needs; the table below is the
fallback and documents what Solara 1.64 asks for.

Idempotent: an asset folder that holds a completed install (a marker file) is skipped.

Usage::

    python -m viz.assets            # install into sys.prefix (needs npm)
    python -m viz.assets --list     # print the assets and where they go
    python -m viz.assets --check    # exit 1 if any asset is missing

(``scripts/install_viz_assets.py`` in a checkout does the same; ``sciencecity viz`` installs
what is missing before it starts.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: Asset folder names (npm package ``@`` version or range, as the page requests them) and where
#: Solara 1.64 asks for them. Keys are package names; values are the fallback version.
FALLBACK_ASSETS: dict[str, str] = {
    # server/templates/solara.html.j2: main8.css, fonts.css, solara-vuetify-app8(.min).js
    "@widgetti/solara-vuetify-app": "10.1.1",
    # solara.html.j2 and the Vue widgets (require.js, require.min.js)
    "requirejs": "2.3.6",
    # server/settings.py: assets.fontawesome_path (CSS plus its fonts/)
    "font-awesome": "4.5.0",
    # widgets/vue/gridlayout.vue: Mesa's SolaraViz lays its components out with GridDraggable
    "@widgetti/vue-grid-layout": "2.3.13-alpha.2",
    # widgets/vue/vegalite.vue: solara.FigureAltair (the charts and Mesa's Altair components)
    "vega": "5",
    "vega-lite": "5",
    "vega-embed": "6",
    # components/markdown.py: every solara.Markdown loads mermaid and KaTeX on mount
    "mermaid": "10.8.0",
    "katex": "0.16.9",
}

MARKER = ".npm-pack-install.json"
_SOURCE_SUFFIXES = {".py", ".vue", ".j2", ".html", ".js"}


def default_target() -> Path:
    """Return the folder Solara reads local CDN assets from for this interpreter."""
    return Path(sys.prefix) / "share" / "solara" / "cdn"


def discover_assets() -> dict[str, str]:
    """Return {package: version} as the installed Solara's sources request them.

    Each package of :data:`FALLBACK_ASSETS` is looked up as ``/<package>@<version>/`` in Solara's
    files; a package that is not found keeps its fallback version. A package that Solara
    requests at several versions gets the last one found (in sorted file order).
    """
    try:
        import solara
    except ImportError:
        print("solara is not importable: using the fallback asset versions", file=sys.stderr)
        return dict(FALLBACK_ASSETS)
    root = Path(solara.__file__).parent
    found: dict[str, str] = {}
    patterns = {
        name: re.compile(r"/" + re.escape(name) + r"@([0-9][0-9A-Za-z.+-]*)/")
        for name in FALLBACK_ASSETS
    }
    for path in sorted(root.rglob("*")):
        if path.suffix not in _SOURCE_SUFFIXES or "website" in path.parts or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for name, pattern in patterns.items():
            match = pattern.search(text)
            if match:
                found[name] = match.group(1)
    return {name: found.get(name, fallback) for name, fallback in FALLBACK_ASSETS.items()}


def missing_assets(target: Path | None = None) -> list[str]:
    """Asset folders (``name@version``) the page needs that are not installed in ``target``."""
    target = target or default_target()
    return [
        f"{name}@{version}"
        for name, version in discover_assets().items()
        if not _is_installed(target / f"{name}@{version}")
    ]


def _is_installed(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def _npm_pack(spec: str, workdir: Path, npm: str) -> tuple[Path, dict]:
    """Download the tarball of ``spec`` into ``workdir``; return its path and npm's metadata."""
    cmd = [npm, "pack", spec, "--json", "--ignore-scripts", "--pack-destination", str(workdir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(cmd)}` failed (exit {proc.returncode}):\n{proc.stderr.strip()}"
        )
    # npm may print lifecycle noise before the JSON array: parse from the first '['
    out = proc.stdout
    meta = json.loads(out[out.index("[") :])[0]
    return workdir / meta["filename"], meta


def _unpack(tarball: Path, dest: Path) -> None:
    """Unpack the ``package/`` folder of an npm tarball into ``dest`` (which must not exist)."""
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=dest.parent))
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            tar.extractall(staging, filter="data")
        roots = [p for p in staging.iterdir() if p.is_dir()]
        if len(roots) != 1:
            raise RuntimeError(f"{tarball.name}: expected one top folder, found {roots}")
        os.replace(roots[0], dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def install(assets: dict[str, str], target: Path, npm: str) -> int:
    """Install every missing asset into ``target``; return the number installed."""
    target.mkdir(parents=True, exist_ok=True)
    installed = 0
    with tempfile.TemporaryDirectory(prefix="solara-assets-") as tmp:
        for name, version in assets.items():
            folder_name = f"{name}@{version}"
            folder = target / folder_name
            if _is_installed(folder):
                print(f"present   {folder_name}")
                continue
            tarball, meta = _npm_pack(folder_name, Path(tmp), npm)
            folder.parent.mkdir(parents=True, exist_ok=True)
            if folder.exists():  # a partial copy (e.g. files Solara's proxy cached): replace it
                shutil.rmtree(folder)
            _unpack(tarball, folder)
            (folder / MARKER).write_text(
                json.dumps(
                    {
                        "spec": folder_name,
                        "version": meta.get("version"),
                        "integrity": meta.get("integrity"),
                    },
                    indent=2,
                )
                + "\n",
                encoding="utf-8",
            )
            installed += 1
            print(f"installed {folder_name} (npm {meta.get('id', folder_name)}) -> {folder}")
    return installed


def main(argv: list[str] | None = None) -> int:
    """Command line: install, list or check the assets; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--target",
        type=Path,
        default=None,
        help="asset folder (default: <sys.prefix>/share/solara/cdn)",
    )
    parser.add_argument("--list", action="store_true", help="print the assets and exit")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if an asset is missing, install nothing"
    )
    args = parser.parse_args(argv)
    target = (args.target or default_target()).resolve()
    assets = discover_assets()

    if args.list or args.check:
        missing = 0
        for name, version in assets.items():
            ok = _is_installed(target / f"{name}@{version}")
            missing += not ok
            print(f"{'present' if ok else 'MISSING':9} {name}@{version}")
        print(f"asset folder: {target}")
        return 1 if (args.check and missing) else 0

    npm = shutil.which("npm")
    if npm is None:
        print(
            "error: npm not found on PATH. The offline Solara assets are npm packages; install "
            "Node.js and npm (Debian: `apt-get install -y npm`) and run this script again.",
            file=sys.stderr,
        )
        return 2
    print(f"Solara offline assets -> {target}")
    try:
        count = install(assets, target, npm)
    except (RuntimeError, OSError, ValueError, tarfile.TarError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"done: {count} installed, {len(assets) - count} already present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
