"""Parameters carry their metadata: meaning, unit, source and basis as pydantic field metadata.

``param(default, "meaning", unit=..., source=..., basis=...)`` is a pydantic ``Field`` whose
description is the meaning and whose ``json_schema_extra`` holds the rest, so the parameter
table (``scripts/parameter_table.py``), the JSON schema and any tool read the same record.

* ``unit``: M RMB, months, km, minutes, km/h, share, probability, count … ("" if none);
* ``source``: the seed documents the value comes from (``S0 §1.2.3``; S0–S4 as in ODD.md);
* ``basis``: ``source`` (taken from the cited documents), ``assumption`` (ours, see ODD.md), or
  ``""`` (a setting of the run, or the ODD gives the reasoning);
* ``plausible``: ``(low, high, "why")``, the range a value without a source could plausibly
  take and the one-line reason for it, so sensitivity designs (``[sweep] plausible``) and
  readers see how much an assumption could move; ``low <= default <= high``, element by element
  for a tuple or a ``Range`` default (low and high are tuples, a ``Range`` as ``(low, high)``)
  and key by key for a dict default (low and high are dicts with the default's keys). A range
  goes here, never into the meaning text;
* ``policy``: the policy a parameter outside ``policies.<name>`` belongs to (e.g. the value of a
  demand-pulled discovery belongs to reverse commissioning).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

BASES: tuple[str, ...] = ("source", "assumption", "")


class Plausible(NamedTuple):
    """The range an unsourced value could plausibly take, and why (one line)."""

    low: float | tuple[float, ...] | dict[str, float]
    high: float | tuple[float, ...] | dict[str, float]
    why: str

    def text(self) -> str:
        """``low–high: why``, as the parameter table shows it."""
        return f"{_fmt(self.low)}–{_fmt(self.high)}: {self.why}"


def param(
    default: Any = PydanticUndefined,
    doc: str = "",
    *,
    unit: str = "",
    source: str = "",
    basis: str = "",
    plausible: tuple[Any, Any, str] | None = None,
    policy: str = "",
    **field: Any,
) -> Any:
    """A pydantic ``Field`` with the parameter's meaning, unit, source, basis and range."""
    if basis not in BASES:
        raise ValueError(f"basis {basis!r}: allowed {BASES}")
    extra: dict[str, Any] = {"unit": unit, "source": source, "basis": basis}
    if plausible is not None:
        extra["plausible"] = _checked(Plausible(*plausible), default, doc)
    if policy:
        extra["policy"] = policy
    return Field(default, description=doc or None, json_schema_extra=extra, **field)


def _checked(rng: Plausible, default: Any, doc: str) -> list[Any]:
    """``[low, high, why]`` once ``low < high`` and ``low <= default <= high`` (element-wise)."""
    where = f"plausible range of {doc!r}"
    if not rng.why.strip():
        raise ValueError(f"{where}: give a one-line reason")
    lows, highs = rng.low, rng.high
    if isinstance(default, BaseModel):  # a Range: its (low, high) pair
        default = tuple(default.model_dump().values())
    if isinstance(default, dict):
        if not (isinstance(lows, dict) and isinstance(highs, dict)
                and set(lows) == set(highs) == set(default)):
            raise ValueError(f"{where}: a dict default needs low and high dicts of its keys "
                             f"{sorted(default)}")
        triples = [(lows[k], highs[k], default[k]) for k in default]
    elif isinstance(default, tuple):
        if not (isinstance(lows, tuple) and isinstance(highs, tuple)
                and len(lows) == len(highs) == len(default)):
            raise ValueError(f"{where}: a tuple default needs low and high tuples of its length")
        triples = list(zip(lows, highs, default, strict=True))
    else:
        triples = [(lows, highs, default)]
    for low, high, value in triples:
        numbers = (low, high) if value is PydanticUndefined else (low, high, value)
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
            raise ValueError(f"{where}: low, high and default must be numbers, got {rng[:2]}")
        if not low < high:
            raise ValueError(f"{where}: low {low} must be < high {high}")
        if value is not PydanticUndefined and not low <= value <= high:
            raise ValueError(f"{where}: default {value} outside [{low}, {high}]")
    as_list = [list(lows) if isinstance(lows, tuple) else lows,
               list(highs) if isinstance(highs, tuple) else highs]
    return [*as_list, rng.why]


def plausible_range(info: FieldInfo) -> Plausible | None:
    """A field's plausible range, if it declares one."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    value = extra.get("plausible")
    if value is None:
        return None
    low, high, why = value
    return Plausible(tuple(low) if isinstance(low, list) else low,
                     tuple(high) if isinstance(high, list) else high, why)


def policy_of(path: str, info: FieldInfo) -> str:
    """The policy a parameter belongs to: ``policies.<name>.*``, else its ``policy`` tag."""
    parts = path.split(".")
    if len(parts) > 2 and parts[0] == "policies":
        return parts[1]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return str(extra.get("policy", ""))


def walk_fields(
    cls: type[BaseModel], prefix: str = "", values: tuple[type, ...] = ()
) -> list[tuple[str, FieldInfo]]:
    """Every leaf field of a parameter tree as ``(dotted path, field)``, in declaration order.

    A field whose type is a ``BaseModel`` is a section and is walked into, unless its type is
    one of ``values`` (models used as one value, such as ``ecosystem.params.Range``).
    """
    out: list[tuple[str, FieldInfo]] = []
    for name, info in cls.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel) and kind not in values:
            out.extend(walk_fields(kind, path, values))
        else:
            out.append((path, info))
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    return f"{value:g}" if isinstance(value, float) else str(value)


def metadata(info: FieldInfo) -> dict[str, str]:
    """The meaning, unit, source and basis of a field ("" where not given)."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return {
        "meaning": info.description or "",
        "unit": str(extra.get("unit", "")),
        "source": str(extra.get("source", "")),
        "basis": str(extra.get("basis", "")),
    }


def is_number(value: Any) -> bool:
    """An int or float (not a bool), or a tuple of them: a value a range can bound."""
    if isinstance(value, tuple):
        return bool(value) and all(is_number(v) for v in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def unsourced(info: FieldInfo) -> bool:
    """A numeric value no seed or study gives: it needs a plausible range.

    An assumption counts even where a seed is cited for the direction of the effect only.
    """
    meta = metadata(info)
    return is_number(info.default) and (meta["basis"] == "assumption" or not meta["source"])


def policy_parameters(
    cls: type[BaseModel], values: tuple[type, ...] = ()
) -> list[tuple[str, FieldInfo, str]]:
    """``(dotted path, field, policy)`` of every parameter that belongs to a policy."""
    out = []
    for path, info in walk_fields(cls, values=values):
        policy = policy_of(path, info)
        if policy and not path.endswith(".enabled"):
            out.append((path, info, policy))
    return out
