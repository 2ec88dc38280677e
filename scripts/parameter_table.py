"""Generate ``docs/parameters.md`` from the parameter schema, so the table cannot drift.

Every parameter of ``ecosystem.params.ModelParams`` (and every policy block under
``policies.<name>``) becomes one row: dotted path, default, type, and the field's metadata in
the schema — meaning, unit, source and basis (``ecosystem.parameter_fields.param``). Defaults
come from ``ecosystem.presets.resolve_params()``, i.e. the default region preset on top of the
code, so region values (institutions, firms, facilities) show as the model uses them.

    .venv/bin/python scripts/parameter_table.py           # rewrite docs/parameters.md
    .venv/bin/python scripts/parameter_table.py --check   # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import inspect
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from ecosystem.parameter_fields import metadata, plausible_range  # noqa: E402
from ecosystem.params import MODALITIES, ModelParams, Range  # noqa: E402
from ecosystem.presets import has_dotted, load_preset, resolve_params  # noqa: E402

OUTPUT = ROOT / "docs" / "parameters.md"
PRESET = "shenyang_hunnan"


# --- reading the metadata out of the schema ---------------------------------------------------
def field_metadata(cls: type[BaseModel], name: str) -> dict[str, str]:
    """Meaning, unit, source and basis of field ``name`` (``ecosystem.parameter_fields``)."""
    return metadata(cls.model_fields[name])


# --- formatting values and types -------------------------------------------------------------
def fmt(value: Any) -> str:
    """A value as a user would write it in a TOML config."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Range):
        return f"{fmt(value.low)}–{fmt(value.high)}"
    if isinstance(value, float):
        return f"{value:g}" if value == value else "nan"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {fmt(v)}" for k, v in value.items())
    if isinstance(value, BaseModel):
        return "; ".join(f"{k}={fmt(getattr(value, k))}" for k in type(value).model_fields)
    return str(value)


def _bounds(metadata: list[Any]) -> str:
    """Constraints of a field as an interval: ``in [0, 1]``, ``> 0``, ``in (0, 100]``."""
    lo = hi = None
    for m in metadata:
        for attr, bracket in (("ge", "["), ("gt", "(")):
            if getattr(m, attr, None) is not None:
                lo = (bracket, fmt(getattr(m, attr)))
        for attr, bracket in (("le", "]"), ("lt", ")")):
            if getattr(m, attr, None) is not None:
                hi = (bracket, fmt(getattr(m, attr)))
    if lo and hi:
        return f"in {lo[0]}{lo[1]}, {hi[1]}{hi[0]}"
    if lo:
        return f"{'≥' if lo[0] == '[' else '>'} {lo[1]}"
    if hi:
        return f"{'≤' if hi[0] == ']' else '<'} {hi[1]}"
    return ""


def type_text(annotation: Any, metadata: list[Any] | None = None) -> str:
    """A short human description of a field's type and allowed values."""
    metadata = list(metadata or [])
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        return type_text(base, metadata + list(extra))
    bounds = _bounds(metadata)
    if annotation is Range:
        return "range (`.low`, `.high`)"
    if origin is typing.Literal:
        if set(typing.get_args(annotation)) == set(MODALITIES):
            return "modality"
        return "one of " + ", ".join(f'"{a}"' for a in typing.get_args(annotation))
    if origin in (tuple, list, dict) or origin is types.UnionType:
        args = typing.get_args(annotation)
        if origin is tuple:
            inner = {type_text(a) for a in args}
            return f"{len(args)} × " + (inner.pop() if len(inner) == 1 else "values")
        if origin is list:
            return "list of " + type_text(args[0])
        if origin is dict:
            return "table: key → " + type_text(args[1])
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return annotation.__name__
        name = {bool: "bool", int: "int", float: "float", str: "text"}.get(
            annotation, annotation.__name__
        )
        return f"{name} {bounds}".strip()
    return str(annotation)


# --- walking the tree ------------------------------------------------------------------------
def rows_of(
    model: BaseModel, prefix: str, preset: dict[str, Any], only: tuple[str, ...] | None = None
) -> tuple[list[list[str]], list[str]]:
    """Table rows of one section, plus extra blocks (tables of list entries) to follow it.

    Nested sections are flattened into dotted rows, except ranges, which show as one row.
    """
    rows: list[list[str]] = []
    extra: list[str] = []
    cls = type(model)
    for name, info in cls.model_fields.items():
        if only is not None and name not in only:
            continue
        path = f"{prefix}.{name}" if prefix else name
        value = getattr(model, name)
        if _is_section(value):
            sub_rows, sub_extra = rows_of(value, path, preset)
            rows.extend(sub_rows)
            extra.extend(sub_extra)
            continue
        meta = field_metadata(cls, name)
        if name == "enabled" and prefix.startswith("policies."):
            meta["meaning"] = meta["meaning"] or "switches the policy on (off in the status quo)"
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            shown = f"{len(value)} entries (below)"
            extra.append(entry_table(path, value))
        else:
            shown = fmt(value) if value != [] else "[] (none)"
        if has_dotted(preset, path):  # the preset's value, not the code's, is the default
            shown += " *(preset)*"
        kind = type_text(info.annotation, info.metadata)
        rng = plausible_range(info)
        cells = [meta["unit"], meta["meaning"], meta["source"], meta["basis"],
                 rng.text() if rng else ""]
        rows.append([f"`{path}`", shown, kind, *(c or "—" for c in cells)])
    return rows, extra


def entry_table(path: str, entries: list[BaseModel]) -> str:
    """A table listing the entries of a list of places (institutions, firms, facilities)."""
    cls = type(entries[0])
    fields = list(cls.model_fields)
    doc = (inspect.getdoc(cls) or "").splitlines()[0]
    out = [f"**`{path}`** ({len(entries)} entries, from the preset). {doc}", ""]
    notes = [f"`{f}`: {c}" for f in fields if (c := field_metadata(cls, f)["meaning"])]
    if notes:
        out += ["Fields: " + "; ".join(notes) + ".", ""]
    out.append("| " + " | ".join(fields) + " |")
    out.append("|" + "---|" * len(fields))
    for e in entries:
        cells = [fmt(getattr(e, f)).strip('"') for f in fields]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out)


def table(rows: list[list[str]]) -> str:
    """A Markdown table of parameter rows."""
    head = "| parameter | default | type | unit | meaning | source | basis | plausible range |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def section(heading: str, doc: str, rows: list[list[str]], extra: list[str], level: int = 2) -> str:
    """One heading, its description, its table and any entry tables.

    The heading is only the section's name (``pilot``, ``policies.pilot_insurance``), so its
    anchor is predictable for links from ODD.md (``parameters.md#policiespilot_insurance``).
    """
    parts = [f"{'#' * level} {heading}", ""]
    if doc:
        parts += [doc, ""]
    parts.append(table(rows))
    for block in extra:
        parts += ["", block]
    return "\n".join(parts)


HEADER = """\
# Parameters

<!-- Generated by scripts/parameter_table.py from ecosystem/params.py and
ecosystem/policies/params.py; do not edit by hand. Rewrite with
`.venv/bin/python scripts/parameter_table.py`; `--check` tells whether this file is current. -->

Every parameter of the model, by section, with its default for the `{preset}` region preset.
A config sets any of them by dotted path (`[model.pilot]` / `prior_success_belief = 0.3` in a
config file, `"pilot.prior_success_belief"` in a sweep, `**{{"pilot.prior_success_belief": 0.3}}`
in Python); policy blocks are `[policies.<name>]`. The model description, with the rules in
which each parameter acts, is [ODD.md](ODD.md).

* **default**: the value a run uses; *(preset)* marks values set by the preset file
  `ecosystem/presets/{preset}.toml` rather than by the code.
* **unit, meaning, source, basis**: the field's metadata in the code
  (`param(default, meaning, unit=…, source=…, basis=…)` in `ecosystem/params.py` and
  `ecosystem/policies/params.py`). Units: money in M RMB (million yuan), time in months,
  distance in km, travel time in minutes, probabilities and shares in [0, 1].
* **source**: the seeds the value comes from (S0–S4 are the files `000_…`–`004_…` of the source
  documents; `S0 §1.2.3` is section 1.2.3 of S0), or a published study: *BIO/Informa/QLS 2021*
  is BIO, Informa Pharma Intelligence & QLS, "Clinical Development Success Rates and
  Contributing Factors 2011–2020" (February 2021) — phase transition success I→II 52.0%,
  II→III 28.9%, III→NDA/BLA 57.8%, NDA/BLA→approval 90.6% (7.9% from phase I), phase I 2.3,
  II 3.6, III 3.3 years, review 1.3 years (10.5 years phase I to approval). The same report
  gives the likelihood of approval from phase I by modality — small molecules 5.7%, biologics
  9.1%, vaccines 9.7%, CAR-T 17.3% — but no phase-by-phase split we could map onto the model's
  modalities, so every modality uses the overall rates (range of the LOA: 5.7–17.3%).
* **basis**: `source` (taken from the cited seeds) or `assumption` (ours); — means a setting of
  the run or a value whose reasoning ODD.md gives.
* **plausible range**: for a parameter no seed or study gives a number for (an assumed
  policy delta, an assumed economics or market value), the range it could plausibly take and
  the one-line reason (`param(…, plausible=(low, high, why))`; element by element for a pair,
  `(lows)–(highs)`, and key by key for a value by funder kind, `{{lows}}–{{highs}}`); a test
  checks that every unsourced policy parameter has one, that each default lies inside, and that
  no meaning text writes a range of its own. `[sweep] plausible = true` in a Sobol config of
  paired effects sweeps every such range of the compared policies (`sciencecity reproduce
  assumed_deltas`, `… policy_effect_drivers`), so the report names the unsourced assumption
  that moves each effect most; `plausible = "all"` (Sobol, LHS or Morris) adds the ranges of
  the parameters that belong to no policy. Ranges over a pair or a dict are not swept (no
  dotted path reaches one element alone).
* A range (`low–high`) is drawn uniformly per agent or project; set `.low` and `.high`.
"""


def generate(preset_name: str = PRESET) -> str:
    """The whole Markdown document."""
    params = resolve_params(preset_name)
    preset = load_preset(preset_name)
    blocks = [HEADER.format(preset=preset_name).rstrip()]
    top = tuple(n for n in ModelParams.model_fields if not _is_section(getattr(params, n)))
    run_rows, _ = rows_of(params, "", preset, only=top)
    blocks.append(section("Run", "Horizon, size and output of a run.", run_rows, []))
    for name in ModelParams.model_fields:
        value = getattr(params, name)
        if not _is_section(value) or name == "policies":
            continue
        rows, extra = rows_of(value, name, preset)
        doc = inspect.getdoc(type(value)) or ""
        blocks.append(section(f"`{name}`", doc, rows, extra))
    policies = params.policies
    blocks.append(
        "## Policies\n\nOne block per policy (`policies.<name>`), all off in the status quo; "
        "scenario `full_chain` switches all of them on. What each does is in "
        "[ODD.md, section 8](ODD.md#8-policies)."
    )
    for name in type(policies).model_fields:
        block = getattr(policies, name)
        rows, extra = rows_of(block, f"policies.{name}", preset)
        doc = inspect.getdoc(type(block)) or ""
        blocks.append(section(f"`policies.{name}`", doc, rows, extra, level=3))
    return "\n\n".join(blocks) + "\n"


def _is_section(value: Any) -> bool:
    return isinstance(value, BaseModel) and not isinstance(value, Range)


def main(argv: list[str] | None = None) -> int:
    """Write the file, or with ``--check`` report whether it is current (exit 1 if not)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default docs/parameters.md")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else None
        if current != text:
            print(
                f"{args.output} is out of date; run: .venv/bin/python scripts/parameter_table.py",
                file=sys.stderr,
            )
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
