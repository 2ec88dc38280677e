"""The page's spun-up status quo, computed once per seed and region and forked for each world.

A lesson starts both of its worlds from the spun-up status quo of its seed
(:func:`ecosystem.spinup.spin_up`), and Reset, "replay with other luck" and a return to an
earlier seed start it again. Spinning up costs ~0.5–1 s for the default region, a fork
(:func:`ecosystem.spinup.fork`, an exact, independent copy) ~0.2 s: so the page keeps the
spun-up models of the last :data:`CACHE_SIZE` keys and hands out forks. The key is
(seed, preset, hash of the status-quo parameters), which holds the region size, the spin-up
length and the horizon, so two lessons share a spun-up state exactly when a fresh spin-up
would give both the same one (``tests/test_viz_spinup_cache.py`` checks the equality).

The cached models are never stepped, only copied; a lock keeps two browser sessions from
spinning up the same seed twice at once.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections import OrderedDict

import numpy as np

from ecosystem.model import ScienceCityModel, coerce_seed
from ecosystem.params import ModelParams
from ecosystem.policies import scenario_overrides
from ecosystem.presets import resolve_params
from ecosystem.spinup import SPINUP_MONTHS, fork, spin_up

#: Spun-up models kept (least recently used dropped first): a lesson, its reset and the five
#: seeds of a replay. One default-size model holds ~10 MB.
CACHE_SIZE = 8

DEFAULT_PRESET = "shenyang_hunnan"

_cache: OrderedDict[tuple[int, str, str], ScienceCityModel] = OrderedDict()
_lock = threading.Lock()


def status_quo_params(
    preset: str, scale: float, spinup_months: int, horizon_months: int
) -> ModelParams:
    """The parameters :func:`~ecosystem.spinup.spin_up` builds its status quo from."""
    dotted = {
        **scenario_overrides("status_quo"),
        "scale": scale,
        "warmup_months": spinup_months,
        "months": max(1, horizon_months),
    }
    return resolve_params(preset, dotted=dotted)


def params_hash(params: ModelParams) -> str:
    """A short, stable digest of every parameter value."""
    return hashlib.sha256(params.model_dump_json().encode()).hexdigest()[:16]


def spun_up(
    seed: int | str | None,
    scale: float = 1.0,
    spinup_months: int = SPINUP_MONTHS,
    horizon_months: int = 0,
    preset: str = DEFAULT_PRESET,
) -> ScienceCityModel:
    """A fork of the spun-up status quo of ``seed`` (spun up on first use, then cached).

    ``seed`` empty or ``None`` draws one, as the model does; the fork carries it (``.seed``).
    """
    value = coerce_seed(seed)
    if value is None:
        value = int(np.random.SeedSequence().entropy % (2**63))
    params = status_quo_params(preset, scale, spinup_months, horizon_months)
    key = (value, preset, params_hash(params))
    with _lock:
        model = _cache.get(key)
        if model is None:
            model = spin_up(
                value, months=spinup_months, horizon_months=horizon_months, params=params
            )
            _cache[key] = model
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        _cache.move_to_end(key)
        return _fork_without_gc(model)


def _fork_without_gc(model: ScienceCityModel) -> ScienceCityModel:
    """:func:`fork` with the cycle collector paused.

    A fork allocates some hundred thousand objects, which set off full collections that cost
    as much again, or more on a busy machine (measured: 0.23 s without, 0.26–0.9 s with).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return fork(model)
    finally:
        if enabled:
            gc.enable()


def cached_keys() -> list[tuple[int, str, str]]:
    """Keys held now, least recently used first."""
    with _lock:
        return list(_cache)


def clear() -> None:
    """Drop every cached model."""
    with _lock:
        _cache.clear()
