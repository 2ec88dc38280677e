"""The documentation matches the code.

* ``docs/parameters.md`` is what ``scripts/parameter_table.py`` generates now (check mode);
* every dotted parameter path written in backticks in ``docs/ODD.md`` (```pilot.cost_mrmb```,
  ```policies.pilot_insurance.premium_subsidy```), alone or inside a formula, exists in the
  parameter tree, and no code span is broken across lines (the checks read spans line by line);
* the ODD's Policies section has one subsection per policy, named in backticks, and every
  ```policies.<name>``` it mentions is a policy;
* every other backticked snake_case name (exit causes, phases, summary fields…) and every
  ```Class.attribute``` and every ```submodel.function``` (``poc.advance``) still exists in the
  code, every backticked file path exists, and every
  link to a heading of ODD.md, parameters.md or the README resolves.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import re
import subprocess
import sys
import tokenize
from functools import cache
from pathlib import Path

import pytest

from ecosystem.chain import SUBMODELS
from ecosystem.errors import allowed_keys
from ecosystem.params import ModelParams
from ecosystem.policies import POLICY_NAMES, SCENARIOS
from ecosystem.presets import available_presets

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ODD = DOCS / "ODD.md"
PARAMETERS = DOCS / "parameters.md"
SCRIPT = ROOT / "scripts" / "parameter_table.py"

BACKTICKED = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+")
#: A dotted name inside a longer code span (a formula), not part of a file path or a call.
DOTTED_INSIDE = re.compile(r"(?<![\w./])[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+(?![\w(/])")
SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
CLASS_ATTR = re.compile(r"([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)")
FILE_PATH = re.compile(r"[\w.-]+(?:/[\w.*<>-]+)+/?")
LINK = re.compile(r"\]\(([^)\s]+)\)")
#: First segments of backticked dotted names that are code, not parameters.
CODE_ROOTS = frozenset({"ecosystem", "agents", "experiments", "viz", "scripts", "tests", "mesa"})
FILE_SUFFIXES = (".py", ".toml", ".md", ".json", ".parquet", ".txt", ".png")
#: Short module names the ODD uses for code (``poc.advance``): the chain's submodels, funding.
CODE_MODULES = {
    **{name: f"ecosystem.chain.{name}" for name in ("core", *SUBMODELS)},
    "funding": "ecosystem.funding",
}


def code_name_exists(name: str) -> bool:
    """Whether ``module.attribute`` names something in one of ``CODE_MODULES``."""
    module, _, attribute = name.partition(".")
    return hasattr(importlib.import_module(CODE_MODULES[module]), attribute)


def odd_text() -> str:
    assert ODD.is_file(), "docs/ODD.md is missing"
    return ODD.read_text(encoding="utf-8")


def backticked(text: str) -> list[str]:
    return [m.group(1).strip() for m in BACKTICKED.finditer(text)]


def is_parameter_path(dotted: str) -> bool:
    """Whether ``a.b.c`` names a key of the parameter tree (``ecosystem.errors.allowed_keys``)."""
    parts = dotted.split(".")
    return all(part in allowed_keys(ModelParams, tuple(parts[:i])) for i, part in enumerate(parts))


def _section(text: str, title: str) -> str:
    """The body of the level-2 section whose heading contains ``title``."""
    match = re.search(rf"^## [^\n]*{re.escape(title)}[^\n]*$", text, re.MULTILINE)
    assert match, f"no '## … {title}' section in ODD.md"
    rest = text[match.end() :]
    end = re.search(r"^## ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    heads = re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)
    seen: dict[str, int] = {}
    out = set()
    for h in heads:
        s = slug(h)
        out.add(s if s not in seen else f"{s}-{seen[s]}")
        seen[s] = seen.get(s, 0) + 1
    return out


@cache
def code_names() -> frozenset[str]:
    """Every identifier and every identifier-like string literal in the model's code."""
    names: set[str] = set(available_presets()) | set(SCENARIOS)
    for folder in ("ecosystem", "agents"):
        for path in (ROOT / folder).rglob("*.py"):
            src = path.read_text(encoding="utf-8")
            for tok in tokenize.generate_tokens(io.StringIO(src).readline):
                if tok.type == tokenize.NAME:
                    names.add(tok.string)
                elif tok.type == tokenize.STRING:
                    names.update(re.findall(r"[A-Za-z_]\w*", tok.string))
    return frozenset(names)


@cache
def code_classes() -> dict[str, type]:
    """Classes defined in the ``ecosystem`` and ``agents`` packages, by name."""
    out: dict[str, type] = {}
    for pkg_name in ("ecosystem", "agents"):
        pkg = importlib.import_module(pkg_name)
        mods = [pkg] + [
            importlib.import_module(m.name)
            for m in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg_name}.")
        ]
        for mod in mods:
            for name, obj in inspect.getmembers(mod, inspect.isclass):
                if obj.__module__.startswith(("ecosystem", "agents")):
                    out[name] = obj
    return out


def has_attribute(cls: type, attr: str) -> bool:
    if hasattr(cls, attr):
        return True
    fields = getattr(cls, "model_fields", None) or getattr(cls, "__dataclass_fields__", {})
    return attr in fields


# --- parameters.md ---------------------------------------------------------------------------
def test_parameter_table_is_up_to_date():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        "docs/parameters.md is out of date; run `.venv/bin/python scripts/parameter_table.py`\n"
        + result.stdout
        + result.stderr
    )


def test_parameter_table_check_detects_a_stale_file(tmp_path):
    stale = tmp_path / "parameters.md"
    stale.write_text(PARAMETERS.read_text(encoding="utf-8").replace("| 180 |", "| 181 |"))
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--output", str(stale)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1


def test_parameter_table_lists_every_parameter():
    text = PARAMETERS.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", text, re.MULTILINE))
    assert listed, "no parameter rows found"
    for path in listed:
        assert is_parameter_path(path), f"parameters.md lists unknown parameter '{path}'"
    for name in POLICY_NAMES:
        block = getattr(ModelParams().policies, name)
        for field in type(block).model_fields:
            assert f"policies.{name}.{field}" in listed, f"policies.{name}.{field} missing"
    for section, field in (("pilot", "cost_mrmb"), ("space", "cell_km"), ("region", "park")):
        assert any(p.startswith(f"{section}.{field}") for p in listed)


# --- ODD.md ----------------------------------------------------------------------------------
def test_odd_has_the_protocol_sections():
    text = odd_text()
    for title in (
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialisation",
        "Input data",
        "Submodels",
        "Policies",
    ):
        assert re.search(rf"^## .*{re.escape(title)}", text, re.MULTILINE), title


def test_odd_parameter_paths_exist():
    bad = []
    for token in backticked(odd_text()):
        names = [token] if DOTTED.fullmatch(token) else DOTTED_INSIDE.findall(token)
        for name in names:
            if name.endswith(FILE_SUFFIXES):
                continue
            root = name.split(".")[0]
            if root in CODE_ROOTS:
                continue
            if root in CODE_MODULES and code_name_exists(name):
                continue  # code of a submodel (``poc.advance``), not a parameter
            if DOTTED.fullmatch(token) and root not in ModelParams.model_fields:
                bad.append(name)  # a lone dotted name must be a parameter or code
            elif root in ModelParams.model_fields and not is_parameter_path(name):
                bad.append(name)
    assert not bad, f"ODD.md names parameters that do not exist: {sorted(set(bad))}"


def test_odd_code_spans_stay_on_one_line():
    broken = []
    in_fence = False
    for number, line in enumerate(odd_text().splitlines(), start=1):
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if not in_fence and line.count("`") % 2:
            broken.append(number)
    assert not broken, f"ODD.md: code spans broken across lines at lines {broken}"


def test_odd_policies_section_covers_every_policy():
    body = _section(odd_text(), "Policies")
    heads = re.findall(r"^### [^\n]*?`([a-z_]+)`", body, re.MULTILINE)
    unknown = [h for h in heads if h not in POLICY_NAMES]
    assert not unknown, f"policy subsections name unknown policies: {unknown}"
    assert sorted(heads) == sorted(POLICY_NAMES), (
        f"one subsection per policy expected; missing {sorted(set(POLICY_NAMES) - set(heads))}, "
        f"repeated {sorted({h for h in heads if heads.count(h) > 1})}"
    )
    for name in POLICY_NAMES:
        sub = re.search(rf"^### [^\n]*`{name}`.*?(?=^### |\Z)", body, re.MULTILINE | re.DOTALL)
        assert sub and re.search(r"\bS[0-4]\b", sub.group(0)), f"{name}: no source cited"
        assert f"parameters.md#policies{name}" in sub.group(0), f"{name}: no parameter link"


def test_odd_policy_mentions_are_policies():
    for token in backticked(odd_text()):
        m = re.fullmatch(r"policies\.([a-z_]+)(?:\..*)?", token)
        if m:
            assert m.group(1) in POLICY_NAMES, f"unknown policy in `{token}`"


def test_odd_code_names_exist():
    names = code_names()
    missing = sorted({t for t in backticked(odd_text()) if SNAKE.fullmatch(t) and t not in names})
    assert not missing, f"ODD.md names things the code does not have: {missing}"


def test_odd_class_attributes_exist():
    classes = code_classes()
    missing = []
    for token in backticked(odd_text()):
        m = CLASS_ATTR.fullmatch(token)
        if m and (
            m.group(1) not in classes or not has_attribute(classes[m.group(1)], *m.groups()[1:])
        ):
            missing.append(token)
    assert not missing, f"ODD.md names class members that do not exist: {missing}"


def test_odd_file_paths_exist():
    missing = []
    for token in backticked(odd_text()):
        if " " in token or not FILE_PATH.fullmatch(token) or "<" in token or "*" in token:
            continue
        if token.startswith("shared/"):
            continue  # the source documents live beside the repository, not in it
        if not (ROOT / token).exists():
            missing.append(token)
    assert not missing, f"ODD.md names files that do not exist: {missing}"


@pytest.mark.parametrize("doc", [ODD, PARAMETERS], ids=["ODD.md", "parameters.md"])
def test_links_resolve(doc):
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file_part, _, anchor = target.partition("#")
        path = (doc.parent / file_part).resolve() if file_part else doc
        if not path.exists():
            if path.name == "README.md":
                continue  # the README is written elsewhere; checked once it exists
            broken.append(target)
            continue
        if anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(target)
    assert not broken, f"{doc.name}: broken links {broken}"
