"""Spin-up and fork: start policy arms from a living, stationary ecosystem (spec §9.1).

The pipeline starts empty and discovery-to-market takes over a decade, so a run that switches a
policy on at month 0 measures a start-up transient. :func:`spin_up` runs the status quo until the
pipeline is about stationary; :func:`fork` makes exact, independent copies of that state, one per
arm, so arms of a seed share the spun-up ecosystem (and, through the named random streams, their
later luck) and differ only by what is switched on afterwards with ``model.set_policy``.

:data:`SPINUP_MONTHS` is the default ``warmup_months`` and comes from a measurement
(ODD §2.4; ``tests/behaviour/test_long_horizon.py`` checks that 30 counted years after it do
not trend, ``tests/test_viz_spinup.py`` that the stocks fill): projects per stage fill within
~180 months, but products launched from them sell for years and their royalties fund the
institutions' next PoCs, so the PoC flow keeps growing until about month 300. A sweep spins a
seed up once (:func:`spin_up_for`) and starts each arm from a fork (:func:`introduce`): the
same state as running the arm from scratch, whose policies come into force at the first
counted month (``tests/test_spinup_fork.py`` proves the equality).
"""

from __future__ import annotations

import copy
import types
from typing import Any

from ecosystem.model import ScienceCityModel
from ecosystem.params import ModelParams
from ecosystem.policies import policy_names

#: Months of status quo before the ecosystem is about stationary (measured, see module doc).
SPINUP_MONTHS: int = ModelParams.model_fields["warmup_months"].default


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


def status_quo_params(params: ModelParams) -> ModelParams:
    """``params`` with every policy switched off: what an arm runs during its spin-up.

    Two arms whose status-quo parameters are equal (same regions, same policy settings, only
    other policies enabled) share one spin-up.
    """
    quo = params.model_copy(deep=True)
    for name in policy_names():
        getattr(quo.policies, name).enabled = False
    return quo


def spin_up_for(params: ModelParams, seed: int) -> ScienceCityModel:
    """The status quo of ``params`` run through its ``warmup_months`` (the shared spin-up)."""
    model = ScienceCityModel(seed=seed, params=status_quo_params(params))
    for _ in range(params.warmup_months):
        model.step()
    return model


def introduce(spun: ScienceCityModel, params: ModelParams) -> ScienceCityModel:
    """A fork of ``spun`` with the policies ``params`` enables, in force from the next month.

    ``spun`` must be :func:`spin_up_for` of parameters whose :func:`status_quo_params` equal
    those of ``params``; the fork then runs exactly as ``params`` run from scratch.
    """
    if spun.month != params.warmup_months or status_quo_params(params) != spun.params:
        raise ValueError("introduce: the spun-up model is not the status quo of these parameters")
    twin = fork(spun)
    for name in policy_names():
        if getattr(params.policies, name).enabled:
            twin.set_policy(name, enabled=True)
    return twin


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
    cells = list(model.grid._cells.values())
    _seed_cells(cells, memo, copy.deepcopy(model.random, memo))
    twin = copy.deepcopy(model, memo)
    for old in cells:  # who stands in each cell: the copies of who stood there
        memo[id(old)]._agents = [memo[id(agent)] for agent in old._agents]
    for name, value in vars(twin).items():
        if _keyed_by_id(value, memo):
            setattr(twin, name, {id(memo[key]): item for key, item in value.items()})
    for obj in list(memo.values()):
        _rebind_closures(obj, memo)
    return twin


def _seed_cells(cells: list[Any], memo: dict[int, Any], random: Any) -> None:
    """Put fresh copies of the grid's cells into the deep copy's memo, built by hand.

    The grid's shape (coordinates, neighbours, capacity) never changes during a run, but a
    generic deep copy walks its thousands of cells and connections one object at a time and
    dominates the fork (measured: ~1.2 s of a 180-month model). The copies share coordinates
    and positions (immutable), link to each other's copies, and get their occupants after the
    model is copied; the copied grid links them to their neighbours (Mesa's own unpickling).
    """
    for old in cells:
        memo[id(old)] = object.__new__(type(old))
    shared = ("coordinate", "_position", "capacity", "_empty")
    for old in cells:
        new = memo[id(old)]
        for slot in shared:
            if hasattr(old, slot):  # unset slots stay unset
                setattr(new, slot, getattr(old, slot))
        new.random = random
        new.properties = copy.deepcopy(old.properties, memo) if old.properties else {}
        # as in Mesa's pickling: coordinates, which the grid's __setstate__ turns into the copies
        new.connections = {key: cell.coordinate for key, cell in old.connections.items()}
        new._agents = []


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
