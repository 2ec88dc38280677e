"""Clear, one-paragraph errors for bad parameters and configs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError


class ConfigError(ValueError):
    """A parameter or config value is not allowed; the message names key, value and rule."""


def allowed_keys(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """Return the keys valid at ``path`` inside the pydantic ``model`` tree."""
    current: Any = model
    for part in path:
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        current = annotation if isinstance(annotation, type) else None
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return sorted(fields) if fields else []


def describe_validation_error(
    err: ValidationError, model: type[BaseModel], prefix: str = ""
) -> str:
    """Turn a pydantic error into lines ``key.path = value: what is allowed``."""
    lines = []
    for item in err.errors():
        loc = tuple(item["loc"])
        path = ".".join(str(p) for p in (prefix.split(".") if prefix else []) + list(loc))
        value = item.get("input")
        if item["type"] == "extra_forbidden":
            valid = allowed_keys(model, loc[:-1])
            lines.append(f"unknown key '{path}'; allowed keys here: {', '.join(valid)}")
        elif item["type"] == "missing":
            lines.append(f"missing key '{path}'")
        else:
            lines.append(f"'{path}' = {value!r}: {item['msg']}")
    return "; ".join(lines)
