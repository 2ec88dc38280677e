"""Spin-up and fork: start policy arms from a living, stationary ecosystem (spec §9.1).

The pipeline starts empty and discovery-to-market takes over a decade, so a run that switches a
policy on at month 0 measures a start-up transient. :func:`spin_up` runs the status quo until the
pipeline is about stationary; :func:`fork` makes exact, independent copies of that state, one per
arm, so arms of a seed share the spun-up ecosystem (and, through the named random streams, their
later luck) and differ only by what is switched on afterwards with ``model.set_policy``.

:data:`SPINUP_MONTHS` comes from a measurement (``tests/test_viz_spinup.py`` checks it): projects
per stage and the yearly flows stop trending after about 180 months.
"""

from __future__ import annotations

import copy
import types
from typing import Any

from ecosystem.model import ScienceCityModel

#: Months of status quo before the ecosystem is about stationary (measured, see module doc).
SPINUP_MONTHS = 180


def spin_up(
    seed: int | str | None = 42,
    *,
    preset: str = "shenyang_hunnan",
    months: int = SPINUP_MONTHS,
    horizon_months: int = 0,
    model_class: type[ScienceCityModel] = ScienceCityModel,
    **params: Any,
) -> ScienceCityModel:
    """Run the status quo of ``seed`` for ``months`` months and return the model.

    Args:
        seed: the run's seed.
        preset: region preset name or path.
        months: months of spin-up (the default is the measured :data:`SPINUP_MONTHS`).
        horizon_months: months the returned model may still run after the spin-up.
        model_class: a :class:`ScienceCityModel` subclass to build.
        params: further model arguments (``scale``, dotted overrides); policies stay off.

    The model's horizon is set to ``months + horizon_months`` so the spin-up never ends the run;
    its warm-up is the spin-up (the months before the forks start counting).
    """
    if months < 0 or horizon_months < 0:
        raise ValueError(f"months = {months}, horizon_months = {horizon_months}: must be >= 0")
    model = model_class(
        seed=seed,
        preset=preset,
        policy_scenario="status_quo",
        warmup_months=months,
        months=max(1, horizon_months),
        **params,
    )
    model.total_months = months + horizon_months
    for _ in range(months):
        model.step()
    model.running = model.month < model.total_months
    return model


def fork(model: ScienceCityModel) -> ScienceCityModel:
    """Return an exact, independent copy of ``model`` (state, agents, random streams).

    Stepped identically, the copy and the original produce identical monthly tables. The model
    keeps a few tables keyed by ``id(agent)``; a deep copy keeps those keys, which then name the
    original's agents, so they are re-keyed to the copies' ids (the copy's memo maps each
    original's id to its copy). Likewise a deep copy shares functions, so a closure kept in an
    attribute (a handler that captured its owner) would still act on the original: such
    closures are rebuilt around the copies of what they captured.
    """
    memo: dict[int, Any] = {}
    twin = copy.deepcopy(model, memo)
    for name, value in vars(twin).items():
        if _keyed_by_id(value, memo):
            setattr(twin, name, {id(memo[key]): item for key, item in value.items()})
    for obj in list(memo.values()):
        _rebind_closures(obj, memo)
    return twin


def _rebind_closures(obj: Any, memo: dict[int, Any]) -> None:
    """Point closures held by ``obj`` (attributes, or values of dict attributes) at copies."""
    attrs = getattr(obj, "__dict__", None)
    if not isinstance(attrs, dict) or isinstance(obj, type):
        return
    for name, value in attrs.items():
        if isinstance(value, types.FunctionType):
            attrs[name] = _rebound(value, memo)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, types.FunctionType):
                    value[key] = _rebound(item, memo)


def _rebound(fn: types.FunctionType, memo: dict[int, Any]) -> types.FunctionType:
    """``fn`` with each captured object replaced by its copy (``fn`` itself if none was copied)."""
    if not fn.__closure__:
        return fn
    contents = [cell.cell_contents for cell in fn.__closure__]
    if not any(id(c) in memo for c in contents):
        return fn
    cells = tuple(types.CellType(memo.get(id(c), c)) for c in contents)
    new = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, cells)
    new.__kwdefaults__ = fn.__kwdefaults__
    return new


def _keyed_by_id(value: Any, memo: dict[int, Any]) -> bool:
    """Whether ``value`` is a non-empty dict whose keys are ids of objects the copy copied."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(type(key) is int and key in memo and memo[key] is not None for key in value)
    )
