"""Parameters carry their metadata: meaning, unit, source and basis as pydantic field metadata.

``param(default, "meaning", unit=..., source=..., basis=...)`` is a pydantic ``Field`` whose
description is the meaning and whose ``json_schema_extra`` holds the rest, so the parameter
table (``scripts/parameter_table.py``), the JSON schema and any tool read the same record.

* ``unit``: M RMB, months, km, minutes, km/h, share, probability, count … ("" if none);
* ``source``: the seed documents the value comes from (``S0 §1.2.3``; S0–S4 as in ODD.md);
* ``basis``: ``source`` (taken from the cited documents), ``assumption`` (ours, see ODD.md), or
  ``""`` (a setting of the run, or the ODD gives the reasoning).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

BASES: tuple[str, ...] = ("source", "assumption", "")


def param(
    default: Any = PydanticUndefined,
    doc: str = "",
    *,
    unit: str = "",
    source: str = "",
    basis: str = "",
    **field: Any,
) -> Any:
    """A pydantic ``Field`` with the parameter's meaning, unit, source and basis."""
    if basis not in BASES:
        raise ValueError(f"basis {basis!r}: allowed {BASES}")
    extra = {"unit": unit, "source": source, "basis": basis}
    return Field(default, description=doc or None, json_schema_extra=extra, **field)


def metadata(info: FieldInfo) -> dict[str, str]:
    """The meaning, unit, source and basis of a field ("" where not given)."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return {
        "meaning": info.description or "",
        "unit": str(extra.get("unit", "")),
        "source": str(extra.get("source", "")),
        "basis": str(extra.get("basis", "")),
    }
