"""The offline-asset installer (``viz.assets``, ``scripts/install_viz_assets.py``), ``viz.server``.

No network: npm is replaced by a function that writes a small tarball shaped like npm's.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installer():
    from viz import assets

    return assets


def test_checkout_script_runs_the_packaged_installer(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "install_viz_assets", ROOT / "scripts" / "install_viz_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check", "--target", str(tmp_path)]) == 1


def _fake_tarball(path: Path, files: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_discovered_versions_match_what_the_page_asks_for(installer):
    import solara

    template = (Path(solara.__file__).parent / "server/templates/solara.html.j2").read_text()
    assets = installer.discover_assets()
    version = re.search(r"solara-vuetify-app@([\d.]+)/", template).group(1)
    assert assets["@widgetti/solara-vuetify-app"] == version
    assert assets["requirejs"] in template
    assert set(assets) == set(installer.FALLBACK_ASSETS)
    assert assets["vega"] == "5" and assets["vega-embed"] == "6"


def test_install_unpacks_package_folder_and_is_idempotent(installer, tmp_path, monkeypatch, capsys):
    calls = []

    def fake_pack(spec, workdir, npm):
        calls.append(spec)
        tgz = workdir / "pkg.tgz"
        _fake_tarball(tgz, {"dist/main.js": "ok", "package.json": "{}"})
        return tgz, {"id": spec, "version": "9.9.9", "filename": tgz.name}

    monkeypatch.setattr(installer, "_npm_pack", fake_pack)
    assets = {"@scope/thing": "1.2.3", "plain": "5"}
    target = tmp_path / "cdn"
    assert installer.install(assets, target, "npm") == 2
    assert (target / "@scope/thing@1.2.3/dist/main.js").read_text() == "ok"
    assert (target / "plain@5/package.json").exists()
    marker = json.loads((target / "plain@5" / installer.MARKER).read_text())
    assert marker["version"] == "9.9.9"
    assert installer.install(assets, target, "npm") == 0  # second run: nothing to do
    assert calls == ["@scope/thing@1.2.3", "plain@5"]
    assert "present   plain@5" in capsys.readouterr().out


def test_partial_folder_is_replaced(installer, tmp_path, monkeypatch):
    def fake_pack(spec, workdir, npm):
        tgz = workdir / "pkg.tgz"
        _fake_tarball(tgz, {"require.js": "full"})
        return tgz, {"id": spec, "version": "2.3.6", "filename": tgz.name}

    monkeypatch.setattr(installer, "_npm_pack", fake_pack)
    stale = tmp_path / "requirejs@2.3.6"
    stale.mkdir()
    (stale / "half.js").write_text("x")
    installer.install({"requirejs": "2.3.6"}, tmp_path, "npm")
    assert not (stale / "half.js").exists()
    assert (stale / "require.js").read_text() == "full"


def test_missing_npm_fails_clearly(installer, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(installer.shutil, "which", lambda name: None)
    assert installer.main(["--target", str(tmp_path)]) == 2
    assert "npm not found" in capsys.readouterr().err


def test_check_reports_missing_assets(installer, tmp_path, capsys):
    assert installer.main(["--check", "--target", str(tmp_path)]) == 1
    assert "MISSING" in capsys.readouterr().out


def test_server_command_and_asset_check(tmp_path):
    from viz.server import APP, missing_assets, solara_command, solara_env

    cmd = solara_command("127.0.0.1", 8765)
    assert cmd[:4] == [sys.executable, "-m", "solara", "run"]
    assert str(APP) in cmd and "--production" in cmd
    assert cmd[cmd.index("--port") + 1] == "8765"
    assert solara_env()["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] in ("False", "false", "0")
    assert missing_assets(tmp_path)  # an empty folder lacks everything
