"""The layers of the code: agents and the core stand alone; analysis and page sit on top.

Each check runs in a fresh interpreter, because an import circle or a layer leak only shows
when a package is the first thing imported (as in a notebook that starts with the agents).
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

from tests._helpers import ROOT

PACKAGES = ("agents", "ecosystem", "ecosystem.params", "experiments", "viz")
CORE = ("agents", "ecosystem")


def _modules_after(statement: str) -> set[str]:
    """Names of the modules loaded by ``statement`` in a fresh interpreter."""
    code = f"{statement}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, f"{statement!r} failed in a fresh interpreter:\n{done.stderr}"
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_alone(package):
    assert package in _modules_after(f"import {package}")


def test_core_imports_neither_experiments_nor_viz():
    loaded = _modules_after("import agents, ecosystem\nfrom ecosystem import ScienceCityModel")
    assert "ecosystem.model" in loaded
    assert not {"experiments", "viz"} & _top(loaded)


def test_parameter_schema_does_not_load_the_model():
    loaded = _modules_after("import ecosystem.params")
    assert not {"ecosystem.model", "ecosystem.chain", "agents", "mesa"} & loaded


def _core_modules() -> list[str]:
    out = []
    for package in CORE:
        path = [str(ROOT / package)]
        out += [m.name for m in pkgutil.walk_packages(path, prefix=f"{package}.")]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("module", _core_modules())
def test_every_core_module_imports_first_without_a_circle(module):
    loaded = _modules_after(f"import {module}")
    assert not {"experiments", "viz"} & _top(loaded)
